"""The one SQLite connection every store shares: opening, transactions, change counters, closing.

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
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiosqlite

from bot.clock import Clock, SystemClock

from .errors import StoreBusyError, StoreError, StoreVersionError
from .migrations import migrate
from .search import fold

BUSY_TIMEOUT_MS = 5_000


def stamp(moment: datetime) -> str:
    """ISO-8601 UTC with fixed precision, so timestamps sort correctly as text."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


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


async def _configure(db: aiosqlite.Connection) -> None:
    """Pragmas, schema migrations and SQL functions, before anyone else sees the connection.

    WAL lets readers in other processes (console, batch jobs) proceed during a write; synchronous=NORMAL
    is durable against process crashes in WAL mode and only risks the last commits on power loss;
    busy_timeout makes a second writer wait instead of failing at once."""
    await _run(db, f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    await _run(db, "PRAGMA foreign_keys = ON")
    await _enable_wal(db)
    await _run(db, "PRAGMA synchronous = NORMAL")
    row = await _run(db, "PRAGMA foreign_keys")
    if row is None or row[0] != 1:
        raise RuntimeError("this SQLite build cannot enforce foreign keys")
    await migrate(db)
    await db.create_function("jss_fold", 1, fold, deterministic=True)


class Database:
    """One migrated SQLite file behind one aiosqlite connection, shared by the store classes.

    Open with `await Database.open(path)` (or through `LedgerStore.open`) and close with `await db.close()`
    or `async with`; an unclosed database keeps a worker thread alive.
    """

    def __init__(self, connection: aiosqlite.Connection, path: str, clock: Clock) -> None:
        """Internal: use `open`, which configures and migrates the connection first."""
        self._db: aiosqlite.Connection | None = connection
        self._path = path
        self._clock = clock
        self._lock = asyncio.Lock()
        self._generation = 0  # bumped by every ledger-changing commit (see `version`)
        self._commits = 0  # bumped by every commit, bookkeeping included

    @classmethod
    async def open(cls, path: str | Path, *, clock: Clock | None = None) -> Database:
        """Open (creating if needed) and migrate the database at `path`. `clock` is for tests."""
        target = str(path)
        if target != ":memory:" and not target.startswith("file:"):
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(target, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            await _configure(db)
        except sqlite3.DatabaseError as exc:
            await db.close()
            if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
                raise StoreBusyError() from exc
            if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
                raise StoreVersionError("this file is not a JSS Advisor ledger database") from exc
            raise
        except BaseException:
            await db.close()
            raise
        return cls(db, target, clock or SystemClock())

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
            if db is not None:
                await db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    # ----------------------------------------------------------------- transactions

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """Serialise with writes: on a shared connection a read would see another task's open transaction."""
        async with self._lock:
            yield self.connection()

    @asynccontextmanager
    async def write(self, changes_ledger: bool = True) -> AsyncIterator[aiosqlite.Connection]:
        """One all-or-nothing transaction; any exception (including cancellation) rolls it back.

        `changes_ledger=False` for bookkeeping (the reminder queue) that no ledger answer depends on, so
        it does not invalidate cached answers (see `version`). A busy file raises StoreBusyError."""
        async with self._lock:
            db = self.connection()
            try:
                if db.in_transaction:  # belt and braces: a previous rollback was itself cancelled
                    await _rollback(db)
                try:
                    await db.execute("BEGIN IMMEDIATE")  # no rows, so no cursor to close (one round trip)
                    yield db
                    await db.execute("COMMIT")
                    self._generation += changes_ledger
                    self._commits += 1
                except BaseException:
                    await _rollback(db)
                    raise
            except sqlite3.OperationalError as exc:
                if is_busy(exc):
                    raise StoreBusyError() from exc
                raise

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
        async with self.read() as db:
            row = await _run(db, "PRAGMA data_version")
        own = self._commits if bookkeeping else self._generation
        return own, int(row[0]) if row else 0


__all__ = ["BUSY_TIMEOUT_MS", "Database", "is_busy", "stamp"]
