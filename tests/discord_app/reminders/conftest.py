"""The `world` fixture: the real bot with reminders on a simulated clock, against the local Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import VirtualClock
from bot.discord_app.client import AdvisorBot
from bot.discord_app.cogs.reminders import ReminderCog, ReminderSetup
from bot.services.reminders.scheduler import SchedulerConfig
from tests.discord_app import ONE_STEP
from tests.fakediscord import FakeDiscord, running_bot

from . import START, RecordingSender, World


@pytest.fixture
async def world(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[World]:
    clock = VirtualClock(START)
    bot = AdvisorBot(
        tmp_path / "bot.db",
        dev_guild_id=fake_discord.guild_id,
        clock=clock,
        guild_ready_timeout=0.05,
        answer_budget=ONE_STEP,
        heavy_limit=None,  # the cooldown has its own tests (test_safe_use.py)
    )
    bot.reminder_setup = ReminderSetup(SchedulerConfig(max_idle=None, dm_rate=1000, dm_burst=100))  # type: ignore[attr-defined]
    async with running_bot(bot):
        cog = bot.get_cog("Reminders")
        assert type(cog).__name__ == ReminderCog.__name__  # an extension: loaded afresh by each bot
        recorder = RecordingSender(cog.scheduler.sender, clock)
        cog.scheduler.sender = recorder
        yield World(bot, fake_discord, clock, recorder)
