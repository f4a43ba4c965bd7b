"""Copying a whole database to another backend (`bot/store/transfer.py`, `jss-advisor migrate`): nothing lost,
all or nothing, on a realistic set of ledgers (several users, reminders in every state, settings, history,
CSV imports with a refund waiting and guided-run questions) and on an empty file; and back again."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.reminders.kinds import ReminderKind
from bot.reminders.rules import DueReminder
from bot.reminders.timing import DeliveryWindow
from bot.render import OutputFormat
from bot.services import open_services
from bot.services.reminders.planner import replan_user
from bot.store import Database, LedgerStore
from bot.store.reminder_store import ReminderStore
from bot.store.transfer import (
    NOT_COPIED,
    TABLES,
    TargetNotEmptyError,
    TransferError,
    copy_database,
)
from tests.pg import query, run_async
from tests.samples import FREELANCER, HOSTILE, NEWCOMER, sample

NOW = datetime(2026, 11, 23, 15, tzinfo=UTC)
USERS = ("alice", "bob", "carol", "dave", "hostile")
STATES = {"pending", "sending", "sent", "cancelled", "held", "failed"}


def _csv_halves() -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    """The Transaction History sample as two downloads (older, newer): the newer one's refund names a payment
    only the older one holds, so importing the newer alone leaves a refund waiting (`pending_refunds`)."""
    text = sample("transactions.csv")[1].decode("utf-8-sig")
    header, *rows = [line for line in text.splitlines() if line.strip()]
    newer = [r for r in rows if r.startswith(tuple(f'"{m}' for m in ("Oct 16", "Oct 2", "Oct 3", "Nov")))]
    older = [r for r in rows if r not in newer]
    return ("older.csv", "\n".join([header, *older]).encode()), ("newer.csv", "\n".join([header, *newer]).encode())


async def fill(where: str | Path) -> None:
    """A realistic database, written through the services and stores (raw SQL only for the reminder states a
    test cannot reach by the clock alone: held and failed)."""
    clock = FixedClock(NOW)
    async with await open_services(where, OutputFormat.CONSOLE, clock=clock) as services:
        store = services.context.store
        await services.ledger.import_ledger("alice", FREELANCER.read_bytes())
        await services.ledger.import_ledger("bob", NEWCOMER.read_bytes())
        await services.ledger.import_ledger("hostile", HOSTILE.read_bytes())
        await services.ledger.asked_client("alice", "silent-client", date(2026, 2, 1))
        await services.history.record_score("alice", 96, date(2026, 1, 10))
        await services.history.record_score("alice", 89, date(2026, 2, 10))
        await store.update_settings("alice", reminders_enabled=True, timezone="America/New_York")
        await store.update_settings("alice", quiet_start="22:00", quiet_end="07:00", send_time="10:30")
        await store.update_settings("bob", timezone="Europe/Berlin", cadence="biweekly")
        await store.set_forum_channel("123456789012345678", "876543210987654321")
        await store.set_forum_channel("223456789012345678", None)
        # carol: Upwork CSVs, the newer download first (a refund waits), then the guided questions, one answered
        newer = _csv_halves()[1]
        await services.onboarding.import_files("carol", [newer])
        [first, *_] = [c.id for c in await store.list_contracts("carol")]
        await services.onboarding.choose("carol", first, "asked")
        await services.imports.import_csv("dave", [sample("transactions.csv"), sample("weekly.csv")])
        await store.update_settings("carol", reminders_enabled=True)
        await store.update_settings("dave", reminders_enabled=True, timezone="Asia/Kolkata")
        reminders = ReminderStore(store.database, DeliveryWindow.of, ledger=store)
        await reminders.set_kinds("carol", [], ["top_rated"], NOW)
        for user in ("alice", "carol", "dave"):
            await replan_user(reminders, user, NOW)
        claims, _ = await reminders.claim_due(NOW + timedelta(days=400), 3, timedelta(minutes=5))
        assert len(claims) == 3
        await reminders.mark_sent(claims[0], "1300000000000000001", NOW)  # claims[1:] stay "sending"
    # The states the clock alone does not reach in a few lines, and a notice waiting for a user.
    with sqlite3.connect(where) as conn:
        pending = [row[0] for row in conn.execute("SELECT id FROM reminders WHERE state = 'pending' ORDER BY id")]
        assert len(pending) >= 4
        conn.execute("UPDATE reminders SET state = 'held' WHERE id = ?", (pending[0],))
        conn.execute("UPDATE reminders SET state = 'failed', last_error = 'Forbidden' WHERE id = ?", (pending[1],))
        conn.execute("UPDATE reminders SET state = 'cancelled' WHERE id = ?", (pending[2],))
        conn.execute("UPDATE reminder_users SET dm_notice = 1, planned_on = '2026-11-23' WHERE user_id = 'dave'")


def table_rows(where: str | Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every copied table's rows in key order."""
    return {
        t.name: query(where, f"SELECT {', '.join(t.columns)} FROM {t.name} ORDER BY {', '.join(t.key)}") for t in TABLES
    }


