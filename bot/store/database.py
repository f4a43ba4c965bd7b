"""The SQLite backend: the one connection every store shares: opening, transactions, change counters, closing.

Why one object owns the connection: the ledger, settings, score history and reminder queue live in one
file and must share one lock and one transaction discipline, so a reminder claim never interleaves with
a half-written import and forget-me reaches everything a user owns. Each store class gets a `Database`
and uses only its public `read()` / `write()` scopes; no store touches another store's internals.

Transaction rules, each for a reason:

* Every write runs in an explicit `BEGIN IMMEDIATE ... COMMIT`, rolled back on any error (cancellation
  included). IMMEDIATE takes the write lock up front, so read-then-write steps cannot race another process.
* One asyncio lock serialises all operations on the single connection: otherwise a read from another
  task could see a half-finished transaction through the same connection.
* No statement may stay open after it ran: SQLite refuses to COMMIT while a statement is in progress, so
  every statement that returns rows and is not read to the end has its cursor closed (see `_run`).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

import aiosqlite

from bot.clock import Clock, SystemClock

from .backend import Connection, Database, stamp
from .errors import StoreBusyError, StoreError, StoreOpenError, StoreReadOnlyError
from .migrations import migrate
from .opening import APPLICATION_ID, connect, foreign_database
from .search import fold

BUSY_TIMEOUT_MS = 5_000
# `fetch_small` on the event loop waits at most this long for a lock (WAL readers almost never wait); past
# it the read goes through aiosqlite's thread like any other, where waiting blocks nobody.
INLINE_BUSY_SECONDS = 0.02


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """Whether SQLite gave up waiting for a lock (another writer), as opposed to a real error."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


async def _run(db: aiosqlite.Connection, sql: str) -> tuple[Any, ...] | None:
    """Run one setup statement and close its cursor; returns its first row, if any.

    Why closed explicitly: a PRAGMA that answers with a row (`journal_mode = WAL`, `busy_timeout = N`)
    stays "in progress" while its cursor is alive and unread, and then every COMMIT on the connection
    fails with "SQL statements in progress" (seen when something kept the cursor referenced)."""
    async with db.execute(sql) as cursor:
        row = await cursor.fetchone()
    return None if row is None else tuple(row)


async def _rollback(db: aiosqlite.Connection) -> None:
    """Queue a ROLLBACK behind whatever the worker thread is still running.

    Issued unconditionally rather than after checking `in_transaction`: when a task is cancelled, the
    statement it was awaiting (even its BEGIN) may not have run yet, and the connection's queue is FIFO,
    so only a queued ROLLBACK is sure to come after it. "No transaction is active" is then harmless.
    """
    try:
        await db.execute("ROLLBACK")  # returns no rows: its statement is finished once it ran
    except sqlite3.OperationalError as exc:
        if "no transaction is active" not in str(exc):
            raise


