"""Merging contracts derived from exports into the ledger the user already has.

The rule, in the order it is applied:

Matching an exported contract to a ledger contract
  0. refunds alone, naming the Ref ID of an earning an earlier import counted: that earning's contract;
     naming one no import has counted yet (a download that starts after the payment but holds its
     refund, imported before the older one): the refund is kept as pending (`PendingRefund`, stored)
     and netted against the earning's contract by the import that counts the earning, so the order in
     which downloads are imported never changes the ledger;
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
  * last payment and last activity only move later (and never before the start); the start only moves
    earlier, to the first payment (or hourly period) an export shows: nothing is paid before it starts,
    and an older download imported after a newer one shows where the contract really began;
  * the client name only replaces the import placeholder.
  * the kind follows what the counted payments show (hourly invoices vs fixed-price milestones, by the
    single-export rule) while it is still the kind they implied: a contract first seen through a bonus alone
    (fixed-price by default) becomes hourly when an older download brings its hourly time, as the whole file
    would have made it; once the user changes the kind, it is theirs.
  Title, status, end date, feedback, escrow, disputes and close requests are the user's:
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
    payment_kind: str | None = None  # the ContractKind value the payment shows; None for a bonus


_PENDING = "\x00pending"  # marks a kept refund's payment: its key is stored, not recomputed


@dataclass(frozen=True, slots=True)
class PendingRefund:
    """A refund whose earning no import has counted yet: kept until one does (see rule 0).

    `key` is the refund's own payment key, `refers_key` the payment key its earning will have."""

    export_kind: str
    key: str
    refers_key: str
    day: date
    amount_cents: int
    kind: str | None  # a ContractKind value, or None

    def payment(self) -> Payment:
        """The refund as a payment again, carrying its stored key (see `_Counting.fresh`)."""
        kind = ContractKind(self.kind) if self.kind else None
        return Payment(
            "", 0, self.day, Decimal(self.amount_cents) / 100, Category.REFUND, kind,
            None, None, None, None, None, None, (_PENDING, self.key),
        )  # fmt: skip


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
    pending: tuple[PendingRefund, ...] = ()  # refunds this import found with no earning yet (new ones)
    waiting: tuple[Payment, ...] = ()  # this import's refunds still waiting for their earning
    settled: tuple[PendingRefund, ...] = ()  # refunds kept earlier, netted (or seen again) now

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


def match(group: DerivedContract, ledger: Mapping[str, Contract]) -> str | None:
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


def earning_key(kind: str, ref_id: str) -> str:
    """The payment key of the earning with this Ref ID (what a refund naming it points at)."""
    return _hashed(kind, ("ref", ref_id), 0)


