"""The durable queue on a real SQLite file and a real PostgreSQL database (every test runs on both): sync from
derivations, triggers, claim/send/mark, leases."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.reminders.kinds import ReminderKind
from bot.reminders.rules import DueReminder
from bot.services.reminders.planner import replan_user
from bot.store import LedgerStore
from bot.store.reminder_store import Cursor, ReminderStore, stamp
from scoring.model import Ledger
from tests.builders import funded_fixed, open_hourly
from tests.pg import query

NOW = datetime(2026, 6, 1, 15, tzinfo=UTC)  # 11:00 in New York
TODAY = NOW.date()
LEASE = timedelta(minutes=5)
A, B = "111", "222"


@pytest.fixture
async def store(target: str | Path) -> AsyncIterator[LedgerStore]:
    """This module's store: on each backend in turn (`target` from tests/pg.py)."""
    async with await LedgerStore.open(target) as opened:
        yield opened


def rows(rs: ReminderStore, sql: str, params: tuple = ()) -> list[tuple]:
    return query(rs.ledger.path, sql, *params)


async def opt_in(rs: ReminderStore, user: str, **settings: object) -> None:
    await rs.ledger.update_settings(user, reminders_enabled=True, timezone="America/New_York", **settings)


def due(cid: str, day: date, kind: ReminderKind = ReminderKind.ASK_CLIENT, **facts: object) -> DueReminder:
    return DueReminder(kind, cid, day, {"title": cid, "client": "C", "last_activity": "2026-01-01", **facts})


async def sync(rs: ReminderStore, user: str, items: list[DueReminder], now: datetime = NOW):  # type: ignore[no-untyped-def]
    ticket = await rs.ticket(user)
    settings = await rs.ledger.get_settings(user)
    return await rs.sync(ticket, settings, items, now, now + timedelta(days=1), now.date())


async def test_sync_inserts_once_cancels_obsolete_and_restores_a_reverted_key(rs: ReminderStore) -> None:
    await opt_in(rs, A)
    first = [due("x", TODAY + timedelta(days=3)), due("y", TODAY + timedelta(days=5))]
    assert (await sync(rs, A, first)).added == 2
    again = await sync(rs, A, first)
    assert (again.added, again.cancelled, again.updated) == (0, 0, 0)
    assert (await sync(rs, A, first[:1])).cancelled == 1  # an edit made "y" obsolete
    assert (await sync(rs, A, first)).added == 1  # the edit was reverted: the same row is pending again
    states = rows(rs, "SELECT contract_id, state FROM reminders WHERE user_id = ? ORDER BY id", (A,))
    assert states == [("x", "pending"), ("y", "pending")]


async def test_planned_time_is_the_due_day_at_nine_local_and_follows_settings(rs: ReminderStore) -> None:
    await opt_in(rs, A)
    await sync(rs, A, [due("x", date(2026, 6, 10))])
    assert rows(rs, "SELECT planned_at FROM reminders") == [(stamp(datetime(2026, 6, 10, 13, tzinfo=UTC)),)]
    await rs.ledger.update_settings(A, quiet_start="08:00", quiet_end="10:15")
    result = await sync(rs, A, [due("x", date(2026, 6, 10))])
    assert result.updated == 1
    assert rows(rs, "SELECT planned_at, deliver_at FROM reminders") == [
        (stamp(datetime(2026, 6, 10, 14, 15, tzinfo=UTC)),) * 2
    ]
    # A send time the user picked: the pending reminder moves to it (the settings change marks the user).
    await rs.ledger.update_settings(A, send_time="17:45")
    assert rows(rs, "SELECT replan_at FROM reminder_users WHERE user_id = ?", (A,)) == [("",)]
    assert (await sync(rs, A, [due("x", date(2026, 6, 10))])).updated == 1
    assert rows(rs, "SELECT planned_at FROM reminders") == [(stamp(datetime(2026, 6, 10, 21, 45, tzinfo=UTC)),)]


async def test_triggers_mark_opted_in_users_on_every_change(rs: ReminderStore) -> None:
    store = rs.ledger
    await store.add_contract(B, open_hourly("c", TODAY, 3))  # B never opted in: not tracked
    assert rows(rs, "SELECT user_id FROM reminder_users") == []
    await opt_in(rs, A)
    assert rows(rs, "SELECT replan_at, changes FROM reminder_users WHERE user_id = ?", (A,)) == [("", 0)]
    await sync(rs, A, [])
    assert rows(rs, "SELECT replan_at != '' FROM reminder_users WHERE user_id = ?", (A,)) == [(1,)]
    await store.add_contract(A, open_hourly("c", TODAY, 3))
    await store.record_close_request(A, "c", TODAY)
    assert rows(rs, "SELECT replan_at, changes FROM reminder_users WHERE user_id = ?", (A,)) == [("", 2)]


