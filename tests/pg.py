"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl on a unix socket in a temp folder, and the
fixtures that run a test on both store backends (a pytest plugin: tests/conftest.py loads it).

Why a real server (not a mock): the PostgreSQL backend is only as right as its SQL, locks and migrations
are on PostgreSQL itself. The server is started once per test session (`pg_server` fixture in
tests/store/conftest.py), listens on no TCP port, runs without fsync (a test database dies with the
session anyway), and each test gets a fresh database copied from a template (`CREATE DATABASE ...
TEMPLATE`, fast). initdb refuses to run as root, so as root the server runs as the `postgres` user.

When no server binaries are found (`initdb`/`pg_ctl` on PATH or in /usr/lib/postgresql/*/bin), the
PostgreSQL tests skip, saying so; `.ci/run` installs Debian's `postgresql` package first.

Fixtures: `pg_server` (the session's server), `backend` ("sqlite" / "postgresql": a test or fixture that
takes it runs twice) and `target` (where that backend's fresh store lives: a SQLite file path, or a
PostgreSQL URL of a new database, dropped afterwards). `query(target, sql, *params)` reads what was
committed, with a separate connection, from synchronous test code.
"""

from __future__ import annotations

import asyncio
import glob
import itertools
import os
import pwd
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import pytest

from bot.store.pg_sql import translate

MIGRATED = "jss_migrated"  # a template database at the latest schema
_counter = itertools.count(1)


def find_bin_dir() -> Path | None:
    """The folder with initdb and pg_ctl, or None."""
    candidates = [Path(found).resolve().parent for found in (shutil.which("pg_ctl"),) if found]
    candidates += [Path(found) for found in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists() and (folder / "postgres").exists():
            return folder
    return None


def stop_orphans(bin_dir: Path) -> None:
    """Stop the servers of earlier test sessions that died without stopping theirs (a SIGKILLed pytest):
    only folders this module made, whose recorded owner process is gone."""
    for root in Path(tempfile.gettempdir()).glob("jss-pg-*"):
        try:
            owner = int((root / "owner.pid").read_text(encoding="utf-8"))
            os.kill(owner, 0)
            continue  # its session is still running
        except ProcessLookupError:
            pass
        except (OSError, ValueError):
            continue  # not ours to judge (no owner file yet, or not readable)
        server = PgServer.__new__(PgServer)
        server.bin_dir, server.root, server.data = bin_dir, root, root / "data"
        server._owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        try:
            server.stop()
        except (subprocess.CalledProcessError, KeyError):
            shutil.rmtree(root, ignore_errors=True)


class PgServer:
    """One server for the session; `create_database()` hands out fresh databases."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="jss-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self._owner: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            self._owner = pwd.getpwnam("postgres")  # KeyError: no such user (the caller skips)
            os.chown(self.root, self._owner.pw_uid, self._owner.pw_gid)
        self.root.chmod(0o755)

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self._owner is not None:
            command = ["runuser", "-u", self._owner.pw_name, "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True, cwd=self.root)

    def start(self) -> None:
        (self.root / "owner.pid").write_text(str(os.getpid()), encoding="utf-8")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
        options = f"-c listen_addresses='' -k {self.socket_dir} -c fsync=off -c synchronous_commit=off"
        options += " -c full_page_writes=off -c max_connections=200"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"), "-w", "start")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.socket_dir}"

    async def admin(self) -> asyncpg.Connection:
        return await asyncpg.connect(self.url("postgres"))

    async def prepare_template(self) -> None:
        """The migrated template: opened once through the store, so every test starts at the latest schema."""
        from bot.store import LedgerStore

        conn = await self.admin()
        try:
            await conn.execute(f"CREATE DATABASE {MIGRATED} TEMPLATE template0")
        finally:
            await conn.close()
        store = await LedgerStore.open(self.url(MIGRATED))
        await store.close()

    async def create_database(self, *, empty: bool = False) -> str:
        """A new database (empty, or at the latest schema) and its URL."""
        name = f"t{os.getpid()}_{next(_counter)}"
        conn = await self.admin()
        try:
            template = "template0" if empty else MIGRATED
            await conn.execute(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY file_copy")
        finally:
            await conn.close()
        return self.url(name)

    async def drop_database(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        conn = await self.admin()
        try:
            await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            await conn.close()


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The session's PostgreSQL server, started on first use; skips when none can be had."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin")
    try:
        stop_orphans(bin_dir)
        server = PgServer(bin_dir)
    except KeyError:
        pytest.skip("running as root and there is no 'postgres' user to run the PostgreSQL server as")
    try:
        server.start()
        run_async(server.prepare_template())
    except BaseException:
        server.stop()
        raise
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def target(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[str | Path]:
    """Where the store lives: a SQLite file, or a fresh PostgreSQL database's URL (dropped afterwards)."""
    if backend == "sqlite":
        yield tmp_path / "ledger.db"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    url = await server.create_database()
    try:
        yield url
    finally:
        await server.drop_database(url)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[Callable[[], str]]:
    """`make()` gives the URL of a new empty database on the session's server (for tests that need several,
    e.g. a copy's source and target); all are dropped afterwards."""
    made: list[str] = []

    def make() -> str:
        url: str = run_async(pg_server.create_database())
        made.append(url)
        return url

    yield make
    for url in made:
        run_async(pg_server.drop_database(url))


def run_async(coroutine: Any) -> Any:
    """Run a coroutine to its end from synchronous code, even while a test's event loop runs (own thread)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


async def _fetch(url: str, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    conn = await asyncpg.connect(url)
    try:
        statement = translate(sql)
        return [tuple(row) for row in await conn.fetch(statement.sql, *statement.bind(params))]
    finally:
        await conn.close()


def query(target: str | Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Committed rows as a separate connection sees them, on either backend (SQL with `?` parameters)."""
    if isinstance(target, str) and target.startswith("postgresql://"):
        result: list[tuple[Any, ...]] = run_async(_fetch(target, sql, params))
        return result
    with sqlite3.connect(target) as conn:
        return [tuple(row) for row in conn.execute(sql, params)]


__all__ = [
    "BACKENDS",
    "MIGRATED",
    "PgServer",
    "backend",
    "find_bin_dir",
    "pg_server",
    "pg_url",
    "query",
    "run_async",
    "target",
]