def _hashed(kind: str, dedup_key: tuple[object, ...], occurrence: int) -> str:
    text = "\x1f".join([kind, *(_part(v) for v in dedup_key), str(occurrence)])
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class _Counting:
    """What an import knows about the payments counted before, and those it counts now."""

    before: Mapping[tuple[str, str], CountedPayment]
    totals: dict[tuple[str, str, str], int]  # (contract id, kind, category) -> cents counted before
    new: list[CountedPayment]
    shown: dict[str, Counter[str]]  # contract id -> contract types its counted payments showed

    @classmethod
    def start(cls, before: Mapping[tuple[str, str], CountedPayment]) -> _Counting:
        totals: dict[tuple[str, str, str], int] = {}
        shown: dict[str, Counter[str]] = {}
        for p in before.values():
            key = (p.contract_id, p.export_kind, p.category)
            totals[key] = totals.get(key, 0) + p.amount_cents
            shown.setdefault(p.contract_id, Counter()).update([p.payment_kind] if p.payment_kind else [])
        return cls(before, totals, [], shown)

    def implied_kind(self, contract_id: str) -> ContractKind | None:
        """The type the payments counted so far imply, by the rule a single export uses (`DerivedContract.kind`:
        hourly when hourly payments are at least as many as fixed ones, else fixed); None when none counted."""
        if contract_id not in self.shown:
            return None
        seen = self.shown[contract_id]
        hourly, fixed = seen[ContractKind.HOURLY.value], seen[ContractKind.FIXED.value]
        return ContractKind.HOURLY if hourly and hourly >= fixed else ContractKind.FIXED

    def fresh(
        self, kind: str, group: DerivedContract, occurrences: Counter[tuple[object, ...]]
    ) -> list[tuple[Payment, str]]:
        """The group's payments not counted by an earlier import, with their keys."""
        out = []
        for p in group.payments:
            if p.dedup_key[0] == _PENDING:  # a refund kept by an earlier import: its key is stored
                out.append((p, str(p.dedup_key[1])))
                continue
            occurrences[p.dedup_key] += 1
            key = payment_key(kind, p, occurrences[p.dedup_key] - 1)
            if (kind, key) not in self.before:
                out.append((p, key))
        return out

    def earning_of(self, kind: str, refund: Payment, ledger: Mapping[str, Contract]) -> str | None:
        """The ledger contract an earlier import counted the earning this refund names for, if any."""
        earning = self.before.get((kind, earning_key(kind, refund.refers_to))) if refund.refers_to else None
        return earning.contract_id if earning is not None and earning.contract_id in ledger else None

    def counted_before(self, contract_id: str, kind: str, category: Category) -> Decimal:
        return Decimal(self.totals.get((contract_id, kind, category.value), 0)) / 100

    def count(self, contract_id: str, kind: str, fresh: Sequence[tuple[Payment, str]]) -> None:
        seen = self.shown.setdefault(contract_id, Counter())
        for p, key in fresh:
            shows = p.kind.value if p.kind else None
            self.new.append(CountedPayment(contract_id, kind, key, p.category.value, cents(p.amount), shows))
            seen.update([shows] if shows else [])


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
    if group.first_day < c.started:
        update["started"] = group.first_day
    if c.client == PLACEHOLDER_CLIENT and group.client:
        update["client"] = group.client
    return parse_contract({**c.model_dump(), **update})


def _follow_evidence(
    contract: Contract, implied_before: ContractKind | None, implied_now: ContractKind | None
) -> Contract:
    """The kind follows what the counted payments show while it is still the kind they implied (the user
    never changed it): see the module docstring."""
    if implied_before is None or implied_now is None or contract.kind is not implied_before:
        return contract
    if implied_now is implied_before:
        return contract
    return parse_contract({**contract.model_dump(), "kind": implied_now})


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


def _split_refunds(
    kind: str, group: DerivedContract, current: Mapping[str, Contract], counting: _Counting
) -> tuple[dict[str, DerivedContract], DerivedContract, DerivedContract]:
    """Refunds alone (their earning is not in this export): by the contract of the earning they name
    (rule 0), else waiting for that earning when no ledger contract has their title, else as they are.

    Returns the refunds per known contract, those to keep pending, and the rest (matched by rules 1-4)."""
    known: dict[str, DerivedContract] = {}
    waiting: list[Payment] = []
    rest: list[Payment] = []
    titled = None if group.synthetic_title else match(group, current)
    for refund in group.refunds:
        contract_id = counting.earning_of(kind, refund, current)
        if contract_id is not None:
            known.setdefault(contract_id, _like(group)).add(refund)
        elif refund.refers_to and titled is None:
            waiting.append(refund)
        else:
            rest.append(refund)
    return known, _like(group, waiting), _like(group, rest)


def _like(group: DerivedContract, payments: Sequence[Payment] | None = None) -> DerivedContract:
    """An empty copy of the group (title, client, ids), holding `payments` when given."""
    copy = DerivedContract(group.title, group.client, group.upwork_id, group.synthetic_title)
    for payment in payments or ():
        copy.add(payment)
    return copy


def _targets(
    kind: str, contracts: Sequence[DerivedContract], current: Mapping[str, Contract], counting: _Counting
) -> tuple[dict[str, list[DerivedContract]], list[DerivedContract]]:
    """Which ledger contract (or new id) each exported contract goes to, and the refunds left waiting."""
    targets: dict[str, list[DerivedContract]] = {}
    waiting: list[DerivedContract] = []
    for group in contracts:
        if group.earnings or not group.refunds:
            target = match(group, current) or group.derived_id
            targets.setdefault(target, []).append(group)
            continue
        known, pending, rest = _split_refunds(kind, group, current, counting)
        for contract_id, refunds in known.items():
            targets.setdefault(contract_id, []).append(refunds)
        if pending.refunds:
            waiting.append(pending)
        if rest.refunds:
            targets.setdefault(match(rest, current) or rest.derived_id, []).append(rest)
    return targets, waiting


