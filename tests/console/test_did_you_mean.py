"""A mistyped contract id gets the closest ids the user has ("did you mean acme-site?"), in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.console.demo import demo_ledger
from tests.builders import ledger_json
from tests.samples import TODAY

AS_OF = ("--as-of", TODAY.isoformat(), "--user", "demo")


@pytest.fixture
def demo(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The demo ledger (acme-site, ghost-app, wp-maint, video-edit, ...) as user 'demo'."""
    path = tmp_path / "demo.json"
    path.write_text(ledger_json(demo_ledger(TODAY)))
    assert cli("import", str(path), *AS_OF).code == 0


@pytest.mark.parametrize(
    ("args", "typed", "meant"),
    [
        (("advise", "acme-sitee"), "acme-sitee", "acme-site"),
        (("whatif", "ACME-SITE"), "ACME-SITE", "acme-site"),
        (("contracts", "show", "ghost-ap"), "ghost-ap", "ghost-app"),
        (("contracts", "edit", "ghost-ap", "--title", "x"), "ghost-ap", "ghost-app"),
        (("contracts", "remove", "wp-maintt"), "wp-maintt", "wp-maint"),
        (("contracts", "asked-client", "vide-edit"), "vide-edit", "video-edit"),
        (("message", "acme-sitee", "--kind", "ask-close"), "acme-sitee", "acme-site"),
    ],
)
def test_not_found_suggests_the_closest_id(cli, demo, args: tuple[str, ...], typed: str, meant: str) -> None:  # type: ignore[no-untyped-def]
    result = cli(*args, *AS_OF)
    assert result.code != 0
    assert result.err.strip() == f"jss-advisor: Not found: You have no contract '{typed}'. Did you mean {meant}?"


def test_nothing_close_is_not_a_guess(cli, demo) -> None:  # type: ignore[no-untyped-def]
    result = cli("advise", "nope", *AS_OF)
    assert result.code != 0 and result.err.strip() == "jss-advisor: Not found: You have no contract 'nope'."
