"""The score answer says why its estimate is rough and names each doubt in words (issue 18, item 4): a
middling rating and ongoing work under 90 days old, never the engine's keys."""

from __future__ import annotations

from datetime import date

from bot.clock import FixedClock
from bot.render import OutputFormat
from bot.services import build_services
from bot.store import LedgerStore
from tests.builders import days, ended, ledger_json, open_contract

TODAY = date(2026, 3, 1)  # contracts closed after the form change: public stars only


async def test_the_answer_names_middling_ratings_and_young_work_as_reasons(store: LedgerStore) -> None:
    contracts = [
        ended("good", TODAY - days(20), earnings=300),
        ended("fine", TODAY - days(35), earnings=300, stars=4.5),
        ended("okay", TODAY - days(50), earnings=300, stars=4.3),
        open_contract("young", started=TODAY - days(30), last_payment=TODAY - days(2), earnings=400),
    ]
    services = build_services(store, OutputFormat.CONSOLE, clock=FixedClock.on(TODAY))
    await services.ledger.import_ledger("u", ledger_json(contracts).encode())
    answer = await services.answers.score("u")
    text = "\n".join([answer.description, *(f"{f.name}: {f.value}" for f in answer.fields)])
    assert answer.data["range"]["rough"] == ["few_outcomes", "feedback_band", "young_open"]
    assert "Upwork has not said how middling ratings count" in text
    assert "Upwork has not said how work under 90 days old counts" in text
    assert "a middling rating; Upwork has not published how that counts" in text
    assert "ongoing work under 90 days old" in text
    assert "feedback_band" not in text and "young_open" not in text
