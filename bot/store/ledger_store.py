"""The durable per-user ledger store: one SQLite file, one aiosqlite connection, async API.

Design rules, each for a reason:

* Every query takes the user id as a bound parameter and filters on it, so one user can never read or
  change another user's contracts, even when both use the same contract id.
* Every write runs in an explicit `BEGIN IMMEDIATE ... COMMIT` (rolled back on any error) and writes
  its audit row inside the same transaction: a change and its history are saved together or not at all.
  IMMEDIATE takes the write lock up front, so read-then-write steps (does the id exist? is the contract
  ended?) cannot race another process.
* One asyncio lock serialises all operations on the single connection: otherwise a read from another
  task could see a half-finished import through the same connection.
* Untrusted text (ids, titles, search input) only ever travels as SQL parameters.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self, TypeVar

import aiosqlite

from scoring.model import CONTRACT_ID_PATTERN, Contract, Ledger

from .errors import (
    ContractEndedError,
    ContractExistsError,
    ContractNotFoundError,
    InvalidIdError,
    StoreBusyError,
    StoreError,
    StoreVersionError,
)
from .migrations import migrate
from .models import AuditAction, AuditEntry, CountedPayment, ImportSummary
from .rows import (
    CONTRACT_COLUMNS,
    ContractRow,
    contract_to_row,
    request_dates,
    row_to_contract,
    split_requests,
)
from .search import choice_label, fold, like_patterns
from .settings import UserSettings, apply_changes

ImportMode = Literal["replace", "merge"]
T = TypeVar("T")
Clock = Callable[[], datetime]

BUSY_TIMEOUT_MS = 5_000
MAX_USER_ID_CHARS = 100
_ID_RE = re.compile(CONTRACT_ID_PATTERN)

_COLUMNS = ", ".join(CONTRACT_COLUMNS)
_PLACEHOLDERS = ", ".join("?" * (len(CONTRACT_COLUMNS) + 1))
# Column names below come from CONTRACT_COLUMNS (code, not input); values are always `?` parameters.
_SELECT_CONTRACTS = (
    f"SELECT {', '.join('c.' + name for name in CONTRACT_COLUMNS)}, "
    "(SELECT group_concat(r.requested_on) FROM close_requests AS r "
    " WHERE r.user_id = c.user_id AND r.contract_id = c.contract_id) AS requests "
    "FROM contracts AS c WHERE c.user_id = ?"
)
_INSERT_NEW = (
    f"INSERT INTO contracts (user_id, {_COLUMNS}) VALUES ({_PLACEHOLDERS}) "
    "ON CONFLICT (user_id, contract_id) DO NOTHING"
)
_UPSERT = (
    f"INSERT INTO contracts (user_id, {_COLUMNS}) VALUES ({_PLACEHOLDERS}) "
    "ON CONFLICT (user_id, contract_id) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in CONTRACT_COLUMNS[1:])
)
_INSERT_REQUEST = (
    "INSERT INTO close_requests (user_id, contract_id, requested_on) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
)
_SETTINGS_COLUMNS = (
    "timezone",
    "reminders_enabled",
    "cadence",
    "quiet_start",
    "quiet_end",
    "dm_closed",
    "idle_reminder_days",
    "send_time",
)
_SEARCH = """
SELECT contract_id, title, client,
       CASE WHEN jss_fold(contract_id) LIKE :prefix ESCAPE '\\' THEN 0
            WHEN jss_fold(title) LIKE :prefix ESCAPE '\\' OR jss_fold(client) LIKE :prefix ESCAPE '\\' THEN 1
            ELSE 2 END AS rank
FROM contracts
WHERE user_id = :user_id
  AND (jss_fold(contract_id) LIKE :infix ESCAPE '\\'
       OR jss_fold(title) LIKE :infix ESCAPE '\\'
       OR jss_fold(client) LIKE :infix ESCAPE '\\')
