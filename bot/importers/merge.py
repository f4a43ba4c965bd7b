"""Merging contracts derived from exports into the ledger the user already has.

The rule, in the order it is applied:

Matching an exported contract to a ledger contract
  0. refunds alone, naming the Ref ID of an earning an earlier import counted: that earning's contract;
  1. the same id: an earlier import of the same contract derived the same id (ids carry the Upwork
     contract id when the export names it, `...-u12345678`, else a hash of title and client);
  2. else the same title and client (compared ignoring case, accents and punctuation);
  3. else the same title when the export does not name the client, or the ledger's client is still
     the import placeholder;
  4. else, for hourly invoices without a title, the one hourly contract with that client.
  Rules 2-4 never pick a contract that started after the export's last payment for it (it cannot be
  paid before it starts, so that is an earlier contract with the same title), nor one whose id carries
  a different Upwork contract id. Among several candidates the one that started last before the first
  payment wins. No match: a new contract.

What an import may change on a matched contract
  * earnings and refunds only grow: the new value is the larger of (what the ledger had + payments not
    counted before and dated after its last payment) and (every payment of this export kind ever counted
    for the contract, this export's included). Both are lower bounds of the truth, so an export of one
    quarter never shrinks a total typed by hand or imported from a longer export, importing the same
    file again adds nothing, and an older export imported after a newer one adds what only it shows.
    A payment is counted once: by its identity across downloads (`payment_key`), kept in the store;
  * last payment and last activity only move later (and never before the start);
  * the client name only replaces the import placeholder.
  Title, kind, status, start and end dates, feedback, escrow, disputes and close requests are the user's:
  exports do not know them, so they are never touched. New contracts start as `active` and are listed as
  needing details (open or ended, feedback), which the front ends then ask for.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from scoring.model import Contract, ContractKind, ContractStatus, Ledger, parse_contract

from .derive import Derivation, DerivedContract, fold, upwork_id_of
from .upwork_csv import Category, Payment

PLACEHOLDER_CLIENT = "Unknown client"


@dataclass(frozen=True, slots=True)
class CountedPayment:
    """A payment an Upwork CSV import has counted: kept so no later import counts it again, and so an
    older export imported after a newer one still adds what only it shows.

    `key` is the payment's identity across downloads (see `payment_key`)."""

    contract_id: str
    export_kind: str  # "transactions" | "weekly": each kind is a complete view of its own
    key: str
    category: str  # "earning" | "refund"
    amount_cents: int


