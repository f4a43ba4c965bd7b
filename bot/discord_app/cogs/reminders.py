"""DM reminders in Discord: `/reminders list|kinds|snooze|settings|resume`, the DM snooze buttons, the
"your DMs are closed" notice, and the scheduler's lifetime (started when the cog loads, stopped when
the bot closes and removes its cogs).

Why the notice is a follow-up sent after a command completes: it reaches the user in the reply to the
next command they run, whichever cog handles it, without touching every command.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.reminders.kinds import SNOOZE_DAYS
from bot.render.text import render_text
from bot.services import ServiceError
from bot.services.reminders import MAX_SNOOZE_DAYS
from bot.services.reminders.scheduler import ReminderScheduler, SchedulerConfig

from ..actions import undo_view
from ..context import CogHost
from ..dm_sender import COG_NAME, DiscordSender, SnoozeButton, button_label
from ..embeds import NO_MENTIONS, answer_embed
from ..owned import OwnedModal
from ..replies import report_error, send_answer
from .common import user_key

log = logging.getLogger("jss_advisor.discord.reminders")

KindChoice = Literal["all", "ask_client", "self_close", "planned_close", "feedback", "dormancy", "top_rated"]
UNLOAD_GRACE_SECONDS = 10.0  # how long shutting down waits for DMs-closed notices still being sent
MODAL_WAKE_DELAY = 1.0  # seconds: a form submission has saved its change by then
_REPLIED = (discord.InteractionResponseType.channel_message, discord.InteractionResponseType.deferred_channel_message)


@dataclass
class ReminderSetup:
    """How the bot runs reminders. Tests set `bot.reminder_setup` before starting the bot (a fast DM rate,
    no scheduler); production uses the defaults. The clock is the bot's own (`AdvisorBot(clock=...)`)."""

    config: SchedulerConfig = field(default_factory=SchedulerConfig)
    run_scheduler: bool = True


class SnoozeModal(OwnedModal):
    """'Pick a day…': snooze for a number of days the user types (only the user who clicked can submit)."""

    def __init__(self, cog: ReminderCog, owner_id: int, reminder_id: int, delivery: int) -> None:
        super().__init__(
            owner_id=owner_id,
            kind="jss:rem-pick",
            title=button_label("pick_title"),
            timeout=600,
            subject=f"{reminder_id}:{delivery}",
        )
        self.cog, self.reminder_id, self.delivery = cog, reminder_id, delivery
        label = render_text("buttons.txt.j2", key="pick_days", most=MAX_SNOOZE_DAYS)
        self.days: discord.ui.TextInput[SnoozeModal] = discord.ui.TextInput(
            custom_id="days", label=label, default=str(SNOOZE_DAYS), max_length=2
        )
        self.add_item(self.days)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        text = str(self.days.value).strip()
        if not text.isdigit():
            raise self.cog.service.error("bad_input", "snooze_days", most=MAX_SNOOZE_DAYS)
        await self.cog.snoozed(interaction, self.reminder_id, int(text), self.delivery)