async def test_a_derivation_older_than_an_edit_leaves_the_user_marked(rs: ReminderStore) -> None:
    await opt_in(rs, A)
    ticket = await rs.ticket(A)
    await rs.ledger.add_contract(A, open_hourly("c", TODAY, 3))  # lands between reading and syncing
    settings = await rs.ledger.get_settings(A)
    result = await rs.sync(ticket, settings, [], NOW, NOW + timedelta(days=1), TODAY)
    assert not result.current
    assert rows(rs, "SELECT replan_at FROM reminder_users WHERE user_id = ?", (A,)) == [("",)]


async def test_claim_send_mark_and_a_lost_lease(rs: ReminderStore) -> None:
    await opt_in(rs, A)
    await sync(rs, A, [due("x", TODAY - timedelta(days=1))])  # overdue: planned now
    claims, cursor = await rs.claim_due(NOW, 10, LEASE)
    [claim] = claims
    assert claim.reminder.attempts == 1 and cursor != Cursor()
    assert (await rs.claim_due(NOW, 10, LEASE))[0] == []  # leased
    # The sender died: after the lease another claim takes over with a new token.
    later = NOW + LEASE + timedelta(seconds=1)
    [second] = (await rs.claim_due(later, 10, LEASE))[0]
    assert second.token != claim.token and second.reminder.attempts == 2
    assert second.reminder.nonce == claim.reminder.nonce  # same delivery: Discord deduplicates a resend
    assert not await rs.mark_sent(claim, "900", later)  # the stale claim cannot mark it
    assert await rs.mark_sent(second, "901", later)
    assert rows(rs, "SELECT state, message_id FROM reminders") == [("sent", "901")]
    assert await rs.next_wake() == NOW + timedelta(days=1)  # only the next derivation is left


async def test_retry_and_failure_and_quiet_hours_at_claim_time(rs: ReminderStore) -> None:
    await opt_in(rs, A, quiet_start="10:00", quiet_end="12:00")  # NOW is 11:00 local: quiet
    await rs.sync(
        await rs.ticket(A),
        await rs.ledger.get_settings(A),
        [due("x", TODAY - timedelta(days=1))],
        NOW - timedelta(hours=2),
        None,
        TODAY,
    )  # planned at 09:00 local, before the quiet hours
    assert (await rs.claim_due(NOW, 10, LEASE))[0] == []
    assert rows(rs, "SELECT state, deliver_at FROM reminders") == [("pending", stamp(NOW + timedelta(hours=1)))]
    [claim] = (await rs.claim_due(NOW + timedelta(hours=1), 10, LEASE))[0]
    assert await rs.mark_retry(claim, NOW + timedelta(hours=2), "502", NOW)
    assert rows(rs, "SELECT state, last_error FROM reminders") == [("pending", "502")]
    [claim] = (await rs.claim_due(NOW + timedelta(hours=2), 10, LEASE))[0]
    assert await rs.mark_failed(claim, "400/50035", NOW)
    assert rows(rs, "SELECT state FROM reminders") == [("failed",)]


async def test_dms_closed_hold_the_user_and_resume_with_them(rs: ReminderStore) -> None:
    await opt_in(rs, A)
    await sync(rs, A, [due("x", TODAY - timedelta(days=1)), due("y", TODAY + timedelta(days=2))])
    [claim] = (await rs.claim_due(NOW, 1, LEASE))[0]
    await rs.hold_user(claim, "403/50007", NOW)
    await rs.ledger.update_settings(A, dm_closed=True)
    assert rows(rs, "SELECT state FROM reminders ORDER BY id") == [("held",), ("held",)]
    assert await rs.dm_notice(A)
    assert (await rs.claim_due(NOW + timedelta(days=9), 10, LEASE))[0] == []  # not retried
    await rs.ledger.update_settings(A, dm_closed=False)
    result = await sync(rs, A, [due("x", TODAY - timedelta(days=1)), due("y", TODAY + timedelta(days=2))])
    assert result.resumed == 2
    assert [c.reminder.contract_id for c in (await rs.claim_due(NOW, 10, LEASE))[0]] == ["x"]


async def test_turning_reminders_off_cancels_pending_ones(rs: ReminderStore) -> None:
    await opt_in(rs, A)
    await rs.ledger.import_ledger(A, Ledger(contracts=(open_hourly("c", TODAY, 10),)), "replace")
    await replan_user(rs, A, NOW)
    assert rows(rs, "SELECT state FROM reminders") == [("pending",)]
    await rs.ledger.update_settings(A, reminders_enabled=False)
    await replan_user(rs, A, NOW)
    assert rows(rs, "SELECT state FROM reminders") == [("cancelled",)]
    assert rows(rs, "SELECT replan_at FROM reminder_users") == [(None,)]


