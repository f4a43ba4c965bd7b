"""Where each user is in the guided first run: which imported contracts still have questions.

Why one row per contract rather than a saved position: the questions outlive a session (resumable from
either front end), a later import may add contracts to ask about, and a contract removed or renamed in
the meantime takes its row with it (foreign key to `contracts`). A contract answered or skipped once is
never queued again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .backend import Database
from .ids import check_user

PENDING, ANSWERED, SKIPPED = "pending", "answered", "skipped"


@dataclass(frozen=True, slots=True)
class OnboardingCounts:
    """How far a user is: questions still to ask, answered, skipped."""

    pending: int = 0
    answered: int = 0
    skipped: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.answered + self.skipped


class OnboardingStore:
    """The guided first run's questions of every user, on a shared `Database`."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def queue(self, user_id: str, contract_ids: Sequence[str]) -> int:
        """Ask about these contracts after those already queued; one asked before keeps its state.
        Returns how many were new."""
        check_user(user_id)
        added = 0
        async with self._database.write(changes_ledger=False) as db:
            rows = list(
                await db.execute_fetchall(
                    "SELECT COALESCE(MAX(position), -1) FROM onboarding_questions WHERE user_id = ?", (user_id,)
                )
            )
            position = int(rows[0][0]) + 1
            now = self._database.now()
            for contract_id in dict.fromkeys(contract_ids):
                cursor = await db.execute(
                    "INSERT INTO onboarding_questions (user_id, contract_id, position, state, updated_at) "
                    "SELECT ?, ?, CAST(? AS INTEGER), ?, ? WHERE EXISTS "
                    "(SELECT 1 FROM contracts WHERE user_id = ? AND contract_id = ?) "
                    "ON CONFLICT (user_id, contract_id) DO NOTHING",
                    (user_id, contract_id, position, PENDING, now, user_id, contract_id),
                )
                if cursor.rowcount > 0:
                    added += 1
                    position += 1
        return added

    async def pending(self, user_id: str, limit: int) -> list[str]:
        """The next contracts to ask about, in the order they were queued."""
        check_user(user_id)
        async with self._database.read() as db:
            rows = await db.execute_fetchall(
                "SELECT contract_id FROM onboarding_questions WHERE user_id = ? AND state = ? "
                "ORDER BY position, contract_id LIMIT ?",
                (user_id, PENDING, max(0, int(limit))),
            )
        return [str(row[0]) for row in rows]

    async def counts(self, user_id: str) -> OnboardingCounts:
        check_user(user_id)
        async with self._database.read() as db:
            rows = await db.execute_fetchall(
                "SELECT state, COUNT(*) FROM onboarding_questions WHERE user_id = ? GROUP BY state", (user_id,)
            )
        found = {str(state): int(count) for state, count in rows}
        return OnboardingCounts(found.get(PENDING, 0), found.get(ANSWERED, 0), found.get(SKIPPED, 0))

    async def mark(self, user_id: str, contract_ids: Sequence[str], state: str) -> None:
        """Record that these pending questions were answered or skipped (others are left as they are)."""
        check_user(user_id)
        if state not in (ANSWERED, SKIPPED):
            raise ValueError(f"unknown state {state!r}")
        async with self._database.write(changes_ledger=False) as db:
            now = self._database.now()
            for contract_id in contract_ids:
                await db.execute(
                    "UPDATE onboarding_questions SET state = ?, updated_at = ? "
                    "WHERE user_id = ? AND contract_id = ? AND state = ?",
                    (state, now, user_id, contract_id, PENDING),
                )

    async def skip_all(self, user_id: str) -> int:
        """Skip every question still pending; returns how many."""
        check_user(user_id)
        async with self._database.write(changes_ledger=False) as db:
            cursor = await db.execute(
                "UPDATE onboarding_questions SET state = ?, updated_at = ? WHERE user_id = ? AND state = ?",
                (SKIPPED, self._database.now(), user_id, PENDING),
            )
            return max(0, cursor.rowcount)

    async def asked_on(self, user_id: str, contract_id: str) -> date | None:
        """The day the guided run recorded a close request for the contract, if it did (and still holds)."""
        check_user(user_id)
        async with self._database.read() as db:
            rows = list(
                await db.execute_fetchall(
                    "SELECT asked_on FROM onboarding_questions WHERE user_id = ? AND contract_id = ?",
                    (user_id, contract_id),
                )
            )
        found = rows[0][0] if rows else None
        return date.fromisoformat(str(found)) if found else None

    async def set_asked_on(self, user_id: str, contract_id: str, day: date | None) -> None:
        """Remember (or forget, with None) the close request the guided run recorded for the contract."""
        check_user(user_id)
        async with self._database.write(changes_ledger=False) as db:
            await db.execute(
                "UPDATE onboarding_questions SET asked_on = ?, updated_at = ? WHERE user_id = ? AND contract_id = ?",
                (day.isoformat() if day else None, self._database.now(), user_id, contract_id),
            )
