"""The model's own assumptions, in one place.

Upwork does not publish its formula (F-FORMULA). Every number below is *ours*: a modelling choice
where the rules catalogue says UNKNOWN or gives only lore. Each field names the rule it stands in
for, so an answer can say "this part is a model, not a published rule". Published numbers (earnings
tiers, window lengths, dormancy days, ...) live in the rules catalogue, not here.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Cadence(StrEnum):
    DAILY = "daily"  # W-CADENCE-CURRENT
    BIWEEKLY_SUNDAY = "biweekly"  # W-CADENCE-LEGACY


class IdleOpenEffect(StrEnum):
    """What an open contract with no payment for a long time does to the score (C-OPEN-INACTIVE-JSS: UNKNOWN)."""

    EXCLUDED = "excluded"
    NEUTRAL = "neutral"
    BAD = "bad"


class ModelParams(BaseModel):
    """Tunable assumptions of the JSS model; defaults are the calibrated ones.

    See tests/scoring/test_calibration.py."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bad_penalty: float = Field(
        0.5,
        ge=0,
        le=1,
        description="L-ESTIMATOR / F-FORMULA: a bad outcome subtracts this many times its weight from the "
        "good weight. 1.0 is the literal (good - bad) / total; 0.5 fits the forum data points (L-*).",
    )
    good_stars_min: float = Field(
        4.5,
        description="F-PUBLIC-EMPHASIS: public stars at or above this count as a good outcome (mapping UNKNOWN).",
    )
    bad_stars_below: float = Field(
        4.0,
        description="F-PUBLIC-EMPHASIS / L-ONE-BAD-15: public stars below this count as a bad outcome; "
        "between the two thresholds the outcome is neutral (counts in the total only).",
    )
    good_private_min: int = Field(
        9, description="F-PRIVATE-FB: private 'would recommend' answers at or above this are good (NPS lore)."
    )
    bad_private_below: int = Field(
        7, description="F-PRIVATE-FB: private answers below this are bad; 7-8 are neutral (NPS lore)."
    )
    private_overrides_public: bool = Field(
        True,
        description="F-PRIVATE-FB / WT-PRIVATE-VS-PUBLIC: when the private rating is known it decides the "
        "outcome (it dominated until T-FORM-CHANGE).",
    )
    idle_open_after_days: int = Field(
        90,
        ge=1,
        description="C-OPEN-INACTIVE-JSS: an open contract with no payment (or, unpaid, no activity) for "
        "this many days starts to count as a closed one would ('several months'; exact rule UNKNOWN).",
    )
    idle_open_effect: IdleOpenEffect = Field(
        IdleOpenEffect.NEUTRAL,
        description="C-OPEN-INACTIVE-JSS: how a long-idle open contract that earned money counts "
        "(INFERRED 'probably neutral'). Unpaid idle contracts are always excluded.",
    )
    idle_open_weight: float = Field(
        0.5,
        ge=0,
        description="C-OPEN-INACTIVE-JSS / L-INACTIVE-OPEN: the weight of a long-idle open contract when it "
        "counts. Lore reports small effects (a couple of idle contracts: 99 -> 97), so a fraction of a job.",
    )
    assume_active_continues: bool = Field(
        True,
        description="Projection premise: an open contract with activity in the last `stale_after_days` keeps "
        "being paid (so it stays a long-term outcome, E-CURRENT); stale ones get no new payments.",
    )
    window_min_outcomes: int = Field(
        2, ge=1, description="W-TRENDING: 'enough qualifying outcomes' for a window to have a score (UNKNOWN)."
    )
    window_min_clients: int = Field(
        2, ge=1, description="W-TRENDING: 'from enough clients' for a window to have a score (UNKNOWN)."
    )
    stale_after_days: int = Field(
        30,
        ge=1,
        description="C-CLOSE-ADVICE / C-HOURLY-INACTIVE: days without activity before an open contract is "
        "stale and worth asking the client about (Upwork emails the client at 30 days).",
    )
    recheck_after_request_days: int = Field(
        14, ge=1, description="C-SELF-CLOSE-2MO: days to give the client after asking before asking again."
    )
    planner_spacing_days: int = Field(
        14, ge=1, description="L-STAGGER: days between two self-closed contracts in a plan."
    )
    projection_months: int = Field(24, ge=1, le=60, description="W-24MAX: how far projections look ahead.")
    poor_feedback_stars: float = Field(
        2.0, description="What-if 'close with poor feedback' and worst cases: the stars assumed."
    )
    good_feedback_stars: float = Field(5.0, description="What-if 'close with good feedback': the stars assumed.")
    private_feedback_until: date = Field(
        date(2025, 6, 1),
        description="T-FORM-CHANGE (date UNKNOWN): contracts that ended before this may carry a private rating the "
        "freelancer cannot see, so their outcome is uncertain even with public stars (F-PRIVATE-FB).",
    )
    bad_private_rating: int = Field(
        4, ge=0, le=10, description="Uncertainty worst case: the private rating assumed when it is unknown."
    )
    cadence: Cadence = Field(Cadence.DAILY, description="W-CADENCE-CURRENT (daily) or W-CADENCE-LEGACY.")


DEFAULT_PARAMS = ModelParams()
