"""Score, advice (with the buttons its verdict calls for: see ../actions.py), what-if, plan and Top Rated."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import Answer
from bot.services import parse_date

from ..actions import AdviceButton, fill_advice_view
from ..context import CogHost
from ..limits import heavy
from ..replies import answer_quickly, defer_thinking, send_answer
from .common import contract_autocomplete, user_key


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
        buttons = discord.ui.View(timeout=None)  # filled once the verdict is known, sent with the answer

        async def advice() -> Answer:
            answer = await self.bot.services.answers.advise(user_key(interaction), contract)
            fill_advice_view(buttons, interaction.user.id, answer.data)
            return answer

        await answer_quickly(interaction, advice(), view=buttons)

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
