"""One long-lived asyncio task per owner, started once and cancelled cleanly.

Why shared: the reminder scheduler, the advice warmer and the heap keeper each run one loop for the
bot's lifetime; starting twice, restarting after a crash and stopping without leaking a pending task
are the same three rules for all of them. The last two also share `QuietMoments`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator


class BackgroundTask:
    """Subclasses implement `run` (the loop) and set `task_name`."""

    task_name = "background"
    _task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self.run(), name=self.task_name)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()


class QuietMoments:
    """When the bot last handled an interaction, so work nobody is waiting for can wait for a pause.

    Interactions arrive in bursts; background work (preparing advice, collecting garbage) that runs
    between them costs nobody anything, while the same work in the middle of a burst delays every
    interaction queued behind it. `note` is called for every interaction, so it is one clock read.
    """

    def __init__(self) -> None:
        self.last = float("-inf")
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def note(self) -> None:
        self.last = time.monotonic()

    @contextlib.contextmanager
    def busy(self) -> Iterator[None]:
        """Around work someone is waiting for that may outlast its interaction's arrival (a slow answer
        computed after "thinking..."): no interaction arriving does not make that a quiet moment."""
        self._busy += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._busy -= 1
            if not self._busy:
                self._idle.set()

    def quiet_for(self) -> float:
        """Seconds since the last interaction."""
        return time.monotonic() - self.last

    async def wait(self, seconds: float) -> None:
        """Return once no interaction has arrived for `seconds` (the deadline moves with each one) and no
        answer is being worked on."""
        while True:
            await self._idle.wait()
            quiet = self.quiet_for()
            if quiet >= seconds and not self._busy:
                return
            await asyncio.sleep(max(seconds - quiet, 0.0))
