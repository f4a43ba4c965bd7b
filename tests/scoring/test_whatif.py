"""What-if: each scenario for one contract, its applicability, money at risk and numbers."""

from __future__ import annotations

from datetime import date

import pytest

from scoring.dates import add_months
from scoring.engine import Scenario, score, what_if
from scoring.model import Contract
from scoring.whatif import HORIZONS_MONTHS
from tests.builders import days, ended, good_jobs, open_contract

AS_OF = date(2025, 6, 1)
CLOSINGS = (Scenario.CLOSE_NO_FEEDBACK, Scenario.CLOSE_GOOD, Scenario.CLOSE_POOR, Scenario.REFUND)


def history() -> list[Contract]:
    return good_jobs(4, AS_OF - days(10))  # 4 x weight 1.25 = 5 good


def stale_long_term() -> Contract:
    # $800 over 5 paid months: weight 1.25 + 1; open long-term, last paid 45 days ago (still counting).
    return open_contract("lt", started=AS_OF - days(200), last_payment=AS_OF - days(45), earnings=800)


def test_every_scenario_is_present_for_an_open_hourly_contract() -> None:
    contracts = [*history(), stale_long_term()]
    result = what_if(contracts, "lt", AS_OF)
    assert [s.scenario for s in result.scenarios] == [Scenario.LEAVE_OPEN, *CLOSINGS, Scenario.UPWORK_HANDLING]
    for s in result.scenarios:
        assert set(s.points) == set(HORIZONS_MONTHS)
        assert s.money_at_risk_usd == 0  # hourly: nothing in escrow
        assert s.rules
        for months, point in s.points.items():
            assert point.day <= add_months(AS_OF, months)
    assert all(result.get(s).applicable for s in (Scenario.LEAVE_OPEN, *CLOSINGS))
    upwork = result.get(Scenario.UPWORK_HANDLING)
    assert not upwork.applicable and upwork.note == "no_auto_closure"  # C-HOURLY-INACTIVE: no auto-close
    assert result.get(Scenario.LEAVE_OPEN).now.raw == score(contracts, AS_OF).raw


def test_closing_numbers() -> None:
    result = what_if([*history(), stale_long_term()], "lt", AS_OF)
    assert result.get(Scenario.LEAVE_OPEN).now.raw == 100.0
    assert result.get(Scenario.CLOSE_GOOD).now.raw == 100.0
    assert result.get(Scenario.CLOSE_NO_FEEDBACK).now.raw == 100.0
    # Poor feedback: a bad outcome of weight 2.25 against 5 good: (5 - 0.5 * 2.25) / 7.25.
    assert result.get(Scenario.CLOSE_POOR).now.raw == pytest.approx(100 * 3.875 / 7.25)
    assert result.delta(Scenario.CLOSE_POOR) == pytest.approx(100 * 3.875 / 7.25 - 100)
    # A full refund makes it a $0 contract closed without feedback: excluded.
    assert result.get(Scenario.REFUND).now.raw == 100.0
    # Left open it lapses 91 days after the last payment (in 46 days) and then counts as idle (neutral
    # 0.5): 3 months on, the 6-month window holds the 4 good jobs and the idle one: 5 / 5.5.
    assert result.get(Scenario.LEAVE_OPEN).points[1].raw == 100.0
    assert result.get(Scenario.LEAVE_OPEN).points[3].raw == pytest.approx(100 * 5 / 5.5)
    assert result.get(Scenario.CLOSE_NO_FEEDBACK).points[3].raw == 100.0


def test_closing_a_funded_fixed_price_puts_the_escrow_at_risk() -> None:
    last = AS_OF - days(40)
    f = open_contract("f", kind="fixed", started=AS_OF - days(100), last_activity=last, escrow=750)
    result = what_if([*history(), f], "f", AS_OF)
    assert result.get(Scenario.LEAVE_OPEN).money_at_risk_usd == 0
    for s in CLOSINGS:
        assert result.get(s).money_at_risk_usd == 750, s  # C-FL-CAN-END: escrow goes back to the client
    upwork = result.get(Scenario.UPWORK_HANDLING)
    assert upwork.applicable and upwork.note == "dormant_closure"
    # C-FP-DORMANT: dormant on day 90, then 7 (client) + 7 (freelancer) + 14 (approval) days.
    assert upwork.effective == last + days(90 + 7 + 7 + 14)
    assert upwork.money_at_risk_usd == 750  # nobody acts: the funds return to the client
    assert upwork.rules[0] == "C-FP-DORMANT"


def test_dormancy_already_overdue_closes_today() -> None:
    f = open_contract("f", kind="fixed", started=AS_OF - days(300), last_activity=AS_OF - days(200), escrow=300)
    assert what_if([*history(), f], "f", AS_OF).get(Scenario.UPWORK_HANDLING).effective == AS_OF


def test_submitted_milestone_is_released_after_14_days() -> None:
    submitted = AS_OF - days(4)
    f = open_contract(
        "f", kind="fixed", started=AS_OF - days(120), last_activity=submitted, escrow=1500, submitted=submitted
    )
    result = what_if([*history(), ended("bad", AS_OF - days(20), stars=2.0), f], "f", AS_OF)
    upwork = result.get(Scenario.UPWORK_HANDLING)
    assert upwork.applicable and upwork.note == "auto_release"
    assert upwork.effective == submitted + days(14)
    assert upwork.money_at_risk_usd == 0  # C-FP-AUTO-RELEASE: the money comes to the freelancer
    # The release is 10 days ahead: today nothing has changed yet; a month on the paid contract counts.
    leave_open = result.get(Scenario.LEAVE_OPEN)
    assert upwork.now.raw == leave_open.now.raw
    assert upwork.points[1].raw is not None and leave_open.points[1].raw is not None
    assert upwork.points[1].raw > leave_open.points[1].raw


def test_ended_contract_only_has_the_refund_scenario() -> None:
    bad = ended("b", AS_OF - days(30), earnings=2000, stars=1.0)
    result = what_if([*history(), bad], "b", AS_OF)
    for s in (Scenario.CLOSE_NO_FEEDBACK, Scenario.CLOSE_GOOD, Scenario.CLOSE_POOR):
        assert not result.get(s).applicable and result.get(s).note == "already_ended"
        assert result.get(s).now.raw == result.get(Scenario.LEAVE_OPEN).now.raw
    refund = result.get(Scenario.REFUND)
    assert refund.applicable
    # X-REFUND: fully refunded, the 1-star job becomes a $0 contract with negative feedback: weight 1.5 -> 1.
    assert result.get(Scenario.LEAVE_OPEN).now.raw == pytest.approx(100 * (5 - 0.75) / 6.5)
    assert refund.now.raw == pytest.approx(100 * (5 - 0.5) / 6)


def test_refund_of_an_unpaid_ended_contract_is_not_applicable() -> None:
    zero = ended("z", AS_OF - days(30), earnings=0, last_payment=None, stars=1.0)
    assert not what_if([*history(), zero], "z", AS_OF).get(Scenario.REFUND).applicable


def test_delta_is_none_without_a_score() -> None:
    lonely = open_contract("x", started=AS_OF - days(200), last_payment=AS_OF - days(45), earnings=800)
    result = what_if([lonely], "x", AS_OF)
    assert result.get(Scenario.LEAVE_OPEN).now.raw is None
    assert result.delta(Scenario.CLOSE_GOOD) is None


def test_unknown_contract() -> None:
    with pytest.raises(KeyError):
        what_if(history(), "nope", AS_OF)
