"""Every template of this feature renders in both outputs, with hostile text from a CSV escaped."""

from __future__ import annotations

import re

import pytest

from bot.clock import FixedClock
from bot.console.output import format_json, format_text
from bot.render import Answer, OutputFormat
from bot.services import build_services
from bot.store import LedgerStore
from scoring.catalogue import load_catalogue
from tests.samples import TODAY, sample

HOSTILE_CSV = (
    b'"Date","Ref ID","Type","Description","Team","Amount"\n'
    b'"Oct 02, 2026","1","Fixed Price","Invoice for Milestone 1 - \x1b[2J**Evil** @everyone <@123>\n## Fake W-AGE-OUT",'
    b'"Cedar_&_Co <#42>","$300.00"\n'
    b'"Oct 09, 2026","2","Hourly","Invoice for 10/01/2026-10/07/2026 - 1:00 hrs @ $10.00/hr","Plain Client","$10.00"\n'
)


def check(answer: Answer, fmt: OutputFormat) -> str:
    text = "\n".join(
        [answer.title, answer.description, answer.footer, *(f"{f.name}\n{f.value}" for f in answer.fields)]
    )
    assert answer.title.strip() and "{{" not in text and "{%" not in text and "None" not in text, text
    assert "\x1b" not in text and "Fake" not in [f.name for f in answer.fields]
    assert all(f.name.strip() and f.value.strip() for f in answer.fields)
    assert answer.footer == ""  # imports, details and letters show no estimate: no model disclaimer
    assert all(load_catalogue().get(rule_id) for rule_id in answer.rule_ids)
    assert format_text(answer, colour=False) and format_json(answer)
    if fmt is OutputFormat.DISCORD:  # a letter's code block is verbatim (no pings there, and sends allow none)
        outside = re.sub(r"```text\n.*?\n```", "", text, flags=re.DOTALL)
        assert "@everyone" not in outside.replace("@\u200beveryone", "") and "<@123>" not in outside
    return text


@pytest.mark.parametrize("fmt", list(OutputFormat))
async def test_every_template_of_the_feature(store: LedgerStore, fmt: OutputFormat) -> None:
    advisor = build_services(store, fmt, clock=FixedClock.on(TODAY))
    importer, messages = advisor.imports, advisor.messages
    result = await importer.import_csv("u", [("hostile.csv", HOSTILE_CSV), sample("transactions.csv")])
    summary = check(result.answer, fmt)
    if fmt is OutputFormat.DISCORD:
        assert "\\*\\*Evil\\*\\*" in summary  # markdown in a title is shown, not applied
    evil = next(c for c in result.needs_details if "Evil" in c.title)
    check(await importer.set_details("u", evil.id, status="ended", public_stars="5"), fmt)
    check(importer.details_saved([evil]), fmt)
    check(importer.details_saved([]), fmt)
    for kind, contract_id in (
        ("goodbye", evil.id),
        ("ask-close", result.needs_details[0].id),
        ("ask-milestone", "landing-page-copy-04bf54"),
    ):
        check(await messages.client_message("u", contract_id, kind, "Dana"), fmt)
    unattributed = await importer.import_csv(
        "u", [("lost.csv", b'Date,Ref ID,Type,Description,Amount\n"Oct 01, 2026",9,Bonus,Bonus,$5.00\n')]
    )
    assert "Not matched to a contract (1)" in [f.name for f in unattributed.answer.fields]
    assert unattributed.answer.level == "warning"
    check(unattributed.answer, fmt)
