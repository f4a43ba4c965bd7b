"""Console `Services` over the root `store` fixture: `services` dated AS_OF (`loaded` has the freelancer
ledger); the message service in both outputs, dated TODAY like the root `advisor`."""

from __future__ import annotations

import pytest

from bot.clock import FixedClock
from bot.render import OutputFormat
from bot.services import Services, build_services
from bot.services.messages import MessageService
from bot.store import LedgerStore
from tests.samples import AS_OF, FREELANCER, TODAY


@pytest.fixture
def services(store: LedgerStore) -> Services:
    return build_services(store, OutputFormat.CONSOLE, clock=FixedClock.on(AS_OF))


@pytest.fixture
async def loaded(services: Services) -> Services:
    await services.ledger.import_ledger("u1", FREELANCER.read_bytes())
    return services


@pytest.fixture
def console_messages(advisor: Services) -> MessageService:
    return advisor.messages


@pytest.fixture
def discord_messages(store: LedgerStore) -> MessageService:
    return build_services(store, OutputFormat.DISCORD, clock=FixedClock.on(TODAY)).messages
