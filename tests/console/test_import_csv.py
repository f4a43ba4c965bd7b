"""`jss-advisor import-csv` and `jss-advisor message`, in-process on real SQLite files, prompts scripted."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.console.prompts import ask_details
from bot.services.imports import ImportService
from bot.store import LedgerStore
from scoring.model import ContractStatus
from tests.samples import TODAY, UPWORK, sample

from . import Run

AS_OF = ["--as-of", TODAY.isoformat()]
LANDING = "landing-page-copy-04bf54"
BLUE_FERN = "hourly-work-for-blue-fern-labs-0e9642"


def scripted(*answers: str) -> Callable[[str], str]:
    """An `input` replacement: each call returns the next answer and records the prompt."""
    queue: Iterator[str] = iter(answers)

    def ask(prompt: str) -> str:
        scripted.prompts.append(prompt)  # type: ignore[attr-defined]
        try:
            return next(queue)
        except StopIteration:
            raise EOFError from None

    scripted.prompts = []  # type: ignore[attr-defined]
    return ask


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_import_csv_prints_the_summary(cli: Callable[..., Run]) -> None:
    run = cli("import-csv", str(UPWORK / "transactions.csv"), str(UPWORK / "weekly.csv"), *AS_OF)
    assert run.code == 0, run.err
    assert run.out.startswith("CSV import: 5 added, 0 updated, 0 unchanged")
    assert "Needs your input (5)" in run.out and "--interactive" in run.out
    again = cli("import-csv", str(UPWORK / "transactions.csv"), str(UPWORK / "weekly.csv"), *AS_OF, "--json")
    data = json.loads(again.out)
    assert (data["added"], data["updated"], data["unchanged"]) == (0, 0, 5)
    assert data["kind"] == "import_csv" and len(data["contracts"]) == 5 and data["skipped"]["withdrawal"] == 2


def test_a_malformed_file_is_one_line_and_changes_nothing(cli: Callable[..., Run]) -> None:
    cli("import-csv", str(UPWORK / "weekly.csv"), *AS_OF)
    before = cli("export").out
    run = cli("import-csv", str(UPWORK / "transactions.csv"), str(UPWORK / "malformed_amount.csv"), *AS_OF)
    assert run.code == 1 and run.out == ""
    assert run.err.count("\n") == 1 and "malformed_amount.csv, line 3, column 'Amount'" in run.err
    assert cli("export").out == before
    missing = cli("import-csv", str(UPWORK / "no-such-file.csv"))
    assert missing.code == 1 and "cannot read" in missing.err


def test_interactive_import_asks_and_saves(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal())
    # 4 contracts from the transactions, most recent first: Shopify, Blue Fern, Landing page, Logo
    ask = scripted(
        "o",  # Shopify: still open
        "e",
        "2026-10-25",
        "5",
        "",  # Blue Fern: ended, 5 stars, private rating unknown
        "ended",
        "",
        "4.5",
        "9",  # Landing page: ended on its last activity, 4.5 stars, private 9
        "q",
    )
    monkeypatch.setattr("builtins.input", ask)
    run = cli("import-csv", str(UPWORK / "transactions.csv"), "--interactive", *AS_OF)
    assert run.code == 0, run.err
    assert run.out.startswith("CSV import: 4 added")
    assert "[1/4] Shopify store speed fixes — Northwind Goods, $1,700, last paid 2026-10-30" in run.out
    assert "Stopped; what you entered so far is saved." in run.out
    assert "Details saved for 2 contracts" in run.out
    assert "Enter skips a question" in run.out and "Details saved" in run.out.split("[1/4]")[1]
    shown = cli("contracts", "show", LANDING, *AS_OF, "--json")
    contract = json.loads(shown.out)["contract"]
    assert (contract["status"], contract["ended"], contract["public_stars"], contract["private_rating"]) == (
        "ended",
        "2026-10-16",
        4.5,
        9,
    )  # the refund on Oct 16 was the last activity
    blue = json.loads(cli("contracts", "show", BLUE_FERN, *AS_OF, "--json").out)["contract"]
    assert (blue["status"], blue["ended"], blue["public_stars"]) == ("ended", "2026-10-25", 5.0)


def test_interactive_needs_a_terminal(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("must not prompt"))
    run = cli("import-csv", str(UPWORK / "transactions.csv"), "--interactive", *AS_OF)
    assert run.code == 0 and "--interactive needs a terminal" in run.err and "CSV import" in run.out


async def test_prompts_retry_a_bad_answer_and_skip_on_enter(store: LedgerStore, importer: ImportService) -> None:
    result = await importer.import_csv("u", [sample("weekly.csv")])
    cleanup = next(c for c in result.needs_details if c.title == "Data cleanup, CRM import")
    out = io.StringIO()
    ask = scripted(
        "ended",
        "",
        "7",
        "",
        "",  # 7 stars: refused, all asked again
        "ended",
        "2026-11-01",
        "4.9",
        "",
        "Maple Bakery",
    )
    saved = await ask_details(importer, "u", [cleanup, result.needs_details[0]], ask, out)
    assert [c.id for c in saved] == [cleanup.id]
    assert "public stars '7': a number from 1 to 5" in out.getvalue()
    assert any("Client name" in p for p in scripted.prompts)  # type: ignore[attr-defined]
    stored = await store.get_contract("u", cleanup.id)
    assert stored is not None
    assert (stored.status, str(stored.ended), stored.public_stars, stored.client) == (
        ContractStatus.ENDED,
        "2026-11-01",
        4.9,
        "Maple Bakery",
    )


async def test_prompt_labels_are_terminal_safe(importer: ImportService) -> None:
    raw = b'Date,Contract,Amount\n"Oct 01, 2026","\x1b[2JEvil\x07 title (12345678)",$5.00\n'
    result = await importer.import_csv("u", [("evil.csv", raw)])
    out = io.StringIO()
    await ask_details(importer, "u", result.needs_details, scripted(""), out)
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue() and "Evil title" in out.getvalue()


def test_message_command(cli: Callable[..., Run]) -> None:
    cli("import-csv", str(UPWORK / "transactions.csv"), *AS_OF)
    run = cli("message", "logo-refresh-brand-kit-fc316c", "--kind", "ask-close", "--name", "Dana Kim")
    assert run.code == 0, run.err
    assert "Hi Cedar & Co," in run.out and "Best regards,\nDana Kim" in run.out
    data = json.loads(cli("message", LANDING, "--kind", "ask-milestone", "--to", "Priya", "--json").out)
    assert data["message"].startswith("Hi Priya,") and data["message"].endswith("[your name]")
    refused = cli("message", LANDING, "--kind", "goodbye")
    assert refused.code == 1 and "is still open" in refused.err
    bad_kind = cli("message", LANDING, "--kind", "invoice")
    assert bad_kind.code == 2
