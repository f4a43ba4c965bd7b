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


def component_ids(message: Mapping[str, Any]) -> list[str]:
    """The custom_ids of a message's buttons and menus, in order."""
    out: list[str] = []

    def walk(components: Iterable[Mapping[str, Any]]) -> None:
        for comp in components:
            if comp.get("custom_id"):
                out.append(str(comp["custom_id"]))
            walk(comp.get("components") or [])

    walk(message.get("components") or [])
    return out


def component_id(message: Mapping[str, Any], prefix: str) -> str:
    """The one custom_id on `message` that starts with `prefix` (each form or menu has its own token)."""
    [found] = [c for c in component_ids(message) if c.startswith(prefix)]
    return found
