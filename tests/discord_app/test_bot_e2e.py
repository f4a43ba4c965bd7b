"""The product bot end to end: real discord.py against the local Discord, real SQLite, real templates."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.console.demo import demo_ledger
from bot.discord_app.client import AdvisorBot
from tests.builders import ledger_json
from tests.fakediscord import EPHEMERAL, FakeAttachment, FakeDiscord
from tests.samples import TODAY

from . import component_id, embeds_of


def demo_file() -> FakeAttachment:
    data = ledger_json(demo_ledger(TODAY)).encode()
    return FakeAttachment("ledger.json", data, "application/json")


async def run(
    server: FakeDiscord, name: str, options: dict[str, Any] | None = None, *, count: int = 1, **kw: Any
) -> tuple[Any, list[dict[str, Any]]]:
    handle = await server.send_slash_command(name, options or {}, **kw)
    response = await handle.wait_for_response()
    if response.type == 5:  # deferred: wait for the answers
        await handle.wait_for_followups(count)
    else:
        await handle.wait_for_original()
    return response, handle.visible_messages()


async def import_demo(server: FakeDiscord, **kw: Any) -> None:
    _, messages = await run(server, "ledger import", {"file": demo_file(), "mode": "replace"}, **kw)
    assert embeds_of(messages)[0]["title"] == "Ledger imported."


async def test_commands_are_synced_to_the_dev_guild(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    names = {c["name"] for c in fake_discord.commands(fake_discord.guild_id)}
    assert {
        "contract",
        "ledger",
        "jss",
        "advise",
        "whatif",
        "plan",
        "toprated",
        "ask",
        "forget-me",
        "settings",
        "setup",
        "Ask JSS Advisor",
    } <= names


async def test_advise_is_private_cites_rules_and_buttons_simulate(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    await import_demo(fake_discord)
    response, messages = await run(fake_discord, "advise", {"contract": "acme-site"})
    assert response.type == 4 and response.flags & EPHEMERAL  # quick, so answered in one step, privately
    [embed] = embeds_of(messages)
    assert embed["title"].startswith("Close it now")
    sources = next(f for f in embed["fields"] if f["name"] == "Sources")["value"]
    assert "`C-SELF-CLOSE-2MO`" in sources  # the rule, with its link, listed last: ids only there
    assert "C-SELF-CLOSE-2MO" not in embed["description"]
    message = messages[-1]
    click = await fake_discord.send_component(component_id(message, "advise:whatif:"), message=message)
    await click.wait_for_response()
    await click.wait_for_original()
    whatif = embeds_of(click.visible_messages())
    assert whatif and whatif[0]["title"].startswith("What if")
    assert any(f["name"] == "Close now, no feedback" for f in whatif[0]["fields"])


async def test_autocomplete_offers_only_the_callers_contracts(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    await import_demo(fake_discord)
    mine = await fake_discord.send_autocomplete("advise", {"contract": "ac"}, focused="contract")
    assert [c["value"] for c in mine][0] == "acme-site"
    stranger = fake_discord.add_user("stranger")
    theirs = await fake_discord.send_autocomplete("advise", {"contract": "ac"}, focused="contract", user=stranger)
    assert theirs == []


async def test_contract_add_through_the_modal(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    opened = await fake_discord.send_slash_command("contract add", {"kind": "hourly", "status": "active"})
    shown = await opened.wait_for_response()
    assert shown.type == 9
    submitted = await fake_discord.send_modal_submit(
        shown.custom_id,
        {
            "contract_id": "new-one",
            "names": "Logo work | Acme **Ltd** @everyone",
            "dates": "2026-09-01, 2026-11-01,",
            "money": "$1,200",
            "stars": "",
        },
    )
    reply = await submitted.wait_for_response()
    assert reply.ephemeral and reply.embeds[0]["title"] == "Contract added."
    stored = await bot.services.context.store.get_contract(str(fake_discord.default_user.id), "new-one")
    assert stored is not None and stored.client == "Acme **Ltd** @everyone" and stored.earnings_usd == 1200
    _, messages = await run(fake_discord, "contract show", {"contract": "new-one"})
    text = json.dumps(embeds_of(messages))
    assert "@everyone" not in text.replace("@\\u200beveryone", "")  # mention neutralised
    assert "\\\\*\\\\*Ltd" in text  # markdown escaped


async def test_bad_input_is_a_clear_private_error(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    _, messages = await run(fake_discord, "advise", {"contract": "nope"})
    [embed] = embeds_of(messages)
    assert embed["title"] == "No contracts yet"
    bad = FakeAttachment("ledger.json", b'{"format": "jss-ledger/1", "contracts": [{"id": "x"}]}')
    _, messages = await run(fake_discord, "ledger import", {"file": bad})
    [embed] = embeds_of(messages)
    assert embed["title"] == "That input is not valid" and "contract #1 'x'" in embed["description"]
    assert "Traceback" not in json.dumps(embed)
    assert await bot.services.context.store.count_contracts(str(fake_discord.default_user.id)) == 0


async def test_slow_work_shows_thinking_then_answers(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    await import_demo(fake_discord)
    bot.answer_budget = 0  # as if the engine were slow: acknowledge first, answer in a followup
    response, messages = await run(fake_discord, "advise", {"contract": "acme-site"})
    assert response.type == 5 and response.flags & EPHEMERAL
    assert embeds_of(messages)[0]["title"].startswith("Close it now")


async def test_work_past_the_budget_shows_thinking_while_it_goes_on(
    bot: AdvisorBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The budget's timer path: the work here cannot finish before Discord has the "thinking...", so the
    answer (with its buttons) must come as the followup, whatever the machine's speed."""
    await import_demo(fake_discord)
    advise = bot.services.answers.advise

    async def slow(*args: Any, **kwargs: Any) -> Any:
        def deferred() -> bool:
            return any(h.response is not None and h.response.type == 5 for h in fake_discord.interactions.values())

        await fake_discord.wait_for(deferred, what='"thinking..."')
        return await advise(*args, **kwargs)

    monkeypatch.setattr(bot.services.answers, "advise", slow)
    bot.answer_budget = 0.001
    response, messages = await run(fake_discord, "advise", {"contract": "acme-site"})
    assert response.type == 5 and response.flags & EPHEMERAL
    assert embeds_of(messages)[0]["title"].startswith("Close it now")
    assert messages[0]["components"]  # the verdict's buttons ride with the followup


