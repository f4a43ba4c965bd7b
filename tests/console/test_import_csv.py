"""`jss-advisor import-csv` and `jss-advisor message`, in-process on real SQLite files, prompts scripted."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.console.prompts import guide
from bot.services import Services
from tests.samples import TODAY, UPWORK, sample

from . import Run

AS_OF = ["--as-of", TODAY.isoformat()]
LANDING = "landing-page-copy-04bf54"
SHOP = "shopify-store-speed-fixes-3a9bd0"
CLEANUP = "data-cleanup-crm-import-u38829944"


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
    """The guided run in the console: the questions `/start` asks, numbered, in batches, ending with the score."""
    monkeypatch.setattr("sys.stdin", _Terminal())
    # 5 contracts, most recent first: Shopify, Blue Fern, Landing page, Logo (batch 1), Data cleanup (batch 2)
    ask = scripted(
        "3",  # Shopify: ended, 5 stars
        "x",  # not a choice: asked again
        "4",  # Blue Fern: ended, 4.8 stars
        "2",  # Landing page: open, and the client was asked to close it
        "",  # Logo: skipped
        "10",  # Data cleanup: ended, no feedback
    )
    monkeypatch.setattr("builtins.input", ask)
    files = [str(UPWORK / "transactions.csv"), str(UPWORK / "weekly.csv")]
    run = cli("import-csv", *files, "--interactive", *AS_OF)
    assert run.code == 0, run.err
    assert run.out.startswith("CSV import: 5 added")
    assert "Contracts 1 to 4 of 5: what happened?" in run.out and "Contracts 5 to 5 of 5" in run.out
    assert "  3) Ended, 5 stars\n" in run.out and "  10) Ended, no feedback (yet)\n" in run.out
    assert "Shopify store speed fixes — Northwind Goods, $1,700, last paid 2026-10-30" in run.out
    assert "Done: 4 contracts answered, 1 skipped" in run.out and "Estimated JSS" in run.out
    assert len(scripted.prompts) == 6  # type: ignore[attr-defined]
    shop = json.loads(cli("contracts", "show", SHOP, *AS_OF, "--json").out)["contract"]
    assert (shop["status"], shop["ended"], shop["public_stars"]) == ("ended", "2026-10-30", 5.0)
    landing = json.loads(cli("contracts", "show", LANDING, *AS_OF, "--json").out)["contract"]
    assert landing["status"] == "active" and len(landing["close_requests"]) == 1
    cleanup = json.loads(cli("contracts", "show", CLEANUP, *AS_OF, "--json").out)["contract"]
    assert (cleanup["status"], cleanup["public_stars"]) == ("ended", None)


def test_interactive_import_stops_on_q_and_goes_on_later(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("builtins.input", scripted("1", "q"))  # Shopify still open, then stop
    files = [str(UPWORK / "transactions.csv"), str(UPWORK / "weekly.csv")]
    first = cli("import-csv", *files, "--interactive", *AS_OF)
    assert first.code == 0, first.err
    assert "Stopped; what you answered is kept." in first.out and "Saved for later" in first.out
    assert "4 contracts still to go" in first.out
    monkeypatch.setattr("builtins.input", scripted())  # Ctrl-D at once: stops again, keeping the rest
    again = cli("import-csv", *files, "--interactive", *AS_OF)
    assert "CSV import: 0 added, 0 updated, 5 unchanged" in again.out
    assert "Contracts 2 to 5 of 5: what happened?" in again.out
    assert "Shopify store speed fixes —" not in again.out.split("what happened?")[1]  # answered: not asked again


def test_import_csv_without_files_says_where_to_get_them_and_goes_on(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first-timer types the command they were told about with no files: they learn which two downloads
    to get and where Upwork's menus keep them (it used to be a usage error: "FILE required"). With
    questions left from an earlier run, `--interactive` alone goes on with them."""
    welcome = cli("import-csv", *AS_OF)
    assert welcome.code == 0, welcome.err
    assert welcome.out.startswith("Your Upwork history in five minutes")
    assert "Reports › Transaction History" in welcome.out
    assert "Manage finances › Your reports › Weekly summary report" in welcome.out
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("builtins.input", scripted("q"))
    cli("import-csv", str(UPWORK / "transactions.csv"), "--interactive", *AS_OF)
    monkeypatch.setattr("builtins.input", scripted("3", "q"))
    resumed = cli("import-csv", "--interactive", *AS_OF)
    assert resumed.code == 0, resumed.err
    assert "Welcome back: 4 contracts still to go" in resumed.out and "Contracts 1 to 4 of 4" in resumed.out


async def test_a_refused_answer_is_explained_and_asked_again(advisor: Services) -> None:
    step = await advisor.onboarding.import_files("u", [sample("weekly.csv")])
    assert step.batch is not None
    out = io.StringIO()
    ask = scripted("0", "99", "ended", "1", "")
    answers = await guide(advisor.onboarding, "u", step, ask, out)
    assert out.getvalue().count("Choice 1-12, Enter to skip, q to stop") >= 3  # the prompt, and twice the hint
    assert [a.data["step"] for a in answers[:1]] == ["done"] and answers[0].title.startswith("Done: 1 contract")


async def test_prompt_labels_are_terminal_safe(advisor: Services) -> None:
    raw = b'Date,Contract,Amount\n"Oct 01, 2026","\x1b[2JEvil\x07 title (12345678)",$5.00\n'
    step = await advisor.onboarding.import_files("u", [("evil.csv", raw)])
    assert step.batch is not None
    out = io.StringIO()
    await guide(advisor.onboarding, "u", step, scripted(""), out)
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
