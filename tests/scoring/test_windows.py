"""Rolling windows: best-of (W-WINDOWS), trending (W-TRENDING), age-out (W-AGE-OUT), 24-month limit (W-24MAX)."""

from __future__ import annotations

from datetime import date

import pytest

from scoring.catalogue import load_catalogue
from scoring.classify import OutcomeKind, Segment
from scoring.dates import add_months, in_window, window_exit, window_start
from scoring.model import Contract
from scoring.params import DEFAULT_PARAMS
from scoring.score import all_segments, score
from scoring.windows import TRENDING, score_points, score_points_variants
from tests.builders import days, ended, good_jobs

AS_OF = date(2025, 6, 1)


def weighted(cid: str, end: date, weight: int, stars: float = 5.0) -> Contract:
    """An ended contract of a given WT-EARNINGS-TIERS weight: tier weight + 1 per 3 paid months."""
    earnings, months = {1: (100, 0), 2: (100, 3), 5: (100, 12), 8: (5000, 24)}[weight]
    start = add_months(end, -months) if months else end - days(20)
    return ended(cid, end, earnings=earnings, started=start, stars=stars)


def trending_example() -> list[Contract]:
    """A ledger whose windows score exactly Upwork's W-TRENDING example: 24m 92, 12m 88, 6m 94, 3m 98.

    Weighted good / bad / neutral per age band (score = (good - 0.5 bad) / total, cumulative):
      0-3 months:   good 49, neutral 1          -> 3m  = 49 / 50            = 98
      3-6 months:   good 45, neutral 5          -> 6m  = 94 / 100           = 94
      6-12 months:  good 42, bad 8              -> 12m = (136 - 4) / 150    = 88
      12-24 months: good 98, neutral 2          -> 24m = (234 - 4) / 250    = 92
    """
    bands = [
        (AS_OF - days(30), [8] * 6 + [1], [], [1]),
        (AS_OF - days(130), [8] * 5 + [5], [], [5]),
        (AS_OF - days(270), [8] * 5 + [2], [8], []),
        (AS_OF - days(500), [8] * 12 + [2], [], [2]),
    ]
    contracts: list[Contract] = []
    for b, (end, goods, bads, neutrals) in enumerate(bands):
        for kind, weights, stars in (("g", goods, 5.0), ("b", bads, 2.0), ("n", neutrals, 4.0)):
            for i, w in enumerate(weights):
                contracts.append(weighted(f"{kind}{b}-{i}", end - days(i), w, stars))
    return contracts


def test_upwork_trending_example() -> None:
    numbers = load_catalogue().get("W-TRENDING").numbers
    assert numbers["example_scores_24_12_6_3"] == [92, 88, 94, 98]
    result = score(trending_example(), AS_OF)
    scores = result.point.window_scores()
    assert scores == {"3m": 98.0, "6m": 94.0, "12m": 88.0, "24m": 92.0, TRENDING: 96.0}
    assert numbers["example_trending"] == 96
    assert result.point.best == TRENDING
    assert result.jss == 96


def test_trending_needs_both_windows() -> None:
    # Only one outcome in the last 3 months: the 3-month window has no score, so neither has trending.
    contracts = [ended("old-a", AS_OF - days(120)), ended("old-b", AS_OF - days(125)), ended("new", AS_OF - days(10))]
    point = score(contracts, AS_OF).point
    assert point.windows["3m"].score is None
    assert point.trending is None
    assert point.windows["6m"].score == 100.0
    assert point.best == "6m"


def test_best_window_is_displayed() -> None:
    # A bad outcome 18 months ago: the 24-month window suffers, the 6- and 12-month ones do not.
    contracts = [*good_jobs(6, AS_OF - days(20)), ended("bad", AS_OF - days(540), stars=1.0)]
    point = score(contracts, AS_OF).point
    assert point.windows["24m"].score is not None and point.windows["24m"].score < 100
    assert point.raw == 100.0
    assert point.best in {"6m", "12m", TRENDING}


