"""`/start` end to end against the local Discord: a new user from nothing to a score, resuming, skipping."""

from __future__ import annotations

from typing import Any

from bot.discord_app.client import AdvisorBot
from scoring.model import ContractStatus
from tests.fakediscord import EPHEMERAL, FakeAttachment, FakeDiscord
from tests.samples import UPWORK

from . import component_id, component_ids, embeds_of

FILES = {"file": "transactions.csv", "file2": "weekly.csv"}  # 5 contracts: 4, then 1 to ask about


def attachments() -> dict[str, FakeAttachment]:
    return {k: FakeAttachment(name, (UPWORK / name).read_bytes(), "text/csv") for k, name in FILES.items()}


async def start(server: FakeDiscord, answers: int, **options: Any) -> list[dict[str, Any]]:
    """Run `/start`; returns the messages the user sees once `answers` answers have arrived."""
    handle = await server.send_slash_command("start", options)
    response = await handle.wait_for_response()
    assert response.type == 5 and response.flags & EPHEMERAL  # "thinking...", privately
    await handle.wait_for_followups(answers)
    messages = handle.visible_messages()
    assert all(m["flags"] & EPHEMERAL for m in messages)
    return messages


def batch_of(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The message carrying the question menus."""
    [message] = [m for m in messages if any(c.startswith("start:pick1:") for c in component_ids(m))]
    return message


def menus(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for row in message["components"] for c in row["components"] if c["type"] == 3]


async def pick(server: FakeDiscord, message: dict[str, Any], number: int, value: str, **kw: Any) -> Any:
    handle = await server.send_component(
        component_id(message, f"start:pick{number}:"), message=message, values=[value], **kw
    )
    return await handle.wait_for_response()


async def click(server: FakeDiscord, message: dict[str, Any], key: str, **kw: Any) -> Any:
    handle = await server.send_component(component_id(message, f"start:{key}:"), message=message, **kw)
    await handle.wait_for_response()
    return handle


async def test_a_new_user_gets_from_nothing_to_a_score_in_one_sitting(
    bot: AdvisorBot, fake_discord: FakeDiscord
) -> None:
    user = str(fake_discord.default_user.id)
    store = bot.services.context.store
    # The first command of a user with an empty ledger points to /start.
    handle = await fake_discord.send_slash_command("jss show")
    if (await handle.wait_for_response()).type == 5:  # "thinking...", then the answer
        await handle.wait_for_followups(1)
    [refused] = embeds_of(handle.visible_messages())
    assert refused["title"] == "No contracts yet" and "`/start`" in refused["description"]

    [welcome] = embeds_of(await start(fake_discord, 1))
    assert welcome["title"] == "Your Upwork history in five minutes"
    lines = [line for line in welcome["description"].splitlines() if line[:2] in ("1.", "2.")]
    assert len(lines) == 2 and "Transaction History" in lines[0] and "Weekly Summary" in lines[1]

    messages = await start(fake_discord, 2, **attachments())
    summary, questions = embeds_of(messages)
    assert summary["title"] == "CSV import: 5 added, 0 updated, 0 unchanged"
    assert "The questions follow" in str(summary) and "menu below" not in str(summary)
    assert questions["title"] == "Contracts 1 to 4 of 5: what happened?"
    message = batch_of(messages)
    shown = menus(message)
    assert len(shown) == 4 and len(message["components"]) == 5  # Discord's limit: 4 menus and the buttons
    assert shown[0]["placeholder"] == "1. Shopify store speed fixes"
    assert {"open", "asked", "ended:5", "ended:none", "paused"} <= {o["value"] for o in shown[0]["options"]}

    for number, value in ((1, "ended:5"), (2, "ended:4.8"), (3, "asked")):  # the 4th is left unanswered
        update = await pick(fake_discord, message, number, value)
        assert update.type == 7  # the same message, the pick kept as the menu's default
        message = fake_discord.get_message(message["id"])
    [chosen] = [o for o in menus(message)[0]["options"] if o.get("default")]
    assert chosen["value"] == "ended:5"

    following = await click(fake_discord, message, "next")
    assert following.response.type == 7
    message = fake_discord.get_message(message["id"])
    assert message["embeds"][0]["title"] == "Contracts 5 to 5 of 5: what happened?" and len(menus(message)) == 1
    await pick(fake_discord, fake_discord.get_message(message["id"]), 1, "ended:5")

    last = await click(fake_discord, fake_discord.get_message(message["id"]), "next")
    message = fake_discord.get_message(message["id"])
    assert message["embeds"][0]["title"] == "Done: 4 contracts answered, 1 skipped" and not message["components"]
    [score] = embeds_of(await last.wait_for_followups(1))
    assert score["title"].startswith("Estimated JSS: ")  # three jobs ended with feedback, with three clients

    contracts = {c.title: c for c in await store.list_contracts(user)}
    shop, blue = contracts["Shopify store speed fixes"], contracts["Hourly work for Blue Fern Labs"]
    assert (shop.status, shop.public_stars, shop.ended) == (ContractStatus.ENDED, 5.0, shop.last_activity)
    assert (blue.status, blue.public_stars) == (ContractStatus.ENDED, 4.8)
    landing = contracts["Landing page copy"]
    assert landing.is_open and len(landing.close_requests) == 1
    logo = contracts["Logo refresh, brand kit"]
    assert logo.is_open and logo.public_stars is None  # skipped: left as imported


async def test_leaving_midway_and_coming_back(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    message = batch_of(await start(fake_discord, 2, **attachments()))
    await pick(fake_discord, message, 1, "open")
    await click(fake_discord, fake_discord.get_message(message["id"]), "later")
    left = fake_discord.get_message(message["id"])
    assert left["embeds"][0]["title"] == "Saved for later" and not left["components"]

    messages = await start(fake_discord, 2)  # days later: /start without files
    back, questions = embeds_of(messages)
    assert back["title"] == "Welcome back: 4 contracts still to go"
    assert questions["title"] == "Contracts 2 to 5 of 5: what happened?"
    assert menus(batch_of(messages))[0]["placeholder"] == "1. Hourly work for Blue Fern Labs"


async def test_skipping_the_rest_shows_the_score(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    message = batch_of(await start(fake_discord, 2, **attachments()))
    skipped = await click(fake_discord, message, "skip_rest")
    done = fake_discord.get_message(message["id"])
    assert done["embeds"][0]["title"] == "Done: 0 contracts answered, 5 skipped"
    [score] = embeds_of(await skipped.wait_for_followups(1))
    assert score["title"] == "No Job Success Score yet"
    again = embeds_of(await start(fake_discord, 1))  # nothing left to ask: the welcome again
    assert again[0]["title"] == "Your Upwork history in five minutes"


async def test_a_stranger_cannot_answer_for_the_user(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    message = batch_of(await start(fake_discord, 2, **attachments()))
    stranger = fake_discord.add_user("stranger")
    refused = await pick(fake_discord, message, 1, "ended:1", user=stranger)
    assert refused.type == 4 and refused.ephemeral and refused.embeds[0]["title"] == "Not yours"
    handle = await click(fake_discord, message, "skip_rest", user=stranger)
    assert handle.response.embeds[0]["title"] == "Not yours"
    stored = await bot.services.context.store.list_contracts(str(fake_discord.default_user.id))
    assert all(c.is_open and c.public_stars is None for c in stored)
    assert (await bot.services.onboarding.counts(str(fake_discord.default_user.id))).pending == 5
