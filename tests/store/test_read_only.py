"""A ledger SQLite may not write still answers every read; each write is refused in one line; the file stays as is.

Run as real console processes without write permission. Root ignores file modes, so under root the child
first drops the capabilities that bypass them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER) from its
bounding set and then execs the console: permissions apply to it as to any user.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store import LedgerStore
from tests.builders import make_contract

A = "111111111111111111"
SCRIPT = Path(sys.executable).with_name("jss-advisor")
_UNPRIVILEGED = """
import ctypes, os, sys
if os.geteuid() == 0:
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop capabilities")
os.execv(sys.argv[1], sys.argv[1:])
"""


def console(*args: str) -> subprocess.CompletedProcess[str]:
    """`jss-advisor ARGS` in a child process that file permissions apply to."""
    command = [sys.executable, "-c", _UNPRIVILEGED, str(SCRIPT), *args, "--user", A]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def fingerprint(path: Path) -> tuple[str, list[str]]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), sorted(os.listdir(path.parent))


@pytest.fixture
async def ledger(tmp_path: Path) -> Path:
    folder = tmp_path / "ledgers"
    path = folder / "ledger.db"
    async with await LedgerStore.open(path) as store:
        await store.add_contract(A, make_contract("c1", title="Readable project"))
    return path


@pytest.fixture(params=["file", "folder"])
def read_only(request: pytest.FixtureRequest, ledger: Path) -> Iterator[Path]:
    """The ledger made read-only (chmod 444), or its folder (chmod 555: no -wal/-shm can be created)."""
    target = ledger if request.param == "file" else ledger.parent
    mode = stat.S_IMODE(target.stat().st_mode)
    target.chmod(0o444 if request.param == "file" else 0o555)
    try:
        yield ledger
    finally:
        target.chmod(mode)


def test_the_child_cannot_write_the_read_only_target(read_only: Path) -> None:
    """The premise of the tests below, checked the way they run: the file (or a new file in the folder)
    cannot be opened for writing."""
    folder_only = bool(read_only.stat().st_mode & stat.S_IWUSR)
    target = read_only.with_name("new.db-wal") if folder_only else read_only
    attempt = f"open({str(target)!r}, 'ab')"
    result = subprocess.run(
        [sys.executable, "-c", _UNPRIVILEGED, sys.executable, "-c", attempt],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0 and "PermissionError" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["score"], "Readable project"),
        (["contracts", "list"], "c1"),
        (["contracts", "show", "c1"], "Readable project"),
        (["advise", "c1"], "c1"),
        (["export"], "Readable project"),
    ],
    ids=["score", "list", "show", "advise", "export"],
)
def test_read_only_ledger_answers_reads(read_only: Path, command: list[str], expected: str) -> None:
    before = fingerprint(read_only)
    result = console(*command, "--db", str(read_only))
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    assert result.stderr == ""
    after = fingerprint(read_only)
    assert after[0] == before[0]
    if not read_only.parent.stat().st_mode & stat.S_IWUSR:
        assert after[1] == before[1]  # a read-only folder gets no -wal/-shm


@pytest.mark.parametrize(
    "command",
    [
        ["contracts", "add", "--id", "c2", "--title", "T", "--client", "C", "--kind", "hourly", "--status",
         "active", "--started", "2025-01-01", "--earnings-usd", "100"],
        ["contracts", "edit", "c1", "--title", "Changed"],
        ["record", "90"],
        ["forget", "--yes"],
    ],
    ids=["add", "edit", "record", "forget"],
)  # fmt: skip
def test_read_only_ledger_refuses_writes_in_one_line(read_only: Path, command: list[str]) -> None:
    before = fingerprint(read_only)[0]
    result = console(*command, "--db", str(read_only))
    assert result.returncode == 1, result.stderr
    assert "read-only" in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert fingerprint(read_only)[0] == before
