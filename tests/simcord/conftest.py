"""The real `AdvisorBot` on SimCord: a temp SQLite file, a simulated clock, no background loops.

SimCord's actors wait until the bot is idle after each action ("settle"), and fail on a task that never
goes quiet. The reminder scheduler is such a task (it sleeps until the next reminder), so it does not run
here (`ReminderSetup(run_scheduler=False)`): the tests drive one tick of it themselves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from simcord import ChannelHandle, Env, MemberActor, UserHandle

from bot.clock import VirtualClock
from bot.discord_app.client import AdvisorBot
from bot.discord_app.cogs.reminders import ReminderCog, ReminderSetup
from tests.builders import ledger_json
from tests.discord_app import ONE_STEP
from tests.discord_app.reminders import START

from . import SETTLE_LIMIT, sample_ledger


@pytest.fixture
async def simcord_bot(tmp_path: Path) -> AsyncIterator[AdvisorBot]:
    """The bot SimCord's `simcord_env` fixture starts (the name is SimCord's plugin contract).

    SimCord detaches the bot at the end but never calls `close()`, so the store (an aiosqlite thread that
    would keep the process alive) is closed here, after `simcord_env` has shut down."""
    bot = AdvisorBot(
        tmp_path / "bot.db",
        clock=VirtualClock(START),
        answer_budget=ONE_STEP,  # one-step answers whatever the machine's speed; deferral tests set 0
        heavy_limit=None,  # the per-user cooldown has its own tests
        engine_workers=False,  # SimCord's virtual time.monotonic hangs multiprocessing's waits (see client.py)
    )
    bot.reminder_setup = ReminderSetup(run_scheduler=False)  # type: ignore[attr-defined]
    try:
        yield bot
    finally:
        await bot.close()


@dataclass
class Server:
    """One guild with a channel and a member, Alice, whose ledger is `sample_ledger()`."""

    env: Env
    bot: AdvisorBot
    channel: ChannelHandle
    alice: MemberActor
    alice_user: UserHandle

    @property
    def reminders(self) -> ReminderCog:
        cog = self.bot.get_cog("Reminders")
        assert type(cog).__name__ == ReminderCog.__name__  # an extension: loaded afresh by each bot
        return cog  # type: ignore[return-value]


@pytest.fixture
async def server(simcord_env: Env, simcord_bot: AdvisorBot) -> Server:
    assert simcord_env.settle_timeout == SETTLE_LIMIT, "mark the test module with SIMCORD_OPTIONS"
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    alice_user = simcord_env.create_user("alice")
    alice = guild.add_member(alice_user)
    imported = await alice.slash(
        channel, "ledger import", file=("ledger.json", ledger_json(sample_ledger()).encode()), mode="replace"
    )
    assert imported.response is not None and imported.response.embeds[0].title == "Ledger imported."
    return Server(simcord_env, simcord_bot, channel, alice, alice_user)
