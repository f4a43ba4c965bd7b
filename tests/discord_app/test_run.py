"""Starting the bot: settings from the environment, and a missing token is one line, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.discord_app.client import build_intents
from bot.discord_app.settings import Settings
from bot.main import main as cli_main


def test_missing_token_is_a_clear_one_line_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    assert cli_main(["bot"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "DISCORD_TOKEN" in err and "Traceback" not in err


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", "abc")
    monkeypatch.setenv("DISCORD_DEV_GUILD_ID", "123")
    monkeypatch.setenv("JSS_ADVISOR_DB", str(tmp_path / "x.db"))
    settings = Settings()
    assert settings.discord_token is not None and settings.discord_token.get_secret_value() == "abc"
    assert settings.dev_guild_id == 123 and settings.db_path == tmp_path / "x.db"
    assert "abc" not in repr(settings)  # the token never reaches a log line


def test_minimal_intents() -> None:
    intents = build_intents()
    assert intents.guilds and not intents.message_content and not intents.members and not intents.presences
    assert build_intents(message_content=True).message_content
