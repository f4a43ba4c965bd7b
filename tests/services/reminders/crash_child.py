"""Child process for test_crash: the real reminder sender, on a simulated clock, against a local Discord.

    python -m tests.services.reminders.crash_child DB API_BASE STATE_FILE START_ISO END_ISO [MODE N]

It runs the production scheduler and DiscordSender (REST only: a logged-in discord.py client, no
gateway) from the simulated instant saved in STATE_FILE (or START_ISO) to END_ISO, then exits 0. The
clock jumps from one due instant to the next and saves its position before each jump, so a restarted
child carries on from the last instant whose work was complete; the queue's leases and nonces must
make the restart harmless.

MODE makes the child kill itself with SIGKILL at an exact point of its progress:
  before-send N   just before its N-th delivery attempt (claimed, nothing sent yet);
  after-send N    just after its N-th delivery attempt (the DM is out, the queue does not know yet);
  startup         at its first delivery attempt, before anything is sent: the backstop that makes an
                  outside kill "during start-up" certain to land before the first DM.
The test also kills it from outside, triggered by what the local Discord has received.

Lines starting with "crash_child:" on stderr report to the test: each self-kill (with the reminder
about to be / just delivered) and each delivery recovered from the DM history. stderr must go to a
file, not a pipe nobody reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import os
import signal
import sys
from datetime import datetime, timedelta
from pathlib import Path

import discord
import discord.http

from bot.clock import VirtualClock
from bot.discord_app.dm_sender import DiscordSender
from bot.reminders.timing import DeliveryWindow
from bot.render import Answer, OutputFormat
from bot.services.reminders.delivery import Delivered, Outcome
from bot.services.reminders.messages import reminder_answer
from bot.services.reminders.scheduler import ReminderScheduler, SchedulerConfig
from bot.store import LedgerStore
from bot.store.reminder_store import Claim, ReminderStore

# 40 DMs a second (real time, burst 1): sends are paced, so a kill the test times "within one send
# interval after the k-th DM" lands between that DM and the next one, anywhere from the HTTP answer
# through marking it sent and claiming the next batch to the throttle's wait.
CONFIG = SchedulerConfig(max_idle=None, dm_rate=40, dm_burst=1, lease=timedelta(minutes=5), send_batch=4)
MODES = ("before-send", "after-send", "startup")


def report(line: str) -> None:
    sys.stderr.write(f"crash_child: {line}\n")
    sys.stderr.flush()


class ResumableClock(VirtualClock):
    """Runs freely to `end`, saving its position (atomically) before every jump; `finished` at the end."""

    def __init__(self, start: datetime, end: datetime, state: Path) -> None:
        super().__init__(start)
        self.end, self.state = end, state
        self.finished = asyncio.Event()
        self._limit = end

    async def sleep_until(self, deadline: datetime | None, wake: asyncio.Event) -> None:
        tmp = self.state.with_suffix(".tmp")
        tmp.write_text(self.now().isoformat())
        os.replace(tmp, self.state)
        if deadline is None or deadline > self.end:
            self.finished.set()
        await super().sleep_until(deadline, wake)


class CrashingSender:
    """The real sender, with an optional self-inflicted SIGKILL around the N-th delivery attempt."""

    def __init__(self, inner: DiscordSender, mode: str | None, n: int) -> None:
        self.inner, self.mode, self.n, self.count = inner, mode, n, 0

    def _die(self, claim: Claim) -> None:
        r = claim.reminder
        report(f"kill {self.mode} {self.count} reminder {r.id} delivery {r.delivery}")
        os.kill(os.getpid(), signal.SIGKILL)

    async def deliver(self, claim: Claim, answer: Answer) -> Outcome:
        self.count += 1
        if self.mode == "startup" or (self.mode == "before-send" and self.count == self.n):
            self._die(claim)
        outcome = await self.inner.deliver(claim, answer)
        if isinstance(outcome, Delivered) and outcome.recovered:
            report(f"recovered reminder {claim.reminder.id} delivery {claim.reminder.delivery}")
        if self.mode == "after-send" and self.count == self.n:
            self._die(claim)  # the DM is out, the queue does not know yet
        return outcome


async def run(db: str, api_base: str, state: Path, resume: datetime, end: datetime, mode: str | None, n: int) -> None:
    discord.http.Route.BASE = api_base
    clock = ResumableClock(resume, end, state)
    client = discord.Client(intents=discord.Intents.none())
    async with client:
        await client.login("crash-test-token")
        store = await LedgerStore.open(db)
        try:
            sender = CrashingSender(DiscordSender(client), mode, n)
            render = lambda r: reminder_answer(r, OutputFormat.DISCORD)  # noqa: E731
            scheduler = ReminderScheduler(
                ReminderStore(store.database, DeliveryWindow.of, ledger=store),
                sender,
                render,
                clock=clock,
                config=CONFIG,
            )
            # The scheduler's own loop, awaited here: if it dies, the child fails instead of waiting forever.
            loop_task = asyncio.ensure_future(scheduler.run())
            finished = asyncio.ensure_future(clock.finished.wait())
            await asyncio.wait([loop_task, finished], return_when=asyncio.FIRST_COMPLETED)
            if loop_task.done():
                loop_task.result()
                raise RuntimeError("the scheduler's loop returned before the end of the season")
            loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await loop_task
        finally:
            await store.close()


if __name__ == "__main__":
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # the test asks for the stacks of a hung child
    db_path, base, state_path, start_iso, end_iso, *crash = sys.argv[1:]
    crash_mode = crash[0] if crash else None
    if crash_mode is not None and crash_mode not in MODES:
        sys.exit(f"unknown crash mode {crash_mode!r}")
    crash_n = int(crash[1]) if len(crash) > 1 else 0
    state_file = Path(state_path)
    resume_at = datetime.fromisoformat(state_file.read_text() if state_file.exists() else start_iso)
    asyncio.run(run(db_path, base, state_file, resume_at, datetime.fromisoformat(end_iso), crash_mode, crash_n))
