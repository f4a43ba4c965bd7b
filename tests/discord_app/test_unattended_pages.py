"""Answers nobody turns page by page (a forum thread, a reminder DM) and notices edited in place arrive whole:
every page as its own message, buttons under the last one; before, only the first page was sent and the
rest (the sources included) was lost without a word. Real discord.py against the local Discord."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest

from bot.discord_app.client import AdvisorBot
from bot.discord_app.dm_sender import DiscordSender
from bot.discord_app.embeds import page_embeds
from bot.render import Answer, Field
from bot.services.reminders.delivery import Claim, Delivered
from tests.fakediscord import FakeDiscord

from .test_commands_e2e import run


def long_answer() -> Answer:
    """An answer of several pages: 12 fields of ~900 characters (Discord: 6,000 per embed)."""
    fields = tuple(Field(f"Part {i}", f"Sentence {i}. " + "word " * 175 + f"end of part {i}.") for i in range(12))
    return Answer(kind="ask", title="A long answer", description="The lead line.", fields=fields)


def bot_messages(server: FakeDiscord, bot: AdvisorBot, channel_id: int) -> list[dict[str, Any]]:
    me = str(bot.user.id)  # type: ignore[union-attr]
    return [m for m in server.channel_messages(channel_id) if m.get("author", {}).get("id") == me]


def shown_parts(messages: list[dict[str, Any]]) -> list[str]:
    return [f["name"] for m in messages for e in m["embeds"] for f in e.get("fields", []) if f["name"] != "\u200b"]


async def test_a_long_forum_answer_is_posted_whole(
    bot: AdvisorBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = long_answer()
    pages = len(page_embeds(answer))
    assert pages > 1

    async def ask(*args: Any, **kwargs: Any) -> Answer:
        return answer

    monkeypatch.setattr(bot.services.questions, "ask", ask)
    forum = fake_discord.add_channel("jss-questions", 15)
    admin = fake_discord.add_user("admin", admin=True)
    await run(fake_discord, "setup forum-channel", {"channel": forum}, user=admin)
    thread, _ = await fake_discord.create_forum_thread(forum, "A long question", "with a long answer")
    thread_id = int(thread["id"])
    await fake_discord.wait_for(
        lambda: len(bot_messages(fake_discord, bot, thread_id)) >= pages, timeout=60, what="every page"
    )
    posted = bot_messages(fake_discord, bot, thread_id)
    assert len(posted) == pages
    assert shown_parts(posted) == [f"Part {i}" for i in range(12)]  # in reading order, none lost


async def test_a_long_reminder_dm_arrives_whole_with_its_buttons_under_the_last_page(
    bot: AdvisorBot, fake_discord: FakeDiscord
) -> None:
    me = fake_discord.default_user
    answer = long_answer()
    reminder = SimpleNamespace(
        id=7, user_id=str(me.id), attempts=1, delivery=1, nonce="n-7", kind="ask_client", facts={}
    )
    outcome = await DiscordSender(bot).deliver(cast(Claim, SimpleNamespace(reminder=reminder)), answer)
    assert isinstance(outcome, Delivered)
    dms = fake_discord.dms_to(me)
    assert len(dms) == len(page_embeds(answer)) > 1
    assert shown_parts(dms) == [f"Part {i}" for i in range(12)]
    assert [bool(m.get("components")) for m in dms] == [False] * (len(dms) - 1) + [True]
    assert outcome.message_id == dms[-1]["id"]


async def test_a_long_reminder_dm_resent_after_a_failure_part_way_is_not_doubled(
    bot: AdvisorBot, fake_discord: FakeDiscord
) -> None:
    """The first attempt posts the first pages, then Discord fails the last one; the retry (the same
    delivery, within Discord's nonce memory) must leave exactly one copy of every page."""
    me = fake_discord.default_user
    answer = long_answer()
    pages = len(page_embeds(answer))
    assert pages >= 2
    reminder = SimpleNamespace(
        id=8, user_id=str(me.id), attempts=1, delivery=1, nonce="r8.1", kind="ask_client", facts={}
    )
    claim = cast(Claim, SimpleNamespace(reminder=reminder))
    sent_before_fault = pages - 1
    # The earlier pages go through, then Discord refuses the last one (a 400: discord.py does not retry it).
    fake_discord.inject_fault("/channels/*/messages", method="POST", status=400, skip=sent_before_fault)
    first = await DiscordSender(bot).deliver(claim, answer)
    assert not isinstance(first, Delivered)
    assert len(fake_discord.dms_to(me)) == sent_before_fault

    reminder.attempts = 2
    second = await DiscordSender(bot).deliver(claim, answer)
    assert isinstance(second, Delivered)
    dms = fake_discord.dms_to(me)
    assert shown_parts(dms) == [f"Part {i}" for i in range(12)]  # every page once, in order
    assert len(dms) == pages
