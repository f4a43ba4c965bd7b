"""Starting the bot: settings from the environment, and a missing token is one line, not a traceback."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from bot.discord_app.client import AdvisorBot, build_intents
from bot.discord_app.settings import Settings
from bot.main import main as cli_main
from tests.fakediscord import FakeDiscord, running_bot


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


async def test_the_deployed_bot_freezes_its_start_up_heap(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """Full collections of the start-up heap paused the loop for 45-165 ms; the deployed bot freezes it."""
    assert gc.get_freeze_count() == 0
    advisor = AdvisorBot(tmp_path / "bot.db", dev_guild_id=fake_discord.guild_id, freeze_startup_heap=True)
    try:
        async with running_bot(advisor):
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # other tests start many bots in this process: theirs must stay collectable