class ReminderCog(commands.Cog, name=COG_NAME):
    group = app_commands.Group(name="reminders", description="Your DM reminders")

    def __init__(self, bot: CogHost) -> None:
        self.bot = bot
        self._seen_generation = -1
        setup: ReminderSetup = getattr(bot, "reminder_setup", None) or ReminderSetup()
        self.service = bot.services.reminders
        self.scheduler = ReminderScheduler(
            self.service.reminders,
            DiscordSender(bot),
            self.service.render,
            clock=bot.services.context.clock,
            config=setup.config,
            params=bot.services.context.params,
        )
        self._run_scheduler = setup.run_scheduler
        self._in_flight: set[asyncio.Task[object]] = set()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(SnoozeButton)
        if self._run_scheduler:
            self.scheduler.start()

    async def cog_unload(self) -> None:
        await self.scheduler.stop()
        if self._in_flight:  # notices after the last commands: bounded, they only wait on the store and one send
            await asyncio.wait(set(self._in_flight), timeout=UNLOAD_GRACE_SECONDS)
        self.bot.remove_dynamic_items(SnoozeButton)

    # ------------------------------------------------------------------ commands

    @group.command(name="list", description="Your upcoming and recently sent reminders, kinds and settings")
    async def list_(self, interaction: discord.Interaction) -> None:
        await send_answer(interaction, await self.service.overview(user_key(interaction)))

    @group.command(name="kinds", description="Choose which reminders you get (no options: show them)")
    @app_commands.describe(kind="which kind ('all' for every kind)", enabled="on or off")
    async def kinds(
        self, interaction: discord.Interaction, kind: KindChoice | None = None, enabled: bool | None = None
    ) -> None:
        if (kind is None) != (enabled is None):
            raise self.service.error("bad_input", "kind_and_enabled")
        chosen = [kind] if kind is not None else []
        on, off = (chosen, []) if enabled else ([], chosen)
        await send_answer(interaction, await self.service.kinds(user_key(interaction), on, off))

    @group.command(name="snooze", description="Remind me again about a reminder later")
    @app_commands.describe(reminder="the reminder (#id from /reminders list)", days="in how many days (default 7)")
    async def snooze(
        self,
        interaction: discord.Interaction,
        reminder: app_commands.Range[int, 1, 2**53 - 1],
        days: app_commands.Range[int, 1, MAX_SNOOZE_DAYS] = SNOOZE_DAYS,
    ) -> None:
        await send_answer(interaction, await self.service.snooze(user_key(interaction), reminder, days))
        self.scheduler.wake()

    @snooze.autocomplete("reminder")
    async def _reminder_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
        choices = await self.service.choices(user_key(interaction), current)
        return [app_commands.Choice(name=label, value=rid) for rid, label in choices]

    @group.command(
        name="settings", description="Turn reminders on or off; quiet hours, send time, idle days, time zone"
    )
    @app_commands.describe(
        enabled="reminders on (True) or off (False); the answer shows every setting",
        quiet="quiet hours in your time zone, e.g. 22:00-07:00, or 'off'",
        idle_days="days without activity before 'ask the client' (default 30)",
        timezone="IANA name, e.g. Europe/Berlin",
        send_at="local time reminders go out on their day, e.g. 18:30 (default 09:00)",
    )
    async def settings(
        self,
        interaction: discord.Interaction,
        enabled: bool | None = None,
        quiet: app_commands.Range[str, 1, 11] | None = None,
        idle_days: app_commands.Range[int, 1, 365] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
        send_at: app_commands.Range[str, 3, 5] | None = None,
    ) -> None:
        answer = await self.service.update(
            user_key(interaction),
            enabled=enabled,
            quiet=quiet,
            idle_days=idle_days,
            timezone=timezone,
            send_at=send_at,
        )
        await send_answer(interaction, answer)

    @group.command(name="resume", description="I reopened my DMs: send my held reminders")
    async def resume(self, interaction: discord.Interaction) -> None:
        await send_answer(interaction, await self.service.resume(user_key(interaction)))

    # ------------------------------------------------------------------ DM buttons

    async def on_reminder_click(
        self, interaction: discord.Interaction, reminder_id: int, delivery: int, action: str
    ) -> None:
        """A button on a reminder DM (see bot.discord_app.dm_sender.SnoozeButton)."""
        try:
            if action in ("asked", "closed"):
                await self.took_step(interaction, reminder_id, action)
                return
            if action == "pick":
                await interaction.response.send_modal(SnoozeModal(self, interaction.user.id, reminder_id, delivery))
                return
            await self.snoozed(interaction, reminder_id, SNOOZE_DAYS, delivery)
        except Exception as exc:  # noqa: BLE001 - report every failure to the user, like commands do
            await report_error(interaction, exc)

    async def snoozed(self, interaction: discord.Interaction, reminder_id: int, days: int, delivery: int) -> None:
        answer = await self.service.snooze(user_key(interaction), reminder_id, days, delivery)
        self.scheduler.wake()
        if interaction.message is not None and not answer.data.get("already"):
            # The DM keeps its text; its buttons go, replaced by when it comes back.
            await interaction.response.edit_message(
                content=f"{answer.title} {answer.description}", view=None, allowed_mentions=NO_MENTIONS
            )
        else:
            await send_answer(interaction, answer)

    async def took_step(self, interaction: discord.Interaction, reminder_id: int, action: str) -> None:
        """'Asked the client' or 'Closed it' on a DM: recorded in the ledger like the commands do; the DM
        keeps its text, its buttons give way to what was recorded and an Undo."""
        user = user_key(interaction)
        contract = await self.service.contract_of(user, reminder_id)
        ledger = self.bot.services.ledger
        if action == "asked":
            answer = await ledger.record_asked(user, contract)
        else:
            answer = await ledger.record_closed(user, contract)
        self.scheduler.wake()  # the ledger changed: the next reminders are derived again
        undo = undo_view(interaction.user.id, answer.data)
        if interaction.message is not None:
            await interaction.response.edit_message(
                # What was recorded in bold, then what it means (< 1,000 characters: names are <= 200 each)
                content=f"**{answer.title}**\n{answer.description}",
                view=undo or discord.ui.View(),
                allowed_mentions=NO_MENTIONS,
            )
        else:
            await send_answer(interaction, answer, view=undo)

    # ------------------------------------------------------------------ listeners

    @commands.Cog.listener()
    async def on_app_command_completion(self, interaction: discord.Interaction, command: object) -> None:
        """A command that changed a ledger: look now. Then tell a user whose DMs were found closed.

        Read-only commands (most of them) leave the store's generation unchanged and do not wake the
        scheduler, so a burst of questions does not become a burst of scans."""
        if self.bot.services.ledger_generation != self._seen_generation:
            self._seen_generation = self.bot.services.ledger_generation
            self.scheduler.wake()
        if interaction.response.type not in _REPLIED:
            return  # a form was opened instead: tell them with the next reply
        task = asyncio.current_task()
        if task is not None:  # cog_unload waits for it, so the store is not closed under a late notice
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        await self.tell_dm_closed(interaction)

    @commands.Cog.listener()
    async def on_form_submitted(self, interaction: discord.Interaction) -> None:
        """A form (add, edit, details, snooze) was submitted by its owner: look again once it has saved.

        Dispatched by the forms themselves (owned.OwnedModal), not an `on_interaction` listener: that one
        was a task on the event loop for every interaction of every user, to act on a few of them."""
        asyncio.get_running_loop().call_later(MODAL_WAKE_DELAY, self.scheduler.wake)

    async def tell_dm_closed(self, interaction: discord.Interaction) -> None:
        """A private follow-up under the command's reply, once per DMs-closed episode."""
        user = user_key(interaction)
        try:
            notice = await self.service.pending_notice(user)
            if notice is None:
                return
            await interaction.followup.send(embed=answer_embed(notice), ephemeral=True, allowed_mentions=NO_MENTIONS)
            await self.service.notice_shown(user)
        except (discord.HTTPException, ServiceError):
            log.warning("could not tell user %s that their DMs are closed", user, exc_info=True)


async def setup(bot: CogHost) -> None:
    """The extension's entry point (AdvisorBot loads this module by name)."""
    await bot.add_cog(ReminderCog(bot))
