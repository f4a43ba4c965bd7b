"""Uncertainty: best / likely / worst scores from what the freelancer cannot know.

Private feedback is invisible (F-PRIVATE-FB), feedback may still arrive (FB-14DAYS), and the effect of
idle open contracts is unknown (C-OPEN-INACTIVE-JSS). A single number would be false precision, so
every unknown gets a best and a worst reading; the likely reading is the model's default.

The range widens only by the doubts a ledger actually has (issue 18): each contract names its own
(`Unknown.reason`): a private rating it may carry, with or without public stars; stars or a private answer
in the band whose mapping Upwork has not published; ongoing paid work under 90 days old (Upwork may credit
it, even as an eligible job, or not at all); a job without feedback under the rules before November 2020.
A ledger without such doubts keeps a narrow range, a small one full of them a wide one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from math import exp, log, log1p

from .cadence import update_day
from .classify import YOUNG_OPEN_RULES, Segment, contract_segments
from .dates import window_start
from .eras import era_of
from .model import Contract, ContractStatus
from .params import DEFAULT_PARAMS, IdleOpenEffect, ModelParams
from .projection import Projection, project
from .rulebook import rule_numbers
from .windows import TRENDING, ScorePoint, score_points


class Case(StrEnum):
    BEST = "best"
    LIKELY = "likely"
    WORST = "worst"


@dataclass(frozen=True, slots=True)
class Unknown:
    """One contract whose contribution is uncertain, and why (the rule that makes it so)."""

    contract_id: str
    # pending_feedback | private_unknown | private_only | feedback_band | idle_open | young_open | no_feedback_then
    reason: str
    rule: str


HIDDEN_PRIVATE = frozenset({"private_unknown", "private_only"})  # a private rating the freelancer cannot see


def unknowns(c: Contract, as_of: date, params: ModelParams = DEFAULT_PARAMS) -> Unknown | None:
    """What about the contract the freelancer cannot know on `as_of`, if anything (one doubt per contract)."""
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
        return _ended_unknown(c, as_of, params)
    paid = c.last_payment is not None and c.net_earnings >= n.public_min_usd
    idle = (as_of - (c.last_payment or c.last_activity)).days
    if c.last_payment is not None and idle >= n.long_term_payment_days:
        return Unknown(c.id, "idle_open", "C-OPEN-INACTIVE-JSS")
    young = (as_of - c.started).days < n.long_term_payment_days
    if paid and young and c.status is ContractStatus.ACTIVE:
        # E-CURRENT counts ongoing work as a job only after 90 days; Upwork evidently credits it before
        # (ModelParams.young_open_weight), how much and whether it makes a score appear is UNKNOWN.
        return Unknown(c.id, "young_open", "E-CURRENT")
    return None


def _ended_unknown(c: Contract, as_of: date, params: ModelParams) -> Unknown | None:
    assert c.ended is not None
    n = rule_numbers()
    private_possible = c.ended < params.private_feedback_until  # T-FORM-CHANGE
    if not c.has_feedback:
        if as_of <= c.ended + timedelta(days=n.feedback_days):
            return Unknown(c.id, "pending_feedback", "FB-14DAYS")
        if private_possible:
            # No public stars, but the client could answer the private questions only: such an answer counts
            # (X-ZERO-NEGATIVE even without earnings) and the freelancer never sees it.
            return Unknown(c.id, "private_only", "F-PRIVATE-FB")
        return None
    if c.private_rating is None and private_possible:
        return Unknown(c.id, "private_unknown", "F-PRIVATE-FB")
    if c.private_rating is not None and private_possible and params.private_overrides_public:
        in_band = params.bad_private_below <= c.private_rating < params.good_private_min
    else:
        stars = c.public_stars
        in_band = stars is not None and params.bad_stars_below <= stars < params.good_stars_min
    if in_band:  # neutral in the model; how Upwork maps such an answer is UNKNOWN (F-PUBLIC-EMPHASIS)
        return Unknown(c.id, "feedback_band", "F-PUBLIC-EMPHASIS")
    return None


def case_segments(
    c: Contract,
    as_of: date,
    case: Case,
    params: ModelParams = DEFAULT_PARAMS,
    worst_private: frozenset[str] | None = None,
    unknown: Unknown | None = None,
) -> list[Segment]:
    """The contract's segments under one reading of what is unknown about it (`unknown`: already found).

    In the worst reading a hidden private rating is taken as bad only for the contracts in
    `worst_private` (see `worst_private_ids`; None: every such contract)."""
    if case is Case.LIKELY:
        return contract_segments(c, params, as_of=as_of)
    unknown = unknown or unknowns(c, as_of, params)
    if unknown is None:
        return contract_segments(c, params, as_of=as_of)
    best = case is Case.BEST
    reason = unknown.reason
    if reason == "pending_feedback":
        stars = params.good_feedback_stars if best else params.poor_feedback_stars
        return contract_segments(c.model_copy(update={"public_stars": stars}), params, as_of=as_of)
    if reason in HIDDEN_PRIVATE:
        if best and reason == "private_only":  # a private-only answer can hurt; the likely reading is its best
            return contract_segments(c, params, as_of=as_of)
        if not best and worst_private is not None and c.id not in worst_private:
            return contract_segments(c, params, as_of=as_of)
        rating = 10 if best else params.bad_private_rating
        return contract_segments(c.model_copy(update={"private_rating": rating}), params, as_of=as_of)
    if reason == "feedback_band":  # the whole band moves together: it is one mapping, Upwork's
        if c.private_rating is not None and c.ended is not None and c.ended < params.private_feedback_until:
            update: dict[str, object] = {"private_rating": 10 if best else params.bad_private_rating}
        else:
            update = {"public_stars": params.good_feedback_stars if best else params.poor_feedback_stars}
        return contract_segments(c.model_copy(update=update), params, as_of=as_of)
    if reason == "young_open":
        if not best:
            return contract_segments(c, params.model_copy(update={"young_open_weight": 0.0}), as_of=as_of)
        # Best: ongoing work counts as a job of its full tier weight, eligible towards having a score.
        uncapped = params.model_copy(update={"young_open_weight": rule_numbers().max_weight})
        full = contract_segments(c, uncapped, as_of=as_of)
        return [s._replace(eligible=True) if s.rules == YOUNG_OPEN_RULES else s for s in full]
    if reason == "no_feedback_then":
        if not best:  # the likely reading already counts it; how much more it could cost is not known
            return contract_segments(c, params, as_of=as_of)
        silent = {"legacy_paid_no_feedback_weight": 0.0, "legacy_unpaid_no_feedback_weight": 0.0}
        return contract_segments(c, params.model_copy(update=silent), as_of=as_of)
    effect = IdleOpenEffect.EXCLUDED if best else IdleOpenEffect.BAD
    return contract_segments(c, params.model_copy(update={"idle_open_effect": effect}), as_of=as_of)


def worst_private_ids(
    contracts: Sequence[Contract],
    as_of: date,
    params: ModelParams = DEFAULT_PARAMS,
    found: Mapping[str, Unknown | None] | None = None,
    months: int | None = None,
) -> frozenset[str]:
    """F-PRIVATE-FB: which hidden private ratings the worst reading takes as bad.

    As many as `hidden_detractors` bounds (at least one), the most suspect first: a refund (the client took
    money back), then no public stars at all, then the lowest stars, then the most recent. Taking every hidden
    one as bad gives a range from 0 to 100, which says nothing.

    Only contracts inside the score shown are candidates: under the fortnightly rules (W-CADENCE-LEGACY) a job
    closed after the last update Sunday is not in it yet, and one older than the window shown (`months`, the
    likely reading's best window; default the longest, 24) is not in it any more (W-AGE-OUT, W-WINDOWS: the
    best window is displayed). Taking such a hidden rating as the bad one would spend the worst reading on a
    contract that cannot lower the score shown."""
    doubts = found if found is not None else {c.id: unknowns(c, as_of, params) for c in contracts}
    n = rule_numbers()
    reflected = update_day(as_of, era_of(as_of))
    oldest = window_start(reflected, months or n.max_months, n.age_out_extra_days)
    hidden = [
        c
        for c in contracts
        if (u := doubts.get(c.id)) is not None
        and u.reason in HIDDEN_PRIVATE
        and (c.ended is None or oldest <= c.ended <= reflected)
    ]
    if not hidden:
        return frozenset()
    count = max(1, hidden_detractors(len(hidden), params.hidden_bad_rate, params.worst_reading_quantile))
    hidden.sort(
        key=lambda c: (
            not c.refunded_usd,
            c.public_stars is not None,
            c.public_stars or 0.0,
            -(c.ended or as_of).toordinal(),
            c.id,
        )
    )
    return frozenset(c.id for c in hidden[:count])


def hidden_detractors(hidden: int, rate: float, quantile: float) -> int:
    """The number of detractors among `hidden` private ratings that Binomial(hidden, rate) stays at or under
    with probability `quantile`: the worst reading's count (ModelParams.hidden_bad_rate).

    The probabilities are summed from the log of the first term upwards, so a long history (thousands of
    contracts, whose first terms underflow to zero) still ends after about its mean plus a few deviations."""
    if hidden <= 0 or rate <= 0:
        return 0
    if rate >= 1:
        return hidden
    log_term = hidden * log1p(-rate)  # log P(no detractor)
    log_odds = log(rate) - log1p(-rate)
    total = 0.0
    for k in range(hidden):  # all `hidden` is the bound left when rounding keeps the sum under `quantile`
        total += exp(log_term)
        if total >= quantile:
            return k
        log_term += log(hidden - k) - log(k + 1) + log_odds
    return hidden


class Rough(StrEnum):
    """Why an estimate is rough (the answer says so; the sentences live in the template)."""

    FEW_OUTCOMES = "few_outcomes"  # fewer counted outcomes than ModelParams.rough_below_outcomes
    PRIVATE_UNKNOWN = "private_unknown"  # private ratings the freelancer cannot see (F-PRIVATE-FB)
    FEEDBACK_BAND = "feedback_band"  # middling stars or private answers, whose mapping is UNKNOWN
    YOUNG_OPEN = "young_open"  # ongoing paid work under 90 days old: how Upwork credits it is UNKNOWN
    OLDER_RULES = "older_rules"  # a date before T-2020-11-NOFB: the rules of then are partly inferred


# Which doubts each rough reason stands for: the reason is given when those doubts alone could move the
# likely estimate by more than ModelParams.rough_spread_points, or decide whether there is a score at all.
ROUGH_DOUBTS: dict[Rough, frozenset[str]] = {
    Rough.PRIVATE_UNKNOWN: HIDDEN_PRIVATE,
    Rough.FEEDBACK_BAND: frozenset({"feedback_band"}),
    Rough.YOUNG_OPEN: frozenset({"young_open"}),
}


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
    contracts: Sequence[Contract],
    as_of: date,
    case: Case,
    params: ModelParams = DEFAULT_PARAMS,
    doubts: frozenset[str] | None = None,
    pinned: frozenset[str] = frozenset(),
    known: _Known | None = None,
) -> list[Segment]:
    """Every contract's segments under one reading; with `doubts`, only contracts with one of those doubts
    take the reading, the others keep the likely one. Contracts with a `pinned` doubt take its best reading
    in every case (the range of the score if it is shown, see `score_range`). `known`: each contract's doubt
    and likely segments, found once for several readings of one ledger."""
    known = known or _Known.of(contracts, as_of, params)
    worst = worst_private_ids(contracts, as_of, params, known.found, known.shown_months) if case is Case.WORST else None
    segments: list[Segment] = []
    for c in contracts:
        unknown = known.found[c.id]
        if unknown is None or (
            unknown.reason not in pinned
            and (case is Case.LIKELY or doubts is not None and unknown.reason not in doubts)
        ):
            segments.extend(known.likely[c.id])
            continue
        reading = Case.BEST if unknown.reason in pinned else case
        key = (c.id, reading, worst is None or c.id in worst)
        if key not in known.readings:
            known.readings[key] = case_segments(c, as_of, reading, params, worst, unknown)
        segments.extend(known.readings[key])
    return segments


@dataclass(frozen=True, slots=True)
class _Known:
    """Each contract's doubt (or None) and its likely segments: every reading of a ledger starts from them.
    Keyed by contract id, unique in a ledger (Ledger validates it)."""

    found: dict[str, Unknown | None]
    likely: dict[str, list[Segment]]
    readings: dict[tuple[str, Case, bool], list[Segment]] = field(default_factory=dict)  # filled as asked
    shown_months: int | None = None  # the likely reading's displayed window (worst_private_ids); None: 24 months

    @classmethod
    def of(cls, contracts: Sequence[Contract], as_of: date, params: ModelParams) -> _Known:
        return cls(
            {c.id: unknowns(c, as_of, params) for c in contracts},
            {c.id: contract_segments(c, params, as_of=as_of) for c in contracts},
        )


def rough_reasons(
    contracts: Sequence[Contract],
    point: ScorePoint,
    found: Sequence[Unknown],
    as_of: date,
    params: ModelParams,
    known: _Known | None = None,
) -> tuple[Rough, ...]:
    """Why the likely estimate (`point`) is rough: few outcomes in the shown window; each kind of doubt the
    ledger has (ROUGH_DOUBTS) that alone could move it by more than ModelParams.rough_spread_points or
    decide whether there is a score; the inferred rules of an older date."""
    reasons: list[Rough] = []
    if point.raw is None:
        return ()
    if outcomes_behind(point) < params.rough_below_outcomes:
        reasons.append(Rough.FEW_OUTCOMES)
    present = {u.reason for u in found}
    for rough, doubts in ROUGH_DOUBTS.items():
        if not present & doubts:
            continue
        for case in (Case.WORST, Case.BEST):
            segments = case_ledger_segments(contracts, as_of, case, params, doubts, known=known)
            other = score_points(segments, [point.day], params)[0]
            if other.raw is None or abs(other.raw - point.raw) > params.rough_spread_points:
                reasons.append(rough)
                break
    if era_of(as_of).no_feedback_counts:
        reasons.append(Rough.OLDER_RULES)
    return tuple(reasons)


def outcomes_behind(point: ScorePoint) -> int:
    """How many outcomes the displayed score rests on: the most of any window showing that same score.

    The first of equal windows is the one named as shown (W-WINDOWS), but when the 24-month window scores the
    same 100 as the 6-month one, one new outcome moves the display only as much as it moves the longer window:
    20 jobs spotless over two years are not "few outcomes" because the last six months hold five. The trending
    score (W-TRENDING) rests on its longest window's outcomes."""
    if point.raw is None or point.best is None:
        return 0
    label = f"{max(rule_numbers().trending_months)}m" if point.best == TRENDING else point.best
    named = point.windows[label].outcomes if label in point.windows else 0
    tied = (w.outcomes for w in point.windows.values() if w.score is not None and abs(w.score - point.raw) < 1e-9)
    return max([named, *tied])


