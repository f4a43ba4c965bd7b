"""The product bot, started against the local Discord for each test that asks for `bot`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.discord_app.client import AdvisorBot
from tests.discord_app import ONE_STEP
from tests.fakediscord import FakeDiscord, running_bot
from tests.samples import TODAY  # the bot's "today" in these tests, so answers are reproducible


@pytest.fixture
async def bot(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[AdvisorBot]:
    advisor = AdvisorBot(
        tmp_path / "bot.db",
        dev_guild_id=fake_discord.guild_id,
        clock=FixedClock.on(TODAY),
        guild_ready_timeout=0.05,
        answer_budget=ONE_STEP,
        heavy_limit=None,  # the cooldown has its own tests (test_safe_use.py)
    )
    async with running_bot(advisor):
        yield advisor


@pytest.fixture
async def inline_bot(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[AdvisorBot]:
    """The product bot with the engine inline (no worker processes): engine work runs on its event loop."""
    advisor = AdvisorBot(
        tmp_path / "inline.db",
        dev_guild_id=fake_discord.guild_id,
        clock=FixedClock.on(TODAY),
        guild_ready_timeout=0.05,
        answer_budget=ONE_STEP,
        heavy_limit=None,
        engine_workers=False,
    )
    async with running_bot(advisor):
        yield advisor
