"""The reminder queue and per-user reminder state, on the ledger's `Database`.

Why a separate store on the same database: reminders are their own concern, but they must share the
ledger's transactions and lock, so that a claim or a sync never interleaves with a half-written import,
and so one file holds everything a user owns (forget-me cascades to it).

Why it speaks in primitives (kinds and rules as text, `PlannedReminder` and `DeliveryTimes` protocols):
the reminder rules (bot.reminders) are a sibling layer; the services convert between their domain types
and these rows, and pass in the function that turns a user's stored time zone and quiet hours into
delivery times (`DeliveryWindow.of`), so the store never imports the rules.

The work is split by job: `reminder_planning` (choices, re-plan marks, sync), `reminder_queue` (claims,
delivery outcomes, snoozes, listings; its docstring describes the crash-safe delivery protocol) and
`reminder_rows` (row types and protocols). Every statement takes its values as parameters, and every
per-user statement filters on user_id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .backend import Database, stamp
from .errors import StoreError
from .reminder_planning import HISTORY_DAYS, ReminderPlanning
from .reminder_queue import DUE_SCAN, MAX_ERROR_CHARS, ReminderQueue
from .reminder_rows import (
    ACTIVE,
    Claim,
    Cursor,
    DeliveryTimes,
    PlannedReminder,
    QueuedReminder,
    ReplanTicket,
    SyncResult,
    WindowOf,
)

if TYPE_CHECKING:
    from .ledger_store import LedgerStore

_DUE_SCAN = DUE_SCAN  # tests/services/reminders/test_queue.py checks this query's plan


class ReminderStore(ReminderPlanning, ReminderQueue):
    """Queue and reminder state of every user: planning and delivery on one shared `Database`.

    `windows` turns a user's stored time zone, quiet hours and send time into their delivery times
    (pass `bot.reminders.timing.DeliveryWindow.of`). `ledger` is the ledger store on the same database,
    carried for the planner (which reads settings and contracts) and the scheduler (which flags closed
    DMs) so one object is passed around; the reminder store itself never uses it.
    """

    def __init__(self, database: Database, windows: WindowOf, *, ledger: LedgerStore | None = None) -> None:
        super().__init__(database, windows)
        self._ledger = ledger

    @property
    def ledger(self) -> LedgerStore:
        """The ledger store on the same database (see the class docstring)."""
        if self._ledger is None:
            raise StoreError("this ReminderStore was made without a ledger store")
        return self._ledger


__all__ = [
    "ACTIVE",
    "HISTORY_DAYS",
    "MAX_ERROR_CHARS",
    "Claim",
    "Cursor",
    "DeliveryTimes",
    "PlannedReminder",
    "QueuedReminder",
    "ReminderStore",
    "ReplanTicket",
    "SyncResult",
    "WindowOf",
    "stamp",
]
