"""What every service shares: the store, the output format, the clock, the model's parameters and where
engine work runs.

One `ServiceContext` is built per front end (see `build_services`) and handed to each service, so the
services agree on "today", render for the same output and never hold copies of each other's settings.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ParamSpec, TypeVar

from bot.clock import Clock, SystemClock
from bot.render import Answer, OutputFormat, render_answer
from bot.store import LedgerStore
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

    async def render_long(self, kind: str, context: dict[str, Any], **kw: Any) -> Answer:
        """`render` in a thread, for answers of hundreds of rows (a 400-step plan is ~50 ms of Jinja): the
        event loop keeps its turns meanwhile, so other users' commands are not held up."""
        return await asyncio.to_thread(render_answer, kind, context, self.fmt, **kw)

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

    def params_for(self, cadence: Cadence | None) -> ModelParams:
        return self.params if cadence is None else self.params.model_copy(update={"cadence": cadence})

    @property
    def sim_params(self) -> ModelParams:
        """`params` for what-if and advice, which show the score at HORIZONS_MONTHS only (12 months at most).

        Projecting each scenario that far instead of `projection_months` (24) gives the same points for
        about 30% less engine time; /advise is the bot's busiest command.
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
