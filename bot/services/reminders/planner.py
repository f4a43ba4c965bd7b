"""Re-plan one user: read their ledger and choices, derive their reminders, sync the queue.

Why the change counter is read first: a ledger edit between reading the ledger and writing the queue
bumps it, so `ReminderStore.sync` then leaves the user marked and the next scan derives again from
the edited ledger (an edit is never lost to a derivation that started before it).
"""

from __future__ import annotations

from datetime import datetime

from bot.reminders.kinds import ALL_KINDS
from bot.reminders.rules import ReminderPrefs, derive_reminders
from bot.reminders.timing import DeliveryWindow
from bot.store.reminder_store import ReminderStore, ReplanTicket, SyncResult
from scoring.params import DEFAULT_PARAMS, ModelParams


async def replan_user(
    reminders: ReminderStore,
    user_id: str,
    now: datetime,
    params: ModelParams = DEFAULT_PARAMS,
    ticket: ReplanTicket | None = None,
) -> SyncResult:
    """Derive the user's reminders as of their local date at `now` and make the queue match."""
    ticket = ticket or await reminders.ticket(user_id)
    settings = await reminders.ledger.get_settings(user_id)
    window = DeliveryWindow.of_settings(settings)
    today = window.today(now)
    if not settings.reminders_enabled:
        return await reminders.sync(ticket, settings, (), now, None, today)
    contracts = await reminders.ledger.list_contracts(user_id)
    off = await reminders.kinds_off(user_id)
    kinds = frozenset(k for k in ALL_KINDS if k not in off)
    derivation = derive_reminders(contracts, today, ReminderPrefs(settings.idle_reminder_days, kinds), params)
    replan_at = window.next_local_midnight(derivation.recheck_on)
    return await reminders.sync(ticket, settings, derivation.reminders, now, replan_at, today)
