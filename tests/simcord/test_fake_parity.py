"""Where SimCord and our own local Discord (tests.fakediscord) disagreed, pinned on both, with the reference.

Found by running the same behaviour on both:
- Editing a message replaced all its flags in our fake (an edit sending `flags: 0` made an ephemeral
  message public); SimCord keeps them. Discord's docs side with SimCord: Edit Message, `flags`: "only
  SUPPRESS_EMBEDS can currently be set/unset" (IS_COMPONENTS_V2 may be set), and an existing message's
  ephemeral state cannot be changed (Create Followup Message). Fixed in the fake (`EDITABLE_FLAGS`).
- Create Followup Message without `?wait=true` answered 204 in our fake; Discord's docs: "functions the
  same as Execute Webhook, but `wait` is always true". Fixed in the fake (discord.py always sends wait=1,
  so the bot never saw it).

Where SimCord departs from Discord's docs (noted, not worked around; the bot does not depend on them):
- The interaction callback always answers 200 with a body; Discord: "Returns 204 unless with_response is
  set to true" (Create Interaction Response). discord.py always sets with_response, so both agree for it.
- `nonce` and `enforce_nonce` are ignored when creating a message (simcord/http/_helpers.py), so SimCord
  cannot show the reminder sender's duplicate guard; Discord (Create Message, `enforce_nonce`): "If another
  message was created by the same author with the same nonce, that message will be returned and no new
  message will be created". Our fake implements it and tests/discord_app/reminders covers the guard.
- SimCord swaps `time.monotonic` for its virtual clock while a test runs, so multiprocessing's waits never
  time out and starting worker processes hangs: the bot runs engine work inline here (`engine_workers`).
"""

from __future__ import annotations

from typing import Any

import discord
import simcord
from discord.ext import commands

from tests.fakediscord import FakeDiscord, running_bot
from tests.fakediscord.server import EPHEMERAL

from . import SETTLE_LIMIT


class EditView(discord.ui.View):
    """A button whose click edits its own (ephemeral) message and sends `flags: 0` with the edit."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Edit", custom_id="parity:edit")
    async def edit(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.edit_message(content="edited", suppress_embeds=False, view=None)


class FlagBot(commands.Bot):
    """`/private`: an ephemeral message with the button above; synced globally at start when `sync`."""

    def __init__(self, *, sync: bool) -> None:
        super().__init__(
            command_prefix="!", intents=discord.Intents.none(), guild_ready_timeout=0.05, help_command=None
        )
        self.sync = sync

    async def setup_hook(self) -> None:
        if self.sync:
            await self.tree.sync()


def flag_bot(*, sync: bool = False) -> commands.Bot:
    bot = FlagBot(sync=sync)

    @bot.tree.command(name="private", description="An ephemeral message with a button")
    async def private(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("secret", view=EditView(), ephemeral=True)

    return bot


async def test_an_edit_keeps_the_ephemeral_flag_in_our_fake(fake_discord: FakeDiscord) -> None:
    bot = flag_bot()
    async with running_bot(bot):
        guild = discord.Object(fake_discord.guild_id)
        bot.tree.copy_global_to(guild=guild)
        await bot.tree.sync(guild=guild)
        handle = await fake_discord.send_slash_command("private")
        await handle.wait_for_response()
        message = handle.original
        assert message is not None and message["flags"] & EPHEMERAL
        click = await fake_discord.send_component("parity:edit", message=message)
        clicked = await click.wait_for_response()
    assert clicked.type == 7 and (clicked.data or {}).get("flags") == 0  # the edit did send flags: 0
    edited = fake_discord.get_message(message["id"])
    assert edited["content"] == "edited" and edited["flags"] & EPHEMERAL
    assert fake_discord.channel_messages() == []  # still nobody else's to see


async def test_an_edit_keeps_the_ephemeral_flag_in_simcord() -> None:
    bot = flag_bot(sync=True)
    try:
        async with simcord.run(bot, settle_timeout=SETTLE_LIMIT) as env:
            channel = env.create_guild().create_text_channel("general")
            alice = env.guild.add_member(env.create_user("alice"))
            result = await alice.slash(channel, "private")
            assert result.response is not None and result.response.ephemeral
            await alice.click(result.response, label="Edit")
            bodies = [r.json or {} for r in env.http_requests if r.path.endswith("/callback")]
            [update] = [body for body in bodies if body["type"] == 7]
            assert update["data"]["flags"] == 0  # the edit did send flags: 0
            assert result.response.content == "edited" and result.response.ephemeral
    finally:
        await bot.close()