def test_older_window_wins_when_recent_work_is_bad() -> None:
    # Recent bad work, older good history: the 24-month score beats the recent ones.
    contracts = [
        *good_jobs(8, AS_OF - days(400), prefix="old"),
        ended("bad1", AS_OF - days(10), stars=1.0),
        ended("bad2", AS_OF - days(11), stars=2.0),
        ended("ok", AS_OF - days(12)),
    ]
    point = score(contracts, AS_OF).point
    scores = point.window_scores()
    assert point.best == "24m"
    assert point.raw == scores["24m"] == max(v for v in scores.values() if v is not None)
    # F-FORMULA with the calibrated penalty: 9 good of weight 1.25, 2 bad of weight 1.25.
    assert scores["24m"] == pytest.approx(100 * (9 * 1.25 - 0.5 * 2 * 1.25) / (11 * 1.25))


# --- W-AGE-OUT: in on the day 6 months after, out the day after ---------------------------------------


@pytest.mark.parametrize("end", [date(2024, 11, 15), date(2024, 8, 31)])  # 31 Aug + 6 months -> 28 Feb
def test_outcome_leaves_six_month_window_six_months_and_a_day_after(end: date) -> None:
    last_day_in = add_months(end, 6)
    contracts = [
        ended("bad", end, stars=1.0),
        *good_jobs(3, last_day_in, prefix="late"),  # keep the 6-month window populated
    ]
    assert window_exit(end, 6) == last_day_in + days(1)
    assert in_window(end, last_day_in, 6) and not in_window(end, last_day_in + days(1), 6)
    before = score(contracts, last_day_in).point.windows["6m"]
    after = score(contracts, last_day_in + days(1)).point.windows["6m"]
    assert before.bad == 1.25 and before.outcomes == 4
    assert after.bad == 0.0 and after.outcomes == 3
    assert after.score == 100.0 and before.score is not None and before.score < 100


def test_each_window_ages_out_on_its_own_day() -> None:
    end = date(2023, 3, 10)
    segment = all_segments([ended("bad", end, stars=1.0)])[0]
    exits = {}
    for months in (3, 6, 12, 24):
        last_in = add_months(end, months)
        points = score_points([segment], [last_in, last_in + days(1)])
        exits[months] = (points[0].windows[f"{months}m"].bad, points[1].windows[f"{months}m"].bad)
    assert exits == {3: (1.25, 0.0), 6: (1.25, 0.0), 12: (1.25, 0.0), 24: (1.25, 0.0)}


@pytest.mark.parametrize("months", [3, 6, 12, 24])
def test_window_start_is_the_inverse_of_window_exit(months: int) -> None:
    # Every day of 2023-2024 (leap day and month ends included): the oldest outcome still inside.
    for k in range(0, 731):
        at = date(2023, 1, 1) + days(k)
        start = window_start(at, months)
        assert in_window(start, at, months) and window_exit(start, months) > at
        assert not in_window(start - days(1), at, months) and window_exit(start - days(1), months) <= at


# --- W-24MAX ---------------------------------------------------------------------------------------


def test_nothing_older_than_24_months_counts() -> None:
    end = date(2023, 5, 31)
    contracts = [ended("a", end), ended("b", end - days(1))]
    on_last_day = score(contracts, add_months(end, 24))
    assert on_last_day.point.windows["24m"].outcomes == 1  # "a" only: "b" left the day before
    day_after = score(contracts, add_months(end, 24) + days(1))
    assert all(w.outcomes == 0 for w in day_after.point.windows.values())
    assert day_after.jss is None
    assert not day_after.eligibility.eligible
    assert "W-INACTIVITY" in day_after.eligibility.rules


def test_no_lifetime_or_48_month_window() -> None:
    point = score([ended("a", AS_OF - days(900)), ended("b", AS_OF - days(901))], AS_OF).point
    assert set(point.windows) == {"3m", "6m", "12m", "24m"}
    assert point.raw is None


