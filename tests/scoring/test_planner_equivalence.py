"""The incremental planner gives exactly the plans of the original one, which re-scored the whole ledger
for every "what if this one closes today?" (kept below as the slow reference).

Random ledgers cover both ways the planner tells candidates apart: by key alone (many clients) and one
by one (few clients, where a closing can move a window's distinct-client count across a threshold).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal

import pytest

from scoring.advice import is_stale
from scoring.classify import Segment, contract_segments
from scoring.model import Contract, ContractKind
from scoring.params import DEFAULT_PARAMS, IdleOpenEffect, ModelParams
from scoring.planner import ClosingPlan, PlanStep, plan_closings
from scoring.projection import project
from scoring.rulebook import rule_numbers
from scoring.whatif import ended_copy, segments_ending_on
from scoring.windows import score_points

AS_OF = date(2025, 6, 1)


def _closed_segments(c: Contract, day: date, params: ModelParams, stars: float | None, as_of: date) -> list[Segment]:
    ended = ended_copy(c, day, escrow_usd=Decimal(0), public_stars=stars)
    return segments_ending_on(c, ended, params, as_of)


def reference_plan(
    contracts: Sequence[Contract],
    as_of: date,
    params: ModelParams = DEFAULT_PARAMS,
    contract_ids: Sequence[str] | None = None,
    expected_good: Mapping[str, date] | None = None,
) -> ClosingPlan:
    """The planner as it was before it became incremental: O(n^3) for a Top Rated user, obviously right."""
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
            skipped.append((cid, "funded_escrow"))
        elif c.disputed:
            skipped.append((cid, "disputed"))
        else:
            candidates.append(c)
    candidates.sort(key=lambda c: (c.last_activity, c.started, c.id))
    fixed: list[Segment] = []
    for c in contracts:
        if c.id in expected:
            fixed += _closed_segments(c, max(as_of, expected[c.id]), params, params.good_feedback_stars, as_of)
        elif c not in candidates:
            fixed += contract_segments(c, params, as_of=as_of)
    pending = {c.id: contract_segments(c, params, as_of=as_of) for c in candidates}
    now = score_points([*fixed, *(s for segs in pending.values() for s in segs)], [as_of], params)[0]
    top_rated = now.jss is not None and now.jss >= n.tr_min_jss
    goods = sorted((day, cid) for cid, day in expected.items())
    steps: list[PlanStep] = []
    closed: list[Segment] = []
    remaining = list(candidates)
    reordered = False

    def outcome(c: Contract, stars: float | None, at: date) -> int | None:
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


def random_ledger(rng: random.Random) -> list[Contract]:
    """Mostly 5-star history (a Top Rated user more often than not) and a mix of stale open contracts."""
    clients = [f"Client {k}" for k in range(rng.choice([1, 2, 3, 5, 40]))]
    contracts = []
    for i in range(rng.randrange(0, 45)):
        end = AS_OF - timedelta(days=rng.randrange(0, 800))
        contracts.append(
            Contract(
                id=f"e{i}",
                title="Job",
                client=rng.choice(clients),
                kind=rng.choice(["hourly", "fixed"]),
                status="ended",
                started=end - timedelta(days=rng.randrange(1, 400)),
                ended=end,
                last_activity=end,
                last_payment=end if rng.random() < 0.9 else None,
                earnings_usd=Decimal(rng.choice([0, 100, 300, 900, 2500, 7000])),
                public_stars=rng.choice([5.0] * 12 + [4.6, 4.2, 3.0, 1.0, None]),
                private_rating=rng.choice([None] * 6 + [10, 8, 5]),
            )
        )
    for i in range(rng.randrange(1, 25)):
        started = AS_OF - timedelta(days=rng.randrange(60, 900))
        last = max(started, AS_OF - timedelta(days=rng.choice([rng.randrange(0, 30), rng.randrange(30, 400)])))
        fixed = rng.random() < 0.15
        contracts.append(
            Contract(
                id=f"o{i}",
                title="Open",
                client=rng.choice(clients),
                kind="fixed" if fixed else "hourly",
                status=rng.choice(["active", "active", "paused"]),
                started=started,
                last_activity=last,
                last_payment=last if rng.random() < 0.85 else None,
                earnings_usd=Decimal(rng.choice([0, 120, 300, 900, 2500, 6000])),
                escrow_usd=Decimal(rng.choice([0, 0, 200])) if fixed else Decimal(0),
                disputed=rng.random() < 0.05,
                client_flagged=rng.random() < 0.05,
                close_requests=(last + timedelta(days=10),) if rng.random() < 0.5 and last < AS_OF else (),
            )
        )
    return contracts


PARAMS = [
    DEFAULT_PARAMS,
    ModelParams(planner_spacing_days=7),
    ModelParams(idle_open_effect=IdleOpenEffect.BAD),
    ModelParams(idle_open_effect=IdleOpenEffect.EXCLUDED, window_min_clients=1),
    ModelParams(window_min_clients=3, idle_open_weight=0.75, poor_feedback_stars=3.0),
]


@pytest.mark.parametrize("seed", range(120))
def test_same_plan_as_the_reference(seed: int) -> None:
    rng = random.Random(seed)
    contracts = random_ledger(rng)
    params = PARAMS[seed % len(PARAMS)]
    ids: list[str] | None = None
    if rng.random() < 0.2:
        ids = [c.id for c in rng.sample(contracts, min(len(contracts), 6))] + ["missing"]
    opens = [c for c in contracts if c.is_open and not is_stale(c, AS_OF, params)]
    expected = {c.id: AS_OF + timedelta(days=rng.randrange(0, 60)) for c in opens[:2]} if rng.random() < 0.3 else {}
    assert plan_closings(contracts, AS_OF, params, ids, expected) == reference_plan(
        contracts, AS_OF, params, ids, expected
    )
