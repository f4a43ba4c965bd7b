"""Projection: the score on each update day ahead if nothing else happens, and the dated events that move it.

The premise is "no new work, no new feedback": outcomes age out of the windows (W-AGE-OUT), paid
long-term contracts lapse 90 days after their last payment (E-CURRENT), idle open contracts start to
count (C-OPEN-INACTIVE-JSS, modelled). The cadence decides on which days Upwork would show a change.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .classify import OutcomeKind, Segment
from .dates import add_months, next_biweekly_sunday, window_exit
from .model import Contract
from .params import DEFAULT_PARAMS, Cadence, ModelParams
from .rulebook import rule_numbers
from .score import all_segments
from .windows import ScorePoint, score_points, window_label


class EventKind(StrEnum):
    LEAVES_WINDOW = "leaves_window"
    STARTS_COUNTING = "starts_counting"
    STOPS_COUNTING = "stops_counting"
    GOES_IDLE = "goes_idle"  # a paid long-term contract lapses and starts to count as idle the same day


@dataclass(frozen=True, slots=True)
class ProjectionEvent:
    day: date  # the change takes effect on this day
    update_day: date  # the first update (by cadence) that shows it
    contract_id: str
    kind: EventKind
    outcome: OutcomeKind
    window: str | None
    rules: tuple[str, ...]
    jss_before: int | None = None
    jss_after: int | None = None


@dataclass(frozen=True, slots=True)
class Projection:
    as_of: date
    until: date
    cadence: Cadence
    points: tuple[ScorePoint, ...]
    events: tuple[ProjectionEvent, ...]

    def at(self, day: date) -> ScorePoint:
        """The score shown on `day`: the last update on or before it."""
        current = self.points[0]
        for p in self.points:
            if p.day > day:
                break
            current = p
        return current

    @property
    def lowest(self) -> ScorePoint:
        return min(self.points, key=lambda p: (p.raw is None, p.raw if p.raw is not None else 0.0))

    def moving_events(self) -> tuple[ProjectionEvent, ...]:
        return tuple(e for e in self.events if e.jss_before != e.jss_after)


def update_days(as_of: date, until: date, cadence: Cadence, change_days: Sequence[date]) -> list[date]:
    """Days on which the displayed score can change: every change day (daily) or every other Sunday."""
    numbers = rule_numbers()
    if cadence is Cadence.DAILY:
        return sorted({as_of, until, *(d for d in change_days if as_of < d <= until)})
    days = [as_of]
    day = next_biweekly_sunday(as_of + timedelta(days=1), numbers.legacy_anchor, numbers.legacy_interval_days)
    while day <= until:
        days.append(day)
        day += timedelta(days=numbers.legacy_interval_days)
    return days


RawEvent = tuple[date, str, EventKind, OutcomeKind, str | None, tuple[str, ...]]
"""(day, contract id, kind, outcome, window label or None, rules)"""


def segment_events(segments: Sequence[Segment], as_of: date, until: date) -> list[RawEvent]:
    """Raw (day, contract, kind, outcome, window, rules) changes after `as_of`, up to `until`."""
    numbers = rule_numbers()
    months = sorted({*numbers.trending_months, *numbers.window_months})
    found: list[RawEvent] = []
    for s in segments:
        if not s.counts:
            continue
        if as_of < s.start <= until:
            found.append((s.start, s.contract_id, EventKind.STARTS_COUNTING, s.kind, None, s.rules))
        if as_of < s.end <= until:
            found.append((s.end, s.contract_id, EventKind.STOPS_COUNTING, s.kind, None, s.rules))
        if s.dated is not None:
            for m in months:
                leave = window_exit(s.dated, m, numbers.age_out_extra_days)
                if as_of < leave <= until and s.start < leave <= s.end:
                    rule = "W-24MAX" if m == numbers.max_months else "W-AGE-OUT"
                    found.append((leave, s.contract_id, EventKind.LEAVES_WINDOW, s.kind, window_label(m), (rule,)))
    starts = {(e[0], e[1]): e for e in found if e[2] is EventKind.STARTS_COUNTING}
    stops = {(e[0], e[1]) for e in found if e[2] is EventKind.STOPS_COUNTING}
    merged: list[RawEvent] = []
    for e in found:
        key = (e[0], e[1])
        if key in starts and key in stops:
            if e[2] is EventKind.STOPS_COUNTING:
                idle = starts[key]
                merged.append((e[0], e[1], EventKind.GOES_IDLE, idle[3], None, (*e[5], *idle[5])))
            elif e[2] is not EventKind.STARTS_COUNTING:
                merged.append(e)
        else:
            merged.append(e)
    merged.sort(key=lambda e: (e[0], e[1], e[2].value, e[4] or ""))
    return merged


def project(
    contracts: Sequence[Contract],
    as_of: date,
    params: ModelParams = DEFAULT_PARAMS,
    months: int | None = None,
    segments: Sequence[Segment] | None = None,
) -> Projection:
    """The score per update day for the next `months` (default params.projection_months)."""
    until = add_months(as_of, months if months is not None else params.projection_months)
    segs = list(segments) if segments is not None else all_segments(contracts, params, as_of)
    raw_events = segment_events(segs, as_of, until)
    days = update_days(as_of, until, params.cadence, [e[0] for e in raw_events])
    change_days = sorted({e[0] for e in raw_events})
    eve_days = [d - timedelta(days=1) for d in change_days]
    # One sweep gives the update days and, around each change, the score just before and on it.
    by_day = {p.day: p for p in score_points(segs, sorted({*days, *change_days, *eve_days}), params)}
    events = []
    for day, cid, kind, outcome, window, rules in raw_events:
        index = bisect_left(days, day)
        shown_on = days[index] if index < len(days) else until
        before, after = by_day[day - timedelta(days=1)].jss, by_day[day].jss
        events.append(ProjectionEvent(day, shown_on, cid, kind, outcome, window, rules, before, after))
    points = tuple(by_day[d] for d in days)
    return Projection(as_of, until, params.cadence, points, tuple(events))
