"""Uncertainty: best / likely / worst scores from what the freelancer cannot know.

Private feedback is invisible (F-PRIVATE-FB), feedback may still arrive (FB-14DAYS), and the effect of
idle open contracts is unknown (C-OPEN-INACTIVE-JSS). A single number would be false precision, so
every unknown gets a best and a worst reading; the likely reading is the model's default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from math import ceil

from .cadence import update_day
from .classify import Segment, contract_segments
from .eras import era_of
from .model import Contract
from .params import DEFAULT_PARAMS, IdleOpenEffect, ModelParams
from .projection import Projection, project
from .rulebook import rule_numbers
from .windows import ScorePoint, score_points


class Case(StrEnum):
    BEST = "best"
    LIKELY = "likely"
    WORST = "worst"


@dataclass(frozen=True, slots=True)
class Unknown:
    """One contract whose contribution is uncertain, and why (the rule that makes it so)."""

    contract_id: str
    reason: str  # pending_feedback | private_unknown | idle_open | no_feedback_then
    rule: str


def unknowns(c: Contract, as_of: date, params: ModelParams = DEFAULT_PARAMS) -> Unknown | None:
    n = rule_numbers()
    if c.client_flagged or c.disputed:
        return None
    if not c.has_feedback and era_of(as_of).no_feedback_counts:
        # X-NO-FEEDBACK before T-2020-11-NOFB: such jobs were "mostly excluded" or could lower the score
        # "significantly"; how much is UNKNOWN (the likely reading is ModelParams.legacy_*_weight).
        pending = c.ended is not None and as_of <= c.ended + timedelta(days=n.feedback_days)
        paid = c.last_payment is not None and c.net_earnings >= n.public_min_usd
        if not pending and (c.ended is not None or not paid):
            return Unknown(c.id, "no_feedback_then", "X-NO-FEEDBACK")
    if c.ended is not None:
        if not c.has_feedback and as_of <= c.ended + timedelta(days=n.feedback_days):
            return Unknown(c.id, "pending_feedback", "FB-14DAYS")
        if c.public_stars is not None and c.private_rating is None and c.ended < params.private_feedback_until:
            return Unknown(c.id, "private_unknown", "F-PRIVATE-FB")
        return None
    idle = (as_of - (c.last_payment or c.last_activity)).days
    if c.last_payment is not None and idle >= n.long_term_payment_days:
        return Unknown(c.id, "idle_open", "C-OPEN-INACTIVE-JSS")
    return None


def case_segments(
    c: Contract,
    as_of: date,
    case: Case,
    params: ModelParams = DEFAULT_PARAMS,
    worst_private: frozenset[str] | None = None,
) -> list[Segment]:
    """The contract's segments under one reading of what is unknown about it.

    In the worst reading an unknown private rating is taken as bad only for the contracts in
    `worst_private` (see `worst_private_ids`; None: every such contract)."""
    unknown = None if case is Case.LIKELY else unknowns(c, as_of, params)
    if unknown is None:
        return contract_segments(c, params, as_of=as_of)
    best = case is Case.BEST
    if unknown.reason == "pending_feedback":
        stars = params.good_feedback_stars if best else params.poor_feedback_stars
        return contract_segments(c.model_copy(update={"public_stars": stars}), params, as_of=as_of)
    if unknown.reason == "private_unknown":
        if not best and worst_private is not None and c.id not in worst_private:
            return contract_segments(c, params, as_of=as_of)
        rating = 10 if best else params.bad_private_rating
        return contract_segments(c.model_copy(update={"private_rating": rating}), params, as_of=as_of)
    if unknown.reason == "no_feedback_then":
        if not best:  # the likely reading already counts it fully
            return contract_segments(c, params, as_of=as_of)
        silent = params.model_copy(
            update={"legacy_paid_no_feedback_weight": 0.0, "legacy_unpaid_no_feedback_weight": 0.0}
        )
        return contract_segments(c, silent, as_of=as_of)
    effect = IdleOpenEffect.EXCLUDED if best else IdleOpenEffect.BAD
    return contract_segments(c, params.model_copy(update={"idle_open_effect": effect}), as_of=as_of)


def worst_private_ids(
    contracts: Sequence[Contract], as_of: date, params: ModelParams = DEFAULT_PARAMS
) -> frozenset[str]:
    """F-PRIVATE-FB: which unknown private ratings the worst reading takes as bad.

    A share of them (ModelParams.worst_private_bad_share, at least one): the lowest public stars first, then
    the most recent. Taking every unknown one as bad gives a range from 0 to 100, which says nothing."""
    hidden = [c for c in contracts if (u := unknowns(c, as_of, params)) is not None and u.reason == "private_unknown"]
    if not hidden:
        return frozenset()
    count = max(1, ceil(params.worst_private_bad_share * len(hidden)))
    hidden.sort(key=lambda c: (c.public_stars or 0.0, -(c.ended or as_of).toordinal(), c.id))
    return frozenset(c.id for c in hidden[:count])


class Rough(StrEnum):
    """Why an estimate is rough (the answer says so; the sentences live in the template)."""

    FEW_OUTCOMES = "few_outcomes"  # fewer counted outcomes than ModelParams.rough_below_outcomes
    PRIVATE_UNKNOWN = "private_unknown"  # private ratings the freelancer cannot see (F-PRIVATE-FB)
    OLDER_RULES = "older_rules"  # a date before T-2020-11-NOFB: the rules of then are partly inferred


@dataclass(frozen=True, slots=True)
class ScoreRange:
    """The displayed score under the best, likely and worst readings of the unknowns."""

    best: ScorePoint
    likely: ScorePoint
    worst: ScorePoint
    unknowns: tuple[Unknown, ...]
    rough: tuple[Rough, ...] = ()

    @property
    def low(self) -> int | None:
        values = [p.jss for p in (self.best, self.likely, self.worst) if p.jss is not None]
        return min(values) if values else None

    @property
    def high(self) -> int | None:
        values = [p.jss for p in (self.best, self.likely, self.worst) if p.jss is not None]
        return max(values) if values else None


def case_params(case: Case, params: ModelParams = DEFAULT_PARAMS) -> ModelParams:
    """The formula of a reading: the likely one is the model's; best and worst use the bounds of
    L-ESTIMATOR for how much a bad outcome costs (ModelParams.penalty_best / penalty_worst)."""
    if case is Case.LIKELY:
        return params
    penalty = params.penalty_best if case is Case.BEST else params.penalty_worst
    return params.model_copy(update={"bad_penalty": penalty})


def case_ledger_segments(
    contracts: Sequence[Contract], as_of: date, case: Case, params: ModelParams = DEFAULT_PARAMS
) -> list[Segment]:
    worst = worst_private_ids(contracts, as_of, params) if case is Case.WORST else None
    return [s for c in contracts for s in case_segments(c, as_of, case, params, worst)]


def rough_reasons(
    point: ScorePoint, hidden_worst: ScorePoint, found: Sequence[Unknown], as_of: date, params: ModelParams
) -> tuple[Rough, ...]:
    """Why the likely estimate is rough: few outcomes in the shown window; private ratings the freelancer
    cannot see that could move it by more than ModelParams.rough_spread_points (`hidden_worst` is the
    reading with some of them bad); the inferred rules of an older date."""
    reasons: list[Rough] = []
    if point.raw is None:
        return ()
    shown = point.windows[point.best] if point.best in point.windows else None
    outcomes = shown.outcomes if shown is not None else max((w.outcomes for w in point.windows.values()), default=0)
    if outcomes < params.rough_below_outcomes:
        reasons.append(Rough.FEW_OUTCOMES)
    hidden = any(u.reason == "private_unknown" for u in found)
    if hidden and point.raw - _order(hidden_worst) > params.rough_spread_points:
        reasons.append(Rough.PRIVATE_UNKNOWN)
    if era_of(as_of).no_feedback_counts:
        reasons.append(Rough.OLDER_RULES)
    return tuple(reasons)


def score_range(contracts: Sequence[Contract], as_of: date, params: ModelParams = DEFAULT_PARAMS) -> ScoreRange:
    """Best / likely / worst on `as_of`. `low`/`high` bound all three: window minimums make the score not
    strictly monotone in one outcome, so the bounds are taken over the readings, never assumed."""
    day = update_day(as_of, era_of(as_of))  # the update the score reflects (W-CADENCE-LEGACY), as in score()
    likely_segments = case_ledger_segments(contracts, as_of, Case.LIKELY, params)
    likely = score_points(likely_segments, [day], params)[0]
    extremes, hidden = [], []
    for case, pick in ((Case.BEST, max), (Case.WORST, min)):
        # Two readings each, never compounded: the unknown feedback at its best (worst) with the model's
        # formula, and the known outcomes with the formula's bound (L-ESTIMATOR). Compounding both gives
        # ranges too wide to help anyone; the lower (higher) of the two is the bound.
        unknown_side = score_points(case_ledger_segments(contracts, as_of, case, params), [day], params)[0]
        formula_side = score_points(likely_segments, [day], case_params(case, params))[0]
        extremes.append(pick(unknown_side, formula_side, key=_order))
        hidden.append(unknown_side)
    found = tuple(u for c in contracts if (u := unknowns(c, as_of, params)) is not None)
    rough = rough_reasons(likely, hidden[1], found, as_of, params)
    return ScoreRange(extremes[0], likely, extremes[1], found, rough)


def _order(point: ScorePoint) -> float:
    """Sort key of a reading: no score at all sorts below every score."""
    return -1.0 if point.raw is None else point.raw


@dataclass(frozen=True, slots=True)
class ProjectionBand:
    likely: Projection
    low: tuple[float | None, ...]  # per likely point's day
    high: tuple[float | None, ...]


def projection_band(
    contracts: Sequence[Contract], as_of: date, params: ModelParams = DEFAULT_PARAMS, months: int | None = None
) -> ProjectionBand:
    """The likely projection plus, on the same days, the lowest and highest of the three readings."""
    likely = project(
        contracts, as_of, params, months=months, segments=case_ledger_segments(contracts, as_of, Case.LIKELY, params)
    )
    days = [p.day for p in likely.points]
    likely_segments = case_ledger_segments(contracts, as_of, Case.LIKELY, params)
    others = [
        score_points(case_ledger_segments(contracts, as_of, case, params), days, params)
        for case in (Case.BEST, Case.WORST)
    ] + [score_points(likely_segments, days, case_params(case, params)) for case in (Case.BEST, Case.WORST)]
    low: list[float | None] = []
    high: list[float | None] = []
    for i, p in enumerate(likely.points):
        values = [v for v in (p.raw, *(other[i].raw for other in others)) if v is not None]
        low.append(min(values) if values else None)
        high.append(max(values) if values else None)
    return ProjectionBand(likely, tuple(low), tuple(high))