def _with_pending(
    kind: str,
    group: DerivedContract,
    fresh: list[tuple[Payment, str]],
    pending: dict[str, list[PendingRefund]],
    counting: _Counting,
) -> tuple[DerivedContract, list[PendingRefund]]:
    """The group with the refunds kept earlier whose earning it holds, and every kept refund it settles
    (netted now, or present in this export itself and counted as one of its own payments)."""
    own = {key for _, key in fresh}
    settled: list[PendingRefund] = []
    for earning in group.earnings:
        if earning.ref_id:
            settled.extend(pending.pop(earning_key(kind, earning.ref_id), []))
    added = [p for p in settled if p.key not in own and (kind, p.key) not in counting.before]
    if not added:
        return group, settled
    combined = _like(group, group.payments)
    for refund in added:
        payment = refund.payment()
        combined.add(payment)
        fresh.append((payment, refund.key))
    return combined, settled


def merge(
    existing: Sequence[Contract],
    batches: Sequence[Derivation],
    counted: Mapping[tuple[str, str], CountedPayment] | None = None,
    pending: Sequence[PendingRefund] = (),
) -> MergePlan:
    """Fold each batch of derived contracts (one per export kind, in order) into the ledger.

    `counted`: the payments earlier imports counted, keyed by (export kind, payment key); `pending`: the
    refunds earlier imports kept for an earning not seen yet. Pure: returns the contracts to write, the
    payments counted now and the refunds kept or settled now; nothing is stored here.
    """
    current = {c.id: c for c in existing}
    original = dict(current)
    counting = _Counting.start(counted or {})
    kept: dict[str, dict[str, list[PendingRefund]]] = {}
    for kept_refund in pending:
        kept.setdefault(kept_refund.export_kind, {}).setdefault(kept_refund.refers_key, []).append(kept_refund)
    kept_keys = {(p.export_kind, p.key) for p in pending}
    earned: dict[str, Decimal] = {}
    refunded: dict[str, Decimal] = {}
    unattributed: list[Payment] = []
    new_pending: list[PendingRefund] = []
    waiting: list[Payment] = []
    settled: list[PendingRefund] = []
    for batch in batches:
        unattributed.extend(batch.unattributed)
        targets, left = _targets(batch.kind, batch.contracts, current, counting)
        occurrences: Counter[tuple[object, ...]] = Counter()
        for target_id, groups in targets.items():
            group = _combined(groups)
            fresh = counting.fresh(batch.kind, group, occurrences)
            group, done = _with_pending(batch.kind, group, fresh, kept.get(batch.kind, {}), counting)
            settled.extend(done)
            implied_before = counting.implied_kind(target_id)
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
            else:  # only refunds, naming no earning, for a contract neither the ledger nor the export has
                unattributed.extend(group.refunds)
                continue
            counting.count(target_id, batch.kind, fresh)
            current[target_id] = _follow_evidence(current[target_id], implied_before, counting.implied_kind(target_id))
            earned[target_id] = earned.get(target_id, Decimal(0)) + group.earned
            refunded[target_id] = refunded.get(target_id, Decimal(0)) + group.refunded
        for group in left:
            for refund, key in counting.fresh(batch.kind, group, occurrences):
                assert refund.refers_to is not None
                waiting.append(refund)
                if (batch.kind, key) not in kept_keys:
                    kept_keys.add((batch.kind, key))
                    new_pending.append(
                        PendingRefund(
                            batch.kind,
                            key,
                            earning_key(batch.kind, refund.refers_to),
                            refund.day,
                            cents(refund.amount),
                            refund.kind.value if refund.kind else None,
                        )
                    )
    merged = []
    for contract_id in earned:
        contract = current[contract_id]
        before = original.get(contract_id)
        action = Action.ADDED if before is None else Action.UNCHANGED if before == contract else Action.UPDATED
        merged.append(MergedContract(contract, action, earned[contract_id], refunded[contract_id]))
    merged.sort(key=lambda m: (-m.contract.last_activity.toordinal(), m.contract.id))
    return MergePlan(
        tuple(merged),
        tuple(sorted(unattributed, key=lambda p: (p.source, p.line))),
        tuple(counting.new),
        tuple(new_pending),
        tuple(sorted(waiting, key=lambda p: (p.source, p.line))),
        tuple(settled),
    )
