"""`jss-advisor migrate`: a SQLite ledger file into PostgreSQL and back, checked by export equality; every
refusal is one line and changes nothing."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.console.cli import main
from bot.services import ServiceError, migration
from tests.pg import query, run_async
from tests.samples import AS_OF_ARG
from tests.store.test_transfer import USERS, fill, table_rows

from . import Run


@pytest.fixture
def jss(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def run(*args: str) -> Run:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help, usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.db"
    run_async(fill(path))
    return path


def answers(jss: Callable[..., Run], db: str | Path) -> dict[str, tuple[str, str]]:
    """Every user's export, and alice's score, as the console prints them from `db`."""
    seen = {user: (jss("export", "--user", user, "--db", str(db)).out, "") for user in USERS}
    seen["alice"] = (seen["alice"][0], jss("score", "--user", "alice", "--as-of", AS_OF_ARG, "--db", str(db)).out)
    return seen


def one_line_failure(run: Run) -> str:
    assert run.code == 1 and run.out == "", run
    assert run.err.count("\n") == 1 and run.err.startswith("jss-advisor: ") and "Traceback" not in run.err, run.err
    return run.err


def test_migrate_into_postgresql_and_back_by_export_equality(
    jss: Callable[..., Run], source: Path, pg_url: Callable[[], str], tmp_path: Path
) -> None:
    url = pg_url()
    run = jss("migrate", "--from", str(source), "--to", url)
    assert run.code == 0, run.err
    assert run.out.startswith(f"Copied {len(USERS)} users and ") and "reminders: " in run.out
    assert run.err == ""  # a small file: no progress lines
    expected = answers(jss, source)
    assert all(export.startswith("{") for export, _ in expected.values())
    assert expected["alice"][1].startswith("Estimated JSS")
    assert answers(jss, url) == expected
    assert table_rows(url) == table_rows(source)

    back = tmp_path / "back.db"
    again = jss("migrate", "--from", url, "--to", str(back), "--json")
    assert again.code == 0, again.err
    assert '"kind": "migrate"' in again.out and f'"users": {len(USERS)}' in again.out
    assert answers(jss, back) == expected


def test_refusals_are_one_line_and_change_nothing(
    jss: Callable[..., Run], source: Path, pg_url: Callable[[], str], tmp_path: Path
) -> None:
    url = pg_url()
    missing = one_line_failure(jss("migrate", "--from", str(tmp_path / "nope.db"), "--to", url))
    assert "no ledger file" in missing and not (tmp_path / "nope.db").exists()
    same = one_line_failure(jss("migrate", "--from", str(source), "--to", str(tmp_path / "." / "ledger.db")))
    assert "same database" in same
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n", encoding="utf-8")
    assert "source database" in one_line_failure(jss("migrate", "--from", str(notes), "--to", url))
    unreachable = "postgresql://nobody@/none?host=" + str(tmp_path / "no-server")
    assert "target database" in one_line_failure(jss("migrate", "--from", str(source), "--to", unreachable))
    assert query(url, "SELECT count(*) FROM users") == [(0,)]

    assert jss("migrate", "--from", str(source), "--to", url).code == 0
    full = one_line_failure(jss("migrate", "--from", str(source), "--to", url))
    assert "already holds data" in full and "--replace" in full
    assert jss("migrate", "--from", str(source), "--to", url, "--replace").code == 0
    assert table_rows(url) == table_rows(source)


def test_a_row_the_target_refuses_is_one_line_and_the_target_stays_as_it_was(
    jss: Callable[..., Run], source: Path, pg_url: Callable[[], str]
) -> None:
    url = pg_url()
    with sqlite3.connect(source) as conn:  # SQLite text may hold NUL; PostgreSQL's may not
        conn.execute("UPDATE contracts SET title = 'a' || char(0) || 'b' WHERE user_id = 'bob'")
    failed = one_line_failure(jss("migrate", "--from", str(source), "--to", url))
    assert "copying table contracts failed" in failed and "left as it was" in failed, failed
    assert all(not rows for rows in table_rows(url).values())


async def test_a_failed_copy_into_a_new_file_leaves_no_file(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new SQLite target "as it was" is no file at all; an existing one keeps what it held."""

    def fail(line: str) -> None:
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(migration, "PROGRESS_FROM_ROWS", 1)
    target = tmp_path / "copy.db"
    with pytest.raises(ServiceError) as failed:
        await migration.MigrationService().migrate(source, target, progress=fail)
    assert "copying table users failed (RuntimeError: the disk filled up)" in failed.value.answer.description
    assert not [name for name in os.listdir(tmp_path) if name.startswith("copy.db")]
    await migration.MigrationService().migrate(source, target)
    with pytest.raises(ServiceError):
        await migration.MigrationService().migrate(source, target, replace=True, progress=fail)
    assert table_rows(target) == table_rows(source)


def test_big_tables_show_progress(
    jss: Callable[..., Run], source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migration, "PROGRESS_FROM_ROWS", 1)  # every table counts as big
    run = jss("migrate", "--from", str(source), "--to", str(tmp_path / "copy.db"))
    assert run.code == 0, run.err
    contracts = len(query(source, "SELECT 1 FROM contracts"))
    assert f"jss-advisor: copying contracts: {contracts} of {contracts} rows\n" in run.err


def test_help_says_what_it_does(jss: Callable[..., Run]) -> None:
    run = jss("migrate", "--help")
    assert run.code == 0
    assert "--from" in run.out and "--to" in run.out and "--replace" in run.out and "one transaction" in run.out
    usage = jss("migrate", "--from", "x.db")
    assert usage.code == 2 and usage.err.count("\n") == 1 and "--to" in usage.err
