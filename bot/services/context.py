"""What every service shares: the store, the output format, the clock, the model's parameters and where
engine work runs.

One `ServiceContext` is built per front end (see `build_services`) and handed to each service, so the
services agree on "today", render for the same output and never hold copies of each other's settings.

Answer jobs (`answer_job`): where engine work runs in worker processes, a whole answer is one job. The
worker reads the user's ledger itself (`LedgerSource`: a path and a user id cross the process boundary,
not hundreds of contracts), computes and renders, and only the rendered `Answer` comes back. Why: in the
main process, building, pickling and unpickling big ledgers and engine results, and rendering long answers,
hold the GIL and so the event loop that serves every other user (a 400-contract /plan held it for tens of
milliseconds). The job runs the same code inline (console, tests), on a context without a store.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from bot.clock import Clock, FixedClock, SystemClock
from bot.render import Answer, OutputFormat, reduce_by_fields, render_answer
from bot.store import LedgerStore
from bot.store.reader import read_contracts
from scoring.model import Contract
from scoring.params import Cadence, ModelParams
from scoring.whatif import HORIZONS_MONTHS as WHATIF_HORIZONS_MONTHS

from .errors import ServiceError, service_error
from .workers import Busy, EngineRunner, InlineRunner, StillWorking, WorkerLost

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class ServiceContext:
    store: LedgerStore
    fmt: OutputFormat = OutputFormat.CONSOLE
    clock: Clock = field(default_factory=SystemClock)
    params: ModelParams = field(default_factory=ModelParams)
    runner: EngineRunner = field(default_factory=InlineRunner)
    _sim_cache: tuple[ModelParams, ModelParams] | None = field(default=None, init=False, repr=False)

    def today(self) -> date:
        """The day answers are computed for (UTC: Upwork dates its updates in UTC)."""
        return self.clock.today()

    def render(self, kind: str, context: dict[str, Any], **kw: Any) -> Answer:
        """`templates/<kind>.md.j2` rendered for this front end's output."""
        return render_answer(kind, context, self.fmt, **kw)

    def error(self, key: str, reason: str | None = None, /, **values: Any) -> ServiceError:
        """The error answer for `key` (its title) and `reason` (its sentence); see `service_error`."""
        return service_error(self.fmt, key, reason, **values)

    async def compute(self, user_id: str, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """`fn(*args, **kwargs)`: engine work, run where this front end runs it (a worker process in the bot,
        so the event loop keeps serving others). `fn` is a module-level function with picklable arguments.
        The runner's refusals become error answers: busy, still working on the user's last request, or a
        worker that died."""
        try:
            return await self.runner.run(user_id, fn, *args, **kwargs)
        except Busy as exc:
            raise self.error("busy", "busy", seconds=exc.retry_after) from None
        except StillWorking:
            raise self.error("busy", "still_working") from None
        except WorkerLost:
            raise self.error("internal", "worker_lost") from None

    async def answer_job(
        self, user_id: str, job: Callable[Concatenate[ServiceContext, P], Answer], /, *args: P.args, **kwargs: P.kwargs
    ) -> Answer:
        """`job(context, *args, **kwargs)`'s answer, run where engine work runs (see the module docstring).

        `job` is a module-level function that computes and renders one answer, reading its ledger through a
        `LedgerSource` argument (`ledger_source`); in a worker its context has this one's output format,
        parameters and clock, and no store. Its `ServiceError`s are raised here, as if it had run here."""
        outcome = await self.compute(user_id, run_answer_job, job, self.job_settings(), *args, **kwargs)
        if isinstance(outcome, Refused):
            raise ServiceError(outcome.answer)
        return outcome

    async def ledger_source(self, user_id: str) -> LedgerSource:
        """Where an answer job gets the user's ledger: its path, when the runner's workers can read the file
        themselves (a read-write SQLite file in WAL: see bot/store/reader.py), else the contracts, read here.
        On PostgreSQL the main process reads with its pool and ships the contracts: workers then need no
        credentials or connections of their own, and see exactly what the main process saw."""
        database = self.store.database
        shares_file = database.dialect == "sqlite" and not database.read_only and database.path != ":memory:"
        if self.runner.isolated and shares_file:
            return LedgerSource(user_id, path=database.path)  # workers share the bot's working directory
        return LedgerSource(user_id, contracts=tuple(await self.store.list_contracts(user_id)))

    def job_settings(self) -> JobSettings:
        return JobSettings(self.fmt, self.params, self.clock.now())

    def params_for(self, cadence: Cadence | None) -> ModelParams:
        return self.params if cadence is None else self.params.model_copy(update={"cadence": cadence})

    @property
    def sim_params(self) -> ModelParams:
        """`params` for what-if (and /ask's advice), which show the score at HORIZONS_MONTHS only (12 months
        at most), projected no further than that. Since what-if scores only its horizon days, the shorter
        projection no longer changes its cost or numbers; /advise's job uses `params` (it shares its
        segments with the outlook: answers.advise_with_outlook).
        """
        if self._sim_cache is None or self._sim_cache[0] is not self.params:
            months = max(WHATIF_HORIZONS_MONTHS)
            sim = (
                self.params
                if self.params.projection_months <= months
                else self.params.model_copy(update={"projection_months": months})
            )
            self._sim_cache = (self.params, sim)
        return self._sim_cache[1]


@dataclass(frozen=True, slots=True)
class LedgerSource:
    """A user's ledger as an answer job gets it: `contracts` handed over, or read from the file at `path`."""

    __reduce__ = reduce_by_fields  # crosses to a worker with every job

    user_id: str
    contracts: tuple[Contract, ...] | None = None
    path: str | None = None

    def read(self) -> list[Contract]:
        """The contracts, ordered by start date then id either way (as `list_contracts` orders them)."""
        if self.contracts is not None:
            return list(self.contracts)
        assert self.path is not None
        return read_contracts(self.path, self.user_id)


@dataclass(frozen=True, slots=True)
class JobSettings:
    """What an answer job needs of the bot's context, small enough to cross to a worker with each job."""

    fmt: OutputFormat
    params: ModelParams
    now: datetime

    def __reduce__(self) -> tuple[Any, ...]:
        """Crosses to a worker with every job: the parameters go as bytes pickled once per process and are
        unpickled once per worker (the same few parameter sets every time; ~14 us a job each way)."""
        return _job_settings, (self.fmt, _params_bytes(self.params), self.now)

    def context(self) -> ServiceContext:
        """A context that renders, refuses and dates answers as the bot's does, without a store: a job reads
        its ledger through its `LedgerSource`, and any use of the store is a bug, said loudly."""
        return ServiceContext(cast(LedgerStore, _NoStore()), self.fmt, FixedClock(self.now), self.params)


_PARAMS_KEPT = 16  # parameter sets a process keeps pickled / unpickled: the bot's own, its what-if and era variants
_pickled_params: dict[int, tuple[ModelParams, bytes]] = {}  # id -> (the object, kept alive so its id stays its own)
_unpickled_params: dict[bytes, ModelParams] = {}


def _params_bytes(params: ModelParams) -> bytes:
    kept = _pickled_params.get(id(params))
    if kept is not None and kept[0] is params:
        return kept[1]
    blob = pickle.dumps(params, protocol=pickle.HIGHEST_PROTOCOL)
    if len(_pickled_params) >= _PARAMS_KEPT:
        _pickled_params.clear()
    _pickled_params[id(params)] = (params, blob)
    return blob


def _job_settings(fmt: OutputFormat, blob: bytes, now: datetime) -> JobSettings:
    params = _unpickled_params.get(blob)
    if params is None:
        params = pickle.loads(blob)  # our own bytes, from the bot's process
        if len(_unpickled_params) >= _PARAMS_KEPT:
            _unpickled_params.clear()
        _unpickled_params[blob] = params
    return JobSettings(fmt, params, now)


class _NoStore:
    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"an answer job has no store (it asked for store.{name}); read a LedgerSource instead")


@dataclass(frozen=True, slots=True)
class Refused:
    """An answer job's `ServiceError`, as a value: the exception itself does not survive pickling."""

    __reduce__ = reduce_by_fields  # crosses to a worker with every job

    answer: Answer


def run_answer_job(
    job: Callable[Concatenate[ServiceContext, P], Answer], settings: JobSettings, /, *args: P.args, **kwargs: P.kwargs
) -> Answer | Refused:
    """Run `job` on the context `settings` describe (in a worker, or inline); a refusal becomes a value."""
    try:
        return job(settings.context(), *args, **kwargs)
    except ServiceError as exc:
        return Refused(exc.answer)
