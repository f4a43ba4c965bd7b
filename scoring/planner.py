"""Closing planner: a dated, staggered schedule for closing stale contracts yourself.

L-STAGGER and C-SELF-CLOSE-2MO: one at a time, a couple of weeks apart, oldest first, right after a
contract that ends with good feedback. B-TR: for a Top Rated user the order is changed when the
oldest-first step would risk dropping below 90 % and another contract would not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .advice import is_stale
from .classify import Segment, contract_segments
from .model import Contract, ContractKind
from .params import DEFAULT_PARAMS, ModelParams
from .projection import Projection, project
from .rulebook import rule_numbers
from .whatif import ended_copy, segments_ending_on
from .windows import score_points


@dataclass(frozen=True, slots=True)
class PlanStep:
    day: date
    contract_id: str
    ask_first: bool  # the client has not been asked yet (C-CLOSE-ADVICE)
    after_good: str | None  # the good ending this closing follows (L-STAGGER)
    jss_likely: int | None  # closed without feedback (X-NO-FEEDBACK)
    jss_worst: int | None  # the client answers the closing with poor feedback (FB-WHO-ENDS)
    top_rated_risk: bool
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClosingPlan:
    as_of: date
    spacing_days: int
    top_rated: bool
    jss_now: int | None
    steps: tuple[PlanStep, ...]
    skipped: tuple[tuple[str, str], ...]  # (contract id, reason key)
    reordered: bool
    projection: Projection


def _closed_segments(c: Contract, day: date, params: ModelParams, stars: float | None, as_of: date) -> list[Segment]:
    ended = ended_copy(c, day, escrow_usd=Decimal(0), public_stars=stars)
    return segments_ending_on(c, ended, params, as_of)


def plan_closings(
    contracts: Sequence[Contract],
    as_of: date,
    params: ModelParams = DEFAULT_PARAMS,
    contract_ids: Sequence[str] | None = None,
    expected_good: Mapping[str, date] | None = None,
) -> ClosingPlan:
    """Schedule self-closings of stale contracts (or of `contract_ids`), with the score after each step."""
    n = rule_numbers()
    by_id = {c.id: c for c in contracts}
    expected = {cid: day for cid, day in (expected_good or {}).items() if cid in by_id and by_id[cid].is_open}
    wanted = (
        list(contract_ids)
        if contract_ids is not None
        else [c.id for c in contracts if is_stale(c, as_of, params) and c.id not in expected]
    )
    skipped: list[tuple[str, str]] = []
    candidates: list[Contract] = []
    for cid in dict.fromkeys(wanted):
        c = by_id.get(cid)
        if c is None:
            skipped.append((cid, "unknown"))
        elif not c.is_open:
            skipped.append((cid, "already_ended"))
        elif c.kind is ContractKind.FIXED and c.escrow_usd > 0:
            skipped.append((cid, "funded_escrow"))  # C-FL-CAN-END: ending returns the escrow to the client
        elif c.disputed:
            skipped.append((cid, "disputed"))
        else:
            candidates.append(c)
    candidates.sort(key=lambda c: (c.last_activity, c.started, c.id))  # oldest first
    fixed: list[Segment] = []
    for c in contracts:
        if c.id in expected:
            fixed += _closed_segments(c, max(as_of, expected[c.id]), params, params.good_feedback_stars, as_of)
        elif c not in candidates:
            fixed += contract_segments(c, params, as_of=as_of)
    pending = {c.id: contract_segments(c, params, as_of=as_of) for c in candidates}
    now = score_points([*fixed, *(s for segs in pending.values() for s in segs)], [as_of], params)[0]
    top_rated = now.jss is not None and now.jss >= n.tr_min_jss  # the displayed (rounded) JSS, as B-TR reads it
    goods = sorted((day, cid) for cid, day in expected.items())
    steps: list[PlanStep] = []
    closed: list[Segment] = []
    remaining = list(candidates)
    reordered = False

    def outcome(c: Contract, stars: float | None, at: date) -> int | None:
        """The JSS on `at` if `c` is closed that day (after the steps so far), the rest left open."""
        others = [s for o in remaining if o.id != c.id for s in pending[o.id]]
        segs = [*fixed, *closed, *others, *_closed_segments(c, at, params, stars, as_of)]
        return score_points(segs, [at], params)[0].jss

    day = as_of
    while remaining:
        if steps:
            day = steps[-1].day + timedelta(days=params.planner_spacing_days)
        after_good = None
        good = next(
            (
                (d, cid)
                for d, cid in goods
                if day - timedelta(days=1) <= d < day + timedelta(days=params.planner_spacing_days)
            ),
            None,
        )
        if good is not None:
            goods.remove(good)
            day, after_good = max(day, good[0] + timedelta(days=1)), good[1]
        choice, likely, worst, risk = remaining[0], None, None, False
        for c in remaining:
            likely, worst = outcome(c, None, day), outcome(c, params.poor_feedback_stars, day)
            risk = top_rated and any(v is None or v < n.tr_min_jss for v in (likely, worst))
            if not risk or not top_rated:
                choice = c
                break
        else:
            choice, risk = remaining[0], True
            likely, worst = outcome(choice, None, day), outcome(choice, params.poor_feedback_stars, day)
        reordered = reordered or choice is not remaining[0]
        remaining.remove(choice)
        closed += _closed_segments(choice, day, params, None, as_of)
        rules = ["L-STAGGER", "C-SELF-CLOSE-2MO", "X-NO-FEEDBACK", "FB-WHO-ENDS"]
        if not choice.close_requests:
            rules.insert(2, "C-CLOSE-ADVICE")
        if top_rated:
            rules.append("B-TR")
        steps.append(PlanStep(day, choice.id, not choice.close_requests, after_good, likely, worst, risk, tuple(rules)))
    projection = project(contracts, as_of, params, segments=[*fixed, *closed])
    return ClosingPlan(
        as_of, params.planner_spacing_days, top_rated, now.jss, tuple(steps), tuple(skipped), reordered, projection
    )
