"""The shared Database: no statement left open, stores sharing one connection, and the store's import boundary."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from aiosqlite import cursor as aiosqlite_cursor

from bot.reminders.kinds import ReminderKind
from bot.reminders.rules import DueReminder
from bot.reminders.timing import DeliveryWindow
from bot.store import Database, LedgerStore, StoreError
from bot.store.reminder_store import ReminderStore
from scoring.model import Ledger
from tests.builders import FakeClock, make_contract

A = "111111111111111111"
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
STORE_DIR = Path(__file__).resolve().parents[2] / "bot" / "store"


@pytest.fixture
def cursors_kept_alive(monkeypatch: pytest.MonkeyPatch) -> list[aiosqlite_cursor.Cursor]:
    """Keep a reference to every cursor the store creates, as an in-process Discord simulator once did.

    A cursor whose statement returned a row and was never read to the end keeps that statement "in
    progress" while it is referenced, and SQLite then refuses every COMMIT on the connection."""
    kept: list[aiosqlite_cursor.Cursor] = []
    original = aiosqlite_cursor.Cursor.__init__

    def remember(self: aiosqlite_cursor.Cursor, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        kept.append(self)

    monkeypatch.setattr(aiosqlite_cursor.Cursor, "__init__", remember)
    return kept


async def test_no_statement_stays_open_after_opening_or_any_operation(
    tmp_path: Path, cursors_kept_alive: list[aiosqlite_cursor.Cursor]
) -> None:
    async with await LedgerStore.open(tmp_path / "ledger.db", clock=FakeClock()) as store:
        assert cursors_kept_alive  # the patch is in effect
        await store.add_contract(A, make_contract("c1"))
        await store.import_ledger(A, Ledger(contracts=(make_contract("c2"),)), "merge")
        await store.update_settings(A, reminders_enabled=True, timezone="UTC")
        await store.record_snapshot(A, date(2026, 3, 1), 93)
        await store.set_forum_channel("guild", "channel")
        assert await store.get_forum_channel("guild") == "channel"
        assert await store.list_snapshots(A) == [(date(2026, 3, 1), 93)]
        await store.version()
        reminders = ReminderStore(store.database, DeliveryWindow.of, ledger=store)
        ticket = await reminders.ticket(A)
        settings = await store.get_settings(A)
        due = [DueReminder(ReminderKind.FEEDBACK, "c1", NOW.date(), {"title": "c1"})]
        await reminders.sync(ticket, settings, due, NOW, None, NOW.date())
        [claim], _ = await reminders.claim_due(NOW + timedelta(days=1), 5, timedelta(minutes=5))
        assert await reminders.mark_sent(claim, "m1", NOW + timedelta(days=1))
        assert await reminders.snooze(A, claim.reminder.id, NOW + timedelta(days=8), NOW + timedelta(days=1))
        assert await store.forget_user(A) > 0
        assert not store.database.connection().in_transaction


async def test_open_leaves_the_connection_outside_any_transaction(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "ledger.db") as database:
        assert not database.connection().in_transaction
        async with database.write() as db:
            await db.execute("INSERT INTO users (user_id, created_at) VALUES ('u', 'now')")
        assert not database.connection().in_transaction


async def test_stores_share_one_database_and_queue_writes_do_not_touch_the_ledger_generation(tmp_path: Path) -> None:
    async with await LedgerStore.open(tmp_path / "ledger.db", clock=FakeClock()) as store:
        reminders = ReminderStore(store.database, DeliveryWindow.of)
        await store.add_contract(A, make_contract("c1"))
        generation = store.generation
        assert await reminders.set_kinds(A, [], [ReminderKind.FEEDBACK], NOW) == {"feedback"}
        assert await reminders.kinds_off(A) == {ReminderKind.FEEDBACK}
        assert store.generation == generation  # bookkeeping, not a ledger change
        with pytest.raises(StoreError, match="without a ledger"):
            _ = reminders.ledger
        with sqlite3.connect(store.path) as conn:
            assert conn.execute("SELECT kind FROM reminder_kinds_off").fetchall() == [("feedback",)]