ORDER BY rank, status = 'ended', contract_id
LIMIT :limit
"""

ExistingRows = dict[str, tuple[ContractRow, tuple[str, ...]]]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _check_user(user_id: str) -> None:
    """User ids come from Discord or the console; refuse what cannot be a sensible key."""
    if not isinstance(user_id, str) or not user_id.strip() or len(user_id) > MAX_USER_ID_CHARS:
        raise InvalidIdError(f"a user id must be 1 to {MAX_USER_ID_CHARS} characters")


def _check_new_contract_id(contract_id: str) -> None:
    if not isinstance(contract_id, str) or _ID_RE.fullmatch(contract_id) is None:
        raise InvalidIdError("a contract id must be 1 to 64 characters: letters, digits, '.', '_' or '-'")


def _is_valid_contract_id(contract_id: str) -> bool:
    return isinstance(contract_id, str) and _ID_RE.fullmatch(contract_id) is not None


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def _stamp(moment: datetime) -> str:
    """ISO-8601 UTC with fixed precision, so timestamps sort correctly as text."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _changed_fields(old: Contract, new: Contract) -> list[str]:
    return [name for name in Contract.model_fields if getattr(old, name) != getattr(new, name)]


def _json(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


async def _rollback(db: aiosqlite.Connection) -> None:
    """Queue a ROLLBACK behind whatever the worker thread is still running.

    Issued unconditionally rather than after checking `in_transaction`: when a task is cancelled, the
    statement it was awaiting (even its BEGIN) may not have run yet, and the connection's queue is FIFO,
    so only a queued ROLLBACK is sure to come after it. "No transaction is active" is then harmless.
    """
    try:
        await db.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "no transaction is active" not in str(exc):
            raise


async def _ensure_user(db: aiosqlite.Connection, user_id: str, now: str) -> None:
    await db.execute(
        "INSERT INTO users (user_id, created_at) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING",
        (user_id, now),
    )


async def _write_audit(
    db: aiosqlite.Connection,
    user_id: str,
    now: str,
    action: AuditAction,
    contract_id: str | None,
    detail: dict[str, Any],
) -> None:
    """Called inside the caller's transaction: the history row commits or rolls back with the change."""
    await db.execute(
        "INSERT INTO audit (user_id, at, action, contract_id, detail) VALUES (?, ?, ?, ?, ?)",
        (user_id, now, str(action), contract_id, _json(detail)),
    )


async def _fetch_contract(db: aiosqlite.Connection, user_id: str, contract_id: str) -> Contract | None:
    rows = list(await db.execute_fetchall(_SELECT_CONTRACTS + " AND c.contract_id = ?", (user_id, contract_id)))
    if not rows:
        return None
    row = tuple(rows[0])
    return row_to_contract(row[:-1], split_requests(row[-1]))


async def _existing_rows(db: aiosqlite.Connection, user_id: str) -> ExistingRows:
    """The user's contracts as raw rows, to diff an import without building models."""
    existing: ExistingRows = {}
    for raw in await db.execute_fetchall(_SELECT_CONTRACTS, (user_id,)):
        row = tuple(raw)
        existing[row[0]] = (row[:-1], split_requests(row[-1]))
    return existing


async def _insert_requests(db: aiosqlite.Connection, user_id: str, rows: list[tuple[str, str]]) -> None:
    """rows: (contract_id, requested_on)."""
    if rows:
        await db.executemany(_INSERT_REQUEST, [(user_id, cid, day) for cid, day in rows])


async def _contracts_in(db: aiosqlite.Connection, user_id: str) -> list[Contract]:
    rows = await db.execute_fetchall(_SELECT_CONTRACTS + " ORDER BY c.started, c.contract_id", (user_id,))
    result = []
    for raw in rows:
        row = tuple(raw)
        result.append(row_to_contract(row[:-1], split_requests(row[-1])))
    return result


async def _import_rows(
    db: aiosqlite.Connection,
    user_id: str,
    incoming: list[tuple[ContractRow, tuple[str, ...]]],
    mode: ImportMode,
    now: str,
) -> ImportSummary:
    """Apply one user's import inside the caller's transaction, touching only rows that differ."""
    await _ensure_user(db, user_id, now)
    existing = await _existing_rows(db, user_id)
    writes: list[tuple[ContractRow, tuple[str, ...]]] = []
    reset: list[str] = []
    added = updated = unchanged = 0
    for row, requests in incoming:
        old = existing.get(row[0])
        if old is None:
            added += 1
            writes.append((row, requests))
        elif old != (row, requests):
            updated += 1
            writes.append((row, requests))
            reset.append(row[0])
        else:
            unchanged += 1
    removed: list[str] = []
    if mode == "replace":
        keep = {row[0] for row, _ in incoming}
        removed = [cid for cid in existing if cid not in keep]
    if removed:
        await db.executemany(
            "DELETE FROM contracts WHERE user_id = ? AND contract_id = ?", [(user_id, cid) for cid in removed]
        )
    if writes:
        await db.executemany(_UPSERT, [(user_id, *row) for row, _ in writes])
    if reset:
        await db.executemany(
            "DELETE FROM close_requests WHERE user_id = ? AND contract_id = ?",
            [(user_id, cid) for cid in reset],
        )
    await _insert_requests(db, user_id, [(row[0], day) for row, requests in writes for day in requests])
    summary = ImportSummary(added=added, updated=updated, removed=len(removed), unchanged=unchanged)
    await _write_audit(db, user_id, now, AuditAction.LEDGER_IMPORT, None, {"mode": mode, **summary.model_dump()})
    return summary


def _prepare_import(ledger: Ledger, mode: str) -> list[tuple[ContractRow, tuple[str, ...]]]:
    """Convert before taking the write lock, so CPU work does not hold other writers up."""
    if mode not in ("replace", "merge"):
        raise ValueError(f"import mode must be 'replace' or 'merge', not {mode!r}")
    return [(contract_to_row(c), request_dates(c)) for c in ledger.contracts]


async def _enable_wal(db: aiosqlite.Connection) -> None:
    """Switch to WAL once per file. The switch needs a moment of exclusive access that busy_timeout does not
    wait for, so several processes opening a new file at once retry briefly; a file already in WAL skips it."""
    async with db.execute("PRAGMA journal_mode") as cursor:
        row = await cursor.fetchone()
    if row is not None and str(row[0]).lower() == "wal":
        return
    for attempt in range(50):
        try:
            await db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or attempt == 49:
                raise
            await asyncio.sleep(0.02 * (attempt + 1))


def _open_probe(path: str) -> sqlite3.Connection | None:
    """A query-only connection to the same file, for `LedgerStore.version` (None for private memory DBs)."""
    if path == ":memory:" or "mode=memory" in path:
        return None  # nothing else can write a private in-memory database: the generation says it all
    try:
        probe = sqlite3.connect(path, uri=path.startswith("file:"), isolation_level=None, check_same_thread=False)
        probe.execute("PRAGMA query_only = 1")
    except sqlite3.Error:
        return None
    return probe


class LedgerStore:
    """Contracts, settings and history of every user, in one SQLite file.

    Open with `await LedgerStore.open(path)` and close with `await store.close()` (or use
    `async with await LedgerStore.open(path) as store:`); an unclosed store keeps a worker thread alive.
    """

    def __init__(self, db: aiosqlite.Connection, path: str, clock: Clock) -> None:
        """Internal: use `open`, which configures and migrates the connection first."""
        self._db: aiosqlite.Connection | None = db
        self._path = path
        self._clock = clock
        self._lock = asyncio.Lock()
        self._generation = 0  # bumped by every commit through this store (see `version`)
        self._probe = _open_probe(path)

    # ----------------------------------------------------------------- lifecycle

    @classmethod
    async def open(cls, path: str | Path, *, clock: Clock | None = None) -> LedgerStore:
        """Open (creating if needed) and migrate the store at `path`.

        WAL lets readers in other processes (console, batch jobs) proceed during a write; synchronous=NORMAL
        is durable against process crashes in WAL mode and only risks the last commits on power loss;
        busy_timeout makes a second writer wait instead of failing at once. `clock` is for tests.
        """
        target = str(path)
        if target != ":memory:" and not target.startswith("file:"):
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(target, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await db.execute("PRAGMA foreign_keys = ON")
            await _enable_wal(db)
            await db.execute("PRAGMA synchronous = NORMAL")
            async with db.execute("PRAGMA foreign_keys") as cursor:
                row = await cursor.fetchone()
            if row is None or row[0] != 1:
                raise RuntimeError("this SQLite build cannot enforce foreign keys")
            await migrate(db)
            await db.create_function("jss_fold", 1, fold, deterministic=True)
        except sqlite3.DatabaseError as exc:
            await db.close()
            if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
                raise StoreBusyError() from exc
            if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
                raise StoreVersionError("this file is not a JSS Advisor ledger database") from exc
            raise
        except BaseException:
            await db.close()
            raise
        return cls(db, target, clock or _utc_now)

    @property
    def path(self) -> str:
        """Where the database lives (for log lines and the console's `info`)."""
        return self._path

    async def close(self) -> None:
        """Close the connection (idempotent); waits for an operation in progress to finish."""
        async with self._lock:
            db, self._db = self._db, None
            probe, self._probe = self._probe, None
            if probe is not None:
                probe.close()
            if db is not None:
                await db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def _connection(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StoreError("the ledger store is closed")
        return self._db

    def _now(self) -> str:
        return _stamp(self._clock())

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[aiosqlite.Connection]:
        """Serialise with writes: on a shared connection a read would see another task's open transaction."""
        async with self._lock:
            yield self._connection()

    @asynccontextmanager
    async def _write(self, changes_ledger: bool = True) -> AsyncIterator[aiosqlite.Connection]:
        """One all-or-nothing transaction; any exception (including cancellation) rolls it back.

        `changes_ledger=False` for bookkeeping (the reminder queue) that no ledger answer depends on, so
        it does not invalidate cached answers (see `version`)."""
        async with self._lock:
            db = self._connection()
            try:
                if db.in_transaction:  # belt and braces: a previous rollback was itself cancelled
                    await _rollback(db)
                try:
                    await db.execute("BEGIN IMMEDIATE")
                    yield db
                    await db.execute("COMMIT")
                    self._generation += changes_ledger
                except BaseException:
                    await _rollback(db)
                    raise
            except sqlite3.OperationalError as exc:
                if _is_busy(exc):
                    raise StoreBusyError() from exc
                raise

    @property
    def generation(self) -> int:
        """How many ledger-changing commits this store has made (cheap: no query)."""
        return self._generation

    async def version(self) -> tuple[int, int]:
        """Changes whenever the data may have changed: a commit here, or one by any other connection
        (SQLite's data_version). Answers computed from the ledger can be cached against it.

        Asked before every cached answer, so it must be cheap: a second, query-only connection reads
        data_version in ~5 us on the event loop (it sees every commit, ours included, and never waits on
        a lock in WAL mode) instead of a ~120 us round trip through the worker thread."""
        now = self.version_now()
        if now is not None:
            return now
        async with self._read() as db:
            async with db.execute("PRAGMA data_version") as cursor:
                row = await cursor.fetchone()
        return self._generation, int(row[0]) if row else 0

    def version_now(self) -> tuple[int, int] | None:
        """`version` without awaiting, or None where that needs the worker thread (an in-memory database,
        or the query-only connection failed). Lets synchronous bookkeeping use cached answers."""
        if self._probe is not None:
            try:
                return self._generation, int(self._probe.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                self._probe.close()
                self._probe = None  # from now on `version` asks through the main connection
        return None

    # ----------------------------------------------------------------- reads

    async def list_contracts(self, user_id: str) -> list[Contract]:
        """The user's contracts ordered by start date then id, so listings and exports are stable."""
        _check_user(user_id)
        async with self._read() as db:
            return await _contracts_in(db, user_id)

    async def get_contract(self, user_id: str, contract_id: str) -> Contract | None:
        """One of the user's contracts, or None (also for ids that cannot exist, without a query)."""
        _check_user(user_id)
        if not _is_valid_contract_id(contract_id):
            return None
        async with self._read() as db:
            return await _fetch_contract(db, user_id, contract_id)

    async def get_ledger(self, user_id: str) -> Ledger:
        """The user's contracts as a Ledger (as_of None: the caller decides the evaluation date)."""
        return Ledger(contracts=tuple(await self.list_contracts(user_id)))

    async def count_contracts(self, user_id: str) -> int:
        """How many contracts the user has, without loading them (quota checks, summaries)."""
        _check_user(user_id)
        async with self._read() as db:
            rows = list(await db.execute_fetchall("SELECT count(*) FROM contracts WHERE user_id = ?", (user_id,)))
        return int(rows[0][0])

    async def search_contracts(self, user_id: str, text: str, limit: int = 25) -> list[tuple[str, str]]:
        """(id, 'title — client') pairs for Discord autocomplete.

        Case-insensitive (Unicode-aware) substring match on id, title or client. Id-prefix matches come
        first, then title/client prefixes, then other matches; open contracts before ended ones, then by
        id. `%` and `_` typed by the user match literally.
        """
        _check_user(user_id)
        if limit <= 0:
            return []
        prefix, infix = like_patterns(text)
        params = {"user_id": user_id, "prefix": prefix, "infix": infix, "limit": int(limit)}
        async with self._read() as db:
            rows = await db.execute_fetchall(_SEARCH, params)
        return [(row[0], choice_label(row[1], row[2])) for row in rows]

    async def get_settings(self, user_id: str) -> UserSettings:
        """The user's settings, or the defaults when they never changed any."""
        _check_user(user_id)
        async with self._read() as db:
            return await self._settings_in(db, user_id)

    async def _settings_in(self, db: aiosqlite.Connection, user_id: str) -> UserSettings:
        rows = list(
            await db.execute_fetchall(
                f"SELECT {', '.join(_SETTINGS_COLUMNS)} FROM user_settings WHERE user_id = ?", (user_id,)
            )
        )
        if not rows:
            return UserSettings()
        values = dict(zip(_SETTINGS_COLUMNS, tuple(rows[0]), strict=True))
        values["reminders_enabled"] = bool(values["reminders_enabled"])
        values["dm_closed"] = bool(values["dm_closed"])
        return UserSettings.model_validate(values)

    async def audit_log(self, user_id: str, limit: int = 50) -> list[AuditEntry]:
        """The user's change history, newest first (for "what did my import do?")."""
        _check_user(user_id)
        async with self._read() as db:
            rows = await db.execute_fetchall(
                "SELECT id, user_id, at, action, contract_id, detail FROM audit "
                "WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?",
                (user_id, max(0, int(limit))),
            )
        return [
            AuditEntry(
                id=row[0],
                user_id=row[1],
                at=datetime.fromisoformat(row[2]),
                action=row[3],
                contract_id=row[4],
                detail=json.loads(row[5]),
            )
            for row in rows
        ]

    async def user_ids(self, after: str | None = None, limit: int = 1000) -> list[str]:
        """Known user ids in ascending text order after `after`: keyset pagination for batch scans,
        which stays fast and never skips or repeats users however far the scan goes."""
        async with self._read() as db:
            if after is None:
                rows = await db.execute_fetchall(
                    "SELECT user_id FROM users ORDER BY user_id LIMIT ?", (max(0, int(limit)),)
                )
            else:
                rows = await db.execute_fetchall(
                    "SELECT user_id FROM users WHERE user_id > ? ORDER BY user_id LIMIT ?",
                    (after, max(0, int(limit))),
                )
        return [row[0] for row in rows]

    # ----------------------------------------------------------------- contract writes

    async def add_contract(self, user_id: str, contract: Contract) -> None:
        """Add a new contract; ContractExistsError if the user already has this id (nothing changes)."""
        _check_user(user_id)
        row = contract_to_row(contract)
        async with self._write() as db:
            now = self._now()
            await _ensure_user(db, user_id, now)
            cursor = await db.execute(_INSERT_NEW, (user_id, *row))
            if cursor.rowcount == 0:
                raise ContractExistsError(contract.id)
            await _insert_requests(db, user_id, [(contract.id, day) for day in request_dates(contract)])
            await _write_audit(db, user_id, now, AuditAction.CONTRACT_ADD, contract.id, {"title": contract.title})

    async def update_contract(self, user_id: str, contract: Contract) -> None:
        """Replace the stored contract with the same id (all fields, close requests included).

        ContractNotFoundError if the user has no such contract. An identical update writes nothing and
        leaves no audit row, so repeated saves from a form do not clutter the history.
        """
        _check_user(user_id)
        row = contract_to_row(contract)
        async with self._write() as db:
            old = await _fetch_contract(db, user_id, contract.id)
            if old is None:
                raise ContractNotFoundError(contract.id)
            changed = _changed_fields(old, contract)
            if not changed:
                return
            now = self._now()
            await db.execute(_UPSERT, (user_id, *row))
            await db.execute("DELETE FROM close_requests WHERE user_id = ? AND contract_id = ?", (user_id, contract.id))
            await _insert_requests(db, user_id, [(contract.id, day) for day in request_dates(contract)])
            await _write_audit(db, user_id, now, AuditAction.CONTRACT_UPDATE, contract.id, {"changed": changed})

    async def rename_contract(self, user_id: str, old_id: str, new_id: str) -> Contract:
        """Give a contract a new id (close requests follow via ON UPDATE CASCADE); returns it renamed."""
        _check_user(user_id)
        _check_new_contract_id(new_id)
        if not _is_valid_contract_id(old_id):
            raise ContractNotFoundError(old_id)
        async with self._write() as db:
            if old_id != new_id and await _fetch_contract(db, user_id, new_id) is not None:
                raise ContractExistsError(new_id)
            cursor = await db.execute(
                "UPDATE contracts SET contract_id = ? WHERE user_id = ? AND contract_id = ?",
                (new_id, user_id, old_id),
            )
            if cursor.rowcount == 0:
                raise ContractNotFoundError(old_id)
            renamed = await _fetch_contract(db, user_id, new_id)
            assert renamed is not None
            if old_id != new_id:
                await _write_audit(
                    db,
                    user_id,
                    self._now(),
                    AuditAction.CONTRACT_RENAME,
                    new_id,
                    {"from": old_id, "to": new_id},
                )
        return renamed

    async def remove_contract(self, user_id: str, contract_id: str) -> Contract:
        """Delete a contract and its close requests; returns what was removed (for an undo hint)."""
        _check_user(user_id)
        if not _is_valid_contract_id(contract_id):
            raise ContractNotFoundError(contract_id)
        async with self._write() as db:
            old = await _fetch_contract(db, user_id, contract_id)
            if old is None:
                raise ContractNotFoundError(contract_id)
            await db.execute("DELETE FROM close_requests WHERE user_id = ? AND contract_id = ?", (user_id, contract_id))
            await db.execute("DELETE FROM contracts WHERE user_id = ? AND contract_id = ?", (user_id, contract_id))
            await _write_audit(db, user_id, self._now(), AuditAction.CONTRACT_REMOVE, contract_id, {"title": old.title})
        return old

    async def record_close_request(self, user_id: str, contract_id: str, on: date) -> Contract:
        """Note that the freelancer asked the client to close the contract on `on`; returns the contract.

        Idempotent for the same date (no second row, no second audit entry). Refused for ended contracts,
        which have nothing left to close.
        """
        _check_user(user_id)
        if isinstance(on, datetime) or not isinstance(on, date):
            raise TypeError("`on` must be a datetime.date (not a datetime)")
        if not _is_valid_contract_id(contract_id):
            raise ContractNotFoundError(contract_id)
        async with self._write() as db:
            contract = await _fetch_contract(db, user_id, contract_id)
            if contract is None:
                raise ContractNotFoundError(contract_id)
            if not contract.is_open:
                raise ContractEndedError(contract_id)
            if on in contract.close_requests:
                return contract
            await _insert_requests(db, user_id, [(contract_id, on.isoformat())])
            await _write_audit(db, user_id, self._now(), AuditAction.CLOSE_REQUEST, contract_id, {"on": on.isoformat()})
            updated = await _fetch_contract(db, user_id, contract_id)
        assert updated is not None
        return updated

    # ----------------------------------------------------------------- whole-ledger writes

    async def import_ledger(self, user_id: str, ledger: Ledger, mode: ImportMode) -> ImportSummary:
        """Import a validated ledger file, all or nothing, in one transaction.

        merge: add new ids and overwrite existing ones with the file's version, keep the rest.
        replace: afterwards the user has exactly the file's contracts.
        """
        _check_user(user_id)
        incoming = _prepare_import(ledger, mode)
        async with self._write() as db:
            return await _import_rows(db, user_id, incoming, mode, self._now())

    async def import_derived(
        self,
        user_id: str,
        derive: Callable[
            [list[Contract], dict[tuple[str, str], CountedPayment]], tuple[Ledger, Sequence[CountedPayment], T]
        ],
    ) -> tuple[ImportSummary, T]:
        """Read the user's contracts and counted payments, derive what to merge in, merge it and record the
        newly counted payments: one transaction.

        Why one: an import computed from a read made before the write (a CSV export merged into the
        ledger) would overwrite, with the version it read, an edit committed in between, by this bot or
        by any other process; and two imports of the same export at once would both count it. Here no
        other writer can commit between the read and the write. `derive` is synchronous (it runs while
        the write lock is held); it gets the payments keyed by (export kind, key) and returns the ledger
        to merge ("merge" mode), the payments it counted, and anything the caller wants back. An empty
        ledger writes no contracts."""
        _check_user(user_id)
        async with self._write() as db:
            contracts = await _contracts_in(db, user_id)
            rows = await db.execute_fetchall(
                "SELECT contract_id, export_kind, payment_key, category, amount_cents FROM imported_payments"
                " WHERE user_id = ?",
                (user_id,),
            )
            counted = {(row[1], row[2]): CountedPayment(*row) for row in rows}
            ledger, fresh, extra = derive(contracts, counted)
            summary = ImportSummary()
            if ledger.contracts:
                summary = await _import_rows(db, user_id, _prepare_import(ledger, "merge"), "merge", self._now())
            if fresh:
                await db.executemany(
                    "INSERT OR IGNORE INTO imported_payments (user_id, contract_id, export_kind, payment_key,"
                    " category, amount_cents) VALUES (?, ?, ?, ?, ?, ?)",
                    [(user_id, p.contract_id, p.export_kind, p.key, p.category, p.amount_cents) for p in fresh],
                )
        return summary, extra

    async def counted_payments(self, user_id: str) -> list[CountedPayment]:
        """The payments CSV imports have counted for the user (tests, support)."""
        _check_user(user_id)
        async with self._read() as db:
            rows = await db.execute_fetchall(
                "SELECT contract_id, export_kind, payment_key, category, amount_cents FROM imported_payments"
                " WHERE user_id = ? ORDER BY contract_id, export_kind, payment_key",
                (user_id,),
            )
        return [CountedPayment(*row) for row in rows]

    async def bulk_import(self, batch: Iterable[tuple[str, Ledger]], mode: ImportMode = "replace") -> ImportSummary:
        """Import many users' ledgers in ONE transaction (migrations, restores, benchmarks).

        Same per-user semantics and audit rows as `import_ledger`, but one commit for the whole batch,
        so it is all-or-nothing across users too; keep batches to a few thousand contracts or so, since
        the write lock is held throughout. Returns the totals.
        """
        prepared: list[tuple[str, list[tuple[ContractRow, tuple[str, ...]]]]] = []
        seen: set[str] = set()
        for user_id, ledger in batch:
            _check_user(user_id)
            if user_id in seen:
                raise ValueError(f"user {user_id!r} appears twice in one bulk import")
            seen.add(user_id)
            prepared.append((user_id, _prepare_import(ledger, mode)))
        total = ImportSummary()
        if not prepared:
            return total
        async with self._write() as db:
            now = self._now()
            for user_id, incoming in prepared:
                total = total + await _import_rows(db, user_id, incoming, mode, now)
        return total

    # ----------------------------------------------------------------- users and settings

    async def forget_user(self, user_id: str) -> int:
        """Delete everything stored about the user (contracts, requests, settings, history, the user row).

        Each table is cleared explicitly rather than relying on cascades, so the returned row count is
        exact and the deletion does not depend on foreign-key enforcement being on.
        """
        _check_user(user_id)
        removed = 0
        async with self._write() as db:
            for table in (
                "close_requests",
                "imported_payments",
                "score_snapshots",
                "contracts",
                "user_settings",
                "audit",
                "users",
            ):
                cursor = await db.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
                removed += max(0, cursor.rowcount)
        return removed

    async def update_settings(self, user_id: str, **changes: Any) -> UserSettings:
        """Change some settings (validated: IANA time zone, HH:MM quiet hours, cadence); returns all settings.

        InvalidSettingError names the setting and what is accepted; nothing is written then. A change
        that changes nothing writes nothing.
        """
        _check_user(user_id)
        async with self._write() as db:
            current = await self._settings_in(db, user_id)
            new = apply_changes(current, changes)
            if new == current:
                return current
            now = self._now()
            await _ensure_user(db, user_id, now)
            values = new.model_dump(mode="json")
            await db.execute(
                f"INSERT INTO user_settings (user_id, {', '.join(_SETTINGS_COLUMNS)}, updated_at) "
                f"VALUES ({', '.join('?' * (len(_SETTINGS_COLUMNS) + 2))}) "
                "ON CONFLICT (user_id) DO UPDATE SET "
                + ", ".join(f"{name} = excluded.{name}" for name in (*_SETTINGS_COLUMNS, "updated_at")),
                (
                    user_id,
                    values["timezone"],
                    int(new.reminders_enabled),
                    values["cadence"],
                    values["quiet_start"],
                    values["quiet_end"],
                    int(new.dm_closed),
                    values["idle_reminder_days"],
                    values["send_time"],
                    now,
                ),
            )
            diff = {name: values[name] for name in _SETTINGS_COLUMNS if getattr(new, name) != getattr(current, name)}
            await _write_audit(db, user_id, now, AuditAction.SETTINGS_UPDATE, None, {"changed": diff})
        return new

    # ----------------------------------------------------------------- recorded scores

    async def record_snapshot(self, user_id: str, on: date, jss: int) -> None:
        """Keep the JSS Upwork showed on a day (one per day; recording again replaces it)."""
        _check_user(user_id)
        if not 0 <= jss <= 100:
            raise StoreError("a JSS is between 0 and 100")
        async with self._write() as db:
            now = self._now()
            await _ensure_user(db, user_id, now)
            await db.execute(
                "INSERT INTO score_snapshots (user_id, recorded_on, jss, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (user_id, recorded_on) DO UPDATE SET jss = excluded.jss, created_at = excluded.created_at",
                (user_id, on.isoformat(), jss, now),
            )

    async def list_snapshots(self, user_id: str, limit: int = 200) -> list[tuple[date, int]]:
        """Recorded scores, oldest first (the most recent `limit`)."""
        async with self._read() as db:
            cursor = await db.execute(
                "SELECT recorded_on, jss FROM (SELECT recorded_on, jss FROM score_snapshots WHERE user_id = ? "
                "ORDER BY recorded_on DESC LIMIT ?) ORDER BY recorded_on",
                (user_id, limit),
            )
            rows = await cursor.fetchall()
        return [(date.fromisoformat(day), int(value)) for day, value in rows]

    # ----------------------------------------------------------------- servers

    async def get_forum_channel(self, guild_id: str) -> str | None:
        """The forum channel a server's admin asked the bot to answer in, if any."""
        async with self._read() as db:
            cursor = await db.execute("SELECT forum_channel_id FROM guild_settings WHERE guild_id = ?", (guild_id,))
            row = await cursor.fetchone()
        return None if row is None else row[0]

    async def set_forum_channel(self, guild_id: str, channel_id: str | None) -> None:
        async with self._write() as db:
            await db.execute(
                "INSERT INTO guild_settings (guild_id, forum_channel_id, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (guild_id) DO UPDATE SET forum_channel_id = excluded.forum_channel_id, "
                "updated_at = excluded.updated_at",
                (guild_id, channel_id, self._now()),
            )


__all__: Sequence[str] = ("LedgerStore", "ImportMode", "Clock")
