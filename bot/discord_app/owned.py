"""Forms and menus that belong to the user who opened them.

Why a token per opened form: discord.py finds a submitted modal by its custom_id alone, so a fixed
custom_id ("contract:edit") shared by everyone made the most recently opened form handle every user's
submission: A's values were saved onto B's choice of contract. Each form and menu here gets a fresh
random token in its custom_id, so a submission reaches exactly the form object that was shown, with
the contract it was opened for; one user may have several open at once.

Why an owner check on top: a custom_id can be replayed by another client, and a menu under a message
can be clicked by anyone who sees it. Whoever did not open it gets one clear private line, and the
form or menu stays usable for its owner.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord

from .context import host_of
from .replies import custom_id_of, report_error

log = logging.getLogger("jss_advisor.discord")

TOKEN_BYTES = 6  # 8 URL-safe characters: collisions among one bot's open forms are not a concern


def form_token() -> str:
    """A short random token naming one opened form or menu."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def owned_custom_id(kind: str, token: str, subject: str = "") -> str:
    """`kind:token[:subject]` within Discord's 100 characters (the subject, e.g. a contract id, is cut)."""
    return f"{kind}:{token}:{subject}"[:100] if subject else f"{kind}:{token}"


async def refuse_stranger(interaction: discord.Interaction, owner_id: int) -> None:
    """Tell a user that this form, button or menu is someone else's (a warning in the log, not an error)."""
    log.warning(
        "user %s used a component of user %s (%s); refused",
        interaction.user.id,
        owner_id,
        custom_id_of(interaction),
    )
    await report_error(interaction, host_of(interaction).services.error("not_yours", "not_yours"))


class OwnedModal(discord.ui.Modal):
    """A modal with its own custom_id (kind, token, subject) that only its opener may submit.

    An accepted submission is announced as the bot event `form_submitted` (listeners: `on_form_submitted`),
    e.g. for the reminder scheduler to look again once the form has saved its change."""

    def __init__(self, *, owner_id: int, kind: str, title: str, timeout: float, subject: str = "") -> None:
        self.token = form_token()
        super().__init__(title=title, timeout=timeout, custom_id=owned_custom_id(kind, self.token, subject))
        self.owner_id = owner_id

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id == self.owner_id:
            interaction.client.dispatch("form_submitted", interaction)
            return True
        await refuse_stranger(interaction, self.owner_id)
        return False

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        await report_error(interaction, error)


class OwnedView(discord.ui.View):
    """A view whose components carry its token in their custom_ids and answer only its opener."""

    def __init__(self, *, owner_id: int, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.token = form_token()

    def custom_id(self, kind: str) -> str:
        """The custom_id of one of this view's components."""
        return owned_custom_id(kind, self.token)

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await refuse_stranger(interaction, self.owner_id)
        return False

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /) -> None:
        await report_error(interaction, error)
