"""Outcome classification: what one contract contributes to the score, and which rules decided it.

A contract's contribution changes over time even when nothing happens (an open contract stops being a
paid long-term relationship 90 days after its last payment; an idle one starts to count). So the core
function returns *segments*: from which day to which day the contract counts, how, and with what
date for the rolling windows. Classification "at a date" is just the segment covering that date.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from .dates import months_between
from .eras import Era, era_of
from .model import Contract, ContractStatus
from .params import DEFAULT_PARAMS, IdleOpenEffect, ModelParams
from .rulebook import RuleNumbers, rule_numbers


class OutcomeKind(StrEnum):
    GOOD = "good"
    BAD = "bad"
    NEUTRAL = "neutral"  # counts in the total only (dilutes)
    EXCLUDED = "excluded"
    PENDING = "pending"  # ended, feedback window still open: excluded for now (FB-14DAYS)


COUNTING = frozenset({OutcomeKind.GOOD, OutcomeKind.BAD, OutcomeKind.NEUTRAL})
FAR_FUTURE = date.max
YOUNG_OPEN_RULES = ("F-POSITIVE", "E-CURRENT")  # the segment of ongoing paid work under 90 days old (uncertainty.py)


class Segment(NamedTuple):
    """How a contract counts from `start` (inclusive) to `end` (exclusive).

    `dated` is the outcome's date for the rolling windows; None means "current": an ongoing paid
    long-term contract is inside every window while it lasts. A named tuple (immutable; change a copy
    with `_replace`) because every score derives a few per contract: it is five times cheaper to
    create than a frozen dataclass.
    """

    contract_id: str
    client: str
    kind: OutcomeKind
    weight: float
    start: date
    end: date
    dated: date | None
    rules: tuple[str, ...]
    reason: str
    eligible: bool = True  # E-CURRENT: an "eligible job" towards having a score at all

    @property
    def counts(self) -> bool:
        return self.kind in COUNTING


@dataclass(frozen=True, slots=True)
class Classification:
    """A contract's status for the score on one day."""

    contract_id: str
    client: str
    kind: OutcomeKind
    weight: float
    dated: date | None
    rules: tuple[str, ...]
    reason: str
    counts_from: date | None = None  # when an excluded open contract would start to count, if ever

    @property
    def counts(self) -> bool:
        return self.kind in COUNTING


