"""Cached advice never outlives a change to the data, whoever makes it."""

from __future__ import annotations

from pathlib import Path

from bot.clock import FixedClock
from bot.services import build_services
from bot.store import LedgerStore
from tests.samples import AS_OF, FREELANCER


async def test_advice_is_recomputed_after_any_commit(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    store = await LedgerStore.open(db)
    other = await LedgerStore.open(db)  # another process's connection, e.g. the console
    try:
        services = build_services(store, clock=FixedClock.on(AS_OF))
        answers = services.answers
        await services.ledger.import_ledger("u", FREELANCER.read_bytes())
        first = await answers.advise("u", "silent-client")
        assert await answers.advise("u", "silent-client") is first  # unchanged data: the same answer
        await services.ledger.asked_client("u", "silent-client", AS_OF)  # a write through this store
        second = await answers.advise("u", "silent-client")
        assert second is not first and second.data["close_requests"] == first.data["close_requests"] + 1
        before = await answers.what_if("u", "retainer")
        assert await answers.what_if("u", "retainer") is before
        await other.remove_contract("u", "silent-client")  # a write through another connection
        after = await answers.what_if("u", "retainer")
        assert after is not before  # SQLite's data_version told this connection
    finally:
        await other.close()
        await store.close()


async def test_the_cache_is_bounded(tmp_path: Path) -> None:
    async with await LedgerStore.open(tmp_path / "b.db") as store:
        services = build_services(store, clock=FixedClock.on(AS_OF))
        services.answers.cache.size = 2
        await services.ledger.import_ledger("u", FREELANCER.read_bytes())
        first = await services.answers.advise("u", "silent-client")
        await services.answers.advise("u", "retainer")
        await services.answers.what_if("u", "retainer")  # the oldest (first) goes
        assert await services.answers.advise("u", "silent-client") is not first
