"""Single cells of Upwork's CSV exports: US-dollar amounts and US-style dates.

Read leniently where the meaning is certain (currency signs, thousands separators, accounting
parentheses, a minus before or after the dollar sign) and refuse where it is not (another currency,
fractions of a cent, day/month order other than Upwork's own), because a wrong guess about money
would silently skew the user's earnings tiers. Errors carry no location: the caller adds file, line
and column.

The decimal mark is a property of the file, not of a cell: a spreadsheet saved in a European locale
writes 1.234,56 throughout. One cell can say which mark a file uses (`decimal_mark`: 12,50 or
1,234.56) or be ambiguous (1.500 is $1.50 or $1,500); the caller decides per file and passes the
mark to `parse_amount`, which refuses an ambiguous cell when no mark is known.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

CENT = Decimal("0.01")
MAX_WHOLE_DIGITS = 10  # $9,999,999,999: far above any real payment, and keeps sums inside the model's 14 digits

MAX_CENT_DIGITS = 20  # "1.50000": trailing zeros are tolerated, a cent fraction of 20 digits is not an amount
_NUMBERS = {  # digits grouped by thousands (or not), then the decimal part, by decimal mark
    ".": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"),
    ",": re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|,\d+"),
}
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-", "\u2010": "-"})
_DOLLAR_TOKENS = ("US$", "USD", "$")
_OTHER_CURRENCY = re.compile(
    r"[€£¥₹₽₩₺₱₦₴₫฿₪]|(?<![A-Z])(?:EUR|GBP|INR|CAD|AUD|NZD|JPY|CNY|PHP|PKR|UAH|NGN|BDT|BRL|MXN|CHF|KES|EGP|RUB)(?![A-Z])",
    re.IGNORECASE,
)
_DATE_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%d %b %Y", "%Y-%m-%d", "%m/%d/%Y")
_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[a-z]{2,5})?$", re.IGNORECASE)
_SEPT = re.compile(r"^sept\b", re.IGNORECASE)
_RANGE = re.compile(r"^(.+?)\s+(?:-|–|to)\s+(.+)$", re.IGNORECASE)


class CellError(ValueError):
    """A cell that cannot be read; the message says what was expected, the caller says where."""


class DecimalMark(StrEnum):
    """What separates the cents: Upwork's own '.', or the ',' of a spreadsheet in a European locale."""

    POINT = "."
    COMMA = ","

    @property
    def example(self) -> str:
        return "1,234.56" if self is DecimalMark.POINT else "1.234,56"


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def _strip_dollars(text: str) -> tuple[str, bool]:
    """Remove dollar markers and one sign from either end; returns (number text, negative)."""
    negative = sign_seen = False
    changed = True
    while changed and text:
        changed = False
        for token in _DOLLAR_TOKENS:
            if text.upper().startswith(token):
                text, changed = text[len(token) :], True
            if text.upper().endswith(token):
                text, changed = text[: -len(token)], True
        for position in (0, -1):
            if text and text[position] in "+-" and not sign_seen:
                negative, sign_seen, changed = text[position] == "-", True, True
                text = text[1:] if position == 0 else text[:-1]
    return text, negative


def _number_text(text: str) -> tuple[str, bool]:
    """The digits and separators of an amount cell without currency, spaces and sign: (number, negative)."""
    raw = text
    compact = text.translate(_MINUS_SIGNS).replace("\u00a0", "").replace(" ", "")
    if not compact:
        raise CellError("the amount is empty")
    if _OTHER_CURRENCY.search(compact):
        raise CellError(f"'{_shown(raw)}' is not in US dollars (JSS Advisor reads USD amounts only)")
    parenthesised = compact.startswith("(") and compact.endswith(")")
    if parenthesised:
        compact = compact[1:-1]
    number, negative = _strip_dollars(compact)
    if parenthesised and negative:
        raise CellError(f"'{_shown(raw)}' has two minus signs")
    return number, negative or parenthesised


