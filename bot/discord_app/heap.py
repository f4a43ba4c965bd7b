"""Full garbage collections between bursts of interactions, not in the middle of one.

Why: CPython's full (oldest-generation) collection walks every object it tracks. The bot's heap
(discord.py's state, the rule catalogue, the question index, templates, cached answers) makes one take
tens of milliseconds on a small machine, and the interpreter starts one whenever enough objects have
survived the younger collections: usually in the middle of a burst, where every interaction queued
behind it waits. The keeper runs that collection itself once the bot has been quiet for a moment,
then freezes the survivors (`gc.freeze`), so the automatic collections during the next burst walk only
what was allocated since. Each tidy-up unfreezes first, so garbage among frozen objects (a reference
cycle that died) is still collected at the next quiet moment; nothing is held for longer than that.

The interpreter's settings are process-wide, so there is one keeper per process and it unfreezes
when it stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time

from bot.background import BackgroundTask, QuietMoments

log = logging.getLogger("jss_advisor.discord.heap")

IDLE_SECONDS = 0.25  # quiet before a tidy-up: longer than the warmer's, a collection is not interruptible
CHECK_SECONDS = 1.0  # how often to look whether anything survived into the oldest generation


def promoted_since_tidy() -> bool:
    """Objects have survived into the oldest generation since the last full collection.

    `gc.get_count()[2]` counts middle-generation collections since then; zero means a full collection
    now would find nothing new to walk or free."""
    return gc.get_count()[2] > 0


def tidy() -> float:
    """Collect everything, then freeze what survived. Returns the seconds it took."""
    started = time.perf_counter()
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return time.perf_counter() - started


class HeapKeeper(BackgroundTask):
    """One background task: after activity, at the next quiet moment, `tidy`."""

    task_name = "heap-keeper"

    def __init__(
        self, quiet: QuietMoments, idle_seconds: float = IDLE_SECONDS, check_seconds: float = CHECK_SECONDS
    ) -> None:
        self.quiet = quiet
        self.idle_seconds = idle_seconds
        self.check_seconds = check_seconds
        self.tidied = 0  # tidy-ups so far (tests, benchmarks)
        self._tidy_done = asyncio.Event()

    @property
    def pending(self) -> bool:
        """A tidy-up is due: it will run at the next quiet moment."""
        return promoted_since_tidy()

    async def caught_up(self) -> None:
        """Wait until no tidy-up is due (tests, benchmarks): the next burst starts from a frozen heap."""
        while self.pending:
            self._tidy_done.clear()
            with contextlib.suppress(TimeoutError):  # an automatic full collection also clears `pending`
                await asyncio.wait_for(self._tidy_done.wait(), self.check_seconds)

    async def run(self) -> None:
        try:
            while True:
                if not promoted_since_tidy():
                    await asyncio.sleep(self.check_seconds)
                    continue
                await self.quiet.wait(self.idle_seconds)
                took = tidy()
                self.tidied += 1
                self._tidy_done.set()
                log.debug("heap tidied in %.1f ms; %d objects frozen", took * 1000, gc.get_freeze_count())
        finally:
            gc.unfreeze()  # a stopped bot leaves the interpreter as it found it
