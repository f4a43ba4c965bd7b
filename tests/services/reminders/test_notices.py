"""The DMs-closed notice: looked up after every command, in one trip to the database, never stale."""

from __future__ import annotations

import sqlite3

import pytest

from bot.services.reminders import ReminderService
from bot.store import LedgerStore
from tests.trips import database_thread_trips


async def test_dms_closed_notice_follows_the_flag_whoever_sets_it(store: LedgerStore) -> None:
    """The per-command notice lookup sees the flag as soon as anyone commits it."""
    reminders = ReminderService(store)
    assert await reminders.pending_notice("u") is None
    assert await reminders.pending_notice("u") is None
    with sqlite3.connect(store.path) as other:  # the reminder sender in another process found the DMs closed
        other.execute("INSERT INTO reminder_users (user_id, dm_notice, updated_at) VALUES ('u', 1, 'x')")
    notice = await reminders.pending_notice("u")
    assert notice is not None and notice.data["notice"] == "dm_closed"
    assert await reminders.pending_notice("someone else") is None
    await reminders.notice_shown("u")
    assert await reminders.pending_notice("u") is None


async def test_the_notice_check_after_a_command_makes_no_trip_to_the_database_thread(
    store: LedgerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each trip to aiosqlite's thread is a thread hand-off on the bot's event loop, after every command of
    every user; a user's first command used to make four (three to read the store's version, one for the flag),
    then one: on a SQLite file the flag is now read on the loop's own thread (`Database.fetch_small`)."""
    reminders = ReminderService(store)
    trips = database_thread_trips(monkeypatch)
    for user in ("first-time", "first-time", "another"):
        trips.clear()
        assert await reminders.pending_notice(user) is None
        assert trips == []
