"""Which update a score reflects (W-CADENCE-LEGACY, W-CADENCE-CURRENT; issue 18).

Before September 2024 the score changed only every other Sunday, so a score asked about a weekday is the
last update's; since then it changes daily.
"""

from __future__ import annotations

from datetime import date

import pytest

from scoring.cadence import update_day
from scoring.engine import score
from scoring.eras import era_of
from scoring.uncertainty import score_range
from tests.builders import days, ended


def test_a_job_closed_after_the_last_update_sunday_is_not_in_the_score_yet() -> None:
    """A reply on td-p/432561 (page 576): four jobs done, no score, because the last update (8 Nov 2020)
    saw only three completed contracts; the next update, 14 days later, gives one."""
    asked = date(2020, 11, 12)
    contracts = [ended(f"g{i}", asked - days(10 + 15 * i), earnings=225) for i in range(3)]
    contracts.append(ended("fourth", asked - days(2), earnings=225))
    result = score(contracts, asked)
    assert result.update_day == date(2020, 11, 8)
    assert result.jss is None  # E-HISTORY: 4 contracts needed, the update saw 3
    assert score_range(contracts, asked).high is None  # the range is of the same update
    later = score(contracts, date(2020, 11, 22))
    assert later.update_day == date(2020, 11, 22)
    assert later.jss == 100


def test_since_september_2024_the_score_is_the_one_of_the_day_asked() -> None:
    asked = date(2025, 3, 12)  # a Wednesday
    contracts = [ended(f"g{i}", asked - days(20 + 15 * i)) for i in range(3)]
    contracts.append(ended("bad", asked - days(1), stars=1.0))
    result = score(contracts, asked)
    assert result.update_day == asked
    assert result.jss is not None and result.jss < 100  # yesterday's bad job is already in it


@pytest.mark.parametrize(
    ("asked", "update"),
    [
        (date(2017, 5, 14), date(2017, 5, 14)),  # "as scheduled, on 14th May" (td-p/343552)
        (date(2015, 10, 25), date(2015, 10, 18)),  # in step with 28 Jun 2015
        (date(2020, 3, 3), date(2020, 3, 1)),  # T-2020-03-SIZE took effect on an update Sunday
        (date(2021, 11, 3), date(2021, 10, 31)),  # the step after the undated shift (td-p/974235)
        (date(2023, 12, 16), date(2023, 12, 10)),
        (date(2024, 9, 3), date(2024, 9, 3)),  # daily from T-2024-09-INSIGHTS
    ],
)
def test_the_update_day_is_the_last_reported_step_of_sundays_on_or_before_the_day(asked: date, update: date) -> None:
    day = update_day(asked, era_of(asked))
    assert day == update
    assert day <= asked and (asked - day).days < 14
