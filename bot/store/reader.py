"""Reading a user's contracts from another process: the bot's engine workers, with a read-only connection.

Why: the bot's main process owns the ledger's one read-write connection (`Database`). Handing a big ledger
to a worker process means pickling it there and the worker's results back, work that holds the main
process's GIL and so its event loop. A worker that reads the ledger itself gets only a path and a user id.

Why what it reads is never stale nor half-written: the file is in WAL mode, and each read here is one
statement, so one read transaction, which SQLite starts on the newest commit at that moment and which
never sees a transaction that has not committed. A job is handed to a worker after the request that asked
for it arrived, so every write acknowledged before the request is visible. Between jobs the connection
holds no transaction, so it never keeps a checkpoint (or forget-me's WAL truncation) from finishing.

Only files the main process opened read-write (recognised, migrated, in WAL) are read this way; a
read-only or in-memory store hands its contracts over instead (see `ServiceContext.ledger_source`).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scoring.model import Contract

from .contract_sql import SELECT_CONTRACTS
from .database import BUSY_TIMEOUT_MS
from .opening import error_for
from .rows import split_requests, stored_row_to_contract

_readers: dict[str, sqlite3.Connection] = {}  # per process: one connection per ledger file, opened on first use


def reader(path: str) -> sqlite3.Connection:
    """This process's read-only connection to the ledger at `path` (opened once, then reused)."""
    connection = _readers.get(path)
    if connection is None:
        uri = f"{Path(path).absolute().as_uri()}?mode=ro"
        try:
            connection = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise error_for(exc) from exc
        _readers[path] = connection
    return connection


def read_contracts(path: str, user_id: str) -> list[Contract]:
    """The user's contracts, ordered as `ContractStore.list_contracts` orders them (start date, then id)."""
    try:
        rows = reader(path).execute(SELECT_CONTRACTS + " ORDER BY c.started, c.contract_id", (user_id,)).fetchall()
    except sqlite3.Error as exc:
        raise error_for(exc) from exc
    return [stored_row_to_contract(tuple(row[:-1]), split_requests(row[-1])) for row in rows]


def close_readers() -> None:
    """Close this process's reader connections (tests; a worker's are closed when it exits)."""
    while _readers:
        _readers.popitem()[1].close()


__all__ = ["close_readers", "read_contracts", "reader"]
