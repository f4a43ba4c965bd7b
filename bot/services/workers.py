"""Where engine work runs: inline (the console, most tests) or in a bounded pool of worker processes (the bot).

Why: the engine is pure, synchronous Python. On the event loop, a /plan over hundreds of idle contracts
stops every other user's command for seconds. The bot hands each engine call to a worker process (every
core of the box, no GIL shared with the loop).

The pool is bounded so that overload is refused, not queued without end: a user has at most one job in
flight (`StillWorking`), and when `max_waiting` jobs already wait for a worker a new one is refused at
once with an estimate of when to try again (`Busy`). A worker that dies fails the job it ran
(`WorkerLost`) and is replaced, so the next job works. These exceptions carry no sentence:
`ServiceContext.compute` turns them into error answers.

How a job travels: each worker has two pipes, jobs in and results out. The event loop writes a job to the
worker's pipe itself (non-blocking; a big one is finished by a writer callback) and reads results when the
pipe turns readable (`loop.add_reader`). Why not `concurrent.futures.ProcessPoolExecutor`: it moves every
job and result through two threads of the bot's process (a feeder and a manager), and each hand-off waits
for the GIL while the event loop serves a burst of users; measured in bench/discord_e2e.py, those threads
took about 0.5 ms of the bot's CPU per first /advise, more than the reply to Discord.

Each worker has `QUEUED_AHEAD` more jobs handed to it than it runs, so it starts the next one as soon as it
finishes one, without waiting for the event loop (busy with a burst of users) to hand it over. A queued job
that never started when its worker died is handed to the replacement rather than failed: each job marks its
start in memory shared with the workers, so the runner knows.

Jobs are module-level functions with picklable arguments (contracts, parameters, dates) and results
(engine dataclasses); the same call runs unchanged inline.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import os
import pickle
import signal
import struct
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import ForkServerContext, SpawnContext
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
_READ_CHUNK = 1 << 16


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


@dataclass(eq=False)
class _Job:
    """One job handed to a worker: its number (what the worker marks when it starts it), its pickled call
    and the future its caller awaits (resolved by the result reader, never by the caller)."""

    number: int
    payload: bytes
    future: asyncio.Future[Any]


@dataclass(eq=False)
class _Worker:
    """One worker process, its two pipes (this side: jobs out, results in) and the jobs handed to it, in order."""

    slot: int  # its index in the runner's shared start marks
    process: BaseProcess
    jobs_out: Connection
    results_in: Connection
    jobs_fd: int
    results_fd: int
    jobs: deque[_Job] = field(default_factory=deque)
    unsent: bytearray = field(default_factory=bytearray)  # what the jobs pipe did not take yet
    received: bytearray = field(default_factory=bytearray)  # result bytes not yet a whole message
    gone: bool = False


class ProcessPoolRunner:
    """A bounded pool of worker processes for the bot (see the module docstring).

    `workers` defaults to the number of cores. At most `workers * (1 + QUEUED_AHEAD)` jobs are handed to
    workers at a time (one running and QUEUED_AHEAD queued per worker); the rest wait here, in order, so
    "how many are waiting" is exact, and a crash fails only the job that was running (the queued ones run
    on the replacement).
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
        self._slots = asyncio.Semaphore(self.workers * (1 + QUEUED_AHEAD))
        self._pool: list[_Worker] = []
        self._context: ForkServerContext | SpawnContext | None = None
        self._started: Any = None  # shared with the workers: per worker slot, the number of the job it started
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
            self._ensure_workers()
            # One job per worker, handed to each directly: every worker has taken a job once this is done.
            self._warming = asyncio.gather(*(self._warm(worker) for worker in self._pool))
            self._warming.add_done_callback(_retrieve)

    async def ready(self) -> None:
        """Start the workers if need be and wait until they have taken their first job."""
        await self.start()
        assert self._warming is not None
        await asyncio.shield(self._warming)

    async def close(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Refuse new jobs, drop waiting ones, let running ones finish for `grace` s, then kill the rest."""
        if self._closed:
            return
        self._closed = True
        workers, self._pool = self._pool, []
        for worker in workers:
            running = _running_job(worker, self._started)
            for job in list(worker.jobs):  # queued jobs never start now
                if job is not running:
                    worker.jobs.remove(job)
                    self._finish(job, exc=WorkerLost("closed"))
            _stop_writing(worker)  # a worker reads the end of its jobs and exits when idle
        deadline = time.monotonic() + grace
        for worker in workers:
            process = worker.process
            await asyncio.to_thread(process.join, max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                await asyncio.to_thread(process.join)
            self._lost(worker)  # a job still unanswered (its worker was killed) fails with WorkerLost

    @property
    def waiting(self) -> int:
        """Jobs waiting for a worker (the ones `max_waiting` bounds): here, or queued ahead at a worker."""
        return self._waiting + sum(max(0, len(worker.jobs) - 1) for worker in self._pool)

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
            try:
                if self._closed:
                    raise RuntimeError("the engine runner is closed")
                number = next(self._numbers)
                payload = pickle.dumps((number, fn, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
                self._ensure_workers()
            except BaseException:
                self._slots.release()
                raise
            # From here the slot belongs to the job: the result reader releases it when the worker is done.
            job = _Job(number, payload, asyncio.get_running_loop().create_future())
            job.future.add_done_callback(_retrieve)
            self._hand(min(self._pool, key=lambda worker: len(worker.jobs)), job)
            # shield: a caller giving up must not cancel the job the worker is already running.
            seconds, result = await asyncio.shield(job.future)
            self._durations.append(seconds)
            return cast(R, result)
        finally:
            self._users.discard(user_id)

    def retry_after(self) -> int:
        """Whole seconds until a new job would likely start: the waiting jobs, shared among the workers,
        at the mean duration of recent ones."""
        mean = sum(self._durations) / len(self._durations) if self._durations else DEFAULT_JOB_SECONDS
        return max(1, math.ceil(mean * (self.waiting + self.workers) / self.workers))

    async def _warm(self, worker: _Worker) -> int:
        await self._slots.acquire()
        if worker.gone or self._closed:
            self._slots.release()
            raise WorkerLost("warm-up")
        number = next(self._numbers)
        payload = pickle.dumps((number, os.getpid, (), {}), protocol=pickle.HIGHEST_PROTOCOL)
        job = _Job(number, payload, asyncio.get_running_loop().create_future())
        self._hand(worker, job)
        return int((await asyncio.shield(job.future))[1])

    # -- the pipes ----------------------------------------------------------------------------------

    def _hand(self, worker: _Worker, job: _Job) -> None:
        """Queue `job` at `worker`: written to its pipe now, or by the writer callback when the pipe is full."""
        worker.jobs.append(job)
        frame = _frame(job.payload)
        if worker.unsent:
            worker.unsent += frame
            return
        try:
            written = os.write(worker.jobs_fd, frame)
        except BlockingIOError:
            written = 0
        except OSError:  # the worker is gone: its results pipe reports it (see _lost)
            return
        if written < len(frame):
            worker.unsent += frame[written:]
            asyncio.get_running_loop().add_writer(worker.jobs_fd, self._write_more, worker)

    def _write_more(self, worker: _Worker) -> None:
        fd = worker.jobs_fd
        try:
            written = os.write(fd, worker.unsent)
        except BlockingIOError:
            return
        except OSError:
            written = len(worker.unsent)  # gone: drop it, the results pipe reports the death
        del worker.unsent[:written]
        if not worker.unsent:
            asyncio.get_running_loop().remove_writer(fd)

    def _read_results(self, worker: _Worker) -> None:
        """The worker's results pipe is readable: take every whole result; end of file means it died."""
        ended = False
        while True:
            try:
                chunk = os.read(worker.results_fd, _READ_CHUNK)
            except BlockingIOError:
                break
            except OSError:
                chunk = b""
            if not chunk:
                ended = True
                break
            worker.received += chunk
            if len(chunk) < _READ_CHUNK:
                break
        for message in _messages(worker.received):  # results sent before a death still count
            number, ok, value = pickle.loads(message)
            job = _answered(worker, number)
            if job is None:
                continue  # failed already: close() dropped it as never started, but its call was in the pipe
            if ok:
                self._finish(job, result=value)
            else:
                self._finish(job, exc=value)
        if ended:
            self._lost(worker)
            if not self._closed:
                self._replace(worker)

    def _finish(self, job: _Job, *, result: Any = None, exc: BaseException | None = None) -> None:
        """A job is over: free its slot and tell its caller (who may have given up)."""
        self._slots.release()
        if job.future.done():
            return
        if exc is not None:
            job.future.set_exception(exc)
        else:
            job.future.set_result(result)

    # -- the workers --------------------------------------------------------------------------------

    def _ensure_workers(self) -> None:
        if self._closed:
            raise RuntimeError("the engine runner is closed")
        if self._context is None:
            self._context = _context(self.preload)
            self._started = self._context.RawArray("q", self.workers)
        for slot in sorted(set(range(self.workers)) - {worker.slot for worker in self._pool}):
            self._pool.append(self._spawn(slot))

    def _spawn(self, slot: int) -> _Worker:
        assert self._context is not None
        jobs_in, jobs_out = self._context.Pipe(duplex=False)
        results_in, results_out = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=_worker_main,
            args=(jobs_in, results_out, self.niceness, self._started, slot),
            name=f"engine-worker-{slot}",
            daemon=True,
        )
        process.start()
        jobs_in.close()  # the worker's ends: closed here, so a dead worker reads as end of file
        results_out.close()
        os.set_blocking(jobs_out.fileno(), False)
        os.set_blocking(results_in.fileno(), False)
        worker = _Worker(slot, process, jobs_out, results_in, jobs_out.fileno(), results_in.fileno())
        asyncio.get_running_loop().add_reader(worker.results_fd, self._read_results, worker)
        return worker

    def _lost(self, worker: _Worker) -> None:
        """A worker is gone: stop watching it; the job it ran fails, jobs that never started go elsewhere."""
        if worker.gone:
            return
        worker.gone = True
        asyncio.get_running_loop().remove_reader(worker.results_fd)
        _stop_writing(worker)
        _close_quietly(worker.results_in)
        running = _running_job(worker, self._started)
        queued = [job for job in worker.jobs if job is not running]
        worker.jobs.clear()
        if running is not None:
            self._finish(running, exc=WorkerLost("worker died"))
        worker.jobs.extend(queued)  # handed to the replacement by _replace (failed if there is none)
        if self._closed:
            for job in queued:
                self._finish(job, exc=WorkerLost("closed"))
            worker.jobs.clear()

    def _replace(self, dead: _Worker) -> None:
        """Start a worker in the dead one's place and hand it the jobs that never started."""
        if dead in self._pool:
            self._pool.remove(dead)
        try:
            replacement = self._spawn(dead.slot)
        except Exception:  # no process could be started: fail its jobs now; the next run() tries again
            for job in dead.jobs:
                self._finish(job, exc=WorkerLost("no worker"))
            dead.jobs.clear()
            raise
        self._pool.append(replacement)
        for job in dead.jobs:
            self._hand(replacement, job)
        dead.jobs.clear()


