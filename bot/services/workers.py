"""Where engine work runs: inline (the console, most tests) or in a bounded pool of worker processes (the bot).

Why: the engine is pure, synchronous Python. On the event loop, a /plan over hundreds of idle contracts
stops every other user's command for seconds. The bot hands each engine call to a worker process (every
core of the box, no GIL shared with the loop) and renders the result back in the main process.

The pool is bounded so that overload is refused, not queued without end: a user has at most one job in
flight (`StillWorking`), and when `max_waiting` jobs already wait for a worker a new one is refused at
once with an estimate of when to try again (`Busy`). A worker that dies fails the job it ran
(`WorkerLost`) and the pool is replaced, so the next job works. These exceptions carry no sentence:
`ServiceContext.compute` turns them into error answers.

Each worker has `QUEUED_AHEAD` more jobs handed to it than it runs, so it starts the next one as soon as it
finishes one. Why: handing a job over and its result back takes several thread hand-offs in the bot's
process, each waiting for the GIL while the event loop is busy serving a burst of users; without a job
already queued, a worker idles through them between jobs (measured on 2 cores: 100 advice jobs took
1.4 to 2 times as long). A queued job that never started when its worker died is handed to the new pool rather
than failed: each job marks its start in memory shared with the workers, so the runner knows.

Jobs are module-level functions with picklable arguments (contracts, parameters, dates) and results
(engine dataclasses); the same call runs unchanged inline.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import BrokenExecutor
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

P = ParamSpec("P")
R = TypeVar("R")

MAX_WAITING = 256  # jobs waiting for a worker before new ones are refused (a burst of 100 first asks fits)
QUEUED_AHEAD = 1  # jobs handed to each worker beyond the one it runs (see the module docstring)
RECENT_JOBS = 32  # job durations the "try again in N s" estimate averages
DEFAULT_JOB_SECONDS = 1.0  # the estimate's guess before any job has finished
# Workers yield the CPU to the bot's own process: on a small box a /plan must not slow down the event
# loop serving everyone else (the kernel gives a niceness-10 process about a tenth of a contested core).
WORKER_NICENESS = 10
SHUTDOWN_GRACE_SECONDS = 5.0  # close(): how long a running job may finish before its worker is killed
# Imported once by the fork server, so every worker (and every replacement after a crash) starts warm.
# (A script's own main module, e.g. the bench's, is still imported by each worker as __mp_main__: Python
# 3.11's fork server never receives its path. `python -m` mains are not imported again.)
PRELOAD = (
    "scoring.engine",
    "scoring.uncertainty",
    "scoring.attribution",
    "bot.services.answers",
    "bot.services.questions",
    "bot.services.history",
    "bot.services.worker_preload",  # last: compiles the templates answer jobs render (see that module)
)


class RunnerRefusal(Exception):
    """A job the runner would not (or could not) finish; the context renders it as an error answer."""


class Busy(RunnerRefusal):
    """Too many jobs are waiting: try again in `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"busy, try again in {retry_after} s")
        self.retry_after = retry_after


class StillWorking(RunnerRefusal):
    """The user already has a job in flight."""


class WorkerLost(RunnerRefusal):
    """The worker running the job died (killed, out of memory); the pool has been replaced."""


class EngineRunner(Protocol):
    """Runs `fn(*args, **kwargs)` for a user: the one interface the services call (`ServiceContext.compute`)."""

    # Whether jobs run in other processes: their arguments and results are pickled across, so answer jobs
    # read the ledger file themselves instead of being handed it (see ServiceContext.ledger_source).
    isolated: bool

    async def start(self) -> None:
        """Get ready to run jobs."""

    async def run(self, user_id: str, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """`fn(*args, **kwargs)`'s result, or a `RunnerRefusal`."""
        ...

    async def close(self) -> None:
        """Stop running jobs and free what `start` took (idempotent)."""


class InlineRunner:
    """Runs the call directly, on the caller's thread: the console (one command, nothing else waiting)
    and most tests. No processes, and a call cannot overlap another, so there is nothing to limit."""

    isolated = False

    async def start(self) -> None:
        """Nothing to start."""

    async def run(self, user_id: str, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        return fn(*args, **kwargs)

    async def close(self) -> None:
        """Nothing to free."""


class ProcessPoolRunner:
    """A bounded pool of worker processes for the bot (see the module docstring).

    `workers` defaults to the number of cores. At most `workers * (1 + QUEUED_AHEAD)` jobs are handed to
    the executor at a time (one running and QUEUED_AHEAD queued per worker); the rest wait here, in order,
    so "how many are waiting" is exact, and a crash fails only the jobs that were running (the queued ones
    run on the new pool).
    """

    isolated = True

    def __init__(
        self,
        workers: int | None = None,
        *,
        max_waiting: int = MAX_WAITING,
        niceness: int = WORKER_NICENESS,
        preload: tuple[str, ...] = PRELOAD,
    ) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.max_waiting = max_waiting
        self.niceness = niceness
        self.preload = preload
        self._pool: ProcessPoolExecutor | None = None
        capacity = self.workers * (1 + QUEUED_AHEAD)
        self._slots = asyncio.Semaphore(capacity)
        self._free = list(range(capacity))  # indexes into `_started`, one per job handed to the executor
        self._started: Any = None  # shared with the workers: per index, the number of the job that started
        self._numbers = itertools.count(1)
        self._waiting = 0
        self._users: set[str] = set()
        self._durations: deque[float] = deque(maxlen=RECENT_JOBS)
        self._closed = False
        self._warming: asyncio.Future[list[int]] | None = None

    # -- lifecycle ----------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the workers now, so the first user does not wait for them. They import the engine in the
        background (`ready()` waits for that): the bot connects to Discord meanwhile."""
        if self._warming is None:
            pool = self._current_pool()
            loop = asyncio.get_running_loop()
            # Submitted together, before any worker is idle: the executor starts one process per job.
            self._warming = asyncio.gather(*(loop.run_in_executor(pool, os.getpid) for _ in range(self.workers)))
            self._warming.add_done_callback(_retrieve)

    async def ready(self) -> None:
        """Start the workers if need be and wait until they have taken their first job."""
        await self.start()
        assert self._warming is not None
        await asyncio.shield(self._warming)

    async def close(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Refuse new jobs, drop waiting ones, let running ones finish for `grace` s, then kill the rest."""
        self._closed = True
        if self._warming is not None:
            self._warming.cancel()  # jobs not yet running are dropped; running ones finish below
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(_shut_down, pool, grace)

    @property
    def waiting(self) -> int:
        """Jobs waiting for a worker (the ones `max_waiting` bounds): here, or queued ahead in the executor."""
        handed_over = len(self._started or ()) - len(self._free)
        return self._waiting + max(0, handed_over - self.workers)

    # -- running a job ------------------------------------------------------------------------------

    async def run(self, user_id: str, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._closed:
            raise RuntimeError("the engine runner is closed")
        if user_id in self._users:
            raise StillWorking(user_id)
        if self.waiting >= self.max_waiting:
            raise Busy(self.retry_after())
        self._users.add(user_id)
        try:
            self._waiting += 1
            try:
                await self._slots.acquire()
            finally:
                self._waiting -= 1
            index = self._free.pop()
            future: asyncio.Future[tuple[float, R]] | None = None
            try:
                for attempt in range(2):
                    number = next(self._numbers)
                    pool, future = self._submit(_tracked, index, number, fn, *args, **kwargs)
                    try:
                        # shield: a caller giving up must not cancel the job the worker is already running,
                        # or its slot would be freed while the worker is still busy.
                        seconds, result = await asyncio.shield(future)
                    except BrokenExecutor:
                        self._replace(pool)
                        if attempt or self._started[index] == number or self._closed:
                            raise WorkerLost(user_id) from None
                        continue  # it was queued behind the job that died and never started: run it now
                    except asyncio.CancelledError:
                        if future.cancelled() and self._closed:  # dropped from the queue by close()
                            raise WorkerLost(user_id) from None
                        raise
                    self._durations.append(seconds)
                    return result
                raise AssertionError("unreachable")  # pragma: no cover
            finally:
                if future is None or future.done():
                    self._release(index)
                else:  # the caller was cancelled: the slot stays taken until the worker is done
                    future.add_done_callback(lambda done: self._release_later(done, index))
        finally:
            self._users.discard(user_id)

    def retry_after(self) -> int:
        """Whole seconds until a new job would likely start: the waiting jobs, shared among the workers,
        at the mean duration of recent ones."""
        mean = sum(self._durations) / len(self._durations) if self._durations else DEFAULT_JOB_SECONDS
        return max(1, math.ceil(mean * (self.waiting + self.workers) / self.workers))

    def _submit(
        self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs
    ) -> tuple[ProcessPoolExecutor, asyncio.Future[R]]:
        """Hand the job to the executor; a pool found broken before the job started (a worker died while
        idle) is replaced and the job submitted again, so that user is not failed for it."""
        pool = self._current_pool()
        try:
            return pool, asyncio.wrap_future(pool.submit(fn, *args, **kwargs))
        except BrokenExecutor:
            self._replace(pool)
            pool = self._current_pool()
            return pool, asyncio.wrap_future(pool.submit(fn, *args, **kwargs))

    def _release(self, index: int) -> None:
        self._free.append(index)
        self._slots.release()

    def _release_later(self, future: asyncio.Future[Any], index: int) -> None:
        _retrieve(future)
        self._release(index)

    # -- the pool -----------------------------------------------------------------------------------

    def _current_pool(self) -> ProcessPoolExecutor:
        if self._closed:
            raise RuntimeError("the engine runner is closed")
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            context = _context(self.preload)
            if self._started is None:  # kept across pool replacements: the indexes of running jobs stay valid
                self._started = context.RawArray("q", self.workers * (1 + QUEUED_AHEAD))
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=_worker_init,
                initargs=(self.niceness, self._started),
            )
        return self._pool

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Swap a broken pool for a new one (once, however many jobs saw it break)."""
        if self._pool is broken and self._pool is not None:
            old, self._pool = self._pool, None
            old.shutdown(wait=False, cancel_futures=True)


def _retrieve(future: asyncio.Future[Any]) -> None:
    """Mark a future's outcome seen: nobody awaits it any more (no "exception never retrieved" noise)."""
    if not future.cancelled():
        future.exception()


def _context(preload: tuple[str, ...]) -> BaseContext:
    """forkserver where there is one (fork would copy a threaded asyncio process), else spawn.

    The fork server imports `preload` once; workers fork from it with the engine already imported.
    """
    import multiprocessing  # here, not at the top: the console never starts a pool

    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(preload))
        return ctx
    return multiprocessing.get_context("spawn")


_started_marks: Any = None  # in a worker: the runner's shared `_started` array


def _tracked(index: int, number: int, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> tuple[float, R]:
    """In a worker: mark job `number` started (in the runner's shared array, at its `index`), run it, and
    return how long it ran (the runner's "try again in N s" estimate) with its result."""
    _started_marks[index] = number
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def _worker_init(niceness: int, started: Any) -> None:
    """In each worker: leave Ctrl-C to the bot (it shuts the pool down), give way to the bot's process for
    the CPU, import the engine, and exit when the bot is gone (a killed bot must not leave workers
    blocked on the job queue forever)."""
    import multiprocessing

    global _started_marks
    _started_marks = started
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):
        os.nice(niceness)
    import scoring.engine  # noqa: F401 - warm: the first job pays no import

    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True, name="parent-watch").start()


def _exit_with(sentinel: int) -> None:
    from multiprocessing.connection import wait

    wait([sentinel])
    os._exit(0)


def _shut_down(pool: ProcessPoolExecutor, grace: float) -> None:
    """Stop `pool`: waiting jobs cancelled, running ones given `grace` seconds, then their workers killed."""
    processes = _processes_of(pool)  # taken before shutdown forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()
    pool.shutdown(wait=True)


def _processes_of(pool: ProcessPoolExecutor) -> list[BaseProcess]:
    """The executor's worker processes. It offers no way to stop a running job (terminate_workers is
    Python 3.14), so this reads its private table; its manager thread may change the table meanwhile."""
    while True:
        try:
            return list((getattr(pool, "_processes", None) or {}).values())
        except RuntimeError:  # dictionary changed size during iteration: read it again
            continue


def worker_pids(runner: ProcessPoolRunner) -> list[int]:
    """The pids of the runner's live workers (for tests and diagnostics)."""
    pool = runner._pool
    processes = _processes_of(pool) if pool is not None else []
    return [p.pid for p in processes if p.pid is not None and p.is_alive()]


__all__ = [
    "Busy",
    "EngineRunner",
    "InlineRunner",
    "ProcessPoolRunner",
    "RunnerRefusal",
    "StillWorking",
    "WorkerLost",
]
