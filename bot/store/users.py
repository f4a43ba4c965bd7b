"""Whole-user operations: the change history, the list of known users, and forget-me."""

from __future__ import annotations

import json
from datetime import datetime

from .backend import Database
from .ids import check_user
from .models import AuditEntry

# Every table holding user data, children first. `user_settings` goes before `reminder_users` and the
# contracts: the replan triggers (schema 4) fire on contract/request deletes only while the user's settings
# say reminders are on, and would otherwise re-create a reminder_users row that is then deleted by cascade,
# uncounted. tests/store/test_forget.py checks this list against every table with a user_id column.
_USER_TABLES = (
    "reminders",
    "reminder_kinds_off",
    "user_settings",
    "reminder_users",
    "close_requests",
    "imported_payments",
    "pending_refunds",
    "onboarding_questions",
    "score_snapshots",
    "contracts",
    "audit",
    "users",
)


class UserStore:
    """Per-user history and deletion, on a shared `Database`."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def audit_log(self, user_id: str, limit: int = 50) -> list[AuditEntry]:
        """The user's change history, newest first (for "what did my import do?")."""
        check_user(user_id)
        async with self._database.read() as db:
            rows = await db.execute_fetchall(
                "SELECT id, user_id, at, action, contract_id, detail FROM audit "
                "WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?",
                (user_id, max(0, int(limit))),
            )
        return [
            AuditEntry(
                id=row[0],
                user_id=row[1],
                at=datetime.fromisoformat(row[2]),
                action=row[3],
                contract_id=row[4],
                detail=json.loads(row[5]),
            )
            for row in rows
        ]

    async def user_ids(self, after: str | None = None, limit: int = 1000) -> list[str]:
        """Known user ids in ascending text order after `after`: keyset pagination for batch scans,
        which stays fast and never skips or repeats users however far the scan goes."""
        async with self._database.read() as db:
            if after is None:
                rows = await db.execute_fetchall(
                    "SELECT user_id FROM users ORDER BY user_id LIMIT ?", (max(0, int(limit)),)
                )
            else:
                rows = await db.execute_fetchall(
                    "SELECT user_id FROM users WHERE user_id > ? ORDER BY user_id LIMIT ?",
                    (after, max(0, int(limit))),
                )
        return [row[0] for row in rows]

    async def forget_user(self, user_id: str) -> int:
        """Delete everything stored about the user (contracts, requests, settings, history, reminders, the
        user row); returns how many rows were deleted, all tables together.

        Each table is cleared explicitly rather than relying on cascades, so the returned row count is
        exact and the deletion does not depend on foreign-key enforcement being on. Then the WAL is
        checkpointed and truncated: the connection zeroes deleted rows (secure_delete), but their old page
        images would otherwise stay in the -wal file for as long as the bot keeps the database open.
        """
        check_user(user_id)
        removed = 0
        async with self._database.write() as db:
            for table in _USER_TABLES:  # names are ours, the value a parameter
                cursor = await db.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
                removed += max(0, cursor.rowcount)
        await self._database.checkpoint()
        return removed
