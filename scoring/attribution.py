"""Drop attribution: why the score moved between two days, in points per cause, with the residue apart.

The model replays every change between the two days one at a time (an outcome entering or leaving a
window, a paid contract lapsing, an idle one starting to count) and prices each by the displayed
score just before and after it. The prices add up exactly to the modelled change. When the user has
recorded the scores Upwork showed, what the model cannot explain is reported as a residue, most
often private feedback (F-PRIVATE-FB), and the unknown contract that best explains it is named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .classify import OutcomeKind, Segment
from .model import Contract
from .params import DEFAULT_PARAMS, ModelParams
from .rulebook import rule_numbers
from .uncertainty import Case, case_ledger_segments, case_segments, unknowns
from .windows import ScorePoint, WindowSweep, score_points, window_events, window_label

MIN_POINTS = 0.05  # causes smaller than this are not worth a line


class CauseKind(StrEnum):
    NEW_OUTCOME = "new_outcome"  # an outcome entered the windows (a contract ended or started to count)
    LEFT_WINDOW = "left_window"  # an outcome aged out of one window (W-AGE-OUT, W-24MAX)
    STOPPED = "stopped_counting"  # a paid long-term contract lapsed (E-CURRENT)


@dataclass(frozen=True, slots=True)
class Cause:
    day: date
    contract_id: str
    kind: CauseKind
    outcome: OutcomeKind
    window: str | None  # for LEFT_WINDOW: which window it left
    points: float  # change of the displayed score this cause made (negative: a drop)
    shown_before: str | None  # the window displayed before it
    shown_after: str | None
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Suspect:
    """An unknown contract whose worst reading would bring the model closest to the recorded score."""

    contract_id: str
    rule: str
    modelled_end: float | None
    residue_left: float


@dataclass(frozen=True, slots=True)
class Attribution:
    start: date
    end: date
    modelled_start: ScorePoint
    modelled_end: ScorePoint
    causes: tuple[Cause, ...]
    reported_start: int | None
    reported_end: int | None
    suspect: Suspect | None

    @property
    def modelled_change(self) -> float | None:
        a, b = self.modelled_start.raw, self.modelled_end.raw
        return None if a is None or b is None else b - a

    @property
    def reported_change(self) -> int | None:
        if self.reported_start is None or self.reported_end is None:
            return None
        return self.reported_end - self.reported_start

    @property
    def residue(self) -> float | None:
        """What the recorded change has that the model does not explain."""
        reported, modelled = self.reported_change, self.modelled_change
        return None if reported is None or modelled is None else reported - modelled

    @property
    def rules(self) -> tuple[str, ...]:
        found = ["W-AGE-OUT", "W-WINDOWS", "W-TRENDING"]
        for cause in self.causes:
            found.extend(r for r in cause.rules if r not in found)
        if self.residue is not None and abs(self.residue) >= 1:
            found.append("F-PRIVATE-FB")
        return tuple(dict.fromkeys(found))


def _raw(point: ScorePoint) -> float:
    return point.raw if point.raw is not None else 0.0


def _replay(
    segments: Sequence[Segment], start: date, end: date, params: ModelParams
) -> tuple[ScorePoint, ScorePoint, list[Cause]]:
    """Apply every window event up to `start`, then each later one alone, pricing it."""
    numbers = rule_numbers()
    labels = [window_label(m) for m in sorted({*numbers.window_months, *numbers.trending_months})]
    order = {id(seg): k for k, seg in enumerate(segments)}
    # Replay order: by day, exits first, then segment by segment, so one segment's events on a day are adjacent.
    events = sorted(window_events(segments, start, end), key=lambda e: (e[0], e[1], order[id(e[4])], e[2]))
    sweep = WindowSweep(params)
    i = 0
    while i < len(events) and events[i][0] <= start:
        sweep.apply(events[i])
        i += 1
    first = sweep.point(start)
    causes: list[Cause] = []
    before = first
    while i < len(events):
        day, sign, _, _, seg = events[i]
        # One cause = one segment entering or leaving windows on one day.
        group = [events[i]]
        i += 1
        while i < len(events) and events[i][0] == day and events[i][1] == sign and events[i][4] is seg:
            group.append(events[i])
            i += 1
        for event in group:
            sweep.apply(event)
        after = sweep.point(day)
        delta = _raw(after) - _raw(before)
        if sign > 0:
            kind, window = CauseKind.NEW_OUTCOME, None
            rules: tuple[str, ...] = seg.rules
        elif seg.dated is not None and day < seg.end:
            kind, window = CauseKind.LEFT_WINDOW, labels[group[0][2]]
            rules = ("W-24MAX",) if window == window_label(numbers.max_months) else ("W-AGE-OUT",)
        else:
            kind, window, rules = CauseKind.STOPPED, None, ("E-CURRENT", *seg.rules)
        if abs(delta) >= MIN_POINTS or (before.best != after.best):
            causes.append(
                Cause(
                    day,
                    seg.contract_id,
                    kind,
                    seg.kind,
                    window,
                    delta,
                    before.best,
                    after.best,
                    tuple(dict.fromkeys(rules)),
                )
            )
        before = after
    return first, before, causes


def attribute(
    contracts: Sequence[Contract],
    start: date,
    end: date,
    params: ModelParams = DEFAULT_PARAMS,
    reported: tuple[int | None, int | None] = (None, None),
) -> Attribution:
    """Explain the modelled change of the displayed score from `start` to `end` (and the recorded one)."""
    if end < start:
        start, end = end, start
        reported = (reported[1], reported[0])
    segments = case_ledger_segments(contracts, end, Case.LIKELY, params)
    first, last, causes = _replay(segments, start, end, params)
    # Small causes were skipped: fold their sum into the last shown cause so the parts add up exactly.
    total = _raw(last) - _raw(first)
    shown = sum(c.points for c in causes)
    if causes and abs(total - shown) > 1e-9:
        c = causes[-1]
        causes[-1] = Cause(
            c.day,
            c.contract_id,
            c.kind,
            c.outcome,
            c.window,
            c.points + total - shown,
            c.shown_before,
            c.shown_after,
            c.rules,
        )
    result = Attribution(start, end, first, last, tuple(causes), reported[0], reported[1], None)
    residue = result.residue
    if residue is None or abs(residue) < 1 or reported[1] is None:
        return result
    suspect = _best_suspect(contracts, start, end, params, reported[1], segments)
    return Attribution(start, end, first, last, tuple(causes), reported[0], reported[1], suspect)


def _best_suspect(
    contracts: Sequence[Contract],
    start: date,
    end: date,
    params: ModelParams,
    reported_end: int,
    likely: Sequence[Segment],
) -> Suspect | None:
    """Fit unknown feedback to the recorded score: the one contract whose worst reading explains it best."""
    base = score_points(likely, [end], params)[0].raw
    if base is None:
        return None
    best: Suspect | None = None
    by_id = {c.id: c for c in contracts}
    for c in contracts:
        unknown = unknowns(c, end, params)
        if unknown is None:
            continue
        swapped = [s for s in likely if s.contract_id != c.id] + case_segments(by_id[c.id], end, Case.WORST, params)
        modelled = score_points(swapped, [end], params)[0].raw
        left = abs(reported_end - (modelled if modelled is not None else 0.0))
        if best is None or left < best.residue_left:
            best = Suspect(c.id, unknown.rule, modelled, left)
    if best is None or best.residue_left >= abs(reported_end - base) * 0.5:
        return None  # no single unknown explains at least half of it: not identifiable
    return best
