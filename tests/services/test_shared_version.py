"""The answer cache's version reads: questions asked together share one store query per round, and no
question gets a version read before it was asked (so a commit made before it is always seen)."""

from __future__ import annotations

import asyncio

from bot.services.cache import SharedVersion
from bot.store import LedgerStore
from scoring.model import Ledger
from tests.samples import FREELANCER
from tests.services.test_workers import _until


async def test_questions_asked_together_share_a_query_and_see_earlier_commits(store: LedgerStore) -> None:
    real = store.version
    queries = 0
    hold = asyncio.Event()

    async def counted() -> tuple[int, int]:
        nonlocal queries
        queries += 1
        version = await real()
        if queries == 1:
            await hold.wait()  # the first round has read its version and is still running
        return version

    store.version = counted  # type: ignore[method-assign]
    shared = SharedVersion(store)
    first = asyncio.create_task(shared.read())
    await _until(lambda: queries == 1)
    ledger = Ledger.model_validate_json(FREELANCER.read_bytes())
    await store.import_ledger("u1", ledger, "replace")  # committed after the first round read
    later = [asyncio.create_task(shared.read()) for _ in range(50)]
    for _ in range(10):
        await asyncio.sleep(0)
    assert queries == 1  # the 50 wait for the next round rather than each queueing a query
    hold.set()
    before = await first
    after = await asyncio.gather(*later)
    assert queries == 2
    assert set(after) == {await real()} and before != after[0]


async def test_a_failed_round_fails_its_askers_and_the_next_round_works(store: LedgerStore) -> None:
    real = store.version
    failures = [RuntimeError("busy")]

    async def flaky() -> tuple[int, int]:
        if failures:
            raise failures.pop()
        return await real()

    store.version = flaky  # type: ignore[method-assign]
    shared = SharedVersion(store)
    results = await asyncio.gather(shared.read(), shared.read(), return_exceptions=True)
    assert all(isinstance(r, RuntimeError) for r in results)
    assert await shared.read() == await real()
