"""Benchmark of the scoring engine: the calls a front end makes per user command.

    .venv/bin/python bench/engine.py [--repeat N] [--seed S] [--profile NAME]

Timed (median, p90 and min over N repetitions, after a warm-up; ledgers are built beforehand, not
timed). On a shared machine other processes inflate the median; the min shows the cost without them.
  score     classify + score of a 200-contract ledger      (every "what is my JSS" answer)   target < 2 ms
  project   24-month projection, daily cadence, 200 contracts (the "when does it recover" chart) target < 20 ms
  plan      closing plan for 10 stale contracts among 50     (the "close my idle contracts" plan) target < 50 ms
  what_if   every scenario for one stale contract among 50   (the "what if I close X" table)
  advise    verdict for one stale contract among 50 (includes what_if)
  advise_06 the same, scoring only the horizons the bot's advice answer shows (now, 6 months: ADVICE_HORIZONS)

Scaling (after the table; `--sizes`, `--no-scaling`): every operation on ledgers of 40, 400 and 2,000
contracts (a twentieth stale, a twentieth active), min of a few runs, with the growth for each step in
size (linear: about the size ratio). `plan_tr` is the hard planner case: a Top Rated user just above
90 % with n/2 stale contracts, all of them risky to close (B-TR), so every step weighs every candidate;
`plan_tr400` is that case with 400 stale contracts (target < 1 s).

`--profile NAME` runs one case under cProfile and prints the top functions instead.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from machine import cpu_model  # noqa: E402  (bench/ is on sys.path when a script here runs)

from scoring.engine import advise, plan_closings, project, score, top_rated_status, what_if  # noqa: E402
from scoring.model import Contract, Ledger  # noqa: E402
from scoring.uncertainty import projection_band, score_range  # noqa: E402

AS_OF = date(2025, 6, 1)
TARGETS_MS = {"score": 2.0, "project": 20.0, "plan": 50.0}


def _ended(rng: random.Random, i: int) -> Contract:
    end = AS_OF - timedelta(days=rng.randrange(0, 900))
    start = end - timedelta(days=rng.randrange(1, 400))
    roll = rng.random()
    stars = None if roll < 0.15 else rng.choice([5.0, 5.0, 5.0, 5.0, 4.8, 4.5, 4.0, 3.0, 1.0])
    return Contract(
        id=f"e{i:04d}",
        title=f"Project {i}",
        client=f"Client {rng.randrange(60)}",
        kind=rng.choice(["hourly", "fixed"]),
        status="ended",
        started=start,
        ended=end,
        last_activity=end,
        last_payment=end if rng.random() < 0.9 else None,
        earnings_usd=Decimal(rng.choice([0, 40, 150, 300, 800, 1500, 6000])),
        public_stars=stars,
        private_rating=rng.choice([None, None, None, 10, 9, 8, 6]) if stars else None,
        disputed=rng.random() < 0.02,
        refunded_usd=Decimal(rng.choice([0] * 20 + [40])),
    )


def _open(rng: random.Random, i: int, stale: bool) -> Contract:
    start = AS_OF - timedelta(days=rng.randrange(100, 700))
    idle = rng.randrange(70, 300) if stale else rng.randrange(0, 20)
    last = max(start, AS_OF - timedelta(days=idle))
    return Contract(
        id=f"o{i:04d}",
        title=f"Open {i}",
        client=f"Client {rng.randrange(60)}",
        kind="hourly",
        status="active",
        started=start,
        last_activity=last,
        last_payment=last,
        earnings_usd=Decimal(rng.choice([120, 300, 900, 2500])),
        close_requests=(last + timedelta(days=30),) if stale and rng.random() < 0.6 else (),
    )


def make_ledger(seed: int, total: int, stale: int, fresh_open: int) -> Ledger:
    """A plausible history: `stale` idle open contracts, `fresh_open` active ones, the rest ended."""
    rng = random.Random(seed)
    contracts = [_open(rng, i, True) for i in range(stale)]
    contracts += [_open(rng, stale + i, False) for i in range(fresh_open)]
    contracts += [_ended(rng, i) for i in range(total - stale - fresh_open)]
    return Ledger(as_of=AS_OF, contracts=tuple(contracts))


def top_rated_ledger(seed: int, stale: int) -> list[Contract]:
    """A Top Rated user just above 90 %: `stale` idle open contracts, 5-star jobs, and as many small
    recent 5-star jobs as it takes to show 90 % (found by bisection), so closing almost any is a risk."""
    rng = random.Random(seed)
    clients = max(2, 2 * stale // 3)
    contracts = []
    for i in range(stale):
        start = AS_OF - timedelta(days=rng.randrange(100, 700))
        last = max(start, AS_OF - timedelta(days=rng.randrange(31, 300)))
        contracts.append(
            Contract(
                id=f"o{i:04d}",
                title=f"Open {i}",
                client=f"Client {rng.randrange(clients)}",
                kind="hourly",
                status="active",
                started=start,
                last_activity=last,
                last_payment=last,
                earnings_usd=Decimal(rng.choice([120, 300, 900, 2500])),
                close_requests=(last + timedelta(days=20),) if rng.random() < 0.6 else (),
            )
        )

    def job(i: int, end: date, earnings: int, days: int) -> Contract:
        return Contract(
            id=f"e{i:04d}",
            title=f"Project {i}",
            client=f"Client {rng.randrange(clients)}",
            kind="hourly",
            status="ended",
            started=end - timedelta(days=days),
            ended=end,
            last_activity=end,
            last_payment=end,
            earnings_usd=Decimal(earnings),
            public_stars=5.0,
        )

    for i in range(stale * 4 // 5):
        end = AS_OF - timedelta(days=rng.randrange(0, 700))
        contracts.append(job(i, end, rng.choice([150, 300, 800, 1500, 6000]), rng.randrange(1, 300)))
    extra = [job(stale + i, AS_OF - timedelta(days=rng.randrange(0, 60)), 100, 20) for i in range(4 * stale + 10)]
    low, high = 0, len(extra)  # the fewest extra jobs that make the displayed JSS 90
    while low < high:
        mid = (low + high) // 2
        jss = score([*contracts, *extra[:mid]], AS_OF).jss
        low, high = (low, mid) if jss is not None and jss >= 90 else (mid + 1, high)
    return [*contracts, *extra[:low]]


def measure(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """Median, p90 and minimum in milliseconds, after a warm-up."""
    for _ in range(max(3, repeat // 20)):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.9 * len(times)))], times[0]


def cases(seed: int) -> dict[str, Callable[[], object]]:
    big = make_ledger(seed, 200, stale=10, fresh_open=10).contracts
    mid = make_ledger(seed + 1, 50, stale=10, fresh_open=5).contracts
    stale_id = mid[0].id
    return {
        "score": lambda: score(big, AS_OF),
        "project": lambda: project(big, AS_OF),
        "plan": lambda: plan_closings(mid, AS_OF),
        "what_if": lambda: what_if(mid, stale_id, AS_OF),
        "advise": lambda: advise(mid, stale_id, AS_OF),
        "advise_06": lambda: advise(mid, stale_id, AS_OF, horizons=(0, 6)),
    }


def best_of(fn: Callable[[], object], budget_s: float = 2.0, most: int = 5) -> float:
    """Minimum in milliseconds over up to `most` runs, fewer when one run is long."""
    times: list[float] = []
    while len(times) < most and sum(times) < budget_s * 1000:
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def scaling_cases(seed: int) -> dict[str, Callable[[int], Callable[[], object]]]:
    """Per operation: contracts -> the call to time (ledgers built outside the timing)."""

    def on_mixed(call: Callable[[list[Contract]], object]) -> Callable[[int], Callable[[], object]]:
        def build(n: int) -> Callable[[], object]:
            contracts = list(make_ledger(seed, n, stale=n // 20, fresh_open=n // 20).contracts)
            return lambda: call(contracts)

        return build

    def plan_tr(n: int) -> Callable[[], object]:
        contracts = top_rated_ledger(seed, n // 2)
        return lambda: plan_closings(contracts, AS_OF)

    return {
        "score": on_mixed(lambda cs: score(cs, AS_OF)),
        "range": on_mixed(lambda cs: score_range(cs, AS_OF)),
        "project": on_mixed(lambda cs: project(cs, AS_OF)),
        "band": on_mixed(lambda cs: projection_band(cs, AS_OF)),
        "what_if": on_mixed(lambda cs: what_if(cs, cs[0].id, AS_OF)),
        "advise": on_mixed(lambda cs: advise(cs, cs[0].id, AS_OF)),
        "top_rated": on_mixed(lambda cs: top_rated_status(cs, AS_OF)),
        "plan": on_mixed(lambda cs: plan_closings(cs, AS_OF)),
        "plan_tr": plan_tr,
    }


def print_scaling(seed: int, sizes: list[int]) -> None:
    print(f"\nscaling: min ms over up to 5 runs; growth = time ratio to the previous size (x{sizes[1:]} contracts)")
    steps = zip(sizes, sizes[1:], strict=False)
    header = "".join(f"{n:>10}" for n in sizes) + "".join(f"{f'{b}/{a}':>12}" for a, b in steps)
    print(f"{'case':<11}{header}")
    for name, build in scaling_cases(seed).items():
        ms = [best_of(build(n)) for n in sizes]
        growth = "".join(f"{b / a:>11.1f}x" for a, b in zip(ms, ms[1:], strict=False))
        print(f"{name:<11}" + "".join(f"{v:>10.1f}" for v in ms) + growth, flush=True)
    tr400 = top_rated_ledger(seed, 400)
    plan = plan_closings(tr400, AS_OF)
    risky = sum(s.top_rated_risk for s in plan.steps)
    took = best_of(lambda: plan_closings(tr400, AS_OF), most=3)
    print(
        f"plan_tr400 {took:>10.1f} ms  (Top Rated: {plan.top_rated}, JSS {plan.jss_now}, "
        f"{len(plan.steps)} steps, {risky} at risk; target < 1000 ms: {'yes' if took < 1000 else 'NO'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=300, help="timed repetitions per case (default 300)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", choices=["score", "project", "plan", "what_if", "advise", "advise_06"])
    parser.add_argument("--sizes", default="40,400,2000", help="ledger sizes of the scaling rows")
    parser.add_argument("--no-scaling", action="store_true", help="only the per-command table")
    args = parser.parse_args()
    todo = cases(args.seed)
    if args.profile:
        fn = todo[args.profile]
        fn()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(50):
            fn()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return
    print(f"machine: {platform.platform()}; {os.cpu_count()} CPUs; {cpu_model()}")
    print(f"python:  {platform.python_implementation()} {platform.python_version()}")
    print(f"repetitions per case: {args.repeat} (after warm-up); times in ms")
    print(f"{'case':<10}{'median':>10}{'p90':>10}{'min':>10}{'target':>10}  ok")
    missed = []
    for name, fn in todo.items():
        median, p90, best = measure(fn, args.repeat)
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else ("yes" if median < target else "NO")
        if verdict == "NO":
            missed.append(name)
        shown = f"{target:.0f}" if target is not None else "-"
        print(f"{name:<10}{median:>10.3f}{p90:>10.3f}{best:>10.3f}{shown:>10}  {verdict}")
    if missed:
        print(f"missed targets: {', '.join(missed)}")
    if not args.no_scaling:
        print_scaling(args.seed, [int(n) for n in args.sizes.split(",")])


if __name__ == "__main__":
    main()
