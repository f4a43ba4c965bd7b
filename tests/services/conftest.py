"""A console `Services` over the root `store` fixture, dated AS_OF; `loaded` has the freelancer ledger."""

from __future__ import annotations

import pytest

from bot.clock import FixedClock
from bot.render import OutputFormat
from bot.services import Services, build_services
from bot.store import LedgerStore

from ..console import AS_OF, FREELANCER


@pytest.fixture
def services(store: LedgerStore) -> Services:
    return build_services(store, OutputFormat.CONSOLE, clock=FixedClock.on(AS_OF))


@pytest.fixture
async def loaded(services: Services) -> Services:
    await services.ledger.import_ledger("u1", FREELANCER.read_bytes())
    return services
