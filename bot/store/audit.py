"""The user row and the audit history, written inside the caller's transaction.

Why inside the caller's transaction: a change and its history are saved together or not at all, and
every table that holds user data references the user row, which must exist first.
"""

from __future__ import annotations

import json
from typing import Any

from .backend import Connection
from .models import AuditAction


def _json(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


async def ensure_user(db: Connection, user_id: str, now: str) -> None:
    """Create the user row if missing (idempotent)."""
    await db.execute(
        "INSERT INTO users (user_id, created_at) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING",
        (user_id, now),
    )


async def write_audit(
    db: Connection,
    user_id: str,
    now: str,
    action: AuditAction,
    contract_id: str | None,
    detail: dict[str, Any],
) -> None:
    """Called inside the caller's transaction: the history row commits or rolls back with the change."""
    await db.execute(
        "INSERT INTO audit (user_id, at, action, contract_id, detail) VALUES (?, ?, ?, ?, ?)",
        (user_id, now, str(action), contract_id, _json(detail)),
    )
