"""Rolling-window scores over time, by a sweep over the days outcomes enter and leave each window.

One mechanism serves "the score today", the 24-month projection and the Top Rated history: each
counting segment becomes an interval per window (W-WINDOWS, W-AGE-OUT), and the running sums between
interval boundaries give every window's score at any day in O(n log n) for n contracts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import NamedTuple

from .classify import COUNTING, OutcomeKind, Segment
from .dates import window_exit, window_start
from .eras import Era, era_of
from .params import DEFAULT_PARAMS, ModelParams
from .rulebook import rule_numbers

TRENDING = "trending"
# Bound once: looking a member up on its enum class costs as much as the addition it decides in
# `_Acc.apply`, the engine's innermost loop.
_GOOD, _BAD = OutcomeKind.GOOD, OutcomeKind.BAD


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


def displayed(raw: float | None) -> int | None:
    """The whole-number JSS Upwork shows for a raw score."""
    return None if raw is None else int(raw + 0.5)


class Shown(NamedTuple):
    """What Upwork would display on one day (a `ScorePoint` without every window's stats).

    What-ifs read only this: building each window's stats for every scenario and day was an eighth of an
    /advise's engine time (issue 13). A named tuple: several per scenario, and cheap to create.
    """

    day: date
    trending: float | None
    raw: float | None  # displayed value before rounding (None: no score)
    best: str | None  # which window is displayed
    eligible: bool

    @property
    def jss(self) -> int | None:
        return displayed(self.raw)


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
        return displayed(self.raw)

    def window_scores(self) -> dict[str, float | None]:
        scores: dict[str, float | None] = {label: w.score for label, w in self.windows.items()}
        scores[TRENDING] = self.trending
        return scores

    @property
    def shown(self) -> Shown:
        return Shown(self.day, self.trending, self.raw, self.best, self.eligible)


AccState = tuple[float, float, float, int, int, int, int, WindowStats | None]  # see _Acc.save


class _Acc:
    """Running sums of one window, with the distinct clients counted as they come and go."""

    __slots__ = (
        "good",
        "bad",
        "neutral",
        "outcomes",
        "clients",
        "n_clients",
        "eligible",
        "eligible_clients",
        "n_eligible_clients",
        "_stats",
    )

    def __init__(self) -> None:
        self.good = 0.0
        self.bad = 0.0
        self.neutral = 0.0
        self.outcomes = 0
        self.clients: dict[str, int] = {}  # casefolded client -> outcomes inside the window
        self.n_clients = 0  # clients with at least one outcome inside
        self.eligible = 0
        self.eligible_clients: dict[str, int] = {}
        self.n_eligible_clients = 0
        self._stats: WindowStats | None = None  # valid until the next apply

    def apply(self, segment: Segment, sign: int) -> None:
        w = segment.weight * sign
        kind = segment.kind
        if kind is _GOOD:
            self.good += w
        elif kind is _BAD:
            self.bad += w
        else:
            self.neutral += w
        self.outcomes += sign
        client = segment.client.casefold()
        # Add `sign` to the client's count; the distinct-client count moves when it reaches or leaves 0.
        # Inline: this runs for every window event, the engine's innermost loop.
        clients = self.clients
        before = clients.get(client, 0)
        clients[client] = before + sign
        self.n_clients += (before + sign > 0) - (before > 0)
        if segment.eligible:
            self.eligible += sign
            eligible = self.eligible_clients
            before = eligible.get(client, 0)
            eligible[client] = before + sign
            self.n_eligible_clients += (before + sign > 0) - (before > 0)
        self._stats = None

    def copy(self) -> _Acc:
        twin = _Acc()
        twin.good, twin.bad, twin.neutral, twin.outcomes = self.good, self.bad, self.neutral, self.outcomes
        twin.clients, twin.n_clients = dict(self.clients), self.n_clients
        twin.eligible, twin.eligible_clients = self.eligible, dict(self.eligible_clients)
        twin.n_eligible_clients, twin._stats = self.n_eligible_clients, self._stats
        return twin

    def save(self) -> AccState:
        """The running sums, to put back exactly after a trial change (float sums do not undo exactly)."""
        return (
            self.good,
            self.bad,
            self.neutral,
            self.outcomes,
            self.n_clients,
            self.eligible,
            self.n_eligible_clients,
            self._stats,
        )

    def restore(self, state: AccState) -> None:
        """Put back sums saved by `save`; the client counts are undone by applying the opposite signs."""
        (
            self.good,
            self.bad,
            self.neutral,
            self.outcomes,
            self.n_clients,
            self.eligible,
            self.n_eligible_clients,
            self._stats,
        ) = state

    def stats(self, label: str, params: ModelParams) -> WindowStats:
        if self._stats is not None:  # unchanged since the last day asked: most windows on most days
            return self._stats
        self._stats = WindowStats(
            label,
            round(self.good, 6),
            round(self.bad, 6),
            round(self.neutral, 6),
            self.outcomes,
            self.n_clients,
            self.eligible,
            self.n_eligible_clients,
            self.score(params),
        )
        return self._stats

    def score(self, params: ModelParams) -> float | None:
        """The window's score now (None: not enough outcomes or clients)."""
        if self._stats is not None:
            return self._stats.score
        total = self.good + self.bad + self.neutral
        # "Enough qualifying outcomes from enough clients" (W-TRENDING): qualifying = eligible jobs (E-CURRENT),
        # so an idle open contract alone cannot make a window appear.
        enough = self.eligible >= params.window_min_outcomes and self.n_eligible_clients >= params.window_min_clients
        if not enough or total <= 1e-9:
            return None
        # F-FORMULA with the calibrated penalty (L-ESTIMATOR) and the small-window smoothing (a prior of
        # good weight, ModelParams.prior_good_weight), clamped to the displayable range.
        prior = params.prior_good_weight
        score = 100.0 * (self.good + prior - params.bad_penalty * self.bad) / (total + prior)
        return min(100.0, max(0.0, score))


WindowEvent = tuple[date, int, int, int, Segment]  # (day, +1 enter / -1 leave, window index, tie key, segment)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Which windows exist and how they combine: read from the catalogue once per call."""

    months: tuple[int, ...]
    labels: tuple[str, ...]
    trend: tuple[int, int]  # the two windows W-TRENDING averages (indexes into months)
    shown: tuple[int, ...]  # the windows W-WINDOWS may display, in the order the best is picked from
    longest: int  # the window eligibility is counted in


@cache
def _layout() -> _Layout:
    numbers = rule_numbers()
    months = tuple(sorted({*numbers.window_months, *numbers.trending_months}))
    labels = tuple(window_label(m) for m in months)
    trend_a, trend_b = (months.index(m) for m in numbers.trending_months)
    shown = tuple(months.index(m) for m in numbers.window_months)
    return _Layout(months, labels, (trend_a, trend_b), shown, months.index(numbers.max_months))


def window_months() -> tuple[int, ...]:
    """Every window's length in months, shortest first: a window index is a position in this tuple."""
    return _layout().months


def window_events(segments: Iterable[Segment], first: date, last: date) -> list[WindowEvent]:
    """Every day a counting segment enters or leaves a window, limited to what matters for [first, last]."""
    numbers = rule_numbers()
    months = _layout().months
    extra_days = numbers.age_out_extra_days
    # Per window, outcomes dated before gone_by_first have left it by the first day (they add nothing);
    # those dated on or after in_on_last are still inside on the last day (their exit day is not needed).
    gone_by_first = [window_start(first, m, extra_days) for m in months]
    in_on_last = [window_start(last, m, extra_days) for m in months]
    events: list[WindowEvent] = []
    append = events.append
    longest_first = range(len(months) - 1, -1, -1)
    # The hot loop of every score: fields read once per segment, `max`/`min` spelled out (same values).
    for s in segments:
        start, end, dated = s.start, s.end, s.dated
        enter = start if dated is None or dated < start else dated
        if s.kind not in COUNTING or enter > last:
            continue  # only changes up to the last day matter
        for wi in longest_first:
            if dated is None or dated >= in_on_last[wi]:
                leave = end  # the window keeps it past the last day: only the segment's own end matters
            elif dated < gone_by_first[wi]:
                break  # left before the first day, and so every shorter window too
            else:
                leave = window_exit(dated, months[wi], extra_days)
                if end < leave:
                    leave = end
            if leave <= first:
                break  # over before the first day, and so in every shorter window: adds nothing
            if enter < leave:
                # Exits (-1) sort before entries (+1) on the same day; a tie key keeps the order stable.
                append((enter, 1, wi, len(events), s))
                if leave <= last:
                    append((leave, -1, wi, len(events), s))
    events.sort()  # the unique 4th item decides every tie, so segments are never compared
    return events


class WindowSweep:
    """Running window sums fed one event at a time; `point(day)` is the score in the current state.

    `score_points` feeds whole days; drop attribution feeds single events to price each one.
    """

    def __init__(self, params: ModelParams = DEFAULT_PARAMS, era: Era | None = None) -> None:
        self.params = params
        self.layout = _layout()
        self.numbers = rule_numbers()
        self.era = era or era_of(None)  # whose eligibility minimums apply (E-CURRENT / E-HISTORY)
        self.accs = [_Acc() for _ in self.layout.months]

    def apply(self, event: WindowEvent) -> None:
        _, sign, wi, _, segment = event
        self.accs[wi].apply(segment, sign)

    def point(self, day: date) -> ScorePoint:
        lay, params = self.layout, self.params
        windows = {label: acc.stats(label, params) for label, acc in zip(lay.labels, self.accs, strict=True)}
        trending, raw, best, eligible = self._display([w.score for w in windows.values()])
        return ScorePoint(day, windows, trending, raw, best, eligible)

    def shown(self, day: date) -> Shown:
        """`point(day).shown` without building every window's stats."""
        params = self.params
        return Shown(day, *self._display([acc.score(params) for acc in self.accs]))

    def raw(self) -> float | None:
        """`point(day).raw` without building the point: what a planner's trial question needs."""
        params = self.params
        return self._display([acc.score(params) for acc in self.accs])[1]

    def _display(self, scores: Sequence[float | None]) -> tuple[float | None, float | None, str | None, bool]:
        """(trending, displayed raw, which window, eligible) from every window's score (window order)."""
        lay = self.layout
        a, b = scores[lay.trend[0]], scores[lay.trend[1]]
        trending = None if a is None or b is None else (a + b) / 2  # W-TRENDING
        full = self.accs[lay.longest]
        eligible = full.eligible >= self.era.min_jobs and full.n_eligible_clients >= self.era.min_clients
        raw: float | None = None
        best: str | None = None
        if eligible:  # W-WINDOWS: the best one is displayed, the first of equals (windows, then trending)
            for i in lay.shown:
                value = scores[i]
                if value is not None and (raw is None or value > raw):
                    raw, best = value, lay.labels[i]
            if trending is not None and (raw is None or trending > raw):
                raw, best = trending, TRENDING
        return trending, raw, best, eligible


def _swept(
    segments: Iterable[Segment], days: Sequence[date], params: ModelParams, era: Era | None
) -> Iterator[tuple[date, WindowSweep]]:
    """Each of `days` in ascending order with the sweep in its state on that day (until the next one)."""
    ordered = sorted(days)
    if not ordered:
        return
    events = window_events(segments, ordered[0], ordered[-1])
    sweep = WindowSweep(params, era or era_of(ordered[0]))
    accs = sweep.accs
    i, n = 0, len(events)
    for day in ordered:
        while i < n and events[i][0] <= day:
            _, sign, wi, _, segment = events[i]
            accs[wi].apply(segment, sign)  # WindowSweep.apply, without the call per event
            i += 1
        if era is None:
            sweep.era = era_of(day)
        yield day, sweep


def score_points(
    segments: Iterable[Segment], days: Sequence[date], params: ModelParams = DEFAULT_PARAMS, era: Era | None = None
) -> list[ScorePoint]:
    """The score on each of `days` (any order; returned in ascending order) for the given segments, with
    the eligibility rules of `era` (default: those in force on each day)."""
    return [sweep.point(day) for day, sweep in _swept(segments, days, params, era)]


def shown_points(
    segments: Iterable[Segment], days: Sequence[date], params: ModelParams = DEFAULT_PARAMS, era: Era | None = None
) -> list[Shown]:
    """`score_points` as the score shown only (`ScorePoint.shown`), for callers that read no window's stats."""
    return [sweep.shown(day) for day, sweep in _swept(segments, days, params, era)]


def score_points_variants(
    base: Iterable[Segment],
    variants: Sequence[Sequence[Segment]],
    days: Sequence[date],
    params: ModelParams = DEFAULT_PARAMS,
) -> list[list[Shown]]:
    """`score_points(base + variant, days)` for each variant, sweeping the shared base only once, as the
    score shown (`ScorePoint.shown`: what a what-if reads).

    What-ifs change one contract of many: window sums are additive, so the base's state on each day
    is computed once and each variant only adds its own few events to it, then takes them back: the sums
    it touched are put back exactly as saved (`_Acc.save`), the client counts by the opposite signs. Why
    not a copy per variant and day: copying every window's client counts was a tenth of an advice's
    engine time. The sums see the same additions in the same order as before, so every score is the
    same float.
    """
    ordered = sorted(days)
    if not ordered:
        return [[] for _ in variants]
    first, last = ordered[0], ordered[-1]
    events = window_events(base, first, last)
    sweep = WindowSweep(params)
    states: list[list[_Acc]] = []
    i, n = 0, len(events)
    for day in ordered:
        while i < n and events[i][0] <= day:
            _, sign, wi, _, segment = events[i]
            sweep.accs[wi].apply(segment, sign)
            i += 1
        states.append([acc.copy() for acc in sweep.accs])
    variant = WindowSweep(params)
    results: list[list[Shown]] = []
    # Variants with the same segments (an hourly contract left open and left to Upwork, which does
    # nothing to it) score the same: swept once, their points shared (immutable).
    done: dict[tuple[Segment, ...], list[Shown]] = {}
    for segments in variants:
        key = tuple(segments)
        if key in done:
            results.append(done[key])
            continue
        own = window_events(segments, first, last)
        points = []
        for day, state in zip(ordered, states, strict=True):
            saved: dict[int, AccState] = {}
            applied = 0
            for on, sign, wi, _, segment in own:
                if on > day:
                    break
                if wi not in saved:
                    saved[wi] = state[wi].save()
                state[wi].apply(segment, sign)
                applied += 1
            variant.accs = state
            points.append(variant.shown(day))
            for _, sign, wi, _, segment in reversed(own[:applied]):
                state[wi].apply(segment, -sign)  # the client counts back (ints: exact)
            for wi, sums in saved.items():
                state[wi].restore(sums)  # the float sums back, exactly as they were
        done[key] = points
        results.append(points)
    return results
