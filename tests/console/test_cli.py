"""The `jss-advisor` console front end, run in-process through `main(argv)` on real SQLite files.

Two tests run the installed console script as a subprocess, to prove the entry point, the default
database location from JSS_ADVISOR_DB, and what a user's terminal really receives (stdout/stderr).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from scoring.catalogue import load_catalogue
from scoring.engine import score
from scoring.model import parse_ledger_json
from tests.samples import AS_OF, AS_OF_ARG, DATA, FREELANCER, HOSTILE, NEWCOMER

from . import PNG_MAGIC, Run, json_documents

SCRIPT = Path(sys.executable).with_name("jss-advisor")
VERDICTS = {"close_now", "ask_client", "wait", "keep_open"}
CATALOGUE = load_catalogue()


@pytest.fixture
def loaded(cli) -> None:
    assert cli("import", str(FREELANCER)).code == 0


def export(cli, *extra: str) -> str:
    result = cli("export", *extra)
    assert result.code == 0, result.err
    return result.out


def assert_one_line_failure(result: Run, *fragments: str) -> None:
    assert result.code == 1, (result.code, result.out, result.err)
    assert "Traceback" not in result.err
    line = result.err.strip()
    assert line.startswith("jss-advisor: ") and "\n" not in line, result.err
    for fragment in fragments:
        assert fragment in line, (fragment, line)


# -- demo ------------------------------------------------------------------------------------------


def test_demo_walks_through_score_advice_plan_projection_and_writes_the_plot(cli, tmp_path: Path) -> None:
    plot = tmp_path / "chart.png"
    result = cli("demo", "--as-of", AS_OF_ARG, "--plot", str(plot))

    assert result.code == 0, result.err
    assert result.err == ""
    assert plot.read_bytes()[:8] == PNG_MAGIC
    out = result.out
    assert "Demo ledger loaded." in out and "as of 2026-02-15" in out
    assert "Estimated JSS: " in out and "<- shown" in out  # score with its windows
    assert "Close it now: Acme website fixes (acme-site)" in out  # advice on the stale contract
    assert "Closing plan: " in out  # staggered plan
    assert "Projected JSS, next 24 months" in out  # projection
    assert f"Chart saved to {plot}" in out
    assert out.index("Estimated JSS") < out.index("Close it now") < out.index("Closing plan") < out.index("Projected")
    assert not out.rstrip().endswith("-" * 60), "no separator after the last answer"
    assert "\x1b" not in out  # stdout is not a terminal: no colour


def test_demo_json_gives_one_document_per_answer(cli, tmp_path: Path) -> None:
    plot = tmp_path / "demo.png"
    result = cli("demo", "--as-of", AS_OF_ARG, "--plot", str(plot), "--json")

    assert result.code == 0, result.err
    docs = json_documents(result.out)
    assert [d["kind"] for d in docs] == ["notice", "score", "advice", "plan", "projection"]
    score, advice, plan, projection = docs[1:]
    assert isinstance(score["jss"], int) and score["eligible"] is True
    assert advice["verdict"] == "close_now" and advice["contract"] == "acme-site"
    assert [s["contract"] for s in plan["steps"]][0] == "acme-site"
    assert projection["plot"] == str(plot) and plot.read_bytes()[:8] == PNG_MAGIC
    assert projection["points"][0]["day"] == AS_OF_ARG


def test_demo_is_repeatable_and_leaves_other_users_alone(cli) -> None:
    assert cli("import", str(FREELANCER)).code == 0
    before = export(cli)
    for _ in range(2):
        assert cli("demo", "--as-of", AS_OF_ARG, "--plot", os.devnull).code == 0
    assert export(cli) == before
    assert len(json.loads(export(cli, "--user", "demo"))["contracts"]) == 10


# -- import, score, advice, questions ---------------------------------------------------------------


def test_import_then_score_json(cli) -> None:
    imported = cli("import", str(FREELANCER), "--json")
    assert imported.code == 0
    assert imported.json()["added"] == 8

    data = cli("score", "--as-of", AS_OF_ARG, "--json").json()
    assert {"jss", "windows", "eligible"} <= data.keys()
    assert isinstance(data["jss"], int) and 0 <= data["jss"] <= 100
    assert isinstance(data["windows"], dict) and {"6m", "12m", "24m"} <= data["windows"].keys()
    assert data["eligible"] is True
    assert data["windows"][data["shown_window"]] == pytest.approx(data["jss"], abs=0.5)
    assert data["contracts"]["bugfix-sprint"]["outcome"] == "excluded"  # ended without feedback
    assert data["contracts"]["scraper"]["outcome"] == "bad"  # 3.5 stars
    assert all(rule in CATALOGUE for rule in data["rules"])


def test_score_for_a_newcomer_has_no_jss_yet(cli) -> None:
    assert cli("import", str(NEWCOMER)).code == 0
    data = cli("score", "--as-of", AS_OF_ARG, "--json").json()
    assert data["jss"] is None and data["eligible"] is False
    text = cli("score", "--as-of", AS_OF_ARG).out
    assert "No Job Success Score yet" in text and "E-CURRENT" in text


@pytest.mark.parametrize(
    ("contract", "verdict"),
    [("silent-client", "close_now"), ("idle-fixed", "wait"), ("retainer", "keep_open"), ("dash-v2", "keep_open")],
)
def test_advise_json(cli, loaded, contract: str, verdict: str) -> None:
    data = cli("advise", contract, "--as-of", AS_OF_ARG, "--json").json()
    assert data["verdict"] in VERDICTS
    assert data["verdict"] == verdict
    assert data["rules"] and all(rule in CATALOGUE for rule in data["rules"])
    assert isinstance(data["explanation"], str) and data["explanation"].strip()
    assert data["contract"] == contract


def test_advise_text_for_an_ended_contract_does_not_say_keep_it_open(cli, loaded) -> None:
    result = cli("advise", "dash-v2", "--as-of", AS_OF_ARG)
    assert result.code == 0
    assert result.out.startswith("Already ended: Sales dashboard v2 (dash-v2)")
    assert "Keep it open" not in result.out


def test_ask_json_is_personalised_with_the_ledger(cli, loaded) -> None:
    data = cli("ask", "my client went silent, should I close the contract?", "--as-of", AS_OF_ARG, "--json").json()
    assert isinstance(data["answer"], str) and data["answer"].strip()
    assert data["rules"] and all(rule in CATALOGUE for rule in data["rules"])
    assert data["intent"] == "close_or_not"
    assert data["jss"] == cli("score", "--as-of", AS_OF_ARG, "--json").json()["jss"]


def test_ask_with_a_rule_like_token_in_the_question(cli, loaded) -> None:
    """The question is echoed in the title; an id-looking word in it must not break rendering."""
    result = cli("ask", "should I close the contract for client X-FOO?", "--as-of", AS_OF_ARG, "--json")
    assert result.code == 0, result.err
    assert "X-FOO" not in result.json()["rules"]


def test_whatif_json_covers_every_scenario(cli, loaded) -> None:
    data = cli("whatif", "idle-fixed", "--as-of", AS_OF_ARG, "--json").json()
    scenarios = data["scenarios"]
    assert set(scenarios) == {
        "leave_open",
        "close_no_feedback",
        "close_good_feedback",
        "close_poor_feedback",
        "wait_for_upwork",
        "refund",
    }
    assert scenarios["close_no_feedback"]["money_at_risk_usd"] == "350.00"  # escrow goes back to the client
    assert scenarios["wait_for_upwork"]["applicable"] is True  # funded fixed price: Upwork's own process
    hourly = cli("whatif", "silent-client", "--as-of", AS_OF_ARG, "--json").json()["scenarios"]
    assert hourly["wait_for_upwork"]["applicable"] is False  # C-HOURLY-INACTIVE
    assert set(hourly["leave_open"]["jss"]) == {"0", "1", "3", "6", "12"}
    text = cli("whatif", "silent-client", "--as-of", AS_OF_ARG).out
    assert "Not applicable: Upwork does not close hourly" in text


@pytest.mark.parametrize("as_of", ["2026-02-15", "2026-02-18"])  # a Sunday and a Wednesday
def test_projection_biweekly_updates_fall_on_sundays(cli, loaded, as_of: str) -> None:
    data = cli("projection", "--cadence", "biweekly", "--as-of", as_of, "--json").json()
    assert data["cadence"] == "biweekly"
    days = [date.fromisoformat(p["day"]) for p in data["points"]]
    assert days[0] == date.fromisoformat(as_of)  # today's score first
    assert days == sorted(days) and len(days) > 20
    assert all(day.weekday() == 6 for day in days[1:]), "updates every other Sunday (W-CADENCE-LEGACY)"
    assert {(b - a).days for a, b in zip(days[1:], days[2:], strict=False)} == {14}
    assert all(date.fromisoformat(e["update_day"]).weekday() == 6 for e in data["events"])
    assert "W-CADENCE-LEGACY" in data["rules"] and "W-CADENCE-CURRENT" not in data["rules"]


def test_projection_plot_and_months(cli, loaded, tmp_path: Path) -> None:
    plot = tmp_path / "p.png"
    result = cli("projection", "--as-of", AS_OF_ARG, "--months", "6", "--plot", str(plot), "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert plot.read_bytes()[:8] == PNG_MAGIC and data["plot"] == str(plot)
    assert max(date.fromisoformat(p["day"]) for p in data["points"]) <= date(2026, 8, 15)
    assert "Projected JSS, next 6 months" in cli("projection", "--as-of", AS_OF_ARG, "--months", "6").out


def test_plan_json_schedules_the_stale_contract_and_skips_escrow(cli, loaded) -> None:
    data = cli("plan", "--as-of", AS_OF_ARG, "--json").json()
    assert [s["contract"] for s in data["steps"]] == ["silent-client"]
    assert data["steps"][0]["day"] == AS_OF_ARG
    assert {"contract": "idle-fixed", "reason": "funded_escrow"} in data["skipped"]
    assert data["rules"][0] in {"L-STAGGER", "C-SELF-CLOSE-2MO"}
    spaced = cli("plan", "silent-client", "--spacing", "21", "--as-of", AS_OF_ARG).out
    assert "21 days apart" in spaced


def test_toprated_json(cli, loaded) -> None:
    data = cli("toprated", "--as-of", AS_OF_ARG, "--json").json()
    assert {"jss", "eligible_weeks", "weeks_until_return", "earnings_12mo_usd", "requirements_met"} <= data.keys()
    assert 0 <= data["eligible_weeks"] <= 16
    assert "B-TR" in data["rules"]


# -- editing the ledger -----------------------------------------------------------------------------


def test_contracts_add_edit_list_show_asked_client_remove_round_trip(cli) -> None:
    added = cli(
        "contracts",
        "add",
        "--id",
        "acme",
        "--title",
        "Site fixes",
        "--client",
        "Acme",
        "--kind",
        "hourly",
        "--status",
        "active",
        "--started",
        "2025-10-01",
        "--last-activity",
        "2025-11-05",
        "--last-payment",
        "2025-11-05",
        "--earnings-usd",
        "$1,300.50",
        "--json",
    )
    assert added.code == 0, added.err
    assert added.json()["contract"] == "acme"

    listed = cli("contracts", "list", "--as-of", AS_OF_ARG, "--json").json()["contracts"]
    assert [(c["id"], c["earnings_usd"], c["status"]) for c in listed] == [("acme", "1300.50", "active")]

    assert cli("contracts", "edit", "acme", "--title", "Site fixes, phase 2", "--escrow-usd", "80").code == 0
    assert cli("contracts", "asked-client", "acme", "--on", "2026-01-10").code == 0
    asked = cli("contracts", "asked-client", "acme", "--as-of", AS_OF_ARG, "--json").json()
    assert asked["close_requests"] == 2

    shown = cli("contracts", "show", "acme", "--as-of", AS_OF_ARG, "--json").json()
    contract = shown["contract"]
    assert contract["title"] == "Site fixes, phase 2"
    assert contract["escrow_usd"] == "80.00" and contract["earnings_usd"] == "1300.50"
    assert contract["close_requests"] == ["2026-01-10", AS_OF_ARG]
    text = cli("contracts", "show", "acme", "--as-of", AS_OF_ARG).out
    assert text.startswith("Site fixes, phase 2\n") and "2026-01-10, 2026-02-15" in text

    ended = cli("contracts", "edit", "acme", "--status", "ended", "--public-stars", "5")
    assert ended.code == 0, ended.err
    shown = cli("contracts", "show", "acme", "--as-of", AS_OF_ARG, "--json").json()
    assert shown["contract"]["ended"] == "2025-11-05"  # defaults to the last activity
    assert shown["outcome"] == "good"

    renamed = cli("contracts", "edit", "acme", "--id", "acme-2025")
    assert renamed.code == 0, renamed.err
    assert [c["id"] for c in cli("contracts", "list", "--json").json()["contracts"]] == ["acme-2025"]

    assert cli("contracts", "remove", "acme-2025").code == 0
    assert cli("contracts", "list", "--json").json()["contracts"] == []
    assert_one_line_failure(cli("contracts", "show", "acme-2025"), "acme-2025")


def test_contracts_list_gives_one_entry_per_contract(cli, loaded) -> None:
    out = cli("contracts", "list", "--as-of", AS_OF_ARG).out
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines[0] == "Your contracts (8)"
    for cid in ("etl-pipeline", "retainer", "idle-fixed"):
        assert sum(line.startswith(cid + ":") for line in lines) == 1, out
    assert "retainer: Monthly data retainer for Harborview Logistics: hourly, active, $6,400, idle 9 days" in lines


def test_contracts_add_refuses_bad_input_with_one_line(cli) -> None:
    base = [
        "contracts",
        "add",
        "--title",
        "T",
        "--client",
        "C",
        "--kind",
        "hourly",
        "--status",
        "active",
        "--started",
        "2025-01-01",
    ]
    assert_one_line_failure(cli(*base, "--id", "x", "--earnings-usd", "lots"), "earnings_usd", "lots")
    assert_one_line_failure(cli(*base, "--id", "bad id", "--earnings-usd", "1"), "field 'id'")
    assert cli(*base, "--id", "ok", "--earnings-usd", "1").code == 0
    assert_one_line_failure(cli(*base, "--id", "ok", "--earnings-usd", "1"), "'ok'", "already")
    assert_one_line_failure(cli("contracts", "edit", "ok", "--started", "2026-13-01"), "started")
    assert_one_line_failure(cli("contracts", "asked-client", "ok", "--on", "2024-12-31"), "before", "'ok'")


def test_export_then_replace_import_gives_an_identical_export(cli, loaded, tmp_path: Path) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert cli("contracts", "asked-client", "retainer", "--on", "2026-02-01").code == 0
    assert cli("export", "--out", str(first)).code == 0
    exported = json.loads(first.read_text(encoding="utf-8"))
    assert exported["format"] == "jss-ledger/1" and len(exported["contracts"]) == 8

    assert (
        cli(
            "contracts",
            "add",
            "--id",
            "extra",
            "--title",
            "T",
            "--client",
            "C",
            "--kind",
            "fixed",
            "--status",
            "active",
            "--started",
            "2026-01-01",
            "--earnings-usd",
            "0",
        ).code
        == 0
    )
    assert cli("contracts", "remove", "scraper").code == 0
    replaced = cli("import", str(first), "--mode", "replace", "--json").json()
    assert (replaced["added"], replaced["removed"]) == (1, 1)

    assert cli("export", "--out", str(second)).code == 0
    assert second.read_bytes() == first.read_bytes()
    assert export(cli).encode("utf-8") == first.read_bytes()  # stdout and --out agree


def test_export_keeps_money_and_dates_exact(cli, loaded) -> None:
    original = {c["id"]: c for c in json.loads(FREELANCER.read_text(encoding="utf-8"))["contracts"]}
    exported = {c["id"]: c for c in json.loads(export(cli, "--as-of", AS_OF_ARG))["contracts"]}
    assert exported == original
    assert json.loads(export(cli, "--as-of", AS_OF_ARG))["as_of"] == AS_OF_ARG


def test_merge_import_keeps_contracts_not_in_the_file(cli, loaded) -> None:
    assert cli("import", str(NEWCOMER)).code == 0
    assert len(json.loads(export(cli))["contracts"]) == 10


def test_forget_needs_yes(cli, loaded) -> None:
    before = export(cli)
    assert_one_line_failure(cli("forget"), "--yes")
    assert export(cli) == before

    result = cli("forget", "--yes", "--json")
    assert result.code == 0
    assert result.json()["rows_removed"] >= 8
    assert json.loads(export(cli))["contracts"] == []
    assert_one_line_failure(cli("score", "--as-of", AS_OF_ARG), "No contracts yet")


# -- errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("bad_json.json", ["not valid JSON", "line 27"]),
        ("bad_ended_before_started.json", ["contract #4 'dash-v2'", "'ended'", "before 'started'"]),
        ("bad_unknown_key.json", ["contract #2 'wp-speed'", "field 'hourly_rate'", "unknown field"]),
        ("bad_duplicate_id.json", ["contract #3 'etl-pipeline'", "id is used twice"]),
    ],
)
@pytest.mark.parametrize("mode", ["merge", "replace"])
def test_a_malformed_ledger_file_changes_nothing(cli, loaded, name: str, fragments: list[str], mode: str) -> None:
    assert cli("contracts", "asked-client", "idle-fixed", "--on", "2026-02-01").code == 0
    before = export(cli)

    result = cli("import", str(DATA / name), "--mode", mode)

    assert_one_line_failure(result, "nothing was imported", *fragments)
    assert result.out == ""
    assert export(cli) == before


def test_import_of_a_missing_file(cli, tmp_path: Path) -> None:
    assert_one_line_failure(cli("import", str(tmp_path / "nope.json")), "cannot read", "nope.json")


@pytest.mark.parametrize(
    "args",
    [
        ("advise", "nope", "--as-of", AS_OF_ARG),
        ("whatif", "nope", "--as-of", AS_OF_ARG),
        ("contracts", "show", "nope"),
        ("contracts", "edit", "nope", "--title", "x"),
        ("contracts", "remove", "nope"),
        ("contracts", "asked-client", "nope"),
    ],
)
def test_unknown_contract_id(cli, loaded, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert_one_line_failure(result, "'nope'")
    assert "no contract" in result.err.lower()


def test_unknown_contract_id_with_json_prints_the_error_answer(cli, loaded) -> None:
    result = cli("advise", "nope", "--as-of", AS_OF_ARG, "--json")
    assert result.code == 1
    data = result.json()
    assert data["kind"] == "error" and data["error"] == "not_found"


@pytest.mark.parametrize("bad", ["2026-02-30", "15/02/2026", "yesterday"])
def test_bad_as_of_is_a_usage_error(cli, bad: str) -> None:
    result = cli("score", "--as-of", bad)
    assert result.code == 2
    assert "--as-of" in result.err and "YYYY-MM-DD" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("command", [("score",), ("advise", "retainer"), ("projection",), ("plan",), ("toprated",)])
def test_as_of_before_the_ledger_dates(cli, loaded, command: tuple[str, ...]) -> None:
    result = cli(*command, "--as-of", "2025-06-01")
    assert_one_line_failure(result, "as-of date 2025-06-01 is before dates in contract(s)", "retainer")


def test_export_with_as_of_before_the_ledger_dates(cli, loaded) -> None:
    assert_one_line_failure(cli("export", "--as-of", "2025-06-01"), "as-of date 2025-06-01", "silent-client")


def test_commands_on_an_empty_ledger(cli) -> None:
    assert_one_line_failure(cli("score"), "No contracts yet")
    assert cli("contracts", "list").out.startswith("Your contracts (0)")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("projection", "--months", "0"), "months must be 1 to"),
        (("projection", "--months", "-3"), "months must be 1 to"),
        (("plan", "--spacing", "-5"), "1 to 90 days"),
        (("plan", "--expect-good", "retainer"), "ID=YYYY-MM-DD"),
        (("score", "--user", ""), "user id"),
    ],
)
def test_out_of_range_options(cli, loaded, args: tuple[str, ...], fragment: str) -> None:
    assert_one_line_failure(cli(*args, "--as-of", AS_OF_ARG), fragment)


def test_unwritable_output_files(cli, loaded, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    assert_one_line_failure(cli("export", "--out", str(missing / "l.json")), "cannot write")
    assert_one_line_failure(cli("projection", "--as-of", AS_OF_ARG, "--plot", str(missing / "p.png")), "cannot write")


# -- users ------------------------------------------------------------------------------------------


def test_users_are_isolated(cli) -> None:
    assert cli("import", str(FREELANCER), "--user", "a").code == 0
    assert cli("import", str(NEWCOMER), "--user", "b").code == 0
    for user in ("a", "b"):
        assert (
            cli(
                "contracts",
                "add",
                "--user",
                user,
                "--id",
                "shared",
                "--title",
                f"Title of {user}",
                "--client",
                "C",
                "--kind",
                "hourly",
                "--status",
                "active",
                "--started",
                "2026-01-05",
                "--earnings-usd",
                "10",
            ).code
            == 0
        )

    a = json.loads(export(cli, "--user", "a"))["contracts"]
    b = json.loads(export(cli, "--user", "b"))["contracts"]
    assert len(a) == 9 and len(b) == 3
    assert {c["title"] for c in a if c["id"] == "shared"} == {"Title of a"}
    assert {c["title"] for c in b if c["id"] == "shared"} == {"Title of b"}
    assert cli("score", "--user", "a", "--as-of", AS_OF_ARG, "--json").json()["jss"] is not None
    assert cli("score", "--user", "b", "--as-of", AS_OF_ARG, "--json").json()["jss"] is None
    assert_one_line_failure(cli("advise", "retainer", "--user", "b", "--as-of", AS_OF_ARG), "'retainer'")

    assert cli("contracts", "remove", "shared", "--user", "b").code == 0
    assert cli("forget", "--yes", "--user", "b").code == 0
    assert json.loads(export(cli, "--user", "b"))["contracts"] == []
    assert json.loads(export(cli, "--user", "a"))["contracts"] == a
    assert_one_line_failure(cli("score", "--user", "nobody"), "No contracts yet")


def test_default_user_comes_from_jss_user(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JSS_USER", "carol")
    assert cli("import", str(NEWCOMER)).code == 0
    assert len(json.loads(export(cli, "--user", "carol"))["contracts"]) == 2
    assert json.loads(export(cli, "--user", "me"))["contracts"] == []


# -- what the terminal gets -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("score",),
        ("advise", "silent-client"),
        ("whatif", "silent-client"),
        ("plan",),
        ("projection",),
        ("toprated",),
        ("contracts", "list"),
        ("contracts", "show", "retainer"),
    ],
)
def test_no_colour_codes_when_stdout_is_not_a_terminal(cli, loaded, args: tuple[str, ...]) -> None:
    result = cli(*args, "--as-of", AS_OF_ARG)
    assert result.code == 0, result.err
    assert "\x1b" not in result.out
    # the model disclaimer, short, under every estimate and only there (a contract listing is no estimate)
    estimate = args[0] != "contracts"
    assert ("Estimate: Upwork does not publish its JSS formula." in result.out) is estimate, result.out


@pytest.mark.parametrize(
    "args",
    [
        ("contracts", "list"),
        ("contracts", "show", "mkt-site"),
        ("score",),
        ("advise", "mkt-site"),
        ("whatif", "mkt-site"),
        ("plan",),
        ("projection",),
        ("ask", "should I close mkt-site?"),
    ],
)
def test_control_characters_in_titles_never_reach_the_terminal(cli, args: tuple[str, ...]) -> None:
    assert cli("import", str(HOSTILE)).code == 0
    result = cli(*args, "--as-of", AS_OF_ARG)
    assert result.code == 0, result.err
    assert not any(ch in result.out for ch in "\x1b\x07\x08\x9b"), repr(result.out[:500])
    assert "[31m" not in result.out and "[2J" not in result.out
    if args[0] not in {"ask", "projection"}:  # those two need not mention the contract
        assert "Marketing site rebuild" in result.out


def test_control_characters_stay_escaped_in_json(cli) -> None:
    assert cli("import", str(HOSTILE)).code == 0
    result = cli("contracts", "list", "--json")
    assert "\x1b" not in result.out and "\\u001b" in result.out
    titles = {c["id"]: c["title"] for c in result.json()["contracts"]}
    assert titles["mkt-site"].startswith("\x1b[2J")  # the data itself is kept as entered


def test_rule_like_words_in_titles_do_not_break_answers(cli) -> None:
    """A title such as 'B-TEAM onboarding' looks like a rule id to the citation scanner."""
    assert cli("import", str(HOSTILE)).code == 0
    for args in (("contracts", "list"), ("score",), ("contracts", "show", "b-team"), ("advise", "b-team")):
        result = cli(*args, "--as-of", AS_OF_ARG, "--json")
        assert result.code == 0, (args, result.err)
        assert "B-TEAM" not in result.json()["rules"]


# -- the installed script ---------------------------------------------------------------------------


def _script() -> Path:
    script = SCRIPT if SCRIPT.exists() else Path(shutil.which("jss-advisor") or "jss-advisor")
    if not script.exists():
        pytest.skip("the jss-advisor console script is not installed (pip install -e .)")
    return script


def test_installed_script_demo_for_a_newcomer(tmp_path: Path) -> None:
    """README's first command: `jss-advisor demo` with nothing but JSS_ADVISOR_DB set."""
    db = tmp_path / "fresh" / "nested" / "ledger.db"
    work = tmp_path / "cwd"
    work.mkdir()
    proc = subprocess.run(
        [str(_script()), "demo"], cwd=work, env={"JSS_ADVISOR_DB": str(db)}, capture_output=True, text=True, timeout=120
    )

    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert db.exists()
    assert (work / "jss-projection.png").read_bytes()[:8] == PNG_MAGIC
    today = date.fromisoformat(proc.stdout.split("as of ", 1)[1][:10])
    assert abs((today - date.today()).days) <= 1
    for text in (
        "Estimated JSS: ",
        "Close it now: Acme website fixes",
        "Closing plan: ",
        "Projected JSS",
        "Chart saved to jss-projection.png",
    ):
        assert text in proc.stdout
    assert "\x1b" not in proc.stdout


