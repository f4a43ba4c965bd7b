"""Fixtures: a fresh store on a real file per test, always closed (an open aiosqlite thread hangs pytest)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store import LedgerStore
from tests.builders import FakeClock


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.db"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[LedgerStore]:
    opened = await LedgerStore.open(db_path, clock=FakeClock())
    try:
        yield opened
    finally:
        await opened.close()
