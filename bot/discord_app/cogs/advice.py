"""Score, advice (with buttons to simulate the alternatives), what-if, plan and Top Rated."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.services import parse_date

from ..context import CogHost, host_of
from ..limits import check_heavy, heavy
from ..owned import refuse_stranger
from ..replies import answer_quickly, defer_thinking, report_error, send_answer
from .common import contract_autocomplete, user_key

# Any contract id a user can type, newlines included (hence (?s:.)): a button that cannot be built would
# turn a valid question into an internal error. The owner (u<user id>) is the user the answer was for;
# buttons sent before it was added have none and read the clicker's own ledger.
ADVICE_BUTTON_ID = r"advise:(?P<action>whatif|plan):(?:u(?P<owner>[0-9]{1,20}):)?(?P<contract>(?s:.){1,64})"
ADVICE_BUTTONS = {
    "whatif": ("Simulate alternatives", discord.ButtonStyle.primary),
    "plan": ("Closing plan", discord.ButtonStyle.secondary),
}


class AdviceButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=ADVICE_BUTTON_ID):
    """A button under an advice answer: re-run the engine for the alternatives, privately.

    Why a DynamicItem: the contract and the owner live in the custom_id, so a click works after a restart
    or hours later, and the bot keeps no view (with its 15-minute timer) in memory for every answer it
    sent. A click by anyone but the owner is refused; the answer reads the owner's own ledger.
    """

    def __init__(self, action: str, owner_id: int | None, contract_id: str) -> None:
        label, style = ADVICE_BUTTONS[action]
        owner = f"u{owner_id}:" if owner_id is not None else ""
        custom_id = f"advise:{action}:{owner}{contract_id}"[:100]
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id))
        self.action, self.owner_id, self.contract_id = action, owner_id, contract_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AdviceButton:
        return cls(match["action"], int(match["owner"]) if match["owner"] else None, match["contract"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = host_of(interaction)
        if self.owner_id is not None and interaction.user.id != self.owner_id:
            await refuse_stranger(interaction, self.owner_id)
            return
        try:
            check_heavy(interaction)
            if self.action == "whatif":
                await answer_quickly(interaction, bot.services.answers.what_if(user_key(interaction), self.contract_id))
            else:
                await answer_quickly(interaction, bot.services.answers.plan(user_key(interaction)))
        except Exception as exc:  # the one error path: a clear, private message; details to the log
            await report_error(interaction, exc)


def advice_buttons(owner_id: int, contract_id: str) -> discord.ui.View:
    """The components to send under an advice answer. The view is stopped at once: it only carries the
    buttons, whose clicks the registered AdviceButton handles, so discord.py need not track it."""
    view = discord.ui.View(timeout=None)
    for action in ADVICE_BUTTONS:
        view.add_item(AdviceButton(action, owner_id, contract_id))
    view.stop()
    return view


class AdviceCog(commands.Cog):
    def __init__(self, bot: CogHost) -> None:
        self.bot = bot
        bot.add_dynamic_items(AdviceButton)

    jss = app_commands.Group(name="jss", description="Your Job Success Score")

    @jss.command(name="show", description="Your estimated JSS, every window and its range, with a chart")
    @heavy
    async def jss_show(self, interaction: discord.Interaction) -> None:
        await defer_thinking(interaction)
        user = user_key(interaction)
        await send_answer(interaction, await self.bot.services.answers.score(user))
        await send_answer(interaction, await self.bot.services.answers.projection(user, plot=True))

    @jss.command(name="record", description="Record the JSS Upwork shows you, to explain later changes")
    @app_commands.describe(value="the JSS shown on Upwork", on="the day it was shown, YYYY-MM-DD (default today)")
    async def jss_record(
        self,
        interaction: discord.Interaction,
        value: app_commands.Range[int, 0, 100],
        on: app_commands.Range[str, 10, 10] | None = None,
    ) -> None:
        day = parse_date(on, "on") if on else None
        await send_answer(interaction, await self.bot.services.history.record_score(user_key(interaction), value, day))

    @jss.command(name="why", description="Why did my score move? Cause by cause, between two recorded scores")
    @heavy
    async def jss_why(self, interaction: discord.Interaction) -> None:
        await answer_quickly(interaction, self.bot.services.history.explain_change(user_key(interaction)))

    @app_commands.command(name="advise", description="Should I close this contract?")
    @app_commands.describe(contract="one of your contracts")
    @app_commands.autocomplete(contract=contract_autocomplete)
    @heavy
    async def advise(self, interaction: discord.Interaction, contract: app_commands.Range[str, 1, 64]) -> None:
        buttons = advice_buttons(interaction.user.id, contract)
        await answer_quickly(
            interaction, self.bot.services.answers.advise(user_key(interaction), contract), view=buttons
        )

    @app_commands.command(name="whatif", description="Simulate closing, leaving open, refunding or waiting")
    @app_commands.describe(contract="one of your contracts")
    @app_commands.autocomplete(contract=contract_autocomplete)
    @heavy
    async def whatif(self, interaction: discord.Interaction, contract: app_commands.Range[str, 1, 64]) -> None:
        await answer_quickly(interaction, self.bot.services.answers.what_if(user_key(interaction), contract))

    @app_commands.command(name="plan", description="A staggered schedule for closing your stale contracts")
    @app_commands.describe(spacing_days="days between two closings (default 14)")
    @heavy
    async def plan(
        self, interaction: discord.Interaction, spacing_days: app_commands.Range[int, 1, 90] | None = None
    ) -> None:
        await answer_quickly(
            interaction, self.bot.services.answers.plan(user_key(interaction), spacing_days=spacing_days)
        )

    @app_commands.command(name="toprated", description="Top Rated eligible weeks and when the badge can return")
    @heavy
    async def toprated(self, interaction: discord.Interaction) -> None:
        await answer_quickly(interaction, self.bot.services.answers.top_rated(user_key(interaction)))


async def setup(bot: CogHost) -> None:
    """The extension's entry point (AdvisorBot loads this module by name)."""
    await bot.add_cog(AdviceCog(bot))
