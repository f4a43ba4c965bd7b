"""The per-user contract cap: adding, JSON imports and CSV imports refuse to pass it, naming the limit,
and change nothing. The cap is lowered here (one place holds it: ledger.MAX_CONTRACTS_PER_USER)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import pytest

from bot.services import ServiceError, Services
from bot.services import ledger as ledger_service
from bot.store import LedgerStore
from tests.builders import ledger_json, make
from tests.samples import FREELANCER, sample

DAY = "2025-01-06"
MORE = {"last_activity": DAY, "earnings_usd": "100"}


def job(cid: str) -> Any:
    return make(cid, kind="hourly", status="ended", started=DAY, ended=DAY, last_activity=DAY, earnings_usd=100)


def fields(cid: str) -> dict[str, Any]:
    return {"id": cid, "title": cid, "client": "Acme", "kind": "hourly", "status": "active", "started": DAY, **MORE}


async def refused(awaitable: Awaitable[Any], limit: int, total: int) -> None:
    with pytest.raises(ServiceError) as caught:
        await awaitable
    answer = caught.value.answer
    assert answer.data["error"] == "bad_input"
    assert f"A ledger holds at most {limit} contracts; this would make {total}." in answer.data["message"]


@pytest.fixture
def cap_of_8(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(ledger_service, "MAX_CONTRACTS_PER_USER", 8)
    return 8


def test_the_real_cap_is_far_above_any_freelancer() -> None:
    assert ledger_service.MAX_CONTRACTS_PER_USER == 5_000


async def test_adding_past_the_cap_is_refused(loaded: Services, store: LedgerStore, cap_of_8: int) -> None:
    assert await store.count_contracts("u1") == 8  # the sample ledger: at the cap
    await refused(loaded.ledger.add_contract("u1", fields("one-more")), cap_of_8, 9)
    assert await store.count_contracts("u1") == 8
    await loaded.ledger.remove_contract("u1", "scraper")
    await loaded.ledger.add_contract("u1", fields("one-more"))  # room for one again
    assert await store.count_contracts("u1") == 8


async def test_a_json_import_past_the_cap_is_refused(loaded: Services, store: LedgerStore, cap_of_8: int) -> None:
    extra = ledger_json([job("extra-1"), job("extra-2")])
    await refused(loaded.ledger.import_ledger("u1", extra), cap_of_8, 10)
    assert await store.count_contracts("u1") == 8
    # Merging ids already stored adds nothing; replacing counts the file alone.
    await loaded.ledger.import_ledger("u1", FREELANCER.read_bytes())
    await loaded.ledger.import_ledger("u1", extra, "replace")
    assert await store.count_contracts("u1") == 2
    too_many = ledger_json([job(f"job-{n}") for n in range(9)])
    await refused(loaded.ledger.import_ledger("u1", too_many, "replace"), cap_of_8, 9)
    assert await store.count_contracts("u1") == 2


async def test_a_csv_import_past_the_cap_is_refused(
    advisor: Services, store: LedgerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_service, "MAX_CONTRACTS_PER_USER", 6)
    await advisor.ledger.add_contract("dana", fields("own-1"))
    await advisor.ledger.add_contract("dana", fields("own-2"))
    exports = [sample("transactions.csv"), sample("weekly.csv")]  # 5 contracts
    await refused(advisor.imports.import_csv("dana", exports), 6, 7)
    assert await store.count_contracts("dana") == 2  # all or nothing
    await advisor.ledger.remove_contract("dana", "own-2")
    assert (await advisor.imports.import_csv("dana", exports)).summary.added == 5
