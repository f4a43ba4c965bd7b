"""The published numbers the engine applies, read once from the rules catalogue.

Reading them through rule ids (instead of typing 250, 1000, 90 ... in the code) keeps the catalogue
the single place where a number can change, and lets every use cite where the number came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from .catalogue import load_catalogue


@dataclass(frozen=True, slots=True)
class RuleNumbers:
    tier_upper_usd: tuple[Decimal, ...]  # WT-EARNINGS-TIERS
    tier_weights: tuple[float, ...]  # WT-EARNINGS-TIERS
    months_per_bonus: int  # WT-EARNINGS-TIERS
    bonus_weight: float  # WT-EARNINGS-TIERS
    max_weight: float  # WT-EARNINGS-TIERS
    window_months: tuple[int, ...]  # W-WINDOWS
    trending_months: tuple[int, ...]  # W-TRENDING
    age_out_extra_days: int  # W-AGE-OUT
    max_months: int  # W-24MAX
    legacy_interval_days: int  # W-CADENCE-LEGACY
    legacy_anchor: date  # W-CADENCE-LEGACY
    legacy_known_updates: tuple[date, ...]  # W-CADENCE-LEGACY: reported update Sundays, oldest first
    min_jobs: int  # E-CURRENT
    min_clients: int  # E-CURRENT
    long_term_payment_days: int  # E-CURRENT
    feedback_days: int  # FB-14DAYS
    public_min_usd: Decimal  # FB-PUBLIC-MIN
    dormant_warning_days: tuple[int, ...]  # C-FP-DORMANT
    dormant_day: int  # C-FP-DORMANT
    dormant_client_days: int  # C-FP-DORMANT
    dormant_freelancer_days: int  # C-FP-DORMANT
    dormant_approve_days: int  # C-FP-DORMANT
    auto_release_days: int  # C-FP-AUTO-RELEASE
    self_close_idle_days: int  # C-SELF-CLOSE-2MO
    self_close_min_requests: int  # C-SELF-CLOSE-2MO
    client_email_days: int  # C-HOURLY-INACTIVE
    stagger_days: int  # L-STAGGER
    tr_min_jss: float  # B-TR
    tr_eligible_weeks: int  # B-TR
    tr_of_weeks: int  # B-TR
    tr_min_earnings_12mo: Decimal  # B-TR
    tr_min_account_age_days: int  # B-TR
    tr_activity_days: int  # B-TR


def _ints(value: object) -> tuple[int, ...]:
    assert isinstance(value, list)
    return tuple(int(v) for v in value)


def _dates(value: object) -> tuple[date, ...]:
    assert isinstance(value, list)
    return tuple(sorted(date.fromisoformat(str(v)) for v in value))


@cache
def rule_numbers() -> RuleNumbers:
    cat = load_catalogue()

    def num(rule_id: str, key: str) -> object:
        return cat.get(rule_id).number(key)

    def f(rule_id: str, key: str) -> float:
        value = num(rule_id, key)
        assert isinstance(value, (int, float))
        return float(value)

    def i(rule_id: str, key: str) -> int:
        value = num(rule_id, key)
        assert isinstance(value, (int, float))
        return int(value)

    tiers = num("WT-EARNINGS-TIERS", "tier_upper_usd")
    weights = num("WT-EARNINGS-TIERS", "tier_weights")
    assert isinstance(tiers, list) and isinstance(weights, list)
    return RuleNumbers(
        tier_upper_usd=tuple(Decimal(str(t)) for t in tiers),
        tier_weights=tuple(float(w) for w in weights),
        months_per_bonus=i("WT-EARNINGS-TIERS", "months_per_bonus"),
        bonus_weight=f("WT-EARNINGS-TIERS", "bonus_weight"),
        max_weight=f("WT-EARNINGS-TIERS", "max_weight"),
        window_months=_ints(num("W-WINDOWS", "months")),
        trending_months=_ints(num("W-TRENDING", "months")),
        age_out_extra_days=i("W-AGE-OUT", "extra_days"),
        max_months=i("W-24MAX", "months"),
        legacy_interval_days=i("W-CADENCE-LEGACY", "interval_days"),
        legacy_anchor=date.fromisoformat(str(num("W-CADENCE-LEGACY", "anchor"))),
        legacy_known_updates=_dates(num("W-CADENCE-LEGACY", "known_update_days")),
        min_jobs=i("E-CURRENT", "min_jobs"),
        min_clients=i("E-CURRENT", "min_clients"),
        long_term_payment_days=i("E-CURRENT", "long_term_payment_days"),
        feedback_days=i("FB-14DAYS", "days"),
        public_min_usd=Decimal(str(num("FB-PUBLIC-MIN", "min_usd"))),
        dormant_warning_days=_ints(num("C-FP-DORMANT", "warning_days")),
        dormant_day=i("C-FP-DORMANT", "dormant_day"),
        dormant_client_days=i("C-FP-DORMANT", "client_days"),
        dormant_freelancer_days=i("C-FP-DORMANT", "freelancer_days"),
        dormant_approve_days=i("C-FP-DORMANT", "approve_days"),
        auto_release_days=i("C-FP-AUTO-RELEASE", "days"),
        self_close_idle_days=i("C-SELF-CLOSE-2MO", "min_idle_days"),
        self_close_min_requests=i("C-SELF-CLOSE-2MO", "min_requests"),
        client_email_days=i("C-HOURLY-INACTIVE", "client_email_days"),
        stagger_days=i("L-STAGGER", "spacing_days"),
        tr_min_jss=f("B-TR", "min_jss"),
        tr_eligible_weeks=i("B-TR", "eligible_weeks"),
        tr_of_weeks=i("B-TR", "of_weeks"),
        tr_min_earnings_12mo=Decimal(str(num("B-TR", "min_earnings_12mo_usd"))),
        tr_min_account_age_days=i("B-TR", "min_account_age_days"),
        tr_activity_days=i("B-TR", "activity_days"),
    )