def test_installed_script_import_ask_and_a_bad_file(tmp_path: Path) -> None:
    """What a terminal receives from the real script: clean stderr on success, one line on failure."""
    db = tmp_path / "ledger.db"
    env = {**os.environ, "JSS_ADVISOR_DB": str(db), "TERM": "xterm-256color"}
    env.pop("JSS_DEBUG", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(_script()), *args], env=env, capture_output=True, text=True, timeout=120)

    imported = run("import", str(FREELANCER))
    assert imported.returncode == 0, imported.stderr
    assert "8 added" in imported.stdout and imported.stderr == ""

    ask = run("ask", "my client went silent, should I close the contract?", "--as-of", AS_OF_ARG, "--json")
    assert ask.returncode == 0, ask.stderr
    assert ask.stderr == "", "library debug logging (bm25s) must not reach the terminal"
    ledger = parse_ledger_json(FREELANCER.read_bytes())
    assert json.loads(ask.stdout)["jss"] == score(ledger.contracts, AS_OF).jss  # the engine's figure, unchanged

    bad = run("import", str(DATA / "bad_unknown_key.json"))
    assert bad.returncode == 1 and bad.stdout == ""
    assert "Traceback" not in bad.stderr
    assert bad.stderr.count("\n") == 1 and "'wp-speed'" in bad.stderr and "hourly_rate" in bad.stderr
    assert db.exists()


def test_days_in_the_samples_are_consistent() -> None:
    """The sample ledgers are valid and dated on or before their as_of (guards the fixtures themselves)."""
    from scoring.model import parse_ledger_json

    for path in (FREELANCER, NEWCOMER, HOSTILE):
        ledger = parse_ledger_json(path.read_bytes())
        assert ledger.as_of is not None
        assert max(c.latest_date() for c in ledger.contracts) <= ledger.as_of
        assert ledger.as_of - min(c.started for c in ledger.contracts) < timedelta(days=731)
