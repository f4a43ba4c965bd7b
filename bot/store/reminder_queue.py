"""Delivering reminders: claiming due rows, marking the outcome, and what users see and do with them.

Delivery is three transactions, and each crash point is safe:

* claim: `pending` -> `sending` with a fresh token; `deliver_at` becomes the lease end, so a claim
  whose sender dies simply becomes due again later (nothing is lost);
* the sender sends outside any transaction, with a nonce made of the row id and delivery number;
* mark: `sending` -> `sent` (or back to `pending` with a retry time), only if the token still matches.
  A crash between send and mark leads to a resend with the same nonce, which Discord deduplicates,
  and the sender first looks for the message in the DM history (nothing is sent twice in effect).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from .backend import stamp
from .reminder_rows import ROW_COLUMNS, Claim, Cursor, QueuedReminder, ReminderTables

MAX_ERROR_CHARS = 300

DUE_SCAN = f"""
SELECT {", ".join("r." + c.strip() for c in ROW_COLUMNS.split(","))}, s.timezone, s.quiet_start, s.quiet_end
FROM reminders AS r JOIN user_settings AS s ON s.user_id = r.user_id
WHERE r.state IN ('pending', 'sending') AND r.deliver_at <= :now AND (r.deliver_at, r.id) > (:after_at, :after_id)
  AND s.reminders_enabled = 1 AND s.dm_closed = 0
ORDER BY r.deliver_at, r.id
LIMIT :limit
"""
_CLAIM = """
UPDATE reminders SET state = 'sending', claim_token = :token, claimed_at = :now, deliver_at = :lease_end,
       attempts = attempts + 1, updated_at = :now
