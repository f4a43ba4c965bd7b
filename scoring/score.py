"""The score on one day: every window, the displayed value, eligibility, and each contract's part."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .cadence import update_day
from .classify import Classification, Segment, classify_segments, contract_segments
from .eras import CURRENT_ERA_RULE, Era, era_of
from .model import Contract
from .params import DEFAULT_PARAMS, ModelParams
from .rulebook import rule_numbers
from .windows import ScorePoint, score_points


@dataclass(frozen=True, slots=True)
class Eligibility:
    """E-CURRENT: enough eligible jobs from enough clients in 24 months, and what is missing if not."""

    eligible: bool
    jobs: int
    clients: int
    jobs_needed: int
    clients_needed: int
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScoreResult:
    as_of: date
    point: ScorePoint
    eligibility: Eligibility
    classifications: tuple[Classification, ...]
    rules: tuple[str, ...]
    era: Era  # the rules of as_of that were applied (eras.py)
    update_day: date  # the update the score reflects: as_of when daily, else the last update Sunday (cadence.py)

    @property
    def jss(self) -> int | None:
        return self.point.jss

    @property
    def raw(self) -> float | None:
        return self.point.raw


def all_segments(
    contracts: Sequence[Contract], params: ModelParams = DEFAULT_PARAMS, as_of: date | None = None
) -> list[Segment]:
    numbers = rule_numbers()
    era = era_of(as_of)  # the same for every contract: looked up once, not once a contract
    return [s for c in contracts for s in contract_segments(c, params, numbers, as_of, era)]


def eligibility_of(point: ScorePoint, era: Era | None = None) -> Eligibility:
    """What is missing for a score, by the minimums of `era` (default: the era of the point's day)."""
    numbers = rule_numbers()
    rules_of = era or era_of(point.day)
    full = point.windows[f"{numbers.max_months}m"]
    minimum = "E-CURRENT" if rules_of.rule in ("T-2023-12", CURRENT_ERA_RULE) else "E-HISTORY"
    rules = (minimum, "W-INACTIVITY") if not point.eligible else (minimum,)
    return Eligibility(
        eligible=point.eligible,
        jobs=full.eligible_jobs,
        clients=full.eligible_clients,
        jobs_needed=max(0, rules_of.min_jobs - full.eligible_jobs),
        clients_needed=max(0, rules_of.min_clients - full.eligible_clients),
        rules=rules,
    )


def score(contracts: Sequence[Contract], as_of: date, params: ModelParams = DEFAULT_PARAMS) -> ScoreResult:
    """Estimate the JSS on `as_of` from the ledger: windows, best-of, eligibility, per-contract reasons,
    with the rules in force on `as_of` (its era: what counts, weights, minimums)."""
    numbers = rule_numbers()
    # W-CADENCE-LEGACY: under the fortnightly rules the score shown on as_of is the last update's, computed with
    # that day's rules (a contract that ended after it is not in it yet).
    day = update_day(as_of, era_of(as_of))
    era = era_of(day)
    derived = [(c, contract_segments(c, params, numbers, as_of, era)) for c in contracts]
    point = score_points([s for _, segments in derived for s in segments], [day], params, era)[0]
    classifications = tuple(
        classify_segments(c, segments, as_of, numbers) for c, segments in sorted(derived, key=lambda d: d[0].id)
    )
    base = ("F-FORMULA", "W-WINDOWS", "W-TRENDING", "WT-EARNINGS-TIERS", "E-CURRENT")
    older = era.rules if era.rule != CURRENT_ERA_RULE else ()  # an answer about an older date cites its rules
    rules = dict.fromkeys([*base, *older, *(r for c in classifications for r in c.rules)])  # each once, in order
    return ScoreResult(as_of, point, eligibility_of(point, era), classifications, tuple(rules), era, day)
