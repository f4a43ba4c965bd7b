"""The product bot, started against the local Discord for each test that asks for `bot` (or `inline_bot`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.discord_app.client import AdvisorBot
from tests.discord_app import ONE_STEP
from tests.fakediscord import FakeDiscord, running_bot
from tests.samples import TODAY  # the bot's "today" in these tests, so answers are reproducible


def advisor_for(fake_discord: FakeDiscord, db: Path, **options: object) -> AdvisorBot:
    """The bot as these tests run it: on the local Discord's guild, today fixed, one-step answers, and no
    cooldown (it has its own tests in test_safe_use.py)."""
    return AdvisorBot(
        db,
        dev_guild_id=fake_discord.guild_id,
        clock=FixedClock.on(TODAY),
        guild_ready_timeout=0.05,
        answer_budget=ONE_STEP,
        heavy_limit=None,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
async def bot(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[AdvisorBot]:
    async with running_bot(advisor := advisor_for(fake_discord, tmp_path / "bot.db")):
        yield advisor


@pytest.fixture
async def inline_bot(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[AdvisorBot]:
    """The product bot with the engine inline (no worker processes): engine work runs on its event loop."""
    async with running_bot(advisor := advisor_for(fake_discord, tmp_path / "inline.db", engine_workers=False)):
        yield advisor
