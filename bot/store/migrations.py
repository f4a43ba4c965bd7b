"""Versioned schema migrations, applied when a store is opened.

Why files and `PRAGMA user_version`: the schema history is reviewable SQL, the version lives inside the
database file itself (no bookkeeping table to get out of sync), and each migration runs in its own
transaction together with the version bump, so a crash or an error mid-migration leaves the file at the
previous version with the previous schema, ready to be migrated again.

Migration files are `migrations/NNNN_name.sql`, numbered from 0001 without gaps, and must not contain
transaction control statements (the runner owns the transaction).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import cache
from importlib import resources

import aiosqlite

from bot.store.errors import StoreVersionError

_FILE_RE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "VACUUM"})


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: the version it produces and the statements that produce it."""

    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """The SQL split into single statements (sqlite3's execute runs exactly one).

        Transaction control is refused: a COMMIT inside a file would end the runner's transaction early
        and break the all-or-nothing guarantee.
        """
        statements = split_statements(self.sql)
        for statement in statements:
            if first_keyword(statement) in _TRANSACTION_CONTROL:
                raise ValueError(
                    f"migration {self.version:04d}_{self.name} must not contain {first_keyword(statement)}"
                )
        return statements


def split_statements(sql: str) -> list[str]:
    """Split a script on statement boundaries as SQLite sees them (semicolons in strings are safe)."""
    statements: list[str] = []
    buffer = ""
    *pieces, tail = sql.split(";")
    for piece in pieces:
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if _has_code(buffer):
                statements.append(buffer.strip())
            buffer = ""
    buffer += tail
    if _has_code(buffer):
        raise ValueError(f"unterminated SQL statement: {buffer.strip()[:60]!r}")
    return statements


def first_keyword(statement: str) -> str:
    """The statement's leading keyword in upper case, skipping comment lines."""
    for line in statement.splitlines():
        code = line.split("--", 1)[0].strip()
        if code:
            return code.split(None, 1)[0].rstrip(";").upper()
    return ""


def _has_code(chunk: str) -> bool:
    """Whether a chunk holds more than comments, whitespace and semicolons."""
    for line in chunk.splitlines():
        code = line.split("--", 1)[0].strip().strip(";").strip()
        if code:
            return True
    return False


@cache
def load_migrations() -> tuple[Migration, ...]:
    """The packaged migrations in version order; checked to be numbered 1..N without gaps."""
    folder = resources.files("bot.store") / "migrations"
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _FILE_RE.match(entry.name)
        if match is None:
            continue
        found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration files must be numbered 1..N without gaps; missing {expected:04d}")
    return tuple(found)


def latest_version() -> int:
    """The schema version a fully migrated database has."""
    return len(load_migrations())


async def schema_version(db: aiosqlite.Connection) -> int:
    """The version recorded in the database header (0 for a new or empty file)."""
    async with db.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row is not None else 0


async def migrate(
    db: aiosqlite.Connection,
    *,
    target: int | None = None,
    migrations: tuple[Migration, ...] | None = None,
) -> int:
    """Bring the database up to `target` (default: latest), one transaction per migration.

    `db` must be in autocommit mode (isolation_level=None) so the explicit BEGIN/COMMIT here are the
    only transaction control. The version is re-read after taking the write lock, so two processes
    opening the same file at once do not both apply a step. Returns the resulting version.
    """
    steps = load_migrations() if migrations is None else migrations
    goal = len(steps) if target is None else target
    if not 0 <= goal <= len(steps):
        raise ValueError(f"target version {goal} is outside 0..{len(steps)}")
    current = await schema_version(db)
    if current > len(steps):
        raise StoreVersionError(
            f"this ledger database was written by a newer version of JSS Advisor (schema {current}, "
            f"this version knows up to {len(steps)}); please upgrade"
        )
    for step in steps[current:goal]:
        await db.execute("BEGIN IMMEDIATE")
        try:
            if await schema_version(db) < step.version:
                for statement in step.statements():
                    await db.execute(statement)
                # PRAGMA takes no parameters; the version is an int we computed, not input.
                await db.execute(f"PRAGMA user_version = {int(step.version)}")
            await db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                await db.execute("ROLLBACK")
            raise
    return await schema_version(db)
