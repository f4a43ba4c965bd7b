"""Root fixtures: the local Discord plugin, and isolation from the developer's own settings."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store import LedgerStore

pytest_plugins = ["tests.fakediscord.fixtures"]


@pytest.fixture(autouse=True)
def _no_user_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the developer's real ledger or .env."""
    monkeypatch.setenv("JSS_ADVISOR_DB", str(tmp_path_factory.mktemp("db") / "ledger.db"))
    for name in ("DISCORD_TOKEN", "DISCORD_DEV_GUILD_ID", "JSS_USER", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[LedgerStore]:
    """A real ledger store on a fresh SQLite file, always closed (an open aiosqlite thread hangs exit)."""
    opened = await LedgerStore.open(tmp_path / "ledger.db")
    try:
        yield opened
    finally:
        await opened.close()
