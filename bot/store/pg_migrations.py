"""PostgreSQL's schema: recognising a database before touching it, and versioned migrations run on start.

Why a twin of every SQLite migration (`migrations/postgresql/NNNN_name.sql`, same numbers): the schema
history is the same product history, and a database on either backend at version N has the same tables
and meaning. The PostgreSQL files differ only where the dialects do (typed columns instead of `typeof`
checks, identity ids, trigger functions, `COLLATE "C"` on text so ordering is byte order as in SQLite).

The version and the "this is a JSS Advisor ledger" marker live in the `jss_advisor_meta` row (created by
migration 1), next to the change counters (see `pg_database.PgDatabase.version`). A server database has
no file header to protect, so the equivalent of `opening.check_recognised` is: a database with tables but
no marker is another application's, and one whose version is newer than this release knows is refused;
both without writing anything.

Each migration runs in its own transaction under a transaction-level advisory lock, re-reading the version
after taking it, so several processes starting at once apply each step exactly once, and a failure leaves
the database at the previous version.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from .errors import StoreVersionError
from .migrations import Migration, latest_version
from .pg_sql import fold_function, fold_function_ddl

if TYPE_CHECKING:
    import asyncpg

_FILE_RE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_CONTROL_RE = re.compile(
    r"^[ \t]*(COMMIT\b|ROLLBACK\b|BEGIN[ \t]*;|START[ \t]+TRANSACTION\b)", re.IGNORECASE | re.MULTILINE
)
MIGRATION_LOCK = 0x4A535341  # "JSSA": the advisory lock key migrations take (the SQLite application id)
MARKER_TABLE = "jss_advisor_meta"


def foreign_database() -> StoreVersionError:
    """The refusal of a PostgreSQL database that already holds another application's tables."""
    return StoreVersionError(
        "this PostgreSQL database holds another application's tables, not a JSS Advisor ledger; "
        "it was left untouched (give an empty database or a JSS Advisor one)"
    )


def newer_schema(version: int) -> StoreVersionError:
    return StoreVersionError(
        f"this ledger database was written by a newer version of JSS Advisor (schema {version}, "
        f"this version knows up to {latest_version()}); please upgrade"
    )


@cache
def load_pg_migrations() -> tuple[Migration, ...]:
    """The PostgreSQL migrations in version order: numbered 1..N without gaps, one per SQLite migration."""
    folder = resources.files("bot.store") / "migrations" / "postgresql"
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _FILE_RE.match(entry.name)
        if match is not None:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"PostgreSQL migrations must be numbered 1..N without gaps; missing {expected:04d}")
        if _CONTROL_RE.search(migration.sql):
            raise ValueError(f"PostgreSQL migration {migration.version:04d} must not control transactions")
    if len(found) != latest_version():
        raise RuntimeError(
            f"every SQLite migration needs its PostgreSQL twin: {latest_version()} SQLite, {len(found)} PostgreSQL"
        )
    return tuple(found)


async def _has_marker(conn: asyncpg.Connection) -> bool:
    """Whether the marker table exists, read from pg_class with this statement's snapshot: a name lookup
    (`to_regclass`) may answer from a cache that a wait on the advisory lock does not refresh."""
    return bool(
        await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM pg_class "
            "WHERE relname = $1 AND relnamespace = current_schema()::regnamespace)",
            MARKER_TABLE,
        )
    )


async def schema_version(conn: asyncpg.Connection) -> int:
    """The version in the marker row (0 for a database without one)."""
    if not await _has_marker(conn):
        return 0
    return int(await conn.fetchval(f"SELECT schema_version FROM {MARKER_TABLE} WHERE id = 1") or 0)


async def check_recognised(conn: asyncpg.Connection) -> int:
    """Refuse another application's database and a newer schema (reads only); returns the version."""
    tables = await conn.fetchval(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    )
    version = await schema_version(conn)
    if version == 0 and tables and not await _has_marker(conn):
        raise foreign_database()
    if version > latest_version():
        raise newer_schema(version)
    return version


async def migrate(conn: asyncpg.Connection, *, target: int | None = None) -> int:
    """Bring the database up to `target` (default: latest), one transaction per migration; then make sure
    `jss_fold` is this release's. Returns the resulting version."""
    steps = load_pg_migrations()
    goal = len(steps) if target is None else target
    if not 0 <= goal <= len(steps):
        raise ValueError(f"target version {goal} is outside 0..{len(steps)}")
    for step in steps[await check_recognised(conn) : goal]:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            current = await schema_version(conn)
            if current > len(steps):
                raise newer_schema(current)
            if current < step.version:
                await conn.execute(step.sql)  # no arguments: the whole file in one simple-protocol round trip
                await conn.execute(f"UPDATE {MARKER_TABLE} SET schema_version = $1 WHERE id = 1", step.version)
    if goal == len(steps):
        await _ensure_fold(conn)
    return await schema_version(conn)


async def _ensure_fold(conn: asyncpg.Connection) -> None:
    """(Re)create `jss_fold` when its body is not this Python's casefold table (first start, or a newer
    Python's Unicode). Compared first, so a normal start writes nothing."""
    wanted = f" {fold_function()} "
    current = await conn.fetchval(
        "SELECT prosrc FROM pg_proc WHERE proname = 'jss_fold' AND pronamespace = current_schema()::regnamespace"
    )
    if current == wanted:
        return
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
        await conn.execute(fold_function_ddl())


__all__ = ["MARKER_TABLE", "check_recognised", "load_pg_migrations", "migrate", "schema_version"]
