"""Durable per-user ledger store (SQLite via aiosqlite): contracts, close requests, settings, audit.

Import from here, not from the submodules, so the layout can change without touching callers.
"""

from bot.store.errors import (
    ContractEndedError,
    ContractExistsError,
    ContractNotFoundError,
    InvalidIdError,
    InvalidSettingError,
    StoreBusyError,
    StoreError,
    StoreVersionError,
)
from bot.store.ledger_store import Clock, ImportMode, LedgerStore
from bot.store.migrations import latest_version, load_migrations, migrate
from bot.store.models import AuditAction, AuditEntry, CountedPayment, ImportSummary
from bot.store.settings import UserSettings

__all__ = [
    "AuditAction",
    "AuditEntry",
    "Clock",
    "ContractEndedError",
    "ContractExistsError",
    "ContractNotFoundError",
    "ImportMode",
    "CountedPayment",
    "ImportSummary",
    "InvalidIdError",
    "InvalidSettingError",
    "LedgerStore",
    "StoreBusyError",
    "StoreError",
    "StoreVersionError",
    "UserSettings",
    "latest_version",
    "load_migrations",
    "migrate",
]
