"""One simulated clock for several processes: the test holds the time, each child's scheduler sleeps on it.

Why: a reminder season runs in simulated time (months in seconds), and processes sharing one database must
share one timeline too, or one process would derive March's reminders while another still lives in January.
So the time lives in the test (`ClockServer`), and each child's clock (`SharedClock`) asks it over a Unix
socket. Time moves like `bot.clock.VirtualClock`'s, as a discrete-event simulation across processes: only
when every expected child is asleep, and then to the earliest instant one of them waits for. A child that
is working (claiming, sending, deriving, blocked on the database or on Discord) holds time still, so nothing
depends on how fast any process runs; a killed child stops holding it (its socket closes).

The protocol, one line each way: the child says `hello NAME`, then `park ISO|none` when it sleeps (and
`busy` if something in its own process woke it first); the server answers `now ISO` when the child's
instant has come, and `end` when the season is over.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path


@dataclass(eq=False)
class _Child:
    name: str
    writer: asyncio.StreamWriter
    parked: bool = False
    deadline: datetime | None = None


class ClockServer:
    """The test's side: the current instant, the children's sleeps, and when the season is over."""

    def __init__(self, path: Path, start: datetime, end: datetime, expected: int) -> None:
        self.path, self.now, self.end, self.expected = path, start, end, expected
        self.children: set[_Child] = set()
        self.finished = asyncio.Event()  # every child sleeps past the end: the season is over
        self.steps = 0  # how often time moved
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_unix_server(self._serve, path=str(self.path))

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for child in list(self.children):
                child.writer.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()

    def end_season(self) -> None:
        for child in self.children:
            child.writer.write(b"end\n")

    def _wake(self, child: _Child) -> None:
        child.parked, child.deadline = False, None
        child.writer.write(f"now {self.now.isoformat()}\n".encode())

    def _advance(self) -> None:
        """Move time once every expected child sleeps: to the earliest instant one of them waits for."""
        if len(self.children) < self.expected or not all(c.parked for c in self.children):
            return
        due = [c.deadline for c in self.children if c.deadline is not None]
        target = min(due, default=None)
        if target is None or target > self.end:
            self.finished.set()
            return
        self.now = max(self.now, target)
        self.steps += 1
        for child in self.children:
            if child.deadline is not None and child.deadline <= self.now:
                self._wake(child)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        hello = (await reader.readline()).decode().split()
        if len(hello) != 2 or hello[0] != "hello":
            writer.close()
            return
        child = _Child(hello[1], writer)
        self.children.add(child)
        writer.write(f"now {self.now.isoformat()}\n".encode())
        try:
            while line := (await reader.readline()).decode().split():
                if line[0] == "park":
                    child.parked = True
                    child.deadline = None if line[1] == "none" else datetime.fromisoformat(line[1])
                    if child.deadline is not None and child.deadline <= self.now:
                        self._wake(child)
                elif line[0] == "busy":
                    child.parked, child.deadline = False, None
                self._advance()
        except ConnectionError:
            pass
        finally:
            self.children.discard(child)
            writer.close()
            self._advance()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


class SharedClock:
    """The child's side: a `bot.clock.Clock` whose time is the server's."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, now: datetime) -> None:
        self._reader, self._writer, self._now = reader, writer, now
        self._woken = asyncio.Event()
        self.finished = asyncio.Event()  # the server ended the season (or went away)
        self._listening = asyncio.ensure_future(self._listen())

    @classmethod
    async def connect(cls, path: str, name: str) -> SharedClock:
        reader, writer = await asyncio.open_unix_connection(path)
        writer.write(f"hello {name}\n".encode())
        await writer.drain()
        words = (await reader.readline()).decode().split()
        return cls(reader, writer, datetime.fromisoformat(words[1]))

    async def _listen(self) -> None:
        while words := (await self._reader.readline()).decode().split():
            if words[0] == "now":
                self._now = max(self._now, datetime.fromisoformat(words[1]))
            elif words[0] == "end":
                self.finished.set()
            self._woken.set()
        self.finished.set()
        self._woken.set()

    def now(self) -> datetime:
        return self._now.astimezone(UTC)

    def today(self) -> date:
        return self.now().date()

    async def sleep_until(self, deadline: datetime | None, wake: asyncio.Event) -> None:
        if wake.is_set():
            return
        if self.finished.is_set():
            await wake.wait()  # the season is over: nothing more is due
            return
        self._woken.clear()
        self._writer.write(f"park {'none' if deadline is None else deadline.astimezone(UTC).isoformat()}\n".encode())
        await self._writer.drain()
        waits = [asyncio.ensure_future(self._woken.wait()), asyncio.ensure_future(wake.wait())]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()
        if not self._woken.is_set():  # woken here: tell the server this process is working again
            self._writer.write(b"busy\n")
            await self._writer.drain()

    async def close(self) -> None:
        self._listening.cancel()
        self._writer.close()
