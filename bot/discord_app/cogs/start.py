"""`/start`: the guided first run, from Upwork's two exports to an estimated score in one sitting.

Without files it says which two files to download and where (or, with questions left from an earlier
session, welcomes the user back and asks the next ones). With files attached it imports them, shows what
was found, then asks what the exports cannot know, a few contracts at a time: one menu per contract and
a row of buttons (Next, Skip the rest, Finish later), which is all Discord allows under one message. A
pick is saved at once; Next skips the contracts left unpicked and replaces the message with the next
batch; the last step shows the score. Progress is stored, so a user who leaves goes on with `/start`.
Everything is ephemeral and belongs to the user who opened it (`owned.OwnedView`).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import Answer
from bot.services.ledger import MAX_IMPORT_BYTES
from bot.services.onboarding import Batch, OnboardingService, Step, label

from ..context import CogHost, host_of
from ..embeds import NO_MENTIONS, answer_embed
from ..limits import heavy
from ..owned import OwnedView
from ..replies import defer_thinking, send_answer
from .common import download, user_key

VIEW_SECONDS = 1800  # a batch's menus answer for half an hour; `/start` picks up where they stopped


def _onboarding(interaction: discord.Interaction) -> OnboardingService:
    return host_of(interaction).services.onboarding


class BatchView(OwnedView):
    """The questions of one batch: a menu per contract (its status, stars if it ended), then the buttons."""

    def __init__(self, owner_id: int, batch: Batch) -> None:
        super().__init__(owner_id=owner_id, timeout=VIEW_SECONDS)
        self.contract_ids = [q.contract.id for q in batch.questions]
        for number, question in enumerate(batch.questions, 1):
            menu: discord.ui.Select[BatchView] = discord.ui.Select(
                custom_id=self.custom_id(f"start:pick{number}"),
                placeholder=label("placeholder", number=number, title=question.contract.title)[:150],
                options=[discord.SelectOption(label=text[:100], value=value) for value, text in batch.choices],
                row=number - 1,
            )
            menu.callback = self._picker(menu, question.contract.id)  # type: ignore[method-assign,assignment]
            self.add_item(menu)
        row = len(batch.questions)
        for key, style, callback in (
            ("next", discord.ButtonStyle.primary, self.on_next),
            ("skip_rest", discord.ButtonStyle.secondary, self.on_skip_rest),
            ("later", discord.ButtonStyle.secondary, self.on_later),
        ):
            button: discord.ui.Button[BatchView] = discord.ui.Button(
                label=label(key)[:80], style=style, custom_id=self.custom_id(f"start:{key}"), row=row
            )
            button.callback = callback  # type: ignore[method-assign]
            self.add_item(button)

    def _picker(
        self, menu: discord.ui.Select[BatchView], contract_id: str
    ) -> Callable[[discord.Interaction], Coroutine[Any, Any, None]]:
        async def on_pick(interaction: discord.Interaction) -> None:
            choice = menu.values[0]
            await _onboarding(interaction).choose(user_key(interaction), contract_id, choice)
            for option in menu.options:  # the menu keeps showing what was picked
                option.default = option.value == choice
            await interaction.response.edit_message(view=self)

        return on_pick

    async def on_next(self, interaction: discord.Interaction) -> None:
        self.stop()
        step = await _onboarding(interaction).next_batch(user_key(interaction), self.contract_ids)
        await replace_with(interaction, step)

    async def on_skip_rest(self, interaction: discord.Interaction) -> None:
        self.stop()
        await replace_with(interaction, await _onboarding(interaction).skip_rest(user_key(interaction)))

    async def on_later(self, interaction: discord.Interaction) -> None:
        self.stop()
        answer = await _onboarding(interaction).later(user_key(interaction))
        await interaction.response.edit_message(embed=answer_embed(answer), view=None)


def _view(interaction: discord.Interaction, step: Step) -> BatchView | None:
    return BatchView(interaction.user.id, step.batch) if step.batch is not None else None


async def show(interaction: discord.Interaction, step: Step) -> None:
    """Every answer of the step, privately; the batch's menus under the last one."""
    await _send_all(interaction, step.answers, _view(interaction, step))


async def _send_all(interaction: discord.Interaction, answers: Sequence[Answer], view: BatchView | None) -> None:
    for index, answer in enumerate(answers):
        await send_answer(interaction, answer, view=view if index == len(answers) - 1 else None)


async def replace_with(interaction: discord.Interaction, step: Step) -> None:
    """A button's step: the batch message becomes its first answer (the next questions, or the end of the
    run); the score after the end comes as a message of its own, since it may need pages."""
    first, *rest = step.answers
    view = _view(interaction, step)
    await interaction.response.edit_message(
        embed=answer_embed(first), view=view if not rest else None, allowed_mentions=NO_MENTIONS
    )
    await _send_all(interaction, rest, view)


class StartCog(commands.Cog):
    def __init__(self, bot: CogHost) -> None:
        self.bot = bot

    @app_commands.command(
        name="start", description="New here? Bring in your Upwork history: two files, a few questions"
    )
    @app_commands.describe(
        file="your Transaction History CSV from Upwork (or the Weekly Summary)",
        file2="your Weekly Summary CSV (or a second Transaction History)",
    )
    @heavy
    async def start(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment | None = None,
        file2: discord.Attachment | None = None,
    ) -> None:
        await defer_thinking(interaction)
        onboarding = self.bot.services.onboarding
        attachments = [a for a in (file, file2) if a is not None]
        if not attachments:
            await show(interaction, await onboarding.welcome(user_key(interaction)))
            return
        if sum(a.size for a in attachments) > MAX_IMPORT_BYTES:
            raise self.bot.services.error("bad_input", "uploads_too_large", limit_mb=MAX_IMPORT_BYTES // 1_000_000)
        files = [(a.filename, await download(interaction, a)) for a in attachments]
        await show(interaction, await onboarding.import_files(user_key(interaction), files))


async def setup(bot: CogHost) -> None:
    """The extension's entry point (AdvisorBot loads this module by name)."""
    await bot.add_cog(StartCog(bot))
