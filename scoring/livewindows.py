"""Window sums of a set of segments that changes while the day only moves forward: the planner's base.

The planner asks, step after step and day after day, "what would the score be if this one contract
were closed today?". Sweeping the whole ledger again for every question made a plan cost O(n) sweeps
of O(n) events per step. Here the base (every contract as it stands) is swept once, forward, as the
days advance; a segment is added or removed in O(windows log n); and a question is answered by
applying that one contract's difference on top of the base, reading the score and undoing it:
O(windows), whatever the size of the ledger.

A segment is inside window `wi` on day d exactly when `enter <= d < leave` for its span in that window
(`spans`), which is what `windows.window_events` encodes as an entry and an exit event.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from datetime import date

from .classify import FAR_FUTURE, Segment
from .dates import window_exit
from .params import ModelParams
from .rulebook import rule_numbers
from .windows import ScorePoint, WindowSweep, displayed, window_months

Span = tuple[int, date, date]
"""(window index, first day inside, first day outside)"""


def spans(segment: Segment) -> tuple[Span, ...]:
    """The days the segment is inside each window (none if it does not count)."""
    if not segment.counts:
        return ()
    numbers = rule_numbers()
    enter = segment.start if segment.dated is None else max(segment.start, segment.dated)
    found: list[Span] = []
    for wi, months in enumerate(window_months()):
        if segment.dated is None:
            leave = segment.end
        else:
            leave = min(segment.end, window_exit(segment.dated, months, numbers.age_out_extra_days))
        if enter < leave:
            found.append((wi, enter, leave))
    return tuple(found)


Placed = tuple[Segment, tuple[Span, ...]]
"""A segment with its spans, computed once."""


def placed(segment: Segment) -> Placed:
    return segment, spans(segment)


class LiveWindows:
    """The window sums on `day` of the segments added and not removed; `advance` moves the day forward."""

    def __init__(self, params: ModelParams, day: date) -> None:
        self.day = day
        self._sweep = WindowSweep(params)
        self._accs = self._sweep.accs
        self._queue: list[tuple[date, int, int, int, int]] = []  # (day, -1 exit / +1 entry, seq, window, handle)
        self._live: dict[int, Placed] = {}
        self._next = 0
        self._seq = 0  # tie key: the queue never compares segments
        self.updates = 0  # window-sum updates made: the unit of work (tests count it, never time it)
        self.trials = 0  # scores read under a trial change

    def _apply(self, wi: int, segment: Segment, sign: int) -> None:
        self._accs[wi].apply(segment, sign)
        self.updates += 1

    def add(self, item: Placed) -> int:
        """Count the segment from `day` on; the handle removes it again."""
        handle = self._next
        self._next += 1
        segment, segment_spans = item
        self._live[handle] = item
        for wi, enter, leave in segment_spans:
            if leave <= self.day:
                continue
            if enter <= self.day:
                self._apply(wi, segment, 1)
            else:
                self._push(enter, 1, wi, handle)
            if leave != FAR_FUTURE:
                self._push(leave, -1, wi, handle)
        return handle

    def _push(self, day: date, sign: int, wi: int, handle: int) -> None:
        self._seq += 1
        heapq.heappush(self._queue, (day, sign, self._seq, wi, handle))

    def remove(self, handle: int) -> None:
        """Stop counting the segment from `day` on (its queued events are dropped when reached)."""
        segment, segment_spans = self._live.pop(handle)
        for wi, enter, leave in segment_spans:
            if enter <= self.day < leave:
                self._apply(wi, segment, -1)

    def advance(self, day: date) -> None:
        """Move to a later day, applying every entry and exit up to it."""
        if day < self.day:
            raise ValueError(f"live windows only move forward ({self.day} -> {day})")
        queue = self._queue
        while queue and queue[0][0] <= day:
            _, sign, _, wi, handle = heapq.heappop(queue)
            item = self._live.get(handle)
            if item is not None:
                self._apply(wi, item[0], sign)
        self.day = day

    def point(self) -> ScorePoint:
        return self._sweep.point(self.day)

    def eligible_clients(self) -> list[int]:
        """Per window, the distinct clients with an eligible outcome inside on `day`."""
        return [acc.n_eligible_clients for acc in self._accs]

    def trial(self, drop: Sequence[Placed], add: Sequence[Placed]) -> int | None:
        """The JSS on `day` with `drop` no longer counting and `add` counting; the sums are left unchanged."""
        self.trials += 1
        day = self.day
        changes = [(wi, s, -1) for s, sp in drop for wi, enter, leave in sp if enter <= day < leave]
        changes += [(wi, s, 1) for s, sp in add for wi, enter, leave in sp if enter <= day < leave]
        saved = {wi: self._accs[wi].save() for wi, _, _ in changes}
        for wi, segment, sign in changes:
            self._apply(wi, segment, sign)
        jss = displayed(self._sweep.raw())
        for wi, segment, sign in reversed(changes):
            self._accs[wi].apply(segment, -sign)  # client counts are integers: this undoes them exactly
        for wi, state in saved.items():
            self._accs[wi].restore(state)
        return jss
