"""AdvisorService directly, on a real SQLite file: answers, errors as rendered `error` answers, persistence."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.render import Answer, OutputFormat
from bot.services import AdvisorService, ServiceError
from bot.services.advisor import MAX_IMPORT_BYTES
from bot.store import LedgerStore
from scoring.model import parse_ledger_json

from . import AS_OF, DATA, FREELANCER, NEWCOMER

ERROR_TITLES = {
    "bad_input": "That input is not valid",
    "not_found": "Not found",
    "exists": "Already exists",
    "no_contracts": "Your ledger is empty",
}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.db"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[LedgerStore]:
    opened = await LedgerStore.open(db_path)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def service(store: LedgerStore) -> AdvisorService:
    return AdvisorService(store, OutputFormat.CONSOLE, today=lambda: AS_OF)


@pytest.fixture
async def loaded(service: AdvisorService) -> AdvisorService:
    await service.import_ledger("u1", FREELANCER.read_bytes())
    return service


async def expect_error(awaitable: Awaitable[Answer], key: str, *fragments: str) -> Answer:
    with pytest.raises(ServiceError) as caught:
        await awaitable
    answer = caught.value.answer
    assert answer.kind == "error"
    assert answer.level == "error"
    assert answer.data["error"] == key
    assert answer.title == ERROR_TITLES[key]
    assert answer.description == str(caught.value)  # the exception's text is the escaped, shown one
    assert answer.data["message"]  # the raw message, for --json
    assert answer.footer  # rendered through the templates like any answer
    for fragment in fragments:
        assert fragment in answer.description, (fragment, answer.description)
    return answer


# -- errors are answers -------------------------------------------------------------------------------


async def test_empty_ledger(service: AdvisorService) -> None:
    for call in (service.score, service.projection, service.plan, service.top_rated):
        await expect_error(call("u1"), "no_contracts", "import a ledger")
    await expect_error(service.advise("u1", "x"), "no_contracts")


async def test_not_found(loaded: AdvisorService) -> None:
    for call in (loaded.advise, loaded.what_if, loaded.show_contract, loaded.remove_contract, loaded.asked_client):
        await expect_error(call("u1", "nope"), "not_found", "'nope'")
    await expect_error(loaded.edit_contract("u1", "nope", {"title": "x"}), "not_found")


async def test_exists(loaded: AdvisorService) -> None:
    fields = {
        "id": "retainer",
        "title": "T",
        "client": "C",
        "kind": "hourly",
        "status": "active",
        "started": "2026-01-01",
        "earnings_usd": "1",
    }
    await expect_error(loaded.add_contract("u1", fields), "exists", "'retainer'")
    await expect_error(loaded.edit_contract("u1", "retainer", {"id": "scraper"}), "bad_input", "'scraper'")


@pytest.mark.parametrize(
    ("call", "fragments"),
    [
        (lambda s: s.import_ledger("u1", b"{"), ["nothing was imported", "not valid JSON"]),
        (lambda s: s.import_ledger("u1", b" " * (MAX_IMPORT_BYTES + 1)), ["larger than"]),
        (
            lambda s: s.add_contract(
                "u1",
                {
                    "id": "n",
                    "title": "T",
                    "client": "C",
                    "kind": "hourly",
                    "status": "active",
                    "started": "2026-01-01",
                    "earnings_usd": "-5",
                },
            ),
            ["earnings_usd"],
        ),
        (lambda s: s.edit_contract("u1", "retainer", {"ended": "2026-01-01"}), ["'ended' is set", "status"]),
        (lambda s: s.score("u1", date(2025, 1, 1)), ["as-of date 2025-01-01 is before dates"]),
        (lambda s: s.projection("u1", months=0), ["months must be 1 to 60"]),
        (lambda s: s.projection("u1", months=61), ["months must be 1 to 60"]),
        (lambda s: s.plan("u1", spacing_days=0), ["1 to 90 days"]),
        (lambda s: s.export_ledger("u1", date(2025, 1, 1)), ["as-of date 2025-01-01"]),
        (lambda s: s.asked_client("u1", "dash-v2"), ["already ended"]),
        (lambda s: s.asked_client("u1", "retainer", date(2025, 3, 2)), ["before contract 'retainer' started"]),
        (lambda s: s.ask("u1", "   "), ["Ask a question"]),
    ],
)
async def test_bad_input(
    loaded: AdvisorService, call: Callable[[AdvisorService], Awaitable[Answer]], fragments: list[str]
) -> None:
    before = await loaded.export_ledger("u1")
    await expect_error(call(loaded), "bad_input", *fragments)
    assert await loaded.export_ledger("u1") == before


async def test_error_answers_are_rendered_per_output(store: LedgerStore) -> None:
    discord = AdvisorService(store, OutputFormat.DISCORD, today=lambda: AS_OF)
    await discord.import_ledger("u1", NEWCOMER.read_bytes())
    answer = await expect_error(discord.advise("u1", "_*@here*_"), "not_found")
    assert "@here" not in answer.description and "\\_\\*" in answer.description
    assert answer.data["message"] == "No contract '_*@here*_' in your ledger."  # data stays raw


async def test_console_error_answer_matches_its_message(loaded: AdvisorService) -> None:
    answer = await expect_error(loaded.show_contract("u1", "gone"), "not_found")
    assert answer.description == answer.data["message"] == "No contract 'gone' in your ledger."


# -- ledger writes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["bad_json.json", "bad_ended_before_started.json", "bad_unknown_key.json", "bad_duplicate_id.json"]
)
async def test_a_bad_import_changes_nothing_not_even_the_audit(loaded: AdvisorService, name: str) -> None:
    contracts = await loaded.store.list_contracts("u1")
    audit = await loaded.store.audit_log("u1")
    await expect_error(loaded.import_ledger("u1", (DATA / name).read_bytes(), "replace"), "bad_input")
    assert await loaded.store.list_contracts("u1") == contracts
    assert await loaded.store.audit_log("u1") == audit


async def test_import_summary_and_modes(service: AdvisorService) -> None:
    first = await service.import_ledger("u1", FREELANCER.read_bytes())
    assert first.kind == "notice" and first.data["added"] == 8
    again = await service.import_ledger("u1", FREELANCER.read_bytes())
    assert (again.data["added"], again.data["unchanged"]) == (0, 8)
    replaced = await service.import_ledger("u1", NEWCOMER.read_bytes(), "replace")
    assert (replaced.data["added"], replaced.data["removed"]) == (2, 8)
    assert [c.id for c in await service.store.list_contracts("u1")] == ["first-gig", "translation"]


async def test_export_parses_back_to_the_same_contracts(loaded: AdvisorService) -> None:
    text = await loaded.export_ledger("u1", AS_OF)
    ledger = parse_ledger_json(text)
    assert ledger.as_of == AS_OF
    assert list(ledger.contracts) == await loaded.store.list_contracts("u1")
    original = parse_ledger_json(FREELANCER.read_bytes()).contracts
    assert sorted(ledger.contracts, key=lambda c: c.id) == sorted(original, key=lambda c: c.id)
    assert json.loads(text)["contracts"][0]["earnings_usd"] == 3150.5


async def test_asked_client_defaults_to_today_and_is_idempotent(loaded: AdvisorService) -> None:
    first = await loaded.asked_client("u1", "retainer")
    again = await loaded.asked_client("u1", "retainer")
    assert first.data["close_requests"] == again.data["close_requests"] == 1
    contract = await loaded.store.get_contract("u1", "retainer")
    assert contract is not None and contract.close_requests == (AS_OF,)
    assert first.rule_ids == ["C-CLOSE-ADVICE"]


async def test_add_and_edit_with_typed_in_values(service: AdvisorService) -> None:
    added = await service.add_contract(
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
    contract = await service.store.get_contract("u1", "acme")
    assert contract is not None and str(contract.earnings_usd) == "1200.50" and contract.title == "Site fixes"
    assert contract.last_activity == date(2026, 1, 5)  # defaults to the start

    await service.edit_contract("u1", "acme", {"status": "ended", "public_stars": "4.5", "escrow_usd": ""})
    contract = await service.store.get_contract("u1", "acme")
    assert contract is not None and contract.ended == date(2026, 1, 5) and contract.escrow_usd == 0
    assert contract.public_stars == 4.5


async def test_forget(loaded: AdvisorService) -> None:
    await loaded.import_ledger("u2", NEWCOMER.read_bytes())
    answer = await loaded.forget("u1")
    assert answer.data["rows_removed"] >= 8
    assert await loaded.store.list_contracts("u1") == []
    assert len(await loaded.store.list_contracts("u2")) == 2


async def test_the_ledger_survives_reopening_the_file(db_path: Path) -> None:
    async with await LedgerStore.open(db_path) as first:
        service = AdvisorService(first, today=lambda: AS_OF)
        await service.import_ledger("u1", FREELANCER.read_bytes())
        before = (await service.score("u1")).data
    async with await LedgerStore.open(db_path) as second:
        after = (await AdvisorService(second, today=lambda: AS_OF).score("u1")).data
    assert after == before


# -- engine answers -----------------------------------------------------------------------------------------


async def test_today_is_the_default_as_of(loaded: AdvisorService) -> None:
    assert (await loaded.score("u1")).data["as_of"] == AS_OF.isoformat()
    later = AdvisorService(loaded.store, today=lambda: AS_OF + timedelta(days=30))
    assert (await later.score("u1")).data["as_of"] == "2026-03-17"


async def test_data_is_the_same_for_every_output(store: LedgerStore) -> None:
    console = AdvisorService(store, OutputFormat.CONSOLE, today=lambda: AS_OF)
    discord = AdvisorService(store, OutputFormat.DISCORD, today=lambda: AS_OF)
    await console.import_ledger("u1", FREELANCER.read_bytes())
    for method, args in (("score", ()), ("advise", ("silent-client",)), ("plan", ()), ("top_rated", ())):
        a = await getattr(console, method)("u1", *args)
        b = await getattr(discord, method)("u1", *args)
        assert {k: v for k, v in a.data.items() if k != "explanation"} == {
            k: v for k, v in b.data.items() if k != "explanation"
        }
        assert a.rule_ids == b.rule_ids


async def test_advice_data(loaded: AdvisorService) -> None:
    answer = await loaded.advise("u1", "silent-client")
    assert answer.data["verdict"] == "close_now" and answer.level == "warning"
    assert answer.data["idle_days"] == (AS_OF - date(2025, 10, 10)).days
    assert answer.data["close_requests"] == 2
    assert "leave_open" in answer.data["simulations"]
    assert answer.title == "Close it now: Landing page A/B tests (silent-client)"
    keep = await loaded.advise("u1", "retainer")
    assert keep.data["verdict"] == "keep_open" and keep.level == "good"


async def test_projection_with_a_plot(loaded: AdvisorService) -> None:
    answer = await loaded.projection("u1", plot=True, months=12)
    ((name, content),) = answer.attachments
    assert name.endswith(".png") and content[:8] == b"\x89PNG\r\n\x1a\n"
    assert answer.title == "Projected JSS, next 12 months"
    assert (await loaded.projection("u1")).attachments == ()


async def test_ask_personal_and_public(loaded: AdvisorService) -> None:
    question = "my client went silent, should I close the contract?"
    personal = await loaded.ask("u1", question)
    assert personal.data["jss"] is not None
    assert "With your numbers" in [f.name for f in personal.fields]
    public = await loaded.ask("u1", question, personal=False)
    assert "jss" not in public.data
    assert "With your numbers" not in [f.name for f in public.fields]
    assert public.data["answer"] and public.data["rules"] == personal.data["rules"]


async def test_ask_about_one_contract_by_name(loaded: AdvisorService) -> None:
    answer = await loaded.ask("u1", "should I close the Landing page A/B tests contract? the client is silent")
    advice = answer.data.get("advice")
    assert advice == {"contract": "silent-client", "verdict": "close_now"}


@pytest.mark.parametrize("field", ["client", "title"])
async def test_a_nul_character_in_text_is_bad_input_not_a_database_failure(loaded: AdvisorService, field: str) -> None:
    """SQLite ends TEXT at NUL, so "\\x00Acme" would pass a length check in Python and fail the table's
    CHECK; found by the Discord fuzz test. The model refuses it, naming the contract and field."""
    doc = json.loads(FREELANCER.read_text())
    doc["contracts"][0][field] = "\x00Acme"
    contracts = await loaded.store.list_contracts("u1")
    answer = await expect_error(loaded.import_ledger("u1", json.dumps(doc), "replace"), "bad_input")
    assert field in answer.description and "NUL" in answer.description
    await expect_error(loaded.add_contract("u1", {**doc["contracts"][0], "id": "new-one"}), "bad_input")
    assert await loaded.store.list_contracts("u1") == contracts


async def test_a_long_lead_is_shown_whole(service: AdvisorService) -> None:
    """The product's own lead sentences are not user text: they are not cut at the user-text limit."""
    answer = await service.ask("nobody", "Can Upwork support remove a bad review from my JSS?", personal=False)
    assert answer.data["intent"] == "remove_feedback"
    assert (
        "feedback from clients Upwork has flagged or suspended for Terms of Service violations does not count"
        in answer.description
    )
    assert "…" not in answer.description
