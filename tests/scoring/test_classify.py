"""Outcome classification: each rule path, with the rule ids that decided it."""

from __future__ import annotations

from datetime import date

import pytest

from scoring.classify import OutcomeKind, classify, contract_segments, earnings_weight, feedback_kind
from scoring.params import DEFAULT_PARAMS, IdleOpenEffect, ModelParams
from tests.builders import days, ended, open_contract

AS_OF = date(2025, 6, 1)
RECENT = AS_OF - days(30)  # ended a month ago: past the 14-day feedback window


# --- WT-EARNINGS-TIERS ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earnings", "weight"),
    [
        ("1", 1.0),
        ("100", 1.0),
        ("250", 1.0),
        ("250.01", 1.25),
        ("999.99", 1.25),
        ("1000", 1.25),
        ("1000.01", 1.5),
        ("25000", 1.5),
    ],
)
def test_earnings_tiers(earnings: str, weight: float) -> None:
    c = ended("t", RECENT, earnings=earnings)  # a 30-day job: no long-term bonus
    assert earnings_weight(c) == weight
    got = classify(c, AS_OF)
    assert got.kind is OutcomeKind.GOOD
    assert got.weight == weight
    assert "WT-EARNINGS-TIERS" in got.rules


@pytest.mark.parametrize(
    ("start", "last_payment", "bonus"),
    [
        (date(2024, 1, 1), date(2024, 3, 31), 0),  # 2 whole months with payments
        (date(2024, 1, 1), date(2024, 4, 1), 1),  # 3 months: +1
        (date(2024, 1, 1), date(2024, 6, 30), 1),  # 5 months
        (date(2024, 1, 1), date(2024, 7, 1), 2),  # 6 months: +2
        (date(2024, 1, 1), date(2025, 1, 1), 4),  # a year: +4 (the catalogue's 1.5 + 4 = 5.5 example)
    ],
)
def test_long_term_bonus_one_per_three_paid_months(start: date, last_payment: date, bonus: int) -> None:
    c = ended("lt", date(2025, 5, 1), started=start, last_payment=last_payment, earnings=5000)
    assert earnings_weight(c) == 1.5 + bonus


def test_weight_is_capped_at_eight() -> None:
    three_years = ended("cap", date(2025, 5, 1), started=date(2022, 5, 1), earnings=90000)
    assert 1.5 + 12 > 8
    assert earnings_weight(three_years) == 8.0
    assert classify(three_years, AS_OF).weight == 8.0


def test_no_bonus_without_payment() -> None:
    unpaid = ended("np", date(2025, 5, 1), started=date(2024, 1, 1), last_payment=None, earnings=0, stars=1.0)
    assert earnings_weight(unpaid) == 1.0


# --- X-NO-FEEDBACK and FB-14DAYS --------------------------------------------------------------------


def test_ended_without_feedback_is_excluded() -> None:
    c = ended("nf", RECENT, stars=None)
    got = classify(c, AS_OF)
    assert got.kind is OutcomeKind.EXCLUDED and not got.counts
    assert got.rules == ("X-NO-FEEDBACK",)


def test_feedback_window_is_pending_for_14_days() -> None:
    end = date(2025, 5, 20)
    c = ended("pend", end, stars=None)
    for day in (end, end + days(7), end + days(14)):  # day 14 is still open (deadline midnight UTC)
        got = classify(c, day)
        assert got.kind is OutcomeKind.PENDING, day
        assert "FB-14DAYS" in got.rules
        assert not got.counts
    after = classify(c, end + days(15))
    assert after.kind is OutcomeKind.EXCLUDED
    assert after.rules == ("X-NO-FEEDBACK",)


def test_feedback_given_counts_immediately() -> None:
    c = ended("fb", AS_OF, stars=5.0)
    assert classify(c, AS_OF).kind is OutcomeKind.GOOD


# --- $0 contracts, refunds -------------------------------------------------------------------------


