"""The bot as the cogs see it: what a cog may use, typed without importing the client.

Why a Protocol: the client loads the cogs by name (as extensions), so a cog importing the client, even
for a type, would close an import circle. Cogs and the client both depend on this module instead, and
mypy checks that `AdvisorBot` provides everything listed here.
"""

from __future__ import annotations

from typing import Any, Protocol

import discord
from discord import app_commands
from discord.ext import commands

from bot.services import Services


class CogHost(Protocol):
    """The members of `AdvisorBot` the cogs use; nothing else of it is theirs to touch."""

    @property
    def services(self) -> Services: ...

    @property
    def message_content(self) -> bool:
        """Whether the privileged Message Content intent is on (a forum post's body can be read)."""
        ...

    @property
    def user(self) -> discord.ClientUser | None: ...

    @property
    def tree(self) -> app_commands.CommandTree[Any]: ...

    async def add_cog(self, cog: commands.Cog, /) -> None: ...

    def add_dynamic_items(self, *items: type[discord.ui.DynamicItem[Any]]) -> None: ...

    def remove_dynamic_items(self, *items: type[discord.ui.DynamicItem[Any]]) -> None: ...

    async def create_dm(self, user: discord.abc.Snowflake) -> discord.DMChannel: ...


def host_of(interaction: discord.Interaction) -> CogHost:
    """The bot an interaction arrived at, for handlers that get no cog (buttons, autocomplete, forms)."""
    return interaction.client  # type: ignore[return-value]
