"""`rs`: the reminder store over the root `store` fixture (a real SQLite file)."""

from __future__ import annotations

import pytest

from bot.reminders.timing import DeliveryWindow
from bot.store import LedgerStore
from bot.store.reminder_store import ReminderStore


@pytest.fixture
def rs(store: LedgerStore) -> ReminderStore:
    return ReminderStore(store.database, DeliveryWindow.of, ledger=store)
