"""Conversion between `Contract` and table rows, in one place so reads and writes cannot drift apart.

Money goes to INTEGER cents through Decimal arithmetic only (a float would turn 0.10 into
0.1000000000000000055); dates go to ISO text, which sorts chronologically and is what SQLite's date
functions understand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from scoring.model import Contract, explain_validation_error

from .errors import StoreError

# Column order shared by every SELECT and INSERT of a contract (after user_id).
CONTRACT_COLUMNS: tuple[str, ...] = (
    "contract_id",
    "title",
    "client",
    "kind",
    "status",
    "started",
    "ended",
    "last_activity",
    "last_payment",
    "earnings_cents",
    "escrow_cents",
    "milestone_submitted",
    "public_stars",
    "private_rating",
    "disputed",
    "refunded_cents",
    "client_flagged",
)

ContractRow = tuple[Any, ...]


def to_cents(amount: Decimal) -> int:
    """Exact cents; ValueError for sub-cent amounts (the model allows at most 2 decimal places)."""
    scaled = Decimal(amount).scaleb(2)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"amount {amount} has fractions of a cent")
    return int(scaled)


def from_cents(cents: int) -> Decimal:
    """Cents back to dollars with exactly two decimal places (1250 -> Decimal('12.50'))."""
    return Decimal(int(cents)).scaleb(-2)


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def contract_to_row(contract: Contract) -> ContractRow:
    """The column values for CONTRACT_COLUMNS (close requests are stored in their own table)."""
    return (
        contract.id,
        contract.title,
        contract.client,
        str(contract.kind),
        str(contract.status),
        contract.started.isoformat(),
        _iso(contract.ended),
        contract.last_activity.isoformat(),
        _iso(contract.last_payment),
        to_cents(contract.earnings_usd),
        to_cents(contract.escrow_usd),
        _iso(contract.milestone_submitted),
        None if contract.public_stars is None else float(contract.public_stars),
        contract.private_rating,
        int(bool(contract.disputed)),
        to_cents(contract.refunded_usd),
        int(bool(contract.client_flagged)),
    )


def request_dates(contract: Contract) -> tuple[str, ...]:
    """Close-request dates as stored: ISO text, sorted and unique (as the model keeps them)."""
    return tuple(sorted({d.isoformat() for d in contract.close_requests}))


def split_requests(joined: str | None) -> tuple[str, ...]:
    """The `group_concat` of a contract's close requests back to sorted ISO dates."""
    return tuple(sorted(joined.split(","))) if joined else ()


def row_to_contract(row: ContractRow, requests: tuple[str, ...]) -> Contract:
    """Rebuild a validated Contract; a row the model rejects means the file was damaged or hand-edited."""
    values = dict(zip(CONTRACT_COLUMNS, row, strict=True))
    data = {
        "id": values["contract_id"],
        "title": values["title"],
        "client": values["client"],
        "kind": values["kind"],
        "status": values["status"],
        "started": values["started"],
        "ended": values["ended"],
        "last_activity": values["last_activity"],
        "last_payment": values["last_payment"],
        "earnings_usd": from_cents(values["earnings_cents"]),
        "escrow_usd": from_cents(values["escrow_cents"]),
        "milestone_submitted": values["milestone_submitted"],
        "public_stars": values["public_stars"],
        "private_rating": values["private_rating"],
        "disputed": bool(values["disputed"]),
        "refunded_usd": from_cents(values["refunded_cents"]),
        "client_flagged": bool(values["client_flagged"]),
        "close_requests": requests,
    }
    try:
        return Contract.model_validate(data)
    except ValidationError as exc:
        raise StoreError(
            f"stored contract '{values['contract_id']}' is damaged ({explain_validation_error(exc)}); "
            "re-import your ledger to repair it"
        ) from None
