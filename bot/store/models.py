"""Small value types the store returns besides contracts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict


class AuditAction(StrEnum):
    """What an audit row records; stable strings because they are stored."""

    CONTRACT_ADD = "contract.add"
    CONTRACT_UPDATE = "contract.update"
    CONTRACT_RENAME = "contract.rename"
    CONTRACT_REMOVE = "contract.remove"
    CLOSE_REQUEST = "contract.close_request"
    LEDGER_IMPORT = "ledger.import"
    SETTINGS_UPDATE = "settings.update"


class AuditEntry(BaseModel):
    """One change to a user's data, newest first in `LedgerStore.audit_log`."""

    model_config = ConfigDict(frozen=True)

    id: int
    user_id: str
    at: datetime
    action: str
    contract_id: str | None
    detail: dict[str, Any]


class ImportSummary(BaseModel):
    """What an import did, by contract count, so the bot can say "3 added, 1 updated, 2 removed"."""

    model_config = ConfigDict(frozen=True)

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        """Whether the import wrote anything at all."""
        return bool(self.added or self.updated or self.removed)

    def __add__(self, other: ImportSummary) -> ImportSummary:
        """Totals over several users (bulk import)."""
        return ImportSummary(
            added=self.added + other.added,
            updated=self.updated + other.updated,
            removed=self.removed + other.removed,
            unchanged=self.unchanged + other.unchanged,
        )


@dataclass(frozen=True, slots=True)
class StoredPayment:
    """A payment an Upwork CSV import counted, as the store keeps it (table `imported_payments`).

    The importers own what a counted payment means and how its `key` is made; the store only keeps the
    rows, so any object with these six attributes (`PaymentRecord`) can be written."""

    contract_id: str
    export_kind: str  # "transactions" | "weekly": each kind is a complete view of its own
    key: str
    category: str  # "earning" | "refund"
    amount_cents: int
    payment_kind: str | None = None  # "hourly" | "fixed" | None (a bonus: says nothing of the contract type)


class PaymentRecord(Protocol):
    """What the store needs of a counted payment to write it."""

    @property
    def contract_id(self) -> str: ...
    @property
    def export_kind(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def amount_cents(self) -> int: ...
    @property
    def payment_kind(self) -> str | None: ...
