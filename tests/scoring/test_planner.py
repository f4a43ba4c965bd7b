"""Closing planner: oldest first, spaced (L-STAGGER), after good endings, skips, and the Top Rated reorder (B-TR)."""

from __future__ import annotations

from datetime import date

from scoring.engine import ModelParams, plan_closings, score
from scoring.model import Contract
from tests.builders import days, ended, good_jobs, open_contract

AS_OF = date(2025, 6, 1)


def stale(cid: str, idle: int, *, asked: bool = False, earnings: int = 300, age: int = 400) -> Contract:
    last = AS_OF - days(idle)
    return open_contract(
        cid,
        started=AS_OF - days(age),
        last_payment=last,
        earnings=earnings,
        requests=[last + days(20)] if asked else [],
    )


def test_oldest_first_spaced_two_weeks_and_skips() -> None:
    contracts = [
        *good_jobs(6, AS_OF - days(10)),
        stale("mid", 100, asked=True),
        stale("new", 50),
        stale("old", 200, asked=True),
        open_contract("fresh", started=AS_OF - days(200), last_payment=AS_OF - days(3), earnings=900),
        open_contract("escrow", kind="fixed", started=AS_OF - days(200), last_activity=AS_OF - days(120), escrow=500),
        open_contract("fight", started=AS_OF - days(200), last_payment=AS_OF - days(120), earnings=400, disputed=True),
    ]
    plan = plan_closings(contracts, AS_OF)
    assert [s.contract_id for s in plan.steps] == ["old", "mid", "new"]
    assert [s.day for s in plan.steps] == [AS_OF, AS_OF + days(14), AS_OF + days(28)]
    assert plan.spacing_days == ModelParams().planner_spacing_days == 14
    assert dict(plan.skipped) == {"escrow": "funded_escrow", "fight": "disputed"}
    assert not plan.reordered
    assert [s.ask_first for s in plan.steps] == [False, False, True]
    assert "C-CLOSE-ADVICE" in plan.steps[2].rules and "C-CLOSE-ADVICE" not in plan.steps[0].rules
    assert all(s.rules[0] == "L-STAGGER" for s in plan.steps)
    # The open dispute counts as a bad outcome (X-DISPUTE), so the user is not Top Rated.
    assert plan.jss_now == score(contracts, AS_OF).jss == 85
    assert not plan.top_rated and all("B-TR" not in s.rules for s in plan.steps)
    assert all(p.raw is None or 0 <= p.raw <= 100 for p in plan.projection.points)


def test_spacing_follows_params() -> None:
    contracts = [*good_jobs(6, AS_OF - days(10)), stale("a", 200), stale("b", 100)]
    plan = plan_closings(contracts, AS_OF, ModelParams(planner_spacing_days=7))
    assert [s.day for s in plan.steps] == [AS_OF, AS_OF + days(7)]


def test_explicit_ids_report_what_cannot_be_planned() -> None:
    contracts = [*good_jobs(6, AS_OF - days(10)), stale("a", 200)]
    plan = plan_closings(contracts, AS_OF, contract_ids=["g0", "nope", "a", "a"])
    assert [s.contract_id for s in plan.steps] == ["a"]
    assert plan.skipped == (("g0", "already_ended"), ("nope", "unknown"))


def test_closing_goes_the_day_after_an_expected_good_ending() -> None:
    contracts = [
        *good_jobs(6, AS_OF - days(10)),
        stale("a", 200),
        stale("b", 150),
        stale("c", 100),
        open_contract("finishing", started=AS_OF - days(60), last_payment=AS_OF - days(2), earnings=1500),
    ]
    expected = {"finishing": AS_OF + days(20)}
    plan = plan_closings(contracts, AS_OF, expected_good=expected)
    assert [(s.contract_id, s.day, s.after_good) for s in plan.steps] == [
        ("a", AS_OF, None),
        ("b", AS_OF + days(21), "finishing"),  # the step window [day 13, day 28) holds day 20: go on day 21
        ("c", AS_OF + days(35), None),
    ]
    soon = plan_closings(contracts, AS_OF, expected_good={"finishing": AS_OF + days(5)})
    assert (soon.steps[0].day, soon.steps[0].after_good) == (AS_OF + days(6), "finishing")
    assert "finishing" not in {s.contract_id for s in soon.steps}


