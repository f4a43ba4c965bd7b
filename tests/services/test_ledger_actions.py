"""The ledger's one-click actions (the advice and DM buttons call them): each records what it says, in the
ledger's own terms, and its undo undoes exactly that; both outputs render them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.clock import FixedClock
from bot.render import OutputFormat
from bot.services import ServiceError, build_services
from bot.store import LedgerStore
from tests.builders import ended_days_ago, open_hourly

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize("fmt", list(OutputFormat))
async def test_asked_then_undo(store: LedgerStore, fmt: OutputFormat) -> None:
    services = build_services(store, fmt, FixedClock(datetime.combine(TODAY, time(12), UTC)))
    await store.add_contract("u", open_hourly("quiet", TODAY, 40, asked=(10,)))
    asked = await services.ledger.record_asked("u", "quiet")
    assert asked.title == "Recorded: you asked the client to close Project quiet (quiet)"
    assert asked.data["added"] is True and asked.data["on"] == TODAY.isoformat() and asked.data["requests"] == 2
    again = await services.ledger.record_asked("u", "quiet")  # the same day: nothing new, nothing to undo
    assert again.title == "Already recorded: you asked the client today" and again.data["added"] is False
    undone = await services.ledger.undo_asked("u", "quiet", TODAY)
    assert undone.title == f"Undone: the request of {TODAY:%Y-%m-%d} ({TODAY:%a}) is removed"
    contract = await store.get_contract("u", "quiet")
    assert contract is not None and len(contract.close_requests) == 1  # the earlier request stays
    assert (await services.ledger.undo_asked("u", "quiet", TODAY)).title == "Nothing to undo"


@pytest.mark.parametrize("fmt", list(OutputFormat))
async def test_closed_then_undo(store: LedgerStore, fmt: OutputFormat) -> None:
    services = build_services(store, fmt, FixedClock(datetime.combine(TODAY, time(12), UTC)))
    await store.add_contract("u", open_hourly("quiet", TODAY, 70, asked=(10,), status="paused"))
    closed = await services.ledger.record_closed("u", "quiet")
    assert closed.title.startswith(f"Recorded: Project quiet (quiet) ended on {TODAY:%Y-%m-%d}")
    assert "Feedback is not known yet" in closed.description and closed.data["was"] == "paused"
    assert closed.data["deadline"] == "2026-06-15"  # FB-14DAYS
    contract = await store.get_contract("u", "quiet")
    assert contract is not None and (contract.status.value, contract.ended, contract.public_stars) == (
        "ended",
        TODAY,
        None,
    )
    twice = await services.ledger.record_closed("u", "quiet")
    assert twice.title.startswith("Already ended") and twice.data["added"] is False
    reopened = await services.ledger.undo_closed("u", "quiet", "paused")
    assert reopened.title == "Undone: Project quiet (quiet) is open again"
    contract = await store.get_contract("u", "quiet")
    assert contract is not None and (contract.status.value, contract.ended) == ("paused", None)


async def test_undo_never_reopens_a_contract_with_feedback(store: LedgerStore) -> None:
    services = build_services(store, OutputFormat.CONSOLE, FixedClock(datetime.combine(TODAY, time(12), UTC)))
    await store.add_contract("u", ended_days_ago("done", TODAY, 3, stars=5.0))
    assert (await services.ledger.undo_closed("u", "done", "active")).title == "Nothing to undo"
    with pytest.raises(ServiceError) as caught:  # an ended contract has nothing to ask about
        await services.ledger.record_asked("u", "done")
    assert caught.value.answer.title == "That input is not valid"
