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
# A busy bot has a quiet quarter second every few commands; a tidy-up takes tens of ms. So after one, the
# next waits at least MIN_INTERVAL_SECONDS and long enough to keep tidy-ups under COST_SHARE of the time.
# Meanwhile the interpreter's own collections go on, cheap since the freeze.
MIN_INTERVAL_SECONDS = 2.0
COST_SHARE = 0.02


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
        self,
        quiet: QuietMoments,
        idle_seconds: float = IDLE_SECONDS,
        check_seconds: float = CHECK_SECONDS,
        min_interval: float = MIN_INTERVAL_SECONDS,
    ) -> None:
        self.quiet = quiet
        self.idle_seconds = idle_seconds
        self.check_seconds = check_seconds
        self.min_interval = min_interval
        self.tidied = 0  # tidy-ups so far (tests, benchmarks)
        self._tidy_done = asyncio.Event()
        self._not_before = 0.0  # time.monotonic() before which no tidy-up starts (the rate limit)

    @property
    def due(self) -> bool:
        """A tidy-up will run at the next quiet moment (something to collect, and the rate limit allows)."""
        return promoted_since_tidy() and time.monotonic() >= self._not_before

    async def caught_up(self) -> None:
        """Wait until no tidy-up is due (tests, benchmarks). One held back by the rate limit is not due:
        the next burst then meets the interpreter's own collections, as it would in production."""
        while self.due:
            self._tidy_done.clear()
            with contextlib.suppress(TimeoutError):  # an automatic full collection also ends `due`
                await asyncio.wait_for(self._tidy_done.wait(), self.check_seconds)

    async def run(self) -> None:
        try:
            while True:
                held = self._not_before - time.monotonic()
                if held > 0 or not promoted_since_tidy():
                    await asyncio.sleep(max(held, self.check_seconds))
                    continue
                await self.quiet.wait(self.idle_seconds)
                took = tidy()
                self._not_before = time.monotonic() + max(self.min_interval, took / COST_SHARE)
                self.tidied += 1
                self._tidy_done.set()
                log.debug("heap tidied in %.1f ms; %d objects frozen", took * 1000, gc.get_freeze_count())
        finally:
            gc.unfreeze()  # a stopped bot leaves the interpreter as it found it
