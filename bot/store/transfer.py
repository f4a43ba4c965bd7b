"""Copying a whole database to another one, either backend to either backend (`jss-advisor migrate`).

Why through the public scopes and not a dump: the stores' SQL already runs on both backends, so reading
through the source's `read()` and writing through the target's `write()` needs no per-dialect export
format and checks every row against the target's own constraints on the way in.

How, each for a reason:

* One snapshot of the source (a read transaction held for the whole copy): a bot still writing to it
  cannot make the copy half old, half new.
* One transaction on the target: all or nothing. A failure anywhere (a row the target refuses, the server
  going away, Ctrl-C) leaves the target exactly as it was; nothing to resume.
* Tables in foreign-key order, each read in pages by its primary key (keyset), so memory stays one page
  whatever the size of the file.
* Ids are kept (audit, reminders): a reminder's Discord nonce is made of its id, so a resend after the move
  is still deduplicated. On PostgreSQL the identity sequences then move past the copied ids.
* `reminder_users` last: the schema's triggers mark users for a re-plan while their contracts and settings
  are copied (on SQLite; PostgreSQL's are switched off during the copy, see `_set_triggers`); those marks
  are dropped and the source's rows (with their counters) copied as they were.
* Before committing, the target's row count of every table is compared with the source's.

Every table of the schema is either in `TABLES` or in `NOT_COPIED` with its reason; a test checks that
against the migrated schema, so a new table cannot be forgotten silently.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from .backend import Connection, Database
from .errors import StoreError
from .rows import CONTRACT_COLUMNS

PAGE_ROWS = 2_000


@dataclass(frozen=True, slots=True)
class Table:
    """One copied table: its columns and its primary key (the keyset order of the pages)."""

    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    identity: bool = False  # an integer id PostgreSQL generates: its sequence must move past copied ids


TABLES: tuple[Table, ...] = (
    Table("users", ("user_id", "created_at"), ("user_id",)),
    Table(
        "user_settings",
        (
            "user_id",
            "timezone",
            "reminders_enabled",
            "cadence",
            "quiet_start",
            "quiet_end",
            "dm_closed",
            "idle_reminder_days",
            "updated_at",
            "send_time",
        ),
        ("user_id",),
    ),
    Table("guild_settings", ("guild_id", "forum_channel_id", "updated_at"), ("guild_id",)),
    Table("contracts", ("user_id", *CONTRACT_COLUMNS), ("user_id", "contract_id")),
    Table("close_requests", ("user_id", "contract_id", "requested_on"), ("user_id", "contract_id", "requested_on")),
    Table(
        "imported_payments",
        ("user_id", "contract_id", "export_kind", "payment_key", "category", "amount_cents", "payment_kind"),
        ("user_id", "export_kind", "payment_key"),
    ),
    Table(
        "pending_refunds",
        ("user_id", "export_kind", "payment_key", "refers_key", "day", "amount_cents", "kind"),
        ("user_id", "export_kind", "payment_key"),
    ),
    Table(
        "onboarding_questions",
        ("user_id", "contract_id", "position", "state", "updated_at", "asked_on"),
        ("user_id", "contract_id"),
    ),
    Table("score_snapshots", ("user_id", "recorded_on", "jss", "created_at"), ("user_id", "recorded_on")),
    Table("audit", ("id", "user_id", "at", "action", "contract_id", "detail"), ("id",), identity=True),
    Table("reminder_kinds_off", ("user_id", "kind"), ("user_id", "kind")),
    Table(
        "reminders",
        (
            "id",
            "user_id",
            "contract_id",
            "rule_id",
            "due_on",
            "kind",
            "state",
            "planned_at",
            "deliver_at",
            "facts",
            "delivery",
            "attempts",
            "claim_token",
            "claimed_at",
            "message_id",
            "sent_at",
            "last_error",
            "created_at",
            "updated_at",
        ),
        ("id",),
        identity=True,
    ),
    # Last: the triggers wrote rows here while the tables above were copied (see the module docstring).
    Table("reminder_users", ("user_id", "replan_at", "planned_on", "changes", "dm_notice", "updated_at"), ("user_id",)),
)

NOT_COPIED: dict[str, str] = {
    "job_leases": (
        "which live process runs a periodic job: a lease names a process of the source's deployment; "
        "copied, it would keep the target's processes waiting for a holder that never runs there"
    ),
    "jss_advisor_meta": "PostgreSQL's schema marker and change counters: every database has its own",
}

Progress = Callable[[str, int, int], None]


class TargetNotEmptyError(StoreError):
    """The target already holds data and the caller did not ask to replace it; nothing was written."""

    def __init__(self, rows: dict[str, int]) -> None:
        self.rows = rows
        super().__init__("the target database is not empty")


class TransferError(StoreError):
    """Copying `table` failed; the target was rolled back. `cause` is the underlying error, for the reason."""

    def __init__(self, table: str, cause: BaseException) -> None:
        self.table = table
        self.cause = cause
        super().__init__(f"copying table {table} failed: {type(cause).__name__}")


class CountMismatchError(StoreError):
    """After the copy a table's row count differed from the source's; the target was rolled back."""

    def __init__(self, table: str, source: int, target: int) -> None:
        self.table, self.source, self.target = table, source, target
        super().__init__(f"table {table}: {source} rows in the source, {target} in the target")


@asynccontextmanager
async def snapshot(db: Database) -> AsyncIterator[Connection]:
    """A read scope inside one read-only transaction: every page read through it sees the same instant."""
    begin = "BEGIN" if db.dialect == "sqlite" else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    async with db.read() as conn:
        await conn.execute(begin)
        try:
            yield conn
        finally:
            await conn.execute("ROLLBACK")


async def count_rows(conn: Connection, tables: Sequence[Table] = TABLES) -> dict[str, int]:
    """Rows per copied table, as `conn` sees them."""
    counts: dict[str, int] = {}
    for table in tables:
        rows = list(await conn.execute_fetchall(f"SELECT count(*) FROM {table.name}"))  # read to the end
        counts[table.name] = int(rows[0][0])
    return counts


def _page_sql(table: Table, first: bool) -> str:
    columns = ", ".join(table.columns)
    order = ", ".join(table.key)
    where = "" if first else f" WHERE ({order}) > ({', '.join('?' for _ in table.key)})"
    return f"SELECT {columns} FROM {table.name}{where} ORDER BY {order} LIMIT ?"


async def pages(conn: Connection, table: Table, size: int = PAGE_ROWS) -> AsyncIterator[list[tuple[Any, ...]]]:
    """The table's rows in primary-key order, `size` at a time (keyset: no OFFSET, so every page costs the same)."""
    positions = [table.columns.index(column) for column in table.key]
    after: tuple[Any, ...] | None = None
    while True:
        sql = _page_sql(table, after is None)
        rows = [tuple(row) for row in await conn.execute_fetchall(sql, (*(after or ()), size))]
        if not rows:
            return
        yield rows
        if len(rows) < size:
            return
        after = tuple(rows[-1][i] for i in positions)