def top_rated_ledger(goods: int) -> list[Contract]:
    """An old, big, long stale contract ($6,000 over 2 years: weight 8; poor feedback on it would sink the
    score) and a newer small stale one ($200: weight 1), among `goods` recent 5-star jobs."""
    return [
        *good_jobs(goods, AS_OF - days(5), spacing_days=9),
        open_contract(
            "big", started=AS_OF - days(700), last_payment=AS_OF - days(100), earnings=6000, requests=[AS_OF - days(60)]
        ),
        open_contract("small", started=AS_OF - days(100), last_payment=AS_OF - days(70), earnings=200),
    ]


def test_top_rated_user_closes_the_safe_contract_first() -> None:
    plan = plan_closings(top_rated_ledger(20), AS_OF)
    assert plan.top_rated and plan.jss_now is not None and plan.jss_now >= 90
    first, second = plan.steps
    # Oldest first would be "big"; closing it worst case (poor feedback, weight 8) drops below 90.
    assert first.contract_id == "small" and not first.top_rated_risk
    assert first.jss_worst is not None and first.jss_worst >= 90
    assert plan.reordered
    assert second.contract_id == "big" and second.top_rated_risk
    assert second.jss_worst is not None and second.jss_worst < 90
    assert second.day == AS_OF + days(14)
    assert "B-TR" in first.rules


def test_no_reorder_below_top_rated() -> None:
    contracts = [
        *top_rated_ledger(6),
        ended("bad1", AS_OF - days(3), stars=1.0),
        ended("bad2", AS_OF - days(4), stars=1.0),
    ]
    plan = plan_closings(contracts, AS_OF)
    assert not plan.top_rated
    assert [s.contract_id for s in plan.steps] == ["big", "small"]
    assert not plan.reordered and not any(s.top_rated_risk for s in plan.steps)
    assert all("B-TR" not in s.rules for s in plan.steps)


def test_steps_report_the_score_after_each_closing() -> None:
    contracts = [*good_jobs(4, AS_OF - days(10)), ended("bad", AS_OF - days(12), stars=2.0), stale("a", 200)]
    plan = plan_closings(contracts, AS_OF)
    (step,) = plan.steps
    # Without feedback the idle contract (neutral 0.5) leaves the score: (5 - 0.625) / 6.25 = 70.
    assert step.jss_likely == 70
    # With poor feedback it is a bad outcome of weight 1.25 + 1 (a paid year is capped by the idle span).
    assert step.jss_worst is not None and step.jss_worst < step.jss_likely
    assert plan.jss_now == score(contracts, AS_OF).jss


def test_nothing_to_plan() -> None:
    plan = plan_closings(good_jobs(3, AS_OF - days(10)), AS_OF)
    assert plan.steps == () and plan.skipped == ()


def test_top_rated_is_judged_on_the_displayed_jss() -> None:
    # 25 good ($500: weight 1.25), 2 bad ($100: weight 1), one idle (neutral 0.5): raw 89.63, shown 90.
    contracts = [
        *good_jobs(25, AS_OF - days(5)),
        ended("b1", AS_OF - days(3), earnings=100, stars=1.0),
        ended("b2", AS_OF - days(4), earnings=100, stars=1.0),
        stale("idle", 100),
    ]
    result = score(contracts, AS_OF)
    assert result.raw is not None and 89.5 <= result.raw < 90 and result.jss == 90
    plan = plan_closings(contracts, AS_OF)
    assert plan.jss_now == 90
    assert plan.top_rated  # B-TR: a displayed 90% meets the threshold (as in the Top Rated tracker)
