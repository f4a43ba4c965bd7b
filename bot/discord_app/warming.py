"""Prepare active users' advice while the bot has nothing else to do.

Why: `/advise` is the bot's busiest command and its engine work (a few ms) is what makes a burst of
questions queue up. A user who just used the bot is likely to ask about their other open contracts
next, so once the bot has been idle for a moment it computes those answers ahead, one contract at a
time, and stops as soon as an interaction arrives. The answers live in the service's cache under the
store version and day, so a change to the data discards them as it would any cached answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

from bot.background import BackgroundTask, QuietMoments
from bot.services import AdvisorService

log = logging.getLogger("jss_advisor.discord.warming")

IDLE_SECONDS = 0.05  # quiet time before background work starts (interactions arrive in bursts)
MAX_QUEUED_USERS = 1000  # oldest requests are dropped first: they are the least likely to ask again


class AdviceWarmer(BackgroundTask):
    """One background task; `quiet` is told of every interaction, `enqueue` is called after a user's command."""

    task_name = "advice-warmer"

    def __init__(self, service: AdvisorService, quiet: QuietMoments, idle_seconds: float = IDLE_SECONDS) -> None:
        self.service = service
        self.quiet = quiet
        self.idle_seconds = idle_seconds
        self._queue: OrderedDict[str, None] = OrderedDict()
        self._wake = asyncio.Event()
        self._drained = asyncio.Event()
        self._drained.set()
        self.computed = 0  # answers prepared so far (logs, benchmarks)

    def enqueue(self, user_id: str) -> None:
        self._queue.pop(user_id, None)
        self._queue[user_id] = None
        while len(self._queue) > MAX_QUEUED_USERS:
            self._queue.popitem(last=False)
        self._drained.clear()
        self._wake.set()

    async def drained(self) -> None:
        """Wait until every queued user has been prepared (tests, benchmarks)."""
        await self._drained.wait()

    async def _wait_until_idle(self) -> None:
        await self.quiet.wait(self.idle_seconds)

    async def run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                await self._wait_until_idle()
                user_id, _ = self._queue.popitem(last=False)
                try:
                    self.computed += await self.service.warm_advice(user_id, between=self._wait_until_idle)
                except asyncio.CancelledError:
                    raise
                except Exception:  # a failure here only means the user's next answer is computed then
                    log.warning("could not prepare advice for user %s", user_id, exc_info=True)
            self._drained.set()
