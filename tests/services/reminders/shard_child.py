"""Child process for test_crash_processes: one bot process's reminder side on a shared database and clock.

    python -m tests.services.reminders.shard_child DB API_BASE CLOCK_SOCKET TOKEN

It runs what every bot process runs for reminders: the production scheduler (the derivation pass when it
holds the job lease, sending always) and the DiscordSender (REST only: a logged-in discord.py client, no
gateway), on the test's shared simulated clock (shared_clock.py), until the test ends the season; then it
stops cleanly (releasing its lease) and exits 0. TOKEN is its bot token: the local Discord records it on
every request, so the test knows which process sent what (and kills that one).

Lines starting with "shard_child:" on stderr report to the test (each delivery recovered from the DM
history); stderr must go to a file, not a pipe nobody reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import signal
import sys
from datetime import timedelta

import discord
import discord.http

from bot.discord_app.dm_sender import DiscordSender
from bot.reminders.timing import DeliveryWindow
from bot.render import Answer, OutputFormat
from bot.services.reminders.delivery import Delivered, Outcome
from bot.services.reminders.messages import reminder_answer
from bot.services.reminders.scheduler import ReminderScheduler, SchedulerConfig
from bot.store import LedgerStore
from bot.store.reminder_store import Claim, ReminderStore

from .shared_clock import SharedClock

# A claim's lease and the derivation pass's lease in simulated minutes: a killed process's claims and pass
# are taken over that much later in the season. No idle cap: the clock only stops where something is due.
CONFIG = SchedulerConfig(
    max_idle=None, dm_rate=1000, dm_burst=10, lease=timedelta(minutes=5), send_batch=4, job_lease=timedelta(minutes=3)
)


class ReportingSender:
    """The real sender; says on stderr which deliveries it found already made (in the DM history)."""

    def __init__(self, inner: DiscordSender) -> None:
        self.inner = inner

    async def deliver(self, claim: Claim, answer: Answer) -> Outcome:
        outcome = await self.inner.deliver(claim, answer)
        if isinstance(outcome, Delivered) and outcome.recovered:
            r = claim.reminder
            sys.stderr.write(f"shard_child: recovered reminder {r.id} delivery {r.delivery}\n")
            sys.stderr.flush()
        return outcome


async def run(db: str, api_base: str, socket_path: str, token: str) -> None:
    discord.http.Route.BASE = api_base
    clock = await SharedClock.connect(socket_path, token)
    client = discord.Client(intents=discord.Intents.none())
    async with client:
        await client.login(token)
        store = await LedgerStore.open(db)
        try:
            scheduler = ReminderScheduler(
                ReminderStore(store.database, DeliveryWindow.of, ledger=store),
                ReportingSender(DiscordSender(client)),
                lambda r: reminder_answer(r, OutputFormat.DISCORD),
                clock=clock,
                config=CONFIG,
            )
            scheduler.start()
            loop_task = scheduler._task
            assert loop_task is not None
            finished = asyncio.ensure_future(clock.finished.wait())
            await asyncio.wait([loop_task, finished], return_when=asyncio.FIRST_COMPLETED)
            if loop_task.done():
                loop_task.result()
                raise RuntimeError("the scheduler's loop returned before the end of the season")
            await scheduler.stop()  # as a clean shutdown does: the derivation pass is handed on at once
        finally:
            await store.close()
            with contextlib.suppress(Exception):
                await clock.close()


if __name__ == "__main__":
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # the test asks for the stacks of a hung child
    db_path, base, sock, bot_token = sys.argv[1:]
    asyncio.run(run(db_path, base, sock, bot_token))
