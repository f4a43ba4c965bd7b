"""The rules of the date asked (issue 18): the same ledger scored on days either side of a rule change.

Each test shifts one ledger in time so that only the era differs between the two scores. Days before
September 2024 are update Sundays (NOFB_CHANGE or SIZE_CHANGE +- 14 days): under the fortnightly cadence a
weekday's score is the last Sunday's (tests/scoring/test_cadence.py), which would hide the jobs of the week.
"""

from __future__ import annotations

from datetime import date

import pytest

from scoring.classify import OutcomeKind
from scoring.engine import score
from scoring.eras import era_of, eras
from scoring.model import Contract
from tests.builders import days, ended, open_contract

NOFB_CHANGE = date(2020, 11, 8)  # T-2020-11-NOFB
SIZE_CHANGE = date(2020, 3, 1)  # T-2020-03-SIZE
DEC_2023 = date(2023, 12, 1)  # T-2023-12


def good_jobs(as_of: date, n: int, *, earnings: int = 100, prefix: str = "g") -> list[Contract]:
    """n five-star jobs for n different clients, ended 10, 30, 50 ... days before as_of."""
    return [ended(f"{prefix}{i}", as_of - days(10 + 20 * i), earnings=earnings) for i in range(n)]


def kind_of(result_contracts: list[Contract], as_of: date, contract_id: str) -> OutcomeKind:
    return next(c for c in score(result_contracts, as_of).classifications if c.contract_id == contract_id).kind


@pytest.mark.parametrize(("as_of", "counts"), [(NOFB_CHANGE - days(14), True), (NOFB_CHANGE + days(14), False)])
def test_a_contract_without_feedback_counts_before_8_nov_2020_and_not_after(as_of: date, counts: bool) -> None:
    paid = ended("silent", as_of - days(30), earnings=300, stars=None)
    unpaid = ended("cancelled", as_of - days(25), earnings=0, last_payment=None, stars=None)
    contracts = [*good_jobs(as_of, 5), paid, unpaid]
    result = score(contracts, as_of)
    by_id = {c.contract_id: c for c in result.classifications}
    if counts:
        assert result.era.rule == "T-2020-03-SIZE"
        assert by_id["silent"].kind is OutcomeKind.NEUTRAL  # "mostly excluded, could lower it a little"
        assert by_id["cancelled"].kind is OutcomeKind.BAD  # "could lower it significantly"
        assert "X-NO-FEEDBACK" in by_id["cancelled"].rules
        assert result.jss is not None and result.jss < 90
    else:
        assert result.era.rule == "T-2020-11-NOFB"
        assert by_id["silent"].kind is OutcomeKind.EXCLUDED
        assert by_id["cancelled"].kind is OutcomeKind.EXCLUDED
        assert result.jss == 100


def test_an_unpaid_paused_contract_counts_before_the_change_and_not_after() -> None:
    """C-OPEN-INACTIVE-JSS legacy: an unpaid contract paused by the client was an outcome then."""

    def ledger(as_of: date) -> list[Contract]:
        paused = open_contract("paused", started=as_of - days(40), last_activity=as_of - days(35), status="paused")
        return [*good_jobs(as_of, 4), paused]

    before, after = NOFB_CHANGE - days(30), NOFB_CHANGE + days(30)
    assert kind_of(ledger(before), before, "paused") is OutcomeKind.BAD
    assert kind_of(ledger(after), after, "paused") is OutcomeKind.EXCLUDED
    assert score(ledger(after), after).jss == 100
    low = score(ledger(before), before).jss
    assert low is not None and low < 100


@pytest.mark.parametrize(("as_of", "weighted"), [(SIZE_CHANGE - days(14), False), (SIZE_CHANGE + days(14), True)])
def test_earnings_weights_only_from_march_2020(as_of: date, weighted: bool) -> None:
    big_bad = ended("big", as_of - days(5), earnings=2000, stars=1.0, started=as_of - days(25))
    contracts = [*good_jobs(as_of, 6), big_bad]
    result = score(contracts, as_of)
    weights = {c.contract_id: c.weight for c in result.classifications}
    if weighted:
        assert result.era.earnings_weighted
        assert weights["big"] == 1.5 and weights["g0"] == 1.0  # WT-EARNINGS-TIERS
        assert result.jss == round(100 * (6 - 0.5 * 1.5) / 7.5)
    else:
        assert not result.era.earnings_weighted
        assert weights["big"] == weights["g0"] == 1.0  # every job weighed the same
        assert result.jss == round(100 * (6 - 0.5) / 7)


