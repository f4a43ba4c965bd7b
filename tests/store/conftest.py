"""Fixtures: a fresh store per test on each backend (a real SQLite file; a real PostgreSQL database), always
closed (an open aiosqlite thread hangs pytest).

`store` runs every test that uses it twice, on SQLite and on PostgreSQL (the shared store tests; the
`backend`, `target` and `pg_server` fixtures come from tests/pg.py); `raw` looks at what was committed
with a separate connection of the same backend. Tests that check the SQLite file itself take `db_path`
and call `sqlite_only(store)`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.store import LedgerStore
from tests.builders import FakeClock
from tests.pg import query, run_async

Raw = Callable[..., Awaitable[list[tuple[Any, ...]]]]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.db"  # the SQLite `target`


@pytest.fixture
async def store(target: str | Path) -> AsyncIterator[LedgerStore]:
    opened = await LedgerStore.open(target, clock=FakeClock())
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def raw(target: str | Path) -> Raw:
    """`await raw(sql, *params)`: rows as a separate connection sees them (committed data only); `?` params."""

    async def run(sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return query(target, sql, *params)

    return run


def sqlite_only(store: LedgerStore) -> None:
    """Skip a white-box check of the SQLite file (or its single connection) on another backend."""
    if store.database.dialect != "sqlite":
        pytest.skip("checks the SQLite file itself")


def integrity_error(store: LedgerStore) -> type[Exception]:
    """What a constraint violation raises on the store's backend."""
    return sqlite3.IntegrityError if store.database.dialect == "sqlite" else asyncpg.IntegrityConstraintViolationError


__all__ = ["Raw", "integrity_error", "run_async", "sqlite_only"]
