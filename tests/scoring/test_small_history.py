"""Small histories (issue 18): how one outcome weighs among few, young open contracts, the range and why
the answer calls the estimate rough."""

from __future__ import annotations

from datetime import date

from scoring.classify import OutcomeKind, classify
from scoring.engine import ModelParams, score
from scoring.model import Contract
from scoring.uncertainty import Rough, hidden_detractors, outcomes_behind, score_range, worst_private_ids
from tests.builders import days, ended, open_contract

AS_OF = date(2025, 3, 2)


def newcomer(n: int, **last: object) -> list[Contract]:
    """n-1 five-star $300 jobs and a last one (ended 5 days ago) with the given feedback."""
    jobs = [ended(f"g{i}", AS_OF - days(20 + 15 * i), earnings=300) for i in range(n - 1)]
    return [*jobs, ended("last", AS_OF - days(5), earnings=300, **last)]  # type: ignore[arg-type]


def test_a_client_who_would_not_recommend_is_neutral_not_bad() -> None:
    """5-8 out of 10 is neutral (ModelParams.bad_private_below = 5): among four jobs it costs a quarter of
    the score, not the 37 points a bad outcome costs."""
    lukewarm = score(newcomer(4, stars=5.0, private=6), AS_OF)
    detractor = score(newcomer(4, stars=5.0, private=3), AS_OF)
    assert classify(newcomer(4, stars=5.0, private=6)[-1], AS_OF).kind is OutcomeKind.NEUTRAL
    assert lukewarm.jss == 75  # 3 good of 4
    assert detractor.jss == 63  # (3 - 0.5) / 4 = 62.5, shown rounded half up: one bad among four


def test_young_paid_open_work_counts_a_little_but_never_makes_a_score_by_itself() -> None:
    young = open_contract("ongoing", started=AS_OF - days(40), last_payment=AS_OF - days(4), earnings=600)
    one_job = [ended("only", AS_OF - days(10), earnings=300)]
    assert score([*one_job, young], AS_OF).jss is None  # one eligible job: still no score (E-CURRENT)
    with_bad = [*newcomer(2, stars=1.0), young]  # one good, one bad, plus ongoing work
    without = score(newcomer(2, stars=1.0), AS_OF).jss
    credited = score(with_bad, AS_OF).jss
    assert without is not None and credited is not None
    assert credited > without  # ongoing paid work lifts a small history (issue 18)
    assert credited == round(100 * (1.25 + 1.0 - 0.5 * 1.25) / (1.25 + 1.0 + 1.25))  # the ongoing one: a job
    no_credit = ModelParams(young_open_weight=0)
    assert score(with_bad, AS_OF, no_credit).jss == without


def test_the_range_keeps_one_hidden_bad_rating_in_view_without_spanning_everything() -> None:
    """Ten jobs whose private ratings are unknown: the worst reading takes two as bad (a 95 % bound on
    the detractors among ten if one client in twenty is one), not all ten; the best reading bounds the
    formula by L-ESTIMATOR."""
    contracts = newcomer(10, stars=4.6)
    spread = score_range(contracts, AS_OF)
    assert worst_private_ids(contracts, AS_OF) == frozenset({"last", "g0"})  # the lowest stars, the newest
    assert spread.high == 100
    assert spread.low is not None and 65 <= spread.low < 90
    assert Rough.PRIVATE_UNKNOWN in spread.rough


def test_the_worst_reading_counts_hidden_detractors_by_a_binomial_bound() -> None:
    """At least one; more as the hidden ratings grow, but slower than a fixed share (a long history's
    share of detractors is steadier); a history of thousands still ends in a count near its mean."""
    counts = [hidden_detractors(n, 0.05, 0.95) for n in (1, 3, 5, 10, 30, 100)]
    assert counts == [0, 1, 1, 2, 4, 9]
    assert hidden_detractors(20_000, 0.05, 0.95) in range(1_000, 1_100)
    assert hidden_detractors(10, 0.0, 0.95) == 0
    assert hidden_detractors(3, 1.0, 0.95) == 3 and hidden_detractors(3, 0.9999, 0.99999999) == 3  # no log(0)
    assert hidden_detractors(10, 0.05, 0.5) < hidden_detractors(10, 0.05, 0.99)
    one = newcomer(1, stars=5.0)
    assert len(worst_private_ids(one, AS_OF)) == 1  # at least one, whatever the bound says


def test_few_outcomes_make_the_answer_say_it_is_rough() -> None:
    few = score_range(newcomer(3, stars=5.0), AS_OF)
    many = score_range([ended(f"g{i}", AS_OF - days(3 + 5 * i), earnings=300, private=10) for i in range(12)], AS_OF)
    assert Rough.FEW_OUTCOMES in few.rough
    assert many.rough == ()


def test_few_outcomes_are_judged_by_the_longest_window_showing_the_same_score() -> None:
    """Twenty spotless jobs over two years: every window shows 100 and the 6-month one, first of the equals,
    holds only five of them; the display rests on all twenty (one new outcome moves it as much as it moves
    the 24-month score), so the answer must not call the history few. Five jobs in all still are few."""
    spread_out = [ended(f"s{i}", AS_OF - days(10 + 36 * i), earnings=300, private=10) for i in range(20)]
    long_history = score_range(spread_out, AS_OF)
    assert long_history.likely.windows["6m"].outcomes < 8 <= long_history.likely.windows["24m"].outcomes
    assert outcomes_behind(long_history.likely) == 20
    assert Rough.FEW_OUTCOMES not in long_history.rough
    recent_five = score_range(spread_out[:5], AS_OF)
    assert Rough.FEW_OUTCOMES in recent_five.rough
    # a bad outcome ten months ago: only the 6-month window shows 100, and it rests on its own four jobs
    with_bad = [*spread_out[:4], ended("bad", AS_OF - days(300), earnings=300, private=2), *spread_out[10:]]
    recovered = score_range(with_bad, AS_OF).likely
    assert recovered.best == "6m" and recovered.windows["24m"].score != recovered.raw
    assert outcomes_behind(recovered) == recovered.windows["6m"].outcomes == 4


def test_an_older_date_is_rough_because_its_rules_are_partly_inferred() -> None:
    as_of = date(2019, 6, 2)
    contracts = [ended(f"g{i}", as_of - days(3 + 5 * i), earnings=300, private=10) for i in range(12)]
    assert score_range(contracts, as_of).rough == (Rough.OLDER_RULES,)


def test_a_job_without_feedback_before_november_2020_widens_the_range_upwards() -> None:
    """How much such a job cost then is UNKNOWN (X-NO-FEEDBACK legacy): the best reading leaves it out."""
    as_of = date(2019, 6, 2)
    contracts = [
        *[ended(f"g{i}", as_of - days(10 + 20 * i), earnings=300, private=10) for i in range(6)],
        ended("silent", as_of - days(30), earnings=0, last_payment=None, stars=None),
    ]
    spread = score_range(contracts, as_of)
    assert spread.likely.jss is not None and spread.likely.jss < 100
    assert spread.high == 100
