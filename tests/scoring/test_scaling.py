"""The engine's work grows about linearly with the ledger: counted, never timed.

The unit of work is a window-sum update (`_Acc.apply`, the engine's innermost loop) plus a score read
(`WindowSweep.point`, `.raw` for the planner's trial questions, `.shown` for a what-if's). For 10x the
contracts each operation may do at most GROWTH times the work. The counter stops a run that goes past
its budget, so a super-linear engine fails fast instead of running for minutes (the planner was O(n^3)
for a Top Rated user: 400 idle contracts took over two minutes).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

import pytest

from scoring import windows
from scoring.classify import Segment
from scoring.engine import advise, plan_closings, project, score, top_rated_status, what_if
from scoring.model import Contract
from scoring.uncertainty import projection_band, score_range
from tests.builders import days, ended, open_contract

AS_OF = date(2025, 6, 1)
GROWTH = 12  # allowed work ratio for 10x the contracts (linear, with room for n log n)


class TooMuchWork(Exception):
    pass


class Work:
    def __init__(self, budget: int | None) -> None:
        self.count = 0
        self.budget = budget

    def tick(self) -> None:
        self.count += 1
        if self.budget is not None and self.count > self.budget:
            raise TooMuchWork(f"more than {self.budget} window updates and score reads")


@contextmanager
def counting(monkeypatch: pytest.MonkeyPatch, budget: int | None = None) -> Iterator[Work]:
    work = Work(budget)
    apply, point, raw = windows._Acc.apply, windows.WindowSweep.point, windows.WindowSweep.raw
    shown = windows.WindowSweep.shown

    def counted_apply(self: windows._Acc, segment: Segment, sign: int) -> None:
        work.tick()
        apply(self, segment, sign)

    def counted_point(self: windows.WindowSweep, day: date) -> windows.ScorePoint:
        work.tick()
        return point(self, day)

    def counted_raw(self: windows.WindowSweep) -> float | None:
        work.tick()
        return raw(self)

    def counted_shown(self: windows.WindowSweep, day: date) -> windows.Shown:
        work.tick()
        return shown(self, day)

    with monkeypatch.context() as patch:
        patch.setattr(windows._Acc, "apply", counted_apply)
        patch.setattr(windows.WindowSweep, "point", counted_point)
        patch.setattr(windows.WindowSweep, "raw", counted_raw)
        patch.setattr(windows.WindowSweep, "shown", counted_shown)
        yield work


def top_rated_idle(n: int, seed: int = 1) -> list[Contract]:
    """A Top Rated user just above 90 % with n stale open contracts: 5-star jobs, then as many small recent
    5-star jobs as it takes to show 90 % (bisection), so closing almost any candidate risks the badge and
    the planner weighs every candidate at every step."""
    rng = random.Random(seed)
    clients = max(2, 2 * n // 3)
    contracts = []
    for i in range(n):
        started = AS_OF - days(rng.randrange(100, 700))
        last = max(started, AS_OF - days(rng.randrange(31, 300)))
        contracts.append(
            open_contract(
                f"o{i}",
                started=started,
                last_payment=last,
                earnings=rng.choice([120, 300, 900, 2500]),
                client=f"Client {rng.randrange(clients)}",
                requests=[last + days(20)] if rng.random() < 0.6 else [],
            )
        )
    for i in range(n * 4 // 5):
        end = AS_OF - days(rng.randrange(0, 700))
        contracts.append(
            ended(
                f"e{i}",
                end,
                started=end - days(rng.randrange(1, 300)),
                earnings=rng.choice([150, 300, 800, 1500, 6000]),
                client=f"Client {rng.randrange(clients)}",
            )
        )
    extra = [
        ended(f"x{i}", AS_OF - days(rng.randrange(0, 60)), earnings=100, client=f"Client {rng.randrange(clients)}")
        for i in range(4 * n + 10)
    ]
    low, high = 0, len(extra)
    while low < high:
        mid = (low + high) // 2
        jss = score([*contracts, *extra[:mid]], AS_OF).jss
        low, high = (low, mid) if jss is not None and jss >= 90 else (mid + 1, high)
    return [*contracts, *extra[:low]]


def mixed(n: int, seed: int = 7) -> list[Contract]:
    """A plausible history: a twentieth stale, a twentieth active, the rest ended with mixed feedback."""
    rng = random.Random(seed)
    contracts = []
    for i in range(n // 10):
        stale = i < n // 20
        started = AS_OF - days(rng.randrange(100, 700))
        last = max(started, AS_OF - days(rng.randrange(70, 300) if stale else rng.randrange(0, 20)))
        contracts.append(
            open_contract(
                f"o{i}",
                started=started,
                last_payment=last,
                earnings=rng.choice([120, 300, 900, 2500]),
                client=f"Client {rng.randrange(60)}",
            )
        )
    for i in range(n - len(contracts)):
        end = AS_OF - days(rng.randrange(0, 900))
        contracts.append(
            ended(
                f"e{i}",
                end,
                started=end - days(rng.randrange(1, 400)),
                earnings=rng.choice([0, 40, 150, 300, 800, 1500, 6000]),
                stars=rng.choice([None, 5.0, 5.0, 5.0, 4.8, 4.0, 3.0, 1.0]),
                client=f"Client {rng.randrange(60)}",
                refunded=rng.choice([0] * 20 + [40]),
            )
        )
    return contracts


def grows_linearly(monkeypatch: pytest.MonkeyPatch, build: Callable[[int], Callable[[], object]]) -> None:
    small, big = build(40), build(400)  # ledgers are built outside the count
    with counting(monkeypatch) as base:
        small()
    with counting(monkeypatch, budget=GROWTH * base.count) as work:
        big()  # raises TooMuchWork past the budget
    assert work.count <= GROWTH * base.count


@pytest.mark.parametrize("n", [40, 400])
def test_top_rated_plan_weighs_every_candidate(n: int) -> None:
    """The ledger below really is the hard case: Top Rated and (nearly) every step at risk."""
    plan = plan_closings(top_rated_idle(n), AS_OF)
    assert plan.top_rated
    assert sum(s.top_rated_risk for s in plan.steps) >= len(plan.steps) * 9 // 10


def test_top_rated_plan_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    def build(n: int) -> Callable[[], object]:
        contracts = top_rated_idle(n)
        return lambda: plan_closings(contracts, AS_OF)

    grows_linearly(monkeypatch, build)


def on_mixed(operation: Callable[[list[Contract]], object]) -> Callable[[int], Callable[[], object]]:
    def build(n: int) -> Callable[[], object]:
        contracts = mixed(n)
        return lambda: operation(contracts)

    return build


def test_plan_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    grows_linearly(monkeypatch, on_mixed(lambda cs: plan_closings(cs, AS_OF)))


@pytest.mark.parametrize(
    "operation",
    [
        lambda cs: score(cs, AS_OF),
        lambda cs: score_range(cs, AS_OF),
        lambda cs: project(cs, AS_OF),
        lambda cs: projection_band(cs, AS_OF),
        lambda cs: what_if(cs, cs[0].id, AS_OF),
        lambda cs: advise(cs, cs[0].id, AS_OF),
        lambda cs: top_rated_status(cs, AS_OF),
    ],
    ids=["score", "score_range", "project", "projection_band", "what_if", "advise", "top_rated"],
)
def test_operation_is_linear(monkeypatch: pytest.MonkeyPatch, operation: Callable[[list[Contract]], object]) -> None:
    grows_linearly(monkeypatch, on_mixed(operation))


def test_counting_sees_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """The counter is not blind: a score of n contracts updates the windows at least n times."""
    contracts = mixed(100)
    with counting(monkeypatch) as work:
        score(contracts, AS_OF)
    assert work.count >= 90
