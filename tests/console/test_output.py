"""The console's own formatting of an answer: colour only when asked and on a terminal, and --json."""

from __future__ import annotations

import io
import json
import re

import pytest

from bot.console.output import format_json, format_text, use_colour
from bot.render import Answer, render_answer


def _answer() -> Answer:
    return render_answer("notice", {"key": "added", "detail": "acme", "rules": ["C-CLOSE-ADVICE"]}, level="good")


def test_colour_only_when_asked() -> None:
    answer = _answer()
    plain, coloured = format_text(answer, colour=False), format_text(answer, colour=True)
    assert "\x1b[" not in plain
    assert coloured.startswith("\x1b[1;32mContract added.\x1b[0m")
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_use_colour_follows_the_terminal_and_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    assert use_colour(_Tty()) is True
    assert use_colour(io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_colour(_Tty()) is False
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert use_colour(_Tty()) is False


def test_json_output_has_kind_title_data_and_citations() -> None:
    data = json.loads(format_json(_answer()))
    assert data["kind"] == "notice" and data["title"] == "Contract added."
    assert data["rules"] == ["C-CLOSE-ADVICE"]
    assert data["citations"][0]["id"] == "C-CLOSE-ADVICE" and data["citations"][0]["url"].startswith("https://")


def test_markdown_emphasis_is_not_printed_raw_and_code_spans_stay_whole() -> None:
    """The templates' `**bold**` lead line was printed with its asterisks on the terminal."""
    answer = Answer(
        kind="score",
        title="Estimated JSS: 94%",
        description="**88% on Tue Dec 15 (-6)**: run `jss-advisor advise **x**` and __then__ look again",
    )
    plain = format_text(answer, colour=False)
    assert "88% on Tue Dec 15 (-6): run `jss-advisor advise **x**` and then look again" in plain
    coloured = format_text(answer, colour=True)
    assert "\x1b[1m88% on Tue Dec 15 (-6)\x1b[22m" in coloured and "**88%" not in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
