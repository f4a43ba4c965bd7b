"""Reminders as a service: the durable queue's planner, the scheduler that sends, delivery outcomes, DM text.

The pure rules (which reminders a ledger implies, kinds, delivery windows) stay in `bot.reminders`;
the Discord DM sender lives with the Discord front end and the console commands with the console.
"""

from .service import MAX_SNOOZE_DAYS, ReminderService

__all__ = ["MAX_SNOOZE_DAYS", "ReminderService"]
