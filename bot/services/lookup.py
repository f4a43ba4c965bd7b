"""Reading a user's contracts for an answer, with the errors every service gives the same way.

Several services need "the ledger as of a day" or "this one contract"; the checks (an empty ledger, an
as-of date before the data, an unknown id) live here once so each refuses with the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from scoring.model import Contract

from .context import ServiceContext


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


async def one_contract(ctx: ServiceContext, user_id: str, contract_id: str) -> Contract:
    contract = await ctx.store.get_contract(user_id, contract_id)
    if contract is None:
        raise ctx.error("not_found", "no_contract", contract_id=contract_id)
    return contract


def pick(ctx: ServiceContext, contracts: Sequence[Contract], contract_id: str) -> Contract:
    """The contract from a ledger already loaded (no second query)."""
    found = next((c for c in contracts if c.id == contract_id), None)
    if found is None:
        raise ctx.error("not_found", "no_contract", contract_id=contract_id)
    return found


def display_names(contracts: Sequence[Contract]) -> dict[str, str]:
    """id -> "title (id)" (the id alone when it is the title), as answers and the chart name contracts."""
    return {c.id: f"{c.title} ({c.id})" if c.title != c.id else c.id for c in contracts}