def test_zero_earnings_positive_feedback_is_excluded() -> None:
    got = classify(ended("z", RECENT, earnings=0, last_payment=None, stars=5.0), AS_OF)
    assert got.kind is OutcomeKind.EXCLUDED
    assert "X-ZERO-POSITIVE" in got.rules


def test_zero_earnings_neutral_feedback_is_excluded() -> None:
    got = classify(ended("z", RECENT, earnings=0, last_payment=None, stars=4.0), AS_OF)
    assert got.kind is OutcomeKind.EXCLUDED
    assert "X-ZERO-POSITIVE" in got.rules


def test_zero_earnings_negative_feedback_counts_bad_at_weight_one() -> None:
    got = classify(ended("z", RECENT, earnings=0, last_payment=None, stars=1.0), AS_OF)
    assert got.kind is OutcomeKind.BAD
    assert got.weight == 1.0
    assert "X-ZERO-NEGATIVE" in got.rules


def test_full_refund_makes_a_zero_contract() -> None:
    good = ended("r1", RECENT, earnings=800, refunded=800, stars=5.0)
    assert good.net_earnings == 0
    got = classify(good, AS_OF)
    assert got.kind is OutcomeKind.EXCLUDED
    assert {"X-REFUND", "X-ZERO-POSITIVE"} <= set(got.rules)

    bad = ended("r2", RECENT, earnings=800, refunded=800, stars=1.0)
    got = classify(bad, AS_OF)
    assert got.kind is OutcomeKind.BAD and got.weight == 1.0
    assert {"X-REFUND", "X-ZERO-NEGATIVE"} <= set(got.rules)


def test_refund_larger_than_earnings_is_still_zero() -> None:
    c = ended("r3", RECENT, earnings=100, refunded=150, stars=5.0)
    assert c.net_earnings == 0
    assert classify(c, AS_OF).kind is OutcomeKind.EXCLUDED


def test_partial_refund_weighs_by_net_earnings() -> None:
    got = classify(ended("r4", RECENT, earnings=1500, refunded=1000, stars=5.0), AS_OF)
    assert got.kind is OutcomeKind.GOOD
    assert got.weight == 1.25  # net $500
    assert "X-REFUND" in got.rules


# --- flagged clients, disputes ----------------------------------------------------------------------


def test_flagged_client_never_counts() -> None:
    got = classify(ended("f", RECENT, stars=1.0, flagged=True), AS_OF)
    assert got.kind is OutcomeKind.EXCLUDED
    assert got.rules == ("X-FLAGGED-CLIENT",)
    still_open = open_contract("fo", started=date(2024, 1, 1), last_payment=AS_OF - days(5), earnings=900, flagged=True)
    got = classify(still_open, AS_OF)
    assert got.kind is OutcomeKind.EXCLUDED
    assert got.rules == ("X-FLAGGED-CLIENT",)


def test_dispute_is_bad_whatever_the_feedback() -> None:
    got = classify(ended("d", RECENT, earnings=550, stars=5.0, disputed=True), AS_OF)
    assert got.kind is OutcomeKind.BAD
    assert got.weight == 1.25
    assert "X-DISPUTE" in got.rules


def test_dispute_on_a_zero_contract_weighs_one() -> None:
    got = classify(ended("d0", RECENT, earnings=0, last_payment=None, stars=None, disputed=True), AS_OF)
    assert got.kind is OutcomeKind.BAD and got.weight == 1.0
    assert "X-DISPUTE" in got.rules


def test_open_dispute_counts_bad() -> None:
    c = open_contract("od", started=date(2025, 1, 1), last_payment=date(2025, 3, 1), earnings=600, disputed=True)
    got = classify(c, AS_OF)
    assert got.kind is OutcomeKind.BAD
    assert got.rules == ("X-DISPUTE",)


# --- open contracts: E-CURRENT, WT-LONG-TERM, C-OPEN-INACTIVE-JSS ------------------------------------


