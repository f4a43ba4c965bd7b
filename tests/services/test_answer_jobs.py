"""Answer jobs: where engine work runs in other processes, a job gets a path and a user id (never the
ledger), reads the file itself, and sends back the rendered answer, the same answer the inline runner gives.
The worker pool keeps a job queued ahead of each worker, and a queued job that never started survives its
worker's death. The advice answer scores only the horizons it shows.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
from collections.abc import Iterator
from multiprocessing.managers import SyncManager
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.render import OutputFormat
from bot.services import ServiceError, Services, build_services
from bot.services import answers as answers_module
from bot.services.context import JobSettings, LedgerSource
from bot.services.workers import InlineRunner, ProcessPoolRunner, WorkerLost
from bot.store import LedgerStore
from bot.store.reader import close_readers
from scoring.model import Contract
from scoring.params import ModelParams
from scoring.whatif import HORIZONS_MONTHS
from tests.samples import AS_OF, FREELANCER
from tests.services import worker_jobs
from tests.services.test_workers import Gate, _until, manager  # noqa: F401 - `manager` is a fixture

ANSWERS = [("advise", ("silent-client",)), ("what_if", ("retainer",)), ("plan", ())]


class CrossingRecorder(InlineRunner):
    """Runs jobs inline but as a worker pool would get them (`isolated`): records every argument that
    would cross to a worker, pickled, as the pool would send it."""

    isolated = True

    def __init__(self) -> None:
        self.sent: list[Any] = []

    async def run(self, user_id: str, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.sent.append(pickle.loads(pickle.dumps((fn, args, kwargs))))
        return fn(*args, **kwargs)


@pytest.fixture(autouse=True)
def _no_readers_left() -> Iterator[None]:
    yield
    close_readers()


async def _answers(services: Services, user: str) -> list[Any]:
    out = []
    for name, args in ANSWERS:
        out.append(await getattr(services.answers, name)(user, *args))
    return out


async def test_an_isolated_runner_gets_a_path_never_the_ledger_and_the_same_answers(store: LedgerStore) -> None:
    inline = build_services(store, OutputFormat.DISCORD, FixedClock.on(AS_OF))
    await inline.ledger.import_ledger("u1", FREELANCER.read_bytes())
    expected = await _answers(inline, "u1")

    runner = CrossingRecorder()
    isolated = build_services(store, OutputFormat.DISCORD, FixedClock.on(AS_OF), runner=runner)

    async def no_reading_here(user_id: str) -> list[Contract]:
        raise AssertionError("the ledger was read in the bot's process")

    store.list_contracts = no_reading_here  # type: ignore[method-assign]
    assert await _answers(isolated, "u1") == expected
    assert len(runner.sent) == len(ANSWERS)
    for _, args, _ in runner.sent:
        sources = [a for a in args if isinstance(a, LedgerSource)]
        assert sources == [LedgerSource("u1", path=store.database.path)]
        assert not _contains_contract(args)


def _contains_contract(value: Any) -> bool:
    if isinstance(value, Contract):
        return True
    if isinstance(value, dict):
        return any(_contains_contract(v) for v in value.values())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_contains_contract(v) for v in value)
    return any(_contains_contract(getattr(value, name, None)) for name in getattr(value, "__slots__", ()))


async def _unreadable_here(store: LedgerStore) -> LedgerStore:
    """A second connection to `store`'s file (as the bot's is), whose process cannot list contracts: answers
    must come from the workers' own reads."""
    other = await LedgerStore.open(store.database.path)

    async def no_reading_here(user_id: str) -> list[Contract]:
        raise AssertionError("the ledger was read in the bot's process")

    other.list_contracts = no_reading_here  # type: ignore[method-assign]
    return other


