"""Calendar arithmetic the rules are stated in: months (windows), days (deadlines), weeks (badges)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

ONE_DAY = timedelta(days=1)
# Window arithmetic is asked again and again with the same few arguments (every score sweeps each
# contract's outcome dates through each window): remembered, bounded (a long-lived worker process).
_KEPT = 1 << 14


def add_months(day: date, months: int) -> date:
    """Same day-of-month `months` later (or earlier), clamped to the month's end (31 Aug + 6 -> 28/29 Feb)."""
    year, month0 = divmod(day.year * 12 + (day.month - 1) + months, 12)
    if day.day <= 28:  # every month has it: no clamping (the common case, on the scoring hot path)
        return date(year, month0 + 1, day.day)
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end (0 if end is before start + 1 month)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    # add_months(start, months) lands in end's month on min(start.day, month length); it is past `end`
    # only if end.day is smaller than start.day and than the month length (31 Jan -> 28 Feb is 1 month).
    if end.day < start.day and end.day < calendar.monthrange(end.year, end.month)[1]:
        months -= 1
    return max(0, months)


def in_window(outcome_day: date, at: date, months: int, extra_days: int = 1) -> bool:
    """W-AGE-OUT: an outcome leaves an N-month window N months and `extra_days` day(s) after its date."""
    return outcome_day <= at < add_months(outcome_day, months) + timedelta(days=extra_days)


@lru_cache(maxsize=_KEPT)
def window_exit(outcome_day: date, months: int, extra_days: int = 1) -> date:
    """First day the outcome is no longer inside the N-month window (W-AGE-OUT)."""
    return add_months(outcome_day, months) + timedelta(days=extra_days)


@lru_cache(maxsize=_KEPT)
def window_start(at: date, months: int, extra_days: int = 1) -> date:
    """The oldest outcome date still inside the N-month window on `at`: `window_exit(d) > at` exactly
    when `d >= window_start(at)` (window_exit is monotone in d; month-end clamping makes it skip days)."""
    target = at - timedelta(days=extra_days - 1)  # inside on `at` <=> add_months(d, months) >= target
    day = add_months(target, -months)
    while add_months(day, months) < target:
        day += ONE_DAY
    return day


def next_biweekly_sunday(on_or_after: date, anchor: date, interval_days: int = 14) -> date:
    """W-CADENCE-LEGACY: the first update Sunday on or after a date, in step with a known update Sunday."""
    offset = (on_or_after - anchor).days % interval_days
    return on_or_after if offset == 0 else on_or_after + timedelta(days=interval_days - offset)


def last_biweekly_sunday(on_or_before: date, anchor: date, interval_days: int = 14) -> date:
    """W-CADENCE-LEGACY: the last update Sunday on or before a date, in step with a known update Sunday."""
    return on_or_before - timedelta(days=(on_or_before - anchor).days % interval_days)
