"""Discord failing on purpose: closed DMs (403/50007), rate limits (429), server errors (5xx)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.reminders.timing import DeliveryWindow
from bot.store.reminder_store import ReminderStore
from scoring.model import Contract, Ledger
from tests.builders import make

from . import START, World, dm_key

DM_ROUTE = "/channels/{channel_id}/messages"


def idle_ledger() -> Ledger:
    """Two idle contracts: one to ask about now (overdue), one in 10 days."""
    today = START.date()

    def idle(cid: str, days: int) -> Contract:
        last = today - timedelta(days=days)
        return make(
            cid,
            client="Acme",
            kind="hourly",
            status="active",
            started=date(2025, 1, 1),
            last_activity=last,
            last_payment=last,
            earnings_usd="700",
        )

    return Ledger(contracts=(idle("old", 45), idle("newer", 20)))


async def test_closed_dms_hold_reminders_tell_the_user_once_and_resume(world: World) -> None:
    user = world.server.default_user
    await world.import_ledger(idle_ledger())
    world.server.close_dms(user)
    await world.opt_in("UTC", None)
    await world.clock.run_until(START + timedelta(days=20))  # "newer" fell due on day 10: not retried
    assert [s.outcome for s in world.sender.log] == ["DmClosed"]
    assert len(world.server.calls_to(DM_ROUTE, "POST")) == 1
    store = world.bot.services.context.store
    assert (await store.get_settings(str(user.id))).dm_closed
    # The next command's reply tells them, privately, once.
    embeds = await world.command("contract list", followups=1)
    assert [e["title"] for e in embeds] == ["Your contracts (2)", "I could not send you a reminder by DM"]
    assert "/reminders resume" in embeds[1]["description"]
    assert [e["title"] for e in await world.command("contract list")] == ["Your contracts (2)"]
    # They open their DMs again and say so: both held reminders arrive.
    user.dms_open = True
    [resumed] = await world.command("reminders resume")
    assert resumed["title"] == "Reminders resumed."
    await world.clock.run_until(START + timedelta(days=20, minutes=1))
    assert [s.outcome for s in world.sender.log] == ["DmClosed", "Delivered", "Delivered"]
    assert sorted(s.contract for s in world.sender.log[1:]) == ["newer", "old"]
    assert len(world.dms(user)) == 2


async def test_a_429_is_retried_after_retry_after_by_the_client(world: World) -> None:
    user = world.server.default_user
    await world.import_ledger(idle_ledger())
    fault = world.server.rate_limit(DM_ROUTE, method="POST", retry_after=0.3)
    await world.opt_in("UTC", None)
    await world.clock.run_until(START + timedelta(hours=1))
    calls = world.server.calls_to(DM_ROUTE, "POST")
    assert [c.status for c in calls] == [429, 200] and len(fault.hits) == 1
    assert calls[1].at - calls[0].at >= 0.3
    assert [s.outcome for s in world.sender.log] == ["Delivered"] and len(world.dms(user)) == 1


async def test_lasting_429s_and_5xx_are_backed_off_and_sent_once(world: World) -> None:
    user = world.server.default_user
    await world.import_ledger(idle_ledger())
    world.server.rate_limit(DM_ROUTE, method="POST", retry_after=0.01, times=5)  # discord.py gives up after 5
    world.server.server_error(DM_ROUTE, method="POST", status=503)  # not one discord.py retries itself
    await world.opt_in("UTC", None)
    await world.clock.run_until(START + timedelta(hours=2))
    log = world.sender.log
    assert [s.outcome for s in log] == ["Retry", "Retry", "Delivered"]
    assert {s.contract for s in log} == {"old"}
    assert log[1].at - log[0].at >= timedelta(seconds=24)  # 30 s +- 20 %
    assert log[2].at - log[1].at >= timedelta(seconds=48)  # 60 s +- 20 %
    [dm] = world.dms(user)
    assert dm_key(dm) == (log[0].reminder_id, 0)
    reminders = ReminderStore(world.bot.services.context.store.database, DeliveryWindow.of)
    [row] = await reminders.for_user(str(user.id), ("sent",))
    assert row.message_id == dm["id"] and row.attempts == 3


async def test_a_resend_with_the_same_nonce_is_the_same_message(world: World) -> None:
    """Two senders racing on one reminder (or a resend right after a crash, before the history check
    applies): Discord's enforce_nonce returns the first message instead of creating a second."""
    user = world.server.default_user
    await world.import_ledger(idle_ledger())
    await world.command("reminders settings", {"timezone": "UTC"})
    await world.command("settings", {"reminders": True})
    cog = world.cog
    await cog.scheduler.stop()  # deliver by hand below
    reminders = cog.service.reminders
    await replan(cog, str(user.id))
    [claim] = (await reminders.claim_due(world.clock.now(), 1, timedelta(minutes=5)))[0]
    sender = world.sender.inner
    answer = cog.service.render(claim.reminder)
    first, second = await sender.deliver(claim, answer), await sender.deliver(claim, answer)
    assert first == second and len(world.dms(user)) == 1
    assert len(world.server.calls_to(DM_ROUTE, "POST")) == 2


async def replan(cog, user_id: str) -> None:  # type: ignore[no-untyped-def]
    await cog.service.replan(user_id, cog.scheduler.clock.now())
