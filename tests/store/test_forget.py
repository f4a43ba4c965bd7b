"""Forget-me: every row of the user counted and deleted, and their text gone from the file bytes while the store
is still open (a bot keeps it open for weeks): not in the database, not in the -wal, not in the -shm."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.reminders.kinds import ReminderKind
from bot.reminders.rules import DueReminder
from bot.reminders.timing import DeliveryWindow
from bot.store import LedgerStore
from bot.store.models import StoredPayment
from bot.store.reminder_store import ReminderStore
from scoring.model import Contract, Ledger
from tests.builders import make_contract

A = "111111111111111111"
B = "222222222222222222"
SECRET = "Zanzibar-Quokka-7731"  # a title that appears nowhere else in the file
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Payment:
    contract_id: str
    export_kind: str
    key: str
    category: str
    amount_cents: int
    payment_kind: str | None = None


def user_tables(path: Path) -> list[str]:
    """Every table with a user_id column, read from the schema (so a new table cannot be forgotten)."""
    with sqlite3.connect(path) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [
            name for name in names if any(col[1] == "user_id" for col in conn.execute(f"PRAGMA table_info({name})"))
        ]


def rows_of(path: Path, user: str) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t} WHERE user_id = ?", (user,)).fetchone()[0]
            for t in user_tables(path)
        }
    finally:
        conn.close()
    return {table: count for table, count in counts.items() if count}


async def fill(store: LedgerStore, user: str, title: str) -> None:
    """Rows in every table a user can have: contracts, requests, settings, scores, payments, audit, reminders."""
    await store.add_contract(user, make_contract("c1", title=title, close_requests=(date(2024, 2, 1),)))
    await store.add_contract(user, make_contract("c2", title=title + " two"))
    await store.update_settings(user, reminders_enabled=True, timezone="UTC")
    await store.record_snapshot(user, date(2026, 3, 1), 93)

    def derive(
        existing: list[Contract], counted: dict[tuple[str, str], StoredPayment]
    ) -> tuple[Ledger, list[Payment], None]:
        return Ledger(), [Payment("c1", "transactions", "k" * 64, "earning", 1234)], None

    await store.import_derived(user, derive)
    reminders = ReminderStore(store.database, DeliveryWindow.of, ledger=store)
    await reminders.set_kinds(user, [], [ReminderKind.DORMANCY], NOW)
    ticket = await reminders.ticket(user)
    settings = await store.get_settings(user)
    due = [DueReminder(ReminderKind.FEEDBACK, "c1", NOW.date() + timedelta(days=3), {"title": title})]
    await reminders.sync(ticket, settings, due, NOW, None, NOW.date())


def file_bytes(path: Path) -> bytes:
    return b"".join(
        side.read_bytes()
        for side in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
        if side.exists()
    )


async def test_forget_counts_every_row_it_deletes_reminders_included(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    async with await LedgerStore.open(path) as store:
        await fill(store, A, SECRET)
        await fill(store, B, "Other user")
        before = rows_of(path, A)
        assert {"reminders", "reminder_users", "reminder_kinds_off", "imported_payments"} <= set(before)
        b_before = rows_of(path, B)

        assert await store.forget_user(A) == sum(before.values())
        assert rows_of(path, A) == {}
        assert rows_of(path, B) == b_before
        assert await store.forget_user(A) == 0


async def test_forgotten_text_is_in_no_file_byte_while_the_store_stays_open(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    async with await LedgerStore.open(path) as store:
        await fill(store, A, SECRET)
        await fill(store, B, "Other user")
        assert SECRET.encode() in file_bytes(path)  # the premise: it was written

        await store.forget_user(A)
        assert SECRET.encode() not in file_bytes(path)
        assert [c.title for c in await store.list_contracts(B)] == ["Other user", "Other user two"]