def test_open_long_term_paid_in_last_90_days_counts_good() -> None:
    last_payment = AS_OF - days(30)
    c = open_contract("lt", started=date(2024, 6, 1), last_payment=last_payment, earnings=4000)
    got = classify(c, AS_OF)
    assert got.kind is OutcomeKind.GOOD
    assert {"E-CURRENT", "WT-LONG-TERM"} <= set(got.rules)
    assert got.dated is None  # current: inside every window while it lasts
    assert got.weight == earnings_weight(c) == 1.5 + 3  # 10 paid months
    # Still good on the 90th day after the last payment; from the 91st it is idle (modelled as neutral).
    assert classify(c, last_payment + days(90)).kind is OutcomeKind.GOOD
    assert classify(c, last_payment + days(91)).kind is OutcomeKind.NEUTRAL


def test_open_contract_under_90_days_counts_as_a_small_good_outcome() -> None:
    """Issue 18: ongoing paid work younger than 90 days is credited (ModelParams.young_open_weight), but it
    is not yet an eligible job (E-CURRENT); from day 90 it is a long-term outcome of its full weight."""
    started = AS_OF - days(60)
    c = open_contract("new", started=started, last_payment=AS_OF - days(3), earnings=700)
    got = classify(c, AS_OF)
    assert got.kind is OutcomeKind.GOOD
    assert got.weight == DEFAULT_PARAMS.young_open_weight == 1.0  # one job's worth, below its tier's 1.25
    assert "E-CURRENT" in got.rules and "under 90 days" in got.reason
    young = next(s for s in contract_segments(c, as_of=AS_OF) if s.start <= AS_OF < s.end)
    assert not young.eligible  # never makes a score appear on its own
    assert classify(c, started + days(89)).weight == 1.0
    later = classify(c, started + days(90))
    assert later.kind is OutcomeKind.GOOD and later.weight == earnings_weight(c) == 1.25


def test_open_contract_under_90_days_is_not_counted_without_the_young_credit() -> None:
    started = AS_OF - days(60)
    c = open_contract("new", started=started, last_payment=AS_OF - days(3), earnings=700)
    params = ModelParams(young_open_weight=0)
    got = classify(c, AS_OF, params)
    assert got.kind is OutcomeKind.EXCLUDED
    assert "E-CURRENT" in got.rules
    assert "under 90 days" in got.reason
    assert got.counts_from == started + days(90)
    assert classify(c, started + days(89), params).kind is OutcomeKind.EXCLUDED
    assert classify(c, started + days(90), params).kind is OutcomeKind.GOOD


def test_open_unpaid_contract_never_counts() -> None:
    c = open_contract("zero", started=date(2024, 1, 1), last_activity=date(2024, 2, 1))
    got = classify(c, AS_OF)
    assert got.kind is OutcomeKind.EXCLUDED
    assert "C-OPEN-INACTIVE-JSS" in got.rules
    assert got.counts_from is None
    assert not any(s.counts for s in contract_segments(c))


def test_idle_paid_open_contract_counts_with_the_modelled_weight() -> None:
    last_payment = AS_OF - days(120)
    c = open_contract("idle", started=date(2024, 1, 1), last_payment=last_payment, earnings=300)
    got = classify(c, AS_OF)
    assert DEFAULT_PARAMS.idle_open_effect is IdleOpenEffect.NEUTRAL
    assert got.kind is OutcomeKind.NEUTRAL
    assert got.weight == DEFAULT_PARAMS.idle_open_weight == 0.5
    assert got.rules == ("C-OPEN-INACTIVE-JSS",)
    idle = [s for s in contract_segments(c) if s.kind is OutcomeKind.NEUTRAL]
    assert len(idle) == 1 and not idle[0].eligible  # not an "eligible job" for E-CURRENT
    assert idle[0].dated == idle[0].start == last_payment + days(91)  # ages out from when it started

    bad = ModelParams(idle_open_effect=IdleOpenEffect.BAD, idle_open_weight=0.25)
    got = classify(c, AS_OF, bad)
    assert got.kind is OutcomeKind.BAD and got.weight == 0.25

    excluded = ModelParams(idle_open_effect=IdleOpenEffect.EXCLUDED)
    got = classify(c, AS_OF, excluded)
    assert got.kind is OutcomeKind.EXCLUDED and not got.counts


