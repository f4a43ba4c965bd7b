"""Helpers the cogs share: the caller's id as the ledger key, and contract autocomplete."""

from __future__ import annotations

import discord
from discord import app_commands

from ..context import host_of


def user_key(interaction: discord.Interaction) -> str:
    """Ledgers are keyed by the Discord user id: the same ledger in every server and in DMs."""
    return str(interaction.user.id)


async def contract_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Only the caller's own contracts, matched on id, title or client."""
    choices = await host_of(interaction).services.ledger.contract_choices(user_key(interaction), current)
    return [app_commands.Choice(name=label[:100], value=cid[:100]) for cid, label in choices[:25]]
