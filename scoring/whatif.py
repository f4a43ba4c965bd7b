"""What-if: the same ledger under each thing the freelancer (or Upwork) could do with one contract.

Each scenario rewrites the contract, re-derives its segments and projects the whole ledger, so the
numbers include every interaction with the rest of the ledger (windows, best-of, eligibility).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .classify import Segment, contract_segments
from .dates import add_months
from .model import Contract, ContractKind, ContractStatus
from .params import DEFAULT_PARAMS, ModelParams
from .projection import update_days
from .rulebook import rule_numbers
from .uncertainty import Case, case_segments
from .windows import Shown, score_points_variants

HORIZONS_MONTHS = (0, 1, 3, 6, 12)


class Scenario(StrEnum):
    LEAVE_OPEN = "leave_open"
    CLOSE_NO_FEEDBACK = "close_no_feedback"
    CLOSE_GOOD = "close_good_feedback"
    CLOSE_POOR = "close_poor_feedback"
    UPWORK_HANDLING = "wait_for_upwork"
    REFUND = "refund"


SCENARIO_RULES: dict[Scenario, tuple[str, ...]] = {
    Scenario.LEAVE_OPEN: ("C-OPEN-INACTIVE-JSS", "E-CURRENT", "C-HOURLY-INACTIVE"),
    Scenario.CLOSE_NO_FEEDBACK: ("C-FL-CAN-END", "X-NO-FEEDBACK", "FB-WHO-ENDS"),
    Scenario.CLOSE_GOOD: ("FB-WHO-ENDS", "WT-EARNINGS-TIERS"),
    Scenario.CLOSE_POOR: ("FB-WHO-ENDS", "WT-BAD-BIG", "L-ESTIMATOR"),
    Scenario.UPWORK_HANDLING: ("C-FP-DORMANT", "C-FP-AUTO-RELEASE", "C-HOURLY-INACTIVE"),
    Scenario.REFUND: ("X-REFUND", "X-ZERO-POSITIVE", "X-ZERO-NEGATIVE"),
}


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    scenario: Scenario
    applicable: bool
    effective: date  # when the change happens
    money_at_risk_usd: Decimal  # escrow the freelancer would not receive
    points: dict[int, Shown]  # months ahead -> score shown then (the likely reading)
    rules: tuple[str, ...]
    note: str
    # months ahead -> lowest / highest displayed score over the best, likely and worst readings of what the
    # freelancer cannot know about the other contracts (private feedback, pending feedback, idle effect)
    low: dict[int, float | None] = field(default_factory=dict)
    high: dict[int, float | None] = field(default_factory=dict)

    @property
    def now(self) -> Shown:
        return self.points[0]


@dataclass(frozen=True, slots=True)
class WhatIf:
    contract_id: str
    as_of: date
    scenarios: tuple[ScenarioResult, ...]

    def get(self, scenario: Scenario) -> ScenarioResult:
        return next(s for s in self.scenarios if s.scenario is scenario)

    def delta(self, scenario: Scenario, months: int = 0) -> float | None:
        """Displayed-score difference of a scenario against leaving the contract open."""
        base = self.get(Scenario.LEAVE_OPEN).points[months].raw
        other = self.get(scenario).points[months].raw
        if base is None or other is None:
            return None
        return other - base


def ended_copy(contract: Contract, on: date, **changes: object) -> Contract:
    """The contract as if it ended on `on` (its last activity no earlier), with `changes` (stars, escrow...).

    A `model_copy`, not a dump and a validation: every value is already of its field's type (the callers
    pass days, Decimals and floats), and a what-if makes four of these per contract asked about (a tenth of
    an /advise's engine time when validated; issue 13). `on` is never before the start: it is the day asked
    or later, and contracts start on or before it."""
    if on < contract.started:
        raise ValueError(f"a contract cannot end ({on}) before it started ({contract.started})")
    update: dict[str, object] = {
        "status": ContractStatus.ENDED,
        "ended": on,
        "last_activity": max(contract.last_activity, on),
        **changes,
    }
    return contract.model_copy(update=update)


def segments_ending_on(
    open_contract: Contract, ended: Contract, params: ModelParams, as_of: date | None = None
) -> list[Segment]:
    """An open contract that ends on a future day: its open-phase segments up to then, its ended ones after."""
    assert ended.ended is not None
    end = ended.ended
    head = [s for s in contract_segments(open_contract, params, as_of=as_of) if s.start < end]
    clipped = [s._replace(end=min(s.end, end)) for s in head]
    return clipped + contract_segments(ended, params)


def _upwork_handling(
    c: Contract, as_of: date, params: ModelParams, as_it_is: list[Segment]
) -> tuple[list[Segment], date, Decimal, str, bool]:
    """C-FP-DORMANT / C-FP-AUTO-RELEASE: what Upwork itself does if nobody acts. `as_it_is`: the contract's
    segments as of `as_of` (`contract_segments(c, params, as_of=as_of)`, already derived by the caller)."""
    n = rule_numbers()
    if c.kind is ContractKind.FIXED and c.escrow_usd > 0 and c.is_open:
        if c.milestone_submitted is not None:
            release = max(as_of, c.milestone_submitted + timedelta(days=n.auto_release_days))
            paid = c.model_copy(
                update={
                    "earnings_usd": c.earnings_usd + c.escrow_usd,
                    "escrow_usd": Decimal(0),
                    "last_payment": release,
                    "last_activity": max(c.last_activity, release),
                }
            )
            # As it is until the release, paid from then on: the paid copy would otherwise count as a
            # long-term outcome from 90 days after the start, before the money has arrived.
            until = [s._replace(end=min(s.end, release)) for s in as_it_is if s.start < release]
            after = [
                s._replace(start=max(s.start, release)) for s in contract_segments(paid, params) if s.end > release
            ]
            return [*until, *after], release, Decimal(0), "auto_release", True
        clock = c.last_activity
        closes = clock + timedelta(
            days=n.dormant_day + n.dormant_client_days + n.dormant_freelancer_days + n.dormant_approve_days
        )
        closes = max(closes, as_of)
        ended = ended_copy(c, closes, escrow_usd=Decimal(0))
        return segments_ending_on(c, ended, params, as_of), closes, c.escrow_usd, "dormant_closure", True
    return as_it_is, as_of, Decimal(0), "no_auto_closure", False


def what_if(
    contracts: Sequence[Contract],
    contract_id: str,
    as_of: date,
    params: ModelParams = DEFAULT_PARAMS,
    ranges: bool = True,
    horizons: Sequence[int] = HORIZONS_MONTHS,
    segments: Sequence[Segment] | None = None,
) -> WhatIf:
    """Project the ledger under every scenario for one contract; open contracts only get close scenarios.

    `ranges` adds each scenario's best-worst band (three times the work); advice, which shows only the
    likely values, skips it. `horizons`: the months ahead scored (each scenario's `points`, `low` and
    `high` hold these); an answer showing fewer of them asks for those only (each costs a scoring pass
    per scenario), and gets the same numbers for them. `segments`: every contract's as of `as_of` under
    `params` (`score.all_segments`), when the caller has them already (advice shares them with its outlook).
    """
    target = next((c for c in contracts if c.id == contract_id), None)
    if target is None:
        raise KeyError(contract_id)
    if segments is None:
        others = [s for c in contracts if c.id != contract_id for s in contract_segments(c, params, as_of=as_of)]
        as_it_is = contract_segments(target, params, as_of=as_of)
    else:
        others = [s for s in segments if s.contract_id != contract_id]
        as_it_is = [s for s in segments if s.contract_id == contract_id]
    escrow = target.escrow_usd if target.kind is ContractKind.FIXED else Decimal(0)
    is_open = target.is_open
    variants: list[tuple[Scenario, list[Segment], date, Decimal, str, bool]] = [
        (Scenario.LEAVE_OPEN, as_it_is, as_of, Decimal(0), "", True)
    ]
    closures: dict[Scenario, dict[str, Any]] = {
        Scenario.CLOSE_NO_FEEDBACK: {},
        Scenario.CLOSE_GOOD: {"public_stars": params.good_feedback_stars},
        Scenario.CLOSE_POOR: {"public_stars": params.poor_feedback_stars},
        Scenario.REFUND: {"refunded_usd": target.earnings_usd},
    }
    for scenario, changes in closures.items():
        if is_open:
            closed = ended_copy(target, as_of, escrow_usd=Decimal(0), **changes)
            variants.append((scenario, contract_segments(closed, params), as_of, escrow, "", True))
        elif scenario is Scenario.REFUND and target.net_earnings > 0:
            refunded = target.model_copy(update=changes)
            variants.append((scenario, contract_segments(refunded, params), as_of, Decimal(0), "", True))
        else:
            variants.append((scenario, as_it_is, as_of, Decimal(0), "already_ended", False))
    segs, when, at_risk, note, applicable = _upwork_handling(target, as_of, params, as_it_is)
    variants.append((Scenario.UPWORK_HANDLING, segs, when, at_risk, note, applicable))
    # Only the horizon days are read, so score just those (the shown score on a day is the last update's).
    horizon = {m: add_months(as_of, m) for m in horizons}
    updates = update_days(as_of, max(horizon.values()), params.cadence, list(horizon.values()))
    shown_on = {m: updates[bisect_right(updates, day) - 1] for m, day in horizon.items()}
    score_days = sorted(set(shown_on.values()))
    own = [segs for _, segs, *_ in variants]
    scored = score_points_variants(others, own, score_days, params)
    # The same scenarios with the other contracts' unknowns read at their best and at their worst.
    spread = [
        score_points_variants(
            [s for c in contracts if c.id != contract_id for s in case_segments(c, as_of, case, params)],
            own,
            score_days,
            params,
        )
        for case in ((Case.BEST, Case.WORST) if ranges else ())
    ]
    at = {m: score_days.index(day) for m, day in shown_on.items()}  # months ahead -> position in score_days
    results = []
    for k, ((scenario, _, when, at_risk, note, applicable), points_on) in enumerate(zip(variants, scored, strict=True)):
        points = {m: points_on[i] for m, i in at.items()}
        low: dict[int, float | None] = {}
        high: dict[int, float | None] = {}
        for m, i in at.items():
            values = [v for v in (points[m].raw, *(other[k][i].raw for other in spread)) if v is not None]
            low[m], high[m] = (min(values), max(values)) if values else (None, None)
        rules = SCENARIO_RULES[scenario]
        results.append(ScenarioResult(scenario, applicable, when, at_risk, points, rules, note, low, high))
    return WhatIf(contract_id, as_of, tuple(results))
