"""The user's ledger: add, edit, list, show and remove contracts, record a close request, import and
export the whole ledger, forget the user, and the contract autocomplete.

The only service that changes contracts; the others read them (see lookup.py).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from bot.render import Answer
from bot.store import ContractExistsError, ContractNotFoundError, ImportMode, StoreError
from scoring import engine
from scoring.model import Contract, ContractStatus, Ledger, LedgerError, ledger_to_json_data, parse_ledger_json
from scoring.rulebook import rule_numbers

from .context import ServiceContext
from .inputs import check_entry_day, contract_from_fields, future_field, latest_entry_day
from .lookup import check_as_of, display_names, missing_contract, one_contract

MAX_IMPORT_BYTES = 2_000_000
# Contracts one user may keep: far above any real freelancer's ledger (a busy one ends a few hundred jobs
# in ten years), so it only stops abuse: every answer loads and computes over the whole ledger.
MAX_CONTRACTS_PER_USER = 5_000
AUTOCOMPLETE_CHOICES = 25  # Discord shows at most 25


def check_contract_cap(ctx: ServiceContext, total: int) -> None:
    """Refuse a change that would leave the user with more than MAX_CONTRACTS_PER_USER contracts."""
    if total > MAX_CONTRACTS_PER_USER:
        raise ctx.error("bad_input", "too_many_contracts", limit=MAX_CONTRACTS_PER_USER, total=total)


class LedgerService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def add_contract(self, user_id: str, fields: dict[str, Any]) -> Answer:
        try:
            contract = contract_from_fields(fields, today=self.ctx.today())
            # Checked before the write, not inside it: two adds at once may pass one over the cap, which
            # is harmless (the cap bounds abuse, it is not a quota anyone reaches).
            check_contract_cap(self.ctx, await self.ctx.store.count_contracts(user_id) + 1)
            await self.ctx.store.add_contract(user_id, contract)
        except LedgerError as exc:
            raise self.ctx.error("bad_input", detail=str(exc)) from None
        except ContractExistsError as exc:
            raise self.ctx.error("exists", detail=str(exc)) from None
        return self.ctx.render("notice", {"key": "added", "detail": contract.id}, data={"contract": contract.id})

    async def edit_contract(self, user_id: str, contract_id: str, fields: dict[str, Any]) -> Answer:
        base = await one_contract(self.ctx, user_id, contract_id)
        new_id = fields.pop("id", None)
        try:
            contract = contract_from_fields(fields, base, today=self.ctx.today())
            contract = await self.ctx.store.contracts.edit_contract(user_id, contract, new_id or None)  # all or nothing
        except (LedgerError, StoreError) as exc:
            raise self.ctx.error("bad_input", detail=str(exc)) from None
        return self.ctx.render("notice", {"key": "updated", "detail": contract.id}, data={"contract": contract.id})

    async def list_contracts(self, user_id: str, as_of: date | None = None) -> Answer:
        contracts = await self.ctx.store.list_contracts(user_id)
        as_of = as_of or self.ctx.today()
        data = {"contracts": [c.model_dump(mode="json") for c in contracts]}
        return self.ctx.render("contracts", {"contracts": contracts, "as_of": as_of}, data=data)

    async def contract_count(self, user_id: str) -> int:
        """How many contracts the user has (one COUNT query): front ends defer engine answers on big ledgers."""
        return await self.ctx.store.count_contracts(user_id)

    async def contract(self, user_id: str, contract_id: str) -> Contract:
        """One of the user's contracts (e.g. to fill in an edit form); not_found when it is not theirs."""
        return await one_contract(self.ctx, user_id, contract_id)

    async def find_contract(self, user_id: str, contract_id: str) -> Contract | None:
        """The contract, or None when it is not (or no longer) in the user's ledger."""
        return await self.ctx.store.get_contract(user_id, contract_id)

    async def show_contract(self, user_id: str, contract_id: str, as_of: date | None = None) -> Answer:
        contract = await one_contract(self.ctx, user_id, contract_id)
        cls = engine.classify(contract, as_of or self.ctx.today(), self.ctx.params)
        data = {"contract": contract.model_dump(mode="json"), "counts": cls.counts, "outcome": cls.kind.value}
        return self.ctx.render("contract", {"c": contract, "cls": cls, "rules": list(cls.rules)}, data=data)

    async def remove_contract(self, user_id: str, contract_id: str) -> Answer:
        try:
            removed = await self.ctx.store.remove_contract(user_id, contract_id)
        except ContractNotFoundError:
            raise await missing_contract(self.ctx, user_id, contract_id) from None
        return self.ctx.render("notice", {"key": "removed", "detail": removed.id}, data={"contract": removed.id})

    async def asked_client(self, user_id: str, contract_id: str, on: date | None = None) -> Answer:
        on = on or self.ctx.today()
        try:  # a request dated in the future would make every analysis as of today refuse to run
            check_entry_day(on, "on", self.ctx.today())
        except LedgerError as exc:
            raise self.ctx.error("bad_input", detail=str(exc)) from None
        existing = await one_contract(self.ctx, user_id, contract_id)
        if on < existing.started:
            raise self.ctx.error("bad_input", "asked_before_start", on=on, contract=existing)
        try:
            contract = await self.ctx.store.record_close_request(user_id, contract_id, on)
        except ContractNotFoundError:
            raise await missing_contract(self.ctx, user_id, contract_id) from None
        except StoreError as exc:
            raise self.ctx.error("bad_input", detail=str(exc)) from None
        requests = len(contract.close_requests)
        return self.ctx.render(
            "notice",
            {"key": "asked", "contract": contract.id, "requests": requests, "rules": ["C-CLOSE-ADVICE"]},
            data={"contract": contract.id, "close_requests": requests},
        )

    # -- one-click actions (the buttons under an advice answer and on reminder DMs), each with its undo --

    def _action(self, key: str, contract: Contract, **values: Any) -> Answer:
        """A confirmation from `action.md.j2`; `data` says what was recorded, so an undo can be offered."""
        context = {"key": key, "c": contract, "name": display_names([contract])[contract.id], **values}
        data = {"action": key, "contract": contract.id, **{k: _plain(v) for k, v in values.items() if k != "rules"}}
        return self.ctx.render("action", context, data=data)

    async def record_asked(self, user_id: str, contract_id: str) -> Answer:
        """ "I asked the client": today's close request, as `contracts asked-client` records it. `data.added`
        is False when today's request was already on record (then there is nothing to undo)."""
        before = await one_contract(self.ctx, user_id, contract_id)
        today = self.ctx.today()
        if not before.is_open:
            raise self.ctx.error("bad_input", "letter_ended", contract_id=before.id)
        await self.asked_client(user_id, contract_id, today)
        after = await one_contract(self.ctx, user_id, contract_id)
        added = today not in before.close_requests
        return self._action(
            "asked", after, on=today, added=added, requests=len(after.close_requests), rules=["C-CLOSE-ADVICE"]
        )

    async def undo_asked(self, user_id: str, contract_id: str, on: date) -> Answer:
        """Undo "I asked the client": remove the close request of `on` (a second undo changes nothing)."""
        contract = await one_contract(self.ctx, user_id, contract_id)
        removed = on in contract.close_requests
        if removed:
            kept = tuple(d for d in contract.close_requests if d != on)
            contract = await self._store_edit(contract, user_id, close_requests=kept)
        return self._action("unasked", contract, on=on, removed=removed, requests=len(contract.close_requests))

    async def record_closed(self, user_id: str, contract_id: str) -> Answer:
        """ "Closed it": the contract ended today, its feedback not known yet (the ledger's "no stars yet":
        the client has FB-14DAYS to leave it, and the feedback reminder asks for it before then)."""
        contract = await one_contract(self.ctx, user_id, contract_id)
        today = self.ctx.today()
        if not contract.is_open:
            return self._action("closed", contract, on=contract.ended, was=None, added=False, deadline=None)
        was = contract.status.value
        ended = max(today, contract.last_activity)
        contract = await self._store_edit(contract, user_id, status=ContractStatus.ENDED, ended=ended)
        deadline = ended + timedelta(days=rule_numbers().feedback_days)
        return self._action(
            "closed", contract, on=ended, was=was, added=True, deadline=deadline, rules=["FB-14DAYS", "C-FL-CAN-END"]
        )

    async def undo_closed(self, user_id: str, contract_id: str, status: str) -> Answer:
        """Undo "Closed it": open again with the status it had (`status`), if it is still ended without feedback."""
        contract = await one_contract(self.ctx, user_id, contract_id)
        try:
            was = ContractStatus(status)
        except ValueError:
            raise self.ctx.error("bad_input", "bad_status", text=status) from None
        reopened = not contract.is_open and not contract.has_feedback and was is not ContractStatus.ENDED
        if reopened:
            contract = await self._store_edit(contract, user_id, status=was, ended=None)
        return self._action("reopened", contract, reopened=reopened)

    async def _store_edit(self, contract: Contract, user_id: str, **changes: Any) -> Contract:
        """Store `contract` with `changes` (validated as a whole, like an edit form)."""
        try:
            edited = Contract.model_validate({**contract.model_dump(), **changes})
            return await self.ctx.store.contracts.edit_contract(user_id, edited)
        except ContractNotFoundError:
            raise await missing_contract(self.ctx, user_id, contract.id) from None
        except (LedgerError, StoreError, ValueError) as exc:
            raise self.ctx.error("bad_input", detail=str(exc)) from None

    async def import_ledger(self, user_id: str, raw: bytes | str, mode: ImportMode = "merge") -> Answer:
        if len(raw) > MAX_IMPORT_BYTES:
            raise self.ctx.error("bad_input", "import_too_large", limit_mb=MAX_IMPORT_BYTES // 1_000_000)
        try:
            ledger = parse_ledger_json(raw)
            self._check_import_dates(ledger)
            await self._check_import_cap(user_id, ledger, mode)
            summary = await self.ctx.store.import_ledger(user_id, ledger, mode)
        except (LedgerError, StoreError) as exc:
            raise self.ctx.error("bad_input", "nothing_imported", detail=str(exc)) from None
        return self.ctx.render("notice", {"key": "imported", "summary": summary}, data=summary.model_dump())

    async def _check_import_cap(self, user_id: str, ledger: Ledger, mode: ImportMode) -> None:
        """The contracts the user would have after the import, against the cap: the file's alone when it
        replaces the ledger; merged, the stored ids are read only when the sum could pass the cap."""
        incoming = {c.id for c in ledger.contracts}
        total = len(incoming)
        if mode != "replace" and total + await self.ctx.store.count_contracts(user_id) > MAX_CONTRACTS_PER_USER:
            total = len(incoming | {c.id for c in await self.ctx.store.list_contracts(user_id)})
        check_contract_cap(self.ctx, total)

    def _check_import_dates(self, ledger: Ledger) -> None:
        """Refuse a contract dated after today (+ margin), as typed-in dates are: stored, it would make
        every analysis refuse to run. The model already refused days before EARLIEST_DAY."""
        latest = latest_entry_day(self.ctx.today())
        for index, contract in enumerate(ledger.contracts, start=1):
            late = future_field(contract, latest)
            if late is not None:
                field, day = late
                raise self.ctx.error(
                    "bad_input",
                    "import_future_date",
                    index=index,
                    contract=contract.id,
                    field=field,
                    day=day,
                    latest=latest,
                )

    async def load_demo(self, user_id: str, ledger: Ledger, as_of: date) -> Answer:
        """Replace `user_id`'s ledger with the console's demo ledger (dated `as_of`)."""
        await self.ctx.store.import_ledger(user_id, ledger, "replace")
        context = {"key": "demo", "user": user_id, "contracts": len(ledger.contracts), "as_of": as_of}
        return self.ctx.render("notice", context)

    async def export_ledger(self, user_id: str, as_of: date | None = None) -> str:
        contracts = await self.ctx.store.list_contracts(user_id)
        if as_of is not None:
            check_as_of(self.ctx, contracts, as_of)  # else Ledger() refuses with a ValidationError (a traceback)
        ledger = Ledger(as_of=as_of, contracts=tuple(contracts))
        return json.dumps(ledger_to_json_data(ledger), indent=1, ensure_ascii=False)

    async def forget(self, user_id: str) -> Answer:
        rows = await self.ctx.store.forget_user(user_id)
        return self.ctx.render("notice", {"key": "forgotten", "detail": None}, data={"rows_removed": rows})

    async def contract_choices(self, user_id: str, text: str) -> list[tuple[str, str]]:
        """Autocomplete: the caller's own contracts matching what they typed."""
        return await self.ctx.store.search_contracts(user_id, text[:100], AUTOCOMPLETE_CHOICES)


def _plain(value: Any) -> Any:
    """A value for --json and the front ends' buttons: dates as ISO text."""
    return value.isoformat() if isinstance(value, date) else value
