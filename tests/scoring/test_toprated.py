"""Top Rated tracker: eligible weeks of the last 16 (B-TR, B-TR-WEEKS) and when the badge can come back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from scoring.engine import score, top_rated_status
from scoring.model import Contract
from scoring.toprated import earnings_last_12_months
from tests.builders import days, ended, open_contract

AS_OF = date(2025, 6, 1)


def dip_and_recovery() -> list[Contract]:
    """A dip 9 weeks ago and a recovery 4 weeks ago (weeks are counted back from AS_OF):
    - ten 5-star $500 jobs 300-570 days ago (weight 1.25 each): 100 % before the dip;
    - a 1-star $500 job ended exactly 9 weeks ago: (12.5 - 0.625) / 13.75 = 86 % (weeks -9 .. -5);
    - three 5-star $5,000 two-year contracts (weight 8) ended exactly 4 weeks ago: 95 % from week -4 on.
    """
    history = [ended(f"h{i}", AS_OF - days(300 + 30 * i)) for i in range(10)]
    bad = ended("bad", AS_OF - days(63), stars=1.0)
    big = [ended(f"big{i}", AS_OF - days(28), earnings=5000, started=date(2023, 5, 1)) for i in range(3)]
    return [*history, bad, *big]


def test_weeks_count_and_return_after_a_dip() -> None:
    status = top_rated_status(dip_and_recovery(), AS_OF)
    assert [m.day for m in status.weeks] == [AS_OF - days(7 * k) for k in range(15, -1, -1)]
    assert [m.eligible for m in status.weeks] == [True] * 6 + [False] * 5 + [True] * 5
    assert [m.jss for m in status.weeks][6] == 86 and status.jss == 95
    assert status.eligible_weeks == 11
    assert status.jss_ok and not status.weeks_ok
    # B-TR-WEEKS: the 5 weeks below 90 must roll out of the 16-week window until only 3 remain:
    # the window ending 8 weeks ahead covers weeks -7 .. +8 (weeks -7, -6, -5 below 90): 13 of 16.
    assert status.weeks_until_return == 8
    assert status.return_day == AS_OF + days(56)
    assert set(status.rules) >= {"B-TR", "B-TR-WEEKS", "B-TR-LOSS"}


def test_week_marks_are_the_score_on_those_days() -> None:
    contracts = dip_and_recovery()
    for mark in top_rated_status(contracts, AS_OF).weeks:
        assert mark.jss == score(contracts, mark.day).jss


def test_always_above_90_is_ready_now() -> None:
    contracts = [ended(f"g{i}", AS_OF - days(200 + 10 * i), earnings=900) for i in range(8)]
    contracts.append(open_contract("lt", started=date(2024, 1, 1), last_payment=AS_OF - days(3), earnings=4000))
    status = top_rated_status(contracts, AS_OF)
    assert status.eligible_weeks == 16 and status.weeks_ok and status.jss_ok
    assert status.weeks_until_return == 0 and status.return_day == AS_OF
    assert status.account_age_ok and status.activity_ok
    assert status.earnings_ok and status.ledger_requirements_met


def test_below_90_now_loses_the_badge_at_once() -> None:
    contracts = [
        *dip_and_recovery(),
        ended("bad2", AS_OF - days(1), earnings=5000, started=date(2024, 1, 1), stars=1.0),
    ]
    status = top_rated_status(contracts, AS_OF)
    assert status.jss is not None and status.jss < 90
    assert not status.jss_ok  # B-TR-LOSS: the current JSS must be 90 % or more
    assert not status.weeks[-1].eligible


def test_no_return_within_two_years_without_new_work() -> None:
    contracts = [ended("a", AS_OF - days(10), stars=1.0), ended("b", AS_OF - days(11))]
    status = top_rated_status(contracts, AS_OF)
    assert status.weeks_until_return is None and status.return_day is None


def test_earnings_last_12_months() -> None:
    inside = ended("in", AS_OF - days(30), earnings=800, started=AS_OF - days(90))
    before = ended("old", AS_OF - days(400), earnings=5000, started=AS_OF - days(500))
    # Paid from 18 months ago to 6 months ago: a third of the paid span (by days) is in the last year.
    start = date(2023, 12, 1)
    straddle = ended("mid", date(2024, 12, 1), earnings=3000, started=start, last_payment=date(2024, 12, 1))
    total = earnings_last_12_months([inside, before, straddle], AS_OF)
    share = Decimal((date(2024, 12, 1) - date(2024, 6, 1)).days) / Decimal((date(2024, 12, 1) - start).days)
    assert total == Decimal(800) + (Decimal(3000) * share).quantize(Decimal("0.01"))
    refunded = ended("r", AS_OF - days(30), earnings=800, refunded=800)
    assert earnings_last_12_months([refunded], AS_OF) == 0


def test_new_or_inactive_account() -> None:
    young = [ended("a", AS_OF - days(5), started=AS_OF - days(60)), ended("b", AS_OF - days(6))]
    status = top_rated_status(young, AS_OF)
    assert not status.account_age_ok  # first contract must be more than 90 days ago
    quiet = [ended("a", AS_OF - days(200), started=AS_OF - days(260)), ended("b", AS_OF - days(210))]
    assert not top_rated_status(quiet, AS_OF).activity_ok
