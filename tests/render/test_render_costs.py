"""What rendering skips because it cannot change the output: re-checking template files on disk, and the
escaping passes over a value they would leave as it is. (Why it matters: every answer renders in an engine
worker, and the button labels under an /advise answer render on the bot's event loop.)"""

from __future__ import annotations

import os

import discord.utils
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import escaping
from bot.render.escaping import for_discord
from bot.render.text import render_text


def test_plain_text_renders_without_looking_at_the_template_file(monkeypatch: pytest.MonkeyPatch) -> None:
    first = render_text("error_message.txt.j2", reason="internal")  # compiled and kept

    def no_disk(path: object) -> float:
        raise AssertionError(f"the template file was checked again: {path}")

    monkeypatch.setattr(os.path, "getmtime", no_disk)
    assert render_text("error_message.txt.j2", reason="internal") == first


def _escaped_in_full(value: str) -> str:
    """`for_discord` without its shortcut for plain values."""
    text = escaping._CONTROL.sub("", escaping._ANSI.sub("", escaping._bounded(value, escaping.MAX_USER_TEXT)))
    text = discord.utils.escape_mentions(discord.utils.escape_markdown(text))
    return text.replace("<@", "<@" + escaping.ZWSP).replace("<#", "<#" + escaping.ZWSP)


@settings(deadline=None)  # no wall-clock limit per example: a busy machine is not a bug
@given(
    st.text(alphabet=st.sampled_from("aZ09 .,:;'\"!?%$&()/+=-_*~|`>#[]@<\\\n\u202e…é"), max_size=260)
    | st.sampled_from(["", "$1,234.50", "2026-03-02", "-x", " x", "x" * 200, "x" * 201, "https://a.b/c_d", "(5/5)"])
)
def test_the_shortcut_for_plain_values_changes_nothing(text: str) -> None:
    assert for_discord(text) == _escaped_in_full(text)
