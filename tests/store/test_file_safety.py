"""Opening never harms a file: recognised read-only first, refused byte-identical, one typed error per failure.

`--db` can point at anything. Before any write (WAL switch, application id, migration) the store checks the
file is a JSS Advisor ledger of a known schema, so another application's database or a newer ledger is left
exactly as it was, with no -wal/-shm beside it; every way a file cannot be opened is one StoreError line.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from bot.console.cli import main
from bot.store import (
    LedgerStore,
    StoreBusyError,
    StoreError,
    StoreOpenError,
    StoreVersionError,
    latest_version,
)
from bot.store import database as database_module
from bot.store.opening import APPLICATION_ID
from tests.builders import make_contract

from .test_migrations import create_at_version

A = "111111111111111111"


def snapshot(path: Path) -> tuple[str, list[str]]:
    """The file's bytes (as a hash) and every name in its folder: equal before and after = untouched."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), sorted(os.listdir(path.parent))


def header_ints(path: Path) -> tuple[int, int]:
    """(user_version, application_id) straight from the header bytes, without SQLite."""
    header = path.read_bytes()[:100]
    return int.from_bytes(header[60:64], "big"), int.from_bytes(header[68:72], "big")


async def make_ledger(path: Path) -> None:
    async with await LedgerStore.open(path) as store:
        await store.add_contract(A, make_contract("c1", title="Secret project"))


def other_application(path: Path, *, wal: bool) -> None:
    """Another program's database: its own tables, its own user_version, maybe in WAL mode, closed cleanly."""
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()


# ------------------------------------------------------------------ refused files stay byte-identical


@pytest.mark.parametrize("wal", [False, True], ids=["rollback-journal", "wal"])
async def test_another_applications_database_is_refused_byte_identical(tmp_path: Path, wal: bool) -> None:
    path = tmp_path / "other.db"
    other_application(path, wal=wal)
    before = snapshot(path)
    with pytest.raises(StoreVersionError, match="another application"):
        await LedgerStore.open(path)
    assert snapshot(path) == before  # no tables added, no WAL switch, no -wal/-shm


async def test_a_database_with_another_application_id_is_refused_even_with_ledger_tables(tmp_path: Path) -> None:
    path = tmp_path / "lookalike.db"
    await create_at_version(path, 1)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 42")
    conn.close()
    before = snapshot(path)
    with pytest.raises(StoreVersionError, match="another application"):
        await LedgerStore.open(path)
    assert snapshot(path) == before


async def test_ledger_from_a_future_schema_is_refused_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    await make_ledger(path)
    conn = sqlite3.connect(path)  # what a newer JSS Advisor leaves: a higher version, still WAL
    conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.close()
    assert not (tmp_path / "future.db-wal").exists()
    before = snapshot(path)
    with pytest.raises(StoreVersionError, match="newer version"):
        await LedgerStore.open(path)
    assert snapshot(path) == before


async def test_a_new_ledger_carries_the_application_id(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    await make_ledger(path)
    assert header_ints(path) == (latest_version(), APPLICATION_ID)


async def test_an_older_ledger_from_before_the_application_id_is_recognised_and_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    await create_at_version(path, 3)
    assert header_ints(path) == (3, 0)
    async with await LedgerStore.open(path) as store:
        assert await store.list_contracts(A) == []
    assert header_ints(path) == (latest_version(), APPLICATION_ID)


# ------------------------------------------------------------------ every failure is one typed error


def _directory(tmp_path: Path) -> Path:
    (tmp_path / "folder").mkdir()
    return tmp_path / "folder"


def _under_a_file(tmp_path: Path) -> Path:
    (tmp_path / "plain.txt").write_text("x")
    return tmp_path / "plain.txt" / "ledger.db"


def _name_too_long(tmp_path: Path) -> Path:
    return tmp_path / ("a" * 5000)


def _fifo(tmp_path: Path) -> Path:
    os.mkfifo(tmp_path / "pipe")
    return tmp_path / "pipe"


def _text(tmp_path: Path) -> Path:
    (tmp_path / "notes.db").write_text("these are my notes, not a database\n" * 10)
    return tmp_path / "notes.db"


def _truncated_header(tmp_path: Path) -> Path:
    (tmp_path / "short.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 20)
    return tmp_path / "short.db"


BAD_PATHS = {
    "directory": (_directory, StoreOpenError),
    "parent-is-a-file": (_under_a_file, StoreOpenError),
    "name-too-long": (_name_too_long, StoreOpenError),
    "fifo": (_fifo, StoreOpenError),
    "text-file": (_text, StoreVersionError),
    "truncated-header": (_truncated_header, StoreVersionError),
}


@pytest.mark.parametrize("case", BAD_PATHS)
async def test_a_path_that_cannot_be_a_ledger_is_one_typed_error(tmp_path: Path, case: str) -> None:
    make, error = BAD_PATHS[case]
    path = make(tmp_path)
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(error):
        await LedgerStore.open(path)
    assert sorted(os.listdir(tmp_path)) == before


def _damage(path: Path, start: int, length: int) -> None:
    data = bytearray(path.read_bytes())
    data[start : start + length] = b"\xa5" * length
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("where", ["schema-page", "data-pages"])
async def test_a_corrupt_ledger_is_one_typed_error_on_open_or_first_read(tmp_path: Path, where: str) -> None:
    path = tmp_path / "ledger.db"
    await make_ledger(path)
    conn = sqlite3.connect(path)
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    if where == "schema-page":
        _damage(path, 100, page - 100)
    else:
        _damage(path, page, path.stat().st_size - page)
    with pytest.raises(StoreError, match="damaged|not a JSS Advisor"):
        async with await LedgerStore.open(path) as store:
            await store.list_contracts(A)


async def test_a_busy_ledger_is_a_busy_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ledger.db"
    await make_ledger(path)
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 20)  # the lock below is never released in time
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreBusyError):
            await LedgerStore.open(path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# ------------------------------------------------------------------ the console: one line, exit 1, never 70


@pytest.mark.parametrize("case", BAD_PATHS)
def test_console_says_one_line_for_a_path_that_cannot_be_a_ledger(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = BAD_PATHS[case][0](tmp_path)
    code = main(["score", "--db", str(path)])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert captured.out == ""
    assert captured.err.startswith("jss-advisor: ") and captured.err.count("\n") == 1, captured.err


def test_console_refuses_another_applications_database_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "other.db"
    other_application(path, wal=False)
    before = snapshot(path)
    assert main(["contracts", "list", "--db", str(path)]) == 1
    assert "another application" in capsys.readouterr().err
    assert snapshot(path) == before
