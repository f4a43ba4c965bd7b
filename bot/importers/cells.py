"""Single cells of Upwork's CSV exports: US-dollar amounts and US-style dates.

Read leniently where the meaning is certain (currency signs, thousands separators, accounting
parentheses, a minus before or after the dollar sign) and refuse where it is not (another currency,
fractions of a cent, day/month order other than Upwork's own), because a wrong guess about money
would silently skew the user's earnings tiers. Errors carry no location: the caller adds file, line
and column.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_WHOLE_DIGITS = 10  # $9,999,999,999: far above any real payment, and keeps sums inside the model's 14 digits

_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")
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


def parse_amount(text: str) -> Decimal:
    """'$1,234.50' -> 1234.50; '-$25.80', '$-25.80', '($17.50)' and '17.50-' are negative.

    Never through float. Fractions of a cent and other currencies are refused, not rounded or
    converted: Upwork pays in US dollars to the cent, so either means this is not the column we think.
    """
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
    if _NUMBER.fullmatch(number) is None:
        raise CellError(f"'{_shown(raw)}' is not an amount (e.g. $1,234.50 or -25.80)")
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise CellError(f"'{_shown(raw)}' is not an amount") from None
    if value != value.quantize(CENT):
        raise CellError(f"'{_shown(raw)}' has fractions of a cent")
    if value.adjusted() >= MAX_WHOLE_DIGITS:
        raise CellError(f"'{_shown(raw)}' is implausibly large for one payment")
    value = value.quantize(CENT)
    return -value if (negative or parenthesised) else value


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
