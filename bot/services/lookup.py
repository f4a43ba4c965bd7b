"""Reading a user's contracts for an answer, with the errors every service gives the same way.

Several services need "the ledger as of a day" or "this one contract"; the checks (an empty ledger, an
as-of date before the data, an unknown id) live here once so each refuses with the same answer.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from datetime import date

from scoring.advice import is_stale
from scoring.model import Contract, ContractKind
from scoring.params import ModelParams

from .context import ServiceContext
from .errors import ServiceError


async def ledger_as_of(ctx: ServiceContext, user_id: str, as_of: date) -> list[Contract]:
    """The user's contracts for an answer as of `as_of`: refused when empty or dated after `as_of`."""
    contracts = await ctx.store.list_contracts(user_id)
    if not contracts:
        raise ctx.error("no_contracts", "no_contracts")
    check_as_of(ctx, contracts, as_of)
    return contracts


def check_as_of(ctx: ServiceContext, contracts: Sequence[Contract], as_of: date) -> None:
    late = [c.id for c in contracts if c.latest_date() > as_of]
    if late:
        raise ctx.error("bad_input", "as_of_before", as_of=as_of, contracts=late[:5])


SUGGESTIONS = 3  # "did you mean a, b or c?": more would be a list, not a suggestion
SUGGEST_CUTOFF = 0.6  # difflib's ratio: "acme-sitee" -> "acme-site" (0.95), "nope" -> nothing in the demo


def closest_ids(wanted: str, ids: Iterable[str]) -> list[str]:
    """The user's ids closest to a mistyped one, best first (case-insensitive: ids are typed by hand)."""
    by_key: dict[str, str] = {}
    for cid in ids:
        by_key.setdefault(cid.lower(), cid)
    matches = difflib.get_close_matches(wanted.strip().lower()[:64], list(by_key), n=SUGGESTIONS, cutoff=SUGGEST_CUTOFF)
    return [by_key[m] for m in matches]


def not_found(ctx: ServiceContext, contract_id: str, ids: Iterable[str]) -> ServiceError:
    """The one "no such contract" answer, naming the closest ids the user has ("did you mean ...?")."""
    return ctx.error("not_found", "no_contract", contract_id=contract_id, suggestions=closest_ids(contract_id, ids))


async def missing_contract(ctx: ServiceContext, user_id: str, contract_id: str) -> ServiceError:
    """`not_found` for a contract looked up by id: the ledger is read only on this (rare) path."""
    return not_found(ctx, contract_id, [c.id for c in await ctx.store.list_contracts(user_id)])


async def one_contract(ctx: ServiceContext, user_id: str, contract_id: str) -> Contract:
    contract = await ctx.store.get_contract(user_id, contract_id)
    if contract is None:
        raise await missing_contract(ctx, user_id, contract_id)
    return contract


def pick(ctx: ServiceContext, contracts: Sequence[Contract], contract_id: str) -> Contract:
    """The contract from a ledger already loaded (no second query)."""
    found = next((c for c in contracts if c.id == contract_id), None)
    if found is None:
        raise not_found(ctx, contract_id, (c.id for c in contracts))
    return found


def display_names(contracts: Sequence[Contract]) -> dict[str, str]:
    """id -> "title (id)" (the id alone when it is the title), as answers and the chart name contracts."""
    return {c.id: f"{c.title} ({c.id})" if c.title != c.id else c.id for c in contracts}


def in_closing_plan(contract: Contract, as_of: date, params: ModelParams) -> bool:
    """Whether the default closing plan (`plan` with no contracts named) schedules this contract: stale and
    open, with no funded escrow (ending would return it) and no dispute, as `scoring.planner` selects them.
    The advice's "Closing plan" button is offered only then."""
    funded = contract.kind is ContractKind.FIXED and contract.escrow_usd > 0
    return is_stale(contract, as_of, params) and not funded and not contract.disputed
