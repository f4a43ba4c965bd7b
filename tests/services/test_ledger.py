"""The ledger service: imports all or nothing, exports that parse back, typed-in edits, forgetting."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.services import Services, build_services
from bot.store import LedgerStore
from scoring.model import parse_ledger_json
from tests.samples import AS_OF, DATA, FREELANCER, NEWCOMER

from . import expect_error


@pytest.mark.parametrize(
    "name", ["bad_json.json", "bad_ended_before_started.json", "bad_unknown_key.json", "bad_duplicate_id.json"]
)
async def test_a_bad_import_changes_nothing_not_even_the_audit(loaded: Services, name: str) -> None:
    store = loaded.context.store
    contracts = await store.list_contracts("u1")
    audit = await store.audit_log("u1")
    await expect_error(loaded.ledger.import_ledger("u1", (DATA / name).read_bytes(), "replace"), "bad_input")
    assert await store.list_contracts("u1") == contracts
    assert await store.audit_log("u1") == audit


async def test_import_summary_and_modes(services: Services) -> None:
    ledger = services.ledger
    first = await ledger.import_ledger("u1", FREELANCER.read_bytes())
    assert first.kind == "notice" and first.data["added"] == 8
    assert first.description == "8 added, 0 updated, 0 removed, 0 unchanged"
    again = await ledger.import_ledger("u1", FREELANCER.read_bytes())
    assert (again.data["added"], again.data["unchanged"]) == (0, 8)
    replaced = await ledger.import_ledger("u1", NEWCOMER.read_bytes(), "replace")
    assert (replaced.data["added"], replaced.data["removed"]) == (2, 8)
    assert [c.id for c in await services.context.store.list_contracts("u1")] == ["first-gig", "translation"]


async def test_export_parses_back_to_the_same_contracts(loaded: Services) -> None:
    text = await loaded.ledger.export_ledger("u1", AS_OF)
    ledger = parse_ledger_json(text)
    assert ledger.as_of == AS_OF
    assert list(ledger.contracts) == await loaded.context.store.list_contracts("u1")
    original = parse_ledger_json(FREELANCER.read_bytes()).contracts
    assert sorted(ledger.contracts, key=lambda c: c.id) == sorted(original, key=lambda c: c.id)
    assert json.loads(text)["contracts"][0]["earnings_usd"] == 3150.5


async def test_asked_client_defaults_to_today_and_is_idempotent(loaded: Services) -> None:
    first = await loaded.ledger.asked_client("u1", "retainer")
    again = await loaded.ledger.asked_client("u1", "retainer")
    assert first.data["close_requests"] == again.data["close_requests"] == 1
    assert first.description == "retainer: asked 1 time(s)"
    contract = await loaded.context.store.get_contract("u1", "retainer")
    assert contract is not None and contract.close_requests == (AS_OF,)
    assert first.rule_ids == ["C-CLOSE-ADVICE"]


async def test_add_and_edit_with_typed_in_values(services: Services) -> None:
    ledger, store = services.ledger, services.context.store
    added = await ledger.add_contract(
        "u1",
        {
            "id": "acme",
            "title": " Site fixes ",
            "client": "Acme",
            "kind": "fixed",
            "status": "active",
            "started": "2026-01-05",
            "earnings_usd": "$1,200.50",
            "escrow_usd": "300",
        },
    )
    assert added.data == {"contract": "acme", "rules": [], "explanation": "acme"}
    contract = await store.get_contract("u1", "acme")
    assert contract is not None and str(contract.earnings_usd) == "1200.50" and contract.title == "Site fixes"
    assert contract.last_activity == date(2026, 1, 5)  # defaults to the start

    await ledger.edit_contract("u1", "acme", {"status": "ended", "public_stars": "4.5", "escrow_usd": ""})
    contract = await store.get_contract("u1", "acme")
    assert contract is not None and contract.ended == date(2026, 1, 5) and contract.escrow_usd == 0
    assert contract.public_stars == 4.5
    assert await ledger.contract("u1", "acme") == contract == await ledger.find_contract("u1", "acme")
    assert await ledger.find_contract("u1", "nope") is None


async def test_forget(loaded: Services) -> None:
    await loaded.ledger.import_ledger("u2", NEWCOMER.read_bytes())
    answer = await loaded.ledger.forget("u1")
    assert answer.data["rows_removed"] >= 8
    assert await loaded.context.store.list_contracts("u1") == []
    assert len(await loaded.context.store.list_contracts("u2")) == 2


async def test_the_ledger_survives_reopening_the_file(tmp_path: Path) -> None:
    db_path = tmp_path / "reopened.db"
    async with await LedgerStore.open(db_path) as first:
        services = build_services(first, clock=FixedClock.on(AS_OF))
        await services.ledger.import_ledger("u1", FREELANCER.read_bytes())
        before = (await services.answers.score("u1")).data
    async with await LedgerStore.open(db_path) as second:
        after = (await build_services(second, clock=FixedClock.on(AS_OF)).answers.score("u1")).data
    assert after == before


@pytest.mark.parametrize("field", ["client", "title"])
async def test_a_nul_character_in_text_is_bad_input_not_a_database_failure(loaded: Services, field: str) -> None:
    """SQLite ends TEXT at NUL, so "\\x00Acme" would pass a length check in Python and fail the table's
    CHECK; found by the Discord fuzz test. The model refuses it, naming the contract and field."""
    doc = json.loads(FREELANCER.read_text())
    doc["contracts"][0][field] = "\x00Acme"
    contracts = await loaded.context.store.list_contracts("u1")
    answer = await expect_error(loaded.ledger.import_ledger("u1", json.dumps(doc), "replace"), "bad_input")
    assert field in answer.description and "NUL" in answer.description
    await expect_error(loaded.ledger.add_contract("u1", {**doc["contracts"][0], "id": "new-one"}), "bad_input")
    assert await loaded.context.store.list_contracts("u1") == contracts
