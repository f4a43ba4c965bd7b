"""The reminder queue and per-user reminder state, on the ledger store's SQLite connection.

Why a separate class on the same connection: reminders are their own concern (bot/reminders), but
they must share the ledger's transactions and lock, so that a claim or a sync never interleaves with
a half-written import, and so one file holds everything a user owns (forget-me cascades to it).

Delivery is three transactions, and each crash point is safe:

* claim: `pending` -> `sending` with a fresh token; `deliver_at` becomes the lease end, so a claim
  whose sender dies simply becomes due again later (nothing is lost);
* the sender sends outside any transaction, with a nonce made of the row id and delivery number;
* mark: `sending` -> `sent` (or back to `pending` with a retry time), only if the token still matches.
  A crash between send and mark leads to a resend with the same nonce, which Discord deduplicates,
  and the sender first looks for the message in the DM history (nothing is sent twice in effect).

Every statement takes its values as parameters, and every per-user statement filters on user_id.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import aiosqlite

from bot.reminders.kinds import ReminderKind
from bot.reminders.rules import DueReminder
from bot.reminders.timing import DeliveryWindow

from .ledger_store import LedgerStore
from .settings import UserSettings

ACTIVE = ("pending", "held", "sending")
HISTORY_DAYS = 180  # cancelled and failed rows older than this are purged when their user is re-planned
MAX_ERROR_CHARS = 300

_ROW_COLUMNS = (
    "id, user_id, contract_id, rule_id, kind, due_on, state, planned_at, deliver_at, facts, delivery, attempts, "
    "message_id, sent_at, last_error"
)
_DUE_SCAN = f"""
SELECT {", ".join("r." + c.strip() for c in _ROW_COLUMNS.split(","))}, s.timezone, s.quiet_start, s.quiet_end
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


def stamp(moment: datetime) -> str:
    """ISO-8601 UTC with microseconds: sorts as text, compares with the stored values."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _parse(value: str | None) -> datetime | None:
    return None if not value else datetime.fromisoformat(value)


def _facts(facts: dict[str, Any]) -> str:
    return json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


@dataclass(frozen=True, slots=True)
class QueuedReminder:
    """A reminder as stored in the queue."""

    id: int
    user_id: str
    contract_id: str
    rule_id: str
    kind: ReminderKind
    due_on: date
    state: str
    planned_at: datetime
    deliver_at: datetime
    facts_json: str  # decoded on use (`facts`): scans over many rows never need it
    delivery: int
    attempts: int
    message_id: str | None
    sent_at: datetime | None
    last_error: str | None

    @property
    def facts(self) -> dict[str, Any]:
        """What the reminder's message says (stored by the derivation)."""
        value: dict[str, Any] = json.loads(self.facts_json)
        return value

    @property
    def nonce(self) -> str:
        """Discord's message nonce (<= 25 characters): the same for every attempt of one delivery, new
        for each delivery (a snooze), so a resend after a crash is deduplicated and a snooze is not."""
        return f"r{_base36(self.id)}.{_base36(self.delivery)}"

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> QueuedReminder:
        return cls(
            id=int(row[0]),
            user_id=row[1],
            contract_id=row[2],
            rule_id=row[3],
            kind=ReminderKind(row[4]),
            due_on=date.fromisoformat(row[5]),
            state=row[6],
            planned_at=datetime.fromisoformat(row[7]),
            deliver_at=datetime.fromisoformat(row[8]),
            facts_json=row[9],
            delivery=int(row[10]),
            attempts=int(row[11]),
            message_id=row[12],
            sent_at=_parse(row[13]),
            last_error=row[14],
        )


@dataclass(frozen=True, slots=True)
class Claim:
    """A reminder this sender holds until `lease_end`, with the user's delivery window."""

    reminder: QueuedReminder
    token: str
    window: DeliveryWindow
    lease_end: datetime


@dataclass(frozen=True, slots=True)
class ReplanTicket:
    """A user due for a new derivation, with the change counter seen before reading their ledger."""

    user_id: str
    replan_at: str
    changes: int


@dataclass(frozen=True, slots=True)
class SyncResult:
    added: int = 0
    cancelled: int = 0
    updated: int = 0
    resumed: int = 0
    current: bool = True  # False: the ledger changed meanwhile, so the user stays marked for a new derivation


@dataclass(frozen=True, slots=True)
class Cursor:
    """Keyset position in the due scan: (deliver_at, id) of the last row looked at."""

    deliver_at: str = ""
    id: int = 0


