"""Which reminders each user should have: kind choices, re-plan marks, and syncing the queue to a derivation.

Why the change counter (`ReplanTicket`): a ledger edit between reading the ledger and writing the queue
bumps it (triggers of schema 4), so `sync` then leaves the user marked and the next scan derives again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from .backend import Connection, stamp
from .reminder_rows import PlannedReminder, ReminderTables, ReplanTicket, SyncResult
from .settings import UserSettings

HISTORY_DAYS = 180  # cancelled and failed rows older than this are purged when their user is re-planned


def _facts(facts: dict[str, Any]) -> str:
    return json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class ReminderPlanning(ReminderTables):
    """Per-user reminder choices and the derivation -> queue sync, on a shared `Database`."""

    # ------------------------------------------------------------------ per-user state and choices

    async def kinds_off(self, user_id: str) -> frozenset[str]:
        """The reminder kinds (ReminderKind values) the user switched off."""
        async with self._read() as db:
            rows = await db.execute_fetchall("SELECT kind FROM reminder_kinds_off WHERE user_id = ?", (user_id,))
        return frozenset(str(row[0]) for row in rows)

    async def set_kinds(
        self, user_id: str, enable: Iterable[str], disable: Iterable[str], now: datetime
    ) -> frozenset[str]:
        """Switch kinds on and off (disable wins when both name a kind); marks the user for a new
        derivation in the same transaction. Returns the kinds now off."""
        on, off = set(enable), set(disable)
        async with self._write() as db:
            await db.execute(
                "INSERT INTO users (user_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING", (user_id, stamp(now))
            )
            if on - off:
                await db.executemany(
                    "DELETE FROM reminder_kinds_off WHERE user_id = ? AND kind = ?",
                    [(user_id, str(k)) for k in sorted(on - off)],
                )
            if off:
                await db.executemany(
                    "INSERT INTO reminder_kinds_off (user_id, kind) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    [(user_id, str(k)) for k in sorted(off)],
                )
            await self._mark_replan(db, user_id, now)
            rows = await db.execute_fetchall("SELECT kind FROM reminder_kinds_off WHERE user_id = ?", (user_id,))
        return frozenset(str(row[0]) for row in rows)

    @staticmethod
    async def _mark_replan(db: Connection, user_id: str, now: datetime) -> None:
        await db.execute(
            "INSERT INTO reminder_users (user_id, replan_at, updated_at) VALUES (?, '', ?) "
            "ON CONFLICT (user_id) DO UPDATE SET replan_at = '', changes = reminder_users.changes + 1, "
            "updated_at = excluded.updated_at",
            (user_id, stamp(now)),
        )

    async def mark_replan(self, user_id: str, now: datetime) -> None:
        """Ask for a new derivation of this user's reminders on the next scan."""
        async with self._write() as db:
            await self._mark_replan(db, user_id, now)

    async def defer_replan(self, user_id: str, at: datetime, now: datetime) -> None:
        """Try this user's derivation again at `at` (their ledger could not be read), unless it changed."""
        async with self._write() as db:
            await db.execute(
                "UPDATE reminder_users SET replan_at = ?, updated_at = ? WHERE user_id = ?",
                (stamp(at), stamp(now), user_id),
            )

    async def ticket(self, user_id: str) -> ReplanTicket:
        """The user's change counter, read before their ledger (see `sync`)."""
        async with self._read() as db:
            rows = list(
                await db.execute_fetchall("SELECT replan_at, changes FROM reminder_users WHERE user_id = ?", (user_id,))
            )
        return ReplanTicket(user_id, rows[0][0] or "", int(rows[0][1])) if rows else ReplanTicket(user_id, "", -1)

    async def due_for_replan(self, now: datetime, limit: int, after: tuple[str, str] = ("", "")) -> list[ReplanTicket]:
        """Users whose derivation is due, in (replan_at, user_id) keyset order after `after`."""
        async with self._read() as db:
            rows = await db.execute_fetchall(
                "SELECT user_id, replan_at, changes FROM reminder_users "
                "WHERE replan_at IS NOT NULL AND replan_at <= ? AND (replan_at, user_id) > (?, ?) "
                "ORDER BY replan_at, user_id LIMIT ?",
                (stamp(now), after[0], after[1], max(0, int(limit))),
            )
        return [ReplanTicket(row[0], row[1], int(row[2])) for row in rows]

    async def opted_in_users(self, after: str | None, limit: int) -> list[str]:
        """Users with reminders on and DMs open, in user_id order after `after` (keyset over the partial
        index of schema 2): for sweeps whose cost must not depend on users who never opted in."""
        async with self._read() as db:
            rows = await db.execute_fetchall(
                "SELECT user_id FROM user_settings WHERE reminders_enabled = 1 AND dm_closed = 0 AND user_id > ? "
                "ORDER BY user_id LIMIT ?",
                (after or "", max(0, int(limit))),
            )
        return [row[0] for row in rows]

    async def ensure_tracked(self, user_ids: Sequence[str], now: datetime) -> int:
        """Give opted-in users without scheduling state one (self-healing for files edited by hand or
        restored from an old backup); returns how many were added."""
        if not user_ids:
            return 0
        added = 0
        async with self._write() as db:
            for user_id in user_ids:  # one statement each: PostgreSQL's executemany reports no row count
                cursor = await db.execute(
                    "INSERT INTO reminder_users (user_id, replan_at, updated_at) VALUES (?, '', ?) "
                    "ON CONFLICT DO NOTHING",
                    (user_id, stamp(now)),
                )
                added += max(0, cursor.rowcount)
        return added

    # ------------------------------------------------------------------ derivation -> queue

    async def sync(
        self,
        ticket: ReplanTicket,
        settings: UserSettings,
        derived: Sequence[PlannedReminder],
        now: datetime,
        replan_at: datetime | None,
        planned_on: date,
    ) -> SyncResult:
        """Make the user's queue match a derivation, in one transaction.

        New keys are inserted (or a cancelled row with the same key comes back); active rows whose key
        is gone are cancelled; kept rows get new facts and, while still in the future, a new planned
        time (time zone or quiet hours changed). Sent and failed rows are never touched. `replan_at`
        is stored only if no change happened since `ticket` was read; otherwise the user stays marked.
        """
        user_id = ticket.user_id
        window = self._windows(settings.timezone, settings.quiet_start, settings.quiet_end, settings.send_time)
        now_s = stamp(now)
        if not settings.reminders_enabled:
            derived = ()
        target = "held" if settings.dm_closed else "pending"
        wanted = {(r.contract_id, r.rule_id, r.due_on.isoformat()): r for r in derived}
        added = cancelled = updated = resumed = 0
        async with self._write() as db:
            rows = await db.execute_fetchall(
                "SELECT id, contract_id, rule_id, due_on, state, planned_at, deliver_at, facts, delivery, attempts "
                "FROM reminders WHERE user_id = ? AND state IN ('pending', 'held', 'sending')",
                (user_id,),
            )
            seen: set[tuple[str, str, str]] = set()
            for rid, cid, rule, due, state, planned, deliver, facts, delivery, attempts in rows:
                key = (cid, rule, due)
                item = wanted.get(key)
                if item is None:
                    if state != "sending" or deliver <= now_s:  # a live claim finishes; a dead one is cancelled
                        await db.execute(
                            "UPDATE reminders SET state = 'cancelled', claim_token = NULL, updated_at = ? "
                            "WHERE id = ? AND user_id = ?",
                            (now_s, rid, user_id),
                        )
                        cancelled += 1
                    continue
                seen.add(key)
                changes: dict[str, Any] = {}
                new_facts = _facts(item.facts)
                if new_facts != facts:
                    changes["facts"] = new_facts
                if state in ("pending", "held") and state != target:
                    changes["state"] = target
                    if target == "pending":
                        when = stamp(window.after_quiet(max(datetime.fromisoformat(planned), now)))
                        changes.update(planned_at=when, deliver_at=when)
                        resumed += 1
                elif state == "pending" and delivery == 0 and attempts == 0 and planned > now_s:
                    when = stamp(window.planned(item.due_on, now))
                    if when != planned:
                        changes.update(planned_at=when, deliver_at=when)
                if changes:
                    updated += changes.get("state") != "pending"
                    sets = ", ".join(f"{name} = ?" for name in changes)  # names are ours, values parameters
                    await db.execute(
                        f"UPDATE reminders SET {sets}, updated_at = ? WHERE id = ? AND user_id = ?",
                        (*changes.values(), now_s, rid, user_id),
                    )
            for key, item in wanted.items():
                if key in seen:
                    continue
                when = stamp(window.planned(item.due_on, now))
                cursor = await db.execute(
                    "INSERT INTO reminders (user_id, contract_id, rule_id, due_on, kind, state, planned_at, deliver_at,"
                    " facts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (user_id, contract_id, rule_id, due_on) DO UPDATE SET state = excluded.state, "
                    "planned_at = excluded.planned_at, deliver_at = excluded.deliver_at, facts = excluded.facts, "
                    "attempts = 0, last_error = NULL, updated_at = excluded.updated_at "
                    "WHERE reminders.state = 'cancelled'",
                    (user_id, *key, str(item.kind), target, when, when, _facts(item.facts), now_s, now_s),
                )
                added += max(0, cursor.rowcount)
            await db.execute(
                "DELETE FROM reminders WHERE user_id = ? AND state IN ('cancelled', 'failed') AND updated_at < ?",
                (user_id, stamp(now - timedelta(days=HISTORY_DAYS))),
            )
            cursor = await db.execute(
                "UPDATE reminder_users SET replan_at = ?, planned_on = ?, updated_at = ? "
                "WHERE user_id = ? AND changes = ?",
                (
                    None if replan_at is None else stamp(replan_at),
                    planned_on.isoformat(),
                    now_s,
                    user_id,
                    ticket.changes,
                ),
            )
            current = cursor.rowcount > 0
            if not current and ticket.changes < 0:  # never tracked: start tracking now
                await db.execute(
                    "INSERT INTO reminder_users (user_id, replan_at, planned_on, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT DO NOTHING",
                    (user_id, None if replan_at is None else stamp(replan_at), planned_on.isoformat(), now_s),
                )
                current = True
        return SyncResult(added, cancelled, updated, resumed, current)
