"""Root fixtures: the local Discord plugin, isolation from the developer's own settings, a real store, and the
services dated after the sample Upwork exports (for the services' and the console's import tests)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.render import OutputFormat
from bot.services import Services, build_services
from bot.services.imports import ImportService
from bot.store import LedgerStore
from tests.samples import TODAY

pytest_plugins = ["tests.fakediscord.fixtures", "tests.pg"]  # tests.pg: PostgreSQL server, backends


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


@pytest.fixture
def advisor(store: LedgerStore) -> Services:
    """Console services over `store`, dated TODAY so the sample Upwork exports are in the past."""
    return build_services(store, OutputFormat.CONSOLE, clock=FixedClock.on(TODAY))


@pytest.fixture
def importer(advisor: Services) -> ImportService:
    return advisor.imports