async def exports(where: str | Path) -> dict[str, str]:
    """Every user's `export` (jss-ledger/1 JSON), as the console gives it."""
    async with await open_services(where) as services:
        users = [row[0] for row in query(where, "SELECT user_id FROM users ORDER BY user_id")]
        return {user: await services.ledger.export_ledger(user) for user in users}


async def copy(source: str | Path, target: str | Path, **kw: Any) -> dict[str, int]:
    async with await Database.open(source) as src, await Database.open(target) as dst:
        return await copy_database(src, dst, **kw)


@pytest.fixture
def realistic(tmp_path: Path) -> Path:
    path = tmp_path / "source.db"
    run_async(fill(path))
    return path


def test_every_table_is_copied_or_deliberately_not(tmp_path: Path, pg_url: Callable[[], str]) -> None:
    """A new table or column added by a migration fails here until transfer.py copies it (or says why not)."""
    path = tmp_path / "schema.db"
    run_async(_close_after_open(path))
    with sqlite3.connect(path) as conn:
        sqlite_tables = {
            name: [row[1] for row in conn.execute(f"PRAGMA table_info({name})")]
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    url = pg_url()
    pg_columns: dict[str, list[str]] = {}
    for table, column in query(
        url,
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "ORDER BY table_name, ordinal_position",
    ):
        pg_columns.setdefault(table, []).append(column)
    copied = {t.name: list(t.columns) for t in TABLES}
    for schema in (sqlite_tables, pg_columns):
        assert set(schema) == set(copied) | (set(NOT_COPIED) & set(schema))
        assert {name: sorted(columns) for name, columns in schema.items() if name in copied} == {
            name: sorted(columns) for name, columns in copied.items()
        }


async def _close_after_open(path: Path) -> None:
    store = await LedgerStore.open(path)
    await store.close()


def test_sqlite_to_postgresql_and_back_loses_nothing(
    realistic: Path, pg_url: Callable[[], str], tmp_path: Path
) -> None:
    before = table_rows(realistic)
    assert {row[6] for row in before["reminders"]} == STATES  # reminders in every state
    assert all(before[t.name] for t in TABLES), [t.name for t in TABLES if not before[t.name]]  # every table used
    assert {row[0] for row in before["users"]} == set(USERS)
    url = pg_url()

    copied = run_async(copy(realistic, url))

    assert copied == {name: len(rows) for name, rows in before.items()}
    assert table_rows(url) == before  # row for row, value for value
    assert run_async(exports(url)) == run_async(exports(realistic))
    back = tmp_path / "back.db"
    run_async(copy(url, back))  # a user can go back
    assert table_rows(back) == before
    assert run_async(exports(back)) == run_async(exports(realistic))


def test_the_copy_keeps_working_ids_and_counters(realistic: Path, pg_url: Callable[[], str]) -> None:
    """Ids are kept (a reminder's Discord nonce is its id), and new rows on PostgreSQL get ids after them."""
    url = pg_url()
    run_async(copy(realistic, url))
    top_audit, top_reminder = query(url, "SELECT (SELECT max(id) FROM audit), (SELECT max(id) FROM reminders)")[0]

    async def write_more() -> None:
        async with await open_services(url, clock=FixedClock(NOW)) as services:
            await services.ledger.asked_client("bob", "translation", date(2026, 2, 1))  # an audit row
            store = services.context.store
            await store.update_settings("bob", reminders_enabled=True)
            reminders = ReminderStore(store.database, DeliveryWindow.of, ledger=store)
            ticket, settings = await reminders.ticket("bob"), await store.get_settings("bob")
            item = DueReminder(ReminderKind.ASK_CLIENT, "translation", NOW.date(), {"title": "t", "client": "c"})
            await reminders.sync(ticket, settings, [item], NOW, NOW + timedelta(days=1), NOW.date())

    run_async(write_more())
    assert query(url, "SELECT min(id) FROM audit WHERE user_id = 'bob' AND id > ?", top_audit)[0][0] is not None
    assert query(url, "SELECT count(*) FROM reminders WHERE user_id = 'bob'")[0][0] > 0
    assert query(url, "SELECT min(id) FROM reminders WHERE user_id = 'bob'")[0][0] > top_reminder


def test_an_empty_file_copies_to_an_empty_database(tmp_path: Path, pg_url: Callable[[], str]) -> None:
    path = tmp_path / "empty.db"
    run_async(_close_after_open(path))
    url = pg_url()
    assert run_async(copy(path, url)) == {t.name: 0 for t in TABLES}
    assert table_rows(url) == {t.name: [] for t in TABLES}


def test_a_target_with_data_is_refused_unless_replaced(realistic: Path, pg_url: Callable[[], str]) -> None:
    url = pg_url()
    run_async(copy(realistic, url))
    with sqlite3.connect(realistic) as conn:  # the source moves on: one more recorded score
        conn.execute("INSERT INTO score_snapshots VALUES ('bob', '2026-03-01', 70, '2026-03-01T00:00:00+00:00')")
    with pytest.raises(TargetNotEmptyError) as refused:
        run_async(copy(realistic, url))
    assert refused.value.rows["users"] == len(USERS)
    assert query(url, "SELECT count(*) FROM score_snapshots WHERE user_id = 'bob'") == [(0,)]
    run_async(copy(realistic, url, replace=True))
    assert table_rows(url) == table_rows(realistic)


def test_a_row_the_target_refuses_leaves_it_as_it_was(realistic: Path, pg_url: Callable[[], str]) -> None:
    """PostgreSQL text cannot hold NUL, SQLite's can: the copy fails on that row, naming its table, and the
    target (here holding an older copy, being replaced) is exactly as before."""
    url = pg_url()
    run_async(copy(realistic, url))
    before = table_rows(url)
    with sqlite3.connect(realistic) as conn:
        conn.execute("UPDATE contracts SET title = 'bad' || char(0) || 'title' WHERE user_id = 'hostile'")
    with pytest.raises(TransferError) as failed:
        run_async(copy(realistic, url, replace=True))
    assert failed.value.table == "contracts"
    assert table_rows(url) == before


@pytest.mark.parametrize("direction", ["to_postgresql", "to_sqlite"])
def test_an_interruption_midway_leaves_the_target_as_it_was(
    realistic: Path, pg_url: Callable[[], str], tmp_path: Path, direction: str
) -> None:
    """Ctrl-C (or a crash of the copy) after some pages were written: the one transaction rolls back."""
    url = pg_url()
    run_async(copy(realistic, url))
    source, target = (realistic, pg_url()) if direction == "to_postgresql" else (url, tmp_path / "target.db")
    run_async(_close_after_open(target) if isinstance(target, Path) else _noop())
    pages: list[tuple[str, int]] = []

    def interrupt(table: str, done: int, total: int) -> None:
        pages.append((table, done))
        if table == "reminders":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_async(copy(source, target, progress=interrupt, page_rows=5))
    assert ("contracts", 5) in pages and ("contracts", 10) in pages  # several pages were written first
    assert table_rows(target) == {t.name: [] for t in TABLES}
    assert run_async(copy(source, target))["users"] == len(USERS)  # and a new run copies everything
    assert table_rows(target) == table_rows(realistic)


async def _noop() -> None:
    return None


def test_on_postgresql_the_due_scan_walks_its_partial_index(realistic: Path, pg_url: Callable[[], str]) -> None:
    """The twin of SQLite's query-plan test (tests/services/reminders/test_queue.py) on a migrated database:
    the sender's due scan and its wake-up query can use `reminders_due` (partial: its predicate must match).
    Sequential scans are switched off so the small test data cannot make one look cheaper; bench/reminders.py
    prints the plan the server picks by itself at 10k and 100k users."""
    from bot.store.reminder_queue import DUE_SCAN

    url = pg_url()
    run_async(copy(realistic, url))

    async def plans() -> list[str]:
        import asyncpg

        conn = await asyncpg.connect(url)
        try:
            await conn.execute("ANALYZE")
            await conn.execute("SET enable_seqscan = off")
            due = DUE_SCAN.replace(":now", "'2027-01-01'").replace(":after_at", "''").replace(":after_id", "0")
            found = []
            for sql in (
                due.replace(":limit", "500"),
                "SELECT min(deliver_at) FROM reminders WHERE state IN ('pending', 'sending')",
            ):
                found.append(" ".join(row[0] for row in await conn.fetch("EXPLAIN " + sql)))
            return found
        finally:
            await conn.close()

    for plan in run_async(plans()):
        assert "reminders_due" in plan, plan
