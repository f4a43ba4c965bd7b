"""What a send attempt can end in, and how long to wait before the next one.

Why outcomes instead of exceptions: the scheduler must treat each case differently and durably
(mark sent, retry later, hold the user, give up), and the Discord-specific error zoo stays inside the
sender (bot/discord_app/dm_sender.py); tests can plug in a sender that returns outcomes directly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from bot.render import Answer
from bot.store.reminder_store import Claim


@dataclass(frozen=True, slots=True)
class Delivered:
    message_id: str
    recovered: bool = False  # found in the DM history: an earlier attempt had gone through


@dataclass(frozen=True, slots=True)
class Retry:
    """A transient failure: 429 (with Discord's retry_after), 5xx or a network error."""

    error: str
    retry_after: float | None = None
    rate_limited: bool = False


@dataclass(frozen=True, slots=True)
class DmClosed:
    """The user cannot be DMed (403, e.g. 50007): hold their reminders, do not retry, tell them."""

    error: str


@dataclass(frozen=True, slots=True)
class Failed:
    """A permanent failure for this reminder (Discord refused the message itself)."""

    error: str


Outcome = Delivered | Retry | DmClosed | Failed


class Sender(Protocol):
    async def deliver(self, claim: Claim, answer: Answer) -> Outcome:
        """Send the reminder (idempotently: the same claim's nonce on every attempt)."""
        ...


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with jitter, capped, and a point where a reminder is given up.

    The jitter is seeded by the reminder and attempt, so a test (or a replay) sees the same delays,
    while different reminders still spread out after a shared outage.
    """

    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=1)
    give_up_after: timedelta = timedelta(hours=48)
    jitter: float = 0.2

    def delay(self, attempts: int, reminder_id: int, retry_after: float | None = None) -> timedelta:
        raw = min(self.cap.total_seconds(), self.base.total_seconds() * 2 ** max(0, attempts - 1))
        spread = random.Random(f"{reminder_id}:{attempts}").uniform(1 - self.jitter, 1 + self.jitter)
        return timedelta(seconds=max(raw * spread, retry_after or 0.0))
