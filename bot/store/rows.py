"""Conversion between `Contract` and table rows, in one place so reads and writes cannot drift apart.

Money goes to INTEGER cents through Decimal arithmetic only (a float would turn 0.10 into
0.1000000000000000055); dates go to ISO text, which sorts chronologically and is what SQLite's date
functions understand.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from scoring.model import (
    CONTRACT_ID_PATTERN,
    EARLIEST_DAY,
    LATEST_DAY,
    Contract,
    ContractKind,
    ContractStatus,
    explain_validation_error,
)

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


_match_id = re.compile(CONTRACT_ID_PATTERN).match
_MAX_CENTS = 10**14 - 1  # Money: at most 14 digits, 2 of them decimals
_KINDS = {kind.value: kind for kind in ContractKind}
_STATUSES = {status.value: status for status in ContractStatus}
_FIELDS = frozenset(Contract.model_fields)
_ENDED = ContractStatus.ENDED


def stored_row_to_contract(row: ContractRow, requests: tuple[str, ...]) -> Contract:
    """`row_to_contract` for a row of SQLite's `contracts` table, built without pydantic's validation: the
    same Contract (tests/store/test_stored_rows.py compares them) in half the time.

    Why: an engine worker rebuilds every contract of the ledger for each answer, and validating them was a
    fifth of a first /advise's work. What it would check is guaranteed already: every value was validated on
    its way in (imports, forms, edits) and the table's CHECK constraints hold the types, enums, lengths and
    date formats even against a hand edit. What they do not hold (the id's characters, surrounding spaces,
    days within the model's range and in order, at most 14 digits of money) is checked here; a row failing
    any of it goes to `row_to_contract`, which names what is wrong."""
    contract = _trusted(row, requests)
    return contract if contract is not None else row_to_contract(row, requests)


def _trusted(row: ContractRow, requests: tuple[str, ...]) -> Contract | None:
    """The Contract of a well-formed stored row, or None (a reason to validate it the slow way).

    Each date is parsed once and amounts come from `_money` (a worker rebuilds a whole ledger per answer).
    The day range is checked through the order the row must have anyway (every day after the start, the
    start after EARLIEST_DAY): the same verdict as min/max over all its days, without building their list."""
    try:
        (cid, title, client, kind, status, started, ended, last_activity, last_payment, earnings, escrow,
         submitted, stars, rating, disputed, refunded, flagged) = row  # fmt: skip
        start = _day(started)
        activity = _day(last_activity)
        end = None if ended is None else _day(ended)
        payment = None if last_payment is None else _day(last_payment)
        sent = None if submitted is None else _day(submitted)
        asked = tuple(sorted({_day(d) for d in requests})) if requests else ()
        state = _STATUSES[status]
        if (
            _match_id(cid) is None
            or title != title.strip()
            or client != client.strip()
            or "\x00" in title
            or "\x00" in client
            or start < EARLIEST_DAY
            or activity < start
            or activity > LATEST_DAY
            or (end is not None and (end < start or end > LATEST_DAY))
            or (payment is not None and (payment < start or payment > LATEST_DAY))
            or (sent is not None and (sent < EARLIEST_DAY or sent > LATEST_DAY))
            or (asked and (asked[0] < EARLIEST_DAY or asked[-1] > LATEST_DAY))
            or (state is _ENDED) != (end is not None)
            or earnings > _MAX_CENTS
            or escrow > _MAX_CENTS
            or refunded > _MAX_CENTS
        ):
            return None
        values = {
            "id": cid,
            "title": title,
            "client": client,
            "kind": _KINDS[kind],
            "status": state,
            "started": start,
            "ended": end,
            "last_activity": activity,
            "last_payment": payment,
            "earnings_usd": _money(earnings),
            "escrow_usd": _money(escrow),
            "milestone_submitted": sent,
            "public_stars": None if stars is None else float(stars),
            "private_rating": rating,
            "disputed": bool(disputed),
            "refunded_usd": _money(refunded),
            "client_flagged": bool(flagged),
            "close_requests": asked,
        }
    except (TypeError, ValueError, KeyError):  # bytes or numbers where text belongs, a bad day
        return None
    return _built(values)


_day = date.fromisoformat
_MONEY: dict[int, Decimal] = {}  # cents -> from_cents(cents): Decimals are immutable, so one is shared
_MONEY_KEPT = 4096  # bound: a worker lives long; amounts repeat (0 above all), so a few thousand suffice


def _money(cents: int) -> Decimal:
    """`from_cents(cents)`, kept for the amounts seen most (0, round sums): a third of a row's conversion."""
    amount = _MONEY.get(cents) if type(cents) is int else None
    if amount is None:
        amount = from_cents(cents)
        if type(cents) is int and len(_MONEY) < _MONEY_KEPT:
            _MONEY[cents] = amount
    return amount


def _built(values: dict[str, Any]) -> Contract:
    """A Contract holding `values` (every field, already of its type), as `Contract.model_construct` would
    make it, without its per-field bookkeeping (half the cost of building a contract this way)."""
    contract = Contract.__new__(Contract)
    object.__setattr__(contract, "__dict__", values)
    object.__setattr__(contract, "__pydantic_fields_set__", set(_FIELDS))
    object.__setattr__(contract, "__pydantic_extra__", None)
    object.__setattr__(contract, "__pydantic_private__", None)
    return contract
