"""The PostgreSQL backend on a real server: URLs, migrations from empty and from every older version, refusing
what is not ours, the global write lock, busy errors, other processes' commits, and the fold function.

The behaviour both backends share is tested once for both through the `store` fixture (test_ledger_store.py
and the others); this file holds what only PostgreSQL has.
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import asyncpg
import pytest

import bot.store.pg_database as pg_database_module
from bot.reminders.timing import DeliveryWindow
from bot.store import (
    LedgerStore,
    StoreBusyError,
    StoreOpenError,
    StoreVersionError,
    is_url,
    latest_version,
    load_migrations,
)
from bot.store.pg_database import shown_url
from bot.store.pg_migrations import load_pg_migrations, migrate
from bot.store.pg_sql import translate
from bot.store.reminder_store import ReminderStore
from scoring.model import Contract, Ledger
from tests.builders import make_contract
from tests.pg import PgServer

A = "111111111111111111"
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
async def empty_url(pg_server: PgServer) -> str:
    url = await pg_server.create_database(empty=True)
    try:
        yield url  # type: ignore[misc]
    finally:
        await pg_server.drop_database(url)


async def schema_of(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Everything a migration makes: columns (with collations), indexes, constraints, triggers, functions."""
    conn = await asyncpg.connect(url)
    try:
        queries = {
            "columns": "SELECT table_name, column_name, data_type, is_nullable, column_default, collation_name "
            "FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2",
            "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
            "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2",
            "triggers": "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1",
            "functions": "SELECT proname, prosrc FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1",
        }
        return {name: [tuple(row) for row in await conn.fetch(sql)] for name, sql in queries.items()}
    finally:
        await conn.close()


async def version_of(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        if await conn.fetchval("SELECT to_regclass('jss_advisor_meta')") is None:
            return 0
        return int(await conn.fetchval("SELECT schema_version FROM jss_advisor_meta"))
    finally:
        await conn.close()


# ---------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("postgresql://user@host/db", True),
        ("postgres://user:pw@host:5432/db", True),
        ("POSTGRESQL://host/db", True),
        ("ledger.db", False),
        ("postgresql.db", False),
        ("./postgresql://x", False),
        (":memory:", False),
    ],
)
def test_only_postgresql_urls_open_postgresql(text: str, url: bool) -> None:
    assert is_url(text) is url


def test_the_url_shown_has_no_password() -> None:
    assert shown_url("postgresql://jss:s3cret@db.example:5433/ledger?sslmode=require") == (
        "postgresql://jss@db.example:5433/ledger?sslmode=require"
    )
    assert shown_url("postgresql://jss@/ledger?host=/run/postgresql") == "postgresql://jss@/ledger?host=/run/postgresql"


