"""Helpers the cogs share: the caller's id as the ledger key, contract autocomplete, attachment download."""

from __future__ import annotations

import logging

import aiohttp
import discord
from discord import app_commands

from ..context import host_of
from ..replies import describe

log = logging.getLogger("jss_advisor.discord")


def user_key(interaction: discord.Interaction) -> str:
    """Ledgers are keyed by the Discord user id: the same ledger in every server and in DMs."""
    return str(interaction.user.id)


async def contract_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Only the caller's own contracts, matched on id, title or client."""
    choices = await host_of(interaction).services.ledger.contract_choices(user_key(interaction), current)
    return [app_commands.Choice(name=label[:100], value=cid[:100]) for cid, label in choices[:25]]


async def download(interaction: discord.Interaction, attachment: discord.Attachment) -> bytes:
    """An uploaded file's bytes; Discord's CDN failing is a clear "try again", logged as a warning (not our bug)."""
    try:
        return await attachment.read()
    except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
        log.warning("could not download %r for %s: %s", attachment.filename[:100], describe(interaction), exc)
        raise host_of(interaction).services.error("discord", "download_failed") from None
