"""The store's version sees every commit, and remembered lookups follow it (the answer cache itself:
tests/services/test_cache.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.services.reminders import ReminderService
from bot.store import LedgerStore


async def test_store_version_sees_every_commit_without_a_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    store = await LedgerStore.open(db)
    try:
        start = await store.version()
        assert await store.version() == start  # nothing happened
        with sqlite3.connect(db) as other:  # another process, written with plain sqlite3
            other.execute("INSERT INTO guild_settings (guild_id, forum_channel_id, updated_at) VALUES ('1', '2', 'x')")
        moved = await store.version()
        assert moved != start
        await store.set_forum_channel("3", "4")  # and our own commits
        assert await store.version() not in (start, moved)
    finally:
        await store.close()
    memory = await LedgerStore.open(":memory:")  # no second connection can see it: the generation decides
    try:
        before = await memory.version()
        await memory.set_forum_channel("3", "4")
        assert await memory.version() != before
    finally:
        await memory.close()


async def test_dms_closed_notice_follows_the_flag_whoever_sets_it(tmp_path: Path) -> None:
    """The per-command notice lookup is remembered, but never past a commit that changes the flag."""
    db = tmp_path / "n.db"
    store = await LedgerStore.open(db)
    try:
        reminders = ReminderService(store)
        assert await reminders.pending_notice("u") is None
        assert await reminders.pending_notice("u") is None  # remembered
        with sqlite3.connect(db) as other:  # the reminder sender in another process found the DMs closed
            other.execute("INSERT INTO reminder_users (user_id, dm_notice, updated_at) VALUES ('u', 1, 'x')")
        notice = await reminders.pending_notice("u")
        assert notice is not None and notice.data["notice"] == "dm_closed"
        assert await reminders.pending_notice("someone else") is None
        await reminders.notice_shown("u")
        assert await reminders.pending_notice("u") is None
    finally:
        await store.close()
