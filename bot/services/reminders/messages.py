"""Reminder text: a queued reminder -> an `Answer` (DM embed or console text) from templates/reminder*.md.j2.

Why rendered at send time from stored facts: the facts were computed when the reminder was derived,
and the text follows the current templates; the footer names the rule and how to change reminders,
so every DM says why it was sent and how to stop it.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from typing import Any

from bot.reminders.timing import DeliveryWindow
from bot.render import Answer, OutputFormat, render_answer
from bot.store.reminder_store import QueuedReminder

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A reminder the user asked for ("Remind me" under an advice): not derived from the ledger. The queue's kind
# column accepts the six derived kinds only (schema 4's CHECK), so it is stored as STORED_LOOK_AGAIN with
# this fact set, and shown (text, buttons, lists) as the kind LOOK_AGAIN.
LOOK_AGAIN = "look_again"
STORED_LOOK_AGAIN = "self_close"


def shown_kind(reminder: QueuedReminder) -> str:
    """The kind a reminder is shown as: its stored kind, or LOOK_AGAIN for one the user asked for."""
    return LOOK_AGAIN if reminder.facts.get(LOOK_AGAIN) else reminder.kind


def _dated(facts: dict[str, Any]) -> dict[str, Any]:
    """ISO date strings back to dates, for the templates' `day` filter."""
    return {k: date.fromisoformat(v) if isinstance(v, str) and _ISO_DATE.match(v) else v for k, v in facts.items()}


def footer(reminder: QueuedReminder, fmt: OutputFormat) -> str:
    how = (
        "/reminders kinds to choose, /settings reminders:false to stop"
        if fmt is OutputFormat.DISCORD
        else "jss-advisor reminders kinds to choose"
    )
    return f"Reminder #{reminder.id} · {how}"  # the rule is in the sources; a past due day only confuses


def idle_days(facts: dict[str, Any], on: date | None) -> int | None:
    """How long the contract has been idle on `on`, the day the reminder is sent: the stored facts say how
    long it was idle when the reminder fell due, and a reminder sent later (turned on late, snoozed, held
    while DMs were closed) must not say "idle 60 days" of a contract idle 110."""
    last = facts.get("last_activity")
    if on is None or not isinstance(last, str) or not _ISO_DATE.match(last):
        return None
    return max(0, (on - date.fromisoformat(last)).days)


def reminder_answer(
    reminder: QueuedReminder, fmt: OutputFormat = OutputFormat.DISCORD, on: date | None = None
) -> Answer:
    """The reminder as an answer citing its rule, sent on `on` (day counts are as of then; None: as stored);
    `data` carries its identity for --json and tests."""
    facts = _dated(reminder.facts)
    idle = idle_days(reminder.facts, on)
    if idle is not None and "idle_days" in facts:
        facts["idle_days"] = max(idle, int(facts["idle_days"]))
    context = {"r": reminder, "kind": shown_kind(reminder), "f": facts, "rules": [reminder.rule_id]}
    data = {
        "reminder": reminder.id,
        "kind": shown_kind(reminder),
        "rule": reminder.rule_id,
        "contract": reminder.contract_id or None,
        "due_on": reminder.due_on.isoformat(),
        "planned_at": reminder.planned_at.isoformat(),
        "delivery": reminder.delivery,
    }
    answer = render_answer("reminder", context, fmt, data=data, level="warning")
    return dataclasses.replace(answer, footer=footer(reminder, fmt))


def one_line(reminder: QueuedReminder, window: DeliveryWindow) -> dict[str, Any]:
    """A list entry: when (local time), and what in a few words (the reminder's title)."""
    context = {"r": reminder, "kind": shown_kind(reminder), "f": _dated(reminder.facts), "rules": [reminder.rule_id]}
    answer = render_answer("reminder", context, OutputFormat.CONSOLE)
    moment: datetime = reminder.sent_at if reminder.state == "sent" and reminder.sent_at else reminder.planned_at
    return {"r": reminder, "when": window.local(moment).strftime("%Y-%m-%d %H:%M"), "what": answer.title}
