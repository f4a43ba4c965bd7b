"""The Discord bot: minimal intents, one store, the shared services, cogs per concern, one error handler."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.background import QuietMoments
from bot.render import Answer, OutputFormat, render_answer
from bot.services import AdvisorService, ServiceError
from bot.services.advisor import utc_today
from bot.store import LedgerStore
from scoring.model import LedgerError

from .embeds import NO_MENTIONS, answer_embed, answer_files
from .heap import HeapKeeper
from .warming import AdviceWarmer

log = logging.getLogger("jss_advisor.discord")


def build_intents(message_content: bool = False) -> discord.Intents:
    """GUILDS only (slash commands, context menus, forum THREAD_CREATE); Message Content is opt-in.

    Message Content is privileged; it is needed only to read a forum post's body. Without it the bot
    answers from the post's title. Interactions carry their own data and need no intent.
    """
    intents = discord.Intents.none()
    intents.guilds = True
    if message_content:
        intents.guild_messages = True
        intents.message_content = True
    return intents


class AdvisorBot(commands.Bot):
    def __init__(
        self,
        db_path: Path | str,
        *,
        dev_guild_id: int | None = None,
        message_content: bool = False,
        today: Callable[[], date] = utc_today,
        sync_commands: bool = True,
        warm_advice: bool = True,
        keep_heap: bool = True,
        **options: object,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=build_intents(message_content),
            allowed_mentions=NO_MENTIONS,
            help_command=None,
            **options,  # type: ignore[arg-type]
        )
        self.db_path = Path(db_path)
        self.dev_guild_id = dev_guild_id
        self.message_content = message_content
        self.today = today
        self.sync_commands = sync_commands
        self._store: LedgerStore | None = None
        # Seconds a command may compute before it shows "thinking..." (see answer_quickly); 0 always defers.
        self.answer_budget = ANSWER_BUDGET_SECONDS
        self._service: AdvisorService | None = None
        self.warm_advice = warm_advice
        self.warmer: AdviceWarmer | None = None  # prepares active users' advice when idle (setup_hook)
        self.quiet = QuietMoments()  # when the last interaction arrived: background work waits for a pause
        self.keep_heap = keep_heap
        self.heap: HeapKeeper | None = None  # full garbage collections between bursts (setup_hook)
        self._sync_hooks: dict[str, list[Callable[..., None]]] = {}  # see add_hook
        self.add_hook("interaction", self._note_interaction)

    @property
    def store(self) -> LedgerStore:
        assert self._store is not None, "setup_hook has not run"
        return self._store

    @property
    def service(self) -> AdvisorService:
        assert self._service is not None, "setup_hook has not run"
        return self._service

    async def setup_hook(self) -> None:
        from .cogs.advice import AdviceCog
        from .cogs.ask import AskCog
        from .cogs.imports import ImportsCog
        from .cogs.ledger import LedgerCog
        from .cogs.reminders import ReminderCog

        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self._store = await LedgerStore.open(self.db_path)
        self._service = AdvisorService(self._store, OutputFormat.DISCORD, self.today)
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]
        if self.warm_advice:
            self.warmer = AdviceWarmer(self._service, self.quiet)
            self.warmer.start()
            # An active user is likely to ask /advise next.
            self.add_hook("app_command_completion", lambda interaction, _command: self._enqueue_warm(interaction))
        if self.keep_heap:
            self.heap = HeapKeeper(self.quiet)
            self.heap.start()
        # Build the question index now, off the event loop, so the first /ask does not stall the gateway.
        from bot.qa.retrieval import get_index

        await asyncio.to_thread(get_index)
        for cog in (LedgerCog(self), AdviceCog(self), AskCog(self), ReminderCog(self)):
            await self.add_cog(cog)
        await self.add_cog(ImportsCog(self))  # after LedgerCog: adds /ledger import-csv to its group
        if self.sync_commands:
            if self.dev_guild_id:
                guild = discord.Object(id=self.dev_guild_id)
                self.tree.copy_global_to(guild=guild)
                await self.tree.sync(guild=guild)
            else:
                await self.tree.sync()

    def add_hook(self, event_name: str, hook: Callable[..., None]) -> None:
        """Run `hook(*event args)` synchronously whenever `event_name` is dispatched, before listeners.

        Why not a listener: discord.py starts a task for every listener of every event, and a task per
        interaction costs as much as a small command's own work. Hooks are for bookkeeping that takes
        microseconds (note the time, wake a sleeping task); real work still belongs in a task."""
        self._sync_hooks.setdefault(event_name, []).append(hook)

    def remove_hook(self, event_name: str, hook: Callable[..., None]) -> None:
        hooks = self._sync_hooks.get(event_name, [])
        if hook in hooks:
            hooks.remove(hook)

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        for hook in self._sync_hooks.get(event_name, ()):
            try:
                hook(*args, **kwargs)
            except Exception:  # bookkeeping must never stop the event reaching the commands
                log.exception("hook %r for %s failed", hook, event_name)
        super().dispatch(event_name, *args, **kwargs)

    def _note_interaction(self, interaction: discord.Interaction) -> None:
        self.quiet.note()  # background work waits for a quiet moment
        if interaction.type is discord.InteractionType.autocomplete:
            # Picking one of their contracts: about to ask about it, in a second or two. Prepared between
            # keystrokes, even a user's very first /advise is then answered from memory.
            self._enqueue_warm(interaction)

    def _enqueue_warm(self, interaction: discord.Interaction) -> None:
        if self.warmer is not None:
            self.warmer.enqueue(str(interaction.user.id))

    async def close(self) -> None:
        try:
            if self.warmer is not None:
                await self.warmer.stop()
            if self.heap is not None:
                await self.heap.stop()
            await super().close()
        finally:
            if self._store is not None:
                await self._store.close()
                self._store = None

    async def on_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await self.report_error(interaction, error)

    async def report_error(self, interaction: discord.Interaction, error: Exception) -> None:
        """Every failure (commands, buttons, modals) becomes a clear ephemeral message; details go to the log."""
        original = getattr(error, "original", error)
        if isinstance(original, ServiceError):
            answer = original.answer
        elif isinstance(original, LedgerError):  # bad typed input (a date, an amount): the message names it
            answer = render_answer(
                "error", {"key": "bad_input", "message": str(original)}, OutputFormat.DISCORD, level="error"
            )
        elif isinstance(error, app_commands.CheckFailure):
            answer = render_answer(
                "error", {"key": "bad_input", "message": _check_message(error)}, OutputFormat.DISCORD, level="error"
            )
        else:
            log.error(
                "command %s failed for user %s",
                getattr(interaction.command, "qualified_name", "?"),
                interaction.user.id,
                exc_info=original,
            )
            answer = render_answer(
                "error",
                {"key": "internal", "message": "The error was logged. Please try again later; your data is unchanged."},
                OutputFormat.DISCORD,
                level="error",
            )
        try:
            await send_answer(interaction, answer, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not report an error to user %s", interaction.user.id, exc_info=True)


def _check_message(error: app_commands.AppCommandError) -> str:
    if isinstance(error, app_commands.MissingPermissions):
        return "You need the Manage Server permission for this."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works in a server only."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {error.retry_after:.0f} s."
    return "You cannot use this command here."


async def send_answer(
    interaction: discord.Interaction,
    answer: Answer,
    *,
    ephemeral: bool = True,
    view: discord.ui.View | None = None,
) -> None:
    """Reply or follow up, whichever the interaction's state allows; never mentions anyone."""
    embed, files = answer_embed(answer), answer_files(answer)
    if interaction.response.is_done():
        if view is None:
            await interaction.followup.send(embed=embed, files=files, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.followup.send(
                embed=embed, files=files, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, view=view
            )
    elif view is None:
        await interaction.response.send_message(
            embed=embed, files=files, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS
        )
    else:
        await interaction.response.send_message(
            embed=embed, files=files, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, view=view
        )


ANSWER_BUDGET_SECONDS = 1.0


async def answer_quickly(
    interaction: discord.Interaction,
    work: Awaitable[Answer] | Answer,
    *,
    ephemeral: bool = True,
    view: discord.ui.View | None = None,
    budget: float | None = None,
) -> None:
    """Reply in one step when the work is quick; show "thinking..." first only when it is not.

    Most answers take milliseconds, so deferring every time would cost a second REST round trip and a
    visible flicker; a slow one (a cold cache, a huge ledger) still acknowledges well inside Discord's
    3-second deadline. `work` may be the answer itself (one already in memory): no task is started then.
    While the work runs the bot counts as busy, so background work waits (see QuietMoments).
    """
    if isinstance(work, Answer):
        await send_answer(interaction, work, ephemeral=ephemeral, view=view)
        return
    if budget is None:
        budget = getattr(interaction.client, "answer_budget", ANSWER_BUDGET_SECONDS)
    quiet: QuietMoments | None = getattr(interaction.client, "quiet", None)
    with quiet.busy() if quiet is not None else contextlib.nullcontext():
        task = asyncio.ensure_future(work)
        await asyncio.sleep(0)  # let it start: an answer already in memory is done after its first step
        if task.done():
            answer = task.result()
        else:
            try:
                answer = await asyncio.wait_for(asyncio.shield(task), budget)
            except TimeoutError:
                await interaction.response.defer(ephemeral=ephemeral, thinking=True)
                answer = await task
        await send_answer(interaction, answer, ephemeral=ephemeral, view=view)