async def test_jss_attaches_the_projection_chart(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    await import_demo(fake_discord)
    _, messages = await run(fake_discord, "jss show", count=2)
    titles = [e["title"] for e in embeds_of(messages)]
    assert titles[0].startswith("Estimated JSS:") and titles[1].startswith("Projected JSS")
    assert any(a["filename"] == "jss-projection.png" for m in messages for a in m.get("attachments", []))


async def test_ask_and_message_menu_answer_with_rules(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    _, messages = await run(fake_discord, "ask", {"question": "client went silent and never closed the contract"})
    [embed] = embeds_of(messages)
    assert "C-SELF-CLOSE-2MO" in json.dumps(embed) or "C-CLOSE-ADVICE" in json.dumps(embed)
    target = await fake_discord.create_message(
        content="Will refunding my client remove the bad review?", author=fake_discord.default_user
    )
    handle = await fake_discord.send_message_context_menu("Ask JSS Advisor", target)
    await handle.wait_for_response()
    await handle.wait_for_original()
    assert "X-REFUND" in json.dumps(embeds_of(handle.visible_messages()))


async def test_forum_posts_get_public_answers_without_ledger_data(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    await import_demo(fake_discord)
    forum = fake_discord.add_channel("jss-questions", 15)
    with pytest.raises(PermissionError, match="default_member_permissions"):  # hidden from non-admins
        await fake_discord.send_slash_command("setup forum-channel", {"channel": forum})
    admin = fake_discord.add_user("admin", admin=True)
    _, messages = await run(fake_discord, "setup forum-channel", {"channel": forum}, user=admin)
    assert embeds_of(messages)[0]["title"].startswith("I will answer"), embeds_of(messages)
    thread, _ = await fake_discord.create_forum_thread(forum, "When does the JSS update?", "Is there a fixed day?")
    await fake_discord.wait_for(
        lambda: any(
            m.get("author", {}).get("id") == str(bot.user.id)  # type: ignore[union-attr]
            for m in fake_discord.channel_messages(int(thread["id"]))
        ),
        timeout=60,
        what="the bot's answer in the forum thread",
    )
    answer = [m for m in fake_discord.channel_messages(int(thread["id"])) if m["author"]["id"] == str(bot.user.id)]  # type: ignore[union-attr]
    text = json.dumps(answer)
    assert "W-CADENCE" in text and "Estimated JSS" not in text and "acme" not in text.lower()
    assert not answer[0].get("flags", 0) & EPHEMERAL


async def test_forget_me_needs_confirmation(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    await import_demo(fake_discord)
    handle = await fake_discord.send_slash_command("forget-me")
    await handle.wait_for_response()
    confirm = component_id(handle.original or {}, "forget:confirm:")
    click = await fake_discord.send_component(confirm, message=handle.original)  # type: ignore[arg-type]
    await click.wait_for_response()
    assert await bot.services.context.store.count_contracts(str(fake_discord.default_user.id)) == 0
