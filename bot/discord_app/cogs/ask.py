"""Plain-English questions: /ask, the "Ask JSS Advisor" message menu, and the configured forum channel."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from ..context import CogHost
from ..pages import send_all_pages
from ..replies import answer_quickly, send_answer
from .common import user_key

log = logging.getLogger("jss_advisor.discord.ask")


class ForumChannelOnly(app_commands.Transformer):
    """A forum-channel option offering type 15 only (discord.py's ForumChannel also asks for media, 16)."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return [discord.ChannelType.forum]

    async def transform(self, interaction: discord.Interaction, value: object) -> object:
        return value


class AskCog(commands.Cog):
    setup = app_commands.Group(
        name="setup",
        description="Server set-up (Manage Server)",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: CogHost) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(name="Ask JSS Advisor", callback=self.ask_about_message)
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    @app_commands.command(name="ask", description="Ask a JSS question in plain English")
    @app_commands.describe(
        question="e.g. my client never closed the contract, should I?",
        public="post the answer for everyone (without your ledger's numbers)",
    )
    async def ask(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 3, 1500], public: bool = False
    ) -> None:
        await answer_quickly(
            interaction,
            self.bot.services.questions.ask(user_key(interaction), question, personal=not public),
            ephemeral=not public,
        )

    async def ask_about_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Answer the question in someone's message, privately to the one who asked for it."""
        text = (message.content or "").strip()
        if not text:
            raise self.bot.services.error("bad_input", "no_text")
        await answer_quickly(interaction, self.bot.services.questions.ask(user_key(interaction), text))

    @setup.command(name="forum-channel", description="Answer every new post in this forum channel")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def forum_channel(
        self,
        interaction: discord.Interaction,
        channel: app_commands.Transform[discord.app_commands.AppCommandChannel, ForumChannelOnly],
    ) -> None:
        assert interaction.guild_id is not None
        answer = await self.bot.services.settings.set_forum_channel(str(interaction.guild_id), str(channel.id))
        await send_answer(interaction, answer)

    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        """A new forum post: answer it publicly with the cited rules, never with anyone's ledger data."""
        if thread.guild is None or thread.parent_id is None or thread.owner_id == self.bot.user.id:  # type: ignore[union-attr]
            return
        forum = await self.bot.services.settings.forum_channel(str(thread.guild.id))
        if forum != str(thread.parent_id):
            return
        question = thread.name
        starter = thread.starter_message
        if starter is None and self.bot.message_content:
            try:
                starter = await thread.fetch_message(thread.id)
            except discord.HTTPException:
                starter = None
        if starter is not None and starter.content:
            question = f"{thread.name}\n{starter.content}"
        try:
            answer = await self.bot.services.questions.ask("forum", question, personal=False)
            await send_all_pages(thread, answer)  # nobody turns pages in a forum thread
        except discord.HTTPException:
            log.warning("could not answer forum post %s", thread.id, exc_info=True)


async def setup(bot: CogHost) -> None:
    """The extension's entry point (AdvisorBot loads this module by name)."""
    await bot.add_cog(AskCog(bot))
