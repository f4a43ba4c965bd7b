"""A reminder DM with its snooze buttons, and both ways to snooze it, as SimCord's Discord sees them.

The scheduler loop does not run under SimCord (see conftest.py); each test drives one tick of it, which
plans the opted-in user's reminders and sends the due ones through the bot's real DM sender
(`create_dm`, then a channel message with the buttons).
"""

from __future__ import annotations

import discord

from . import SIMCORD_OPTIONS
from .conftest import Server

pytestmark = SIMCORD_OPTIONS

SNOOZE_7 = "Remind me in 7 days"
PICK = "Pick a day…"


async def opt_in_and_send(server: Server) -> discord.Message:
    """Alice turns reminders on; one tick sends the overdue one. Returns the DM as she sees it."""
    saved = await server.alice.slash(server.channel, "reminders settings", timezone="UTC")
    assert saved.response is not None and saved.response.embeds[0].title == "Reminder settings saved."
    await server.alice.slash(server.channel, "settings", reminders=True)
    scheduler = server.reminders.scheduler
    await scheduler.track_opted_in()
    report = await scheduler.tick()
    assert report.sent == 1, report
    [dm] = server.alice_user.dm_channel.history()
    return dm


async def test_reminder_dm_has_its_snooze_buttons(server: Server) -> None:
    dm = await opt_in_and_send(server)
    assert dm.author.id == server.bot.user.id  # type: ignore[union-attr]
    assert dm.guild is None and not dm.flags.ephemeral  # a plain DM: ephemeral exists only for interactions
    [embed] = dm.embeds
    assert embed.footer.text is not None and embed.footer.text.startswith("Reminder #")
    buttons = [child for row in dm.components for child in getattr(row, "children", ())]
    # "Ask the client to close it": the step it asks for, then the snoozes
    assert [b.label for b in buttons] == ["Asked the client", SNOOZE_7, PICK]  # type: ignore[attr-defined]


async def test_snooze_click_updates_the_dm_in_place(server: Server) -> None:
    """UPDATE_MESSAGE on the DM: the reminder keeps its embed, says when it comes back, loses its buttons."""
    dm = await opt_in_and_send(server)
    click = await server.alice_user.click(dm, label=SNOOZE_7)
    assert click.acknowledged and click.followups == []
    assert click.response is not None and click.response.id == dm.id  # the DM itself, edited
    [updated] = server.alice_user.dm_channel.history()
    assert updated.content.startswith("Snoozed.") and "2026-01-12" in updated.content
    assert [e.title for e in updated.embeds] == [e.title for e in dm.embeds]
    assert updated.components == []
    overview = await server.alice.slash(server.channel, "reminders list")
    assert overview.response is not None and overview.response.ephemeral


async def test_pick_a_day_form_snoozes_and_updates_the_dm(server: Server) -> None:
    dm = await opt_in_and_send(server)
    shown = await server.alice_user.click(dm, label=PICK)
    assert shown.modal is not None and shown.modal["title"] == "Remind me again"
    submitted = await server.alice_user.submit_modal(shown, {"days": "3"})
    assert submitted.acknowledged and submitted.followups == []
    [updated] = server.alice_user.dm_channel.history()
    assert "2026-01-08 09:00" in updated.content and updated.components == []