def test_idle_open_contract_starts_counting_after_the_modelled_delay() -> None:
    params = ModelParams(idle_open_after_days=120)
    started = AS_OF - days(300)
    last_payment = started + days(10)  # paid once early: never a long-term outcome
    c = open_contract("slow", started=started, last_payment=last_payment, earnings=200)
    assert classify(c, last_payment + days(119), params).kind is OutcomeKind.EXCLUDED
    assert classify(c, last_payment + days(120), params).kind is OutcomeKind.NEUTRAL


# --- feedback mapping (a model: F-PUBLIC-EMPHASIS, F-PRIVATE-FB) ----------------------------------------


@pytest.mark.parametrize(
    ("stars", "kind"),
    [
        (5.0, OutcomeKind.GOOD),
        (4.8, OutcomeKind.GOOD),  # at most one of the six categories a star short (issue 18)
        (4.79, OutcomeKind.NEUTRAL),
        (4.5, OutcomeKind.NEUTRAL),
        (4.0, OutcomeKind.NEUTRAL),
        (3.99, OutcomeKind.BAD),
        (3.75, OutcomeKind.BAD),
        (1.0, OutcomeKind.BAD),
    ],
)
def test_star_mapping(stars: float, kind: OutcomeKind) -> None:
    got = classify(ended("s", RECENT, stars=stars), AS_OF)
    assert got.kind is kind
    assert "F-PUBLIC-EMPHASIS" in got.rules


@pytest.mark.parametrize(
    ("private", "kind"),
    [
        (10, OutcomeKind.GOOD),
        (9, OutcomeKind.GOOD),
        (8, OutcomeKind.NEUTRAL),
        (7, OutcomeKind.NEUTRAL),
        # Issue 18: a client who merely would not recommend (5-6) is neutral, only clear detractors are
        # bad (ModelParams.bad_private_below 7 -> 5, fitted on tests/scoring/calibration).
        (6, OutcomeKind.NEUTRAL),
        (5, OutcomeKind.NEUTRAL),
        (4, OutcomeKind.BAD),
        (0, OutcomeKind.BAD),
    ],
)
def test_private_mapping_overrides_public_stars(private: int, kind: OutcomeKind) -> None:
    got = classify(ended("p", RECENT, stars=5.0, private=private), AS_OF)
    assert got.kind is kind
    assert "F-PRIVATE-FB" in got.rules


def test_public_stars_decide_when_private_does_not_override() -> None:
    params = ModelParams(private_overrides_public=False)
    c = ended("p", RECENT, stars=5.0, private=2)
    assert feedback_kind(c, params) == (OutcomeKind.GOOD, "F-PUBLIC-EMPHASIS")
    assert classify(c, AS_OF, params).kind is OutcomeKind.GOOD
    # With no public stars, the private rating still decides.
    only_private = ended("q", RECENT, stars=None, private=2)
    assert feedback_kind(only_private, params) == (OutcomeKind.BAD, "F-PRIVATE-FB")


def test_thresholds_follow_params() -> None:
    params = ModelParams(good_stars_min=4.0, bad_stars_below=3.0)
    assert classify(ended("a", RECENT, stars=4.0), AS_OF, params).kind is OutcomeKind.GOOD
    assert classify(ended("b", RECENT, stars=3.5), AS_OF, params).kind is OutcomeKind.NEUTRAL
    assert classify(ended("c", RECENT, stars=2.9), AS_OF, params).kind is OutcomeKind.BAD
