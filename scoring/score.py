"""The score on one day: every window, the displayed value, eligibility, and each contract's part."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .classify import Classification, Segment, classify_segments, contract_segments
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
    return [s for c in contracts for s in contract_segments(c, params, numbers, as_of)]


def eligibility_of(point: ScorePoint) -> Eligibility:
    numbers = rule_numbers()
    full = point.windows[f"{numbers.max_months}m"]
    rules = ("E-CURRENT", "W-INACTIVITY") if not point.eligible else ("E-CURRENT",)
    return Eligibility(
        eligible=point.eligible,
        jobs=full.eligible_jobs,
        clients=full.eligible_clients,
        jobs_needed=max(0, numbers.min_jobs - full.eligible_jobs),
        clients_needed=max(0, numbers.min_clients - full.eligible_clients),
        rules=rules,
    )


def score(contracts: Sequence[Contract], as_of: date, params: ModelParams = DEFAULT_PARAMS) -> ScoreResult:
    """Estimate the JSS on `as_of` from the ledger: windows, best-of, eligibility, per-contract reasons."""
    numbers = rule_numbers()
    derived = [(c, contract_segments(c, params, numbers, as_of)) for c in contracts]
    point = score_points([s for _, segments in derived for s in segments], [as_of], params)[0]
    classifications = tuple(
        classify_segments(c, segments, as_of, numbers) for c, segments in sorted(derived, key=lambda d: d[0].id)
    )
    base = ("F-FORMULA", "W-WINDOWS", "W-TRENDING", "WT-EARNINGS-TIERS", "E-CURRENT")
    rules = dict.fromkeys([*base, *(r for c in classifications for r in c.rules)])  # each once, first seen first
    return ScoreResult(as_of, point, eligibility_of(point), classifications, tuple(rules))
