"""Importing Upwork CSV exports, then asking only for what exports cannot know (status, feedback).

Shares the services' context (same store, output format, clock and error answers) and edits through
the ledger service, so that the console and Discord behave the same way and both are tested once here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from bot.importers import (
    EXPORT_NAMES,
    CountedPayment,
    CsvImportError,
    ExportKind,
    MergePlan,
    ParsedExport,
    PendingRefund,
    combine,
    derive_contracts,
    merge,
    parse_export,
)
from bot.importers.merge import PLACEHOLDER_CLIENT
from bot.importers.upwork_csv import Category
from bot.render import Answer
from bot.store import ImportSummary, StoredPayment, StoreError
from bot.store.imports import Derived, StoredRefund
from scoring.model import Contract, LedgerError

from .context import ServiceContext
from .errors import ServiceError
from .inputs import parse_date
from .ledger import MAX_IMPORT_BYTES, LedgerService, check_contract_cap
from .lookup import one_contract

MAX_FILES = 4
SHOWN_CONTRACTS = 15

_STATUS_WORDS = {
    **dict.fromkeys(("open", "active", "still open", "o", "yes", "y", "ongoing", "running"), "active"),
    **dict.fromkeys(("ended", "end", "closed", "close", "e", "c", "done", "finished", "no", "n"), "ended"),
    **dict.fromkeys(("paused", "pause", "p"), "paused"),
    **dict.fromkeys(("on hold", "on_hold", "on-hold", "hold"), "on_hold"),
}
_NONE_WORDS = {"", "none", "no", "-", "n/a", "na", "unknown", "?"}
_STAR_CHARS = re.compile(r"^[★⭐]+$")


@dataclass(frozen=True)
class CsvImport:
    """What an import did (the rendered answer) and the contracts whose status or feedback to ask for."""

    answer: Answer
    summary: ImportSummary
    needs_details: tuple[Contract, ...]


def status_word(text: str) -> str | None:
    """'open', 'ended', 'closed', 'on hold' ... -> a ContractStatus value; None when not understood."""
    return _STATUS_WORDS.get(" ".join(text.strip().casefold().replace("_", " ").split()))


def contract_label(contract: Contract) -> str:
    """One line to recognise a contract by in a prompt or a menu: title, client, money, last payment."""
    paid = contract.last_payment.isoformat() if contract.last_payment else "never"
    amount = f"${contract.earnings_usd:,.2f}".removesuffix(".00")
    return f"{contract.title} — {contract.client}, {amount}, last paid {paid}"


class ImportService:
    def __init__(self, ctx: ServiceContext, ledger: LedgerService) -> None:
        self.ctx = ctx
        self.ledger = ledger
        self.store = ctx.store

    def _render(self, kind: str, context: dict[str, Any], **kw: Any) -> Answer:
        return self.ctx.render(kind, context, **kw)

    def _bad(self, reason: str | None = None, /, **values: Any) -> ServiceError:
        return self.ctx.error("bad_input", reason, **values)

    # -- import -------------------------------------------------------------------------------------

    async def import_csv(self, user_id: str, files: Sequence[tuple[str, bytes]], *, guided: bool = False) -> CsvImport:
        """Parse, derive and merge the exports, then store the result in one all-or-nothing write.

        `files` are (file name, content) pairs; several exports of the same kind are combined with their
        overlap counted once, and a Transaction History is applied before a Weekly Summary. `guided`: the
        questions follow at once (the onboarding service), so the summary does not say how to ask for them.
        """
        if not files:
            raise self._bad("no_files")
        if len(files) > MAX_FILES:
            raise self._bad("too_many_files", most=MAX_FILES)
        if sum(len(raw) for _, raw in files) > MAX_IMPORT_BYTES:
            raise self._bad("files_too_large", limit_mb=MAX_IMPORT_BYTES // 1_000_000)
        today = self.ctx.today()
        try:
            exports = [parse_export(raw, name, today=today) for name, raw in files]
        except CsvImportError as exc:
            raise self._bad("nothing_imported", detail=str(exc)) from None
        batches = []
        for kind in ExportKind:
            same_kind = [e for e in exports if e.kind is kind]
            if same_kind:
                batches.append(derive_contracts(combine(same_kind), kind.value))

        def derive(
            existing: list[Contract], stored: dict[tuple[str, str], StoredPayment], kept: list[StoredRefund]
        ) -> tuple[Derived, MergePlan]:
            counted = {
                k: CountedPayment(p.contract_id, p.export_kind, p.key, p.category, p.amount_cents)
                for k, p in stored.items()
            }
            pending = [PendingRefund(p.export_kind, p.key, p.refers_key, p.day, p.amount_cents, p.kind) for p in kept]
            plan = merge(existing, batches, counted, pending)
            ledger = plan.ledger()  # no contracts touched: nothing is written
            # Inside the transaction: the stored ids cannot change between this count and the write.
            check_contract_cap(self.ctx, len({c.id for c in existing} | {c.id for c in ledger.contracts}))
            return Derived(ledger, plan.counted, plan.pending, plan.settled), plan

        try:  # read, merge and write in one transaction: an edit made meanwhile is never overwritten
            summary, plan = await self.store.imports.import_with_pending(user_id, derive)
        except (LedgerError, StoreError) as exc:
            raise self._bad("nothing_imported", detail=str(exc)) from None
        needs = tuple(plan.needing_details)
        return CsvImport(self._summary_answer(exports, plan, summary, needs, guided), summary, needs)

    def _summary_answer(
        self,
        exports: Sequence[ParsedExport],
        plan: MergePlan,
        summary: ImportSummary,
        needs: Sequence[Contract],
        guided: bool = False,
    ) -> Answer:
        skipped: Counter[str] = Counter()
        for export in exports:
            skipped.update(export.skipped)
        refunds = any(c.contract.refunded_usd for c in plan.contracts)
        files = [
            {"name": e.source, "label": EXPORT_NAMES[e.kind], "rows": e.rows, "payments": len(e.payments)}
            for e in exports
        ]
        ctx = {
            "files": files,
            "summary": summary,
            "shown": plan.contracts[:SHOWN_CONTRACTS],
            "more": max(0, len(plan.contracts) - SHOWN_CONTRACTS),
            "needs": needs,
            "guided": guided,
            "skipped": sorted(skipped.items()),
            "unattributed": plan.unattributed,
            "waiting": plan.waiting,
            "rules": ["WT-EARNINGS-TIERS", *(["X-REFUND"] if refunds else [])],
        }
        data = {
            "files": [{**f, "kind": e.kind.value} for f, e in zip(files, exports, strict=True)],
            **summary.model_dump(),
            "contracts": [
                {
                    "id": m.contract.id,
                    "title": m.contract.title,
                    "client": m.contract.client,
                    "action": m.action.value,
                    "earnings_usd": str(m.contract.earnings_usd),
                    "refunded_usd": str(m.contract.refunded_usd),
                    "last_payment": m.contract.last_payment.isoformat() if m.contract.last_payment else None,
                }
                for m in plan.contracts
            ],
            "needs_details": [c.id for c in needs],
            "skipped": dict(sorted(skipped.items())),
            "unattributed": [
                {"file": p.source, "line": p.line, "amount_usd": str(p.amount), "refund": p.category is Category.REFUND}
                for p in plan.unattributed
            ],
            "waiting_refunds": [
                {"file": p.source, "line": p.line, "amount_usd": str(p.amount), "day": p.day.isoformat()}
                for p in plan.waiting
            ],
        }
        return self._render("import_csv", ctx, data=data, level="warning" if plan.unattributed else "good")

    # -- details the exports lack -------------------------------------------------------------------

    async def set_details(
        self,
        user_id: str,
        contract_id: str,
        *,
        status: str | None = None,
        ended: str | date | None = None,
        public_stars: str | float | None = None,
        private_rating: str | int | None = None,
        client: str | None = None,
    ) -> Answer:
        """Record what the user told us about an imported contract. None leaves a field as it is; an empty
        string clears stars or private rating. An end date alone means the contract ended."""
        base = await one_contract(self.ctx, user_id, contract_id)
        fields: dict[str, Any] = {}
        ended_text = ended.isoformat() if isinstance(ended, date) else (ended or "").strip()
        if status is not None and status.strip():
            word = status_word(status)
            if word is None:
                raise self._bad("bad_status", text=status.strip())
            fields["status"] = word
            if word != "ended":
                fields["ended"] = ""
        elif ended_text:
            fields["status"] = "ended"
        if fields.get("status") == "ended" and ended_text:
            fields["ended"] = self._end_date(ended_text, base)
        if public_stars is not None:
            fields["public_stars"] = self._stars(public_stars)
        if private_rating is not None:
            fields["private_rating"] = self._private(private_rating)
        if client is not None and client.strip():
            fields["client"] = client.strip()[:200]
        if fields:
            await self.ledger.edit_contract(user_id, contract_id, fields)
        contract = await self.store.get_contract(user_id, contract_id)
        assert contract is not None
        return self._render(
            "contract_details",
            {"c": contract, "changed": bool(fields) and contract != base},
            data={"contract": contract.model_dump(mode="json")},
        )

    def _end_date(self, text: str, base: Contract) -> str:
        try:
            day = parse_date(text, "ended")
        except LedgerError as exc:
            raise self._bad(detail=str(exc)) from None
        if day > self.ctx.today():
            raise self._bad("end_in_future", day=day)
        if day < base.started:
            raise self._bad("end_before_start", day=day, started=base.started)
        return day.isoformat()

    def _stars(self, value: str | float) -> str:
        text = str(value).strip()
        if text.casefold() in _NONE_WORDS:
            return ""
        if _STAR_CHARS.match(text):
            return str(len(text))
        number = text.casefold().removesuffix("stars").removesuffix("star").strip().replace(",", ".")
        try:
            stars = Decimal(number)
        except ArithmeticError:
            stars = Decimal(-1)
        if not stars.is_finite() or not Decimal(1) <= stars <= Decimal(5):
            raise self._bad("bad_stars", text=text)
        return str(stars)

    def _private(self, value: str | int) -> str:
        text = str(value).strip()
        if text.casefold() in _NONE_WORDS:
            return ""
        if not text.isdigit() or not 0 <= int(text) <= 10:
            raise self._bad("bad_private_rating", text=text)
        return text

    def needs_client(self, contract: Contract) -> bool:
        """The export named no client: worth asking, since client messages greet them by name."""
        return contract.client == PLACEHOLDER_CLIENT

    def details_saved(self, contracts: Sequence[Contract]) -> Answer:
        """The closing answer of an interactive session: which contracts got their details."""
        return self._render(
            "contract_details",
            {"c": None, "saved": list(contracts), "changed": bool(contracts)},
            data={"saved": [c.id for c in contracts]},
        )
