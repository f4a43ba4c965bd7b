"""A per-user cooldown on the commands and buttons that run engine work (plan, projections, what-ifs).

Why one bucket per user shared by all of them: the cost is the engine's, whichever command asks, so
a user hammering /plan and the "Closing plan" button at once is limited the same as /plan alone.
Why not discord.py's `checks.cooldown`: it covers commands only; the advice buttons need the same
limit. A refusal is `app_commands.CommandOnCooldown`, which `replies.report_error` answers privately
with "try again in N s".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import discord
from discord import app_commands

T = TypeVar("T")


@dataclass(frozen=True)
class HeavyLimit:
    """At most `rate` engine requests per user in any `per` seconds."""

    rate: int = 8
    per: float = 30.0


MAX_TRACKED_USERS = 10_000  # buckets kept; the oldest are forgotten first (a forgotten user starts fresh)


class HeavyLimiter:
    """Per-user buckets (discord.py's `app_commands.Cooldown`) on a monotonic clock."""

    def __init__(self, limit: HeavyLimit | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._buckets: dict[int, app_commands.Cooldown] = {}

    def check(self, user_id: int) -> None:
        """Count one request of `user_id`; raise CommandOnCooldown when it is over the limit."""
        if self.limit is None:
            return
        bucket = self._buckets.pop(user_id, None) or app_commands.Cooldown(self.limit.rate, self.limit.per)
        self._buckets[user_id] = bucket  # re-inserted: the dict's order is least recently used first
        if len(self._buckets) > MAX_TRACKED_USERS:
            del self._buckets[next(iter(self._buckets))]
        retry_after = bucket.update_rate_limit(self._clock())
        if retry_after is not None:
            raise app_commands.CommandOnCooldown(bucket, retry_after)


def limiter_of(interaction: discord.Interaction) -> HeavyLimiter | None:
    """The bot's limiter (None for a client without one, e.g. a test harness)."""
    return getattr(interaction.client, "heavy_limiter", None)


def check_heavy(interaction: discord.Interaction) -> None:
    """For buttons: count the click against the user's limit (raises CommandOnCooldown)."""
    limiter = limiter_of(interaction)
    if limiter is not None:
        limiter.check(interaction.user.id)


def _predicate(interaction: discord.Interaction) -> bool:
    check_heavy(interaction)
    return True


def heavy(func: T) -> T:
    """Decorate an app command that runs engine work: it counts against the user's limit."""
    decorated: Any = app_commands.check(_predicate)(func)
    return decorated  # type: ignore[no-any-return]