class ReminderStore:
    """Queue and reminder state of every user; see the module docstring for the delivery protocol."""

    def __init__(self, store: LedgerStore) -> None:
        self._store = store

    @property
    def ledger(self) -> LedgerStore:
        return self._store

    # The ledger store's own serialised read and write scopes: one lock and one transaction discipline
    # for the whole file (bot.store-internal API, shared on purpose).
    def _read(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        return self._store._read()

    def _write(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        return self._store._write(changes_ledger=False)  # the queue is not part of any ledger answer

    # ------------------------------------------------------------------ per-user state and choices

    async def kinds_off(self, user_id: str) -> frozenset[ReminderKind]:
        async with self._read() as db:
            rows = await db.execute_fetchall("SELECT kind FROM reminder_kinds_off WHERE user_id = ?", (user_id,))
        return frozenset(ReminderKind(row[0]) for row in rows)

    async def set_kinds(
        self, user_id: str, enable: Iterable[ReminderKind], disable: Iterable[ReminderKind], now: datetime
    ) -> frozenset[ReminderKind]:
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
        return frozenset(ReminderKind(row[0]) for row in rows)

    @staticmethod
    async def _mark_replan(db: aiosqlite.Connection, user_id: str, now: datetime) -> None:
        await db.execute(
            "INSERT INTO reminder_users (user_id, replan_at, updated_at) VALUES (?, '', ?) "
            "ON CONFLICT (user_id) DO UPDATE SET replan_at = '', changes = changes + 1, "
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
        async with self._write() as db:
            cursor = await db.executemany(
                "INSERT INTO reminder_users (user_id, replan_at, updated_at) VALUES (?, '', ?) ON CONFLICT DO NOTHING",
                [(u, stamp(now)) for u in user_ids],
            )
            return max(0, cursor.rowcount)

    # ------------------------------------------------------------------ derivation -> queue

    async def sync(
        self,
        ticket: ReplanTicket,
        settings: UserSettings,
        derived: Sequence[DueReminder],
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
        window = DeliveryWindow.of_settings(settings)
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
                    "attempts = 0, last_error = NULL, updated_at = excluded.updated_at WHERE state = 'cancelled'",
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
                    _DUE_SCAN, {"now": now_s, "after_at": cursor.deliver_at, "after_id": cursor.id, "limit": int(limit)}
                )
            )
            for row in rows:
                reminder = QueuedReminder.from_row(row[:15])
                window = DeliveryWindow.of(row[15], row[16], row[17])
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
                    _DUE_SCAN,
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
                "UPDATE reminders SET delivery = delivery + (state = 'sent'), state = 'pending', planned_at = ?, "
                "deliver_at = ?, attempts = 0, claim_token = NULL, last_error = NULL, updated_at = ? "
                "WHERE id = ? AND user_id = ? AND state IN ('sent', 'pending', 'held') "
                f"RETURNING {_ROW_COLUMNS}",
                (stamp(until), stamp(until), stamp(now), int(reminder_id), user_id),
            )
            row = await cursor.fetchone()
        return None if row is None else QueuedReminder.from_row(tuple(row))

    async def get(self, user_id: str, reminder_id: int) -> QueuedReminder | None:
        async with self._read() as db:
            rows = list(
                await db.execute_fetchall(
                    f"SELECT {_ROW_COLUMNS} FROM reminders WHERE id = ? AND user_id = ?", (int(reminder_id), user_id)
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
                f"SELECT {_ROW_COLUMNS} FROM reminders WHERE user_id = ? AND state IN ({marks}) "
                "AND (state != 'sent' OR sent_at >= ?) ORDER BY planned_at, id LIMIT ?",
                (user_id, *states, "" if since is None else stamp(since), max(0, int(limit))),
            )
        return [QueuedReminder.from_row(tuple(row)) for row in rows]

    async def due_for_user(self, user_id: str, until: datetime) -> list[QueuedReminder]:
        """The user's pending reminders due by `until` (the console's dry run)."""
        async with self._read() as db:
            rows = await db.execute_fetchall(
                f"SELECT {_ROW_COLUMNS} FROM reminders WHERE user_id = ? AND state = 'pending' AND deliver_at <= ? "
                "ORDER BY deliver_at, id",
                (user_id, stamp(until)),
            )
        return [QueuedReminder.from_row(tuple(row)) for row in rows]

    async def dm_notice(self, user_id: str) -> bool:
        """Whether the user still has to be told that their DMs were found closed."""
        async with self._read() as db:
            rows = list(await db.execute_fetchall("SELECT dm_notice FROM reminder_users WHERE user_id = ?", (user_id,)))
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


__all__ = ["ACTIVE", "Claim", "Cursor", "QueuedReminder", "ReminderStore", "ReplanTicket", "SyncResult", "stamp"]
