"""The JSS values a user recorded from Upwork, one per day, for the score history chart."""

from __future__ import annotations

from datetime import date

from .audit import ensure_user
from .backend import Database
from .errors import StoreError
from .ids import check_user


class ScoreHistoryStore:
    """Recorded scores of every user, on a shared `Database`."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def record_snapshot(self, user_id: str, on: date, jss: int) -> None:
        """Keep the JSS Upwork showed on a day (one per day; recording again replaces it)."""
        check_user(user_id)
        if not 0 <= jss <= 100:
            raise StoreError("a JSS is between 0 and 100")
        async with self._database.write() as db:
            now = self._database.now()
            await ensure_user(db, user_id, now)
            await db.execute(
                "INSERT INTO score_snapshots (user_id, recorded_on, jss, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (user_id, recorded_on) DO UPDATE SET jss = excluded.jss, created_at = excluded.created_at",
                (user_id, on.isoformat(), jss, now),
            )

    async def list_snapshots(self, user_id: str, limit: int = 200) -> list[tuple[date, int]]:
        """Recorded scores, oldest first (the most recent `limit`)."""
        async with self._database.read() as db:
            cursor = await db.execute(
                "SELECT recorded_on, jss FROM (SELECT recorded_on, jss FROM score_snapshots WHERE user_id = ? "
                "ORDER BY recorded_on DESC LIMIT ?) AS recent ORDER BY recorded_on",
                (user_id, limit),
            )
            rows = await cursor.fetchall()
        return [(date.fromisoformat(day), int(value)) for day, value in rows]
