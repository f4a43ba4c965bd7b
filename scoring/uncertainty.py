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

from .classify import Segment, contract_segments
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
    reason: str  # pending_feedback | private_unknown | idle_open
    rule: str


def unknowns(c: Contract, as_of: date, params: ModelParams = DEFAULT_PARAMS) -> Unknown | None:
    n = rule_numbers()
    if c.client_flagged or c.disputed:
        return None
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


def case_segments(c: Contract, as_of: date, case: Case, params: ModelParams = DEFAULT_PARAMS) -> list[Segment]:
    """The contract's segments under one reading of what is unknown about it."""
    unknown = None if case is Case.LIKELY else unknowns(c, as_of, params)
    if unknown is None:
        return contract_segments(c, params, as_of=as_of)
    best = case is Case.BEST
    if unknown.reason == "pending_feedback":
        stars = params.good_feedback_stars if best else params.poor_feedback_stars
        return contract_segments(c.model_copy(update={"public_stars": stars}), params, as_of=as_of)
    if unknown.reason == "private_unknown":
        rating = 10 if best else params.bad_private_rating
        return contract_segments(c.model_copy(update={"private_rating": rating}), params, as_of=as_of)
    effect = IdleOpenEffect.EXCLUDED if best else IdleOpenEffect.BAD
    return contract_segments(c, params.model_copy(update={"idle_open_effect": effect}), as_of=as_of)


@dataclass(frozen=True, slots=True)
class ScoreRange:
    """The displayed score under the best, likely and worst readings of the unknowns."""

    best: ScorePoint
    likely: ScorePoint
    worst: ScorePoint
    unknowns: tuple[Unknown, ...]

    @property
    def low(self) -> int | None:
        values = [p.jss for p in (self.best, self.likely, self.worst) if p.jss is not None]
        return min(values) if values else None

    @property
    def high(self) -> int | None:
        values = [p.jss for p in (self.best, self.likely, self.worst) if p.jss is not None]
        return max(values) if values else None


def case_ledger_segments(
    contracts: Sequence[Contract], as_of: date, case: Case, params: ModelParams = DEFAULT_PARAMS
) -> list[Segment]:
    return [s for c in contracts for s in case_segments(c, as_of, case, params)]


def score_range(contracts: Sequence[Contract], as_of: date, params: ModelParams = DEFAULT_PARAMS) -> ScoreRange:
    """Best / likely / worst on `as_of`. `low`/`high` bound all three: window minimums make the score not
    strictly monotone in one outcome, so the bounds are taken over the readings, never assumed."""
    points = {
        case: score_points(case_ledger_segments(contracts, as_of, case, params), [as_of], params)[0] for case in Case
    }
    found = tuple(u for c in contracts if (u := unknowns(c, as_of, params)) is not None)
    return ScoreRange(points[Case.BEST], points[Case.LIKELY], points[Case.WORST], found)


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
    others = [
        score_points(case_ledger_segments(contracts, as_of, case, params), days, params)
        for case in (Case.BEST, Case.WORST)
    ]
    low: list[float | None] = []
    high: list[float | None] = []
    for i, p in enumerate(likely.points):
        values = [v for v in (p.raw, others[0][i].raw, others[1][i].raw) if v is not None]
        low.append(min(values) if values else None)
        high.append(max(values) if values else None)
    return ProjectionBand(likely, tuple(low), tuple(high))
