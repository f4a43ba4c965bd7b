"""Every service refuses the same way: an `error` answer with a title per key and a sentence per reason."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import pytest

import bot.render
from bot.clock import FixedClock
from bot.render import Answer, OutputFormat
from bot.services import Services, build_services, service_error
from bot.services.ledger import MAX_IMPORT_BYTES
from bot.store import LedgerStore
from tests.samples import AS_OF, NEWCOMER

from . import expect_error

ERROR_MESSAGES = Path(bot.render.__file__).parent / "templates" / "error_message.txt.j2"


async def test_empty_ledger(services: Services) -> None:
    answers = services.answers
    for call in (answers.score, answers.projection, answers.plan, answers.top_rated):
        await expect_error(call("u1"), "no_contracts", "import your Upwork history")
    await expect_error(answers.advise("u1", "x"), "no_contracts")


async def test_not_found(loaded: Services) -> None:
    ledger, answers = loaded.ledger, loaded.answers
    for call in (answers.advise, answers.what_if, ledger.show_contract, ledger.remove_contract, ledger.asked_client):
        await expect_error(call("u1", "nope"), "not_found", "'nope'")
    await expect_error(ledger.edit_contract("u1", "nope", {"title": "x"}), "not_found")
    await expect_error(ledger.contract("u1", "nope"), "not_found", "'nope'")


async def test_exists(loaded: Services) -> None:
    fields = {
        "id": "retainer",
        "title": "T",
        "client": "C",
        "kind": "hourly",
        "status": "active",
        "started": "2026-01-01",
        "earnings_usd": "1",
    }
    await expect_error(loaded.ledger.add_contract("u1", fields), "exists", "'retainer'")
    await expect_error(loaded.ledger.edit_contract("u1", "retainer", {"id": "scraper"}), "bad_input", "'scraper'")


@pytest.mark.parametrize(
    ("call", "fragments"),
    [
        (lambda s: s.ledger.import_ledger("u1", b"{"), ["nothing was imported", "not valid JSON"]),
        (lambda s: s.ledger.import_ledger("u1", b" " * (MAX_IMPORT_BYTES + 1)), ["larger than"]),
        (
            lambda s: s.ledger.add_contract(
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
        (lambda s: s.ledger.edit_contract("u1", "retainer", {"ended": "2026-01-01"}), ["'ended' is set", "status"]),
        (lambda s: s.answers.score("u1", date(2025, 1, 1)), ["as-of date 2025-01-01 is before dates"]),
        (lambda s: s.answers.projection("u1", months=0), ["months must be 1 to 60"]),
        (lambda s: s.answers.projection("u1", months=61), ["months must be 1 to 60"]),
        (lambda s: s.answers.plan("u1", spacing_days=0), ["1 to 90 days"]),
        (lambda s: s.ledger.export_ledger("u1", date(2025, 1, 1)), ["as-of date 2025-01-01"]),
        (lambda s: s.ledger.asked_client("u1", "dash-v2"), ["already ended"]),
        (lambda s: s.ledger.asked_client("u1", "retainer", date(2025, 3, 2)), ["before contract 'retainer' started"]),
        (lambda s: s.questions.ask("u1", "   "), ["Ask a question"]),
        (lambda s: s.history.record_score("u1", 101), ["whole number from 0 to 100"]),
        (lambda s: s.history.record_score("u1", 90, date(2027, 1, 1)), ["2027-01-01 is in the future."]),
        (lambda s: s.history.explain_change("u1", date(2026, 2, 1), date(2026, 1, 1)), ["(2026-02-01) must be"]),
    ],
)
async def test_bad_input(loaded: Services, call: Callable[[Services], Awaitable[Answer]], fragments: list[str]) -> None:
    before = await loaded.ledger.export_ledger("u1")
    await expect_error(call(loaded), "bad_input", *fragments)
    assert await loaded.ledger.export_ledger("u1") == before


async def test_error_answers_are_rendered_per_output(store: LedgerStore) -> None:
    discord = build_services(store, OutputFormat.DISCORD, clock=FixedClock.on(AS_OF))
    await discord.ledger.import_ledger("u1", NEWCOMER.read_bytes())
    answer = await expect_error(discord.answers.advise("u1", "_*@here*_"), "not_found")
    assert "@here" not in answer.description and "\\_\\*" in answer.description
    assert answer.data["message"] == "You have no contract '_*@here*_'."  # data stays raw


async def test_console_error_answer_matches_its_message(loaded: Services) -> None:
    answer = await expect_error(loaded.ledger.show_contract("u1", "gone"), "not_found")
    assert answer.description == answer.data["message"] == "You have no contract 'gone'."


def test_every_reason_has_a_sentence_and_a_front_end_may_use_them() -> None:
    reasons = re.findall(r'reason == "(\w+)"', ERROR_MESSAGES.read_text(encoding="utf-8"))
    assert len(reasons) == len(set(reasons))
    error = service_error(OutputFormat.DISCORD, "bad_input", "uploads_too_large", limit_mb=2)
    assert error.answer.description == "The files are larger than 2 MB together."
    passed_through = service_error(OutputFormat.CONSOLE, "bad_input", detail="field 'x': not a date")
    assert passed_through.answer.data["message"] == "field 'x': not a date"
    with pytest.raises(Exception, match="undefined"):
        service_error(OutputFormat.CONSOLE, "bad_input", "no_such_reason")
