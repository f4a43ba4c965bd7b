"""Prev/Next buttons under an answer that takes more than one embed (see `embeds.layout`).

Why a view owned by the asker: the pages are that user's answer (their ledger), and a click edits their
message in place, so only they may turn the pages; anyone else gets the one private "Not yours" line
(as owned.py does; not imported from there: owned -> replies -> pages would be an import circle).
Why the other components of the answer ride along: a message has one set of components, so the buttons
the answer came with (advice actions, the import's "fill in details" menu) are added next to Prev/Next
and keep their own callbacks.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord

from bot.render import Answer

from .context import host_of
from .embeds import NO_MENTIONS, answer_embed, page_embeds

log = logging.getLogger("jss_advisor.discord")

PAGES_TIMEOUT = 900.0  # seconds a paged answer can be turned; then the buttons stop (the text stays)


class PagesView(discord.ui.View):
    """Turns the pages of one answer: Prev and Next, disabled at either end. Each view's buttons carry a
    random token (two paged answers of one user are turned independently)."""

    def __init__(self, *, owner_id: int, embeds: list[discord.Embed], extra: discord.ui.View | None = None) -> None:
        timeout = max(PAGES_TIMEOUT, extra.timeout or 0.0) if extra is not None else PAGES_TIMEOUT
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.embeds = embeds
        self.index = 0
        token = secrets.token_urlsafe(6)
        self.previous.custom_id = f"pages:prev:{token}"
        self.next.custom_id = f"pages:next:{token}"
        if extra is not None:
            for item in list(extra.children):
                extra.remove_item(item)
                self.add_item(item)
        self._update()

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        log.warning("user %s used the pages of user %s; refused", interaction.user.id, self.owner_id)
        refusal = host_of(interaction).services.error("not_yours", "not_yours").answer
        await interaction.response.send_message(
            embed=answer_embed(refusal), ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        return False

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /) -> None:
        # Turning a page only edits the message: what can fail is Discord (the text already shown stays).
        log.warning("turning a page for user %s failed: %s", interaction.user.id, error)

    def _update(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.embeds) - 1

    async def _show(self, interaction: discord.Interaction, index: int) -> None:
        self.index = max(0, min(index, len(self.embeds) - 1))
        self._update()
        await interaction.response.edit_message(embed=self.embeds[self.index], view=self)

    @discord.ui.button(label="Prev", style=discord.ButtonStyle.secondary, custom_id="pages:prev", row=4)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await self._show(interaction, self.index - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary, custom_id="pages:next", row=4)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await self._show(interaction, self.index + 1)


def pages_view(
    interaction: discord.Interaction, embeds: list[discord.Embed], extra: discord.ui.View | None
) -> discord.ui.View | None:
    """The components to send with the first page: Prev/Next (plus `extra`'s) when there are more pages."""
    if len(embeds) <= 1:
        return extra
    return PagesView(owner_id=interaction.user.id, embeds=embeds, extra=extra)


async def send_all_pages(
    channel: discord.abc.Messageable, answer: Answer, *, view: discord.ui.View | None = None, **kwargs: Any
) -> discord.Message:
    """An answer where no one clicks Prev/Next (a forum thread, a DM): every page as its own message, in
    reading order, the answer's buttons under the last one (read first, then act). Returns the last message.

    Why not the first page alone: a long answer would silently lose its later pages (and its sources).
    Why every page gets a nonce of its own when the answer has one (`nonce.1`, `nonce.2`, ... and the
    nonce itself on the last): a resend after a failure part-way (a reminder DM whose third page hit a 5xx)
    must not post the pages Discord already has a second time; Discord returns the existing message for
    a nonce it saw in the past few minutes."""
    embeds = page_embeds(answer)
    nonce = kwargs.get("nonce")
    for page, embed in enumerate(embeds[:-1], start=1):
        if nonce is None:
            await channel.send(embed=embed, allowed_mentions=NO_MENTIONS)
        else:
            await channel.send(embed=embed, allowed_mentions=NO_MENTIONS, nonce=f"{nonce}.{page}"[:25])
    if view is not None:
        kwargs["view"] = view
    return await channel.send(embed=embeds[-1], allowed_mentions=NO_MENTIONS, **kwargs)


async def edit_into(interaction: discord.Interaction, answer: Answer) -> None:
    """Replace the clicked message with `answer` (its buttons go): the first page, Prev/Next if it has more."""
    embeds = page_embeds(answer)
    await interaction.response.edit_message(
        embed=embeds[0], view=pages_view(interaction, embeds, None), allowed_mentions=NO_MENTIONS
    )
