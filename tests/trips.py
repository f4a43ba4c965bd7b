"""Counting trips to aiosqlite's thread: each is a thread hand-off on the bot's event loop (issue 13)."""

from __future__ import annotations

import traceback
from typing import Any

import aiosqlite
import pytest


def database_thread_trips(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """From now on, one entry per trip to aiosqlite's thread: the names of the functions on the stack that
    made it (outermost first), so a test can count trips or tell which code made them."""
    trips: list[tuple[str, ...]] = []
    hand_off = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append(tuple(frame.name for frame in traceback.extract_stack()))
        return await hand_off(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return trips
