"""Advice prepared while the bot is idle: the same answers, never stale, never in the way."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.background import QuietMoments
from bot.discord_app.client import AdvisorBot
from bot.discord_app.warming import AdviceWarmer
from bot.services import AdvisorService
from bot.store import LedgerStore
from tests.fakediscord import FakeDiscord

from .conftest import TODAY
from .test_commands_e2e import embeds_of, import_demo, run


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
    """The command's completion event, and so the warming, comes just after its answer is sent."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the advice was not prepared in time"
        await asyncio.sleep(0.01)


async def demo_open_contracts(bot: AdvisorBot, fake_discord: FakeDiscord) -> list[str]:
    """The demo ledger imported for the default user; the ids of its open contracts."""
    me = fake_discord.default_user
    await import_demo(bot, me)
    return [c.id for c in await bot.store.list_contracts(str(me.id)) if c.is_open]


async def test_after_a_command_the_users_open_contracts_are_answered_from_memory(
    bot: AdvisorBot, fake_discord: FakeDiscord
) -> None:
    me = fake_discord.default_user
    open_ids = await demo_open_contracts(bot, fake_discord)
    assert len(open_ids) >= 2
    assert bot.warmer is not None
    await run(fake_discord, "contract list")
    await until(lambda: bot.warmer is not None and bot.warmer.computed == len(open_ids))

    prepared = {cid: await bot.service.advise(str(me.id), cid) for cid in open_ids}
    for cid, answer in prepared.items():  # in memory: the bot replies without starting a task
        assert bot.service.ready_advice(str(me.id), cid) is answer
    fresh = AdvisorService(bot.store, bot.service.fmt, today=lambda: TODAY)  # nothing cached
    for cid, answer in prepared.items():
        assert answer == await fresh.advise(str(me.id), cid), cid  # exactly what /advise would compute

    target = open_ids[0]
    shown = embeds_of((await run(fake_discord, "advise", {"contract": target})).messages)
    assert shown and shown[0]["title"] == prepared[target].title

    # A change to the ledger discards the prepared answers: the next one counts the new request.
    before = prepared[target].data["close_requests"]
    await run(fake_discord, "contract asked-client", {"contract": target})
    assert bot.service.ready_advice(str(me.id), target) is not prepared[target]  # stale: never offered
    after = await bot.service.advise(str(me.id), target)
    assert after.data["close_requests"] == before + 1
    await until(lambda: bot.warmer is not None and bot.warmer.computed > len(open_ids))  # prepared again


async def test_warming_waits_while_interactions_keep_arriving(store: LedgerStore) -> None:
    from bot.console.demo import demo_ledger

    await store.import_ledger("u", demo_ledger(TODAY), "replace")
    service = AdvisorService(store, today=lambda: TODAY)
    quiet = QuietMoments()
    warmer = AdviceWarmer(service, quiet, idle_seconds=0.1)
    warmer.start()
    try:
        warmer.enqueue("u")
        for _ in range(6):  # a busy 0.3 s: an interaction every 50 ms
            quiet.note()
            await asyncio.sleep(0.05)
            assert warmer.computed == 0
        await asyncio.wait_for(warmer.drained(), 5)
        assert warmer.computed > 0
        warmer.enqueue("u")  # nothing changed: nothing to compute again
        await asyncio.wait_for(warmer.drained(), 5)
        computed = warmer.computed
        warmer.enqueue("nobody")  # a user without contracts is no error
        await asyncio.wait_for(warmer.drained(), 5)
        assert warmer.computed == computed
    finally:
        await warmer.stop()


async def test_picking_a_contract_prepares_the_advice_before_the_question_is_sent(
    bot: AdvisorBot, fake_discord: FakeDiscord
) -> None:
    """Autocomplete comes a second or two before the command: enough to prepare a first /advise."""
    me = fake_discord.default_user
    open_ids = await demo_open_contracts(bot, fake_discord)
    assert all(bot.service.ready_advice(str(me.id), cid) is None for cid in open_ids)

    choices = await fake_discord.send_autocomplete("advise", {"contract": ""}, focused="contract")
    assert choices
    await until(lambda: all(bot.service.ready_advice(str(me.id), cid) is not None for cid in open_ids))
    ready = bot.service.ready_advice(str(me.id), open_ids[0])
    shown = embeds_of((await run(fake_discord, "advise", {"contract": open_ids[0]})).messages)
    assert ready is not None and shown[0]["title"] == ready.title
