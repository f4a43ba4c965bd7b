"""Crash safety: SIGKILL during imports never leaves a mix of two ledgers or a damaged file.

A child process keeps replacing one user's ledger with B, then A, then B, ... (thousands of contracts,
each switch deleting, updating and inserting rows) and is killed with SIGKILL inside an import: after it
reports its 2nd or 3rd commit, at a seeded fraction of the time its last import took.
After each kill the store must open cleanly and hold exactly A or exactly B, and SQLite must report the
file intact. This is the property the single-transaction import promises.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.store import LedgerStore
from scoring.model import Contract, Ledger
from tests.builders import make_contract

from . import crash_child

SIZE = 2500
ITERATIONS = 5
SEED = 20240611
REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")


def _sorted(ledger: Ledger) -> list[Contract]:
    return sorted(ledger.contracts, key=lambda c: (c.started, c.id))


async def _spawn(db_path: Path) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        crash_child.__file__,
        str(db_path),
        str(SIZE),
        str(SEED),
        cwd=REPO_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _kill_mid_import(db_path: Path, completed: int, fraction: float) -> None:
    """Start the child, let it commit `completed` imports, then SIGKILL it `fraction` of an import later.

    The import's length is the child's own (it reports how long its last import took), so the kill lands
    inside the next import on a fast or a slow machine alike; the child never stops by itself.
    """
    child = await _spawn(db_path)
    try:
        assert child.stdout is not None and child.stderr is not None
        expected = [["ready"], *(["imported", str(i)] for i in range(1, completed + 1))]
        for wanted in expected:
            line = (await asyncio.wait_for(child.stdout.readline(), timeout=60)).decode()
            if line.split()[: len(wanted)] != wanted:
                err = await asyncio.wait_for(child.stderr.read(), timeout=10)
                pytest.fail(f"child said {line!r}, not {wanted!r}: {err.decode(errors='replace')[-2000:]}")
        await asyncio.sleep(fraction * float(line.split()[-1]))  # the last import's length, as the child took it
        child.send_signal(signal.SIGKILL)
        code = await asyncio.wait_for(child.wait(), timeout=30)
        if code != -signal.SIGKILL:
            err = await asyncio.wait_for(child.stderr.read(), timeout=10)
            pytest.fail(f"child exited with {code} before the kill: {err.decode(errors='replace')[-2000:]}")
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()


def _check_file(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


async def test_sigkill_during_imports_leaves_exactly_one_ledger(tmp_path: Path) -> None:
    db_path = tmp_path / "crash.db"
    ledger_a, ledger_b = crash_child.build_ledgers(SIZE, SEED)
    expected = {"A": _sorted(ledger_a), "B": _sorted(ledger_b)}
    bystander = [make_contract("other-user-contract")]

    store = await LedgerStore.open(db_path)
    try:
        await store.import_ledger(crash_child.USER, ledger_a, "replace")
        await store.import_ledger("bystander", Ledger(contracts=tuple(bystander)), "replace")
    finally:
        await store.close()

    rng = random.Random(SEED)
    outcomes: list[str] = []
    for _ in range(ITERATIONS):
        # After the 2nd or 3rd commit (each a full switch between A and B), within the next import.
        completed = rng.choice([2, 3])
        await _kill_mid_import(db_path, completed, rng.random())

        _check_file(db_path)
        store = await LedgerStore.open(db_path)
        try:
            contracts = await store.list_contracts(crash_child.USER)
            assert await store.list_contracts("bystander") == bystander
        finally:
            await store.close()
        matches = [name for name, wanted in expected.items() if contracts == wanted]
        assert len(matches) == 1, f"after SIGKILL the ledger is a mix ({len(contracts)} contracts)"
        # B, A, B, ...: the ledger of the last commit unless the kill came after the next one's (inside: "=")
        outcomes.append(matches[0] + ("=" if matches[0] == "AB"[completed % 2] else ""))

    _check_file(db_path)
    print(f"ledger after each kill ('=': the kill landed inside the import it was aimed at): {outcomes}")