async def _clear(conn: Connection) -> None:
    for table in reversed(TABLES):
        await conn.execute(f"DELETE FROM {table.name}")


async def _set_triggers(conn: Connection, action: str) -> None:
    """PostgreSQL: the schema's own triggers (the re-plan marks) off while copying, on again before the commit.

    Why: they run a PL/pgSQL function per copied row, which made the copy several times slower, only to
    write marks that `reminder_users` (copied last) replaces anyway. `USER` leaves the foreign-key checks on.
    ALTER TABLE is transactional, so a failed copy leaves them on; it needs the tables' owner, which the
    role that created them (the first start on that database) is."""
    for table in TABLES:
        await conn.execute(f"ALTER TABLE {table.name} {action} TRIGGER USER")


async def _move_sequences(conn: Connection) -> None:
    """PostgreSQL: identity columns take their next id from a sequence that explicit ids do not advance."""
    for table in TABLES:
        if table.identity:
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
            )


async def copy_database(
    source: Database,
    target: Database,
    *,
    replace: bool = False,
    progress: Progress | None = None,
    page_rows: int = PAGE_ROWS,
) -> dict[str, int]:
    """Copy every table of `source` into `target` in one transaction; returns the rows copied per table.

    Refuses (TargetNotEmptyError, nothing written) when the target holds data, unless `replace`, which
    empties it first in the same transaction. Raises TransferError naming the table that failed, or
    CountMismatchError; either way the target is left as it was."""
    async with snapshot(source) as reader:
        totals = await count_rows(reader)
        async with target.write() as writer:
            existing = {name: rows for name, rows in (await count_rows(writer)).items() if rows}
            if existing and not replace:
                raise TargetNotEmptyError(existing)
            if existing:
                await _clear(writer)
            postgres = target.dialect == "postgresql"
            if postgres:
                await _set_triggers(writer, "DISABLE")
            for table in TABLES:
                await _copy_table(reader, writer, table, totals[table.name], progress, page_rows)
            if postgres:
                await _set_triggers(writer, "ENABLE")
                await _move_sequences(writer)
            copied = await count_rows(writer)
            for name, rows in totals.items():
                if copied[name] != rows:
                    raise CountMismatchError(name, rows, copied[name])
    return copied


async def _copy_table(
    reader: Connection, writer: Connection, table: Table, total: int, progress: Progress | None, page_rows: int
) -> None:
    insert = f"INSERT INTO {table.name} ({', '.join(table.columns)}) VALUES ({', '.join('?' for _ in table.columns)})"
    done = 0
    try:
        if table.name == "reminder_users":
            await writer.execute("DELETE FROM reminder_users")  # the triggers' marks, made during this copy
        async for rows in pages(reader, table, page_rows):
            await writer.executemany(insert, rows)
            done += len(rows)
            if progress is not None:
                progress(table.name, done, total)
    except StoreError:
        raise
    except Exception as exc:
        raise TransferError(table.name, exc) from exc
    if progress is not None and done == 0:
        progress(table.name, 0, total)


__all__ = [
    "NOT_COPIED",
    "PAGE_ROWS",
    "TABLES",
    "CountMismatchError",
    "Progress",
    "Table",
    "TargetNotEmptyError",
    "TransferError",
    "copy_database",
    "count_rows",
    "pages",
    "snapshot",
]
