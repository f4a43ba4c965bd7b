"""A user's preferences and a server's forum channel: the settings commands, UI-free."""

from __future__ import annotations

from typing import Any

from bot.render import Answer
from bot.store import StoreError

from .context import ServiceContext


class SettingsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def update_settings(self, user_id: str, changes: dict[str, Any]) -> Answer:
        try:
            settings = await self.ctx.store.update_settings(user_id, **changes)
        except StoreError as exc:
            raise self.ctx.error("bad_input", detail=str(exc)) from None
        return self.ctx.render(
            "notice", {"key": "settings", "settings": settings}, data=settings.model_dump(mode="json")
        )

    async def forum_channel(self, guild_id: str) -> str | None:
        """The channel id set with `set_forum_channel`, if any."""
        return await self.ctx.store.get_forum_channel(guild_id)

    async def set_forum_channel(self, guild_id: str, channel_id: str) -> Answer:
        """The forum whose new posts the bot answers (publicly: rules only, never anyone's ledger)."""
        await self.ctx.store.set_forum_channel(guild_id, channel_id)
        return self.ctx.render("notice", {"key": "forum", "detail": None}, data={"forum_channel_id": channel_id})
