"""The store's version sees every commit, from this process or another (the answer cache that follows it:
tests/services/test_cache.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store import LedgerStore
from tests.store.conftest import sqlite_only
from tests.trips import database_thread_trips


async def test_store_version_sees_every_commit_without_a_round_trip(store: LedgerStore, db_path: Path) -> None:
    sqlite_only(store)
    start = await store.version()
    assert await store.version() == start  # nothing happened
    with sqlite3.connect(db_path) as other:  # another process, written with plain sqlite3
        other.execute("INSERT INTO guild_settings (guild_id, forum_channel_id, updated_at) VALUES ('1', '2', 'x')")
    moved = await store.version()
    assert moved != start
    await store.set_forum_channel("3", "4")  # and our own commits
    assert await store.version() not in (start, moved)


async def test_store_version_sees_another_processes_commits(store: LedgerStore, target: str | Path) -> None:
    """Another process's store on the same database (on PostgreSQL: its own pool, so its own connections)."""
    start = await store.version()
    assert await store.version() == start
    async with await LedgerStore.open(target) as other:
        await other.set_forum_channel("1", "2")
        moved = await store.version()
        assert moved != start
        await store.set_forum_channel("3", "4")  # and our own commits
        assert await store.version() not in (start, moved)
        assert await other.version() != (0, 0)


async def test_an_in_memory_store_counts_its_own_commits() -> None:
    memory = await LedgerStore.open(":memory:")  # no second connection can see it: the generation decides
    try:
        before = await memory.version()
        await memory.set_forum_channel("3", "4")
        assert await memory.version() != before
    finally:
        await memory.close()


async def test_reading_the_version_is_one_trip_to_the_connections_thread(
    store: LedgerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every /advise reads it (the answer cache); each trip to aiosqlite's thread is a hand-off on the event
    loop (it was three: execute, fetch, close the cursor)."""
    sqlite_only(store)
    trips = database_thread_trips(monkeypatch)
    start = await store.version()
    assert len(trips) == 1, trips
    await store.set_forum_channel("3", "4")
    trips.clear()
    assert await store.version() != start and len(trips) == 1, trips
