"""Moving every ledger from one database to another (`jss-advisor migrate`): SQLite to PostgreSQL, and back.

Why a service of its own, outside `Services`: the other services work on one open store, this one on two,
and it runs once, from the console, before a deployment switches database. The copying itself is the
store's (`bot.store.transfer`: one snapshot of the source, one transaction on the target, row counts
checked before the commit); this service opens the two databases, refuses what would lose or mix data
(a missing source file, the same database twice, a target that already holds data without `replace`)
and turns every failure into one sentence (`migrate_message.txt.j2`) naming which side or table failed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from bot.clock import Clock, SystemClock
from bot.render import Answer, OutputFormat, render_answer
from bot.render.text import render_text
from bot.store import Database, StoreError, is_url
from bot.store.transfer import (
    NOT_COPIED,
    TABLES,
    CountMismatchError,
    TargetNotEmptyError,
    TransferError,
    copy_database,
)

from .errors import ServiceError, service_error

MAX_CAUSE_CHARS = 100  # the whole error line is shown bounded to 200 characters
PROGRESS_EVERY_ROWS = 100_000  # a progress line per this many rows of a table...
PROGRESS_FROM_ROWS = 10_000  # ...and one when it is done, for tables at least this big (small files stay quiet)

ProgressLine = Callable[[str], None]


def _message(reason: str, **values: object) -> str:
    return render_text("migrate_message.txt.j2", reason=reason, **values)


def _cause(exc: BaseException) -> str:
    """The underlying error in one short line: its type and the first line of its text."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    line = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return line if len(line) <= MAX_CAUSE_CHARS else line[: MAX_CAUSE_CHARS - 1] + "…"


def _where(target: str | Path) -> str:
    """A database named for messages: a file path, or a URL without its password."""
    if is_url(target):
        from bot.store.pg_database import shown_url

        return shown_url(str(target))
    return str(target)


def _same(source: str | Path, target: str | Path) -> bool:
    if is_url(source) or is_url(target):
        return str(source) == str(target)
    return Path(source).resolve() == Path(target).resolve()


def _remove_ledger_file(path: Path) -> None:
    """Remove a SQLite file (and its -wal, -shm) that a failed run created."""
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)


class MigrationService:
    """Copies a whole database (every user's ledger and everything else it holds) into another one."""

    def __init__(self, fmt: OutputFormat = OutputFormat.CONSOLE, clock: Clock | None = None) -> None:
        self.fmt = fmt
        self.clock = clock or SystemClock()

    def _error(self, key: str, reason: str, **values: object) -> ServiceError:
        return service_error(self.fmt, key, detail=_message(reason, **values))

    async def migrate(
        self,
        source: str | Path,
        target: str | Path,
        *,
        replace: bool = False,
        progress: ProgressLine | None = None,
    ) -> Answer:
        """Copy `source` into `target` (either a SQLite file or a PostgreSQL URL), all or nothing."""
        if not is_url(source) and not await asyncio.to_thread(Path(source).is_file):
            raise self._error("not_found", "no_source", path=str(source))
        if _same(source, target):
            raise self._error("bad_input", "same_database")
        new_file = None if is_url(target) else Path(target)
        if new_file is not None and await asyncio.to_thread(new_file.exists):
            new_file = None
        source_db = await self._open("source", source)
        try:
            target_db = await self._open("target", target)
            try:
                copied = await self._copy(source_db, target_db, replace, progress)
            finally:
                await target_db.close()
        except BaseException:
            if new_file is not None:  # "as it was" for a file this run created: not there at all
                await asyncio.to_thread(_remove_ledger_file, new_file)
            raise
        finally:
            await source_db.close()
        return render_answer(
            "migrate",
            {
                "users": copied["users"],
                "contracts": copied["contracts"],
                "source": _where(source),
                "target": _where(target),
                "target_is_url": is_url(target),
                "replaced": replace,
                "tables": [(table.name, copied[table.name]) for table in TABLES],
            },
            self.fmt,
            level="good",
            data={
                "tables": copied,
                "not_copied": sorted(NOT_COPIED),
                "source": _where(source),
                "target": _where(target),
            },
        )

    async def _open(self, side: str, where: str | Path) -> Database:
        try:
            return await Database.open(where, clock=self.clock)
        except StoreError as exc:
            raise self._error("bad_input", "open_failed", side=side, detail=str(exc)) from exc

    async def _copy(
        self, source: Database, target: Database, replace: bool, progress: ProgressLine | None
    ) -> dict[str, int]:
        shown: dict[str, int] = {}

        def report(table: str, done: int, total: int) -> None:
            if progress is None or total < PROGRESS_FROM_ROWS:
                return
            step = done // PROGRESS_EVERY_ROWS
            if done == total or step > shown.get(table, 0):
                shown[table] = step
                progress(_message("progress", table=table, done=done, total=total))

        try:
            return await copy_database(source, target, replace=replace, progress=report)
        except TargetNotEmptyError as exc:
            raise self._error("exists", "not_empty", tables=len(exc.rows), rows=sum(exc.rows.values())) from exc
        except TransferError as exc:
            raise self._error("migrate_failed", "copy_failed", table=exc.table, cause=_cause(exc.cause)) from exc
        except CountMismatchError as exc:
            raise self._error(
                "migrate_failed", "count_mismatch", table=exc.table, source=exc.source, target=exc.target
            ) from exc


__all__ = ["MigrationService"]
