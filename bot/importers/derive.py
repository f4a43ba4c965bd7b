"""Payments -> the contracts they belong to, with stable ids.

Grouping, most certain clue first:

1. an Upwork contract id (Weekly Summary "Title (12345678)", or "Contract ID" in a description);
2. the title, together with the client when the export names one;
3. the client alone, for hourly invoices whose description has no title ("Invoice for 05/27/2024-06/02/2024
   - 14:20 hrs @ $18.00/hr"): two hourly contracts with one client at once are then one contract;
4. refunds and other rows pointing at a Ref ID join the contract of the row they point at.

A title group joins the id group with the same title when there is exactly one, so a file that names the
id on some rows only still yields one contract. Rows with no clue at all are returned as unattributed.

Ids are `<slug of title>-u<Upwork id>` when the id is known, else `<slug>-<6 hex of title and client>`:
the same export always gives the same ids (which makes re-imports no-ops), and the `-u` form lets the
merge tell two Upwork contracts with one title apart.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from scoring.model import ContractKind

from .descriptions import MAX_TITLE
from .upwork_csv import Category, Payment

MAX_SLUG = 40
UPWORK_ID_SUFFIX = re.compile(r"-u(\d{4,16})$")


def fold(text: str | None) -> str:
    """Compare titles and clients the way a person would: case, accents, spacing and punctuation aside."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


def slug(text: str) -> str:
    """ASCII, lower case, dashes; at most MAX_SLUG characters, cut at a dash when possible."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(value) > MAX_SLUG:
        cut = value[:MAX_SLUG]
        value = cut.rsplit("-", 1)[0] if "-" in cut[MAX_SLUG // 2 :] else cut
    return value.strip("-") or "contract"


@dataclass
class DerivedContract:
    """One contract as an export shows it: who, what, and its money over time."""

    title: str
    client: str | None
    upwork_id: str | None
    synthetic_title: bool = False  # made up from the client's name: the export had no title
    earnings: list[Payment] = field(default_factory=list)
    refunds: list[Payment] = field(default_factory=list)

    @property
    def derived_id(self) -> str:
        if self.upwork_id and self.upwork_id.isdigit() and 4 <= len(self.upwork_id) <= 16:
            return f"{slug(self.title)}-u{self.upwork_id}"
        seed = self.upwork_id or f"{fold(self.title)}\x1f{fold(self.client)}"
        digest = hashlib.sha1(seed.encode()).hexdigest()[:6]
        return f"{slug(self.title)}-{digest}"

    @property
    def kind(self) -> ContractKind:
        """Hourly when hourly invoices are the majority; fixed-price otherwise (also for bonus-only)."""
        counts = Counter(p.kind for p in self.earnings + self.refunds if p.kind is not None)
        if counts[ContractKind.HOURLY] and counts[ContractKind.HOURLY] >= counts[ContractKind.FIXED]:
            return ContractKind.HOURLY
        return ContractKind.FIXED

    @property
    def earned(self) -> Decimal:
        return sum((p.amount for p in self.earnings), Decimal(0))

    @property
    def refunded(self) -> Decimal:
        return sum((p.amount for p in self.refunds), Decimal(0))

    @property
    def payments(self) -> list[Payment]:
        return self.earnings + self.refunds

    @property
    def first_day(self) -> date:
        """The earliest sign of the contract: a payment, or the first day of an hourly period it paid."""
        days = [p.day for p in self.payments] + [p.period_start for p in self.payments if p.period_start]
        return min(days)

    @property
    def last_day(self) -> date:
        return max(p.day for p in self.payments)

    @property
    def last_payment(self) -> date | None:
        return max((p.day for p in self.earnings), default=None)

    def add(self, payment: Payment) -> None:
        (self.earnings if payment.category is Category.EARNING else self.refunds).append(payment)
        if self.client is None and payment.client:
            self.client = payment.client

    def absorb(self, other: DerivedContract) -> None:
        for payment in other.payments:
            self.add(payment)


@dataclass(frozen=True)
class Derivation:
    contracts: tuple[DerivedContract, ...]
    unattributed: tuple[Payment, ...]
    kind: str = ""  # the export kind the payments came from ("transactions", "weekly"), for counting them


def _key(payment: Payment) -> tuple[str, ...] | None:
    if payment.upwork_id:
        return ("id", payment.upwork_id)
    if payment.title:
        return ("title", fold(payment.title), fold(payment.client))
    if payment.client:
        return ("client", fold(payment.client))
    return None


def _new_group(payment: Payment) -> DerivedContract:
    if payment.title:
        return DerivedContract(payment.title, payment.client, payment.upwork_id)
    assert payment.client is not None
    title = f"Hourly work for {payment.client}"[:MAX_TITLE]
    return DerivedContract(title, payment.client, None, synthetic_title=True)


def _join_titles_to_ids(groups: dict[tuple[str, ...], DerivedContract]) -> None:
    """A title group joins the one id group (or the one titled group with a client) of the same title."""
    by_title: dict[str, list[tuple[str, ...]]] = {}
    for key, group in groups.items():
        if key[0] == "id":
            by_title.setdefault(fold(group.title), []).append(key)
    for key in [k for k in groups if k[0] == "title"]:
        group = groups[key]
        targets = [t for t in by_title.get(key[1], []) if _clients_agree(groups[t].client, group.client)]
        if not targets and not key[2]:
            targets = [t for t in groups if t[0] == "title" and t[1] == key[1] and t[2]]
        if len(targets) == 1:
            groups[targets[0]].absorb(groups.pop(key))


def _clients_agree(a: str | None, b: str | None) -> bool:
    return not a or not b or fold(a) == fold(b)


def derive_contracts(payments: Iterable[Payment], kind: str = "") -> Derivation:
    """Group one kind of export's payments (already de-duplicated) into contracts."""
    ordered: Sequence[Payment] = sorted(payments, key=lambda p: (p.category is Category.REFUND, p.day, p.line))
    groups: dict[tuple[str, ...], DerivedContract] = {}
    unattributed: list[Payment] = []
    pending_refunds: list[Payment] = []
    for payment in ordered:
        if payment.category is Category.REFUND:
            pending_refunds.append(payment)
            continue
        key = _key(payment)
        if key is None:
            unattributed.append(payment)
            continue
        if key not in groups:
            groups[key] = _new_group(payment)
        groups[key].add(payment)
    _join_titles_to_ids(groups)
    by_ref = {p.ref_id: g for g in groups.values() for p in g.earnings if p.ref_id}
    for refund in pending_refunds:
        target = by_ref.get(refund.refers_to or "") if refund.refers_to else None
        key = _key(refund)
        if target is None and key is not None:
            target = groups.get(key) or _find_by_title(groups.values(), refund)
            if target is None:
                target = groups[key] = _new_group(refund)
        if target is None:
            unattributed.append(refund)
        else:
            target.add(refund)
    contracts = sorted(groups.values(), key=lambda g: (g.first_day, g.derived_id))
    return Derivation(tuple(contracts), tuple(unattributed), kind)


def _find_by_title(groups: Iterable[DerivedContract], refund: Payment) -> DerivedContract | None:
    if not refund.title:
        return None
    found = [g for g in groups if fold(g.title) == fold(refund.title) and _clients_agree(g.client, refund.client)]
    return found[0] if len(found) == 1 else None


def upwork_id_of(contract_id: str) -> str | None:
    """The Upwork contract id an imported contract's id carries (`...-u12345678`), if any."""
    match = UPWORK_ID_SUFFIX.search(contract_id)
    return match.group(1) if match else None