async def test_a_refusal_in_a_worker_is_the_same_error_answer(store: LedgerStore) -> None:
    runner = ProcessPoolRunner(workers=1)
    bots_store = await _unreadable_here(store)
    pooled = build_services(bots_store, OutputFormat.DISCORD, FixedClock.on(AS_OF), runner=runner)
    inline = build_services(store, OutputFormat.DISCORD, FixedClock.on(AS_OF))
    try:
        await inline.ledger.import_ledger("u1", FREELANCER.read_bytes())
        for services in (pooled, inline):
            refusals = []
            for call in (
                services.answers.advise("u1", "no-such-contract"),
                services.answers.plan("nobody"),
                services.answers.what_if("u1", "retainer", AS_OF.replace(year=2020)),
            ):
                with pytest.raises(ServiceError) as refused:
                    await call
                refusals.append(refused.value.answer)
            if services is pooled:
                from_workers = refusals
        assert from_workers == refusals
        assert [a.data["error"] for a in refusals] == ["not_found", "no_contracts", "bad_input"]
    finally:
        await runner.close()
        await bots_store.close()


async def test_a_worker_reads_every_commit_made_before_the_question(store: LedgerStore) -> None:
    runner = ProcessPoolRunner(workers=2)
    bots_store = await _unreadable_here(store)
    services = build_services(bots_store, OutputFormat.DISCORD, FixedClock.on(AS_OF), runner=runner)
    try:
        await services.ledger.import_ledger("u1", FREELANCER.read_bytes())
        before = await services.answers.advise("u1", "silent-client")
        await services.ledger.asked_client("u1", "silent-client", AS_OF)  # committed through the bot's store
        after = await services.answers.advise("u1", "silent-client")
        assert after.data["close_requests"] == before.data["close_requests"] + 1
        plan = await services.answers.plan("u1")
        assert plan.kind == "plan"
    finally:
        await runner.close()
        await bots_store.close()


def test_advice_scores_only_the_horizons_it_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same advice answer, to the byte, as when every what-if horizon is scored."""
    from scoring.model import Ledger

    ledger = Ledger.model_validate_json(FREELANCER.read_bytes())
    source = LedgerSource("u1", contracts=ledger.contracts)
    ctx = JobSettings(OutputFormat.DISCORD, ModelParams(), FixedClock.on(AS_OF).now()).context()
    shown = [answers_module.advise_answer(ctx, source, c.id, AS_OF) for c in ledger.contracts]
    assert answers_module.ADVICE_HORIZONS != HORIZONS_MONTHS
    monkeypatch.setattr(answers_module, "ADVICE_HORIZONS", HORIZONS_MONTHS)
    assert [answers_module.advise_answer(ctx, source, c.id, AS_OF) for c in ledger.contracts] == shown


async def test_a_worker_takes_its_next_job_without_waiting_for_the_event_loop(manager: SyncManager) -> None:  # noqa: F811
    """The next job is queued at the worker already: it starts while the bot's event loop is blocked."""
    runner = ProcessPoolRunner(workers=1)
    try:
        first, second = Gate(manager), Gate(manager)
        running = asyncio.create_task(runner.run("alice", worker_jobs.block, *first.args))
        worker = await first.pid()
        queued = asyncio.create_task(runner.run("bob", worker_jobs.block, *second.args))
        await _until(lambda: runner.waiting == 1)
        first.release.set()
        # The event loop is blocked here (no await): only a job already handed over can start.
        assert second.started.get(timeout=60) == worker
        second.release.set()
        assert await running == worker and await queued == worker
    finally:
        await runner.close()


async def test_a_job_queued_behind_a_dead_worker_runs_on_the_new_pool(manager: SyncManager) -> None:  # noqa: F811
    runner = ProcessPoolRunner(workers=1)
    try:
        gate = Gate(manager)
        running = asyncio.create_task(runner.run("alice", worker_jobs.block, *gate.args))
        worker = await gate.pid()
        queued = asyncio.create_task(runner.run("bob", worker_jobs.add, 2, 3))
        await _until(lambda: runner.waiting == 1)
        os.kill(worker, signal.SIGKILL)
        with pytest.raises(WorkerLost):
            await running
        assert await queued == 5  # it never started: not failed with the job that died
    finally:
        await runner.close()
