"""The Discord bot: minimal intents, the shared services over one database, cogs per concern, one error handler."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.clock import Clock, SystemClock
from bot.render import OutputFormat
from bot.services import Services, open_services
from bot.services.workers import ProcessPoolRunner
from bot.store import is_url

from .context import CogHost
from .embeds import NO_MENTIONS
from .limits import HeavyLimit, HeavyLimiter
from .replies import ANSWER_BUDGET_SECONDS, LARGE_LEDGER_CONTRACTS, report_error
from .undelivered import UndeliveredNotices

# The cogs, loaded by name as extensions (each module has `async def setup(bot)`), in this order:
# imports adds `/ledger import-csv` to the ledger cog's group, so it comes after ledger.
EXTENSIONS = (
    "bot.discord_app.cogs.ledger",
    "bot.discord_app.cogs.advice",
    "bot.discord_app.cogs.ask",
    "bot.discord_app.cogs.reminders",
    "bot.discord_app.cogs.imports",
    "bot.discord_app.cogs.start",
)


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
    """The cogs reach it through `context.CogHost` only, so they never import this module."""

    def __init__(
        self,
        db_path: Path | str,
        *,
        dev_guild_id: int | None = None,
        message_content: bool = False,
        clock: Clock | None = None,
        sync_commands: bool = True,
        answer_budget: float = ANSWER_BUDGET_SECONDS,
        large_ledger: int | None = LARGE_LEDGER_CONTRACTS,
        heavy_limit: HeavyLimit | None = HeavyLimit(),  # noqa: B008 - frozen, shared safely
        engine_workers: bool = True,
        freeze_startup_heap: bool = False,
        **options: object,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=build_intents(message_content),
            allowed_mentions=NO_MENTIONS,
            help_command=None,
            **options,  # type: ignore[arg-type]
        )
        self.db_path = db_path if isinstance(db_path, str) and is_url(db_path) else Path(db_path)
        self.dev_guild_id = dev_guild_id
        self.message_content = message_content
        self.clock: Clock = clock or SystemClock()  # tests pass a simulated one; every service shares it
        self.sync_commands = sync_commands
        # Seconds a command may compute before it shows "thinking..." (see replies.answer_quickly); 0 always defers.
        self.answer_budget = answer_budget
        # From this many contracts, engine answers show "thinking..." before they start (None: never); only
        # when the engine runs on the event loop (engine_workers=False): workers leave the answer budget's timer free.
        self.large_ledger = large_ledger
        # Per-user cooldown on engine work, commands and buttons alike (None: unlimited; see limits.py).
        self.heavy_limiter = HeavyLimiter(heavy_limit)
        # Answers Discord took too late, owned up to with the user's next reply (see undelivered.py).
        self.undelivered = UndeliveredNotices()
        # False: engine work runs inline, with no worker processes. For simulated Discords that replace
        # time.monotonic with a virtual clock (SimCord): multiprocessing's waits never time out under it.
        self.engine_workers = engine_workers
        # True in the deployed bot (run.py): the start-up heap (question index, classifier, templates, modules)
        # is moved out of the garbage collector's reach once loaded, so full collections stop pausing the loop
        # for 45-165 ms (measured in bench/discord_e2e.py). Off where one process starts many bots (tests).
        self.freeze_startup_heap = freeze_startup_heap
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        assert self._services is not None, "setup_hook has not run"
        return self._services

    async def setup_hook(self) -> None:
        if isinstance(self.db_path, Path):  # a file's folder (a postgresql:// URL has none)
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
        # Engine work in worker processes: a long /plan never stalls the gateway or other users' commands.
        runner = ProcessPoolRunner() if self.engine_workers else None
        self._services = await open_services(self.db_path, OutputFormat.DISCORD, self.clock, runner=runner)
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]
        # Build the question index now, off the event loop, so the first /ask does not stall the gateway.
        from bot.qa.retrieval import get_index

        await asyncio.to_thread(get_index)
        # Read the question classifier's shipped model too (milliseconds): the first /ask pays nothing.
        from bot.qa.classifier import get_classifier

        await asyncio.to_thread(get_classifier)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.sync_commands:
            if self.dev_guild_id:
                guild = discord.Object(id=self.dev_guild_id)
                self.tree.copy_global_to(guild=guild)
                await self.tree.sync(guild=guild)
            else:
                await self.tree.sync()
        if self.freeze_startup_heap:
            gc.collect()
            gc.freeze()

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            if self._services is not None:
                await self._services.close()
                self._services = None

    async def on_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report_error(interaction, error)


class ShardedAdvisorBot(AdvisorBot, commands.AutoShardedBot):
    """The same bot running several shards in one process: discord.py opens one gateway session per shard id
    (`shard_ids`, of `shard_count` in all) and the services, store and reminder scheduler are shared by them."""


def build_bot(
    db_path: Path | str, *, shards: Sequence[int] | None = None, shard_count: int | None = None, **options: Any
) -> AdvisorBot:
    """The bot for this process: unsharded (`shards` None), one shard, or several in one process.

    Why only the process running shard 0 syncs the slash commands: every process would otherwise PUT the same
    command list at each start (N processes, N times the writes Discord rate-limits per day), while one
    sync reaches every guild."""
    if shards is None or shard_count is None:
        return AdvisorBot(db_path, **options)
    if 0 not in shards:
        options["sync_commands"] = False
    if len(shards) == 1:
        return AdvisorBot(db_path, shard_id=shards[0], shard_count=shard_count, **options)
    return ShardedAdvisorBot(db_path, shard_ids=list(shards), shard_count=shard_count, **options)


if TYPE_CHECKING:
    _HOST: type[CogHost] = AdvisorBot  # mypy checks here that the bot offers the cogs everything they use
