"""Several schedulers on one database (the shards of a bot, each in its own process): the job lease decides
which one derives reminders, every one of them sends, and no reminder goes out twice.

Each scheduler here has its own connection to the database, as a separate process would; the database's
locking and the queue's claims are the same whether the connections are in one process or several (the
crash test, test_crash_processes.py, runs real processes). Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import VirtualClock
from bot.reminders.timing import DeliveryWindow
from bot.render import Answer, OutputFormat
from bot.services.reminders.delivery import Delivered, Outcome
from bot.services.reminders.messages import reminder_answer
from bot.services.reminders.scheduler import REPLAN_JOB, ReminderScheduler, SchedulerConfig
from bot.store import LedgerStore
from bot.store.leases import JobLeases, process_holder
from bot.store.reminder_store import Claim, ReminderStore
from scoring.model import Ledger
from tests.builders import funded_fixed, open_hourly

START = datetime(2026, 3, 2, 5, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


class YieldingSender:
    """Delivers after giving the event loop a turn (as a real HTTP request would), recording every attempt."""

    def __init__(self, log: list[tuple[str, int, int]], name: str) -> None:
        self.log, self.name = log, name

    async def deliver(self, claim: Claim, answer: Answer) -> Outcome:
        await asyncio.sleep(0)
        self.log.append((self.name, claim.reminder.id, claim.reminder.delivery))
        await asyncio.sleep(0)
        return Delivered(f"m{claim.reminder.id}")


@pytest.fixture
async def stores(target: str | Path) -> AsyncIterator[list[LedgerStore]]:
    """Three connections to one database (each backend: tests/pg.py's `target`): three processes' stores."""
    opened = [await LedgerStore.open(target) for _ in range(3)]
    try:
        yield opened
    finally:
        for store in opened:
            await store.close()


def make(store: LedgerStore, clock: VirtualClock, log: list[tuple[str, int, int]], name: str) -> ReminderScheduler:
    config = SchedulerConfig(max_idle=None, dm_rate=10_000, dm_burst=1000, job_lease=5 * MINUTE, send_batch=3)
    return ReminderScheduler(
        ReminderStore(store.database, DeliveryWindow.of, ledger=store),
        YieldingSender(log, name),
        lambda r: reminder_answer(r, OutputFormat.DISCORD),
        clock=clock,
        config=config,
        holder=name,
    )


async def users(store: LedgerStore, count: int) -> list[str]:
    ids = [str(2000 + i) for i in range(count)]
    today = START.date()
    for user in ids:
        ledger = Ledger(contracts=(open_hourly("quiet", today, 45), funded_fixed("fp", today, 70)))
        await store.import_ledger(user, ledger, "replace")
        await store.update_settings(user, reminders_enabled=True, timezone="UTC")
    return ids


# ---------------------------------------------------------------------------------------- the lease itself


async def test_a_lease_is_held_by_one_process_until_it_ends_or_is_released(stores: list[LedgerStore]) -> None:
    a, b = JobLeases(stores[0].database), JobLeases(stores[1].database)
    taken = await a.take("job", "A", START, 5 * MINUTE)
    assert taken.held_by("A") and taken.until == START + 5 * MINUTE and taken.taken_at == START
    assert not (await b.take("job", "B", START + MINUTE, 5 * MINUTE)).held_by("B")  # A's is running
    renewed = await a.take("job", "A", START + 2 * MINUTE, 5 * MINUTE)
    assert renewed.held_by("A") and renewed.until == START + 7 * MINUTE and renewed.taken_at == START
    assert not (await b.take("job", "B", START + 6 * MINUTE, 5 * MINUTE)).held_by("B")
    over = await b.take("job", "B", START + 7 * MINUTE, 5 * MINUTE)  # A stopped renewing: its lease ran out
    assert over.held_by("B") and over.taken_at == START + 7 * MINUTE
    assert not (await a.take("job", "A", START + 8 * MINUTE, 5 * MINUTE)).held_by("A")  # A cannot renew it now
    assert not await a.release("job", "A")  # nor give it up: it is B's
    assert await b.release("job", "B")
    assert (await a.take("job", "A", START + 8 * MINUTE, 5 * MINUTE)).held_by("A")  # released: free at once
    assert (await a.take("other", "B", START, MINUTE)).held_by("B")  # each job has its own lease


async def test_processes_racing_for_an_ended_lease_get_one_holder(stores: list[LedgerStore]) -> None:
    leases = [JobLeases(store.database) for store in stores]
    await leases[0].take("job", "dead", START, MINUTE)
    for round_ in range(5):
        now = START + (round_ + 2) * 10 * MINUTE  # every earlier lease has ended
        results = await asyncio.gather(*(lease.take("job", f"p{i}", now, MINUTE) for i, lease in enumerate(leases)))
        holders = {r.holder for r in results}
        assert len(holders) == 1, holders  # everyone read the same single winner
        assert sum(r.held_by(f"p{i}") for i, r in enumerate(results)) == 1


def test_holder_names_differ_between_process_instances() -> None:
    assert process_holder() != process_holder()  # a restarted process never renews its predecessor's lease


# ---------------------------------------------------------------------------------------- the scheduler


async def test_the_opted_in_sweep_runs_when_the_pass_changes_hands_not_every_tick(stores: list[LedgerStore]) -> None:
    clock = VirtualClock(START)
    a, b = make(stores[0], clock, [], "A"), make(stores[1], clock, [], "B")
    sweeps: list[str] = []
    for s in (a, b):
        sweep = s.track_opted_in

        async def counted(sweep=sweep, name=s.holder) -> int:  # type: ignore[no-untyped-def]
            sweeps.append(name)
            return await sweep()

        s.track_opted_in = counted  # type: ignore[method-assign]
    for _ in range(3):
        await a.tick()
        await b.tick()
    assert sweeps == ["A"]
    clock.set(START + 10 * MINUTE)  # A is gone: its lease ran out
    await b.tick()
    await b.tick()
    await a.tick()  # A is back (paused, not dead): B holds the pass now
    assert sweeps == ["A", "B"]


async def test_only_the_lease_holder_derives_but_a_local_change_is_derived_at_once(stores: list[LedgerStore]) -> None:
    clock = VirtualClock(START)
    log: list[tuple[str, int, int]] = []
    a, b = make(stores[0], clock, log, "A"), make(stores[1], clock, log, "B")
    await users(stores[0], 3)
    first = await a.tick()
    assert first.replanned == 3
    assert (await a.leases.current(REPLAN_JOB)).holder == "A"  # type: ignore[union-attr]

    await stores[1].update_settings("2000", idle_reminder_days=10)  # an edit made in B's process: marks the user
    assert (await b.tick()).replanned == 0  # B does not hold the derivation pass...
    assert (await b.tick(local=True)).replanned == 1  # ...but a change its own user made is derived at once
    assert (await a.tick()).replanned == 0

    clock.set(START + 10 * MINUTE)  # A's lease ended without a renewal (A is gone)
    await stores[0].update_settings("2001", idle_reminder_days=12)
    assert (await b.tick()).replanned == 1  # B took the pass over
    assert (await a.tick()).replanned == 0
    await b.stop()  # a clean stop hands the pass on at once
    await stores[0].update_settings("2002", idle_reminder_days=14)
    assert (await a.tick()).replanned == 1


async def test_a_process_without_the_lease_waits_for_its_end_not_a_busy_loop(stores: list[LedgerStore]) -> None:
    clock = VirtualClock(START)
    a, b = make(stores[0], clock, [], "A"), make(stores[1], clock, [], "B")
    await users(stores[0], 1)
    await a.take_replan_lease()  # A holds the pass but has not derived yet (it is busy elsewhere)
    await b.tick()
    assert await b._next_wake() == START + 5 * MINUTE  # the derivation is due, and A's lease ends then
    await a.tick()
    assert await b._next_wake() > START + 5 * MINUTE  # derived: the next thing due is a reminder


async def test_schedulers_in_three_processes_send_each_reminder_once(stores: list[LedgerStore]) -> None:
    clock = VirtualClock(START)
    log: list[tuple[str, int, int]] = []
    schedulers = [make(store, clock, log, name) for store, name in zip(stores, "ABC", strict=True)]
    await users(stores[0], 12)
    for day in range(40):
        clock.set(START + timedelta(days=day, hours=5))
        # The same instant in three processes: they race for the lease and for every due row.
        await asyncio.gather(*(s.tick() for s in schedulers))
    sent = [(rid, delivery) for _, rid, delivery in log]
    assert len(sent) >= 12 * 3
    assert len(sent) == len(set(sent)), "a reminder was sent twice"
    async with stores[2].database.read() as db:
        rows = list(await db.execute_fetchall("SELECT id, delivery FROM reminders WHERE state = 'sent'"))
    assert sorted(sent) == sorted((int(r[0]), int(r[1])) for r in rows)
