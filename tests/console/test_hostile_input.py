"""Hostile input through the real console (`bot.main.main`): every one ends in one clear line on stderr,
exit 1 (refused by a service) or 2 (refused by the command line), never "internal error" (70) or a
traceback, and a refused input leaves the database as it was.

Each row is an input users (or a fuzzer) found crashing the console or poisoning the ledger; the
hypothesis test at the end throws arbitrary text at the numeric and date options.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.main import main
from tests.samples import FREELANCER

from . import Run

BIG = "9" * 5000  # more digits than Python's int() accepts (4300), and than Decimal's context precision
LEDGER = {"format": "jss-ledger/1"}
GOOD = {  # one valid contract, into which a row puts one hostile value
    "id": "hostile",
    "title": "Hostile",
    "client": "Mallory",
    "kind": "hourly",
    "status": "active",
    "started": "2024-01-01",
    "last_activity": "2024-02-01",
    "earnings_usd": 100,
}
CSV_HEADER = "Date;Ref ID;Type;Description;Team;Amount\n"


def ledger_file(**contract: object) -> str:
    return json.dumps({**LEDGER, "contracts": [{**GOOD, **contract}]})


def raw_number(field: str, number: str) -> str:
    """A ledger whose `field` holds `number` as a bare JSON number (json.dumps cannot write 1e999999999)."""
    return ledger_file(**{field: 0}).replace(f'"{field}": 0', f'"{field}": {number}')


# (name, files to write {name: content}, argv with {dir} for their folder, exit code)
CASES: list[tuple[str, dict[str, str], list[str], int]] = [
    (
        "5000-digit --earnings-usd (add)",
        {},
        "contracts add --id x --title t --client c --kind hourly --status active --started 2024-01-01".split()
        + ["--earnings-usd", BIG],
        1,
    ),
    ("5000-digit --earnings-usd (edit)", {}, ["contracts", "edit", "retainer", "--earnings-usd", "$" + BIG], 1),
    ("5000-digit JSON amount", {"l.json": raw_number("earnings_usd", BIG)}, ["import", "{dir}/l.json"], 1),
    ("5000-digit JSON rating", {"l.json": raw_number("private_rating", BIG)}, ["import", "{dir}/l.json"], 1),
    ("1e999999999 JSON rating", {"l.json": raw_number("private_rating", "1e999999999")}, ["import", "{dir}/l.json"], 1),
    ("1e-999999999 JSON amount", {"l.json": raw_number("earnings_usd", "1e-999999999")}, ["import", "{dir}/l.json"], 1),
    ("100k-deep JSON", {"l.json": "[" * 100_000 + "]" * 100_000}, ["import", "{dir}/l.json"], 1),
    (
        "100k-deep JSON inside a ledger",
        {"l.json": '{"format": "jss-ledger/1", "contracts": ' + "[" * 100_000 + "]" * 100_000 + "}"},
        ["import", "{dir}/l.json"],
        1,
    ),
    (
        "JSON ledger dated 9999",
        {"l.json": json.dumps({**LEDGER, "as_of": "9999-12-31"})},
        ["import", "{dir}/l.json"],
        1,
    ),
    ("JSON contract started 0001", {"l.json": ledger_file(started="0001-01-01")}, ["import", "{dir}/l.json"], 1),
    (
        "JSON contract in the future",
        {"l.json": ledger_file(started="2099-01-01", last_activity="2099-01-02")},
        ["import", "{dir}/l.json"],
        1,
    ),
    (
        "JSON close request in the future",
        {"l.json": ledger_file(close_requests=["2099-01-01"])},
        ["import", "{dir}/l.json"],
        1,
    ),
    (
        "5000-digit CSV amount",
        {"t.csv": CSV_HEADER + f"Jan 05, 2024;1;Hourly;Invoice for work;Acme;${BIG}\n"},
        ["import-csv", "{dir}/t.csv"],
        1,
    ),
    (
        "ambiguous CSV amount (semicolons, 1.500, nothing else to go by)",
        {"t.csv": CSV_HEADER + "Jan 05, 2024;1;Hourly;Invoice for work;Acme;1.500\n"},
        ["import-csv", "{dir}/t.csv"],
        1,
    ),
    (
        "CSV row dated 1900",
        {"t.csv": CSV_HEADER + "Jan 05, 1900;1;Hourly;Invoice for work;Acme;150\n"},
        ["import-csv", "{dir}/t.csv"],
        1,
    ),
    ("score --as-of 9999-12-31", {}, ["score", "--as-of", "9999-12-31"], 2),
    ("advise --as-of 9999-12-31", {}, ["advise", "retainer", "--as-of", "9999-12-31"], 2),
    ("why --as-of 9999-12-31", {}, ["why", "--as-of", "9999-12-31"], 2),
    ("toprated --as-of 9999-12-31", {}, ["toprated", "--as-of", "9999-12-31"], 2),
    ("score --as-of 0001-01-01", {}, ["score", "--as-of", "0001-01-01"], 2),
    ("record --on 0001-01-01", {}, ["record", "80", "--on", "0001-01-01"], 2),
    ("why --from 0001-01-01", {}, ["why", "--from", "0001-01-01", "--to", "2026-02-15"], 2),
    ("record a 5000-digit JSS", {}, ["record", BIG], 2),
    ("reminders snooze 99999999999999999999", {}, ["reminders", "snooze", "99999999999999999999"], 2),
    ("reminders snooze --days 5000 digits", {}, ["reminders", "snooze", "1", "--days", BIG], 2),
    ("projection --months 5000 digits", {}, ["projection", "--months", BIG], 2),
    ("plan --expect-good ID=9999-12-31", {}, ["plan", "--expect-good", "retainer=9999-12-31"], 1),
    ("asked-client --on 2099-01-01", {}, ["contracts", "asked-client", "retainer", "--on", "2099-01-01"], 1),
    (
        "contract started 2030",
        {},
        "contracts add --id x --title t --client c --kind hourly --status active --earnings-usd 5".split()
        + ["--started", "2030-01-01"],
        1,
    ),
    (
        "contract edited to end in 2099",
        {},
        ["contracts", "edit", "retainer", "--status", "ended", "--ended", "2099-01-01"],
        1,
    ),
    ("a 5000-character --kind", {}, ["message", "retainer", "--kind", "x" * 5000], 2),
]


def dump(db: Path) -> list[str]:
    """Everything in the database, to prove a refused input changed nothing."""
    with sqlite3.connect(db) as connection:
        return list(connection.iterdump())


@pytest.fixture
def console(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    db = tmp_path / "ledger.db"

    def run(*args: str) -> Run:
        capsys.readouterr()
        try:
            code = main([*args, "--db", str(db)])
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    assert run("import", str(FREELANCER)).code == 0
    return run


def assert_one_clear_line(result: Run, codes: tuple[int, ...] = (1, 2)) -> None:
    assert result.code in codes, (result.code, result.err[:500])
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err[:500]
    assert result.err.count("\n") == 1 and result.err.startswith("jss-advisor"), result.err[:500]
    assert len(result.err) < 600, "the line quotes a hostile value in full"


@pytest.mark.parametrize(("files", "argv", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_input_is_refused_in_one_line(
    console: Callable[..., Run], tmp_path: Path, files: dict[str, str], argv: list[str], code: int
) -> None:
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    before = dump(tmp_path / "ledger.db")

    result = console(*(arg.replace("{dir}", str(tmp_path)) for arg in argv))

    assert_one_clear_line(result)
    assert result.code == code, result.err
    assert dump(tmp_path / "ledger.db") == before


def test_field_is_named(console: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "l.json").write_text(raw_number("earnings_usd", BIG), encoding="utf-8")
    assert "field 'earnings_usd'" in console("import", str(tmp_path / "l.json")).err
    future = console("contracts", "asked-client", "retainer", "--on", "2099-01-01").err
    assert "field 'on'" in future and "2099-01-01 is in the future" in future
    assert "field 'as-of'" in console("score", "--as-of", "9999-12-31").err


def test_a_score_recorded_before_the_jss_existed_does_not_break_why(
    console: Callable[..., Run], tmp_path: Path
) -> None:
    """A score stored on 0001-01-01 before that was refused: `why` leaves it out instead of overflowing."""
    assert console("record", "80", "--on", "2026-02-15").code == 0
    with sqlite3.connect(tmp_path / "ledger.db") as connection:
        connection.execute("UPDATE score_snapshots SET recorded_on = '0001-01-01'")
    assert console("record", "85", "--on", "2026-03-01").code == 0
    result = console("why")
    assert_one_clear_line(result, (1,))
    assert "at least twice" in result.err


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    option=st.sampled_from(
        [
            ("score", "--as-of"),
            ("why", "--from"),
            ("record", "70", "--on"),
            ("projection", "--months"),
            ("plan", "--spacing"),
            ("reminders", "snooze", "1", "--days"),
            ("reminders", "settings", "--idle-days"),
            ("contracts", "edit", "retainer", "--earnings-usd"),
            ("contracts", "edit", "retainer", "--last-activity"),
            ("contracts", "asked-client", "retainer", "--on"),
        ]
    ),
    value=st.one_of(
        st.integers().map(str),
        st.dates().map(str),
        st.text(alphabet="0123456789-.,$e+ ", max_size=60),
        st.just("9" * 5000),
    ),
)
def test_any_value_of_a_numeric_or_date_option_is_answered_or_refused_in_one_line(
    console: Callable[..., Run], option: tuple[str, ...], value: str
) -> None:
    result = console(*option, value)
    if result.code == 0:
        assert result.err == ""
    else:
        assert_one_clear_line(result)