class Action(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class MergedContract:
    """A contract as it will be stored, what the import did to it, and what the export showed."""

    contract: Contract
    action: Action
    earned_in_export: Decimal
    refunded_in_export: Decimal

    @property
    def needs_details(self) -> bool:
        """Exports cannot say whether a contract is still open or what feedback it got: ask the user."""
        c = self.contract
        return self.action is Action.ADDED or c.is_open or not c.has_feedback


@dataclass(frozen=True)
class MergePlan:
    contracts: tuple[MergedContract, ...]
    unattributed: tuple[Payment, ...]
    counted: tuple[CountedPayment, ...] = ()  # payments this import counted for the first time

    def ledger(self) -> Ledger:
        """Every contract the exports touched, for `LedgerStore.import_ledger(..., "merge")`."""
        return Ledger(contracts=tuple(m.contract for m in self.contracts))

    def count(self, action: Action) -> int:
        return sum(1 for m in self.contracts if m.action is action)

    @property
    def needing_details(self) -> list[Contract]:
        return [m.contract for m in self.contracts if m.needs_details]


def _conflicting_ids(contract: Contract, group: DerivedContract) -> bool:
    theirs = upwork_id_of(contract.id)
    return bool(theirs and group.upwork_id and theirs != group.upwork_id)


def _closest(candidates: Sequence[Contract], group: DerivedContract) -> str:
    before = [c for c in candidates if c.started <= group.first_day]
    if before:
        return max(before, key=lambda c: (c.started, c.id)).id
    return min(candidates, key=lambda c: (c.started, c.id)).id


def match(group: DerivedContract, ledger: dict[str, Contract]) -> str | None:
    """The id of the ledger contract this exported contract is (rules 1-4 above), or None."""
    if group.derived_id in ledger:
        return group.derived_id
    plausible = [c for c in ledger.values() if c.started <= group.last_day and not _conflicting_ids(c, group)]
    if group.synthetic_title:
        same_client = [c for c in plausible if c.kind is ContractKind.HOURLY and fold(c.client) == fold(group.client)]
        return same_client[0].id if len(same_client) == 1 else None
    titled = [c for c in plausible if fold(c.title) == fold(group.title)]
    same_client = [c for c in titled if group.client and fold(c.client) == fold(group.client)]
    if same_client:
        return _closest(same_client, group)
    loose = [c for c in titled if not group.client or c.client == PLACEHOLDER_CLIENT]
    return _closest(loose, group) if loose else None


def _total(payments: Iterable[Payment]) -> Decimal:
    return sum((p.amount for p in payments), Decimal(0))


def cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _part(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "(" + ",".join(_part(v) for v in value) + ")"
    return str(value)


def payment_key(kind: str, payment: Payment, occurrence: int) -> str:
    """The payment's identity across downloads: its Ref ID, else its cells (amounts and dates written one
    way), and which repeat of an identical row it is. Hashed: fixed length, no user text stored twice."""
    return _hashed(kind, payment.dedup_key, occurrence)


def _hashed(kind: str, dedup_key: tuple[object, ...], occurrence: int) -> str:
    text = "\x1f".join([kind, *(_part(v) for v in dedup_key), str(occurrence)])
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class _Counting:
    """What an import knows about the payments counted before, and those it counts now."""

    before: Mapping[tuple[str, str], CountedPayment]
    totals: dict[tuple[str, str, str], int]  # (contract id, kind, category) -> cents counted before
    new: list[CountedPayment]

    @classmethod
    def start(cls, before: Mapping[tuple[str, str], CountedPayment]) -> _Counting:
        totals: dict[tuple[str, str, str], int] = {}
        for p in before.values():
            key = (p.contract_id, p.export_kind, p.category)
            totals[key] = totals.get(key, 0) + p.amount_cents
        return cls(before, totals, [])

    def fresh(
        self, kind: str, group: DerivedContract, occurrences: Counter[tuple[object, ...]]
    ) -> list[tuple[Payment, str]]:
        """The group's payments not counted by an earlier import, with their keys."""
        out = []
        for p in group.payments:
            occurrences[p.dedup_key] += 1
            key = payment_key(kind, p, occurrences[p.dedup_key] - 1)
            if (kind, key) not in self.before:
                out.append((p, key))
        return out

    def refunded_contract(self, kind: str, group: DerivedContract, ledger: Mapping[str, Contract]) -> str | None:
        """Refunds alone whose earnings an earlier import counted (a download that ends between a payment
        and its refund): the one ledger contract those earnings were counted for, found by the Ref ID the
        refunds name, so the refund is netted there and not left unattributed."""
        if group.earnings or not group.refunds:
            return None
        found = set()
        for refund in group.refunds:
            earning = self.before.get((kind, _hashed(kind, ("ref", refund.refers_to), 0))) if refund.refers_to else None
            if earning is None or earning.contract_id not in ledger:
                return None
            found.add(earning.contract_id)
        return found.pop() if len(found) == 1 else None

    def counted_before(self, contract_id: str, kind: str, category: Category) -> Decimal:
        return Decimal(self.totals.get((contract_id, kind, category.value), 0)) / 100

    def count(self, contract_id: str, kind: str, fresh: Sequence[tuple[Payment, str]]) -> None:
        for p, key in fresh:
            self.new.append(CountedPayment(contract_id, kind, key, p.category.value, cents(p.amount)))


def extend(
    contract: Contract,
    group: DerivedContract,
    fresh: Sequence[Payment] | None = None,
    earned_before: Decimal = Decimal(0),
    refunded_before: Decimal = Decimal(0),
) -> Contract:
    """The ledger contract with what the export knows better (see the module docstring).

    `fresh`: the group's payments no earlier import counted (default: all of them); `*_before`: what
    earlier imports of this export kind counted for the contract."""
    c = contract
    new = group.payments if fresh is None else fresh
    earnings = [p for p in new if p.category is Category.EARNING]
    refunds = [p for p in new if p.category is Category.REFUND]
    paid_after = _total(p for p in earnings if c.last_payment is None or p.day > c.last_payment)
    refunded_after = _total(p for p in refunds if p.day > c.last_activity)
    update: dict[str, object] = {
        "earnings_usd": max(c.earnings_usd + paid_after, earned_before + _total(earnings)),
        "refunded_usd": max(c.refunded_usd + refunded_after, refunded_before + _total(refunds)),
    }
    last_paid = group.last_payment
    if last_paid is not None and last_paid >= c.started and (c.last_payment is None or last_paid > c.last_payment):
        update["last_payment"] = last_paid
    if group.last_day >= c.started and group.last_day > c.last_activity:
        update["last_activity"] = group.last_day
    if c.client == PLACEHOLDER_CLIENT and group.client:
        update["client"] = group.client
    return parse_contract({**c.model_dump(), **update})


def create(contract_id: str, group: DerivedContract) -> Contract:
    """A new ledger contract from an export: open until the user says otherwise, no feedback yet."""
    return parse_contract(
        {
            "id": contract_id,
            "title": group.title,
            "client": group.client or PLACEHOLDER_CLIENT,
            "kind": group.kind,
            "status": ContractStatus.ACTIVE,
            "started": group.first_day,
            "last_activity": group.last_day,
            "last_payment": group.last_payment,
            "earnings_usd": group.earned,
            "refunded_usd": group.refunded,
        }
    )


def _combined(groups: Sequence[DerivedContract]) -> DerivedContract:
    first = groups[0]
    if len(groups) == 1:
        return first
    merged = DerivedContract(first.title, first.client, first.upwork_id, first.synthetic_title)
    for group in groups:
        merged.absorb(group)
    return merged


def merge(
    existing: Sequence[Contract],
    batches: Sequence[Derivation],
    counted: Mapping[tuple[str, str], CountedPayment] | None = None,
) -> MergePlan:
    """Fold each batch of derived contracts (one per export kind, in order) into the ledger.

    `counted`: the payments earlier imports counted, keyed by (export kind, payment key). Pure: returns
    the contracts to write and the payments counted now; nothing is stored here.
    """
    current = {c.id: c for c in existing}
    original = dict(current)
    counting = _Counting.start(counted or {})
    earned: dict[str, Decimal] = {}
    refunded: dict[str, Decimal] = {}
    unattributed: list[Payment] = []
    for batch in batches:
        unattributed.extend(batch.unattributed)
        targets: dict[str, list[DerivedContract]] = {}
        for group in batch.contracts:
            target = counting.refunded_contract(batch.kind, group, current) or match(group, current)
            targets.setdefault(target or group.derived_id, []).append(group)
        occurrences: Counter[tuple[object, ...]] = Counter()
        for target_id, groups in targets.items():
            group = _combined(groups)
            fresh = counting.fresh(batch.kind, group, occurrences)
            if target_id in current:
                current[target_id] = extend(
                    current[target_id],
                    group,
                    [p for p, _ in fresh],
                    counting.counted_before(target_id, batch.kind, Category.EARNING),
                    counting.counted_before(target_id, batch.kind, Category.REFUND),
                )
            elif not fresh:
                continue  # every payment was counted before, for another contract: do not count it twice
            elif group.earnings:
                current[target_id] = create(target_id, group)
            else:  # only refunds, for a contract neither the ledger nor the export has earnings for
                unattributed.extend(group.refunds)
                continue
            counting.count(target_id, batch.kind, fresh)
            earned[target_id] = earned.get(target_id, Decimal(0)) + group.earned
            refunded[target_id] = refunded.get(target_id, Decimal(0)) + group.refunded
    merged = []
    for contract_id in earned:
        contract = current[contract_id]
        before = original.get(contract_id)
        action = Action.ADDED if before is None else Action.UNCHANGED if before == contract else Action.UPDATED
        merged.append(MergedContract(contract, action, earned[contract_id], refunded[contract_id]))
    merged.sort(key=lambda m: (-m.contract.last_activity.toordinal(), m.contract.id))
    return MergePlan(tuple(merged), tuple(sorted(unattributed, key=lambda p: (p.source, p.line))), tuple(counting.new))
