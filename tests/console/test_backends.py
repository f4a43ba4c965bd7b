"""The console gives the same answers from SQLite and from PostgreSQL for the same ledger (issue 17)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.console.cli import main
from tests.pg import PgServer, query, run_async
from tests.samples import AS_OF_ARG, FREELANCER

COMMANDS = [
    ("score",),
    ("score", "--json"),
    ("advise", "silent-client"),
    ("advise", "dash-v2", "--json"),
    ("plan",),
    ("plan", "--json"),
    ("whatif", "silent-client", "--json"),
    ("contracts", "list", "--json"),
    ("export",),
]


def answers(db: str, capsys: pytest.CaptureFixture[str]) -> list[tuple[int, str, str]]:
    capsys.readouterr()
    assert main(["import", str(FREELANCER), "--db", db]) == 0
    capsys.readouterr()
    seen = []
    for command in COMMANDS:
        code = main([*command, "--as-of", AS_OF_ARG, "--db", db] if command[0] != "export" else [*command, "--db", db])
        captured = capsys.readouterr()
        seen.append((code, captured.out, captured.err))
    return seen


def test_score_advise_plan_and_export_are_the_same_on_both_backends(
    pg_server: PgServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = run_async(pg_server.create_database())
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    try:
        on_postgres = answers(url, capsys)
        assert query(url, "SELECT count(DISTINCT user_id), count(*) FROM contracts")[0][1] > 0  # really there
    finally:
        run_async(pg_server.drop_database(url))
    assert not os.listdir(tmp_path / "cwd")  # and no file or folder named after the URL
    on_sqlite = answers(str(tmp_path / "ledger.db"), capsys)
    assert all(code == 0 for code, _, _ in on_sqlite)
    assert [out for _, out, _ in on_sqlite][-1].startswith("{")  # the export, a jss-ledger/1 document
    for command, sqlite_run, postgres_run in zip(COMMANDS, on_sqlite, on_postgres, strict=True):
        assert postgres_run == sqlite_run, command