async def _enable_wal(db: aiosqlite.Connection) -> None:
    """Switch to WAL once per file. The switch needs a moment of exclusive access that busy_timeout does not
    wait for, so several processes opening a new file at once retry briefly; a file already in WAL skips it."""
    row = await _run(db, "PRAGMA journal_mode")
    if row is not None and str(row[0]).lower() == "wal":
        return
    for attempt in range(50):
        try:
            await _run(db, "PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or attempt == 49:
                raise
            await asyncio.sleep(0.02 * (attempt + 1))


async def _claim(db: aiosqlite.Connection) -> None:
    """Write the JSS Advisor application id into the header, once (new files, and ledgers from before it).

    Re-read under the write lock: if another program wrote its own id since the probe, the file is not
    ours after all and is left alone."""
    row = await _run(db, "PRAGMA application_id")
    if row is not None and row[0] == APPLICATION_ID:
        return
    await db.execute("BEGIN IMMEDIATE")
    try:
        row = await _run(db, "PRAGMA application_id")
        current = 0 if row is None else int(row[0])
        if current not in (0, APPLICATION_ID):
            raise foreign_database()
        if current == 0:
            await _run(db, f"PRAGMA application_id = {APPLICATION_ID}")  # a constant, not input
        await db.execute("COMMIT")
    except BaseException:
        await _rollback(db)
        raise


async def _configure(db: aiosqlite.Connection, read_only: bool) -> None:
    """Pragmas, schema migrations and SQL functions, before anyone else sees the connection.

    Runs only after `opening.connect` recognised the file, so none of these writes can reach another
    application's database or a newer schema. WAL lets readers in other processes (console, batch jobs)
    proceed during a write; synchronous=NORMAL is durable against process crashes in WAL mode and only
    risks the last commits on power loss; busy_timeout makes a second writer wait instead of failing at
    once; secure_delete zeroes deleted rows so forgotten text does not linger in free pages. A read-only
    connection gets none of the writing steps (its schema is already the latest: see `opening`)."""
    await _run(db, f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    await _run(db, "PRAGMA foreign_keys = ON")
    row = await _run(db, "PRAGMA foreign_keys")
    if row is None or row[0] != 1:
        raise RuntimeError("this SQLite build cannot enforce foreign keys")
    if not read_only:
        await _enable_wal(db)
        await _run(db, "PRAGMA synchronous = NORMAL")
        await _run(db, "PRAGMA secure_delete = ON")
        await _claim(db)
        await migrate(db)
    await db.create_function("jss_fold", 1, fold, deterministic=True)


def translate(exc: sqlite3.DatabaseError) -> StoreError | None:
    """The typed store error for a failure of the file itself (busy, read-only, damaged), else None:
    constraint violations and programming errors stay what they are."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return StoreBusyError() if isinstance(exc, sqlite3.OperationalError) and is_busy(exc) else None
    primary = code & 0xFF
    if primary == sqlite3.SQLITE_READONLY:
        return StoreReadOnlyError()
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreBusyError()
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return StoreOpenError("corrupt")
    return None


async def _wrap(connection: sqlite3.Connection) -> aiosqlite.Connection:
    """Hand an open sqlite3 connection to aiosqlite (its worker thread); this step cannot fail on the file."""
    wrapped = aiosqlite.Connection(lambda: connection, 64)
    return await wrapped


class SqliteDatabase(Database):
    """One migrated SQLite file behind one aiosqlite connection, shared by the store classes.

    Open with `await Database.open(path)` (or through `LedgerStore.open`) and close with `await db.close()`
    or `async with`; an unclosed database keeps a worker thread alive.
    """

    scheme = "sqlite"

    def __init__(self, connection: aiosqlite.Connection, path: str, clock: Clock, *, read_only: bool = False) -> None:
        """Internal: use `open`, which recognises, configures and migrates the connection first."""
        self._db: aiosqlite.Connection | None = connection
        self._path = path
        self._clock = clock
        self._read_only = read_only
        self._lock = asyncio.Lock()
        self._generation = 0  # bumped by every ledger-changing commit (see `version`)
        self._commits = 0  # bumped by every commit, bookkeeping included
        self._inline: sqlite3.Connection | None = None  # fetch_small's read-only connection, opened on first use

    @classmethod
    async def _open(cls, path: str | Path, clock: Clock | None) -> SqliteDatabase:
        """Open (creating if needed) and migrate the database at `path`. `clock` is for tests.

        The file is recognised first, without writing (`opening.connect`); anything that is not a JSS
        Advisor ledger of a known schema is refused with a typed StoreError and left byte-identical. A file
        SQLite may not write is opened read-only: reads work, writes raise StoreReadOnlyError."""
        target = str(path)
        read_only = False
        while True:
            db, read_only = await cls._connect(target, read_only)
            try:
                await _configure(db, read_only)
            except sqlite3.DatabaseError as exc:
                await db.close()
                typed = translate(exc)
                if isinstance(typed, StoreReadOnlyError) and not read_only:
                    read_only = True  # writable by its permissions, yet refused (e.g. a read-only mount)
                    continue
                if typed is None:
                    raise
                raise typed from exc
            except BaseException:
                await db.close()
                raise
            return cls(db, target, clock or SystemClock(), read_only=read_only)

    @staticmethod
    async def _connect(target: str, read_only: bool) -> tuple[aiosqlite.Connection, bool]:
        """The recognised file's connection (in a worker thread: the probe does file I/O) and its mode."""
        if target == ":memory:":
            memory = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
            return await _wrap(memory), False
        opened = await asyncio.to_thread(connect, Path(target), BUSY_TIMEOUT_MS / 1000, read_only=read_only)
        try:
            return await _wrap(opened.connection), opened.read_only
        except BaseException:
            opened.connection.close()
            raise

    @property
    def dialect(self) -> str:
        return "sqlite"

    @property
    def read_only(self) -> bool:
        """Whether the file was opened read-only (it or its folder is not writable): writes are refused."""
        return self._read_only

    @property
    def path(self) -> str:
        """Where the database lives (for log lines and the console's `info`)."""
        return self._path

    def now(self) -> str:
        """The clock's current instant as a stored timestamp."""
        return stamp(self._clock.now())

    def connection(self) -> aiosqlite.Connection:
        """The raw connection, outside the lock: for white-box tests and diagnostics only."""
        if self._db is None:
            raise StoreError("the ledger store is closed")
        return self._db

    async def close(self) -> None:
        """Close the connection (idempotent); waits for an operation in progress to finish."""
        async with self._lock:
            db, self._db = self._db, None
            inline, self._inline = self._inline, None
            if inline is not None:
                inline.close()
            if db is not None:
                await db.close()

    async def fetch_small(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """`Database.fetch_small` on the event loop's own thread, with a read-only connection of its own.

        Why: every trip to aiosqlite's thread is a thread hand-off (a wake-up, the GIL passed back and
        forth) that cost the loop more than the query itself: a lookup by key takes microseconds in SQLite.
        This one is asked after every command (issue 13: bursts of first questions). Why it is safe: the
        file is in WAL mode, so a reader neither waits for writers nor blocks them, and sees committed data
        only (no other task's open transaction); each call is one statement read to its end, so no read
        transaction is left open to hold back a checkpoint. A lock that would make it wait (a rare WAL
        recovery), an in-memory or a read-only file: the usual trip instead."""
        inline = self._inline_connection()
        if inline is not None:
            try:
                return inline.execute(sql, parameters).fetchall()
            except sqlite3.OperationalError as exc:
                if not is_busy(exc):
                    typed = translate(exc)
                    if typed is None:
                        raise
                    raise typed from exc
        return await super().fetch_small(sql, parameters)

    def _inline_connection(self) -> sqlite3.Connection | None:
        if self._inline is None and self._db is not None and not self._read_only and self._path != ":memory:":
            uri = f"{Path(self._path).absolute().as_uri()}?mode=ro"
            try:
                self._inline = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=INLINE_BUSY_SECONDS)
            except sqlite3.Error:
                return None  # the trip through aiosqlite's thread still works
        return self._inline

    # ----------------------------------------------------------------- transactions

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Connection]:
        """Serialise with writes: on a shared connection a read would see another task's open transaction."""
        async with self._lock:
            try:
                yield cast(Connection, self.connection())  # aiosqlite's calls are the protocol's
            except sqlite3.DatabaseError as exc:
                typed = translate(exc)
                if typed is None:
                    raise
                raise typed from exc

    @asynccontextmanager
    async def write(self, changes_ledger: bool = True) -> AsyncIterator[Connection]:
        """One all-or-nothing transaction; any exception (including cancellation) rolls it back.

        `changes_ledger=False` for bookkeeping (the reminder queue) that no ledger answer depends on, so
        it does not invalidate cached answers (see `version`). A busy file raises StoreBusyError, a
        read-only one StoreReadOnlyError before anything starts."""
        if self._read_only:
            raise StoreReadOnlyError()
        async with self._lock:
            db = self.connection()
            try:
                if db.in_transaction:  # belt and braces: a previous rollback was itself cancelled
                    await _rollback(db)
                try:
                    await db.execute("BEGIN IMMEDIATE")  # no rows, so no cursor to close (one round trip)
                    yield cast(Connection, db)
                    await db.execute("COMMIT")
                    self._generation += changes_ledger
                    self._commits += 1
                except BaseException:
                    await _rollback(db)
                    raise
            except sqlite3.DatabaseError as exc:
                typed = translate(exc)
                if typed is None:
                    raise
                raise typed from exc

    async def checkpoint(self) -> bool:
        """Copy the WAL into the main file and truncate it to zero bytes; False if a reader prevented it.

        Why: after a forget-me the deleted rows' old page images still sit in the -wal file until the next
        checkpoint, which a long-running bot may not reach for a long time."""
        if self._read_only:
            return False
        async with self._lock:
            row = await _run(self.connection(), "PRAGMA wal_checkpoint(TRUNCATE)")
        return row is not None and row[0] == 0

    # ----------------------------------------------------------------- change counters

    @property
    def generation(self) -> int:
        """How many ledger-changing commits went through this connection (cheap: no query)."""
        return self._generation

    async def version(self, *, bookkeeping: bool = False) -> tuple[int, int]:
        """Changes whenever the data may have changed: a commit here, or one by any other connection
        (SQLite's data_version, which cannot tell them apart). Answers computed from the ledger are cached
        against it; this process's reminder-queue commits count only with `bookkeeping=True` (for state
        read from the queue itself, such as the DMs-closed notice)."""
        async with self.read():
            # One trip to aiosqlite's thread (execute and fetch there; the statement ends read to its end),
            # not `_run`'s three: every /advise asks for it (cache.SharedVersion), and each trip costs the
            # event loop a thread hand-off.
            rows = list(await self.connection().execute_fetchall("PRAGMA data_version"))
        own = self._commits if bookkeeping else self._generation
        return own, int(rows[0][0]) if rows else 0


__all__ = ["BUSY_TIMEOUT_MS", "Database", "SqliteDatabase", "is_busy", "stamp"]