def _running_job(worker: _Worker, started: Any) -> _Job | None:
    """The job `worker` has started and not answered, if any (the oldest one, if it marked its start)."""
    if worker.jobs and started is not None and started[worker.slot] == worker.jobs[0].number:
        return worker.jobs[0]
    return None


def _answered(worker: _Worker, number: int) -> _Job | None:
    """The job a result numbered `number` answers, taken off `worker`'s queue; None when it is no longer there.

    A worker answers its jobs in order, so it is the oldest one, unless close() dropped jobs that were only queued
    ahead (`_running_job` sees a start mark only for the oldest): such a job's call is already in the worker's pipe,
    so the worker runs it anyway and its answer comes back to no one."""
    if worker.jobs and worker.jobs[0].number == number:
        return worker.jobs.popleft()
    return None


def _frame(payload: bytes) -> bytes:
    """`payload` as `multiprocessing.Connection.recv_bytes` reads it (a length, then the bytes)."""
    if len(payload) > 0x7FFFFFFF:
        return struct.pack("!i", -1) + struct.pack("!Q", len(payload)) + payload
    return struct.pack("!i", len(payload)) + payload


def _messages(buffer: bytearray) -> list[bytes]:
    """Take every whole `Connection.send_bytes` message off the front of `buffer`."""
    out = []
    while len(buffer) >= 4:
        (size,) = struct.unpack_from("!i", buffer)
        start = 4
        if size == -1:
            if len(buffer) < 12:
                break
            (size,) = struct.unpack_from("!Q", buffer, 4)
            start = 12
        if len(buffer) < start + size:
            break
        out.append(bytes(buffer[start : start + size]))
        del buffer[: start + size]
    return out


