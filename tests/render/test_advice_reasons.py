"""The advice answers for a flagged client, held escrow, a $0 contract that never started and a hold render as
sentences in both outputs: the reason's own text, no template residue, the deciding rule cited first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.render import OutputFormat
from bot.services import open_services
from scoring.model import Contract, Ledger
from tests.builders import days, ended, open_contract

AS_OF = date(2025, 6, 1)

HISTORY = [ended(f"h{i}", date(2025, 1, 10) + days(i), earnings=1200, started=date(2024, 11, 1)) for i in range(4)]

CASES: dict[str, tuple[Contract, str, str]] = {
    "flagged_client": (
        open_contract("x", started=date(2025, 1, 1), last_payment=date(2025, 4, 1), earnings=300, flagged=True),
        "X-FLAGGED-CLIENT",
        "flagged or suspended",
    ),
    "flagged_escrow": (
        open_contract(
            "x", kind="fixed", started=date(2025, 3, 1), last_activity=date(2025, 4, 1), escrow=600, flagged=True
        ),
        "X-FLAGGED-CLIENT",
        "escrow",
    ),
    "never_started": (
        open_contract("x", started=AS_OF - days(10), requests=[AS_OF - days(1)]),
        "X-NO-FEEDBACK",
        "$0",
    ),
    "on_hold": (
        open_contract("x", started=date(2025, 3, 1), last_payment=AS_OF - days(10), earnings=400, status="on_hold"),
        "C-STATUSES",
        "hold",
    ),
}


@pytest.mark.parametrize("fmt", [OutputFormat.CONSOLE, OutputFormat.DISCORD])
@pytest.mark.parametrize("reason", sorted(CASES))
async def test_advice_reason_renders_as_a_sentence(tmp_path: Path, reason: str, fmt: OutputFormat) -> None:
    contract, first_rule, words = CASES[reason]
    services = await open_services(tmp_path / "ledger.db", fmt, FixedClock.on(AS_OF))
    try:
        await services.ledger.import_ledger("u", Ledger(contracts=(*HISTORY, contract)).model_dump_json(), "replace")
        answer = await services.answers.advise("u", "x", AS_OF)
    finally:
        await services.close()
    assert answer.data["reason"] == reason
    assert answer.citations[0].rule_id == first_rule
    text = answer.description
    assert words.lower() in text.lower(), text
    assert "{{" not in text and "{%" not in text and "None" not in text
