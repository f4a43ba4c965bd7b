"""Re-plan one user: read their ledger and choices, derive their reminders, sync the queue.

Why the change counter is read first: a ledger edit between reading the ledger and writing the queue
bumps it, so `ReminderStore.sync` then leaves the user marked and the next scan derives again from
the edited ledger (an edit is never lost to a derivation that started before it).

Why "look again" reminders are read back from the queue: they are not implied by the ledger (the user
asked for one with the "Remind me" button under an advice), and `sync` cancels every queued row the
derivation does not name; so the queue itself is where they live, and each derivation names them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.reminders.kinds import ALL_KINDS
from bot.reminders.rules import ReminderPrefs, derive_reminders
from bot.reminders.timing import DeliveryWindow
from bot.services.reminders.messages import LOOK_AGAIN, STORED_LOOK_AGAIN, shown_kind
from bot.store.reminder_store import PlannedReminder, ReminderStore, ReplanTicket, SyncResult
from scoring.params import DEFAULT_PARAMS, ModelParams

LOOK_AGAIN_LIMIT = 200  # a user's pending "look again" reminders read back per derivation


@dataclass(frozen=True, slots=True)
class LookAgain:
    """A reminder the user asked for: look at a contract's advice again on `due_on` (the advice's date).

    Its queue identity, like every reminder's, is (contract, rule, day): the advice's deciding rule, so a
    derived reminder about the same rule on the same day (e.g. "close it yourself now") takes its place."""

    contract_id: str
    rule_id: str
    due_on: date
    facts: dict[str, Any] = field(default_factory=dict, compare=False)
    kind: str = STORED_LOOK_AGAIN  # see bot.services.reminders.messages.LOOK_AGAIN

    def __post_init__(self) -> None:
        self.facts[LOOK_AGAIN] = True

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.contract_id, self.rule_id, self.due_on)


async def queued_look_agains(reminders: ReminderStore, user_id: str) -> list[LookAgain]:
    """The user's "look again" reminders still to be sent (pending, held or being sent)."""
    rows = await reminders.for_user(user_id, ("pending", "held", "sending"), limit=LOOK_AGAIN_LIMIT)
    return [LookAgain(r.contract_id, r.rule_id, r.due_on, r.facts) for r in rows if shown_kind(r) == LOOK_AGAIN]


async def replan_user(
    reminders: ReminderStore,
    user_id: str,
    now: datetime,
    params: ModelParams = DEFAULT_PARAMS,
    ticket: ReplanTicket | None = None,
    extra: Sequence[LookAgain] = (),
) -> SyncResult:
    """Derive the user's reminders as of their local date at `now` and make the queue match (keeping the
    "look again" reminders already queued, plus `extra`)."""
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
    derived: list[PlannedReminder] = list(derivation.reminders)
    known = {r.key for r in derivation.reminders}
    open_ids = {c.id for c in contracts if c.is_open}
    for wanted in [*await queued_look_agains(reminders, user_id), *extra]:
        # Dropped once the contract is gone or ended: there is nothing left to look at again.
        if wanted.key not in known and wanted.contract_id in open_ids:
            derived.append(wanted)
            known.add(wanted.key)
    replan_at = window.next_local_midnight(derivation.recheck_on)
    return await reminders.sync(ticket, settings, derived, now, replan_at, today)
