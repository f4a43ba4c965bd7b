"""A real SQLite store per test and the services over it, dated so the sample exports are in the past."""

from __future__ import annotations

import pytest

from bot.clock import FixedClock
from bot.render import OutputFormat
from bot.services import Services, build_services
from bot.services.imports import ImportService
from bot.services.messages import MessageService
from bot.store import LedgerStore

from . import TODAY


@pytest.fixture
def advisor(store: LedgerStore) -> Services:
    return build_services(store, OutputFormat.CONSOLE, clock=FixedClock.on(TODAY))


@pytest.fixture
def importer(advisor: Services) -> ImportService:
    return advisor.imports


@pytest.fixture
def discord_messages(store: LedgerStore) -> MessageService:
    return build_services(store, OutputFormat.DISCORD, clock=FixedClock.on(TODAY)).messages


@pytest.fixture
def console_messages(advisor: Services) -> MessageService:
    return advisor.messages
