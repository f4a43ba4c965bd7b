"""The engine's answers on a user's ledger: score, advice, what-if, projection, closing plan, Top Rated.

Read-only: each loads the ledger as of a day, asks the engine and renders. The engine runs through
`ctx.compute` (in the bot: a worker process, so a long /plan never holds up other users' commands).
Advice, what-if and the closing plan are answer jobs (`ctx.answer_job`, module-level `*_answer` functions
below): loading, engine and rendering all run there, so in the bot a worker reads the ledger itself and
only the rendered answer comes back. Advice and what-if answers are kept in an `AnswerCache` until the
data changes (they are asked again and again about the same contract; see cache.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot.render import Answer
from bot.render.plot import chart_events, projection_png  # light: matplotlib loads when a chart is drawn
from scoring import engine
from scoring.model import Contract
from scoring.outlook import contract_changes
from scoring.params import Cadence, ModelParams
from scoring.score import all_segments
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
from .context import LedgerSource, ServiceContext
from .lookup import check_as_of, display_names, in_closing_plan, ledger_as_of, pick

MAX_PROJECTION_MONTHS = 60  # ModelParams.projection_months: le=60
MAX_SPACING_DAYS = 90  # ModelParams.planner_spacing_days is ge=1; model_copy(update=...) does not validate
PROJECTION_RULES = ["W-AGE-OUT", "W-24MAX", "W-WINDOWS", "W-TRENDING"]
# The months ahead an advice answer shows ("now / in 6 months": advice.md.j2, advice_data): its what-if
# scores only these (less than half the engine time of all of whatif.HORIZONS_MONTHS, the same numbers).
ADVICE_HORIZONS = (0, 6)


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
        return band, projection_png(proj, band)
    return band, None


OUTLOOK_DAYS = 30  # answers lead with a change of the displayed score due within this many days
OUTLOOK_MONTHS = 2  # the projection that finds them: enough to cover OUTLOOK_DAYS


def outlook(contracts: Sequence[Contract], as_of: date, params: ModelParams) -> tuple[engine.ProjectionEvent, ...]:
    """The dated changes of the displayed score due within OUTLOOK_DAYS, first first: the one fact a
    freelancer must see before anything else (a green 94% today is not the news when 88% is due in 11 days)."""
    until = as_of + timedelta(days=OUTLOOK_DAYS)
    proj = engine.project(contracts, as_of, params, months=OUTLOOK_MONTHS)
    return tuple(e for e in proj.moving_events() if e.update_day <= until)


def score_with_outlook(
    contracts: Sequence[Contract], as_of: date, params: ModelParams
) -> tuple[engine.ScoreResult, ScoreRange, tuple[engine.ProjectionEvent, ...]]:
    """The /jss show job: `score_with_range` and the changes due soon, in one trip to a worker."""
    return (*score_with_range(contracts, as_of, params), outlook(contracts, as_of, params))


def advise_with_outlook(
    contracts: Sequence[Contract], contract_id: str, as_of: date, params: ModelParams
) -> tuple[engine.Advice, tuple[engine.ProjectionEvent, ...]]:
    """The /advise job: the advice and the changes this contract makes to the score soon (`outlook`'s, of
    this contract only: scored around its own changes, not every contract's). Both start from the same
    segments, derived once. (`ServiceContext.sim_params` would change nothing here: the advice's what-if
    scores its horizon days only, and neither reads `projection_months`.)"""
    segments = all_segments(contracts, params, as_of)
    until = as_of + timedelta(days=OUTLOOK_DAYS)
    changes = contract_changes(contracts, contract_id, as_of, params, OUTLOOK_MONTHS, segments)
    soon = tuple(e for e in changes if e.update_day <= until)
    advice = engine.advise(contracts, contract_id, as_of, params, horizons=ADVICE_HORIZONS, segments=segments)
    return advice, soon


def top_rated_with_outlook(
    contracts: Sequence[Contract], as_of: date, params: ModelParams
) -> tuple[engine.TopRatedStatus, tuple[engine.ProjectionEvent, ...]]:
    """The /toprated job: the status and the changes due soon (a drop below 90% puts the badge at risk)."""
    return engine.top_rated_status(contracts, as_of, params), outlook(contracts, as_of, params)


class AnswerService:
    def __init__(self, ctx: ServiceContext, cache: AnswerCache | None = None) -> None:
        self.ctx = ctx
        self.cache = cache or AnswerCache(ctx.store)

    async def score(self, user_id: str, as_of: date | None = None) -> Answer:
        as_of = as_of or self.ctx.today()
        contracts = await ledger_as_of(self.ctx, user_id, as_of)
        result, spread, soon = await self.ctx.compute(user_id, score_with_outlook, contracts, as_of, self.ctx.params)
        rules = list(dict.fromkeys([*result.rules, *(u.rule for u in spread.unknowns)]))
        context = {
            "soon": soon,
            "as_of": as_of,
            "result": result,
            "counting": [c for c in result.classifications if c.counts],
            "excluded": [c for c in result.classifications if not c.counts],
            "names": display_names(contracts),
            "spread": spread,
            "rules": rules,
        }
        falls = any((e.jss_after or 0) < 90 <= (e.jss_before or 0) for e in soon)  # the Top Rated minimum
        level = "good" if (result.jss or 0) >= 90 and not falls else "warning"
        return self.ctx.render("score", context, data=score_data(result, spread, as_of), level=level)

    async def advise(self, user_id: str, contract_id: str, as_of: date | None = None) -> Answer:
        day = as_of or self.ctx.today()
        return await self.cache.get_or_compute(
            ("advise", user_id, contract_id, day), lambda: self._advise(user_id, contract_id, day)
        )

    async def _advise(self, user_id: str, contract_id: str, as_of: date) -> Answer:
        source = await self.ctx.ledger_source(user_id)
        return await self.ctx.answer_job(user_id, advise_answer, source, contract_id, as_of)

    def _advice_answer(
        self,
        contracts: Sequence[Contract],
        advice: engine.Advice,
        contract_id: str,
        as_of: date,
        soon: Sequence[engine.ProjectionEvent] = (),
    ) -> Answer:
        rows = scenario_rows(advice.whatif) if advice.whatif else []
        cost = advice.whatif.delta(engine.Scenario.CLOSE_NO_FEEDBACK, 0) if advice.whatif else None
        context = {
            "advice": advice,
            "name": display_names([pick(self.ctx, contracts, contract_id)])[contract_id],  # not all 50 names
            "sims": [r for r in rows if r["applicable"]],
            "cost": cost,
            "soon": [e for e in soon if (e.jss_after or 0) < (e.jss_before or 0)],  # what it costs, and when
            "contract_id": contract_id,
            "rules": list(advice.rules),
        }
        level = {"close_now": "warning", "keep_open": "good"}.get(advice.verdict.value, "info")
        data = advice_data(advice, rows, contract_id, as_of)
        data["in_plan"] = in_closing_plan(pick(self.ctx, contracts, contract_id), as_of, self.ctx.params)  # buttons
        return self.ctx.render("advice", context, data=data, level=level)

    async def what_if(self, user_id: str, contract_id: str, as_of: date | None = None) -> Answer:
        day = as_of or self.ctx.today()
        return await self.cache.get_or_compute(
            ("what_if", user_id, contract_id, day), lambda: self._what_if(user_id, contract_id, day)
        )

    async def _what_if(self, user_id: str, contract_id: str, as_of: date) -> Answer:
        source = await self.ctx.ledger_source(user_id)
        return await self.ctx.answer_job(user_id, what_if_answer, source, contract_id, as_of)

    def _what_if_answer(
        self, contracts: Sequence[Contract], sims: engine.WhatIf, contract_id: str, as_of: date
    ) -> Answer:
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
        marked = len(chart_events(proj)) if png is not None else 0  # events numbered 1..marked on the chart
        context["marked"] = marked
        data = projection_data(band, events, params.cadence.value, as_of, marked)
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
        source = await self.ctx.ledger_source(user_id)
        return await self.ctx.answer_job(
            user_id, plan_answer, source, as_of, tuple(contract_ids or ()), spacing_days, expected_good
        )

    def _plan_answer(
        self, contracts: Sequence[Contract], plan: engine.ClosingPlan, params: ModelParams, as_of: date
    ) -> Answer:
        rules = list(dict.fromkeys(r for s in plan.steps for r in s.rules)) or ["L-STAGGER", "C-SELF-CLOSE-2MO"]
        context = {
            "plan": plan,
            "names": display_names(contracts),
            "stale_days": params.stale_after_days,
            "rules": rules,
        }
        return self.ctx.render("plan", context, data=plan_data(plan, as_of))

    async def top_rated(self, user_id: str, as_of: date | None = None) -> Answer:
        as_of = as_of or self.ctx.today()
        contracts = await ledger_as_of(self.ctx, user_id, as_of)
        status, soon = await self.ctx.compute(user_id, top_rated_with_outlook, contracts, as_of, self.ctx.params)
        below = next((e for e in soon if (e.jss_after or 0) < 90 <= (e.jss_before or 0)), None)
        context = {"status": status, "below": below, "names": display_names(contracts), "rules": list(status.rules)}
        level = "warning" if below is not None or not status.ledger_requirements_met else "good"
        return self.ctx.render("toprated", context, data=top_rated_data(status), level=level)


# -- answer jobs: run by `ServiceContext.answer_job`, in a worker process in the bot ---------------------------


def _ledger(ctx: ServiceContext, source: LedgerSource, as_of: date) -> list[Contract]:
    """`ledger_as_of` for a job: the same refusals (no contracts, dated after `as_of`)."""
    contracts = source.read()
    if not contracts:
        raise ctx.error("no_contracts", "no_contracts")
    check_as_of(ctx, contracts, as_of)
    return contracts


def advise_answer(ctx: ServiceContext, source: LedgerSource, contract_id: str, as_of: date) -> Answer:
    """The /advise answer."""
    contracts = _ledger(ctx, source, as_of)
    pick(ctx, contracts, contract_id)
    advice, soon = advise_with_outlook(contracts, contract_id, as_of, ctx.params)
    return AnswerService(ctx)._advice_answer(contracts, advice, contract_id, as_of, soon)


def what_if_answer(ctx: ServiceContext, source: LedgerSource, contract_id: str, as_of: date) -> Answer:
    """The /whatif answer."""
    contracts = _ledger(ctx, source, as_of)
    pick(ctx, contracts, contract_id)
    sims = engine.what_if(contracts, contract_id, as_of, ctx.sim_params)
    return AnswerService(ctx)._what_if_answer(contracts, sims, contract_id, as_of)


def plan_answer(
    ctx: ServiceContext,
    source: LedgerSource,
    as_of: date,
    contract_ids: tuple[str, ...],
    spacing_days: int | None,
    expected_good: dict[str, date] | None,
) -> Answer:
    """The /plan answer (hundreds of steps for a big ledger: rendered where it is computed)."""
    contracts = _ledger(ctx, source, as_of)
    params = (
        ctx.params if spacing_days is None else ctx.params.model_copy(update={"planner_spacing_days": spacing_days})
    )
    plan = engine.plan_closings(contracts, as_of, params, contract_ids or None, expected_good)
    return AnswerService(ctx)._plan_answer(contracts, plan, params, as_of)
