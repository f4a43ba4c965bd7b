"""Uncertainty ranges: likely always within [worst, best]; knowing feedback narrows the band."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.uncertainty import projection_band, score_range
from tests.builders import D, ended


def test_unknown_private_feedback_widens_the_range() -> None:
    contracts = [ended(f"g{i}", D("2025-02-01"), client=f"C{i}") for i in range(5)]
    spread = score_range(contracts, D("2025-03-01"))
    assert spread.likely.jss == 100 and spread.high == 100 and spread.low is not None and spread.low < 100
    assert {u.rule for u in spread.unknowns} == {"F-PRIVATE-FB"}
    known = [c.model_copy(update={"private_rating": 10}) for c in contracts]
    narrowed = score_range(known, D("2025-03-01"))
    assert narrowed.low == narrowed.high == 100 and narrowed.unknowns == ()


def test_pending_feedback_is_unknown_until_the_window_closes() -> None:
    contracts = [ended(f"g{i}", D("2025-10-01"), client=f"C{i}") for i in range(3)]
    contracts.append(ended("fresh", D("2025-11-20"), client="New", stars=None))
    assert [u.contract_id for u in score_range(contracts, D("2025-11-25")).unknowns] == ["fresh"]
    assert score_range(contracts, D("2025-12-10")).unknowns == ()  # 14 days passed: excluded for sure


@settings(max_examples=40, deadline=None)
@given(
    stars=st.lists(st.sampled_from([None, 1.0, 3.0, 4.0, 4.5, 5.0]), min_size=2, max_size=8),
    ended_months_ago=st.lists(st.integers(min_value=0, max_value=30), min_size=8, max_size=8),
    reveal=st.integers(min_value=0, max_value=7),
)
def test_likely_within_range_and_knowing_narrows(stars: list, ended_months_ago: list, reveal: int) -> None:
    as_of = date(2026, 1, 15)
    contracts = []
    for i, s in enumerate(stars):
        end = date(2026 - (ended_months_ago[i] + 1) // 12, 12 - (ended_months_ago[i] % 12), 1)
        end = min(end, as_of)
        contracts.append(ended(f"c{i}", end, client=f"C{i % 4}", stars=s, earnings=300 + 100 * i))
    spread = score_range(contracts, as_of)
    if spread.likely.jss is not None:
        assert spread.low is not None and spread.high is not None
        assert spread.low <= spread.likely.jss <= spread.high
    if reveal < len(contracts) and spread.likely.jss is not None:
        c = contracts[reveal]
        if c.public_stars is not None:  # the private rating becomes known and agrees with the stars
            contracts[reveal] = c.model_copy(update={"private_rating": 10 if c.public_stars >= 4.5 else 3})
            known = score_range(contracts, as_of)
            assert len(known.unknowns) <= len(spread.unknowns)


def test_projection_band_brackets_the_likely_line() -> None:
    contracts = [ended(f"g{i}", D("2025-02-01"), client=f"C{i}") for i in range(5)]
    band = projection_band(contracts, D("2025-03-01"), months=12)
    for point, low, high in zip(band.likely.points, band.low, band.high, strict=True):
        if point.raw is not None:
            assert low is not None and high is not None and low <= point.raw <= high


def test_what_if_ranges_bracket_each_scenario() -> None:
    from scoring.whatif import what_if

    contracts = [ended(f"g{i}", D("2025-02-01"), client=f"C{i}") for i in range(5)]
    contracts.append(ended("recent", D("2025-08-01"), client="R", stars=None))
    sims = what_if(contracts, "recent", D("2025-08-05"))
    widened = False
    for scenario in sims.scenarios:
        for months, point in scenario.points.items():
            low, high = scenario.low[months], scenario.high[months]
            if point.raw is not None:
                assert low is not None and high is not None and low <= point.raw <= high
                widened = widened or low < high
    assert widened  # five contracts with unseen private feedback: the range is real
