"""Crash safety: SIGKILL during imports never leaves a mix of two ledgers or a damaged file.

A child process keeps replacing one user's ledger with A, then B, then A, ... (thousands of contracts,
each switch deleting, updating and inserting rows) and is killed with SIGKILL at seeded random moments.
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
import time
from pathlib import Path

import pytest

from bot.store import LedgerStore
from scoring.model import Contract, Ledger

from . import crash_child
from .factories import make_contract

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


async def _kill_mid_imports(db_path: Path, delay: float) -> None:
    """Start the child, let it import for `delay` seconds after it is ready, then SIGKILL it."""
    child = await _spawn(db_path)
    try:
        assert child.stdout is not None and child.stderr is not None
        ready = await asyncio.wait_for(child.stdout.readline(), timeout=30)
        if ready.strip() != b"ready":
            err = await asyncio.wait_for(child.stderr.read(), timeout=10)
            pytest.fail(f"child did not start: {err.decode(errors='replace')[-2000:]}")
        await asyncio.sleep(delay)
        assert child.returncode is None, "child exited on its own"
        child.send_signal(signal.SIGKILL)
        assert await asyncio.wait_for(child.wait(), timeout=10) == -signal.SIGKILL
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
        start = time.perf_counter()
        await store.import_ledger(crash_child.USER, ledger_b, "replace")
        await store.import_ledger(crash_child.USER, ledger_a, "replace")
        one_import = (time.perf_counter() - start) / 2
    finally:
        await store.close()

    rng = random.Random(SEED)
    outcomes: list[str] = []
    for _ in range(ITERATIONS):
        # Anywhere within the next few imports: often mid-transaction, sometimes between commits.
        await _kill_mid_imports(db_path, rng.uniform(0.0, 4 * one_import))

        _check_file(db_path)
        store = await LedgerStore.open(db_path)
        try:
            contracts = await store.list_contracts(crash_child.USER)
            assert await store.list_contracts("bystander") == bystander
        finally:
            await store.close()
        matches = [name for name, wanted in expected.items() if contracts == wanted]
        assert len(matches) == 1, f"after SIGKILL the ledger is a mix ({len(contracts)} contracts)"
        outcomes.append(matches[0])

    _check_file(db_path)
    print(f"outcomes after each kill: {outcomes}")
