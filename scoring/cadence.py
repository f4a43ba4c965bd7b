"""Which update a score reflects: Upwork recomputed the JSS every other Sunday until T-2024-09-INSIGHTS,
daily since (W-CADENCE-LEGACY, W-CADENCE-CURRENT).

A score asked about a day under the fortnightly rules is the one of the last update on or before that day:
a job closed on Monday shows nowhere until the next update Sunday. The fortnightly step is not one grid
since 2015: it is taken from the latest reported update day on or before the day (rules.toml
W-CADENCE-LEGACY known_update_days), or the earliest one for days before it.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date

from .dates import last_biweekly_sunday
from .eras import Era
from .params import Cadence
from .rulebook import rule_numbers


def update_day(day: date, era: Era) -> date:
    """The day of the update in force on `day` under `era`'s cadence (the day itself when daily)."""
    if era.cadence is Cadence.DAILY:
        return day
    numbers = rule_numbers()
    known = numbers.legacy_known_updates
    anchor = known[max(bisect_right(known, day) - 1, 0)]
    return last_biweekly_sunday(day, anchor, numbers.legacy_interval_days)
