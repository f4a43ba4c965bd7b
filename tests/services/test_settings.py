"""User settings and a server's forum channel through the settings service."""

from __future__ import annotations

from bot.services import Services

from . import expect_error


async def test_settings_notice_and_refusal(services: Services) -> None:
    answer = await services.settings.update_settings("u1", {"timezone": "europe/berlin", "reminders_enabled": True})
    assert answer.description == "timezone Europe/Berlin, reminders on, cadence daily"
    assert answer.data["timezone"] == "Europe/Berlin"
    await expect_error(services.settings.update_settings("u1", {"timezone": "Mars/Olympus"}), "bad_input", "timezone")


async def test_forum_channel(services: Services) -> None:
    assert await services.settings.forum_channel("g1") is None
    answer = await services.settings.set_forum_channel("g1", "c9")
    assert answer.data["forum_channel_id"] == "c9"
    assert await services.settings.forum_channel("g1") == "c9"
