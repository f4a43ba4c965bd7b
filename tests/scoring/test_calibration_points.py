"""Our own calibration set (tests/scoring/calibration): its integrity, the fixed split, and how the model does.

The figures are measured by bench/calibration.py; these tests only guard them: the fit part must stay at
least as good as fitted, and the range must stay informative and keep the held-back scores it contains.
The issue's target (range containing >= 90 % of unseen points) is not met on the held-back part (7 of 8);
the strict xfail below says so and will fail the day it is met, so that this file gets updated.
"""

from __future__ import annotations

import statistics
import tomllib
from datetime import date

import pytest

from scoring.engine import score
from scoring.eras import era_of
from scoring.uncertainty import score_range
from tests.scoring.calibration import POINTS_FILE, CalibrationPoint, load_points, split

FIRST_SEEN = POINTS_FILE.with_name("first_seen.toml")


def first_seen() -> dict[str, object]:
    with FIRST_SEEN.open("rb") as handle:
        return tomllib.load(handle)


def scored(points: list[CalibrationPoint]) -> list[tuple[CalibrationPoint, int | None, int | None, int | None]]:
    rows = []
    for p in points:
        if p.has_score:
            spread = score_range(list(p.contracts), p.as_of)
            rows.append((p, score(list(p.contracts), p.as_of).jss, spread.low, spread.high))
    return rows


def test_every_point_is_complete_and_names_the_era_of_its_date() -> None:
    points = load_points()
    assert len({p.id for p in points}) == len(points) == len({p.url for p in points})
    for p in points:
        assert p.url.startswith("https://"), p.id
        assert date(2015, 3, 1) <= p.as_of <= date(2026, 12, 31), p.id
        assert p.era == era_of(p.as_of).rule, f"{p.id}: recorded era {p.era}, date says {era_of(p.as_of).rule}"
        assert p.assumptions and p.story and p.contracts, p.id
        assert p.reported == -1 or 0 <= p.reported <= 100, p.id
        assert all(c.latest_date() <= p.as_of for c in p.contracts), p.id


def test_the_split_is_the_one_fixed_before_the_first_run() -> None:
    fit, held = split(load_points())
    seen = first_seen()
    batches = seen.get("batch", [])
    assert isinstance(batches, list)
    recorded = [*seen["held_back_ids"], *(i for b in batches for i in b["held_back_ids_kept"])]  # type: ignore[misc]
    assert [p.id for p in held] == recorded  # each batch's held-back points were scored once, as first seen
    assert len(fit) > len(held) > 0


def test_the_fit_part_stays_as_fitted() -> None:
    """Fitted: MAE 12.2 and 7 of 17 within 6 points (round 3: four more points, good stars from 4.8,
    ongoing work under 90 days as one job; the round-2 model on these 17: 14.1 and 6; round 2 on its 13
    points: 14.1 and 5; round 1 on its 11: 15.1 and 3; the engine before issue 18 on those 11: 20.5 and 1)."""
    fit, _ = split(load_points())
    rows = scored(fit)
    errors = [abs((jss or 0) - p.reported) for p, jss, _, _ in rows]
    assert statistics.fmean(errors) <= 12.5
    assert sum(e <= 6 for e in errors) >= 7


def test_the_range_contains_the_reported_score_on_the_fit_part() -> None:
    fit, _ = split(load_points())
    rows = scored(fit)
    inside = [low is not None and high is not None and low <= p.reported <= high for p, _, low, high in rows]
    assert sum(inside) / len(inside) >= 0.9
    widths = [high - low for _, _, low, high in rows if low is not None and high is not None]
    assert statistics.fmean(widths) <= 40  # informative: not 0 to 100


def test_the_range_contains_the_reported_score_on_the_held_back_part() -> None:
    """7 of the 8 held-back scores inside the range (as first seen: 4 of 6, then 2 of 2 in round 3; the
    round-2 ranges held 6 of these 8). One is still a point above the best reading (98 shown, 97 best);
    the one with no score under the 3-client rule of 2020 now gets the range of the score Upwork would show
    if it counted ongoing work already. Every range is informative."""
    _, held = split(load_points())
    rows = scored(held)
    inside = [low is not None and high is not None and low <= p.reported <= high for p, _, low, high in rows]
    assert sum(inside) >= 7
    assert all(high is None or low is None or high - low < 100 for _, _, low, high in rows)
    widths = [high - low for _, _, low, high in rows if low is not None and high is not None]
    assert statistics.fmean(widths) <= 50


@pytest.mark.xfail(strict=True, reason="issue 18 target not met on the held-back part: 7 of 8 (87.5 %) inside")
def test_the_range_contains_90_percent_of_the_held_back_scores() -> None:
    _, held = split(load_points())
    rows = scored(held)
    inside = [low is not None and high is not None and low <= p.reported <= high for p, _, low, high in rows]
    assert sum(inside) / len(inside) >= 0.9