# --- the sweep itself ------------------------------------------------------------------------------


def _seg(
    cid: str, client: str, kind: OutcomeKind, weight: float, dated: date | None, start: date, end: date = date.max
) -> Segment:
    return Segment(cid, client, kind, weight, start, end, dated, ("TEST",), "test")


def test_score_points_matches_one_day_at_a_time() -> None:
    segs = [
        _seg("a", "A", OutcomeKind.GOOD, 1.5, date(2024, 1, 10), date(2024, 1, 10)),
        _seg("b", "B", OutcomeKind.BAD, 1.0, date(2024, 3, 1), date(2024, 3, 1)),
        _seg("c", "C", OutcomeKind.GOOD, 4.0, None, date(2024, 2, 1), date(2024, 6, 1)),  # current, lapses
        _seg("d", "A", OutcomeKind.NEUTRAL, 0.5, date(2024, 5, 1), date(2024, 5, 1)),
    ]
    probe = [date(2024, 1, 1) + days(k) for k in range(0, 900, 13)]
    together = score_points(segs, probe)
    assert [p.day for p in together] == probe
    for p in together:
        alone = score_points(segs, [p.day])[0]
        assert alone.window_scores() == p.window_scores()
        assert alone.raw == p.raw


def test_current_segment_counts_in_every_window_while_it_lasts() -> None:
    segs = [
        _seg("c", "C", OutcomeKind.GOOD, 4.0, None, date(2024, 2, 1), date(2024, 6, 1)),
        _seg("b", "B", OutcomeKind.BAD, 1.0, date(2022, 1, 1), date(2022, 1, 1)),
    ]
    inside, after = score_points(segs, [date(2024, 5, 31), date(2024, 6, 1)])
    assert all(w.good == 4.0 for w in inside.windows.values())
    assert all(w.good == 0.0 for w in after.windows.values())


def test_window_needs_two_outcomes_from_two_clients() -> None:
    same_client = [ended("a", AS_OF - days(5), client="Acme"), ended("b", AS_OF - days(6), client="ACME ")]
    point = score(same_client, AS_OF).point
    assert point.windows["3m"].outcomes == 2 and point.windows["3m"].clients == 1  # names compare casefolded
    assert point.windows["3m"].score is None


def test_each_what_if_variant_is_scored_on_the_base_alone() -> None:
    """`score_points_variants` adds a variant's events to the base's sums and takes them back (no copies):
    every variant's scores are the same floats whatever was scored before it, alone or after the others,
    including variants whose clients the base also has (their distinct-client counts go up and back down)."""
    contracts = trending_example()
    segments = all_segments(contracts, DEFAULT_PARAMS, AS_OF)
    # Weights that are not whole numbers: adding a variant's weight and taking it off again does not give
    # the same float back, so only sums put back as they were keep the next variant's scores exact.
    base = [s._replace(weight=s.weight * 1.1) for s in segments if s.contract_id not in ("b2-0", "g0-0", "n3-0")]
    variants = [[s._replace(weight=0.1) for s in segments if s.contract_id == cid] for cid in ("b2-0", "g0-0", "n3-0")]
    variants += [[s._replace(weight=0.3) for s in segments if s.contract_id == "g0-0"], []]
    days_ = [AS_OF, add_months(AS_OF, 1), add_months(AS_OF, 6), add_months(AS_OF, 13)]
    together = score_points_variants(base, variants, days_)
    backwards = score_points_variants(base, variants[::-1], days_)[::-1]
    alone = [score_points_variants(base, [variant], days_)[0] for variant in variants]
    assert together == backwards == alone
    assert together[-1] == [p.shown for p in score_points(base, days_)]  # no variant: the base itself
    assert len({tuple(p.raw for p in points) for points in together}) > 2  # the variants do differ
