"""The buttons under /advise are chosen by its verdict, and each does what it says: "I asked the client"
records the request (and Undo removes it), "Draft a message" shows the letter, "Remind me" queues a DM for
the look-again day; a stranger's click is refused. Real discord.py against the local Discord, real SQLite."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import discord
import pytest

from bot.discord_app.client import AdvisorBot
from tests.fakediscord import FakeDiscord, FakeUser
from tests.samples import TODAY

from .test_commands_e2e import SECRET, Reply, contract_of, import_demo, run, settle

NO_DAY = TODAY.isoformat().replace("-", "")


@pytest.fixture
def bot(inline_bot: AdvisorBot) -> AdvisorBot:
    """The product bot with the engine inline: these tests are about what the buttons do, and a worker
    process's first job (its imports) can take longer than Discord's 3-second deadline on a busy machine."""
    return inline_bot


@pytest.fixture
async def me(bot: AdvisorBot, fake_discord: FakeDiscord) -> FakeUser:
    """The default user, with the demo ledger."""
    await import_demo(bot, fake_discord.default_user)
    return fake_discord.default_user


def buttons(reply: Reply) -> dict[str, str]:
    """label -> custom_id of the buttons under the reply's last message, in order."""
    rows = reply.messages[-1].get("components") or []
    return {c["label"]: c["custom_id"] for row in rows for c in row["components"]}


async def click(server: FakeDiscord, reply: Reply, label: str, user: FakeUser | None = None) -> Reply:
    return await settle(await server.send_component(buttons(reply)[label], message=reply.messages[-1], user=user))


