"""`cli`: run `jss-advisor ARGS --db <tmp file>` in-process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.console.cli import main

from . import Run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "ledger.db"


@pytest.fixture
def cli(db: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run `jss-advisor ARGS --db <tmp file>` in-process; argparse errors come back as exit code 2."""

    def run(*args: str) -> Run:
        capsys.readouterr()  # drop anything printed before
        try:
            code = main([*args, "--db", str(db)])
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
