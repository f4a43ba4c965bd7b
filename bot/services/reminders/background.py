"""One long-lived asyncio task per owner, started once and cancelled cleanly.

Why a class of its own: the reminder scheduler runs one loop for the bot's lifetime; starting twice,
restarting after a crash and stopping without leaking a pending task are rules worth keeping apart from
what the loop does.
"""

from __future__ import annotations

import asyncio
import contextlib


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
