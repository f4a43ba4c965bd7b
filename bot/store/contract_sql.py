"""Contract queries shared by the contract and import stores, run inside the caller's read or write scope.

Why in one module: the SELECT that joins close requests, the upserts and the request inserts must be the
same for single edits and whole-ledger imports, or the two paths would drift apart. Column names come
from CONTRACT_COLUMNS (code, not input); values are always `?` parameters.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from scoring.model import Contract

from .backend import Connection
from .rows import CONTRACT_COLUMNS, ContractRow, row_to_contract, split_requests

# Up to this many rows are turned into contracts on the event loop (a typical ledger: under a millisecond);
# more (hundreds of contracts: tens of ms of validation) go to a thread so other users' commands get turns.
CONVERT_INLINE_MAX = 200
_COLUMNS = ", ".join(CONTRACT_COLUMNS)
_PLACEHOLDERS = ", ".join("?" * (len(CONTRACT_COLUMNS) + 1))
SELECT_CONTRACTS = (
    f"SELECT {', '.join('c.' + name for name in CONTRACT_COLUMNS)}, "
    "(SELECT group_concat(r.requested_on) FROM close_requests AS r "
    " WHERE r.user_id = c.user_id AND r.contract_id = c.contract_id) AS requests "
    "FROM contracts AS c WHERE c.user_id = ?"
)
INSERT_NEW = (
    f"INSERT INTO contracts (user_id, {_COLUMNS}) VALUES ({_PLACEHOLDERS}) "
    "ON CONFLICT (user_id, contract_id) DO NOTHING"
)
UPSERT = (
    f"INSERT INTO contracts (user_id, {_COLUMNS}) VALUES ({_PLACEHOLDERS}) "
    "ON CONFLICT (user_id, contract_id) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in CONTRACT_COLUMNS[1:])
)
_INSERT_REQUEST = (
    "INSERT INTO close_requests (user_id, contract_id, requested_on) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
)

ExistingRows = dict[str, tuple[ContractRow, tuple[str, ...]]]


async def fetch_contract(db: Connection, user_id: str, contract_id: str) -> Contract | None:
    """One contract with its close requests, or None."""
    rows = list(await db.execute_fetchall(SELECT_CONTRACTS + " AND c.contract_id = ?", (user_id, contract_id)))
    if not rows:
        return None
    row = tuple(rows[0])
    return row_to_contract(row[:-1], split_requests(row[-1]))


async def contracts_in(db: Connection, user_id: str) -> list[Contract]:
    """The user's contracts ordered by start date then id, so listings and exports are stable."""
    rows = list(await db.execute_fetchall(SELECT_CONTRACTS + " ORDER BY c.started, c.contract_id", (user_id,)))
    if len(rows) > CONVERT_INLINE_MAX:  # a big ledger: validate in a thread, the event loop keeps its turns
        return await asyncio.to_thread(_to_contracts, rows)
    return _to_contracts(rows)


def _to_contracts(rows: Iterable[Any]) -> list[Contract]:
    result = []
    for raw in rows:
        row = tuple(raw)
        result.append(row_to_contract(row[:-1], split_requests(row[-1])))
    return result


async def existing_rows(db: Connection, user_id: str) -> ExistingRows:
    """The user's contracts as raw rows, to diff an import without building models."""
    existing: ExistingRows = {}
    for raw in await db.execute_fetchall(SELECT_CONTRACTS, (user_id,)):
        row = tuple(raw)
        existing[row[0]] = (row[:-1], split_requests(row[-1]))
    return existing


async def insert_requests(db: Connection, user_id: str, rows: list[tuple[str, str]]) -> None:
    """rows: (contract_id, requested_on)."""
    if rows:
        await db.executemany(_INSERT_REQUEST, [(user_id, cid, day) for cid, day in rows])


async def delete_requests(db: Connection, user_id: str, contract_ids: list[str]) -> None:
    """Drop the close requests of these contracts (before rewriting them)."""
    if contract_ids:
        await db.executemany(
            "DELETE FROM close_requests WHERE user_id = ? AND contract_id = ?", [(user_id, cid) for cid in contract_ids]
        )