def test_a_zero_dollar_job_with_good_feedback_counts_only_before_march_2020() -> None:
    def ledger(as_of: date) -> list[Contract]:
        free = ended("free", as_of - days(5), earnings=0, last_payment=None, stars=5.0)
        return [*good_jobs(as_of, 4), free]

    before, after = SIZE_CHANGE - days(14), SIZE_CHANGE + days(14)
    assert kind_of(ledger(before), before, "free") is OutcomeKind.GOOD
    assert kind_of(ledger(after), after, "free") is OutcomeKind.EXCLUDED  # X-ZERO-POSITIVE


@pytest.mark.parametrize(
    ("as_of", "jobs", "clients", "eligible"),
    [
        (DEC_2023 - days(15), 3, 2, False),  # 2020-11 to 2023-12: 4 contracts with 2 clients (E-HISTORY)
        (DEC_2023 - days(15), 4, 2, True),
        (DEC_2023 + days(15), 2, 2, True),  # since December 2023: 2 jobs with 2 clients (E-CURRENT)
        (DEC_2023 + days(15), 2, 1, False),
        (NOFB_CHANGE - days(14), 3, 2, False),  # before November 2020: 3 clients
        (NOFB_CHANGE - days(14), 3, 3, True),
    ],
)
def test_the_eligibility_minimum_of_the_date(as_of: date, jobs: int, clients: int, eligible: bool) -> None:
    contracts = [
        ended(f"j{i}", as_of - days(10 + 15 * i), client=f"Client {i % clients}", earnings=300) for i in range(jobs)
    ]
    result = score(contracts, as_of)
    assert result.eligibility.eligible is eligible
    assert (result.jss is not None) is eligible
    era = era_of(as_of)
    assert result.eligibility.jobs_needed == max(0, era.min_jobs - jobs)
    assert result.eligibility.clients_needed == max(0, era.min_clients - clients)


def test_the_minimums_come_from_the_catalogue() -> None:
    by_rule = {e.rule: e for e in eras()}
    assert (by_rule["T-2015-LAUNCH"].min_clients, by_rule["T-2020-11-NOFB"].min_clients) == (3, 2)
    assert (by_rule["T-2020-11-NOFB"].min_jobs, by_rule["T-2023-12"].min_jobs) == (4, 2)
    assert [e.since for e in eras()] == sorted(e.since for e in eras())


@pytest.mark.parametrize(
    ("as_of", "rule"),
    [
        (date(2016, 5, 1), "T-2015-LAUNCH"),
        (date(2020, 3, 1), "T-2020-03-SIZE"),
        (date(2020, 11, 7), "T-2020-03-SIZE"),
        (date(2020, 11, 8), "T-2020-11-NOFB"),
        (date(2023, 12, 1), "T-2020-11-NOFB"),  # a Friday: the score shown is the 26 Nov update's (cadence)
        (date(2023, 12, 10), "T-2023-12"),  # the first update under the December 2023 rules
        (date(2024, 9, 1), "T-2024-09-INSIGHTS"),
        (date(2026, 1, 1), "T-2024-09-INSIGHTS"),
    ],
)
def test_the_answer_names_the_era_it_used(as_of: date, rule: str) -> None:
    result = score(good_jobs(as_of, 4), as_of)
    assert result.era.rule == rule
    if rule != "T-2024-09-INSIGHTS":
        assert rule in result.rules  # an answer about an older date cites the rules of then


def test_updates_every_other_sunday_until_september_2024() -> None:
    assert era_of(date(2024, 8, 31)).cadence.value == "biweekly"
    assert era_of(date(2024, 9, 1)).cadence.value == "daily"


def test_private_ratings_count_only_for_contracts_closed_before_the_form_change() -> None:
    """T-FORM-CHANGE: after it the client gives public stars only; a private rating there is ignored."""
    as_of = date(2025, 9, 1)
    before = ended("before", date(2025, 5, 20), stars=5.0, private=2)
    after = ended("after", date(2025, 8, 20), stars=5.0, private=2)
    result = score([*good_jobs(as_of, 3), before, after], as_of)
    kinds = {c.contract_id: c.kind for c in result.classifications}
    assert kinds["before"] is OutcomeKind.BAD
    assert kinds["after"] is OutcomeKind.GOOD


@pytest.mark.parametrize(("as_of", "has_score"), [(NOFB_CHANGE - days(14), True), (NOFB_CHANGE + days(14), False)])
def test_before_8_nov_2020_a_client_without_feedback_counts_toward_the_three_clients(
    as_of: date, has_score: bool
) -> None:
    """T-2020-11-NOFB: leaving no-feedback contracts out left some freelancers without 'enough outcomes
    with different clients', so the minimum went from 3 clients to 2: before, those outcomes counted."""
    contracts = [
        ended("rated", as_of - days(20), earnings=300),
        ended("silent-1", as_of - days(40), earnings=300, stars=None),
        ended("silent-2", as_of - days(60), earnings=300, stars=None),
    ]
    result = score(contracts, as_of)
    assert (result.jss is not None) is has_score
    if has_score:
        assert result.eligibility.clients == 3
