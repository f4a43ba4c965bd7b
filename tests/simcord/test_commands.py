"""Every command's privacy (ephemeral flag) and the deferral path, as SimCord's Discord sees them.

What SimCord checks that a unit test cannot: the command tree was synced and each invocation matches a
synced command and its option limits; every interaction is acknowledged exactly once (40060 otherwise);
the ephemeral flag of the reply; after a "thinking" defer, what a followup does to the placeholder.
"""

from __future__ import annotations

from typing import Any

import pytest
from simcord import InteractionResult

from . import SIMCORD_OPTIONS
from .conftest import Server

pytestmark = SIMCORD_OPTIONS

LOADING = 1 << 7  # message flag: the "thinking..." placeholder of a deferred reply

# Commands that answer privately, with options that reach a real answer (not an error) for Alice.
PRIVATE_COMMANDS: list[tuple[str, dict[str, Any]]] = [
    ("contract list", {}),
    ("contract show", {"contract": "old"}),
    ("contract asked-client", {"contract": "old"}),
    ("advise", {"contract": "old"}),
    ("whatif", {"contract": "old"}),
    ("plan", {}),
    ("toprated", {}),
    ("jss show", {}),  # defers itself and answers twice (the score, then the projection with its chart)
    ("jss record", {"value": 96}),
    ("message", {"contract": "old", "kind": "ask-close"}),
    ("ask", {"question": "my client never closed the contract, should I?"}),
    ("reminders list", {}),
    ("reminders kinds", {}),
    ("reminders settings", {"timezone": "Europe/Berlin"}),
    ("settings", {"cadence": "daily"}),
    ("ledger export", {}),
    ("forget-me", {}),  # the confirmation with its buttons; nothing is deleted without a click
]


def visible_messages(result: InteractionResult) -> list[Any]:
    response = [] if result.response is None else [result.response]
    return response + result.followups


@pytest.mark.parametrize(("command", "options"), PRIVATE_COMMANDS, ids=[c for c, _ in PRIVATE_COMMANDS])
async def test_every_private_answer_is_ephemeral(server: Server, command: str, options: dict[str, Any]) -> None:
    result = await server.alice.slash(server.channel, command, **options)
    assert result.acknowledged and result.ephemeral, result
    messages = visible_messages(result)
    assert messages and all(m.embeds for m in messages), result
    assert all(m.ephemeral for m in messages), [m.flags for m in messages]
    assert not any(m.flags.value & LOADING for m in messages)  # no path ends on "thinking..."


async def test_ask_public_is_posted_for_everyone(server: Server) -> None:
    result = await server.alice.slash(server.channel, "ask", question="does a refund hurt my JSS?", public=True)
    assert result.acknowledged and not result.ephemeral
    assert result.response is not None and not result.response.ephemeral
    assert [m.id for m in server.channel.history()] == [result.response.id]  # in the channel, for everyone


async def test_ask_about_a_message_answers_privately(server: Server) -> None:
    message = await server.alice.send(server.channel, "Should I ask my client to close an idle contract?")
    result = await server.alice.context_menu(server.channel, "Ask JSS Advisor", message)
    assert result.ephemeral and result.response is not None and result.response.embeds


def callbacks(server: Server, since: int) -> list[int]:
    """The interaction callback types the bot sent after the `since`-th REST call."""
    return [
        int((entry.json or {})["type"])
        for entry in server.env.http_requests[since:]
        if entry.method == "POST" and entry.path.endswith("/callback")
    ]


@pytest.mark.parametrize(
    ("command", "options", "private"),
    [
        ("toprated", {}, True),
        ("advise", {"contract": "old"}, True),
        ("ask", {"question": "does a refund hurt my JSS?", "public": True}, False),
    ],
    ids=["toprated", "advise-with-buttons", "ask-public"],
)
async def test_deferred_answer_replaces_the_thinking_message(
    server: Server, command: str, options: dict[str, Any], private: bool
) -> None:
    """answer_budget 0: "thinking..." first, then the answer as a followup. Discord (Create Followup Message):
    the first followup after a DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE edits the loading message instead of
    creating one, and keeps the defer's ephemeral flag. SimCord and our fake agree on this."""
    server.bot.answer_budget = 0
    start = len(server.env.http_requests)
    result = await server.alice.slash(server.channel, command, **options)
    assert callbacks(server, start) == [5]  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    assert result.ephemeral is private
    assert result.followups == []  # no second message: the placeholder became the answer
    answer = result.response
    assert answer is not None and answer.embeds and not answer.flags.value & LOADING
    assert answer.ephemeral is private
    if command == "advise":
        labels = [c["label"] for row in answer.components for c in row["components"]]
        assert labels == ["I asked the client", "Draft a message", "Simulate alternatives", "Closing plan"]  # ask first


async def test_a_command_that_answers_twice_after_deferring(server: Server) -> None:
    """/jss show defers, then sends two answers: the first fills the placeholder, the second is a new
    followup, private too (the ephemeral flag of a real followup is its own, not the defer's)."""
    result = await server.alice.slash(server.channel, "jss show")
    assert result.response is not None and [f.ephemeral for f in result.followups] == [True]
    score, projection = result.response, result.followups[0]
    assert score.ephemeral and score.embeds and not score.flags.value & LOADING
    assert projection.embeds and [a.filename for a in projection.attachments] != []


async def test_advice_button_answers_privately(server: Server) -> None:
    advice = await server.alice.slash(server.channel, "advise", contract="old")
    assert advice.response is not None
    click = await server.alice.click(advice.response, label="Simulate alternatives")
    assert click.ephemeral and click.response is not None and click.response.embeds
    assert click.response.id != advice.response.id  # a new private message; the advice stays as it was
