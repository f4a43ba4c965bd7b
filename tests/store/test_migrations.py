"""Schema migrations: from nothing, from every older version, atomically, and never downgrading."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import aiosqlite
import pytest

from bot.store import (
    LedgerStore,
    StoreVersionError,
    UserSettings,
    latest_version,
    load_migrations,
    migrate,
)
from bot.store.migrations import Migration, schema_version, split_statements
from tests.builders import make_contract

USER = "333333333333333333"


def version_of(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def tables_of(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


async def create_at_version(path: Path, version: int) -> None:
    """A database as an older release left it: only the first `version` migration files applied."""
    db = await aiosqlite.connect(path, isolation_level=None)
    try:
        assert await migrate(db, target=version) == version
    finally:
        await db.close()


def insert_v1_data(path: Path) -> None:
    """Rows as release 1 wrote them (plain SQL against the version-1 schema)."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("INSERT INTO users VALUES (?, '2024-01-01T00:00:00.000000+00:00')", (USER,))
        conn.execute(
            "INSERT INTO contracts (user_id, contract_id, title, client, kind, status, started, ended,"
            " last_activity, last_payment, earnings_cents, escrow_cents, milestone_submitted, public_stars,"
            " private_rating, disputed, refunded_cents, client_flagged)"
            " VALUES (?, 'old-1', 'Legacy app', 'Initech', 'fixed', 'ended', '2023-01-05', '2023-06-30',"
            " '2023-06-30', '2023-06-01', 250075, 0, NULL, 5.0, 9, 0, 1999, 0)",
            (USER,),
        )
        conn.execute(
            "INSERT INTO contracts (user_id, contract_id, title, client, kind, status, started,"
            " last_activity, earnings_cents) VALUES (?, 'old-2', 'Support', 'Initech', 'hourly', 'active',"
            " '2023-02-01', '2023-09-01', 12345)",
            (USER,),
        )
        conn.execute("INSERT INTO close_requests VALUES (?, 'old-2', '2023-08-15')", (USER,))
        conn.execute(
            "INSERT INTO user_settings (user_id, timezone, reminders_enabled, updated_at)"
            " VALUES (?, 'Asia/Tokyo', 1, '2024-01-01T00:00:00.000000+00:00')",
            (USER,),
        )
        conn.execute(
            "INSERT INTO audit (user_id, at, action, contract_id, detail)"
            " VALUES (?, '2024-01-01T00:00:00.000000+00:00', 'contract.add', 'old-1', '{\"title\": \"x\"}')",
            (USER,),
        )


def test_migration_files_are_numbered_and_packaged() -> None:
    migrations = load_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert latest_version() == len(migrations) >= 2
    assert migrations[0].name == "initial"
    for migration in migrations:
        assert migration.statements(), migration.name  # parses, and holds no transaction control


@pytest.mark.parametrize("statement", ["BEGIN;", "commit;", "-- note\nEND TRANSACTION;", "SAVEPOINT s;"])
def test_migrations_may_not_control_transactions(statement: str) -> None:
    migration = Migration(version=9, name="bad", sql=f"CREATE TABLE t (x);\n{statement}\n")
    with pytest.raises(ValueError, match="must not contain"):
        migration.statements()


async def test_open_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    store = await LedgerStore.open(path)
    try:
        assert await store.list_contracts(USER) == []
    finally:
        await store.close()
    assert version_of(path) == latest_version()
    assert {"users", "contracts", "close_requests", "user_settings", "audit"} <= tables_of(path)


