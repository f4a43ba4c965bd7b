"""The PostgreSQL backend: a connection pool every store shares, through the same `read()` / `write()` scopes.

Chosen when `--db` / JSS_ADVISOR_DB is a `postgresql://` URL (see `backend.Database.open`). asyncpg is
imported only then, so a SQLite user never pays for it.

Transaction rules, each for a reason:

* Every write is one transaction (READ COMMITTED) whose first statement bumps the change counters in the
  single `jss_advisor_meta` row. That row lock is held to the commit, so it is one global write lock for
  every process on the database: exactly what SQLite's BEGIN IMMEDIATE serialises. Why global rather than
  a per-user advisory lock or SERIALIZABLE with retries: a write scope does not know its users (a bulk
  import and a reminder claim span many, and the schema's triggers write per-user state), every store's
  read-then-write reasoning was made for one writer at a time, and a retry loop would re-run callers'
  `derive` functions. Each statement in it sees every commit made before it, so reads inside a write see
  the latest data, as under BEGIN IMMEDIATE. A writer waiting longer than `BUSY_TIMEOUT_MS` for the lock
  gets StoreBusyError, like SQLite's busy timeout. (For more write throughput across processes, the next
  step is per-user lock keys passed to `write()`.)
* Reads take a pooled connection and run outside any transaction: each statement sees committed data
  only (MVCC), so no lock is needed, unlike SQLite's single shared connection.
* The counters are how `version()` sees other processes' commits: a cheap one-row read per check.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from bot.clock import Clock, SystemClock

from .backend import Connection, Database, stamp
from .errors import StoreBusyError, StoreError, StoreOpenError, StoreReadOnlyError
from .pg_migrations import MARKER_TABLE, migrate
from .pg_sql import row_count, translate

if TYPE_CHECKING:
    import asyncpg

BUSY_TIMEOUT_MS = 5_000
CONNECT_TIMEOUT_S = 10.0
POOL_SIZE = 10
_BUMP = f"UPDATE {MARKER_TABLE} SET commits = commits + 1, ledger = ledger + $1 WHERE id = 1"


class PgRows:
    """An executed statement's rows (as tuples, like SQLite's) and the rows it changed."""

    __slots__ = ("_rows", "rowcount")

    def __init__(self, rowcount: int, rows: list[tuple[Any, ...]]) -> None:
        self.rowcount = rowcount
        self._rows = rows

    async def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None

    async def fetchall(self) -> list[tuple[Any, ...]]:
        return self._rows


class PgConnection:
    """The stores' `Connection` over one asyncpg connection: placeholders translated (`pg_sql.translate`)."""

    __slots__ = ("_conn",)

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, parameters: Any = None, /) -> PgRows:
        statement = translate(sql)
        args = statement.bind(parameters)
        if statement.returns_rows:
            rows = [tuple(record) for record in await self._conn.fetch(statement.sql, *args)]
            return PgRows(len(rows), rows)
        return PgRows(row_count(await self._conn.execute(statement.sql, *args)), [])

    async def execute_fetchall(self, sql: str, parameters: Any = None, /) -> list[tuple[Any, ...]]:
        return (await self.execute(sql, parameters))._rows

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> PgRows:
        """Pipelined by asyncpg; PostgreSQL reports no total, so `rowcount` is -1 (as for a SQLite SELECT)."""
        statement = translate(sql)
        rows = [statement.bind(row) for row in parameters]
        if rows:
            await self._conn.executemany(statement.sql, rows)
        return PgRows(-1, [])


def shown_url(url: str) -> str:
    """The URL without its password, for log lines and the console's `info`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def translate_error(exc: BaseException) -> StoreError | None:
    """The typed store error for a failure of the server or its locks, else None: constraint violations and
    programming errors stay what they are."""
    import asyncpg

    if isinstance(exc, asyncpg.exceptions.LockNotAvailableError | asyncpg.exceptions.DeadlockDetectedError):
        return StoreBusyError()
    if isinstance(exc, asyncpg.exceptions.ReadOnlySQLTransactionError):
        return StoreReadOnlyError()
    if isinstance(exc, asyncpg.exceptions.ConnectionDoesNotExistError | asyncpg.exceptions.CannotConnectNowError):
        return StoreBusyError()
    return None


@contextmanager
def typed_errors() -> Iterator[None]:
    """Raise the typed store error for what `translate_error` knows; anything else as it is."""
    try:
        yield
    except Exception as exc:
        typed = translate_error(exc)
        if typed is None:
            raise
        raise typed from exc


class PgDatabase(Database):
    """One migrated PostgreSQL database behind an asyncpg pool, shared by the store classes."""

    scheme = "postgresql"

    def __init__(self, pool: asyncpg.Pool, url: str, clock: Clock) -> None:
        """Internal: use `Database.open(url)`, which recognises and migrates the database first."""
        self._pool: asyncpg.Pool | None = pool
        self._url = url
        self._clock = clock
        self._generation = 0
        self._commits = 0

    @classmethod
    async def _open(cls, target: str | Path, clock: Clock | None) -> PgDatabase:
        import asyncpg

        url = str(target)
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=1,
                max_size=POOL_SIZE,
                timeout=CONNECT_TIMEOUT_S,
                server_settings={"lock_timeout": str(BUSY_TIMEOUT_MS), "application_name": "jss-advisor"},
            )
        except (OSError, TimeoutError, ValueError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise StoreOpenError("cannot_connect") from exc
        try:
            async with pool.acquire() as conn:
                await migrate(conn)
        except BaseException as exc:
            await pool.close()
            typed = translate_error(exc)
            if typed is not None:
                raise typed from exc
            raise
        return cls(pool, url, clock or SystemClock())

    @property
    def dialect(self) -> str:
        return "postgresql"

    @property
    def read_only(self) -> bool:
        return False

    @property
    def path(self) -> str:
        return shown_url(self._url)

    @property
    def url(self) -> str:
        """The full URL (with its password): for a process that opens its own connection."""
        return self._url

    def now(self) -> str:
        return stamp(self._clock.now())

    def pool(self) -> asyncpg.Pool:
        """The pool, for white-box tests and diagnostics only."""
        if self._pool is None:
            raise StoreError("the ledger store is closed")
        return self._pool

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Connection]:
        async with self.pool().acquire() as conn:
            with typed_errors():
                yield PgConnection(conn)

    @asynccontextmanager
    async def write(self, changes_ledger: bool = True) -> AsyncIterator[Connection]:
        """One transaction holding the global write lock (the module docstring says why)."""
        async with self.pool().acquire() as conn:
            with typed_errors():
                async with conn.transaction():
                    await conn.execute(_BUMP, int(changes_ledger))
                    yield PgConnection(conn)
        self._generation += changes_ledger
        self._commits += 1

    async def checkpoint(self) -> bool:
        """Nothing to do here: PostgreSQL reclaims deleted rows' space by (auto)vacuum, not a checkpoint."""
        return False

    @property
    def generation(self) -> int:
        return self._generation

    async def version(self, *, bookkeeping: bool = False) -> tuple[int, int]:
        """The database's own counters, bumped in every write transaction by any process: ledger-changing
        ones only, or every commit with `bookkeeping=True`."""
        async with self.read() as db:
            rows = list(await db.execute_fetchall(f"SELECT ledger, commits FROM {MARKER_TABLE} WHERE id = 1"))
        own = self._commits if bookkeeping else self._generation
        return own, int(rows[0][1] if bookkeeping else rows[0][0])


__all__ = ["BUSY_TIMEOUT_MS", "PgConnection", "PgDatabase", "shown_url", "translate_error"]
