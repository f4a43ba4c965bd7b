"""The planner's candidates, grouped so that one step asks as few "what if I close this one today?" as needed.

B-TR makes the planner look for the oldest candidate whose closing keeps a Top Rated user at 90 %. Near
the threshold every candidate fails, and asking each one at each step is O(n) questions per step. But
closing a candidate changes the base sums by an amount that only depends on a few things: which of its
segments count today and in which windows (kind, weight, eligibility), and what its closed copy adds
(kind, weight, dates relative to the closing day). Candidates alike in those ("key") give the same
score, so one question per key answers for all of them; a key only changes on the few days one of the
candidate's segments enters or leaves a window, kept in a queue.

The client is not in the key: it matters only through the count of distinct eligible clients, which
a closing moves by at most `radius`. When every window's count is far enough from the thresholds it is
compared with, the client cannot change the score; otherwise the candidates are asked one by one
(same key and same client still share one answer).
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from .classify import FAR_FUTURE, Segment, contract_segments
from .livewindows import LiveWindows, Placed, placed
from .model import Contract
from .params import ModelParams
from .rulebook import rule_numbers
from .whatif import ended_copy
from .windows import window_months

Stars = float | None


def _shift(segment: Segment, by: timedelta) -> Segment:
    """The segment of a contract closed `by` later: every date moves with the closing day."""
    end = segment.end if segment.end == FAR_FUTURE else segment.end + by
    dated = None if segment.dated is None else segment.dated + by
    return segment._replace(start=segment.start + by, end=end, dated=dated)


@dataclass(slots=True, eq=False)
class Candidate:
    """A contract the plan may close, with what closing it on any day changes (derived once)."""

    contract: Contract
    rank: int  # position in the oldest-first order
    pending: tuple[Placed, ...]  # its segments while it stays open
    template_day: date  # `closed` are its ended segments if closed on this day
    closed: dict[Stars, tuple[Segment, ...]]  # counting ones only: the others add nothing to any window
    closed_key: Hashable
    breaks: tuple[date, ...]  # days one of its open segments enters or leaves a window
    handles: list[int] = field(default_factory=list)
    key: Hashable = None

    def pending_key(self, day: date) -> Hashable:
        """What its open segments contribute on `day`, client aside."""
        found = []
        for segment, spans in self.pending:
            windows = tuple(wi for wi, enter, leave in spans if enter <= day < leave)
            if windows:
                found.append((segment.kind, segment.weight, segment.eligible, windows))
        return tuple(found)

    def closed_on(self, day: date, stars: Stars) -> list[Placed]:
        return [placed(_shift(s, day - self.template_day)) for s in self.closed[stars]]


def _closed_key(segments: Sequence[Segment], day: date) -> Hashable:
    return tuple(
        (
            s.kind,
            s.weight,
            s.eligible,
            s.start - day,
            None if s.end == FAR_FUTURE else s.end - day,
            None if s.dated is None else s.dated - day,
        )
        for s in segments
    )


def make_candidate(c: Contract, rank: int, params: ModelParams, as_of: date) -> Candidate:
    template_day = max(as_of, c.started)  # any day works (closing days are never before the start)
    closed: dict[Stars, tuple[Segment, ...]] = {}
    for stars in (None, params.poor_feedback_stars):
        ended = ended_copy(c, template_day, escrow_usd=Decimal(0), public_stars=stars)
        closed[stars] = tuple(s for s in contract_segments(ended, params) if s.counts)
    pending = tuple(placed(s) for s in contract_segments(c, params, as_of=as_of))
    breaks = sorted({d for _, spans in pending for _, enter, leave in spans for d in (enter, leave)} - {FAR_FUTURE})
    closed_key = tuple(_closed_key(closed[stars], template_day) for stars in closed)
    return Candidate(c, rank, pending, template_day, closed, closed_key, tuple(breaks))


class CandidatePool:
    """The candidates not yet closed, by rank and by key, over a forward-moving `LiveWindows` base."""

    def __init__(self, candidates: Sequence[Contract], params: ModelParams, live: LiveWindows, as_of: date) -> None:
        self.params = params
        self.live = live
        self.all = [make_candidate(c, rank, params, as_of) for rank, c in enumerate(candidates)]
        self.alive = [True] * len(self.all)
        self.left = len(self.all)
        self._first = 0
        self._buckets: dict[Hashable, list[int]] = {}
        self._changes: list[tuple[date, int]] = []
        self._memo: dict[Hashable, int | None] = {}
        self._settled: bool | None = None  # _clients_settled() for the base as it is now
        self._closed_spans: dict[Hashable, list[Placed]] = {}  # (closed key, stars) -> today's closed copy
        for cand in self.all:
            cand.handles = [live.add(item) for item in cand.pending]
            self._rekey(cand, live.day)
        # How far one closing can move a window's count of distinct eligible clients (down or up).
        self.radius = max(
            (
                max(
                    sum(s.eligible for s, spans in cand.pending if spans),
                    *(sum(s.eligible for s in segs) for segs in cand.closed.values()),
                )
                for cand in self.all
            ),
            default=0,
        )
        n = rule_numbers()
        months = window_months()
        self._thresholds = [
            (params.window_min_clients, n.min_clients) if m == n.max_months else (params.window_min_clients,)
            for m in months
        ]

    def _rekey(self, cand: Candidate, day: date) -> None:
        cand.key = (cand.pending_key(day), cand.closed_key)
        heapq.heappush(self._buckets.setdefault(cand.key, []), cand.rank)
        later = next((d for d in cand.breaks if d > day), None)
        if later is not None:
            heapq.heappush(self._changes, (later, cand.rank))

    def _changed(self) -> None:
        self._memo.clear()
        self._settled = None

    def advance(self, day: date) -> None:
        """Move the base to `day` and re-key the candidates whose contribution changed."""
        if day != self.live.day:
            self._closed_spans.clear()
        self.live.advance(day)
        self._changed()
        while self._changes and self._changes[0][0] <= day:
            _, rank = heapq.heappop(self._changes)
            if self.alive[rank]:
                self._rekey(self.all[rank], day)

    def first(self) -> Candidate:
        """The oldest candidate not yet closed."""
        while not self.alive[self._first]:
            self._first += 1
        return self.all[self._first]

    def _clients_settled(self) -> bool:
        """True when no closing can move a distinct-client count across a threshold it is compared with."""
        if self._settled is None:
            r, counts = self.radius, self.live.eligible_clients()
            self._settled = all(
                b >= t + r or b <= t - r - 1 for b, ts in zip(counts, self._thresholds, strict=True) for t in ts
            )
        return self._settled

    def in_order(self) -> Iterator[Candidate]:
        """The candidates not yet closed, oldest first, as far as telling them apart can change a score:
        the first of each key when clients cannot matter, else every one."""
        if not self._clients_settled():
            yield from (cand for cand in self.all[self._first :] if self.alive[cand.rank])
            return
        heads: list[tuple[int, Hashable]] = []
        for key in list(self._buckets):
            bucket = self._buckets[key]
            while bucket and not (self.alive[bucket[0]] and self.all[bucket[0]].key == key):
                heapq.heappop(bucket)  # closed, or re-keyed since
            if bucket:
                heads.append((bucket[0], key))
            else:
                del self._buckets[key]
        for rank, _ in sorted(heads, key=lambda h: h[0]):
            yield self.all[rank]

    def outcome(self, cand: Candidate, stars: Stars) -> int | None:
        """The JSS today if `cand` is closed today with `stars` (None: without feedback)."""
        memo_key = (cand.key, stars, None if self._clients_settled() else cand.contract.client.casefold())
        if memo_key not in self._memo:
            self._memo[memo_key] = self.live.trial(cand.pending, self._closed_today(cand, stars))
        return self._memo[memo_key]

    def _closed_today(self, cand: Candidate, stars: Stars) -> list[Placed]:
        """`cand` closed today: its spans are those of any candidate with the same closed key (cached)."""
        shared = self._closed_spans.get((cand.closed_key, stars))
        if shared is None:
            shared = self._closed_spans[(cand.closed_key, stars)] = cand.closed_on(self.live.day, stars)
        # Updates read kind, weight, eligibility and client from the segment, its days from the spans.
        return [(s, spans) for s, (_, spans) in zip(cand.closed[stars], shared, strict=True)]

    def close(self, cand: Candidate, segments: Sequence[Segment]) -> None:
        """`cand` is closed today: the base counts `segments` instead of its open ones from now on."""
        self.alive[cand.rank] = False
        self.left -= 1
        for handle in cand.handles:
            self.live.remove(handle)
        for segment in segments:
            self.live.add(placed(segment))
        self._changed()
