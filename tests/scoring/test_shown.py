"""The score shown without every window's stats (`Shown`) is exactly the displayed part of a `ScorePoint`.

What-ifs (`score_points_variants`) and the advice's outlook (`shown_points`) read only the displayed score,
so they skip building each window's stats (issue 13); these properties are what makes that a pure saving.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from scoring.dates import add_months
from scoring.engine import DEFAULT_PARAMS
from scoring.eras import era_of
from scoring.model import Ledger
from scoring.score import all_segments
from scoring.windows import WindowSweep, score_points, shown_points, window_events
from tests.scoring.test_properties import AS_OF, examples, ledgers

DAYS = st.lists(st.integers(-400, 800).map(lambda n: AS_OF + timedelta(days=n)), min_size=1, max_size=6)


@examples(60)
@given(ledgers(min_size=0, max_size=10), DAYS, st.booleans())
def test_shown_points_are_the_score_points_shown(ledger: Ledger, days: list[date], one_era: bool) -> None:
    segments = all_segments(ledger.contracts, DEFAULT_PARAMS, AS_OF)
    era = era_of(AS_OF) if one_era else None
    points = score_points(segments, days, DEFAULT_PARAMS, era)
    assert shown_points(segments, days, DEFAULT_PARAMS, era) == [p.shown for p in points]
    for shown, point in zip(shown_points(segments, days, DEFAULT_PARAMS, era), points, strict=True):
        assert (shown.day, shown.raw, shown.jss, shown.best, shown.eligible, shown.trending) == (
            point.day,
            point.raw,
            point.jss,
            point.best,
            point.eligible,
            point.trending,
        )


@examples(40)
@given(ledgers(min_size=1, max_size=10))
def test_a_sweep_shows_what_its_point_displays_after_every_event(ledger: Ledger) -> None:
    """Event by event, as drop attribution feeds a sweep: `shown` and `raw` agree with `point`."""
    segments = all_segments(ledger.contracts, DEFAULT_PARAMS, AS_OF)
    last = add_months(AS_OF, 24)
    sweep = WindowSweep(DEFAULT_PARAMS)
    for event in window_events(segments, AS_OF, last):
        sweep.apply(event)
        point = sweep.point(event[0])
        assert sweep.shown(event[0]) == point.shown
        assert sweep.raw() == point.raw
