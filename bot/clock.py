"""The one clock type: every part of the bot that needs the time (the store's audit stamps, the services'
"today", the reminder scheduler's sleeps) asks a `Clock`, so a test or `--as-of` swaps one object.

Why a small protocol instead of patching `datetime`: the bot only ever asks "what time is it", "what day
is it (UTC, as Upwork dates its updates)" and "sleep until this instant unless woken", so a simulated
clock can answer the last by jumping forward at once, and nothing else in the process is affected.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, date, datetime, time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...

    def today(self) -> date:
        """The current day in UTC."""
        ...

    async def sleep_until(self, deadline: datetime | None, wake: asyncio.Event) -> None:
        """Return at `deadline` (never, if None) or as soon as `wake` is set, whichever comes first."""
        ...


class SystemClock:
    """Wall-clock time; sleeps on the event loop."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().date()

    async def sleep_until(self, deadline: datetime | None, wake: asyncio.Event) -> None:
        timeout = None if deadline is None else max(0.0, (deadline - self.now()).total_seconds())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), timeout)


class VirtualClock:
    """Simulated time: a sleep up to the current limit returns at once with the clock moved to its end;
    a sleep past the limit parks the sleeper at the limit until the test moves the limit (`run_until`)
    or something wakes it. So a test says "run until 1 March" and gets back control once every
    reminder due by then has been handled, however many simulated days that took.
    """

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock's start must be timezone-aware")
        self._now = start.astimezone(UTC)
        self._limit = self._now
        self._moved = asyncio.Event()
        self._parked = asyncio.Event()

    def now(self) -> datetime:
        return self._now

    def today(self) -> date:
        """The UTC date, for services that take a `today` callable."""
        return self._now.date()

    def set(self, instant: datetime) -> None:
        """Jump (forward only) without a scheduler: for unit tests of time-dependent code."""
        self._now = max(self._now, instant.astimezone(UTC))
        self._limit = max(self._limit, self._now)

    @property
    def parked(self) -> bool:
        return self._parked.is_set()

    async def sleep_until(self, deadline: datetime | None, wake: asyncio.Event) -> None:
        if wake.is_set():
            return
        if deadline is not None and deadline <= self._limit:
            self._now = max(self._now, deadline)
            await asyncio.sleep(0)  # let other tasks (the bot's gateway, the test) run between steps
            return
        self._now = max(self._now, self._limit)
        moved = self._moved
        self._parked.set()
        waits = [asyncio.ensure_future(moved.wait()), asyncio.ensure_future(wake.wait())]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()
            self._parked.clear()

    async def run_until(self, limit: datetime, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Let simulated time run up to `limit`; returns when the sleeper is parked there."""
        self._limit = max(self._limit, limit.astimezone(UTC))
        self._parked.clear()
        self._moved.set()
        self._moved = asyncio.Event()
        await asyncio.wait_for(self._parked.wait(), timeout)


class FixedClock:
    """Always the same instant: the console's `--as-of`, where nothing sleeps."""

    def __init__(self, instant: datetime) -> None:
        self._now = instant.astimezone(UTC)

    @classmethod
    def on(cls, day: date) -> FixedClock:
        """Midday UTC of `day`: the same day everywhere a user's time zone could put it."""
        return cls(datetime.combine(day, time(12), tzinfo=UTC))

    def now(self) -> datetime:
        return self._now

    def today(self) -> date:
        return self._now.date()

    async def sleep_until(self, deadline: datetime | None, wake: asyncio.Event) -> None:
        """A fixed instant never reaches a later deadline: only `wake` ends such a sleep. (Returning at once
        made every background loop on this clock spin, burning a core in each test bot.)"""
        if deadline is not None and deadline <= self._now:
            return
        await wake.wait()
