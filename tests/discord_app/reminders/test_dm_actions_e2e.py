"""Reminders turn on in one step, and a DM's buttons take the step it asks for: "Asked the client" and "Closed
it" record it in the ledger (with an Undo that undoes it), next to the snoozes. Real bot, local Discord."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from scoring.model import Ledger
from tests.builders import make

from . import START, World
from .test_faults_e2e import idle_ledger


def labels(message: dict[str, Any]) -> list[str]:
    return [c["label"] for row in message.get("components") or [] for c in row["components"]]


def custom_ids(message: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message.get("components") or [] for c in row["components"]]


async def click(world: World, message: dict[str, Any], label: str) -> dict[str, Any]:
    """Click the button `label` on `message`; returns the message as the user then sees it."""
    [custom_id] = [cid for cid, name in zip(custom_ids(message), labels(message), strict=True) if name == label]
    handle = await world.server.send_component(custom_id, message=message)
    response = await handle.wait_for_response()
    assert response.type == 7, (response.type, response.data)  # the DM itself is updated
    return world.server.get_message(message["id"])


def asked_and_idle() -> Ledger:
    """Asked 100 days ago and idle 110: "close it yourself" fell due 50 days ago, while reminders were off."""
    today = START.date()
    last = today - timedelta(days=110)
    late = make(
        "late",
        client="Acme",
        kind="hourly",
        status="active",
        started=date(2025, 1, 1),
        last_activity=last,
        last_payment=last,
        earnings_usd="700",
        close_requests=[today - timedelta(days=100)],
    )
    return Ledger(contracts=(late,))


async def test_reminders_turn_on_in_one_step_with_the_settings_shown(world: World) -> None:
    user = world.server.default_user
    await world.import_ledger(idle_ledger())
    [listing] = await world.command("reminders list")
    assert "Turn them on with `/reminders settings enabled:True`." in listing["description"]  # no \` escapes
    [off] = await world.command("reminders settings", {"timezone": "Europe/Berlin"})
    assert "Reminders off" in off["description"]
    assert "Turn them on with `/reminders settings enabled:True`" in off["description"]  # how, in one step
    [saved] = await world.command("reminders settings", {"enabled": True})
    assert saved["title"] == "Reminder settings saved."
    assert saved["description"].startswith("Reminders on, time zone Europe/Berlin, quiet hours none")
    assert "sent at 09:00 on their day" in saved["description"]
    await world.clock.run_until(START + timedelta(minutes=1))  # no /settings command: the DM comes
    assert [s.contract for s in world.sender.log] == ["old"] and len(world.dms(user)) == 1


async def test_asked_the_client_on_a_dm_records_it_and_undo_removes_it(world: World) -> None:
    user = world.server.default_user
    store = world.bot.services.context.store
    await world.import_ledger(idle_ledger())
    await world.command("reminders settings", {"enabled": True, "timezone": "UTC"})
    await world.clock.run_until(START + timedelta(minutes=1))
    [dm] = world.dms(user)
    assert dm["embeds"][0]["title"].startswith("Ask the client to close it")
    assert labels(dm) == ["Asked the client", "Remind me in 7 days", "Pick a day…"]
    assert "`/contract asked-client`" in dm["embeds"][0]["description"]  # a code span, not \`literal\` backticks

    recorded = await click(world, dm, "Asked the client")
    # what was recorded stands out in bold above the reminder's text
    assert recorded["content"].startswith("**Recorded: you asked the client to close Job old (old)**\n")
    assert recorded["embeds"] == dm["embeds"]  # the reminder keeps its text
    assert custom_ids(recorded) == [f"advise:unask:u{user.id}:{START.date():%Y%m%d}:old"]
    contract = await store.get_contract(str(user.id), "old")
    assert contract is not None and contract.close_requests == (START.date(),)

    handle = await world.server.send_component(custom_ids(recorded)[0], message=recorded)
    undone = await handle.wait_for_response()
    assert undone.type == 4 and undone.ephemeral and undone.embeds[0]["title"].startswith("Undone")
    contract = await store.get_contract(str(user.id), "old")
    assert contract is not None and contract.close_requests == ()


async def test_closed_it_on_a_dm_ends_the_contract_and_undo_reopens_it(world: World) -> None:
    user = world.server.default_user
    store = world.bot.services.context.store
    await world.import_ledger(asked_and_idle())
    await world.command("reminders settings", {"enabled": True, "timezone": "UTC"})
    await world.clock.run_until(START + timedelta(minutes=1))
    [dm] = world.dms(user)
    embed = dm["embeds"][0]
    assert embed["title"].startswith("Close it yourself now: Job late (late)")
    assert "idle 110 days" in embed["description"]  # as of the day it is sent, not the 60 of its due day
    assert labels(dm) == ["Closed it", "Remind me in 7 days", "Pick a day…"]

    recorded = await click(world, dm, "Closed it")
    assert recorded["content"].startswith(f"**Recorded: Job late (late) ended on {START.date().isoformat()}")
    assert "Feedback is not known yet" in recorded["content"]
    contract = await store.get_contract(str(user.id), "late")
    assert contract is not None and (contract.status.value, contract.ended) == ("ended", START.date())
    assert contract.public_stars is None and contract.private_rating is None  # unknown until the client leaves it
    assert custom_ids(recorded) == [f"advise:reopen:u{user.id}:active:late"]

    handle = await world.server.send_component(custom_ids(recorded)[0], message=recorded)
    undone = await handle.wait_for_response()
    assert undone.type == 4 and undone.embeds[0]["title"].startswith("Undone: Job late (late) is open again")
    contract = await store.get_contract(str(user.id), "late")
    assert contract is not None and (contract.status.value, contract.ended) == ("active", None)


async def test_a_dm_button_acts_only_on_the_users_own_reminder(world: World) -> None:
    user = world.server.default_user
    await world.import_ledger(idle_ledger())
    await world.command("reminders settings", {"enabled": True, "timezone": "UTC"})
    await world.clock.run_until(START + timedelta(minutes=1))
    [dm] = world.dms(user)
    stranger = world.server.add_user("stranger")
    await world.import_ledger(idle_ledger(), user=stranger)  # the same contract ids, their own ledger
    handle = await world.server.send_component(custom_ids(dm)[0], message=dm, user=stranger)
    refused = await handle.wait_for_response()
    assert refused.embeds[0]["title"] == "Not found"
    theirs = await world.bot.services.context.store.get_contract(str(stranger.id), "old")
    assert theirs is not None and theirs.close_requests == ()
