"""The fixed clock (console `--as-of`, most test bots): time never moves, so nothing it sleeps on is reached."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from bot.clock import FixedClock


async def test_a_later_deadline_is_never_reached_only_a_wake_ends_the_sleep() -> None:
    clock = FixedClock.on(date(2026, 11, 23))
    wake = asyncio.Event()
    sleeper = asyncio.ensure_future(clock.sleep_until(clock.now() + timedelta(seconds=1), wake))
    for _ in range(100):  # a loop that returned at once would have finished (and spun) by now
        await asyncio.sleep(0)
    assert not sleeper.done()
    wake.set()
    await sleeper


async def test_a_deadline_already_due_returns_at_once() -> None:
    clock = FixedClock.on(date(2026, 11, 23))
    await clock.sleep_until(clock.now(), asyncio.Event())
    await clock.sleep_until(clock.now() - timedelta(days=1), asyncio.Event())
