"""Imports as the import service runs them, without the store: for tests of whole import sequences."""

from __future__ import annotations

from collections.abc import Sequence

from bot.importers import CountedPayment, ExportKind, PendingRefund, combine, derive_contracts, merge, parse_export
from bot.importers.merge import Action
from scoring.model import Contract
from tests.samples import TODAY

Counted = dict[tuple[str, str], CountedPayment]


class Ledger:
    """What the import service keeps between imports: the contracts and the payments counted so far."""

    def __init__(self) -> None:
        self.contracts: dict[str, Contract] = {}
        self.counted: Counted = {}
        self.pending: dict[tuple[str, str], PendingRefund] = {}  # refunds waiting for their earning

    def load(self, files: Sequence[tuple[str, bytes]]) -> list[Action]:
        """One import of `files`, like `ImportService.import_csv`; returns what it did to each contract."""
        exports = [parse_export(raw, name, today=TODAY) for name, raw in files]
        batches = [
            derive_contracts(combine([e for e in exports if e.kind is kind]), kind.value)
            for kind in ExportKind
            if any(e.kind is kind for e in exports)
        ]
        plan = merge(list(self.contracts.values()), batches, self.counted, list(self.pending.values()))
        self.contracts |= {m.contract.id: m.contract for m in plan.contracts}
        self.counted |= {(p.export_kind, p.key): p for p in plan.counted}
        self.pending |= {(p.export_kind, p.key): p for p in plan.pending}
        for p in plan.settled:
            del self.pending[(p.export_kind, p.key)]
        return [m.action for m in plan.contracts]
