"""The score on one day: eligibility (E-CURRENT), the per-contract reasons, and the rules cited."""

from __future__ import annotations

from datetime import date

import pytest

from scoring.classify import OutcomeKind, classify
from scoring.engine import ModelParams, score
from tests.builders import days, ended, good_jobs, open_contract

AS_OF = date(2025, 6, 1)


def test_two_jobs_same_client_is_not_enough() -> None:
    """E-CURRENT: "no score yet, you need one more client"."""
    contracts = [ended("a", AS_OF - days(20), client="Acme"), ended("b", AS_OF - days(40), client="Acme")]
    result = score(contracts, AS_OF)
    assert result.jss is None and result.raw is None
    e = result.eligibility
    assert not e.eligible
    assert (e.jobs, e.clients) == (2, 1)
    assert (e.jobs_needed, e.clients_needed) == (0, 1)
    assert "E-CURRENT" in e.rules


def test_one_job_needs_one_more_job_and_client() -> None:
    e = score([ended("a", AS_OF - days(20))], AS_OF).eligibility
    assert (e.jobs_needed, e.clients_needed) == (1, 1)


def test_two_jobs_two_clients_give_a_score() -> None:
    result = score([ended("a", AS_OF - days(20)), ended("b", AS_OF - days(40))], AS_OF)
    assert result.eligibility.eligible
    assert (result.eligibility.jobs_needed, result.eligibility.clients_needed) == (0, 0)
    assert result.jss == 100


def test_no_feedback_jobs_do_not_make_you_eligible() -> None:
    contracts = [ended("a", AS_OF - days(20)), ended("b", AS_OF - days(40), stars=None)]
    e = score(contracts, AS_OF).eligibility
    assert not e.eligible and e.jobs == 1


def test_open_long_term_contract_is_an_eligible_job() -> None:
    long_term = open_contract("lt", started=AS_OF - days(200), last_payment=AS_OF - days(10), earnings=3000)
    result = score([ended("a", AS_OF - days(20)), long_term], AS_OF)
    assert result.eligibility.eligible
    assert result.jss == 100


def test_idle_open_contract_is_not_an_eligible_job() -> None:
    idle = open_contract("idle", started=AS_OF - days(400), last_payment=AS_OF - days(200), earnings=3000)
    result = score([ended("a", AS_OF - days(20)), idle], AS_OF)
    assert classify(idle, AS_OF).kind is OutcomeKind.NEUTRAL
    assert not result.eligibility.eligible
    assert result.eligibility.jobs_needed == 1


def test_score_reports_each_contract_and_its_rules() -> None:
    contracts = [
        *good_jobs(3, AS_OF - days(20)),
        ended("bad", AS_OF - days(50), stars=2.0),
        ended("nofb", AS_OF - days(50), stars=None),
        ended("flag", AS_OF - days(50), stars=1.0, flagged=True),
    ]
    result = score(contracts, AS_OF)
    by_id = {c.contract_id: c for c in result.classifications}
    assert list(by_id) == sorted(by_id)
    assert by_id["bad"].kind is OutcomeKind.BAD
    assert by_id["nofb"].kind is OutcomeKind.EXCLUDED
    assert by_id["flag"].rules == ("X-FLAGGED-CLIENT",)
    assert {"F-FORMULA", "W-WINDOWS", "W-TRENDING", "E-CURRENT", "X-NO-FEEDBACK", "X-FLAGGED-CLIENT"} <= set(
        result.rules
    )
    # 3 good and 1 bad, all weight 1.25: (3 - 0.5) / 4.
    assert result.raw == pytest.approx(62.5)
    assert result.jss == 63


def test_bad_penalty_is_a_parameter() -> None:
    contracts = [*good_jobs(3, AS_OF - days(20)), ended("bad", AS_OF - days(50), stars=2.0)]
    assert score(contracts, AS_OF, ModelParams(bad_penalty=1.0)).raw == pytest.approx(50.0)
    assert score(contracts, AS_OF, ModelParams(bad_penalty=0.0)).raw == pytest.approx(75.0)


def test_neutral_outcomes_dilute() -> None:
    contracts = [*good_jobs(3, AS_OF - days(20)), ended("meh", AS_OF - days(50), stars=4.0)]
    assert score(contracts, AS_OF).raw == pytest.approx(75.0)


def test_score_is_clamped_at_zero() -> None:
    contracts = [ended("b1", AS_OF - days(5), stars=1.0), ended("b2", AS_OF - days(6), stars=1.0)]
    result = score(contracts, AS_OF)
    assert result.raw == 0.0 and result.jss == 0


def test_jss_rounds_half_up() -> None:
    # 7 good of weight 1, 1 bad of weight 1: (7 - 0.5) / 8 = 81.25 -> 81; 1 good fewer: 5.5/7 = 78.57 -> 79.
    goods = good_jobs(7, AS_OF - days(5), earnings=100)
    assert score([*goods, ended("b", AS_OF - days(3), earnings=100, stars=1.0)], AS_OF).jss == 81
    assert score([*goods[:6], ended("b", AS_OF - days(3), earnings=100, stars=1.0)], AS_OF).jss == 79
