"""What one process keeps in memory stays right when another process writes (real child processes).

What is kept, and how it learns of another process's commit:
* cached engine answers (services/cache.py) and the DMs-closed notice memo (ReminderService.pending_notice)
  are keyed by the store's version, which sees any other connection's commit, in this process or another
  (SQLite's data_version; PostgreSQL's backend keeps its own): a version check on every use;
* the scheduler's next wake-up: another process's queueing is seen at the latest `max_idle` later (a short
  poll of the queue), and the process that queued a reminder sends it itself anyway (every process sends);
* the undelivered-answer notice (discord_app/undelivered.py) is per process on purpose: it names commands
  whose answers this process could not deliver, and a user's next command in the same guild comes back to
  the same shard (the same process); after a restart it is gone, as before (the data is not).

Every test runs on SQLite and on PostgreSQL (tests/pg.py's `target`).
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import FixedClock, VirtualClock
from bot.reminders.timing import DeliveryWindow
from bot.render import OutputFormat
from bot.services import ServiceError, build_services
from bot.services.reminders.messages import reminder_answer
from bot.services.reminders.scheduler import ReminderScheduler, SchedulerConfig
from bot.store import LedgerStore
from bot.store.reminder_store import ReminderStore
from scoring.model import Ledger
from tests.builders import open_hourly
from tests.samples import AS_OF, FREELANCER

from . import ScriptedSender

REPO_ROOT = Path(__file__).resolve().parents[3]
START = datetime(2026, 3, 2, 5, tzinfo=UTC)

# Run in a child process: python -c OTHER DB ACTION USER
OTHER = """
import asyncio, sys
from datetime import datetime, timedelta, UTC
from bot.reminders.timing import DeliveryWindow
from bot.services.reminders.planner import replan_user
from bot.store import LedgerStore
from bot.store.reminder_store import ReminderStore

async def main(db, action, user):
    async with await LedgerStore.open(db) as store:
        rs = ReminderStore(store.database, DeliveryWindow.of, ledger=store)
        now = datetime.fromisoformat(sys.argv[4]) if len(sys.argv) > 4 else datetime.now(UTC)
        if action == "remove":
            await store.remove_contract(user, "silent-client")
        elif action == "dm-closed":  # what a sender in another process does on a 403
            await replan_user(rs, user, now)
            claims, _ = await rs.claim_due(now + timedelta(days=400), 10, timedelta(minutes=5))
            await rs.hold_user(claims[0], "403/50007", now)
            await store.update_settings(user, dm_closed=True)
        elif action == "notice-shown":
            await rs.clear_dm_notice(user, now)
        elif action == "queue":  # another process turns reminders on: its replan queues a reminder due now
            await store.update_settings(user, reminders_enabled=True, timezone="UTC")
            await replan_user(rs, user, now)

asyncio.run(main(*sys.argv[1:4]))
"""


async def other_process(db: str | Path, action: str, user: str, now: datetime | None = None) -> None:
    args = [str(db), action, user] + ([now.isoformat()] if now else [])
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", OTHER, *args, cwd=REPO_ROOT, stderr=asyncio.subprocess.PIPE
    )
    _, err = await child.communicate()
    assert child.returncode == 0, err.decode()[-3000:]


async def test_a_cached_answer_is_dropped_when_another_process_changes_the_ledger(target: str | Path) -> None:
    db = target
    async with await LedgerStore.open(db) as store:
        services = build_services(store, clock=FixedClock.on(AS_OF))
        await services.ledger.import_ledger("u", FREELANCER.read_bytes())
        first = await services.answers.advise("u", "silent-client")
        assert await services.answers.advise("u", "silent-client") is first  # kept while nothing changes
        await other_process(db, "remove", "u")
        with pytest.raises(ServiceError) as gone:  # not the cached advice about a contract that is no more
            await services.answers.advise("u", "silent-client")
        assert gone.value.answer.data["error"] == "not_found"


async def test_the_dms_closed_notice_follows_other_processes(target: str | Path) -> None:
    db = target
    user = "4242"
    async with await LedgerStore.open(db) as store:
        services = build_services(store, OutputFormat.DISCORD, clock=FixedClock(START))
        await store.import_ledger(user, Ledger(contracts=(open_hourly("quiet", START.date(), 45),)), "replace")
        await store.update_settings(user, reminders_enabled=True, timezone="UTC")
        assert await services.reminders.pending_notice(user) is None  # remembered: no notice
        await other_process(db, "dm-closed", user, START)  # another process's sender met a 403
        notice = await services.reminders.pending_notice(user)
        assert notice is not None and notice.data["notice"] == "dm_closed"
        await other_process(db, "notice-shown", user, START)  # another process showed it
        assert await services.reminders.pending_notice(user) is None  # not shown a second time here


async def test_a_reminder_another_process_queued_is_sent_within_max_idle(target: str | Path) -> None:
    db = target
    user = "4343"
    clock = VirtualClock(START)
    async with await LedgerStore.open(db) as store:
        await store.import_ledger(user, Ledger(contracts=(open_hourly("quiet", START.date(), 45),)), "replace")
        sender = ScriptedSender(clock)
        config = SchedulerConfig(max_idle=timedelta(seconds=60), dm_rate=1000, dm_burst=100)
        scheduler = ReminderScheduler(
            ReminderStore(store.database, DeliveryWindow.of, ledger=store),
            sender,
            lambda r: reminder_answer(r, OutputFormat.DISCORD),
            clock=clock,
            config=config,
        )
        scheduler.start()
        try:
            await clock.run_until(START)  # asleep: nothing is queued
            assert sender.attempts == []
            await other_process(db, "queue", user, START)  # due at once, queued by another process
            await clock.run_until(START + timedelta(seconds=60))
            assert [r.contract_id for _, r in sender.delivered] == ["quiet"]
            assert sender.delivered[0][0] <= START + timedelta(seconds=60)
        finally:
            await scheduler.stop()
