"""Contracts, ledgers and a clock for every test folder.

Every contract goes through `make`, i.e. `Contract.model_validate`, so a test can never build a contract
the ledger format would reject. Money is given as str/int/Decimal and becomes Decimal (never float).

- engine style, absolute dates: `ended`, `open_contract`, `good_jobs`, `ledger`;
- relative to a day ("idle N days"), as the reminder tests read: `open_hourly`, `funded_fixed`,
  `ended_days_ago`, `top_rated_at_risk`;
- store style, every field fixed: `make_contract`, `full_contract`, and the stepping `FakeClock`;
- `ledger_json`: a ledger in the interchange format, as users upload it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from scoring.model import Contract, Ledger, ledger_to_json_data

D = date.fromisoformat


def days(n: int) -> timedelta:
    return timedelta(days=n)


def days_before(day: date, n: int) -> date:
    return day - timedelta(days=n)


def make(cid: str, **fields: Any) -> Contract:
    """A contract with id `cid`, titled "Job <cid>" for "Client <cid>" unless `fields` say otherwise."""
    data: dict[str, Any] = {"id": cid, "title": f"Job {cid}", "client": f"Client {cid}"}
    data.update(fields)
    return Contract.model_validate(data)


def ledger(contracts: Iterable[Contract], as_of: date | None = None) -> Ledger:
    return Ledger(as_of=as_of, contracts=tuple(contracts))


def ledger_json(contracts: Ledger | Iterable[Contract]) -> str:
    """The ledger file a user would upload (`jss-ledger/1`)."""
    whole = contracts if isinstance(contracts, Ledger) else ledger(contracts)
    return json.dumps(ledger_to_json_data(whole))


# -- engine style: absolute dates ------------------------------------------------------------------------


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
    """A contract that ended on `end`; by default a $500 hourly job of 30 days, paid on its last day, 5 stars."""
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


# -- relative to a day: "idle N days", "ended N days ago" ------------------------------------------------


def open_hourly(
    cid: str, today: date, idle: int, *, asked: tuple[int, ...] = (), started: int = 400, **extra: Any
) -> Contract:
    """An open $800 hourly contract last active `idle` days before `today`, asked `asked` days before it."""
    last = days_before(today, idle)
    fields: dict[str, Any] = {
        "title": f"Project {cid}",
        "kind": "hourly",
        "status": "active",
        "started": days_before(today, started),
        "last_activity": last,
        "last_payment": last,
        "earnings_usd": "800",
        "close_requests": [days_before(today, a) for a in asked],
    }
    return make(cid, **{**fields, **extra})


def funded_fixed(cid: str, today: date, idle: int, **extra: Any) -> Contract:
    """An open fixed-price contract with $300 in escrow, idle `idle` days before `today` (started 30 before)."""
    last = days_before(today, idle)
    fields: dict[str, Any] = {
        "title": f"Milestone {cid}",
        "kind": "fixed",
        "status": "active",
        "started": days_before(today, idle + 30),
        "last_activity": last,
        "earnings_usd": "300",
        "escrow_usd": "300",
    }
    return make(cid, **{**fields, **extra})


def ended_days_ago(
    cid: str,
    today: date,
    ago: int,
    *,
    stars: float | None = 5.0,
    usd: str = "900",
    length: int = 100,
    asked: tuple[int, ...] = (),
) -> Contract:
    """A $900 hourly job of `length` days that ended `ago` days before `today`, paid on its last day."""
    end = days_before(today, ago)
    return make(
        cid,
        kind="hourly",
        status="ended",
        started=end - timedelta(days=length),
        ended=end,
        last_activity=end,
        last_payment=end,
        earnings_usd=usd,
        public_stars=stars,
        close_requests=[days_before(today, a) for a in asked],
    )


def top_rated_at_risk(today: date) -> list[Contract]:
    """Six 5-star jobs over the last year, then a large 1-star job that ended 3 days ago: the JSS fell
    below 90 three days ago while 15 of the last 16 weeks are still eligible."""
    goods = [ended_days_ago(f"g{i}", today, 200 - 20 * i, length=100) for i in range(6)]
    return [*goods, ended_days_ago("bad", today, 3, stars=1.0, usd="3000", length=57)]


# -- store style: fixed dates, every field ---------------------------------------------------------------


def make_contract(contract_id: str = "c1", **overrides: Any) -> Contract:
    """A valid open hourly contract of Acme Ltd (2024); override any field."""
    fields: dict[str, Any] = {
        "title": f"Project {contract_id}",
        "client": "Acme Ltd",
        "kind": "hourly",
        "status": "active",
        "started": date(2024, 1, 10),
        "last_activity": date(2024, 3, 1),
        "earnings_usd": Decimal("1500.00"),
    }
    return make(contract_id, **{**fields, **overrides})


def full_contract(contract_id: str = "full-1") -> Contract:
    """Every optional field set, with awkward values (cents, zero rating, several close requests)."""
    return make(
        contract_id,
        title="Dashboard — phase 2 (ÄÖÜ, 日本)",
        client="Globex & Sons",
        kind="fixed",
        status="ended",
        started=date(2023, 2, 28),
        ended=date(2024, 2, 29),
        last_activity=date(2024, 2, 29),
        last_payment=date(2024, 2, 1),
        earnings_usd=Decimal("123456789.99"),
        escrow_usd=Decimal("0.01"),
        milestone_submitted=date(2024, 1, 31),
        public_stars=4.65,
        private_rating=0,
        disputed=True,
        refunded_usd=Decimal("0.10"),
        client_flagged=True,
        close_requests=(date(2023, 12, 1), date(2023, 11, 15), date(2024, 1, 2)),
    )


class FakeClock:
    """A `bot.clock.Clock` whose every `now()` is one second after the last, so audit order is deterministic."""

    def __init__(self, start: datetime | None = None) -> None:
        self.last = start or datetime(2025, 1, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        self.last += timedelta(seconds=1)
        return self.last

    def today(self) -> date:
        return self.last.date()

    async def sleep_until(self, deadline: datetime | None, wake: asyncio.Event) -> None:
        return None
