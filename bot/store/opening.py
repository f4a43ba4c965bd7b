"""Recognise a file before touching it, then connect to it in the mode it allows.

Why a separate, synchronous first step: `--db` may point at anything (another application's database, a
file from a newer JSS Advisor, a folder, a read-only copy). Switching to WAL, setting the application id or
migrating are writes, so they may only happen once the file is known to be a JSS Advisor ledger (or empty)
of a schema this version understands. Everything here only reads: the 100-byte header with plain file I/O,
then a read-only SQLite probe that creates no -wal/-shm files, so a refused file is byte-identical afterwards.

The connection is made here too (plain sqlite3, `check_same_thread=False`) and handed to aiosqlite, whose
own `connect` leaves a callback behind on failure that later prints "Event loop is closed" tracebacks.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .errors import StoreBusyError, StoreOpenError, StoreVersionError
from .migrations import latest_version

# "JSSA": written into the header of every ledger this version creates or upgrades (PRAGMA application_id).
APPLICATION_ID = 0x4A535341
# Tables of schema 1: a file without the application id is recognised as an older JSS ledger by these.
LEDGER_TABLES = frozenset({"users", "contracts", "close_requests", "user_settings", "audit"})
_MAGIC = b"SQLite format 3\x00"
_HEADER = 100
_WAL_FORMAT = 2  # header bytes 18/19 (write/read format version): 1 = rollback journal, 2 = WAL


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What the probe read: enough to decide whether and how the file may be opened."""

    exists: bool
    wal_format: bool = False
    application_id: int = 0
    version: int = 0
    tables: frozenset[str] = frozenset()

    @property
    def is_new(self) -> bool:
        """A missing or empty file (no tables, no version, no id): ours to create."""
        return not self.tables and self.version == 0 and self.application_id == 0

    @property
    def is_ledger(self) -> bool:
        """Ours by the application id, or an older JSS ledger (before the id) by its schema-1 tables."""
        if self.application_id:
            return self.application_id == APPLICATION_ID
        return LEDGER_TABLES <= self.tables


@dataclass(frozen=True, slots=True)
class Opened:
    """A connection ready for configuration, and whether it may write."""

    connection: sqlite3.Connection
    read_only: bool
    facts: FileFacts


def not_sqlite() -> StoreVersionError:
    """The refusal of a file that is not SQLite at all (a text file, another format, a cut-off header)."""
    return StoreVersionError("this file is not a JSS Advisor ledger database (it is not SQLite)")


def foreign_database() -> StoreVersionError:
    """The refusal of another application's SQLite database."""
    return StoreVersionError(
        "this file is another application's database, not a JSS Advisor ledger; it was left untouched"
    )


def _uri(path: Path, **params: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"file:{quote(str(path.absolute()))}?{query}"


def _connect(uri: str, timeout: float) -> sqlite3.Connection:
    return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=timeout)


