"""What a reminder DM says when it is sent: the real idle days, no escaped code spans; and the "look again"
reminder the advice's "Remind me" button queues, kept by every later derivation and sent on its day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.clock import FixedClock
from bot.reminders.rules import derive_reminders
from bot.render import OutputFormat
from bot.services import build_services
from bot.services.reminders import ReminderService
from bot.services.reminders.messages import reminder_answer
from bot.store import LedgerStore
from tests.builders import funded_fixed, open_hourly

from .test_messages import every_kind, queued

TODAY = date(2026, 6, 1)


def test_a_reminder_sent_late_says_how_long_the_contract_has_really_been_idle() -> None:
    """Asked 100 days ago, idle 110: "close it yourself" fell due at 60 idle days, 50 days ago (reminders
    were off then). Sent today, it says 110 days, not the 60 of the day it fell due."""
    contract = open_hourly("late", TODAY, 110, asked=(100,))
    [due] = [r for r in derive_reminders([contract], TODAY).reminders if r.kind == "self_close"]
    assert due.due_on == TODAY - timedelta(days=50)
    answer = reminder_answer(queued(1, due), OutputFormat.DISCORD, on=TODAY)
    assert "idle 110 days" in answer.description and "idle 60 days" not in answer.description


async def test_the_service_renders_a_reminder_as_of_the_day_it_is_sent(store: LedgerStore) -> None:
    contract = open_hourly("late", TODAY, 110, asked=(100,))
    [due] = [r for r in derive_reminders([contract], TODAY).reminders if r.kind == "self_close"]
    service = ReminderService(store, OutputFormat.DISCORD, FixedClock(datetime.combine(TODAY, time(9), UTC)))
    assert "idle 110 days" in service.render(queued(1, due)).description


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_no_reminder_shows_an_escaped_backtick(fmt: OutputFormat) -> None:
    """The ask-the-client DM printed its own code span through an escaping expression: \\`/contract ...\\`."""
    for reminder in every_kind():
        answer = reminder_answer(reminder, fmt)
        text = "\n".join([answer.title, answer.description, *(f.value for f in answer.fields)])
        assert "\\`" not in text, reminder.kind
    [ask] = [r for r in every_kind() if r.kind == "ask_client"]
    assert "`/contract asked-client`" in reminder_answer(ask, OutputFormat.DISCORD).description


async def test_remind_me_queues_a_look_again_reminder_that_later_derivations_keep(store: LedgerStore) -> None:
    """A submitted milestone: wait for the auto-release. No reminder kind covers that day, so "Remind me"
    queues its own; a later derivation (any ledger edit, the daily re-plan) keeps it; it goes out that day."""
    now = datetime.combine(TODAY, time(12), UTC)
    services = build_services(store, OutputFormat.DISCORD, FixedClock(now))
    waiting = funded_fixed("ms", TODAY, 5, milestone_submitted=TODAY - timedelta(days=5))
    await store.add_contract("7", waiting)
    advice = await services.answers.advise("7", "ms")
    assert advice.data["verdict"] == "wait"
    revisit = date.fromisoformat(advice.data["revisit"])
    answer = await services.reminders.remind_on("7", advice.data)
    assert answer.title.startswith(f"I will remind you on {revisit.isoformat()}")
    assert {k: answer.data[k] for k in ("action", "contract", "on", "turned_on")} == {
        "action": "remind",
        "contract": "ms",
        "on": revisit.isoformat(),
        "turned_on": True,
    }
    assert (await store.get_settings("7")).reminders_enabled

    from bot.services.reminders.messages import shown_kind  # stored as a derived kind, shown as look_again

    reminders = services.reminders.reminders
    await services.reminders.replan("7", now + timedelta(days=1))  # derived again later: still there
    [row] = await reminders.for_user("7", ("pending",))
    assert (shown_kind(row), row.contract_id, row.due_on, row.rule_id) == (
        "look_again",
        "ms",
        revisit,
        "C-FP-AUTO-RELEASE",
    )
    sent = ReminderService(store, OutputFormat.DISCORD, FixedClock(datetime.combine(revisit, time(9), UTC)))
    dm = sent.render(row)
    assert dm.title == "Look again: Milestone ms (ms)"
    assert f"idle {(revisit - waiting.last_activity).days} days" in dm.description and "`/advise`" in dm.description

    await store.update_settings("7", reminders_enabled=False)  # off means off: nothing is kept
    await services.reminders.replan("7", now)
    assert await reminders.for_user("7", ("pending",)) == []
