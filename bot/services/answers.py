"""The engine's answers on a user's ledger: score, advice, what-if, projection, closing plan, Top Rated.

Read-only: each loads the ledger as of a day, asks the engine and renders. The engine runs through
`ctx.compute` (in the bot: a worker process, so a long /plan never holds up other users' commands); the
loading, the cache and the rendering stay here. Advice and what-if answers are kept in an `AnswerCache`
until the data changes (they are asked again and again about the same contract; see cache.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.render import Answer
from scoring import engine
from scoring.model import Contract
from scoring.params import Cadence, ModelParams
from scoring.uncertainty import ProjectionBand, ScoreRange, projection_band, score_range

from .answer_data import (
    advice_data,
    plan_data,
    projection_data,
    scenario_rows,
    score_data,
    top_rated_data,
    what_if_data,
)
from .cache import AnswerCache
from .context import ServiceContext
from .lookup import display_names, ledger_as_of, pick

MAX_PROJECTION_MONTHS = 60  # ModelParams.projection_months: le=60
MAX_SPACING_DAYS = 90  # ModelParams.planner_spacing_days is ge=1; model_copy(update=...) does not validate
PROJECTION_RULES = ["W-AGE-OUT", "W-24MAX", "W-WINDOWS", "W-TRENDING"]


def score_with_range(
    contracts: Sequence[Contract], as_of: date, params: ModelParams
) -> tuple[engine.ScoreResult, ScoreRange]:
    """The /score job: the score and its range over unknown outcomes (one trip to a worker, not two)."""
    return engine.score(contracts, as_of, params), score_range(contracts, as_of, params)


def projection_with_chart(
    contracts: Sequence[Contract], as_of: date, params: ModelParams, months: int | None, plot: bool
) -> tuple[ProjectionBand, bytes | None]:
    """The /projection job: the band and, when asked for, its chart (matplotlib is slow: a worker draws it)."""
    band = projection_band(contracts, as_of, params, months=months)
    proj = band.likely
    # A chart needs at least one score to draw: with none (a new ledger, no eligible jobs yet) every
    # series is empty and matplotlib fails on the unscaled date axis (ValueError: image too large).
    if plot and any(p.raw is not None or any(v is not None for v in p.window_scores().values()) for p in proj.points):
        from bot.render.plot import projection_png  # matplotlib is slow to import: only when a plot is asked for

        return band, projection_png(proj, display_names(contracts), band)
    return band, None


LONG_PLAN_STEPS = 40  # a plan with more steps is rendered off the event loop (see ServiceContext.render_long)


class AnswerService:
    def __init__(self, ctx: ServiceContext, cache: AnswerCache | None = None) -> None:
        self.ctx = ctx
        self.cache = cache or AnswerCache(ctx.store)

    async def score(self, user_id: str, as_of: date | None = None) -> Answer:
        as_of = as_of or self.ctx.today()
        contracts = await ledger_as_of(self.ctx, user_id, as_of)
        result, spread = await self.ctx.compute(user_id, score_with_range, contracts, as_of, self.ctx.params)
        rules = list(dict.fromkeys([*result.rules, *(u.rule for u in spread.unknowns)]))
        context = {
            "result": result,
            "counting": [c for c in result.classifications if c.counts],
            "excluded": [c for c in result.classifications if not c.counts],
            "names": display_names(contracts),
            "spread": spread,
            "rules": rules,
        }
        level = "good" if (result.jss or 0) >= 90 else "warning"
        return self.ctx.render("score", context, data=score_data(result, spread, as_of), level=level)

    async def advise(self, user_id: str, contract_id: str, as_of: date | None = None) -> Answer:
        day = as_of or self.ctx.today()
        return await self.cache.get_or_compute(
            ("advise", user_id, contract_id, day), lambda: self._advise(user_id, contract_id, day)
        )

    async def _advise(self, user_id: str, contract_id: str, as_of: date) -> Answer:
        contracts = await ledger_as_of(self.ctx, user_id, as_of)
        pick(self.ctx, contracts, contract_id)
        advice = await self.ctx.compute(user_id, engine.advise, contracts, contract_id, as_of, self.ctx.sim_params)
        return self._advice_answer(contracts, advice, contract_id, as_of)

    def _advice_answer(
        self, contracts: Sequence[Contract], advice: engine.Advice, contract_id: str, as_of: date
    ) -> Answer:
        rows = scenario_rows(advice.whatif) if advice.whatif else []
        cost = advice.whatif.delta(engine.Scenario.CLOSE_NO_FEEDBACK, 0) if advice.whatif else None
        context = {
            "advice": advice,
            "name": display_names(contracts)[contract_id],
            "sims": [r for r in rows if r["applicable"]],
            "cost": cost,
            "rules": list(advice.rules),
        }
        level = {"close_now": "warning", "keep_open": "good"}.get(advice.verdict.value, "info")
        return self.ctx.render("advice", context, data=advice_data(advice, rows, contract_id, as_of), level=level)

    async def what_if(self, user_id: str, contract_id: str, as_of: date | None = None) -> Answer:
        day = as_of or self.ctx.today()
        return await self.cache.get_or_compute(
            ("what_if", user_id, contract_id, day), lambda: self._what_if(user_id, contract_id, day)
        )

    async def _what_if(self, user_id: str, contract_id: str, as_of: date) -> Answer:
        contracts = await ledger_as_of(self.ctx, user_id, as_of)
        pick(self.ctx, contracts, contract_id)
        sims = await self.ctx.compute(user_id, engine.what_if, contracts, contract_id, as_of, self.ctx.sim_params)
        rows = scenario_rows(sims)
        rules = list(dict.fromkeys(r for row in rows if row["applicable"] for r in row["rules"]))
        context = {"rows": rows, "name": display_names(contracts)[contract_id], "as_of": as_of, "rules": rules}
        return self.ctx.render("whatif", context, data=what_if_data(rows, contract_id, as_of))

    async def projection(
        self,
        user_id: str,
        as_of: date | None = None,
        cadence: Cadence | None = None,
        plot: bool = False,
        months: int | None = None,
    ) -> Answer:
        as_of = as_of or self.ctx.today()
        if months is not None and not 1 <= months <= MAX_PROJECTION_MONTHS:
            raise self.ctx.error("bad_input", "months_range", most=MAX_PROJECTION_MONTHS)
        contracts = await ledger_as_of(self.ctx, user_id, as_of)
        params = self.ctx.params_for(cadence)
        band, png = await self.ctx.compute(user_id, projection_with_chart, contracts, as_of, params, months, plot)
        proj = band.likely
        events = list(proj.moving_events())
        names = display_names(contracts)
        attachments = (("jss-projection.png", png),) if png is not None else ()
        cadence_rule = "W-CADENCE-CURRENT" if params.cadence is Cadence.DAILY else "W-CADENCE-LEGACY"
        context = {
            "projection": proj,
            "events": events,
            "names": names,
            "lowest": proj.lowest,
            "cadence": params.cadence.value,
            "months": months or params.projection_months,
            "rules": [*PROJECTION_RULES, cadence_rule],
        }
        data = projection_data(band, events, params.cadence.value, as_of)
        return self.ctx.render("projection", context, data=data, attachments=attachments)

    async def plan(
        self,
        user_id: str,
        as_of: date | None = None,
        contract_ids: Sequence[str] | None = None,
        spacing_days: int | None = None,
        expected_good: dict[str, date] | None = None,
    ) -> Answer:
        as_of = as_of or self.ctx.today()
        if spacing_days is not None and not 1 <= spacing_days <= MAX_SPACING_DAYS:
            raise self.ctx.error("bad_input", "spacing_range", most=MAX_SPACING_DAYS)
        contracts = await ledger_as_of(self.ctx, user_id, as_of)
        params = (
            self.ctx.params
            if spacing_days is None
            else self.ctx.params.model_copy(update={"planner_spacing_days": spacing_days})
        )
        plan = await self.ctx.compute(
            user_id, engine.plan_closings, contracts, as_of, params, contract_ids or None, expected_good
        )
        rules = list(dict.fromkeys(r for s in plan.steps for r in s.rules)) or ["L-STAGGER", "C-SELF-CLOSE-2MO"]
        context = {
            "plan": plan,
            "names": display_names(contracts),
            "stale_days": params.stale_after_days,
            "rules": rules,
        }
        if len(plan.steps) > LONG_PLAN_STEPS:
            return await self.ctx.render_long("plan", context, data=plan_data(plan, as_of))
        return self.ctx.render("plan", context, data=plan_data(plan, as_of))

    async def top_rated(self, user_id: str, as_of: date | None = None) -> Answer:
        as_of = as_of or self.ctx.today()
        contracts = await ledger_as_of(self.ctx, user_id, as_of)
        status = await self.ctx.compute(user_id, engine.top_rated_status, contracts, as_of, self.ctx.params)
        context = {"status": status, "rules": list(status.rules)}
        return self.ctx.render("toprated", context, data=top_rated_data(status))
