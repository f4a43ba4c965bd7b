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


def _dated(facts: dict[str, Any]) -> dict[str, Any]:
    """ISO date strings back to dates, for the templates' `day` filter."""
    return {k: date.fromisoformat(v) if isinstance(v, str) and _ISO_DATE.match(v) else v for k, v in facts.items()}


def footer(reminder: QueuedReminder, fmt: OutputFormat) -> str:
    how = (
        "/reminders kinds to choose, /settings reminders:false to stop"
        if fmt is OutputFormat.DISCORD
        else "jss-advisor reminders kinds to choose"
    )
    return f"Reminder #{reminder.id} · {reminder.rule_id} · due {reminder.due_on.isoformat()} · {how}"


def reminder_answer(reminder: QueuedReminder, fmt: OutputFormat = OutputFormat.DISCORD) -> Answer:
    """The reminder as an answer citing its rule; `data` carries its identity for --json and tests."""
    context = {"r": reminder, "f": _dated(reminder.facts), "rules": [reminder.rule_id]}
    data = {
        "reminder": reminder.id,
        "kind": reminder.kind,
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
    answer = render_answer(
        "reminder", {"r": reminder, "f": _dated(reminder.facts), "rules": [reminder.rule_id]}, OutputFormat.CONSOLE
    )
    moment: datetime = reminder.sent_at if reminder.state == "sent" and reminder.sent_at else reminder.planned_at
    return {"r": reminder, "when": window.local(moment).strftime("%Y-%m-%d %H:%M"), "what": answer.title}
