"""Whole-ledger writes: file imports, CSV-derived imports with their counted payments, bulk restores.

Why separate from single-contract edits: an import diffs the stored rows against the incoming ones and
touches only what differs, all or nothing in one transaction with one audit row per user; that diffing
and the counted-payment bookkeeping are a job of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol, TypeVar

from scoring.model import Contract, Ledger

from .audit import ensure_user, write_audit
from .backend import Connection, Database
from .contract_sql import UPSERT, contracts_in, delete_requests, existing_rows, insert_requests
from .ids import check_user
from .models import AuditAction, ImportSummary, PaymentRecord, StoredPayment
from .rows import ContractRow, contract_to_row, request_dates

ImportMode = Literal["replace", "merge"]
T = TypeVar("T")
IncomingRows = list[tuple[ContractRow, tuple[str, ...]]]
Derive = Callable[[list[Contract], dict[tuple[str, str], StoredPayment]], tuple[Ledger, Sequence[PaymentRecord], T]]

_PAYMENT_COLUMNS = "contract_id, export_kind, payment_key, category, amount_cents, payment_kind"
_PENDING_COLUMNS = "export_kind, payment_key, refers_key, day, amount_cents, kind"


@dataclass(frozen=True, slots=True)
class StoredRefund:
    """A refund a CSV import keeps until the earning it names is imported (table `pending_refunds`).

    The importers own what it means (`bot.importers.PendingRefund` has these fields); the store keeps rows."""

    export_kind: str
    key: str
    refers_key: str
    day: date
    amount_cents: int
    kind: str | None


class RefundRecord(Protocol):
    """What the store needs of a pending refund to write or delete it."""

    @property
    def export_kind(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def refers_key(self) -> str: ...
    @property
    def day(self) -> date: ...
    @property
    def amount_cents(self) -> int: ...
    @property
    def kind(self) -> str | None: ...


@dataclass(frozen=True)
class Derived:
    """What an import derived from the stored rows: the ledger to merge, the payments it counted, the
    refunds it keeps for later and those kept earlier that it settled."""

    ledger: Ledger
    counted: Sequence[PaymentRecord]
    pending: Sequence[RefundRecord] = ()
    settled: Sequence[RefundRecord] = ()


DeriveAll = Callable[[list[Contract], dict[tuple[str, str], StoredPayment], list[StoredRefund]], tuple[Derived, T]]


def prepare_import(ledger: Ledger, mode: str) -> IncomingRows:
    """Convert before taking the write lock, so CPU work does not hold other writers up."""
    if mode not in ("replace", "merge"):
        raise ValueError(f"import mode must be 'replace' or 'merge', not {mode!r}")
    return [(contract_to_row(c), request_dates(c)) for c in ledger.contracts]


async def import_rows(
    db: Connection, user_id: str, incoming: IncomingRows, mode: ImportMode, now: str
) -> ImportSummary:
    """Apply one user's import inside the caller's transaction, touching only rows that differ."""
    await ensure_user(db, user_id, now)
    existing = await existing_rows(db, user_id)
    writes: IncomingRows = []
    reset: list[str] = []
    added = updated = unchanged = 0
    for row, requests in incoming:
        old = existing.get(row[0])
        if old is None:
            added += 1
            writes.append((row, requests))
        elif old != (row, requests):
            updated += 1
            writes.append((row, requests))
            reset.append(row[0])
        else:
            unchanged += 1
    removed: list[str] = []
    if mode == "replace":
        keep = {row[0] for row, _ in incoming}
        removed = [cid for cid in existing if cid not in keep]
    if removed:
        await db.executemany(
            "DELETE FROM contracts WHERE user_id = ? AND contract_id = ?", [(user_id, cid) for cid in removed]
        )
    if writes:
        await db.executemany(UPSERT, [(user_id, *row) for row, _ in writes])
    await delete_requests(db, user_id, reset)
    await insert_requests(db, user_id, [(row[0], day) for row, requests in writes for day in requests])
    summary = ImportSummary(added=added, updated=updated, removed=len(removed), unchanged=unchanged)
    await write_audit(db, user_id, now, AuditAction.LEDGER_IMPORT, None, {"mode": mode, **summary.model_dump()})
    return summary


class ImportStore:
    """Ledger imports of every user, on a shared `Database`."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def import_ledger(self, user_id: str, ledger: Ledger, mode: ImportMode) -> ImportSummary:
        """Import a validated ledger file, all or nothing, in one transaction.

        merge: add new ids and overwrite existing ones with the file's version, keep the rest.
        replace: afterwards the user has exactly the file's contracts.
        """
        check_user(user_id)
        incoming = prepare_import(ledger, mode)
        async with self._database.write() as db:
            return await import_rows(db, user_id, incoming, mode, self._database.now())

    async def import_derived(self, user_id: str, derive: Derive[T]) -> tuple[ImportSummary, T]:
        """`import_with_pending` for a derivation that keeps no refunds for later."""

        def full(
            contracts: list[Contract], counted: dict[tuple[str, str], StoredPayment], _: list[StoredRefund]
        ) -> tuple[Derived, T]:
            ledger, fresh, extra = derive(contracts, counted)
            return Derived(ledger, fresh), extra

        return await self.import_with_pending(user_id, full)

    async def import_with_pending(self, user_id: str, derive: DeriveAll[T]) -> tuple[ImportSummary, T]:
        """Read the user's contracts, counted payments and pending refunds, derive what to merge in, merge
        it and record the newly counted payments and the refunds kept or settled: one transaction.

        Why one: an import computed from a read made before the write (a CSV export merged into the
        ledger) would overwrite, with the version it read, an edit committed in between, by this bot or
        by any other process; and two imports of the same export at once would both count it. Here no
        other writer can commit between the read and the write. `derive` is synchronous (it runs while
        the write lock is held); it gets the payments keyed by (export kind, key) and the pending refunds,
        and returns a `Derived` (the ledger to merge in "merge" mode, ...) and anything the caller wants
        back. An empty ledger writes no contracts."""
        check_user(user_id)
        async with self._database.write() as db:
            contracts = await contracts_in(db, user_id)
            rows = await db.execute_fetchall(
                f"SELECT {_PAYMENT_COLUMNS} FROM imported_payments WHERE user_id = ?", (user_id,)
            )
            counted = {(row[1], row[2]): StoredPayment(*row) for row in rows}
            rows = await db.execute_fetchall(
                f"SELECT {_PENDING_COLUMNS} FROM pending_refunds WHERE user_id = ? ORDER BY export_kind, payment_key",
                (user_id,),
            )
            kept = [StoredRefund(r[0], r[1], r[2], date.fromisoformat(r[3]), r[4], r[5]) for r in rows]
            derived, extra = derive(contracts, counted, kept)
            summary = ImportSummary()
            if derived.ledger.contracts:
                incoming = prepare_import(derived.ledger, "merge")
                summary = await import_rows(db, user_id, incoming, "merge", self._database.now())
            elif derived.pending or derived.settled:
                await ensure_user(db, user_id, self._database.now())
            if derived.counted:
                await db.executemany(
                    f"INSERT INTO imported_payments (user_id, {_PAYMENT_COLUMNS})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [
                        (user_id, p.contract_id, p.export_kind, p.key, p.category, p.amount_cents, p.payment_kind)
                        for p in derived.counted
                    ],
                )
            if derived.settled:
                await db.executemany(
                    "DELETE FROM pending_refunds WHERE user_id = ? AND export_kind = ? AND payment_key = ?",
                    [(user_id, p.export_kind, p.key) for p in derived.settled],
                )
            if derived.pending:
                await db.executemany(
                    f"INSERT INTO pending_refunds (user_id, {_PENDING_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT DO NOTHING",
                    [
                        (user_id, p.export_kind, p.key, p.refers_key, p.day.isoformat(), p.amount_cents, p.kind)
                        for p in derived.pending
                    ],
                )
        return summary, extra

    async def pending_refunds(self, user_id: str) -> list[StoredRefund]:
        """The refunds CSV imports keep until their earning is imported (tests, support)."""
        check_user(user_id)
        async with self._database.read() as db:
            rows = await db.execute_fetchall(
                f"SELECT {_PENDING_COLUMNS} FROM pending_refunds WHERE user_id = ? ORDER BY export_kind, payment_key",
                (user_id,),
            )
        return [StoredRefund(r[0], r[1], r[2], date.fromisoformat(r[3]), r[4], r[5]) for r in rows]

    async def counted_payments(self, user_id: str) -> list[StoredPayment]:
        """The payments CSV imports have counted for the user (tests, support)."""
        check_user(user_id)
        async with self._database.read() as db:
            rows = await db.execute_fetchall(
                f"SELECT {_PAYMENT_COLUMNS} FROM imported_payments"
                " WHERE user_id = ? ORDER BY contract_id, export_kind, payment_key",
                (user_id,),
            )
        return [StoredPayment(*row) for row in rows]

    async def bulk_import(self, batch: Iterable[tuple[str, Ledger]], mode: ImportMode = "replace") -> ImportSummary:
        """Import many users' ledgers in ONE transaction (migrations, restores, benchmarks).

        Same per-user semantics and audit rows as `import_ledger`, but one commit for the whole batch,
        so it is all-or-nothing across users too; keep batches to a few thousand contracts or so, since
        the write lock is held throughout. Returns the totals.
        """
        prepared: list[tuple[str, IncomingRows]] = []
        seen: set[str] = set()
        for user_id, ledger in batch:
            check_user(user_id)
            if user_id in seen:
                raise ValueError(f"user {user_id!r} appears twice in one bulk import")
            seen.add(user_id)
            prepared.append((user_id, prepare_import(ledger, mode)))
        total = ImportSummary()
        if not prepared:
            return total
        async with self._database.write() as db:
            now = self._database.now()
            for user_id, incoming in prepared:
                total = total + await import_rows(db, user_id, incoming, mode, now)
        return total
