"""Rolling-window scores over time, by a sweep over the days outcomes enter and leave each window.

One mechanism serves "the score today", the 24-month projection and the Top Rated history: each
counting segment becomes an interval per window (W-WINDOWS, W-AGE-OUT), and the running sums between
interval boundaries give every window's score at any day in O(n log n) for n contracts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .classify import OutcomeKind, Segment
from .dates import window_exit
from .params import DEFAULT_PARAMS, ModelParams
from .rulebook import rule_numbers

TRENDING = "trending"


def window_label(months: int) -> str:
    return f"{months}m"


@dataclass(frozen=True, slots=True)
class WindowStats:
    """Weighted outcomes inside one window on one day, and the score they give (None: not enough)."""

    label: str
    good: float
    bad: float
    neutral: float
    outcomes: int
    clients: int
    eligible_jobs: int
    eligible_clients: int
    score: float | None

    @property
    def total(self) -> float:
        return self.good + self.bad + self.neutral


@dataclass(frozen=True, slots=True)
class ScorePoint:
    """Every window's score on one day, the score Upwork would display, and whether a score exists."""

    day: date
    windows: dict[str, WindowStats]
    trending: float | None
    raw: float | None  # displayed value before rounding (None: no score)
    best: str | None  # which window is displayed
    eligible: bool

    @property
    def jss(self) -> int | None:
        return None if self.raw is None else int(self.raw + 0.5)

    def window_scores(self) -> dict[str, float | None]:
        scores: dict[str, float | None] = {label: w.score for label, w in self.windows.items()}
        scores[TRENDING] = self.trending
        return scores


class _Acc:
    """Running sums of one window."""

    __slots__ = ("good", "bad", "neutral", "outcomes", "clients", "eligible", "eligible_clients")

    def __init__(self) -> None:
        self.good = 0.0
        self.bad = 0.0
        self.neutral = 0.0
        self.outcomes = 0
        self.clients: Counter[str] = Counter()
        self.eligible = 0
        self.eligible_clients: Counter[str] = Counter()

    def apply(self, segment: Segment, sign: int) -> None:
        w = segment.weight * sign
        if segment.kind is OutcomeKind.GOOD:
            self.good += w
        elif segment.kind is OutcomeKind.BAD:
            self.bad += w
        else:
            self.neutral += w
        self.outcomes += sign
        self.clients[segment.client.casefold()] += sign
        if segment.eligible:
            self.eligible += sign
            self.eligible_clients[segment.client.casefold()] += sign

    def stats(self, label: str, params: ModelParams) -> WindowStats:
        clients = sum(1 for v in self.clients.values() if v > 0)
        eligible_clients = sum(1 for v in self.eligible_clients.values() if v > 0)
        total = self.good + self.bad + self.neutral
        score: float | None = None
        if self.outcomes >= params.window_min_outcomes and clients >= params.window_min_clients and total > 1e-9:
            # F-FORMULA with the calibrated penalty (L-ESTIMATOR), clamped to the displayable range.
            score = 100.0 * (self.good - params.bad_penalty * self.bad) / total
            score = min(100.0, max(0.0, score))
        return WindowStats(label, round(self.good, 6), round(self.bad, 6), round(self.neutral, 6),
                           self.outcomes, clients, self.eligible, eligible_clients, score)  # fmt: skip


def score_points(
    segments: Iterable[Segment], days: Sequence[date], params: ModelParams = DEFAULT_PARAMS
) -> list[ScorePoint]:
    """The score on each of `days` (any order; returned in ascending order) for the given segments."""
    numbers = rule_numbers()
    months = sorted({*numbers.window_months, *numbers.trending_months})
    ordered = sorted(days)
    if not ordered:
        return []
    first, last = ordered[0], ordered[-1]
    events: list[tuple[date, int, int, int, Segment]] = []
    for s in segments:
        if not s.counts or s.start > last:
            continue
        for wi, m in enumerate(months):
            if s.dated is None:
                enter, leave = s.start, s.end
            else:
                enter = max(s.start, s.dated)
                leave = min(s.end, window_exit(s.dated, m, numbers.age_out_extra_days))
            # Only changes up to the last day matter, and an interval over before the first day adds nothing.
            if enter < leave and enter <= last and leave > first:
                # Exits (-1) sort before entries (+1) on the same day; a tie key keeps the order stable.
                events.append((enter, 1, wi, len(events), s))
                if leave <= last:
                    events.append((leave, -1, wi, len(events), s))
    events.sort()  # the unique 4th item decides every tie, so segments are never compared
    accs = [_Acc() for _ in months]
    labels = [window_label(m) for m in months]
    trend_a, trend_b = (labels[months.index(m)] for m in numbers.trending_months)
    shown = [window_label(m) for m in numbers.window_months]
    longest = window_label(numbers.max_months)
    points: list[ScorePoint] = []
    i = 0
    for day in ordered:
        while i < len(events) and events[i][0] <= day:
            _, sign, wi, _, seg = events[i]
            accs[wi].apply(seg, sign)
            i += 1
        windows = {label: acc.stats(label, params) for label, acc in zip(labels, accs, strict=True)}
        a, b = windows[trend_a].score, windows[trend_b].score
        trending = None if a is None or b is None else (a + b) / 2  # W-TRENDING
        full = windows[longest]
        eligible = full.eligible_jobs >= numbers.min_jobs and full.eligible_clients >= numbers.min_clients
        candidates = [(windows[label].score, label) for label in shown] + [(trending, TRENDING)]
        available = [(v, label) for v, label in candidates if v is not None]
        raw: float | None = None
        best: str | None = None
        if eligible and available:
            raw, best = max(available, key=lambda c: c[0])  # W-WINDOWS: the best one is displayed
        points.append(ScorePoint(day, windows, trending, raw, best, eligible))
    return points
