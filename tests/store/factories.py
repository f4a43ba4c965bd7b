"""Test data for the store tests: contracts with every field set, and a deterministic clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from scoring.model import Contract


def make_contract(contract_id: str = "c1", **overrides: Any) -> Contract:
    """A valid open hourly contract; override any field."""
    data: dict[str, Any] = {
        "id": contract_id,
        "title": f"Project {contract_id}",
        "client": "Acme Ltd",
        "kind": "hourly",
        "status": "active",
        "started": date(2024, 1, 10),
        "last_activity": date(2024, 3, 1),
        "earnings_usd": Decimal("1500.00"),
    }
    data.update(overrides)
    return Contract.model_validate(data)


def full_contract(contract_id: str = "full-1") -> Contract:
    """Every optional field set, with awkward values (cents, zero rating, several close requests)."""
    return Contract(
        id=contract_id,
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
