"""The Discord front end (bot.discord_app): the real discord.py against the local Discord (tests.fakediscord)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

# The bots under test answer every command in one step, however slow the machine is, so no test's outcome
# depends on its speed; the deferral path ("thinking..." then a followup) is tested with answer_budget = 0.
ONE_STEP = math.inf


def embeds_of(messages: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every embed of `messages`, in order."""
    return [e for m in messages for e in m.get("embeds", [])]