def ids(message: Mapping[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message.get("components") or [] for c in row["components"]]


async def test_buttons_differ_by_verdict(bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser) -> None:
    close_now = await run(fake_discord, "advise", {"contract": "acme-site"})  # close it now; the plan has it
    assert list(buttons(close_now)) == ["Closing plan", "Simulate alternatives"]
    ask = await run(fake_discord, "advise", {"contract": "ghost-app"})  # ask the client first; in the plan
    assert list(buttons(ask)) == ["I asked the client", "Draft a message", "Simulate alternatives", "Closing plan"]
    escrow = await run(fake_discord, "advise", {"contract": "video-edit"})  # funded escrow: the plan leaves it out
    assert list(buttons(escrow)) == ["I asked the client", "Draft a message", "Simulate alternatives"]
    keep = await run(fake_discord, "advise", {"contract": "wp-maint"})  # keep it open: nothing to click
    assert keep.embed["title"].startswith("Keep it open") and buttons(keep) == {}
    ended = await run(fake_discord, "advise", {"contract": "shop-redesign"})  # ended long ago
    assert buttons(ended) == {}
    # Every button names its owner and its contract.
    assert all(f":u{me.id}:ghost-app" in cid for cid in buttons(ask).values())


async def test_i_asked_the_client_records_it_and_undo_removes_it(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser
) -> None:
    advice = await run(fake_discord, "advise", {"contract": "ghost-app"})
    assert (await contract_of(bot, me, "ghost-app")).close_requests == ()
    asked = await click(fake_discord, advice, "I asked the client")
    assert asked.ephemeral and not asked.is_error, asked.embeds
    assert asked.title.startswith("Recorded: you asked the client to close")
    assert (await contract_of(bot, me, "ghost-app")).close_requests == (TODAY,)  # as `contracts asked-client`
    assert ids(asked.messages[-1]) == [f"advise:unask:u{me.id}:{NO_DAY}:ghost-app"]

    # Asked, and idle for months: the advice is now to close it yourself, with its own buttons.
    after = await run(fake_discord, "advise", {"contract": "ghost-app"})
    assert after.embed["title"].startswith("Close it now")
    assert list(buttons(after)) == ["Closing plan", "Simulate alternatives"]

    undone = await click(fake_discord, asked, "Undo")
    assert undone.ephemeral and undone.title.startswith("Undone")
    assert (await contract_of(bot, me, "ghost-app")).close_requests == ()
    again = await click(fake_discord, asked, "Undo")  # a second undo changes nothing, and says so
    assert again.title == "Nothing to undo" and not again.is_error


async def test_a_strangers_click_is_refused_and_changes_nothing(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser
) -> None:
    advice = await run(fake_discord, "advise", {"contract": "ghost-app"})
    stranger = fake_discord.add_user("stranger")
    for label in ("I asked the client", "Draft a message"):
        refused = await click(fake_discord, advice, label, user=stranger)
        assert refused.is_error and refused.ephemeral and refused.title == "Not yours", label
        assert "Ghost" not in refused.text()  # never the owner's data
    assert (await contract_of(bot, me, "ghost-app")).close_requests == ()
    asked = await click(fake_discord, advice, "I asked the client")
    refused = await click(fake_discord, asked, "Undo", user=stranger)
    assert refused.title == "Not yours"
    assert (await contract_of(bot, me, "ghost-app")).close_requests == (TODAY,)


async def test_draft_a_message_is_the_message_commands_letter(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser
) -> None:
    advice = await run(fake_discord, "advise", {"contract": "ghost-app"})
    draft = await click(fake_discord, advice, "Draft a message")
    assert draft.ephemeral and not draft.is_error
    command = await run(fake_discord, "message", {"contract": "ghost-app", "kind": "ask-close"})
    assert draft.embed == command.embed  # the same letter, in a code block ready to copy
    assert "```" in draft.embed["description"]


async def test_remind_me_turns_reminders_on_and_queues_the_look_again_day(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser
) -> None:
    advice = await run(fake_discord, "advise", {"contract": "video-edit"})  # escrow: ask the client first
    await click(fake_discord, advice, "I asked the client")
    waiting = await run(fake_discord, "advise", {"contract": "video-edit"})  # asked: now wait
    assert waiting.embed["title"].startswith("Wait")
    revisit = (await bot.services.answers.advise(str(me.id), "video-edit")).data["revisit"]
    assert list(buttons(waiting)) == [f"Remind me on {revisit}", "Simulate alternatives"]
    assert not (await bot.services.context.store.get_settings(str(me.id))).reminders_enabled
    reminded = await click(fake_discord, waiting, f"Remind me on {revisit}")
    assert not reminded.is_error and reminded.ephemeral, reminded.embeds
    assert reminded.title.startswith(f"I will remind you on {revisit}")
    assert "Reminders were off; they are on now" in reminded.embed["description"]
    assert (await bot.services.context.store.get_settings(str(me.id))).reminders_enabled
    queued = await bot.services.reminders.reminders.for_user(str(me.id), ("pending",), limit=100)
    assert revisit in [r.due_on.isoformat() for r in queued if r.contract_id == "video-edit"]


async def test_a_mistyped_id_gets_did_you_mean(bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser) -> None:
    advice = await run(fake_discord, "advise", {"contract": "acme-sitee"})
    assert advice.is_error and advice.ephemeral and advice.title == "Not found"
    assert advice.embed["description"] == "You have no contract 'acme-sitee'. Did you mean acme-site?"
    shown = await run(fake_discord, "contract show", {"contract": "ghost-ap"})
    assert shown.embed["description"].endswith("Did you mean ghost-app?")
    # Only the caller's own ids are suggested: someone else's ledger is never hinted at.
    stranger = fake_discord.add_user("stranger")
    await bot.services.context.store.add_contract(str(stranger.id), SECRET)
    theirs = await run(fake_discord, "advise", {"contract": "acme-sitee"}, user=stranger)
    assert theirs.embed["description"] == "You have no contract 'acme-sitee'."
    mine = await run(fake_discord, "advise", {"contract": "b-secrett"})
    assert mine.embed["description"] == "You have no contract 'b-secrett'."


@pytest.mark.parametrize(
    ("verdict", "reason", "in_plan", "expected"),
    [
        ("ask_client", "stale_not_asked", True, ["asked", "message", "whatif", "plan"]),
        ("ask_client", "escrow_ask", False, ["asked", "message", "whatif"]),
        ("close_now", "self_close", True, ["plan", "whatif"]),
        ("close_now", "flagged_client", False, ["whatif"]),
        ("wait", "asked_recently", True, ["remind", "whatif", "plan"]),
        ("wait", "disputed", False, ["remind"]),
        ("wait", "ended_feedback_open", False, ["message"]),  # just ended: the goodbye letter
        ("keep_open", "already_ended", False, []),
        ("keep_open", "long_term_active", False, []),
    ],
)
def test_the_verdict_chooses_the_buttons(verdict: str, reason: str, in_plan: bool, expected: list[str]) -> None:
    from bot.discord_app.actions import advice_actions  # the module of this change: imported here, so the
    # Discord tests above fail on what they check (not on an import) without it

    assert advice_actions({"verdict": verdict, "reason": reason, "in_plan": in_plan}) == expected


async def test_escrow_contract_actions_never_advise_ending_it_yourself(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser
) -> None:
    """The advice on a funded fixed-price contract says "do not end it yourself" (the escrow would go back
    to the client); the answers of its buttons said "closing it yourself after 2 months idle" next to it."""
    advice = await run(fake_discord, "advise", {"contract": "video-edit"})
    assert "Do not end it yourself" in advice.embed["description"]
    for label in ("I asked the client", "Draft a message"):
        answer = await click(fake_discord, advice, label)
        assert "closing it yourself" not in answer.text(), (label, answer.text())
        assert "escrow" in answer.text(), label
    asked_elsewhere = await click(
        fake_discord, await run(fake_discord, "advise", {"contract": "ghost-app"}), "I asked the client"
    )
    assert "closing it yourself after 2 months idle" in asked_elsewhere.text()  # no escrow: the usual advice


def test_button_labels_are_rendered_once_per_process_yet_name_each_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """Labels are constant text (issue 13: a first /advise's cost in the bot's process): building an
    answer's buttons again renders no template, and "Remind me on <day>" still names the answer's day."""
    from bot.discord_app import actions

    rendered: list[str] = []
    real = actions.render_text

    def counting(template: str, **values: Any) -> str:
        rendered.append(str(values.get("key")))
        return real(template, **values)

    monkeypatch.setattr(actions, "render_text", counting)

    def labels(day: str) -> list[str]:
        view = discord.ui.View(timeout=None)
        data = {"contract": "c1", "verdict": "wait", "reason": "idle", "in_plan": True, "revisit": day}
        actions.fill_advice_view(view, 42, data)
        return [str(getattr(item, "item", item).label) for item in view.children]

    first = labels("2031-01-02")
    rendered.clear()
    assert labels("2031-01-02") == first
    assert rendered == []
    assert first == ["Remind me on 2031-01-02", "Simulate alternatives", "Closing plan"]
    assert labels("2031-01-03")[0] == "Remind me on 2031-01-03"