def _mark_of(number: str) -> DecimalMark | None:
    """The decimal mark `number` proves, or None: no separator, or one that could be either (1.500)."""
    if "." in number and "," in number:  # the last one separates the cents
        return DecimalMark.POINT if number.rfind(".") > number.rfind(",") else DecimalMark.COMMA
    for separator, other in ((".", DecimalMark.COMMA), (",", DecimalMark.POINT)):
        if separator not in number:
            continue
        if number.count(separator) > 1:  # repeated: it groups thousands, so the other one marks cents
            return other
        whole, cents = number.split(separator)
        if len(cents) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0"):
            return None  # 1.500: one dollar fifty, or fifteen hundred
        return DecimalMark(separator)
    return None


def decimal_mark(text: str) -> DecimalMark | None:
    """The decimal mark an amount cell proves ('12,50' -> COMMA, '1,234.56' -> POINT), None if it proves none."""
    try:
        number, _ = _number_text(text)
    except CellError:
        return None
    return _mark_of(number) if re.fullmatch(r"[0-9.,]+", number) else None


def parse_amount(text: str, mark: DecimalMark | None = DecimalMark.POINT) -> Decimal:
    """'$1,234.50' -> 1234.50; '-$25.80', '$-25.80', '($17.50)' and '17.50-' are negative.

    Never through float. Fractions of a cent and other currencies are refused, not rounded or
    converted: Upwork pays in US dollars to the cent, so either means this is not the column we think.
    `mark` is the file's decimal mark (see `decimal_mark`); None when the file does not show it, and then
    an amount that reads two ways (1.500) is refused rather than guessed.
    """
    raw = text
    number, negative = _number_text(text)
    if mark is None:
        mark = _mark_of(number) if re.fullmatch(r"[0-9.,]+", number) else DecimalMark.POINT
        if mark is None and not re.fullmatch(r"[0-9]+", number):
            point, comma = (_value(number, m) for m in DecimalMark)
            raise CellError(
                f"'{_shown(raw)}' is ${point:,.2f} or ${comma:,.2f} depending on the decimal mark, and no other "
                "amount in the file shows which; add the cents (1,500.00 or 1.500,00)"
            )
        mark = mark or DecimalMark.POINT
    if _NUMBERS[mark.value].fullmatch(number) is None:
        raise CellError(f"'{_shown(raw)}' is not an amount (e.g. ${mark.example} or -25{mark.value}80)")
    whole, _, cents = number.partition(mark.value)
    if sum(c.isdigit() for c in whole) > MAX_WHOLE_DIGITS or len(cents) > MAX_CENT_DIGITS:
        raise CellError(f"'{_shown(raw)}' is implausibly large for one payment")
    value = _value(number, mark)
    if value != value.quantize(CENT):
        raise CellError(f"'{_shown(raw)}' has fractions of a cent")
    if value.adjusted() >= MAX_WHOLE_DIGITS:
        raise CellError(f"'{_shown(raw)}' is implausibly large for one payment")
    value = value.quantize(CENT)
    return -value if negative else value


def _value(number: str, mark: DecimalMark) -> Decimal:
    """`number` (already matched, or a two-way reading of it) as a Decimal, read with `mark`."""
    grouping = "," if mark is DecimalMark.POINT else "."
    try:
        return Decimal(number.replace(grouping, "").replace(",", "."))
    except InvalidOperation:  # pragma: no cover - callers pass only digits and separators
        raise CellError(f"'{_shown(number)}' is not an amount") from None


def parse_day(text: str) -> date:
    """'Jan 05, 2024' (Upwork's own), 'January 5, 2024', '2024-01-05' or '01/05/2024' (month first, as Upwork).

    A trailing time of day is ignored. Day-first dates are not guessed at: 05/01/2024 is May 1st.
    """
    cleaned = _TIME_SUFFIX.sub("", " ".join(text.split()))
    cleaned = _SEPT.sub("Sep", cleaned)
    if not cleaned:
        raise CellError("the date is empty")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise CellError(f"'{_shown(text)}' is not a date like 'Jan 05, 2024'")


def parse_period(text: str) -> tuple[date, date]:
    """A date or a range 'Jan 01, 2024 - Jan 07, 2024' (weekly reports): (first day, last day)."""
    try:
        day = parse_day(text)
        return day, day
    except CellError:
        match = _RANGE.match(" ".join(text.split()))
        if match is None:
            raise
    start, end = parse_day(match.group(1)), parse_day(match.group(2))
    if end < start:
        raise CellError(f"'{_shown(text)}' ends before it starts")
    return start, end
