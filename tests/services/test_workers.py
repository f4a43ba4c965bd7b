"""The engine runner: worker processes keep the event loop free, refuse overload at once, recover from a
killed worker, and give exactly the answers the inline runner gives.

Jobs block on a queue and an event the test controls (tests/services/worker_jobs.py), never on a timer.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import select
import signal
import sys
from collections.abc import Callable, Iterator
from multiprocessing.managers import SyncManager
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.render import OutputFormat
from bot.services import ServiceError, Services, build_services, open_services
from bot.services.context import run_answer_job
from bot.services.workers import Busy, InlineRunner, ProcessPoolRunner, StillWorking, WorkerLost
from bot.store import LedgerStore
from tests.samples import AS_OF, FREELANCER
from tests.services import worker_jobs

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def manager() -> Iterator[SyncManager]:
    """Events and queues the test shares with worker processes (a forkserver child, like the workers)."""
    with multiprocessing.get_context("forkserver").Manager() as started:
        yield started


class Gate:
    """A job that runs until the test releases it; `pid()` is the worker running it."""

    def __init__(self, manager: SyncManager) -> None:
        self.started = manager.Queue()
        self.release = manager.Event()

    @property
    def args(self) -> tuple[Any, Any]:
        return self.started, self.release

    async def pid(self) -> int:
        return int(await asyncio.to_thread(self.started.get))


async def _until(condition: Callable[[], bool]) -> None:
    """Let other tasks run until `condition` holds (counts loop turns, not time)."""
    for _ in range(100_000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never held")


async def test_a_blocked_job_does_not_block_the_event_loop(manager: SyncManager, store: LedgerStore) -> None:
    runner = ProcessPoolRunner(workers=1)
    services = build_services(store, OutputFormat.CONSOLE, FixedClock.on(AS_OF), runner=runner)
    try:
        gate = Gate(manager)
        job = asyncio.create_task(services.context.compute("alice", worker_jobs.block, *gate.args))
        worker = await gate.pid()
        assert worker != os.getpid()
        # Meanwhile the loop serves another user: a store write and a read, and an answer.
        await services.ledger.import_ledger("bob", FREELANCER.read_bytes())
        listing = await services.ledger.list_contracts("bob")
        assert len(listing.data["contracts"]) == 8
        assert not job.done()
        gate.release.set()
        assert await job == worker
    finally:
        await runner.close()


async def test_a_full_queue_refuses_at_once_with_an_estimate(manager: SyncManager) -> None:
    runner = ProcessPoolRunner(workers=1, max_waiting=1)
    try:
        assert await runner.run("warm", worker_jobs.add, 1, 1) == 2  # one duration for the estimate
        gate = Gate(manager)
        running = asyncio.create_task(runner.run("alice", worker_jobs.block, *gate.args))
        await gate.pid()
        waiting = asyncio.create_task(runner.run("bob", worker_jobs.add, 2, 3))
        await _until(lambda: runner.waiting == 1)
        with pytest.raises(Busy) as busy:
            await runner.run("carol", worker_jobs.add, 4, 5)
        assert busy.value.retry_after >= 1
        gate.release.set()
        assert await waiting == 5 and await running > 0
        assert await runner.run("carol", worker_jobs.add, 4, 5) == 9  # room again
    finally:
        await runner.close()


async def test_busy_is_an_error_answer_naming_when_to_retry(store: LedgerStore) -> None:
    class Full(InlineRunner):
        async def run(self, user_id: str, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            raise Busy(7)

    services = build_services(store, OutputFormat.CONSOLE, FixedClock.on(AS_OF), runner=Full())
    await services.ledger.import_ledger("u1", FREELANCER.read_bytes())
    with pytest.raises(ServiceError) as refused:
        await services.answers.plan("u1")
    assert refused.value.answer.data["error"] == "busy"
    assert refused.value.answer.data["message"] == "The bot is busy with other calculations: try again in 7 s."


async def test_a_users_second_job_is_refused_while_the_first_runs(manager: SyncManager, store: LedgerStore) -> None:
    runner = ProcessPoolRunner(workers=2)
    services = build_services(store, OutputFormat.CONSOLE, FixedClock.on(AS_OF), runner=runner)
    try:
        await services.ledger.import_ledger("alice", FREELANCER.read_bytes())
        gate = Gate(manager)
        first = asyncio.create_task(services.context.compute("alice", worker_jobs.block, *gate.args))
        await gate.pid()
        with pytest.raises(StillWorking):
            await runner.run("alice", worker_jobs.add, 1, 2)
        with pytest.raises(ServiceError) as refused:
            await services.answers.plan("alice")
        assert refused.value.answer.data["message"] == (
            "Still working on your last request: wait for its answer, then ask again."
        )
        assert await runner.run("bob", worker_jobs.add, 1, 2) == 3  # other users are not held up
        gate.release.set()
        await first
        assert (await services.answers.plan("alice")).kind == "plan"  # done: alice may ask again
    finally:
        await runner.close()


async def test_a_killed_worker_fails_its_job_once_and_the_pool_recovers(
    manager: SyncManager, store: LedgerStore
) -> None:
    runner = ProcessPoolRunner(workers=1)
    services = build_services(store, OutputFormat.CONSOLE, FixedClock.on(AS_OF), runner=runner)
    try:
        gate = Gate(manager)
        job = asyncio.create_task(services.context.compute("alice", worker_jobs.block, *gate.args))
        os.kill(await gate.pid(), signal.SIGKILL)
        with pytest.raises(ServiceError) as lost:
            await job
        answer = lost.value.answer
        assert (answer.data["error"], answer.data["message"]) == (
            "internal",
            "The calculation stopped unexpectedly: please try again.",
        )
        assert await runner.run("alice", worker_jobs.add, 2, 2) == 4  # a new pool, same user, same runner
    finally:
        await runner.close()


async def test_close_stops_a_running_job_and_refuses_new_ones(manager: SyncManager) -> None:
    runner = ProcessPoolRunner(workers=1)
    gate = Gate(manager)
    job = asyncio.create_task(runner.run("alice", worker_jobs.block, *gate.args))
    await gate.pid()
    await runner.close(grace=0)  # the job never ends on its own: its worker is killed
    with pytest.raises(WorkerLost):
        await job
    with pytest.raises(RuntimeError):
        await runner.run("bob", worker_jobs.add, 1, 1)
    await runner.close()  # idempotent


async def test_answers_from_the_pool_equal_inline_answers(store: LedgerStore) -> None:
    inline = build_services(store, OutputFormat.DISCORD, FixedClock.on(AS_OF))
    runner = ProcessPoolRunner(workers=2)
    pooled = build_services(store, OutputFormat.DISCORD, FixedClock.on(AS_OF), runner=runner)
    try:
        await runner.ready()
        await inline.ledger.import_ledger("u1", FREELANCER.read_bytes())
        await inline.history.record_score("u1", 96, AS_OF.replace(day=1))
        await inline.history.record_score("u1", 89, AS_OF)
        calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
            ("answers.score", (), {}),
            ("answers.advise", ("silent-client",), {}),
            ("answers.what_if", ("retainer",), {}),
            ("answers.projection", (), {"plot": True, "months": 12}),
            ("answers.plan", (), {"spacing_days": 21}),
            ("answers.top_rated", (), {}),
            ("history.explain_change", (), {}),
            ("questions.ask", ("should I close the Landing page A/B tests contract? the client is silent",), {}),
            ("questions.ask", ("how much would a 1 star review on a $800 job hurt my score?",), {}),
            ("questions.ask", ("why did my score drop?",), {}),
        ]
        for name, args, kwargs in calls:
            expected = await _call(inline, name, *args, **kwargs)
            got = await _call(pooled, name, *args, **kwargs)
            assert got == expected, name
        assert got.kind == "ask" and "With your numbers" in [f.name for f in got.fields]
    finally:
        await runner.close()


async def _call(services: Services, name: str, *args: Any, **kwargs: Any) -> Any:
    service, method = name.split(".")
    return await getattr(getattr(services, service), method)("u1", *args, **kwargs)


def job_name(fn: Any, args: tuple[Any, ...]) -> str:
    """The engine function, or for an answer job the job (`run_answer_job`'s first argument)."""
    return str(args[0].__name__ if fn is run_answer_job else fn.__name__)


class RecordingRunner(InlineRunner):
    """Inline, but notes who asked for which engine function: proof the services go through the runner."""

    def __init__(self) -> None:
        self.jobs: list[tuple[str, str]] = []
        self.started = self.closed = 0

    async def start(self) -> None:
        self.started += 1

    async def run(self, user_id: str, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.jobs.append((user_id, job_name(fn, args)))
        return fn(*args, **kwargs)

    async def close(self) -> None:
        self.closed += 1


async def test_every_engine_answer_goes_through_the_runner(store: LedgerStore) -> None:
    runner = RecordingRunner()
    services = build_services(store, OutputFormat.CONSOLE, FixedClock.on(AS_OF), runner=runner)
    await services.ledger.import_ledger("u1", FREELANCER.read_bytes())
    await services.history.record_score("u1", 96, AS_OF.replace(day=1))
    await services.history.record_score("u1", 89, AS_OF)
    await services.answers.score("u1")
    await services.answers.advise("u1", "silent-client")
    await services.answers.what_if("u1", "retainer")
    await services.answers.projection("u1")
    await services.answers.plan("u1")
    await services.answers.top_rated("u1")
    await services.history.explain_change("u1")
    await services.questions.ask("u1", "why did my score drop?")
    await services.questions.ask("u1", "why did my score drop?", personal=False)  # no ledger read: no job
    assert runner.jobs == [
        ("u1", "score_with_outlook"),
        ("u1", "advise_answer"),
        ("u1", "what_if_answer"),
        ("u1", "projection_with_chart"),
        ("u1", "plan_answer"),
        ("u1", "top_rated_with_outlook"),
        ("u1", "attribute"),
        ("u1", "personal_numbers"),
    ]


async def test_open_services_starts_the_runner_and_close_stops_it(tmp_path: Any) -> None:
    runner = RecordingRunner()
    services = await open_services(tmp_path / "l.db", runner=runner)
    assert (runner.started, runner.closed) == (1, 0)
    dated = services.dated(AS_OF)
    assert dated.context.runner is runner  # --as-of keeps the same workers
    await services.close()
    assert runner.closed == 1


async def test_an_answer_being_computed_is_shared_not_computed_twice(store: LedgerStore) -> None:
    """A double click: the second identical question waits for the first's computation (in the bot it
    would otherwise be refused as the user's second job)."""

    class Gated(RecordingRunner):
        def __init__(self) -> None:
            super().__init__()
            self.go = asyncio.Event()

        async def run(self, user_id: str, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            self.jobs.append((user_id, job_name(fn, args)))
            await self.go.wait()
            return fn(*args, **kwargs)

    runner = Gated()
    services = build_services(store, OutputFormat.CONSOLE, FixedClock.on(AS_OF), runner=runner)
    await services.ledger.import_ledger("u1", FREELANCER.read_bytes())
    first = asyncio.create_task(services.answers.advise("u1", "silent-client"))
    await _until(lambda: len(runner.jobs) == 1)
    second = asyncio.create_task(services.answers.advise("u1", "silent-client"))
    for _ in range(20):  # the second reaches the cache, and waits there rather than in the runner
        await asyncio.sleep(0)
    runner.go.set()
    assert await first is await second
    assert runner.jobs == [("u1", "advise_answer")]


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="needs Linux pidfds to wait on a non-child")
async def test_workers_exit_when_the_bot_is_killed() -> None:
    """A SIGKILLed bot cannot shut its pool down: each worker notices its parent is gone and exits, rather
    than waiting on the job queue forever."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.services.pool_child",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        cwd=REPO_ROOT,
    )
    assert child.stdout is not None
    pids = [int(pid) for pid in (await child.stdout.readline()).split()]
    assert len(pids) == 2
    pidfds = [os.pidfd_open(pid) for pid in pids]
    try:
        child.kill()
        await child.wait()
        # A pidfd turns readable when its process exits; the timeout only keeps a broken build from hanging.
        for fd in pidfds:
            ready, _, _ = await asyncio.to_thread(select.select, [fd], [], [], 120)
            assert ready, "a worker outlived the killed bot"
    finally:
        for fd in pidfds:
            os.close(fd)


async def test_jobs_and_results_cross_without_threads_in_the_bots_process(manager: SyncManager) -> None:
    """The event loop writes jobs to the workers' pipes and reads their results itself: no feeder or
    manager thread in the bot's process waits for the GIL while the loop serves a burst of users. A job
    bigger than a pipe holds goes out in pieces while the worker is busy, without blocking the loop."""
    import threading

    threads = {t.ident for t in threading.enumerate()}
    runner = ProcessPoolRunner(workers=1)
    try:
        await runner.ready()
        gate = Gate(manager)
        running = asyncio.create_task(runner.run("alice", worker_jobs.block, *gate.args))
        worker = await gate.pid()
        big = "x" * (4 << 20)  # far more than a pipe's buffer: written as the worker takes it
        queued = asyncio.create_task(runner.run("bob", len, big))
        await _until(lambda: runner.waiting == 1)
        assert await asyncio.to_thread(lambda: 1) == 1  # the loop still turns while the big job waits
        gate.release.set()
        assert await running == worker and await queued == len(big)
        assert await runner.run("carol", worker_jobs.add, 2, 3) == 5
        assert {t.ident for t in threading.enumerate()} - threads <= {
            t.ident
            for t in threading.enumerate()
            if t.name.startswith("asyncio_")  # to_thread's own pool
        }
    finally:
        await runner.close()


async def test_a_queued_job_dropped_at_close_leaves_its_late_answer_unread(manager: SyncManager) -> None:
    """close() fails a job that was only queued ahead at a worker, but its call is already in the worker's pipe: the
    worker still runs it after the running one and answers. That late answer matches no job any more and is dropped
    (it raised IndexError in the result reader, logged by asyncio, once per such shutdown)."""
    loop = asyncio.get_running_loop()
    errors: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _, context: errors.append(context))
    try:
        runner = ProcessPoolRunner(workers=1)
        gate = Gate(manager)
        running = asyncio.create_task(runner.run("alice", worker_jobs.block, *gate.args))
        pid = await gate.pid()
        queued = asyncio.create_task(runner.run("bob", worker_jobs.add, 1, 1))
        await _until(lambda: len(runner._pool[0].jobs) == 2)  # handed to the worker, behind the running one
        closing = asyncio.create_task(runner.close(grace=60))
        await _until(lambda: queued.done())  # close() failed it as never started
        gate.release.set()  # the worker ends the running job, then runs the queued call from its pipe
        await closing
        assert await running == pid
        with pytest.raises(WorkerLost):
            await queued
        assert errors == []
    finally:
        loop.set_exception_handler(None)
