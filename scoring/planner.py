"""Closing planner: a dated, staggered schedule for closing stale contracts yourself.

L-STAGGER and C-SELF-CLOSE-2MO: one at a time, a couple of weeks apart, oldest first, right after a
contract that ends with good feedback. B-TR: for a Top Rated user the order is changed when the
oldest-first step would risk dropping below 90 % and another contract would not.

Cost: the ledger is swept once, forward, as the plan's days advance (`LiveWindows`), and each "what if
this one closes today?" applies only that contract's difference (`CandidatePool`), so a plan is about
linear in the ledger (before: every question re-scored the whole ledger, O(n^3) for a Top Rated user).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .advice import is_stale
from .classify import Segment, contract_segments
from .livewindows import LiveWindows, placed
from .model import Contract, ContractKind
from .params import DEFAULT_PARAMS, ModelParams
from .plan_pool import Candidate, CandidatePool
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
    planned = set(candidates)  # hashed: a list lookup per contract made this part quadratic
    fixed: list[Segment] = []
    for c in contracts:
        if c.id in expected:
            fixed += _closed_segments(c, max(as_of, expected[c.id]), params, params.good_feedback_stars, as_of)
        elif c not in planned:
            fixed += contract_segments(c, params, as_of=as_of)
    live = LiveWindows(params, as_of)
    for s in fixed:
        live.add(placed(s))
    pool = CandidatePool(candidates, params, live, as_of)
    # One ordinary sweep for today's score, summed in the same order as `score` sums it.
    now = score_points([*fixed, *(s for cand in pool.all for s, _ in cand.pending)], [as_of], params)[0]
    top_rated = now.jss is not None and now.jss >= n.tr_min_jss  # the displayed (rounded) JSS, as B-TR reads it
    goods = sorted((day, cid) for cid, day in expected.items())
    steps: list[PlanStep] = []
    closed: list[Segment] = []
    reordered = False

    poor = params.poor_feedback_stars

    def risky(c: Candidate) -> bool:
        """B-TR: closing `c` today could show under 90 % (the second question only if the first passes)."""
        return any((v := pool.outcome(c, stars)) is None or v < n.tr_min_jss for stars in (None, poor))

    day = as_of
    while pool.left:
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
        pool.advance(day)
        oldest = pool.first()
        # The oldest candidate whose closing keeps a Top Rated user at 90 % (B-TR); else the oldest.
        choice = next((c for c in pool.in_order() if not risky(c)), None) if top_rated else oldest
        risk = choice is None
        choice = choice or oldest
        likely, worst = pool.outcome(choice, None), pool.outcome(choice, poor)
        reordered = reordered or choice is not oldest
        ending = _closed_segments(choice.contract, day, params, None, as_of)
        pool.close(choice, ending)
        closed += ending
        c = choice.contract
        rules = ["L-STAGGER", "C-SELF-CLOSE-2MO", "X-NO-FEEDBACK", "FB-WHO-ENDS"]
        if not c.close_requests:
            rules.insert(2, "C-CLOSE-ADVICE")
        if top_rated:
            rules.append("B-TR")
        steps.append(PlanStep(day, c.id, not c.close_requests, after_good, likely, worst, risk, tuple(rules)))
    projection = project(contracts, as_of, params, segments=[*fixed, *closed])
    return ClosingPlan(
        as_of, params.planner_spacing_days, top_rated, now.jss, tuple(steps), tuple(skipped), reordered, projection
    )
