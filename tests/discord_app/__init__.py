"""The Discord front end (bot.discord_app): the real discord.py against the local Discord (tests.fakediscord)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def embeds_of(messages: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every embed of `messages`, in order."""
    return [e for m in messages for e in m.get("embeds", [])]