WHERE id = :id AND user_id = :user_id AND state IN ('pending', 'sending') AND deliver_at <= :now
"""
_MARK = "WHERE id = :id AND user_id = :user_id AND claim_token = :token AND state = 'sending'"


class ReminderQueue(ReminderTables):
    """Claims, delivery outcomes, snoozes and listings of queued reminders, on a shared `Database`."""

    # ------------------------------------------------------------------ delivery

    async def claim_due(
        self,
        now: datetime,
        limit: int,
        lease: timedelta,
        cursor: Cursor = Cursor(),  # noqa: B008 - frozen
    ) -> tuple[list[Claim], Cursor]:
        """Claim up to `limit` due reminders of opted-in users, in due order after `cursor`.

        One transaction: a row due inside its user's quiet hours (a retry, a late start) is put off to
        their end instead of being claimed (`planned_at` stays: it dates the give-up deadline). Returns
        the claims and the cursor for the next page (the same cursor when nothing was due).
        """
        now_s = stamp(now)
        token = secrets.token_hex(8)
        lease_end = now + lease
        claims: list[Claim] = []
        async with self._write() as db:
            rows = list(
                await db.execute_fetchall(
                    DUE_SCAN, {"now": now_s, "after_at": cursor.deliver_at, "after_id": cursor.id, "limit": int(limit)}
                )
            )
            for row in rows:
                reminder = QueuedReminder.from_row(row[:15])
                window = self._windows(row[15], row[16], row[17], None)
                if window.is_quiet(now):
                    later = stamp(window.after_quiet(now))
                    await db.execute(
                        "UPDATE reminders SET state = 'pending', deliver_at = ?, claim_token = NULL, "
                        "updated_at = ? WHERE id = ? AND user_id = ? AND state IN ('pending', 'sending')",
                        (later, now_s, reminder.id, reminder.user_id),
                    )
                    continue
                done = await db.execute(
                    _CLAIM,
                    {
                        "token": token,
                        "now": now_s,
                        "lease_end": stamp(lease_end),
                        "id": reminder.id,
                        "user_id": reminder.user_id,
                    },
                )
                if done.rowcount:
                    claimed = QueuedReminder.from_row((*row[:11], reminder.attempts + 1, *row[12:15]))
                    claims.append(Claim(claimed, token, window, lease_end))
        if not rows:
            return claims, cursor
        return claims, Cursor(rows[-1][8], int(rows[-1][0]))

    async def peek_due(
        self,
        now: datetime,
        limit: int,
        cursor: Cursor = Cursor(),  # noqa: B008 - frozen
    ) -> tuple[list[QueuedReminder], Cursor]:
        """One page of what `claim_due` would look at, without claiming (diagnostics, the benchmark)."""
        async with self._read() as db:
            rows = list(
                await db.execute_fetchall(
                    DUE_SCAN,
                    {"now": stamp(now), "after_at": cursor.deliver_at, "after_id": cursor.id, "limit": int(limit)},
                )
            )
        if not rows:
            return [], cursor
        return [QueuedReminder.from_row(row[:15]) for row in rows], Cursor(rows[-1][8], int(rows[-1][0]))

    async def mark_sent(self, claim: Claim, message_id: str, now: datetime) -> bool:
        """Record the delivery; False if the claim was lost (another sender took the row over after the
        lease ran out: it resends with the same nonce, so the user still gets one message)."""
        async with self._write() as db:
            cursor = await db.execute(
                "UPDATE reminders SET state = 'sent', message_id = :message_id, sent_at = :now, last_error = NULL, "
                "claim_token = NULL, updated_at = :now " + _MARK,
                {"message_id": message_id, "now": stamp(now), **self._key(claim)},
            )
            return cursor.rowcount > 0

    async def mark_retry(self, claim: Claim, at: datetime, error: str, now: datetime) -> bool:
        """Give the row back to the queue, due again at `at` (a backoff or a rate limit's retry_after)."""
        async with self._write() as db:
            cursor = await db.execute(
                "UPDATE reminders SET state = 'pending', deliver_at = :at, last_error = :error, claim_token = NULL, "
                "updated_at = :now " + _MARK,
                {"at": stamp(at), "error": error[:MAX_ERROR_CHARS], "now": stamp(now), **self._key(claim)},
            )
            return cursor.rowcount > 0

    async def mark_failed(self, claim: Claim, error: str, now: datetime) -> bool:
        """Give up on this delivery (the error cannot be fixed by retrying)."""
        async with self._write() as db:
            cursor = await db.execute(
                "UPDATE reminders SET state = 'failed', last_error = :error, claim_token = NULL, updated_at = :now "
                + _MARK,
                {"error": error[:MAX_ERROR_CHARS], "now": stamp(now), **self._key(claim)},
            )
            return cursor.rowcount > 0

    async def hold_user(self, claim: Claim, error: str, now: datetime) -> None:
        """The user's DMs are closed: hold this and every pending reminder of theirs (not retried), and
        remember to tell them in their next command's reply. They resume when the DMs are reopened."""
        user_id = claim.reminder.user_id
        async with self._write() as db:
            await db.execute(
                "UPDATE reminders SET state = 'held', last_error = :error, claim_token = NULL, attempts = 0, "
                "updated_at = :now " + _MARK,
                {"error": error[:MAX_ERROR_CHARS], "now": stamp(now), **self._key(claim)},
            )
            await db.execute(
                "UPDATE reminders SET state = 'held', updated_at = ? WHERE user_id = ? AND state = 'pending'",
                (stamp(now), user_id),
            )
            await db.execute(
                "INSERT INTO reminder_users (user_id, dm_notice, updated_at) VALUES (?, 1, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET dm_notice = 1, updated_at = excluded.updated_at",
                (user_id, stamp(now)),
            )

    @staticmethod
    def _key(claim: Claim) -> dict[str, Any]:
        return {"id": claim.reminder.id, "user_id": claim.reminder.user_id, "token": claim.token}

    async def next_wake(self) -> datetime | None:
        """The earliest instant anything is due: a reminder (or a lease end), or a derivation."""
        async with self._read() as db:
            rows = list(
                await db.execute_fetchall(
                    "SELECT (SELECT min(deliver_at) FROM reminders WHERE state IN ('pending', 'sending')), "
                    "(SELECT min(replan_at) FROM reminder_users WHERE replan_at IS NOT NULL)"
                )
            )
        due, replan = rows[0]
        if replan == "":
            return datetime.min.replace(tzinfo=UTC)
        found = [datetime.fromisoformat(v) for v in (due, replan) if v]
        return min(found, default=None)

    # ------------------------------------------------------------------ what users see and do

    async def snooze(self, user_id: str, reminder_id: int, until: datetime, now: datetime) -> QueuedReminder | None:
        """Deliver the reminder again at `until` (a sent one counts as a new delivery with a new nonce).
        None if the user has no such reminder, or it is not snoozable (cancelled, failed, being sent)."""
        async with self._write() as db:
            cursor = await db.execute(
                "UPDATE reminders SET delivery = delivery + CASE WHEN state = 'sent' THEN 1 ELSE 0 END, "
                "state = 'pending', planned_at = ?, deliver_at = ?, attempts = 0, claim_token = NULL, "
                "last_error = NULL, updated_at = ? "
                "WHERE id = ? AND user_id = ? AND state IN ('sent', 'pending', 'held') "
                f"RETURNING {ROW_COLUMNS}",
                (stamp(until), stamp(until), stamp(now), int(reminder_id), user_id),
            )
            row = await cursor.fetchone()
        return None if row is None else QueuedReminder.from_row(tuple(row))

    async def get(self, user_id: str, reminder_id: int) -> QueuedReminder | None:
        async with self._read() as db:
            rows = list(
                await db.execute_fetchall(
                    f"SELECT {ROW_COLUMNS} FROM reminders WHERE id = ? AND user_id = ?", (int(reminder_id), user_id)
                )
            )
        return QueuedReminder.from_row(tuple(rows[0])) if rows else None

    async def for_user(
        self, user_id: str, states: Sequence[str], since: datetime | None = None, limit: int = 50
    ) -> list[QueuedReminder]:
        """The user's reminders in the given states (sent ones since `since`), by planned time."""
        marks = ", ".join("?" * len(states))
        async with self._read() as db:
            rows = await db.execute_fetchall(
                f"SELECT {ROW_COLUMNS} FROM reminders WHERE user_id = ? AND state IN ({marks}) "
                "AND (state != 'sent' OR sent_at >= ?) ORDER BY planned_at, id LIMIT ?",
                (user_id, *states, "" if since is None else stamp(since), max(0, int(limit))),
            )
        return [QueuedReminder.from_row(tuple(row)) for row in rows]

    async def due_for_user(self, user_id: str, until: datetime) -> list[QueuedReminder]:
        """The user's pending reminders due by `until` (the console's dry run)."""
        async with self._read() as db:
            rows = await db.execute_fetchall(
                f"SELECT {ROW_COLUMNS} FROM reminders WHERE user_id = ? AND state = 'pending' AND deliver_at <= ? "
                "ORDER BY deliver_at, id",
                (user_id, stamp(until)),
            )
        return [QueuedReminder.from_row(tuple(row)) for row in rows]

    async def dm_notice(self, user_id: str) -> bool:
        """Whether the user still has to be told that their DMs were found closed (asked after every command:
        a small read, `Database.fetch_small`)."""
        rows = await self._database.fetch_small("SELECT dm_notice FROM reminder_users WHERE user_id = ?", (user_id,))
        return bool(rows and rows[0][0])

    async def clear_dm_notice(self, user_id: str, now: datetime) -> None:
        async with self._write() as db:
            await db.execute(
                "UPDATE reminder_users SET dm_notice = 0, updated_at = ? WHERE user_id = ? AND dm_notice = 1",
                (stamp(now), user_id),
            )

    async def counts(self) -> dict[str, int]:
        """Rows per state, for logs and benchmarks (a full scan of the queue: not for hot paths)."""
        async with self._read() as db:
            rows = await db.execute_fetchall("SELECT state, count(*) FROM reminders GROUP BY state")
        return {row[0]: int(row[1]) for row in rows}
