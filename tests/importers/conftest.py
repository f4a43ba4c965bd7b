"""A real SQLite store per test and the services over it, dated so the sample exports are in the past."""

from __future__ import annotations

import pytest

from bot.render import OutputFormat
from bot.services import AdvisorService
from bot.services.imports import ImportService
from bot.services.messages import MessageService
from bot.store import LedgerStore

from . import TODAY


@pytest.fixture
def advisor(store: LedgerStore) -> AdvisorService:
    return AdvisorService(store, OutputFormat.CONSOLE, today=lambda: TODAY)


@pytest.fixture
def importer(advisor: AdvisorService) -> ImportService:
    return ImportService(advisor)


@pytest.fixture
def discord_messages(store: LedgerStore) -> MessageService:
    return MessageService(AdvisorService(store, OutputFormat.DISCORD, today=lambda: TODAY))


@pytest.fixture
def console_messages(advisor: AdvisorService) -> MessageService:
    return MessageService(advisor)