async def test_open_creates_missing_file_and_folders(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "deeper" / "ledger.db"
    async with await LedgerStore.open(path) as store:
        assert await store.count_contracts(USER) == 0
    assert version_of(path) == latest_version()


@pytest.mark.parametrize("start", range(latest_version()))
async def test_upgrade_from_every_older_version_keeps_data(tmp_path: Path, start: int) -> None:
    path = tmp_path / f"v{start}.db"
    await create_at_version(path, start)
    assert version_of(path) == start
    if start >= 1:
        insert_v1_data(path)

    async with await LedgerStore.open(path) as store:
        contracts = await store.list_contracts(USER)
        settings = await store.get_settings(USER)
        history = await store.audit_log(USER)
    assert version_of(path) == latest_version()
    if start == 0:
        assert contracts == [] and settings == UserSettings() and history == []
        return
    assert [c.id for c in contracts] == ["old-1", "old-2"]
    legacy, support = contracts
    assert legacy.earnings_usd == Decimal("2500.75") and legacy.refunded_usd == Decimal("19.99")
    assert legacy.ended == date(2023, 6, 30) and legacy.public_stars == 5.0 and legacy.private_rating == 9
    assert support.earnings_usd == Decimal("123.45") and support.close_requests == (date(2023, 8, 15),)
    assert settings.timezone == "Asia/Tokyo" and settings.reminders_enabled
    assert [h.contract_id for h in history] == ["old-1"]


async def test_reopening_does_not_rerun_migrations(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    for _ in range(3):
        async with await LedgerStore.open(path):
            pass
    assert version_of(path) == latest_version()


async def test_failed_migration_leaves_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    await create_at_version(path, 1)
    insert_v1_data(path)
    broken = Migration(
        version=2,
        name="broken",
        sql="CREATE TABLE half_done (x INTEGER);\nDELETE FROM contracts;\nCREATE TABLE oops (;\n",
    )
    db = await aiosqlite.connect(path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError):
            await migrate(db, migrations=(load_migrations()[0], broken))
        assert not db.in_transaction
        assert await schema_version(db) == 1
    finally:
        await db.close()
    assert "half_done" not in tables_of(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM contracts").fetchone() == (2,)

    # The real migrations still apply cleanly afterwards.
    async with await LedgerStore.open(path) as store:
        assert await store.count_contracts(USER) == 2
    assert version_of(path) == latest_version()


async def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    """A JSS ledger from before the application id (recognised by its tables) at a newer schema."""
    path = tmp_path / "future.db"
    await create_at_version(path, 1)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE something_new (x)")
        conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    with pytest.raises(StoreVersionError, match="newer version"):
        await LedgerStore.open(path)
    assert version_of(path) == latest_version() + 1
    assert "something_new" in tables_of(path) and "reminders" not in tables_of(path)


async def test_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is a text file, not SQLite " * 100)
    with pytest.raises(StoreVersionError, match="not a JSS Advisor"):
        await LedgerStore.open(path)


async def test_concurrent_first_opens_migrate_once(tmp_path: Path) -> None:
    path = tmp_path / "race.db"
    stores = await asyncio.gather(*(LedgerStore.open(path) for _ in range(4)))
    try:
        contract = make_contract("c1")
        await stores[0].add_contract(USER, contract)
        assert await stores[3].list_contracts(USER) == [contract]
    finally:
        for store in stores:
            await store.close()
    assert version_of(path) == latest_version()


def test_split_statements() -> None:
    sql = """
    -- a comment; with a semicolon
    CREATE TABLE t (x TEXT DEFAULT 'a;b');
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END;
    -- trailing comment
    """
    statements = split_statements(sql)
    assert len(statements) == 2
    assert statements[0].endswith("DEFAULT 'a;b');")
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")
    with pytest.raises(ValueError, match="unterminated"):
        split_statements("CREATE TABLE t (x)")


def test_schema_keys_every_table_by_user(tmp_path: Path) -> None:
    path = tmp_path / "schema.db"
    asyncio.run(create_at_version(path, latest_version()))
    with sqlite3.connect(path) as conn:
        for table in ("users", "contracts", "close_requests", "user_settings", "audit"):
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            assert "user_id" in columns, table
        indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"audit_user_at", "user_settings_reminder_scan"} <= indexes
        plan = " ".join(
            str(row[3])
            for row in conn.execute(
                "EXPLAIN QUERY PLAN SELECT * FROM audit WHERE user_id = ? ORDER BY at DESC LIMIT 5", ("u",)
            )
        )
        assert "audit_user_at" in plan
