"""Score, advice (with buttons to simulate the alternatives), what-if, plan and Top Rated."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services import parse_date

from ..client import answer_quickly, send_answer
from .common import contract_autocomplete, user_key

if TYPE_CHECKING:
    from ..client import AdvisorBot


class AdviceView(discord.ui.View):
    """Buttons under an advice answer: re-run the engine for the alternatives, privately."""

    def __init__(self, bot: AdvisorBot, owner_id: int, contract_id: str) -> None:
        super().__init__(timeout=900)
        self.bot, self.owner_id, self.contract_id = bot, owner_id, contract_id
        simulate: discord.ui.Button[AdviceView] = discord.ui.Button(
            label="Simulate alternatives",
            style=discord.ButtonStyle.primary,
            custom_id=f"advise:whatif:{contract_id}"[:100],
        )
        plan: discord.ui.Button[AdviceView] = discord.ui.Button(
            label="Closing plan", style=discord.ButtonStyle.secondary, custom_id=f"advise:plan:{contract_id}"[:100]
        )
        simulate.callback = self.on_simulate  # type: ignore[method-assign]
        plan.callback = self.on_plan  # type: ignore[method-assign]
        self.add_item(simulate)
        self.add_item(plan)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner_id

    async def on_simulate(self, interaction: discord.Interaction) -> None:
        await answer_quickly(interaction, self.bot.service.what_if(user_key(interaction), self.contract_id))

    async def on_plan(self, interaction: discord.Interaction) -> None:
        await answer_quickly(interaction, self.bot.service.plan(user_key(interaction)))

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item) -> None:  # type: ignore[type-arg]
        await self.bot.report_error(interaction, error)


class AdviceCog(commands.Cog):
    def __init__(self, bot: AdvisorBot) -> None:
        self.bot = bot

    jss = app_commands.Group(name="jss", description="Your Job Success Score")

    @jss.command(name="show", description="Your estimated JSS, every window and its range, with a chart")
    async def jss_show(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        user = user_key(interaction)
        await send_answer(interaction, await self.bot.service.score(user))
        await send_answer(interaction, await self.bot.service.projection(user, plot=True))

    @jss.command(name="record", description="Record the JSS Upwork shows you, to explain later changes")
    @app_commands.describe(value="the JSS shown on Upwork", on="the day it was shown, YYYY-MM-DD (default today)")
    async def jss_record(self, interaction: discord.Interaction, value: app_commands.Range[int, 0, 100],
                         on: app_commands.Range[str, 10, 10] | None = None) -> None:  # fmt: skip
        day = parse_date(on, "on") if on else None
        await send_answer(interaction, await self.bot.service.record_score(user_key(interaction), value, day))

    @jss.command(name="why", description="Why did my score move? Cause by cause, between two recorded scores")
    async def jss_why(self, interaction: discord.Interaction) -> None:
        await answer_quickly(interaction, self.bot.service.explain_change(user_key(interaction)))

    @app_commands.command(name="advise", description="Should I close this contract?")
    @app_commands.describe(contract="one of your contracts")
    @app_commands.autocomplete(contract=contract_autocomplete)
    async def advise(self, interaction: discord.Interaction, contract: app_commands.Range[str, 1, 64]) -> None:
        await answer_quickly(
            interaction,
            self.bot.service.advise(user_key(interaction), contract),
            view=AdviceView(self.bot, interaction.user.id, contract),
        )

    @app_commands.command(name="whatif", description="Simulate closing, leaving open, refunding or waiting")
    @app_commands.describe(contract="one of your contracts")
    @app_commands.autocomplete(contract=contract_autocomplete)
    async def whatif(self, interaction: discord.Interaction, contract: app_commands.Range[str, 1, 64]) -> None:
        await answer_quickly(interaction, self.bot.service.what_if(user_key(interaction), contract))

    @app_commands.command(name="plan", description="A staggered schedule for closing your stale contracts")
    @app_commands.describe(spacing_days="days between two closings (default 14)")
    async def plan(self, interaction: discord.Interaction,
                   spacing_days: app_commands.Range[int, 1, 90] | None = None) -> None:  # fmt: skip
        await answer_quickly(interaction, self.bot.service.plan(user_key(interaction), spacing_days=spacing_days))

    @app_commands.command(name="toprated", description="Top Rated eligible weeks and when the badge can return")
    async def toprated(self, interaction: discord.Interaction) -> None:
        await answer_quickly(interaction, self.bot.service.top_rated(user_key(interaction)))
