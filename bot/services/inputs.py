"""Lenient parsing of what people type (money with $ and commas, dates) into the strict domain model, and
the bounds every entry path shares (console options, Discord forms, JSON and CSV imports).

Why bounds at entry: a day after today is accepted by the model (it cannot know the clock), but once
stored every later analysis refuses to run "as of" today; a day near date.max overflows the engine's
date arithmetic. So the front ends and importers refuse them here, naming the field, before anything is
stored. The sentences are in error_message.txt.j2, as for every other error.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from bot.render.text import render_text
from scoring.model import EARLIEST_DAY, LATEST_DAY, Contract, LedgerError, parse_contract

_MONEY = re.compile(r"^\$?\s*(-?[0-9][0-9,]*(?:\.[0-9]{1,2})?|-?\.[0-9]{1,2})\s*(?:usd)?$", re.IGNORECASE)
MAX_MONEY_CHARS: Final = 40  # '$999,999,999,999.99 USD' and spaces; longer is not an amount a person typed
MAX_WHOLE_DOLLAR_DIGITS: Final = 12  # the model's Money: 14 digits, 2 of them cents
ENTRY_MARGIN_DAYS: Final = 2  # "today" somewhere on Earth can be tomorrow in UTC, the clock's time zone
JSS_START: Final = date(2015, 1, 1)  # Upwork introduced the Job Success Score in 2015
AS_OF_YEARS_AHEAD: Final = 5  # --as-of may reach the end of the year this far ahead (planning); the engine
# projects at most 5 more years from it, far inside the model's LATEST_DAY


def refusal(reason: str, **values: Any) -> LedgerError:
    """A LedgerError whose message is the `reason` sentence of error_message.txt.j2."""
    return LedgerError(render_text("error_message.txt.j2", reason=reason, **values))


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 24 else text[:23] + "…"


def parse_money(text: str | int | Decimal, field: str = "amount") -> Decimal:
    """'$1,200.50' -> Decimal('1200.50'); never through float, and refused by length before Decimal()."""
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    if len(text) > MAX_MONEY_CHARS or len(re.sub(r"[^0-9]", "", text.partition(".")[0])) > MAX_WHOLE_DOLLAR_DIGITS:
        raise refusal("amount_too_large", field=field, text=_shown(text), digits=MAX_WHOLE_DOLLAR_DIGITS)
    match = _MONEY.match(text.strip())
    if not match:
        raise LedgerError(f"field '{field}': '{text[:40]}' is not an amount in dollars (e.g. 1200 or $1,200.50)")
    try:
        value = Decimal(match.group(1).replace(",", ""))
    except InvalidOperation:
        raise LedgerError(f"field '{field}': '{text[:40]}' is not an amount") from None
    if value < 0:
        raise LedgerError(f"field '{field}': must be 0 or more")
    return value


def parse_date(text: str | date, field: str = "date", earliest: date = EARLIEST_DAY, latest: date = LATEST_DAY) -> date:
    """'2026-02-15' -> a date from `earliest` to `latest` (by default the model's whole range), else a
    LedgerError naming `field`."""
    if isinstance(text, date):
        day = text
    else:
        try:
            day = date.fromisoformat(text.strip()[:32])
        except ValueError:
            raise LedgerError(f"field '{field}': '{text[:40]}' is not a date as YYYY-MM-DD") from None
    return check_day(day, field, earliest, latest)


def check_day(day: date, field: str, earliest: date, latest: date, *, late: str = "day_too_late") -> date:
    """`day` if earliest <= day <= latest; otherwise a LedgerError naming the field and the bound it broke
    (`late`: the reason for a day after `latest`, e.g. "day_in_future")."""
    if day < earliest:
        raise refusal("day_too_early", field=field, day=day, earliest=earliest)
    if day > latest:
        raise refusal(late, field=field, day=day, latest=latest)
    return day


def latest_entry_day(today: date) -> date:
    """The last day an entered date may name: today, plus a margin for time zones ahead of UTC."""
    return today + timedelta(days=ENTRY_MARGIN_DAYS)


def check_entry_day(day: date, field: str, today: date) -> date:
    """A day the user says something happened on: not before EARLIEST_DAY, not after today (+ margin)."""
    return check_day(day, field, EARLIEST_DAY, latest_entry_day(today), late="day_in_future")


def as_of_range(today: date) -> tuple[date, date]:
    """The days an analysis may be dated (--as-of): since the JSS exists, up to a few years ahead."""
    return JSS_START, date(today.year + AS_OF_YEARS_AHEAD, 12, 31)


def check_as_of(day: date, field: str, today: date) -> date:
    return check_day(day, field, *as_of_range(today))


def future_field(contract: Contract, latest: date) -> tuple[str, date] | None:
    """The first of the contract's dates after `latest` (field name, day), or None."""
    for name in DATE_FIELDS:
        value = getattr(contract, name)
        if value is not None and value > latest:
            return name, value
    later = [d for d in contract.close_requests if d > latest]
    return ("close_requests", later[0]) if later else None


MONEY_FIELDS = ("earnings_usd", "escrow_usd", "refunded_usd")
DATE_FIELDS = ("started", "ended", "last_activity", "last_payment", "milestone_submitted")


def contract_from_fields(
    fields: dict[str, Any], base: Contract | None = None, *, today: date | None = None
) -> Contract:
    """Build a contract from typed-in fields, on top of an existing one for edits. Empty strings clear optionals.

    With `today`, every date typed in must lie between EARLIEST_DAY and today (+ margin); dates the base
    already had are not checked again, so an old contract stays editable.
    """
    data: dict[str, Any] = base.model_dump() if base else {}
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, str):
            value = value.strip()
            if value == "" or value.lower() in {"none", "null", "-"}:
                data[key] = None if key not in MONEY_FIELDS else Decimal(0)
                continue
            if key in MONEY_FIELDS:
                value = parse_money(value, key)
            elif key in DATE_FIELDS:
                value = parse_date(value, key)
        if today is not None and key in DATE_FIELDS and isinstance(value, date):
            check_entry_day(value, key, today)
        data[key] = value
    if data.get("status") == "ended" and not data.get("ended") and base is not None and base.is_open:
        data["ended"] = max(base.last_activity, data.get("last_activity") or base.last_activity)
    data.setdefault("last_activity", data.get("ended") or data.get("started"))
    return parse_contract(data)
