"""Full garbage collections happen in quiet moments, and nothing frozen outlives the next one."""

from __future__ import annotations

import asyncio
import gc
import weakref

import discord
import pytest

from bot.background import QuietMoments
from bot.discord_app.client import AdvisorBot
from bot.discord_app.heap import HeapKeeper, promoted_since_tidy, tidy
from tests.fakediscord import FakeDiscord

from .test_commands_e2e import run


class Node:
    """A reference cycle: only the cycle collector can free it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def _thawed() -> object:
    yield
    gc.unfreeze()  # whatever a test froze, the next one starts without it


def dead_cycle() -> weakref.ref[Node]:
    node = Node()
    ref = weakref.ref(node)
    del node
    return ref


def test_tidy_frees_garbage_frozen_by_the_previous_tidy_and_freezes_the_survivors() -> None:
    alive = Node()
    ref = dead_cycle()
    gc.freeze()  # as a previous tidy-up would have done with the cycle still alive
    gc.collect()
    assert ref() is not None, "frozen objects are not collected by an ordinary collection"

    tidy()
    assert ref() is None
    assert gc.get_freeze_count() > 0
    assert not promoted_since_tidy()
    assert alive.me is alive


async def test_keeper_waits_for_a_pause_then_tidies_and_thaws_when_stopped() -> None:
    quiet = QuietMoments()
    keeper = HeapKeeper(quiet, idle_seconds=0.1, check_seconds=0.01, min_interval=0.0)
    gc.collect(1)  # survivors moved up: a tidy-up is due
    assert keeper.due
    keeper.start()
    try:
        with quiet.busy():  # an answer being computed: not a quiet moment, however long it takes
            for _ in range(4):
                await asyncio.sleep(0.05)
                assert keeper.tidied == 0
        for _ in range(6):  # interactions every 50 ms: still no pause of 100 ms
            quiet.note()
            await asyncio.sleep(0.05)
            assert keeper.tidied == 0
        ref = dead_cycle()
        await asyncio.wait_for(keeper.caught_up(), 5)
        assert keeper.tidied >= 1
        assert gc.get_freeze_count() > 0
        gc.collect(1)
        await asyncio.wait_for(keeper.caught_up(), 5)
        assert ref() is None
    finally:
        await keeper.stop()
    assert gc.get_freeze_count() == 0, "a stopped keeper leaves nothing frozen"


async def test_tidy_ups_are_rate_limited() -> None:
    """A busy bot is quiet for a quarter second every few commands; it must not collect every time."""
    quiet = QuietMoments()
    keeper = HeapKeeper(quiet, idle_seconds=0.01, check_seconds=0.01, min_interval=30.0)
    gc.collect(1)
    keeper.start()
    try:
        await asyncio.wait_for(keeper.caught_up(), 5)
        assert keeper.tidied == 1
        gc.collect(1)  # more survivors, and the bot is quiet: still nothing until the interval has passed
        assert not keeper.due
        await asyncio.sleep(0.1)
        assert keeper.tidied == 1
    finally:
        await keeper.stop()


async def test_the_bot_keeps_its_heap_between_commands(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    assert bot.heap is not None and bot.heap.running
    await run(fake_discord, "contract list")
    assert bot.quiet.quiet_for() < 5  # the interaction was noted
    gc.collect(1)
    await asyncio.wait_for(bot.heap.caught_up(), 5)
    assert gc.get_freeze_count() > 0


async def test_hooks_run_before_listeners_and_a_failing_one_does_not_stop_the_event(
    bot: AdvisorBot, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[str] = []

    def broken(interaction: discord.Interaction) -> None:
        raise RuntimeError("bookkeeping bug")

    def record(interaction: discord.Interaction) -> None:
        seen.append(interaction.type.name)

    bot.add_hook("interaction", broken)
    bot.add_hook("interaction", record)
    try:
        result = await run(fake_discord, "contract list")
        assert result.messages, "the command still answered"
        assert seen == ["application_command"]
        assert "bookkeeping bug" in caplog.text
    finally:
        bot.remove_hook("interaction", broken)
        bot.remove_hook("interaction", record)
    await run(fake_discord, "contract list")
    assert seen == ["application_command"], "removed hooks are not called"