async def test_a_url_opens_postgresql_and_makes_no_folder(
    empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: the URL was taken for a file path and a folder named `postgresql:` appeared."""
    monkeypatch.chdir(tmp_path)
    async with await LedgerStore.open(empty_url) as store:
        assert store.database.dialect == "postgresql"
        await store.add_contract(A, make_contract("c1"))
        assert [c.id for c in await store.list_contracts(A)] == ["c1"]
    assert not os.listdir(tmp_path)
    assert await version_of(empty_url) == latest_version()


async def test_an_unreachable_server_is_a_typed_error_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://jss:topsecret@/nowhere?host={tmp_path}&connect_timeout=2"
    with pytest.raises(StoreOpenError) as caught:
        await LedgerStore.open(url)
    assert caught.value.reason == "cannot_connect"
    assert "topsecret" not in str(caught.value) and "PostgreSQL" in str(caught.value)


def test_the_console_takes_a_url(pg_server: PgServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.console.cli import main

    url = asyncio.run(pg_server.create_database())
    monkeypatch.chdir(tmp_path)
    try:
        assert main(["contracts", "list", "--db", url]) == 0
        monkeypatch.setenv("JSS_ADVISOR_DB", url)
        assert main(["contracts", "list"]) == 0
    finally:
        asyncio.run(pg_server.drop_database(url))
    assert list(tmp_path.iterdir()) == []


def test_the_bot_settings_take_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.discord_app.settings import Settings

    monkeypatch.setenv("JSS_ADVISOR_DB", "postgresql://jss@/ledger?host=/run/postgresql")
    assert Settings().db_path == "postgresql://jss@/ledger?host=/run/postgresql"
    monkeypatch.setenv("JSS_ADVISOR_DB", "data/ledger.db")
    assert Settings().db_path == Path("data/ledger.db")


# ---------------------------------------------------------------------------- migrations


def test_every_sqlite_migration_has_its_postgresql_twin() -> None:
    assert [(m.version, m.name) for m in load_pg_migrations()] == [(m.version, m.name) for m in load_migrations()]


async def test_migrations_from_empty_and_from_every_older_version_end_identical(pg_server: PgServer) -> None:
    fresh = await pg_server.create_database(empty=True)
    try:
        async with await LedgerStore.open(fresh):
            pass
        expected = await schema_of(fresh)
        assert await version_of(fresh) == latest_version()
    finally:
        await pg_server.drop_database(fresh)
    for version in range(0, latest_version()):
        url = await pg_server.create_database(empty=True)
        try:
            conn = await asyncpg.connect(url)
            try:
                assert await migrate(conn, target=version) == version
                if version >= 1:  # rows as release 1 wrote them
                    await conn.execute("INSERT INTO users VALUES ($1, '2024-01-01T00:00:00.000000+00:00')", A)
                    await conn.execute(
                        "INSERT INTO contracts (user_id, contract_id, title, client, kind, status, started,"
                        " last_activity, earnings_cents) VALUES ($1, 'old-2', 'Support', 'Initech', 'hourly',"
                        " 'active', '2023-02-01', '2023-09-01', 12345)",
                        A,
                    )
                    await conn.execute("INSERT INTO close_requests VALUES ($1, 'old-2', '2023-08-15')", A)
            finally:
                await conn.close()
            async with await LedgerStore.open(url) as store:
                if version >= 1:
                    (old,) = await store.list_contracts(A)
                    assert old.id == "old-2" and old.earnings_usd == Decimal("123.45")
                    assert [d.isoformat() for d in old.close_requests] == ["2023-08-15"]
            assert await version_of(url) == latest_version(), version
            assert await schema_of(url) == expected, f"from version {version}"
        finally:
            await pg_server.drop_database(url)


async def test_several_processes_starting_at_once_migrate_once(empty_url: str) -> None:
    stores = await asyncio.gather(*(LedgerStore.open(empty_url) for _ in range(4)))
    try:
        await stores[0].add_contract(A, make_contract("c1"))
        assert [c.id for c in await stores[3].list_contracts(A)] == ["c1"]
    finally:
        for store in stores:
            await store.close()
    assert await version_of(empty_url) == latest_version()


async def test_another_applications_database_is_refused_and_left_untouched(empty_url: str) -> None:
    conn = await asyncpg.connect(empty_url)
    try:
        await conn.execute("CREATE TABLE invoices (id integer PRIMARY KEY, total numeric)")
        before = await schema_of(empty_url)
        with pytest.raises(StoreVersionError, match="another application"):
            await LedgerStore.open(empty_url)
        assert await schema_of(empty_url) == before
    finally:
        await conn.close()


async def test_a_newer_schema_is_refused_and_left_untouched(pg_server: PgServer) -> None:
    url = await pg_server.create_database()
    try:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("UPDATE jss_advisor_meta SET schema_version = $1", latest_version() + 1)
            before = [tuple(r) for r in await conn.fetch("SELECT * FROM jss_advisor_meta")]
            schema = await schema_of(url)
            with pytest.raises(StoreVersionError, match="newer version"):
                await LedgerStore.open(url)
            assert [tuple(r) for r in await conn.fetch("SELECT * FROM jss_advisor_meta")] == before
            assert await schema_of(url) == schema
        finally:
            await conn.close()
    finally:
        await pg_server.drop_database(url)


# ---------------------------------------------------------------------------- transactions across processes


@pytest.fixture
async def url(pg_server: PgServer) -> str:
    made = await pg_server.create_database()
    try:
        yield made  # type: ignore[misc]
    finally:
        await pg_server.drop_database(made)


async def test_import_derived_reads_and_writes_with_no_other_writer_in_between(url: str) -> None:
    """Another process's edit, started while an import derives from what it read, waits for the import's
    commit (the global write lock) and then lands on top of it: neither change is lost."""
    async with await LedgerStore.open(url) as store, await LedgerStore.open(url) as other:
        await store.import_ledger(A, Ledger(contracts=(make_contract("a", title="before"),)), "replace")
        edits: list[asyncio.Task[None]] = []

        def derive(existing: list[Contract], counted: object) -> tuple[Ledger, list[object], int]:
            edited = existing[0].model_copy(update={"title": "edited meanwhile"})
            edits.append(asyncio.get_running_loop().create_task(other.update_contract(A, edited)))
            ours = existing[0].model_copy(update={"earnings_usd": Decimal(100)})
            return Ledger(contracts=(ours, make_contract("b"))), [], len(existing)

        summary, read = await store.import_derived(A, derive)  # type: ignore[arg-type]
        await edits[0]
        after = {c.id: c for c in await store.list_contracts(A)}
        assert read == 1 and summary.added == 1
        # The other writer's version (read before our commit) replaced ours: it committed after, as a whole.
        assert after["a"].title == "edited meanwhile"
        audit = [e.action for e in await store.audit_log(A)]
        assert audit[:2] == ["contract.update", "ledger.import"]  # the import committed first


async def test_writes_of_two_processes_never_interleave(url: str) -> None:
    async with await LedgerStore.open(url) as one, await LedgerStore.open(url) as two:

        async def writer(store: LedgerStore, n: int) -> None:
            contracts = tuple(make_contract(f"w{n}-{i}") for i in range(20))
            await store.import_ledger(A, Ledger(contracts=contracts), "merge")

        async def reader() -> None:
            for _ in range(10):
                assert (await two.count_contracts(A)) % 20 == 0
                await asyncio.sleep(0)

        await asyncio.gather(*(writer(one if n % 2 else two, n) for n in range(8)), *(reader() for _ in range(3)))
        assert await one.count_contracts(A) == 160


async def test_a_held_write_lock_gives_a_friendly_busy_error(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg_database_module, "BUSY_TIMEOUT_MS", 100)
    async with await LedgerStore.open(url) as store:
        other = await asyncpg.connect(url)
        try:
            await other.execute("BEGIN")
            await other.execute("UPDATE jss_advisor_meta SET commits = commits + 1")  # another writer, mid-write
            with pytest.raises(StoreBusyError, match="try again"):
                await store.add_contract(A, make_contract())
            assert await store.list_contracts(A) == []  # reads go on meanwhile
            await other.execute("COMMIT")
        finally:
            await other.close()
        await store.add_contract(A, make_contract())
        assert await store.count_contracts(A) == 1


async def test_version_counts_ledger_and_bookkeeping_commits_apart(url: str) -> None:
    async with await LedgerStore.open(url) as store, await LedgerStore.open(url) as other:
        ledger, every = await store.version(), await store.database.version(bookkeeping=True)
        await ReminderStore(other.database, DeliveryWindow.of).set_kinds(A, [], ["feedback"], NOW)
        assert await store.version() == ledger  # another process's queue bookkeeping: answers stay cached
        assert await store.database.version(bookkeeping=True) != every
        await other.add_contract(A, make_contract())
        assert await store.version() != ledger


# ---------------------------------------------------------------------------- the dialect


async def test_jss_fold_is_pythons_casefold(url: str) -> None:
    samples = ["Straße", "ẞIG", "ΣΊΣΥΦΟΣ", "ﬁle", "İstanbul", "ŉ", "ᾈ", "ÉCOLE", "plain ascii", "", "𐐀"]
    samples += [chr(c) for c in range(0x20000) if len(chr(c).casefold()) > 1]
    conn = await asyncpg.connect(url)
    try:
        got = await conn.fetchval(
            "SELECT array_agg(jss_fold(s) ORDER BY n) FROM unnest($1::text[]) WITH ORDINALITY AS t(s, n)", samples
        )
    finally:
        await conn.close()
    assert got == [s.casefold() for s in samples]


def test_placeholders_are_translated_outside_literals() -> None:
    statement = translate("SELECT ':x', \"?\" FROM t WHERE a = :now AND b LIKE :p ESCAPE '\\' AND c = :now -- :no ?")
    assert statement.sql == "SELECT ':x', \"?\" FROM t WHERE a = $1 AND b LIKE $2 ESCAPE '\\' AND c = $1 -- :no ?"
    assert statement.bind({"now": 1, "p": 2}) == (1, 2) and statement.returns_rows
    positional = translate("UPDATE t SET a = ?, b = x::text WHERE c = ? RETURNING id")
    assert positional.sql == "UPDATE t SET a = $1, b = x::text WHERE c = $2 RETURNING id"
    assert positional.returns_rows and not translate("DELETE FROM t WHERE a = ?").returns_rows


async def test_job_leases_work_on_the_postgresql_twin_of_migration_11(url: str) -> None:
    from datetime import timedelta

    from bot.store.leases import JobLeases

    async with await LedgerStore.open(url) as one, await LedgerStore.open(url) as two:
        first, second = JobLeases(one.database), JobLeases(two.database)
        lease = await first.take("replan", "p1", NOW, timedelta(minutes=1))
        assert lease.held_by("p1") and lease.taken_at == NOW
        assert not (await second.take("replan", "p2", NOW + timedelta(seconds=30), timedelta(minutes=1))).held_by("p2")
        later = NOW + timedelta(minutes=2)  # p1's lease ran out: p2 takes the job over
        assert (await second.take("replan", "p2", later, timedelta(minutes=1))).held_by("p2")
        assert not await first.release("replan", "p1") and await second.release("replan", "p2")
