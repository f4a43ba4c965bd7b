"""The scheduler on a simulated clock with a scripted sender: timing, wake-ups, retries, held users."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import VirtualClock
from bot.render import Answer, OutputFormat
from bot.services.reminders.delivery import DmClosed, Failed, Outcome, Retry
from bot.services.reminders.messages import reminder_answer
from bot.services.reminders.scheduler import ReminderScheduler, SchedulerConfig
from bot.services.reminders.throttle import TokenBucket
from bot.store.reminder_store import Claim, QueuedReminder, ReminderStore
from scoring.model import Ledger
from tests.builders import funded_fixed, open_hourly

from . import ScriptedSender

START = datetime(2026, 3, 2, 5, tzinfo=UTC)
USER = "1001"


@pytest.fixture
def world(rs: ReminderStore) -> tuple[ReminderStore, VirtualClock]:
    return rs, VirtualClock(START)


def scheduler(rs: ReminderStore, clock: VirtualClock, sender: ScriptedSender) -> ReminderScheduler:
    config = SchedulerConfig(max_idle=None, dm_rate=1000, dm_burst=100)
    return ReminderScheduler(rs, sender, lambda r: reminder_answer(r, OutputFormat.DISCORD), clock=clock, config=config)


async def running(s: ReminderScheduler) -> None:
    s.start()
    await asyncio.sleep(0)


def local(moment: datetime) -> str:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo("Europe/Berlin")).strftime("%m-%d %H:%M")


async def setup_user(rs: ReminderStore) -> None:
    today = START.date()
    ledger = Ledger(contracts=(open_hourly("quiet", today, 20), funded_fixed("fp", today, 70)))
    await rs.ledger.import_ledger(USER, ledger, "replace")
    await rs.ledger.update_settings(
        USER, reminders_enabled=True, timezone="Europe/Berlin", quiet_start="08:00", quiet_end="10:00"
    )


async def test_a_simulated_season_sends_each_reminder_once_outside_quiet_hours(world) -> None:  # type: ignore[no-untyped-def]
    rs, clock = world
    await setup_user(rs)
    sender = ScriptedSender(clock)
    s = scheduler(rs, clock, sender)
    await running(s)
    try:
        await clock.run_until(START + timedelta(days=60))
    finally:
        await s.stop()
    sent = [(local(at), r.rule_id, r.contract_id, r.due_on.isoformat()) for at, r in sender.delivered]
    # 09:00 is inside the 08:00-10:00 quiet hours: every reminder goes out at 10:00 Berlin time, CET then CEST.
    assert sent == [
        ("03-08 10:00", "C-FP-DORMANT", "fp", "2026-03-08"),
        ("03-12 10:00", "C-CLOSE-ADVICE", "quiet", "2026-03-12"),
        ("03-15 10:00", "C-FP-DORMANT", "fp", "2026-03-15"),
        ("03-22 10:00", "C-FP-DORMANT", "fp", "2026-03-22"),
    ]
    assert [at.astimezone(UTC).hour for at, _ in sender.delivered] == [9, 9, 9, 9]  # CET: UTC+1
    assert len(sender.attempts) == 4
    assert s.ticks < 60  # it slept from one due instant to the next, not polling


async def test_an_edit_wakes_the_scheduler_and_re_plans(world) -> None:  # type: ignore[no-untyped-def]
    rs, clock = world
    await setup_user(rs)
    sender = ScriptedSender(clock)
    s = scheduler(rs, clock, sender)
    await running(s)
    try:
        await clock.run_until(START + timedelta(days=9))  # the ask reminder is due on day 10
        await rs.ledger.record_close_request(USER, "quiet", clock.now().date())  # the user asked: no reminder
        s.wake()
        await clock.run_until(START + timedelta(days=12))
    finally:
        await s.stop()
    assert [r.rule_id for _, r in sender.delivered] == ["C-FP-DORMANT"]
    states = {r.contract_id: r.state for r in await rs.for_user(USER, ("pending", "cancelled"))}
    assert states["quiet"] == "pending"  # now the C-SELF-CLOSE-2MO one, later


async def test_retries_back_off_and_respect_retry_after(world) -> None:  # type: ignore[no-untyped-def]
    rs, clock = world
    await setup_user(rs)
    sender = ScriptedSender(clock, {1: Retry("429", retry_after=120.0, rate_limited=True), 2: Retry("502")})
    s = scheduler(rs, clock, sender)
    await running(s)
    try:
        await clock.run_until(START + timedelta(days=7))
    finally:
        await s.stop()
    times = [at for at, _ in sender.attempts]
    assert len(times) == 3 and len(sender.delivered) == 1
    assert times[1] - times[0] >= timedelta(seconds=120)  # retry_after wins over the 30 s first backoff
    assert times[2] - times[1] >= timedelta(seconds=48)  # second backoff: 60 s +- 20 %


async def test_dms_closed_hold_everything_and_are_not_retried(world) -> None:  # type: ignore[no-untyped-def]
    rs, clock = world
    await setup_user(rs)
    sender = ScriptedSender(clock, {1: DmClosed("403/50007: Cannot send messages to this user")})
    s = scheduler(rs, clock, sender)
    await running(s)
    try:
        await clock.run_until(START + timedelta(days=40))
    finally:
        await s.stop()
    assert len(sender.attempts) == 1 and not sender.delivered
    assert (await rs.ledger.get_settings(USER)).dm_closed and await rs.dm_notice(USER)
    assert {r.state for r in await rs.for_user(USER, ("pending", "held"))} == {"held"}


async def test_a_permanent_failure_and_a_render_error_do_not_stop_the_others(world) -> None:  # type: ignore[no-untyped-def]
    rs, clock = world
    await setup_user(rs)
    sender = ScriptedSender(clock, {1: Failed("400/50035: Invalid Form Body")})
    s = scheduler(rs, clock, sender)
    original = s.render

    def render(r: QueuedReminder) -> Answer:
        if r.contract_id == "quiet":
            raise RuntimeError("template bug")
        return original(r)

    s.render = render
    await running(s)
    try:
        await clock.run_until(START + timedelta(days=25))
    finally:
        await s.stop()
    assert [r.due_on.day for _, r in sender.delivered] == [15, 22]
    failed = {r.contract_id: r.last_error for r in await rs.for_user(USER, ("failed",))}
    assert failed == {"fp": "400/50035: Invalid Form Body", "quiet": "render error: RuntimeError"}


async def test_give_up_after_two_days_of_transient_failures(world) -> None:  # type: ignore[no-untyped-def]
    rs, clock = world
    await setup_user(rs)
    sender = ScriptedSender(clock, {n: Retry("502") for n in range(1, 200)})
    s = scheduler(rs, clock, sender)
    await running(s)
    try:
        await clock.run_until(START + timedelta(days=9))  # due 8 March 10:00, given up 48 h later
    finally:
        await s.stop()
    [gone] = await rs.for_user(USER, ("failed",))
    assert gone.last_error is not None and gone.last_error.startswith("gave up after")
    assert 10 <= len(sender.attempts) <= 70  # capped exponential backoff, not a tight loop


async def test_token_bucket_paces() -> None:
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(2.0, 2, monotonic=lambda: now[0], sleep=sleep)
    for _ in range(4):
        await bucket.take()
    assert slept == [0.5, 0.5]


async def test_one_broken_user_or_client_error_does_not_stop_the_others(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rs, clock = world
    await setup_user(rs)
    other = "2002"
    await rs.ledger.import_ledger(other, Ledger(contracts=(open_hourly("x", START.date(), 40),)), "replace")
    await rs.ledger.update_settings(other, reminders_enabled=True, timezone="UTC")
    from bot.services.reminders import planner

    real = planner.derive_reminders

    def derive(contracts, today, prefs, params):  # type: ignore[no-untyped-def]
        if any(c.id == "quiet" for c in contracts):
            raise AssertionError("engine bug on this ledger")
        return real(contracts, today, prefs, params)

    monkeypatch.setattr(planner, "derive_reminders", derive)

    class Flaky(ScriptedSender):
        async def deliver(self, claim: Claim, answer: Answer) -> Outcome:
            if not self.attempts:
                self.attempts.append((self.clock.now(), claim.reminder))
                raise RuntimeError("unforeseen")
            return await super().deliver(claim, answer)

    sender = Flaky(clock)
    s = scheduler(rs, clock, sender)
    await running(s)
    try:
        await clock.run_until(START + timedelta(days=1))
    finally:
        await s.stop()
    assert [r.contract_id for _, r in sender.delivered] == ["x"]  # the broken user did not block it
    assert len(sender.attempts) == 2  # the unexpected error was backed off and retried
    [(replan_at,)] = [
        (t.replan_at,) for t in await rs.due_for_replan(START + timedelta(days=2), 10) if t.user_id == USER
    ]
    assert replan_at > START.isoformat()  # deferred, not retried in a tight loop