def score_range(contracts: Sequence[Contract], as_of: date, params: ModelParams = DEFAULT_PARAMS) -> ScoreRange:
    """Best / likely / worst on `as_of`. `low`/`high` bound all three: window minimums make the score not
    strictly monotone in one outcome, so the bounds are taken over the readings, never assumed."""
    day = update_day(as_of, era_of(as_of))  # the update the score reflects (W-CADENCE-LEGACY), as in score()
    known = _Known.of(contracts, as_of, params)
    likely_segments = [s for c in contracts for s in known.likely[c.id]]
    likely = score_points(likely_segments, [day], params)[0]
    known = replace(known, shown_months=shown_window_months(likely))
    found = tuple(u for c in contracts if (u := known.found[c.id]) is not None)
    pinned: frozenset[str] = frozenset()
    if likely.raw is None and any(u.reason == "young_open" for u in found):
        # No score in the model, but Upwork may count ongoing work as jobs already: then the range is that
        # of the score it would show (the young contracts at their best, every other doubt as usual).
        pinned = frozenset({"young_open"})
        likely_segments = case_ledger_segments(contracts, as_of, Case.LIKELY, params, pinned=pinned, known=known)
    extremes = []
    for case, pick in ((Case.BEST, max), (Case.WORST, min)):
        # Two readings each, never compounded: the unknown feedback at its best (worst) with the model's
        # formula, and the known outcomes with the formula's bound (L-ESTIMATOR). Compounding both gives
        # ranges too wide to help anyone; the lower (higher) of the two is the bound.
        segments = case_ledger_segments(contracts, as_of, case, params, pinned=pinned, known=known)
        unknown_side = score_points(segments, [day], params)[0]
        formula_side = score_points(likely_segments, [day], case_params(case, params))[0]
        extremes.append(pick(unknown_side, formula_side, key=_order))
    rough = rough_reasons(contracts, likely, found, as_of, params, known)
    return ScoreRange(extremes[0], likely, extremes[1], found, rough)


def shown_window_months(point: ScorePoint) -> int | None:
    """The length of the window whose score is displayed (W-WINDOWS); the trending score (W-TRENDING) is made
    of its windows, the longest of which holds all its outcomes. None: no score."""
    if point.best is None:
        return None
    if point.best == TRENDING:
        return max(rule_numbers().trending_months)
    return int(point.best.removesuffix("m"))


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
