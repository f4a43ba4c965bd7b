"""Durable per-user ledger store (SQLite via aiosqlite, or PostgreSQL via asyncpg): contracts, close requests,
settings, audit.

Import from here, not from the submodules, so the layout can change without touching callers.
"""

from bot.store.backend import Database, is_url
from bot.store.contracts import ContractStore
from bot.store.errors import (
    ContractEndedError,
    ContractExistsError,
    ContractNotFoundError,
    InvalidIdError,
    InvalidSettingError,
    StoreBusyError,
    StoreError,
    StoreOpenError,
    StoreReadOnlyError,
    StoreVersionError,
)
from bot.store.imports import ImportMode, ImportStore
from bot.store.ledger_store import LedgerStore
from bot.store.migrations import latest_version, load_migrations, migrate
from bot.store.models import AuditAction, AuditEntry, ImportSummary, PaymentRecord, StoredPayment
from bot.store.scores import ScoreHistoryStore
from bot.store.settings import UserSettings
from bot.store.settings_store import SettingsStore
from bot.store.users import UserStore

__all__ = [
    "AuditAction",
    "AuditEntry",
    "ContractEndedError",
    "ContractExistsError",
    "ContractNotFoundError",
    "ContractStore",
    "Database",
    "ImportMode",
    "ImportStore",
    "PaymentRecord",
    "StoredPayment",
    "ImportSummary",
    "InvalidIdError",
    "InvalidSettingError",
    "LedgerStore",
    "ScoreHistoryStore",
    "SettingsStore",
    "StoreBusyError",
    "StoreError",
    "StoreOpenError",
    "StoreReadOnlyError",
    "StoreVersionError",
    "UserSettings",
    "UserStore",
    "is_url",
    "latest_version",
    "load_migrations",
    "migrate",
]
