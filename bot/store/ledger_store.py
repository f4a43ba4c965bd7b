"""The durable per-user ledger store: one SQLite file or a PostgreSQL database, async API, opened with
`LedgerStore.open` (a file path, or a `postgresql://` URL: see `backend`).

Why a facade over small stores: callers (services, console, Discord) were written against one object
with every method; the work itself lives in one store class per job, all sharing one `Database` (its
connection, lock and transactions):

* `contracts` (ContractStore): reads, search and single-contract edits;
* `imports` (ImportStore): whole-ledger imports, CSV-derived imports, bulk restores;
* `settings` (SettingsStore): user settings and servers' forum channels;
* `scores` (ScoreHistoryStore): recorded JSS values;
* `users` (UserStore): audit history, user listing, forget-me.

The methods below only delegate, so existing callers keep working while they move to the stores
(transitional: new code may use the store attributes directly). The reminder queue is another store
on the same database: `ReminderStore(store.database, ...)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiosqlite

from bot.clock import Clock
from scoring.model import Contract, Ledger

from .backend import Database
from .contracts import ContractStore
from .database import SqliteDatabase
from .imports import Derive, ImportMode, ImportStore, T
from .models import AuditEntry, ImportSummary, StoredPayment
from .pg_database import PgDatabase
from .scores import ScoreHistoryStore
from .settings import UserSettings
from .settings_store import SettingsStore
from .users import UserStore


class LedgerStore:
    """Contracts, settings and history of every user, in one SQLite file or one PostgreSQL database.

    Open with `await LedgerStore.open(path)` and close with `await store.close()` (or use
    `async with await LedgerStore.open(path) as store:`); an unclosed store keeps a worker thread alive.
    """

    def __init__(self, database: Database) -> None:
        """Internal: use `open`, which configures and migrates the database first."""
        self.database = database
        self.contracts = ContractStore(database)
        self.imports = ImportStore(database)
        self.settings = SettingsStore(database)
        self.scores = ScoreHistoryStore(database)
        self.users = UserStore(database)

    # ----------------------------------------------------------------- lifecycle

    @classmethod
    async def open(cls, path: str | Path, *, clock: Clock | None = None) -> LedgerStore:
        """Open (creating if needed) and migrate the store at `path` (a SQLite file, or a PostgreSQL URL);
        `clock` is for tests."""
        return cls(await Database.open(path, clock=clock))

    @property
    def path(self) -> str:
        """Where the database lives (for log lines and the console's `info`)."""
        return self.database.path

    async def close(self) -> None:
        """Close the database (idempotent); waits for an operation in progress to finish."""
        await self.database.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def _connection(self) -> aiosqlite.Connection:
        """Transitional alias of `database.connection()` for tests/store/crash_child.py (white-box, SQLite)."""
        assert isinstance(self.database, SqliteDatabase)
        return self.database.connection()

    @property
    def generation(self) -> int:
        """How many ledger-changing commits this store has made (cheap: no query)."""
        return self.database.generation

    async def version(self) -> tuple[int, int]:
        """See `Database.version`: changes whenever the data may have changed, in any process."""
        return await self.database.version()

    # ----------------------------------------------------------------- contracts (ContractStore)

    async def list_contracts(self, user_id: str) -> list[Contract]:
        return await self.contracts.list_contracts(user_id)

    async def get_contract(self, user_id: str, contract_id: str) -> Contract | None:
        return await self.contracts.get_contract(user_id, contract_id)

    async def get_ledger(self, user_id: str) -> Ledger:
        return await self.contracts.get_ledger(user_id)

    async def count_contracts(self, user_id: str) -> int:
        return await self.contracts.count_contracts(user_id)

    async def search_contracts(self, user_id: str, text: str, limit: int = 25) -> list[tuple[str, str]]:
        return await self.contracts.search_contracts(user_id, text, limit)

    async def add_contract(self, user_id: str, contract: Contract) -> None:
        await self.contracts.add_contract(user_id, contract)

    async def update_contract(self, user_id: str, contract: Contract) -> None:
        await self.contracts.update_contract(user_id, contract)

    async def rename_contract(self, user_id: str, old_id: str, new_id: str) -> Contract:
        return await self.contracts.rename_contract(user_id, old_id, new_id)

    async def remove_contract(self, user_id: str, contract_id: str) -> Contract:
        return await self.contracts.remove_contract(user_id, contract_id)

    async def record_close_request(self, user_id: str, contract_id: str, on: date) -> Contract:
        return await self.contracts.record_close_request(user_id, contract_id, on)

    # ----------------------------------------------------------------- imports (ImportStore)

    async def import_ledger(self, user_id: str, ledger: Ledger, mode: ImportMode) -> ImportSummary:
        return await self.imports.import_ledger(user_id, ledger, mode)

    async def import_derived(self, user_id: str, derive: Derive[T]) -> tuple[ImportSummary, T]:
        return await self.imports.import_derived(user_id, derive)

    async def counted_payments(self, user_id: str) -> list[StoredPayment]:
        return await self.imports.counted_payments(user_id)

    async def bulk_import(self, batch: Iterable[tuple[str, Ledger]], mode: ImportMode = "replace") -> ImportSummary:
        return await self.imports.bulk_import(batch, mode)

    # ----------------------------------------------------------------- settings (SettingsStore)

    async def get_settings(self, user_id: str) -> UserSettings:
        return await self.settings.get_settings(user_id)

    async def update_settings(self, user_id: str, **changes: Any) -> UserSettings:
        return await self.settings.update_settings(user_id, **changes)

    async def get_forum_channel(self, guild_id: str) -> str | None:
        return await self.settings.get_forum_channel(guild_id)

    async def set_forum_channel(self, guild_id: str, channel_id: str | None) -> None:
        await self.settings.set_forum_channel(guild_id, channel_id)

    # ----------------------------------------------------------------- scores (ScoreHistoryStore)

    async def record_snapshot(self, user_id: str, on: date, jss: int) -> None:
        await self.scores.record_snapshot(user_id, on, jss)

    async def list_snapshots(self, user_id: str, limit: int = 200) -> list[tuple[date, int]]:
        return await self.scores.list_snapshots(user_id, limit)

    # ----------------------------------------------------------------- users (UserStore)

    async def audit_log(self, user_id: str, limit: int = 50) -> list[AuditEntry]:
        return await self.users.audit_log(user_id, limit)

    async def user_ids(self, after: str | None = None, limit: int = 1000) -> list[str]:
        return await self.users.user_ids(after, limit)

    async def forget_user(self, user_id: str) -> int:
        return await self.users.forget_user(user_id)


BACKENDS = (SqliteDatabase, PgDatabase)  # imported here so `Database.open` finds both by their scheme

__all__ = ["BACKENDS", "ImportMode", "LedgerStore"]
