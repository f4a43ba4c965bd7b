"""Reading a user's contracts from another process: the bot's engine workers, with a read-only connection.

Why: the bot's main process owns the ledger's one read-write connection (`Database`). Handing a big ledger
to a worker process means pickling it there and the worker's results back, work that holds the main
process's GIL and so its event loop. A worker that reads the ledger itself gets only a path and a user id.

Why what it reads is never stale nor half-written: the file is in WAL mode, and each read here is one
read transaction (the contracts and their close requests, two statements inside BEGIN ... COMMIT), which
SQLite starts on the newest commit at that moment and which never sees a transaction that has not
committed. A job is handed to a worker after the request that asked for it arrived, so every write
acknowledged before the request is visible. Between jobs the connection
holds no transaction, so it never keeps a checkpoint (or forget-me's WAL truncation) from finishing.

Only files the main process opened read-write (recognised, migrated, in WAL) are read this way; a
read-only or in-memory store hands its contracts over instead (see `ServiceContext.ledger_source`).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from scoring.model import Contract

from .database import BUSY_TIMEOUT_MS
from .opening import error_for
from .rows import CONTRACT_COLUMNS, ContractRow, stored_row_to_contract

# Why two plain statements instead of the stores' SELECT_CONTRACTS (a correlated group_concat per contract,
# ORDER BY in SQL): a worker reads a whole ledger per answer, and the subquery (one index search per
# contract) and SQLite's sort were a fifth of the read; one range scan of the user's requests and a sort
# in Python give the same contracts in the same order (ISO dates sort as the days they name).
_SELECT_ROWS = f"SELECT {', '.join(CONTRACT_COLUMNS)} FROM contracts WHERE user_id = ?"
_SELECT_REQUESTS = "SELECT contract_id, requested_on FROM close_requests WHERE user_id = ?"

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
    connection = reader(path)
    try:
        connection.execute("BEGIN")  # both statements read the same commit
        try:
            rows: list[ContractRow] = connection.execute(_SELECT_ROWS, (user_id,)).fetchall()
            requests: list[tuple[str, str]] = connection.execute(_SELECT_REQUESTS, (user_id,)).fetchall()
        finally:
            connection.execute("COMMIT")  # read-only: ends the read transaction, never writes
    except sqlite3.Error as exc:
        raise error_for(exc) from exc
    asked: dict[str, list[str]] = {}
    for contract_id, day in requests:
        asked.setdefault(contract_id, []).append(day)
    contracts = [stored_row_to_contract(row, tuple(sorted(asked[row[0]])) if row[0] in asked else ()) for row in rows]
    contracts.sort(key=_ledger_order)  # after conversion: a damaged row has raised its StoreError by now
    return contracts


def _ledger_order(contract: Contract) -> tuple[date, str]:
    return contract.started, contract.id


def close_readers() -> None:
    """Close this process's reader connections (tests; a worker's are closed when it exits)."""
    while _readers:
        _readers.popitem()[1].close()


__all__ = ["close_readers", "read_contracts", "reader"]
