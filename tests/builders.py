"""Small builders for contracts and ledgers in engine tests.

Every contract goes through `Contract.model_validate`, so a test can never build a contract the
ledger format would reject. Money is given as str/int and becomes Decimal (never float).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from scoring.model import Contract, Ledger

D = date.fromisoformat


def days(n: int) -> timedelta:
    return timedelta(days=n)


def ended(
    cid: str,
    end: date,
    *,
    client: str | None = None,
    earnings: str | int = 500,
    stars: float | None = 5.0,
    private: int | None = None,
    started: date | None = None,
    last_payment: date | None | str = "end",
    kind: str = "hourly",
    disputed: bool = False,
    refunded: str | int = 0,
    flagged: bool = False,
) -> Contract:
    """An ended contract; by default a $500 hourly job of 30 days, paid on its last day, 5 stars."""
    start = started if started is not None else end - days(30)
    paid = end if last_payment == "end" else last_payment
    return make(
        cid,
        client=client or f"Client {cid}",
        kind=kind,
        status="ended",
        started=start,
        ended=end,
        last_activity=end,
        last_payment=paid,
        earnings_usd=Decimal(str(earnings)),
        public_stars=stars,
        private_rating=private,
        disputed=disputed,
        refunded_usd=Decimal(str(refunded)),
        client_flagged=flagged,
    )


def open_contract(
    cid: str,
    *,
    started: date,
    last_activity: date | None = None,
    last_payment: date | None = None,
    earnings: str | int = 0,
    escrow: str | int = 0,
    kind: str = "hourly",
    status: str = "active",
    client: str | None = None,
    requests: Sequence[date] = (),
    submitted: date | None = None,
    disputed: bool = False,
    flagged: bool = False,
) -> Contract:
    """An open contract; last activity defaults to the last payment, else the start."""
    activity = last_activity or last_payment or started
    return make(
        cid,
        client=client or f"Client {cid}",
        kind=kind,
        status=status,
        started=started,
        last_activity=activity,
        last_payment=last_payment,
        earnings_usd=Decimal(str(earnings)),
        escrow_usd=Decimal(str(escrow)),
        close_requests=tuple(requests),
        milestone_submitted=submitted,
        disputed=disputed,
        client_flagged=flagged,
    )


def make(cid: str, **fields: Any) -> Contract:
    data: dict[str, Any] = {"id": cid, "title": f"Job {cid}", "client": f"Client {cid}"}
    data.update(fields)
    return Contract.model_validate(data)


def ledger(contracts: Iterable[Contract], as_of: date) -> Ledger:
    return Ledger(as_of=as_of, contracts=tuple(contracts))


def good_jobs(
    n: int,
    last_end: date,
    *,
    prefix: str = "g",
    earnings: str | int = 500,
    spacing_days: int = 7,
    length_days: int = 30,
) -> list[Contract]:
    """`n` ended 5-star jobs for `n` different clients, the newest ending on `last_end`."""
    return [
        ended(
            f"{prefix}{i}",
            last_end - days(spacing_days * i),
            earnings=earnings,
            started=last_end - days(spacing_days * i + length_days),
        )
        for i in range(n)
    ]
