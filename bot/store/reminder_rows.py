"""The reminder store's vocabulary: its row types, the protocols it needs from callers, a shared base.

Why its own types: the reminder rules (bot.reminders) are a sibling layer the store must not import, so
the store speaks in rows and primitives (kinds and rules as text) and declares, as protocols, the little
it needs from the caller's domain types; the services convert. Every reminder store class shares one
`Database` (its lock and transactions) through `ReminderTables`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from .backend import Connection, Database

ACTIVE = ("pending", "held", "sending")
ROW_COLUMNS = (
    "id, user_id, contract_id, rule_id, kind, due_on, state, planned_at, deliver_at, facts, delivery, attempts, "
    "message_id, sent_at, last_error"
)


class PlannedReminder(Protocol):
    """A reminder a derivation wants queued (bot.reminders.rules.DueReminder has this shape).

    `(contract_id, rule_id, due_on)` is its identity in the queue; `kind` is stored as text."""

    @property
    def kind(self) -> str: ...
    @property
    def contract_id(self) -> str: ...
    @property
    def rule_id(self) -> str: ...
    @property
    def due_on(self) -> date: ...
    @property
    def facts(self) -> dict[str, Any]: ...


class DeliveryTimes(Protocol):
    """When one user's reminders may go out (bot.reminders.timing.DeliveryWindow has this shape)."""

    def is_quiet(self, instant: datetime) -> bool: ...
    def after_quiet(self, instant: datetime) -> datetime: ...
    def planned(self, due_on: date, now: datetime) -> datetime: ...


# (timezone, quiet_start, quiet_end, send_time) as stored in user_settings -> that user's delivery times.
WindowOf = Callable[[str, str | None, str | None, str | None], DeliveryTimes]


def _parse(value: str | None) -> datetime | None:
    return None if not value else datetime.fromisoformat(value)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


@dataclass(frozen=True, slots=True)
class QueuedReminder:
    """A reminder as stored in the queue."""

    id: int
    user_id: str
    contract_id: str
    rule_id: str
    kind: str  # a bot.reminders.kinds.ReminderKind value
    due_on: date
    state: str
    planned_at: datetime
    deliver_at: datetime
    facts_json: str  # decoded on use (`facts`): scans over many rows never need it
    delivery: int
    attempts: int
    message_id: str | None
    sent_at: datetime | None
    last_error: str | None

    @property
    def facts(self) -> dict[str, Any]:
        """What the reminder's message says (stored by the derivation)."""
        value: dict[str, Any] = json.loads(self.facts_json)
        return value

    @property
    def nonce(self) -> str:
        """Discord's message nonce (<= 25 characters): the same for every attempt of one delivery, new
        for each delivery (a snooze), so a resend after a crash is deduplicated and a snooze is not."""
        return f"r{_base36(self.id)}.{_base36(self.delivery)}"

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> QueuedReminder:
        return cls(
            id=int(row[0]),
            user_id=row[1],
            contract_id=row[2],
            rule_id=row[3],
            kind=row[4],
            due_on=date.fromisoformat(row[5]),
            state=row[6],
            planned_at=datetime.fromisoformat(row[7]),
            deliver_at=datetime.fromisoformat(row[8]),
            facts_json=row[9],
            delivery=int(row[10]),
            attempts=int(row[11]),
            message_id=row[12],
            sent_at=_parse(row[13]),
            last_error=row[14],
        )


@dataclass(frozen=True, slots=True)
class Claim:
    """A reminder this sender holds until `lease_end`, with the user's delivery window."""

    reminder: QueuedReminder
    token: str
    window: DeliveryTimes
    lease_end: datetime


@dataclass(frozen=True, slots=True)
class ReplanTicket:
    """A user due for a new derivation, with the change counter seen before reading their ledger."""

    user_id: str
    replan_at: str
    changes: int


@dataclass(frozen=True, slots=True)
class SyncResult:
    added: int = 0
    cancelled: int = 0
    updated: int = 0
    resumed: int = 0
    current: bool = True  # False: the ledger changed meanwhile, so the user stays marked for a new derivation


@dataclass(frozen=True, slots=True)
class Cursor:
    """Keyset position in the due scan: (deliver_at, id) of the last row looked at."""

    deliver_at: str = ""
    id: int = 0


class ReminderTables:
    """Base of the reminder store classes: the shared database and the caller's delivery-time function.

    `windows` turns a user's stored time zone, quiet hours and send time into their delivery times
    (pass `bot.reminders.timing.DeliveryWindow.of`)."""

    def __init__(self, database: Database, windows: WindowOf) -> None:
        self._database = database
        self._windows = windows

    # The database's serialised read and write scopes: one lock and one transaction discipline for the file.
    def _read(self) -> AbstractAsyncContextManager[Connection]:
        return self._database.read()

    def _write(self) -> AbstractAsyncContextManager[Connection]:
        return self._database.write(changes_ledger=False)  # the queue is not part of any ledger answer
