"""The DMs-closed notice: remembered per command, but never past a commit that changes the flag."""

from __future__ import annotations

import sqlite3

from bot.services.reminders import ReminderService
from bot.store import LedgerStore


async def test_dms_closed_notice_follows_the_flag_whoever_sets_it(store: LedgerStore) -> None:
    """The per-command notice lookup is remembered, but never past a commit that changes the flag."""
    reminders = ReminderService(store)
    assert await reminders.pending_notice("u") is None
    assert await reminders.pending_notice("u") is None  # remembered
    with sqlite3.connect(store.path) as other:  # the reminder sender in another process found the DMs closed
        other.execute("INSERT INTO reminder_users (user_id, dm_notice, updated_at) VALUES ('u', 1, 'x')")
    notice = await reminders.pending_notice("u")
    assert notice is not None and notice.data["notice"] == "dm_closed"
    assert await reminders.pending_notice("someone else") is None
    await reminders.notice_shown("u")
    assert await reminders.pending_notice("u") is None
