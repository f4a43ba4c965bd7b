"""One store interface, two backends: what every store class sees of the database, whichever it is.

Why: the per-job stores (contracts, imports, settings, scores, users, onboarding, the reminder queue) hold
the product's SQL, written once. They get a `Database` and use only its `read()` / `write()` scopes, which
hand them a `Connection`: the few calls they make (execute, fetch one / all, executemany, rowcount), the
same on SQLite (an aiosqlite connection, as is) and on PostgreSQL (`pg_database.PgConnection`, which
translates placeholders). What truly differs lives in the backend modules: `database` (SQLite: one file,
one connection, WAL, BEGIN IMMEDIATE) and `pg_database` (PostgreSQL: a pool, one global write lock),
each with its own migrations. Shaped like Red-DiscordBot's storage drivers: one abstract base, a driver
per backend chosen by the target when opening.

`Database.open(target)` picks the backend: a `postgresql://` (or `postgres://`) URL opens PostgreSQL,
anything else is a SQLite file path (`:memory:` included).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Protocol, Self

from bot.clock import Clock

_URL_RE = re.compile(r"^postgres(?:ql)?://", re.IGNORECASE)


def is_url(target: str | Path) -> bool:
    """Whether `--db` / JSS_ADVISOR_DB names a PostgreSQL server rather than a SQLite file."""
    return isinstance(target, str) and _URL_RE.match(target) is not None


def stamp(moment: datetime) -> str:
    """ISO-8601 UTC with fixed precision, so timestamps sort correctly as text (on both backends)."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class Rows(Protocol):
    """What one executed statement gives back: its rows (if it returns any) and how many rows it changed."""

    @property
    def rowcount(self) -> int: ...

    async def fetchone(self) -> Any: ...

    async def fetchall(self) -> Iterable[Any]: ...


class Connection(Protocol):
    """The calls the stores make inside a `read()` / `write()` scope, on either backend.

    SQL is written once in SQLite's spelling, which PostgreSQL also understands once its placeholders are
    translated: `?` or `:name` parameters, `ON CONFLICT ... DO NOTHING/UPDATE`, `RETURNING`, row values,
    `CAST(? AS INTEGER)` where a bare parameter's type cannot be inferred. Rows index like tuples."""

    def execute(self, sql: str, parameters: Any = None, /) -> Awaitable[Rows]: ...

    def execute_fetchall(self, sql: str, parameters: Any = None, /) -> Awaitable[Iterable[Any]]: ...

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Awaitable[Rows]: ...


class Database(ABC):
    """A migrated ledger database shared by the store classes: SQLite (`database.SqliteDatabase`) or
    PostgreSQL (`pg_database.PgDatabase`). Open with `await Database.open(target)`, close with `close()`.

    Backends register themselves by their `scheme` (see `__init_subclass__`), so this module imports none."""

    scheme: ClassVar[str] = ""
    _backends: ClassVar[dict[str, type[Database]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.scheme:
            Database._backends[cls.scheme] = cls

    @classmethod
    async def open(cls, target: str | Path, *, clock: Clock | None = None) -> Database:
        """Open (creating if needed) and migrate the database at `target` (a file path or a URL)."""
        backend = cls if cls.scheme else Database._backends["postgresql" if is_url(target) else "sqlite"]
        return await backend._open(target, clock)

    @classmethod
    @abstractmethod
    async def _open(cls, target: str | Path, clock: Clock | None) -> Database:
        """This backend's opening: recognise, configure and migrate before anyone else sees it."""

    @property
    @abstractmethod
    def dialect(self) -> str:
        """Which backend, "sqlite" or "postgresql": for the few callers that must know (workers reading files)."""

    @property
    @abstractmethod
    def read_only(self) -> bool:
        """Whether writes are refused (a read-only SQLite file); reads work."""

    @property
    @abstractmethod
    def path(self) -> str:
        """Where the database lives (a file path, or the URL without its password): for log lines and `info`."""

    @abstractmethod
    def now(self) -> str:
        """The clock's current instant as a stored timestamp."""

    @abstractmethod
    def read(self) -> AbstractAsyncContextManager[Connection]:
        """A scope for reads: sees only committed data, never another task's open transaction."""

    async def fetch_small(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of a small read by key (a flag, a count): at most a few rows, committed data only.

        Asked after every command of every user (the DMs-closed notice), so a backend may answer it
        without the trip `read` makes (SQLite: see `SqliteDatabase.fetch_small`); by default it is `read`."""
        async with self.read() as db:
            return [tuple(row) for row in await db.execute_fetchall(sql, parameters)]

    @abstractmethod
    def write(self, changes_ledger: bool = True) -> AbstractAsyncContextManager[Connection]:
        """One all-or-nothing transaction, serialised with every other writer of the database (any
        process), so a read-then-write inside it cannot race. Any exception (cancellation included) rolls
        it back. `changes_ledger=False` for bookkeeping no ledger answer depends on (see `version`)."""

    @abstractmethod
    async def checkpoint(self) -> bool:
        """Make deleted rows' old images unreachable on disk where the backend can (SQLite's WAL)."""

    @property
    @abstractmethod
    def generation(self) -> int:
        """How many ledger-changing commits went through this object (cheap: no query)."""

    @abstractmethod
    async def version(self, *, bookkeeping: bool = False) -> tuple[int, int]:
        """Changes whenever the data may have changed, by this process or any other: answers are cached
        against it. Queue-only commits count only with `bookkeeping=True`."""

    @abstractmethod
    async def close(self) -> None:
        """Close (idempotent); waits for an operation in progress to finish."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


__all__ = ["Connection", "Database", "Rows", "is_url", "stamp"]
