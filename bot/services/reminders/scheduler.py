"""The reminder scheduler: one task that sleeps until the next thing is due, then re-plans and sends.

Why a single task that computes its next wake-up (rather than a fixed-interval loop): with 100k users
the due work at any moment is tiny, and a sleep until the earliest `deliver_at`/`replan_at` (both
indexed, so finding it is O(1)) costs nothing in between. Ledger edits mark users in the database (the
triggers of schema 4) and `wake()` makes an edit take effect at once; a bounded `max_idle` also picks
up edits made by other processes (the console). Each tick does a bounded amount of work (batches,
keyset scans), so memory does not grow with the number of users and the event loop stays responsive.

Several processes (shards of one bot) may share the database, and each runs this scheduler:

* Sending runs in every process. A due row goes to exactly one of them: the claim is one write transaction
  that moves it to `sending` with a fresh token and a lease (the loser of a race finds it no longer due),
  and a DM is marked sent only under its token; a sender that dies leaves its claim to run out and another
  process resends with the same nonce after looking in the DM history. So there is no failover delay and
  no single process whose death stops the DMs.
* The derivation pass (re-planning users whose reminders are due to be derived, and the opted-in sweep) is
  a periodic job that runs in one process at a time, the holder of the `reminders.replan` job lease
  (bot/store/leases.py), renewed at every tick and after every batch. Running it twice would be harmless
  (each derivation syncs under the user's change counter) but N times the work. A process that does not
  hold the lease still re-plans one batch when it is woken by a change its own users made (`wake()`), so
  an edit takes effect at once wherever it was made; otherwise it waits for the lease to run out.
* What another process changes is seen through the database alone: every tick reads the queue afresh, and
  the sleep is capped by `max_idle`, so a reminder another process queued for an earlier instant is sent
  at most `max_idle` late even if that process dies right after queueing it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import Clock, SystemClock
from bot.render import Answer
from bot.store import StoreError
from bot.store.leases import JobLeases, Lease, process_holder
from bot.store.reminder_store import Claim, Cursor, QueuedReminder, ReminderStore
from scoring.params import DEFAULT_PARAMS, ModelParams

from .background import BackgroundTask
from .delivery import Backoff, Delivered, DmClosed, Failed, Outcome, Retry, Sender
from .planner import replan_user
from .throttle import TokenBucket

log = logging.getLogger("jss_advisor.reminders")

REPLAN_JOB = "reminders.replan"  # the job lease of the derivation pass (one process at a time)


@dataclass(frozen=True, slots=True)
class SchedulerConfig:
    replan_batch: int = 100  # users read per keyset page
    replan_per_tick: int = 500  # users re-planned before the tick turns to sending
    send_batch: int = 50  # reminders claimed per transaction
    send_per_tick: int = 500
    lease: timedelta = timedelta(minutes=5)  # a claim's sender has this long before the row is due again
    max_idle: timedelta | None = timedelta(seconds=60)  # look for other processes' edits at least this often
    error_pause: timedelta = timedelta(seconds=30)  # after an unexpected error in a tick
    replan_retry: timedelta = timedelta(hours=6)  # a user whose ledger cannot be read is tried again later
    dm_rate: float = 5.0  # DMs per second (token bucket)
    dm_burst: int = 5
    # How long the derivation pass stays this process's without a renewal: above max_idle (the holder renews
    # at every tick), so a live holder keeps it, and a dead one's job is taken over this long after it died.
    job_lease: timedelta = timedelta(minutes=3)
    backoff: Backoff = field(default_factory=Backoff)


@dataclass(slots=True)
class TickReport:
    replanned: int = 0
    sent: int = 0
    recovered: int = 0
    retried: int = 0
    held: int = 0
    failed: int = 0
    more: bool = False  # a budget ran out: tick again at once


class ReminderScheduler(BackgroundTask):
    """Re-plans users whose derivation is due and delivers due reminders through `sender`."""

    task_name = "jss-reminder-scheduler"

    def __init__(
        self,
        reminders: ReminderStore,
        sender: Sender,
        render: Callable[[QueuedReminder], Answer],
        *,
        clock: Clock | None = None,
        config: SchedulerConfig | None = None,
        params: ModelParams = DEFAULT_PARAMS,
        bucket: TokenBucket | None = None,
        leases: JobLeases | None = None,
        holder: str | None = None,
    ) -> None:
        self.reminders = reminders
        self.sender = sender
        self.render = render
        self.clock: Clock = clock or SystemClock()
        self.config = config or SchedulerConfig()
        self.params = params
        self.bucket = bucket or TokenBucket(self.config.dm_rate, self.config.dm_burst)
        self.leases = leases or JobLeases(reminders.ledger.database)
        self.holder = holder or process_holder()  # unique per process instance (see bot/store/leases.py)
        self._lease: Lease | None = None  # the derivation pass's lease as last seen
        self._wake = asyncio.Event()
        self._local = False  # the wake-up came from this process (an edit, a snooze), not from the timer
        self.ticks = 0

    # ------------------------------------------------------------------ lifecycle

    def wake(self) -> None:
        """Something changed (an edit, a snooze): look again now instead of at the planned wake-up."""
        self._local = True
        self._wake.set()

    async def run(self) -> None:
        """Tick, sleep until the next due instant (or a wake-up), forever. Errors are logged, not fatal."""
        while True:
            local, self._local = self._local, False
            self._wake.clear()
            try:
                report = await self.tick(local=local)
                wake_at = self.clock.now() if report.more else await self._next_wake()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the loop must survive a bad row or a busy database
                log.exception("reminder tick failed; retrying in %s", self.config.error_pause)
                wake_at = self.clock.now() + self.config.error_pause
            await self.clock.sleep_until(wake_at, self._wake)

    async def stop(self) -> None:
        """Stop the loop and hand the derivation pass to another process at once (not when the lease ends)."""
        await super().stop()
        lease, self._lease = self._lease, None
        if lease is not None and lease.held_by(self.holder):
            try:
                await self.leases.release(REPLAN_JOB, self.holder)
            except StoreError:  # closing anyway: the lease runs out by itself
                log.warning("reminders: could not release the %s lease", REPLAN_JOB, exc_info=True)

    async def _next_wake(self) -> datetime | None:
        now = self.clock.now()
        due = await self.reminders.next_wake()
        if due is not None and due <= now:
            # Due but not taken: a derivation another process holds the lease for (look again when its lease
            # ends: by then it has renewed it, done the work, or died), or a row of a user who opted out and
            # is not re-planned yet (do not spin).
            due = now + timedelta(seconds=1)
            if self._lease is not None and not self._lease.held_by(self.holder):
                due = max(due, self._lease.until)
        if self.config.max_idle is not None:
            cap = now + self.config.max_idle
            due = cap if due is None else min(due, cap)
        return due

    async def track_opted_in(self) -> int:
        """Self-healing sweep at start: every opted-in user has scheduling state (keyset pages)."""
        added, after = 0, None
        while page := await self.reminders.opted_in_users(after, 1000):
            added += await self.reminders.ensure_tracked(page, self.clock.now())
            after = page[-1]
        if added:
            log.info("reminders: %d opted-in users had no scheduling state; planning them now", added)
        return added

    # ------------------------------------------------------------------ one tick

    async def tick(self, local: bool = False) -> TickReport:
        """One round: derive what is due (if this process holds the derivation pass, or one batch when
        `local`: woken by a change made here), then send what is due (every process; claims split the rows)."""
        self.ticks += 1
        report = TickReport()
        if await self.take_replan_lease():
            await self.replan_due(report)
        elif local:
            await self.replan_due(report, budget=self.config.replan_batch)
            report.more = False  # the rest is the lease holder's
        await self.send_due(report)
        if report.sent or report.held or report.failed or report.retried:
            log.info("reminders: %s", report)
        return report

    async def take_replan_lease(self) -> bool:
        """Take or renew the derivation pass's lease; on taking it fresh, run the opted-in sweep first."""
        now = self.clock.now()
        lease = await self.leases.take(REPLAN_JOB, self.holder, now, self.config.job_lease)
        before = self._lease  # a renewal keeps the holder and the instant it was first taken
        fresh = lease.held_by(self.holder) and (
            before is None or (before.holder, before.taken_at) != (lease.holder, lease.taken_at)
        )
        self._lease = lease
        if fresh:
            log.info("reminders: this process (%s) runs the derivation pass", self.holder)
            await self.track_opted_in()
        return lease.held_by(self.holder)

    async def replan_due(self, report: TickReport, budget: int | None = None) -> None:
        cfg = self.config
        now = self.clock.now()
        after = ("", "")
        budget = cfg.replan_per_tick if budget is None else budget
        while report.replanned < budget:
            size = min(cfg.replan_batch, budget - report.replanned)
            tickets = await self.reminders.due_for_replan(now, size, after)
            if not tickets:
                return
            for ticket in tickets:
                try:
                    await replan_user(self.reminders, ticket.user_id, now, self.params, ticket)
                except Exception:  # noqa: BLE001 - a damaged row, an engine bug: one user must not stop the rest
                    log.exception("reminders: cannot re-plan user %s; trying again later", ticket.user_id)
                    await self.reminders.defer_replan(ticket.user_id, now + cfg.replan_retry, now)
                report.replanned += 1
                await asyncio.sleep(0)  # derivations are CPU work: let the gateway breathe between users
            after = (tickets[-1].replan_at, tickets[-1].user_id)
            if self._lease is not None and self._lease.held_by(self.holder):
                # A long pass keeps its lease; one that lost it (paused past its end) stops here.
                if not await self.take_replan_lease():
                    return
        report.more = True

    async def send_due(self, report: TickReport) -> None:
        cfg = self.config
        cursor = Cursor()
        handled = 0
        while handled < cfg.send_per_tick:
            now = self.clock.now()
            claims, after = await self.reminders.claim_due(now, cfg.send_batch, cfg.lease, cursor)
            if after == cursor:
                return  # nothing (more) is due
            cursor = after  # a page may hold no claim (quiet hours, opted out): the next page may
            for index, claim in enumerate(claims):
                outcome = await self._deliver(claim)
                stop = await self._record(claim, outcome, report)
                handled += 1
                if stop:  # Discord is failing: give the rest of the batch back, same delay, and end the tick
                    rest = claims[index + 1 :]
                    for other in rest:
                        await self.reminders.mark_retry(other, stop, "released after a failure", self.clock.now())
                    return
        report.more = True

    async def _deliver(self, claim: Claim) -> Outcome:
        try:
            answer = self.render(claim.reminder)
        except Exception as exc:  # noqa: BLE001 - a template bug must not stop every other reminder
            log.exception("reminders: cannot render reminder %s", claim.reminder.id)
            return Failed(f"render error: {type(exc).__name__}")
        await self.bucket.take()
        try:
            return await self.sender.deliver(claim, answer)
        except Exception as exc:  # noqa: BLE001 - an unforeseen client error: back off (and give up in time)
            log.exception("reminders: sending reminder %s failed unexpectedly", claim.reminder.id)
            return Retry(f"unexpected {type(exc).__name__}")

    async def _record(self, claim: Claim, outcome: Outcome, report: TickReport) -> datetime | None:
        """Persist the outcome; returns a retry instant when the remaining batch should wait too."""
        now = self.clock.now()
        r = claim.reminder
        if isinstance(outcome, Delivered):
            if not await self.reminders.mark_sent(claim, outcome.message_id, now):
                log.warning("reminders: claim on %s was lost before marking it sent", r.id)
            report.sent += 1
            report.recovered += outcome.recovered
            return None
        if isinstance(outcome, Retry):
            delay = self.config.backoff.delay(r.attempts, r.id, outcome.retry_after)
            if now - r.planned_at > self.config.backoff.give_up_after:
                await self.reminders.mark_failed(claim, f"gave up after {r.attempts} attempts: {outcome.error}", now)
                report.failed += 1
                return None
            at = now + delay
            await self.reminders.mark_retry(claim, at, outcome.error, now)
            report.retried += 1
            return at  # 429 after discord.py's own retries, 5xx, network: the rest of the batch waits too
        if isinstance(outcome, DmClosed):
            await self.reminders.hold_user(claim, outcome.error, now)
            try:
                await self.reminders.ledger.update_settings(r.user_id, dm_closed=True)
            except StoreError:
                log.warning("reminders: could not mark user %s dm_closed", r.user_id, exc_info=True)
            report.held += 1
            log.info("reminders: DMs closed for user %s (%s); their reminders are held", r.user_id, outcome.error)
            return None
        await self.reminders.mark_failed(claim, outcome.error, now)
        report.failed += 1
        log.warning("reminders: reminder %s failed: %s", r.id, outcome.error)
        return None