async def test_snooze_is_per_user_and_a_new_delivery(rs: ReminderStore) -> None:
    await opt_in(rs, A)
    await opt_in(rs, B)
    await sync(rs, A, [due("x", TODAY - timedelta(days=1))])
    [claim] = (await rs.claim_due(NOW, 10, LEASE))[0]
    await rs.mark_sent(claim, "900", NOW)
    until = NOW + timedelta(days=7)
    assert await rs.snooze(B, claim.reminder.id, until, NOW) is None  # not B's reminder
    snoozed = await rs.snooze(A, claim.reminder.id, until, NOW)
    assert snoozed is not None and snoozed.delivery == 1 and snoozed.state == "pending"
    assert snoozed.nonce != claim.reminder.nonce
    assert (await sync(rs, A, [due("x", TODAY - timedelta(days=1))])).updated == 0  # a re-plan keeps the snooze
    [again] = (await rs.claim_due(until, 10, LEASE))[0]
    assert again.reminder.id == claim.reminder.id and again.reminder.delivery == 1


async def test_kinds_and_forget_me(rs: ReminderStore) -> None:
    off = await rs.set_kinds(A, [], [ReminderKind.FEEDBACK, ReminderKind.TOP_RATED], NOW)
    assert off == {ReminderKind.FEEDBACK, ReminderKind.TOP_RATED}
    assert await rs.set_kinds(A, [ReminderKind.FEEDBACK], [], NOW) == {ReminderKind.TOP_RATED}
    await opt_in(rs, A)
    await sync(rs, A, [due("x", TODAY)])
    await rs.ledger.forget_user(A)
    for table in ("reminders", "reminder_users", "reminder_kinds_off"):
        assert rows(rs, f"SELECT count(*) FROM {table} WHERE user_id = ?", (A,)) == [(0,)]


async def test_keyset_scans_use_the_indexes(rs: ReminderStore) -> None:
    if rs.ledger.database.dialect != "sqlite":
        pytest.skip("SQLite's query plans")

    def plan(sql: str, params: dict | tuple) -> str:
        with sqlite3.connect(rs.ledger.path) as conn:
            return " ".join(str(r[3]) for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))

    from bot.store import reminder_store

    scan = plan(reminder_store._DUE_SCAN, {"now": "x", "after_at": "", "after_id": 0, "limit": 5})
    assert "reminders_due" in scan, scan
    replan = plan(
        "SELECT user_id FROM reminder_users WHERE replan_at IS NOT NULL AND replan_at <= ? AND "
        "(replan_at, user_id) > (?, ?) ORDER BY replan_at, user_id LIMIT 5",
        ("x", "", ""),
    )
    assert "reminder_users_replan" in replan, replan
    opted = plan(
        "SELECT user_id FROM user_settings WHERE reminders_enabled = 1 AND dm_closed = 0 AND user_id > ? "
        "ORDER BY user_id LIMIT 5",
        ("",),
    )
    assert "user_settings_reminder_scan" in opted, opted
    wake = plan("SELECT min(deliver_at) FROM reminders WHERE state IN ('pending', 'sending')", ())
    assert "reminders_due" in wake, wake


async def test_replan_user_end_to_end(rs: ReminderStore) -> None:
    await opt_in(rs, A)
    contracts = (open_hourly("quiet", TODAY, 10), funded_fixed("fp", TODAY, 80))
    await rs.ledger.import_ledger(A, Ledger(contracts=contracts), "replace")
    result = await replan_user(rs, A, NOW)
    # Ask in 20 days; dormancy day 76 (past, still the latest warning: sent now), 83 and 90.
    assert result.added == 4 and result.current
    found = rows(rs, "SELECT contract_id, rule_id, due_on, planned_at FROM reminders ORDER BY due_on")
    assert found == [
        ("fp", "C-FP-DORMANT", "2026-05-28", stamp(NOW)),
        ("fp", "C-FP-DORMANT", "2026-06-04", "2026-06-04T13:00:00.000000+00:00"),
        ("fp", "C-FP-DORMANT", "2026-06-11", "2026-06-11T13:00:00.000000+00:00"),
        ("quiet", "C-CLOSE-ADVICE", "2026-06-21", "2026-06-21T13:00:00.000000+00:00"),
    ]
    # Derive again when the day-83 warning replaces the day-76 one: midnight in New York on 4 June.
    assert rows(rs, "SELECT replan_at FROM reminder_users") == [("2026-06-04T04:00:00.000000+00:00",)]