def earnings_weight(contract: Contract, numbers: RuleNumbers | None = None, *, weighted: bool = True) -> float:
    """WT-EARNINGS-TIERS: tier weight by net earnings, +1 per 3 months with payments, capped at 8.

    The months with a payment are approximated by the span from start to last payment (the ledger
    does not list every payment). Before T-2020-03-SIZE (`weighted` False) every job weighed the same:
    the tier weight is that of the first tier, the length bonus stays ("longer-term contracts hold more
    weight", said the same announcement).
    """
    n = numbers or rule_numbers()
    net = contract.net_earnings
    # the first tier whose upper bound is >= net
    weight = n.tier_weights[bisect_left(n.tier_upper_usd, net)] if weighted else n.tier_weights[0]
    if contract.last_payment is not None and net:  # net earnings are never negative
        paid_span = months_between(contract.started, contract.last_payment)
        weight += (paid_span // n.months_per_bonus) * n.bonus_weight
    return min(weight, n.max_weight)


def feedback_kind(contract: Contract, params: ModelParams = DEFAULT_PARAMS) -> tuple[OutcomeKind | None, str]:
    """Map the client's feedback to good / neutral / bad. The mapping is a model (F-PUBLIC-EMPHASIS: UNKNOWN).

    A contract closed after the form change (T-FORM-CHANGE) has public stars only: a private rating on it
    is ignored."""
    private, stars = contract.private_rating, contract.public_stars
    if private is not None and contract.ended is not None and contract.ended >= params.private_feedback_until:
        private = None
    if private is not None and (params.private_overrides_public or stars is None):
        if private >= params.good_private_min:
            return OutcomeKind.GOOD, "F-PRIVATE-FB"
        if private < params.bad_private_below:
            return OutcomeKind.BAD, "F-PRIVATE-FB"
        return OutcomeKind.NEUTRAL, "F-PRIVATE-FB"
    if stars is not None:
        if stars >= params.good_stars_min:
            return OutcomeKind.GOOD, "F-PUBLIC-EMPHASIS"
        if stars < params.bad_stars_below:
            return OutcomeKind.BAD, "F-PUBLIC-EMPHASIS"
        return OutcomeKind.NEUTRAL, "F-PUBLIC-EMPHASIS"
    return None, "X-NO-FEEDBACK"


def _ended_segments(c: Contract, params: ModelParams, n: RuleNumbers, era: Era) -> list[Segment]:
    assert c.ended is not None
    end = c.ended
    weighted = era.earnings_weighted

    def seg(kind: OutcomeKind, weight: float, rules: tuple[str, ...], reason: str) -> Segment:
        return Segment(c.id, c.client, kind, weight, end, FAR_FUTURE, end, rules, reason)

    if c.client_flagged:
        return [seg(OutcomeKind.EXCLUDED, 0.0, ("X-FLAGGED-CLIENT",), "client flagged or suspended by Upwork")]
    zero = c.net_earnings < n.public_min_usd
    if c.disputed:
        weight = 1.0 if zero else earnings_weight(c, n, weighted=weighted)
        return [seg(OutcomeKind.BAD, weight, ("X-DISPUTE", "WT-EARNINGS-TIERS"), "disputed")]
    kind, fb_rule = feedback_kind(c, params)
    refund = ("X-REFUND",) if c.refunded_usd else ()
    if kind is None:
        pending_until = end + timedelta(days=n.feedback_days + 1)
        excluded = seg(OutcomeKind.EXCLUDED, 0.0, ("X-NO-FEEDBACK",), "ended without feedback")
        pending = Segment(
            c.id,
            c.client,
            OutcomeKind.PENDING,
            0.0,
            end,
            pending_until,
            end,
            ("FB-14DAYS", "FB-DOUBLE-BLIND"),
            "feedback window still open",
        )
        if era.no_feedback_counts:  # X-NO-FEEDBACK before T-2020-11-NOFB: it was an outcome
            legacy = _legacy_no_feedback(c, params, n, era, pending_until, "ended without feedback")
            return [pending, legacy]
        return [pending, excluded._replace(start=pending_until)]
    if zero and era.zero_positive_counts and kind is not OutcomeKind.BAD:  # before T-2020-03-SIZE
        rules = ("X-ZERO-POSITIVE", era.rule, fb_rule, *refund)
        return [
            seg(kind, earnings_weight(c, n, weighted=weighted), rules, f"no earnings, {kind} feedback (older rules)")
        ]
    if zero:
        if kind is OutcomeKind.BAD:
            return [seg(OutcomeKind.BAD, 1.0, ("X-ZERO-NEGATIVE", fb_rule, *refund), "no earnings, negative feedback")]
        rules = ("X-ZERO-POSITIVE", fb_rule, *refund)
        return [seg(OutcomeKind.EXCLUDED, 0.0, rules, "no earnings, feedback not negative")]
    rules = (fb_rule, "WT-EARNINGS-TIERS", *refund)
    return [seg(kind, earnings_weight(c, n, weighted=weighted), rules, f"ended with {kind} feedback")]


def _legacy_no_feedback(
    c: Contract, params: ModelParams, n: RuleNumbers, era: Era, start: date, reason: str
) -> Segment:
    """X-NO-FEEDBACK before T-2020-11-NOFB: a job without feedback counted from `start` (closed, or idle).

    Paid: a small neutral outcome ('mostly excluded', could lower the score 'a little'); unpaid: a bad
    outcome ("can lower it significantly"). Either is an outcome whose client counts toward the 3 clients of
    E-HISTORY: T-2020-11-NOFB lowered that minimum to 2 because excluding these outcomes left some
    freelancers short of "enough outcomes with different clients"."""
    paid = c.net_earnings >= n.public_min_usd
    if paid:
        kind, weight = OutcomeKind.NEUTRAL, params.legacy_paid_no_feedback_weight
    else:
        kind, weight = OutcomeKind.BAD, params.legacy_unpaid_no_feedback_weight
    rules = ("X-NO-FEEDBACK", era.rule)
    return Segment(c.id, c.client, kind, weight, start, FAR_FUTURE, start, rules, reason)


def _open_segments(c: Contract, params: ModelParams, n: RuleNumbers, as_of: date | None, era: Era) -> list[Segment]:
    """An open contract over time: a stale one gets no new payments; an active one (as of `as_of`) keeps
    being paid when params.assume_active_continues (the projection's premise)."""
    if c.client_flagged:
        return [
            Segment(
                c.id,
                c.client,
                OutcomeKind.EXCLUDED,
                0.0,
                c.started,
                FAR_FUTURE,
                None,
                ("X-FLAGGED-CLIENT",),
                "client flagged or suspended by Upwork",
            )
        ]
    segments: list[Segment] = []
    weight = earnings_weight(c, n, weighted=era.earnings_weighted)
    if c.disputed:
        return [
            Segment(
                c.id,
                c.client,
                OutcomeKind.BAD,
                weight,
                c.last_activity,
                FAR_FUTURE,
                None,
                ("X-DISPUTE",),
                "open dispute",
            )
        ]
    paid = c.last_payment is not None and c.net_earnings >= n.public_min_usd
    if not paid and era.no_feedback_counts:
        # X-NO-FEEDBACK / C-OPEN-INACTIVE-JSS before T-2020-11-NOFB: an unpaid contract counted once it was
        # paused (by the client, or by Upwork's auto-pause after C-HOURLY-INACTIVE's 30 idle days).
        paused = c.status is not ContractStatus.ACTIVE
        start = c.last_activity if paused else c.last_activity + timedelta(days=n.client_email_days)
        return [_legacy_no_feedback(c, params, n, era, start, "open, unpaid and paused or idle (older rules)")]
    if paid:
        assert c.last_payment is not None
        long_term_from = c.started + timedelta(days=n.long_term_payment_days)
        lapse = c.last_payment + timedelta(days=n.long_term_payment_days + 1)
        ongoing = (
            as_of is not None
            and params.assume_active_continues
            and (as_of - c.last_activity).days < params.stale_after_days
        )
        if ongoing:
            lapse = FAR_FUTURE
        if params.young_open_weight > 0 and c.status is ContractStatus.ACTIVE and c.started < lapse:
            segments.append(
                Segment(
                    c.id,
                    c.client,
                    OutcomeKind.GOOD,
                    min(weight, params.young_open_weight),
                    c.started,
                    min(long_term_from, lapse),
                    None,
                    YOUNG_OPEN_RULES,
                    "open, paid, under 90 days old: ongoing work, modelled as a small good outcome",
                    eligible=False,
                )
            )
        if long_term_from < lapse:
            segments.append(
                Segment(
                    c.id,
                    c.client,
                    OutcomeKind.GOOD,
                    weight,
                    long_term_from,
                    lapse,
                    None,
                    ("E-CURRENT", "WT-LONG-TERM", "WT-EARNINGS-TIERS"),
                    "open long-term contract with a payment in the last 90 days",
                )
            )
        idle_from = c.last_payment + timedelta(days=params.idle_open_after_days)
        if params.idle_open_effect is not IdleOpenEffect.EXCLUDED and not ongoing:
            kind = OutcomeKind.NEUTRAL if params.idle_open_effect is IdleOpenEffect.NEUTRAL else OutcomeKind.BAD
            idle_start = max(idle_from, segments[-1].end if segments else idle_from)
            segments.append(
                Segment(
                    c.id,
                    c.client,
                    kind,
                    params.idle_open_weight,
                    idle_start,
                    FAR_FUTURE,
                    idle_start,
                    ("C-OPEN-INACTIVE-JSS",),
                    "open with no payment for months: Upwork does not publish how this counts, so this is our model",
                    eligible=False,
                )
            )
    return segments


def contract_segments(
    contract: Contract,
    params: ModelParams = DEFAULT_PARAMS,
    numbers: RuleNumbers | None = None,
    as_of: date | None = None,
    era: Era | None = None,
) -> list[Segment]:
    """Every period in which the contract counts (or is pending), in date order. Gaps mean excluded.

    The rules are those of `era`, else of the era in force on `as_of` (today's without a date)."""
    n = numbers or rule_numbers()
    rules_of = era or era_of(as_of)
    if contract.ended is not None:
        return _ended_segments(contract, params, n, rules_of)
    return _open_segments(contract, params, n, as_of, rules_of)


def _excluded(
    contract: Contract, dated: date | None, rules: tuple[str, ...], reason: str, counts_from: date | None = None
) -> Classification:
    """A contract that does not count (weight 0), with the rules that say so and why, in a few words."""
    return Classification(contract.id, contract.client, OutcomeKind.EXCLUDED, 0.0, dated, rules, reason, counts_from)


def classify(contract: Contract, at: date, params: ModelParams = DEFAULT_PARAMS) -> Classification:
    """The contract's status for the score on `at`, with the rule ids that decided it."""
    n = rule_numbers()
    return classify_segments(contract, contract_segments(contract, params, n, at), at, n)


def classify_segments(
    contract: Contract, segments: Sequence[Segment], at: date, numbers: RuleNumbers | None = None
) -> Classification:
    """`classify` from the contract's segments as already derived for `at` (as `score` does)."""
    n = numbers or rule_numbers()
    for s in segments:
        if s.start <= at < s.end:
            return Classification(s.contract_id, s.client, s.kind, s.weight, s.dated, s.rules, s.reason)
    later = [s for s in segments if s.start > at and s.counts]
    counts_from = later[0].start if later else None
    if contract.ended is not None:
        return _excluded(
            contract, contract.ended, segments[-1].rules if segments else ("X-NO-FEEDBACK",), "not counted"
        )
    if contract.client_flagged:
        return _excluded(contract, None, ("X-FLAGGED-CLIENT",), "client flagged or suspended by Upwork")
    if contract.last_payment is None or contract.net_earnings < n.public_min_usd:
        return _excluded(contract, None, ("C-OPEN-INACTIVE-JSS", "X-NO-FEEDBACK"), "open and unpaid: not counted")
    if at < contract.started + timedelta(days=n.long_term_payment_days):
        reason = "open for under 90 days: not counted yet"
    else:
        reason = "open, no payment in the last 90 days: not counted yet"
    return _excluded(contract, None, ("E-CURRENT", "C-OPEN-INACTIVE-JSS"), reason, counts_from)