def _stop_writing(worker: _Worker) -> None:
    """Close the jobs pipe (the worker reads its end, then exits), dropping what it had not taken yet."""
    if worker.unsent:
        asyncio.get_running_loop().remove_writer(worker.jobs_fd)
        worker.unsent.clear()
    _close_quietly(worker.jobs_out)


def _close_quietly(connection: Connection) -> None:
    with contextlib.suppress(OSError):
        connection.close()


def _retrieve(future: asyncio.Future[Any]) -> None:
    """Mark a future's outcome seen: nobody awaits it any more (no "exception never retrieved" noise)."""
    if not future.cancelled():
        future.exception()


def _context(preload: tuple[str, ...]) -> ForkServerContext | SpawnContext:
    """forkserver where there is one (fork would copy a threaded asyncio process), else spawn.

    The fork server imports `preload` once; workers fork from it with the engine already imported.
    """
    import multiprocessing  # here, not at the top: the console never starts a pool

    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(preload))
        return ctx
    return multiprocessing.get_context("spawn")


def _worker_main(jobs: Connection, results: Connection, niceness: int, started: Any, slot: int) -> None:
    """A worker: leave Ctrl-C to the bot (it stops the workers), give way to the bot's process for the CPU,
    import the engine, exit when the bot is gone (a killed bot must not leave workers blocked on their
    pipe forever), then run jobs in order: mark the start, run, send back (how long it ran, the result)."""
    import multiprocessing

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):
        os.nice(niceness)
    import scoring.engine  # noqa: F401 - warm: the first job pays no import

    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True, name="parent-watch").start()
    while True:
        try:
            message = jobs.recv_bytes()
        except (EOFError, OSError):
            return  # the bot closed the pipe (close()) or is gone
        number, fn, args, kwargs = pickle.loads(message)
        started[slot] = number
        began = time.perf_counter()
        try:
            result = fn(*args, **kwargs)
            reply = pickle.dumps(
                (number, True, (time.perf_counter() - began, result)), protocol=pickle.HIGHEST_PROTOCOL
            )
        except Exception as exc:  # the caller gets it raised, as if the call had run in its process
            reply = _error_reply(number, exc)
        try:
            results.send_bytes(reply)
        except OSError:
            return


def _error_reply(number: int, exc: Exception) -> bytes:
    try:
        return pickle.dumps((number, False, exc), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an exception that does not pickle still reaches the caller, as its description
        return pickle.dumps((number, False, RuntimeError(repr(exc))), protocol=pickle.HIGHEST_PROTOCOL)


def _exit_with(sentinel: int) -> None:
    from multiprocessing.connection import wait

    wait([sentinel])
    os._exit(0)


def worker_pids(runner: ProcessPoolRunner) -> list[int]:
    """The pids of the runner's live workers (for tests and diagnostics)."""
    return [w.process.pid for w in runner._pool if w.process.pid is not None and w.process.is_alive()]


__all__ = [
    "Busy",
    "EngineRunner",
    "InlineRunner",
    "ProcessPoolRunner",
    "RunnerRefusal",
    "StillWorking",
    "WorkerLost",
]
