"""`jss-advisor reminders ...`: the same reminders from the console, and run-due as a dry run."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.console.cli import main
from bot.console.demo import demo_ledger
from tests.builders import ledger_json

TODAY = date(2026, 1, 5)  # a Monday
DAY = TODAY.isoformat()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "console.db"
    ledger = tmp_path / "demo.json"
    ledger.write_text(ledger_json(demo_ledger(TODAY)))
    assert run(capsys, "import", str(ledger), "--user", "me", "--db", str(db))[0] == 0
    return db


def test_settings_list_run_due_and_kinds(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--user", "me", "--db", str(demo)]
    code, out, _ = run(capsys, "reminders", "run-due", *db, "--as-of", DAY)
    assert code == 1  # reminders are opt-in
    code, out, _ = run(
        capsys, "reminders", "settings", *db, "--on", "--quiet", "22:00-07:00", "--timezone", "Europe/Berlin"
    )
    assert code == 0 and "Reminders on, time zone Europe/Berlin, quiet hours 22:00-07:00" in out
    code, out, _ = run(capsys, "reminders", "list", *db, "--as-of", DAY, "--json")
    listing = json.loads(out)
    upcoming = [(r["rule"], r["contract"]) for r in listing["upcoming"]]
    assert ("C-SELF-CLOSE-2MO", "acme-site") in upcoming and ("C-FP-DORMANT", "video-edit") in upcoming
    code, out, _ = run(capsys, "reminders", "run-due", *db, "--as-of", DAY)
    assert code == 0 and out.startswith("Close it yourself now: Acme website fixes (acme-site)")
    assert "C-SELF-CLOSE-2MO" in out and "Reminder #" in out
    # A dry run: nothing was marked sent, so the same reminders are still due.
    assert run(capsys, "reminders", "run-due", *db, "--as-of", DAY)[1] == out
    code, out, _ = run(capsys, "reminders", "kinds", *db, "--off", "self_close", "planned-close")
    assert code == 0 and "Off: `planned_close`, `self_close`." in out
    code, out, _ = run(capsys, "reminders", "run-due", *db, "--as-of", DAY, "--json")
    assert "C-SELF-CLOSE-2MO" not in out
    code, _, err = run(capsys, "reminders", "kinds", *db, "--on", "sometimes")
    assert code == 1 and "unknown reminder kind 'sometimes'" in err


def test_snooze_from_the_console(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--user", "me", "--db", str(demo)]
    run(capsys, "reminders", "settings", *db, "--on", "--timezone", "UTC")
    listing = json.loads(run(capsys, "reminders", "list", *db, "--as-of", DAY, "--json")[1])
    first = listing["upcoming"][0]["id"]
    code, out, _ = run(capsys, "reminders", "snooze", str(first), *db, "--as-of", DAY, "--days", "3")
    assert code == 0 and "2026-01-08 09:00" in out
    code, _, err = run(capsys, "reminders", "snooze", "999", *db, "--as-of", DAY)
    assert code == 1 and "No reminder #999" in err