def error_for(exc: sqlite3.Error) -> Exception:
    """The typed store error for a SQLite failure while opening or reading the file, or `exc` itself."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreBusyError()
    if code == sqlite3.SQLITE_NOTADB:
        return not_sqlite()
    if code == sqlite3.SQLITE_CORRUPT:
        return StoreOpenError("corrupt")
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        return StoreOpenError("cannot_open")
    return exc


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _read_header(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(_HEADER)
    except PermissionError:
        raise StoreOpenError("cannot_read") from None
    except OSError:
        raise StoreOpenError("cannot_open") from None


def _query_facts(uri: str, timeout: float, wal_format: bool) -> FileFacts:
    probe = _connect(uri, timeout)
    try:
        application_id = int(probe.execute("PRAGMA application_id").fetchone()[0])
        version = int(probe.execute("PRAGMA user_version").fetchone()[0])
        tables = frozenset(row[0] for row in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    finally:
        probe.close()
    return FileFacts(True, wal_format, application_id, version, tables)


def inspect(path: Path, timeout: float) -> FileFacts:
    """Read, never write: what kind of file `path` is. Raises a typed error for anything but a SQLite file.

    A WAL-format file whose -wal is absent is probed with `immutable=1`: its main file is then complete, and
    a normal read-only connection would leave fresh -wal/-shm files behind. Should a writer appear meanwhile
    (the probe fails and a -wal now exists), the probe is repeated the ordinary read-only way."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return FileFacts(exists=False)
    except NotADirectoryError:  # a parent on the path is a file: no ledger can be created there
        raise StoreOpenError("cannot_create") from None
    except OSError:  # a name too long, a parent that is a file, a loop of links...
        raise StoreOpenError("cannot_open") from None
    if stat.S_ISDIR(mode):
        raise StoreOpenError("directory")
    if not stat.S_ISREG(mode):
        raise StoreOpenError("not_a_file")
    header = _read_header(path)
    if not header:
        return FileFacts(exists=True)
    if len(header) < _HEADER or not header.startswith(_MAGIC):
        raise not_sqlite()
    wal_format = header[18] == _WAL_FORMAT or header[19] == _WAL_FORMAT
    immutable = wal_format and not _sidecar(path, "-wal").exists()
    try:
        try:
            return _query_facts(_uri(path, mode="ro", **({"immutable": "1"} if immutable else {})), timeout, wal_format)
        except sqlite3.DatabaseError:
            if not (immutable and _sidecar(path, "-wal").exists()):
                raise
            return _query_facts(_uri(path, mode="ro"), timeout, wal_format)
    except sqlite3.Error as exc:
        raise error_for(exc) from exc


def check_recognised(facts: FileFacts) -> None:
    """Refuse another application's database and a ledger from a newer schema (nothing was written yet)."""
    if facts.is_new:
        return
    if not facts.is_ledger:
        raise foreign_database()
    if facts.version > latest_version():
        raise StoreVersionError(
            f"this ledger database was written by a newer version of JSS Advisor (schema {facts.version}, "
            f"this version knows up to {latest_version()}); please upgrade"
        )


def _writable(path: Path, exists: bool) -> bool:
    """Whether SQLite can write here: the file itself, and its folder (for the -wal/-shm/journal files)."""
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    return folder_ok and (not exists or os.access(path, os.W_OK))


def _read_only_uri(path: Path, facts: FileFacts) -> str:
    """Read-only access. A WAL file in a folder SQLite cannot write needs its -shm; without one it is read
    `immutable` when no -wal holds newer pages (nobody can write there either), and refused otherwise."""
    if facts.version < latest_version():
        raise StoreOpenError("read_only_new" if facts.is_new else "read_only_outdated")
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    if facts.wal_format and not folder_writable and not _sidecar(path, "-shm").exists():
        wal = _sidecar(path, "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StoreOpenError("read_only_wal")
        return _uri(path, mode="ro", immutable="1")
    return _uri(path, mode="ro")


def connect(path: Path, timeout: float, *, read_only: bool = False) -> Opened:
    """Recognise the file, then connect: read-write when the file and folder allow it, else read-only.

    `read_only=True` forces the read-only mode (used when a write was refused despite the permissions,
    e.g. a read-only mount). Missing folders are created only for a new file."""
    facts = inspect(path, timeout)
    check_recognised(facts)
    if not facts.exists:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise StoreOpenError("cannot_create") from None
        if not _writable(path, exists=False):
            raise StoreOpenError("cannot_create")
    writable = not read_only and _writable(path, facts.exists)
    uri = _uri(path, mode="rwc") if writable else _read_only_uri(path, facts)
    try:
        return Opened(_connect(uri, timeout), not writable, facts)
    except sqlite3.Error as exc:
        raise error_for(exc) from exc


__all__ = [
    "APPLICATION_ID",
    "LEDGER_TABLES",
    "FileFacts",
    "Opened",
    "check_recognised",
    "connect",
    "error_for",
    "foreign_database",
    "not_sqlite",
]
