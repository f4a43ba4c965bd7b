"""Cached advice never outlives a change to the data, whoever makes it."""

from __future__ import annotations

from pathlib import Path

from bot.services import AdvisorService
from bot.store import LedgerStore

from . import AS_OF, FREELANCER


async def test_advice_is_recomputed_after_any_commit(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    store = await LedgerStore.open(db)
    other = await LedgerStore.open(db)  # another process's connection, e.g. the console
    try:
        service = AdvisorService(store, today=lambda: AS_OF)
        await service.import_ledger("u", FREELANCER.read_bytes())
        first = await service.advise("u", "silent-client")
        assert await service.advise("u", "silent-client") is first  # unchanged data: the same answer
        await service.asked_client("u", "silent-client", AS_OF)  # a write through this store
        second = await service.advise("u", "silent-client")
        assert second is not first and second.data["close_requests"] == first.data["close_requests"] + 1
        before = await service.what_if("u", "retainer")
        assert await service.what_if("u", "retainer") is before
        await other.remove_contract("u", "silent-client")  # a write through another connection
        after = await service.what_if("u", "retainer")
        assert after is not before  # SQLite's data_version told this connection
    finally:
        await other.close()
        await store.close()
