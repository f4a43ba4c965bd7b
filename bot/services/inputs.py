"""Lenient parsing of what people type (money with $ and commas, dates) into the strict domain model."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from scoring.model import Contract, LedgerError, parse_contract

_MONEY = re.compile(r"^\$?\s*(-?[0-9][0-9,]*(?:\.[0-9]{1,2})?|-?\.[0-9]{1,2})\s*(?:usd)?$", re.IGNORECASE)


def parse_money(text: str | int | Decimal, field: str = "amount") -> Decimal:
    """'$1,200.50' -> Decimal('1200.50'); never through float."""
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
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


def parse_date(text: str | date, field: str = "date") -> date:
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise LedgerError(f"field '{field}': '{text[:40]}' is not a date as YYYY-MM-DD") from None


MONEY_FIELDS = ("earnings_usd", "escrow_usd", "refunded_usd")
DATE_FIELDS = ("started", "ended", "last_activity", "last_payment", "milestone_submitted")


def contract_from_fields(fields: dict[str, Any], base: Contract | None = None) -> Contract:
    """Build a contract from typed-in fields, on top of an existing one for edits. Empty strings clear optionals."""
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
        data[key] = value
    if data.get("status") == "ended" and not data.get("ended") and base is not None and base.is_open:
        data["ended"] = max(base.last_activity, data.get("last_activity") or base.last_activity)
    data.setdefault("last_activity", data.get("ended") or data.get("started"))
    return parse_contract(data)
