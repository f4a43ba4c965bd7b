"""Child process for test_crash: the real reminder sender, on a simulated clock, against a local Discord.

    python -m tests.reminders.crash_child DB API_BASE STATE_FILE END_ISO [before-send|after-send N]

It runs the production scheduler and DiscordSender (REST only: a logged-in discord.py client, no
gateway) from the simulated instant saved in STATE_FILE (or the scenario's start) to END_ISO, then
exits 0. The clock jumps from one due instant to the next and saves its position before each jump,
so a restarted child carries on from the last instant whose work was complete; the queue's leases
and nonces must make the restart harmless. With `before-send N` / `after-send N` it kills itself
with SIGKILL just before / just after its N-th DM request, the two windows that matter most; the test
also kills it at random moments from outside.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import datetime, timedelta
from pathlib import Path

import discord
import discord.http

from bot.reminders.clock import VirtualClock
from bot.reminders.delivery import Outcome
from bot.reminders.discord_dm import DiscordSender
from bot.reminders.messages import reminder_answer
from bot.reminders.scheduler import ReminderScheduler, SchedulerConfig
from bot.render import Answer, OutputFormat
from bot.store import LedgerStore
from bot.store.reminder_store import Claim, ReminderStore

# 40 DMs a second (real time): the season's sends spread over a couple of seconds, so kills from outside
# land between and during sends, not only during start-up.
CONFIG = SchedulerConfig(max_idle=None, dm_rate=40, dm_burst=1, lease=timedelta(minutes=5), send_batch=4)


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
    """The real sender, with an optional self-inflicted SIGKILL around the N-th request."""

    def __init__(self, inner: DiscordSender, mode: str | None, n: int) -> None:
        self.inner, self.mode, self.n, self.count = inner, mode, n, 0

    async def deliver(self, claim: Claim, answer: Answer) -> Outcome:
        self.count += 1
        if self.mode == "before-send" and self.count == self.n:
            os.kill(os.getpid(), signal.SIGKILL)
        outcome = await self.inner.deliver(claim, answer)
        if self.mode == "after-send" and self.count == self.n:
            os.kill(os.getpid(), signal.SIGKILL)  # the DM is out, the queue does not know yet
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
            scheduler = ReminderScheduler(ReminderStore(store), sender, render, clock=clock, config=CONFIG)
            scheduler.start()
            await clock.finished.wait()
            await scheduler.stop()
        finally:
            await store.close()


if __name__ == "__main__":
    db_path, base, state_path, start_iso, end_iso, *crash = sys.argv[1:]
    crash_mode = crash[0] if crash else None
    crash_n = int(crash[1]) if crash else 0
    state_file = Path(state_path)
    resume_at = datetime.fromisoformat(state_file.read_text() if state_file.exists() else start_iso)
    asyncio.run(run(db_path, base, state_file, resume_at, datetime.fromisoformat(end_iso), crash_mode, crash_n))
