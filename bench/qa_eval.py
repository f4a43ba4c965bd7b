"""Benchmark of question understanding: citation hit rates and latency on an evaluation set.

Usage:
    .venv/bin/python bench/qa_eval.py                      # the shared dev set (see below)
    .venv/bin/python bench/qa_eval.py --file tests/qa/heldout_questions.jsonl
    .venv/bin/python bench/qa_eval.py --file tests/qa/eval_batch_1.jsonl --file tests/qa/eval_batch_2.jsonl
    .venv/bin/python bench/qa_eval.py --quiet              # figures only, no list of misses
    .venv/bin/python bench/qa_eval.py --batches            # dev set + every own batch: first seen and now, pooled

The dev set path comes from the environment variable JSS_EVAL_QUESTIONS, by default
`<repo>/../shared/eval/questions_dev.jsonl`. Each line is {"q": question, "rules": [rule ids, best first]}.
A top-1 hit: the first rule returned is in the question's list; a top-3 hit: any of the first three is.
Several --file options report each file on its own; a batch with a `<name>.first_seen.txt` record beside
it also shows the figures of its first scoring (the honest ones: nobody had tuned on it yet). `--batches` prints
one line per batch of tests/qa (first seen and now) and both pooled over the batches with a first-seen record: the
pooled first-seen figure is the best estimate of how the routing does on real questions nobody has seen. Latency is per
`understand` call after a warm-up (the first call builds the index and reads the classifier's shipped model),
timed with perf_counter over several rounds. Targets: top-1 >= 90 %, top-3 >= 97 %, median < 25 ms (2 shared cores).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # allow running as a plain script from any directory
    sys.path.insert(0, str(REPO))

from bot.qa.understand import understand  # noqa: E402

DEFAULT_EVAL = REPO.parent / "shared" / "eval" / "questions_dev.jsonl"
AS_OF = date(2026, 2, 15)
"""Fixed "today" so that runs are reproducible (relative dates in questions resolve against it)."""
TARGET_TOP1 = 0.90
TARGET_TOP3 = 0.97
TARGET_MEDIAN_MS = 25.0


@dataclass(frozen=True)
class EvalResult:
    """Figures for one evaluation file."""

    n: int
    top1: float
    top3: float
    median_ms: float
    p99_ms: float
    misses: list[tuple[str, list[str], list[str], bool]]
    """(question, rules returned, rules expected, top-3 hit) for every top-1 miss."""

    def meets_targets(self) -> bool:
        return self.top1 >= TARGET_TOP1 and self.top3 >= TARGET_TOP3 and self.median_ms < TARGET_MEDIAN_MS


def eval_path() -> Path:
    """The dev set location: $JSS_EVAL_QUESTIONS, else the shared checkout beside the repo."""
    return Path(os.environ.get("JSS_EVAL_QUESTIONS", str(DEFAULT_EVAL)))


def load_questions(path: Path) -> list[tuple[str, list[str]]]:
    """Read a JSONL set; a malformed line is an error naming the file and line."""
    rows: list[tuple[str, list[str]]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                rows.append((str(item["q"]), [str(r) for r in item["rules"]]))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: expected {{'q': ..., 'rules': [...]}}: {exc}") from exc
    return rows


def evaluate(rows: list[tuple[str, list[str]]], rounds: int = 20) -> EvalResult:
    """Hit rates and per-question latency (ms) of `understand` on `rows`."""
    for question, _ in rows:  # warm-up: index build, regex and lru caches
        understand(question, AS_OF)
    top1 = top3 = 0
    misses: list[tuple[str, list[str], list[str], bool]] = []
    for question, expected in rows:
        got = understand(question, AS_OF).rules
        hit1 = bool(got) and got[0] in expected
        hit3 = any(rule in expected for rule in got[:3])
        top1 += hit1
        top3 += hit3
        if not hit1:
            misses.append((question, got, expected, hit3))
    timings: list[float] = []
    for _ in range(rounds):
        for question, _ in rows:
            start = time.perf_counter()
            understand(question, AS_OF)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    n = len(rows)
    return EvalResult(
        n=n,
        top1=top1 / n if n else 0.0,
        top3=top3 / n if n else 0.0,
        median_ms=statistics.median(timings) if timings else 0.0,
        p99_ms=timings[min(len(timings) - 1, int(0.99 * len(timings)))] if timings else 0.0,
        misses=misses,
    )


def machine() -> str:
    """Where the figures were measured: they are only comparable on similar machines."""
    return (
        f"{platform.platform()}; {platform.processor() or platform.machine()}; {os.cpu_count()} CPUs; "
        f"Python {platform.python_version()} ({platform.python_implementation()})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--file",
        type=Path,
        action="append",
        help="JSONL questions, repeatable (default: $JSS_EVAL_QUESTIONS or the shared dev set)",
    )
    parser.add_argument("--rounds", type=int, default=20, help="timing rounds over the whole set")
    parser.add_argument("--quiet", action="store_true", help="do not list the misses")
    parser.add_argument(
        "--batches", action="store_true", help="the dev set, then a table of every tests/qa batch: first seen and now"
    )
    args = parser.parse_args(argv)
    if args.batches:
        met = _report(eval_path(), args.rounds, quiet=True)
        _batch_table(sorted(BATCH_DIR.glob("eval_batch_*.jsonl"), key=_batch_number), args.rounds)
        print("\nmeets targets (dev set)" if met else "\nBELOW TARGET (dev set)")
        return 0
    paths: list[Path] = args.file or [eval_path()]
    all_met = True
    for path in paths:
        met = _report(path, args.rounds, args.quiet)
        all_met = all_met and met
    print("\nmeets targets" if all_met else "\nBELOW TARGET")
    return 0


def _report(path: Path, rounds: int, quiet: bool) -> bool:
    """Print the figures (and misses unless `quiet`) of one file; True when it meets the targets."""
    if not path.is_file():
        print(
            f"evaluation file not found: {path}\n"
            "Set JSS_EVAL_QUESTIONS to a questions JSONL file (the dev set is shared/eval/questions_dev.jsonl "
            "in the shared checkout beside the repo) or pass --file. Nothing to measure."
        )
        return True
    rows = load_questions(path)
    result = evaluate(rows, rounds=max(1, rounds))
    print(f"file: {path} ({result.n} questions, as_of {AS_OF})")
    print(f"machine: {machine()}")
    first_seen = _first_seen(path)
    if first_seen:
        print(f"first seen: {first_seen} (before anyone tuned on this file)")
    print(f"top-1 hit rate: {result.top1:.1%}  (target >= {TARGET_TOP1:.0%})")
    print(f"top-3 hit rate: {result.top3:.1%}  (target >= {TARGET_TOP3:.0%})")
    print(
        f"latency per question: median {result.median_ms:.3f} ms, p99 {result.p99_ms:.3f} ms "
        f"(target median < {TARGET_MEDIAN_MS:g} ms; {rounds} rounds after warm-up)"
    )
    if result.misses and not quiet:
        print(f"\ntop-1 misses ({len(result.misses)}):")
        for question, got, expected, hit3 in result.misses:
            print(f"- {question}\n    got:      {got}\n    expected: {expected}{'  (top-3 hit)' if hit3 else ''}")
    return result.meets_targets()


BATCH_DIR = REPO / "tests" / "qa"
"""Where the project's own evaluation batches live (eval_batch_N.jsonl, N.first_seen.txt beside the scored ones)."""


def _batch_number(path: Path) -> int:
    match = re.search(r"(\d+)", path.stem)
    return int(match.group(1)) if match else 0


def _first_seen_counts(path: Path) -> tuple[int, int, int] | None:
    """(questions, top-1 hits, top-3 hits) when `path` was first scored, from its record; None without one."""
    record = path.with_name(path.stem + ".first_seen.txt")
    if not record.is_file():
        return None
    text = record.read_text(encoding="utf-8")
    n = re.search(r"\((\d+) questions", text)
    rates = [float(m.group(1)) / 100 for m in re.finditer(r"top-[13] hit rate: ([\d.]+)%", text)][:2]
    if n is None or len(rates) < 2:
        return None
    count = int(n.group(1))
    return count, round(rates[0] * count), round(rates[1] * count)


def _batch_table(paths: list[Path], rounds: int) -> None:
    """One line per batch (first seen, if recorded, and now), then both pooled over the recorded batches."""
    print(f"\n{'batch':<10} {'n':>4}  {'first seen top-1 / top-3':>25}  {'now top-1 / top-3':>19}  median ms")
    seen = [0, 0, 0]
    now = [0, 0, 0]
    for path in paths:
        rows = load_questions(path)
        result = evaluate(rows, rounds=max(1, rounds))
        first = _first_seen_counts(path)
        hits1, hits3 = round(result.top1 * result.n), round(result.top3 * result.n)
        if first is not None:
            seen = [a + b for a, b in zip(seen, first, strict=True)]
            now = [a + b for a, b in zip(now, (result.n, hits1, hits3), strict=True)]
            first_text = f"{first[1] / first[0]:6.1%} / {first[2] / first[0]:6.1%}"
        else:
            first_text = "(tuned on from the start)"
        print(
            f"{path.stem.removeprefix('eval_'):<10} {result.n:>4}  {first_text:>25}  "
            f"{result.top1:6.1%} / {result.top3:6.1%}  {result.median_ms:9.3f}"
        )
    if seen[0]:
        print(
            f"pooled over the {seen[0]} questions of the batches with a first-seen record: first seen "
            f"{seen[1] / seen[0]:.1%} / {seen[2] / seen[0]:.1%}, now {now[1] / now[0]:.1%} / {now[2] / now[0]:.1%} "
            f"(now is not an unseen figure: batches are studied after their first scoring)"
        )


def _first_seen(path: Path) -> str:
    """The figures recorded when a batch was first scored (`<name>.first_seen.txt` beside it), or "" if none."""
    record = path.with_name(path.stem + ".first_seen.txt")
    if not record.is_file():
        return ""
    text = record.read_text(encoding="utf-8")
    figures = [m.group(0) for m in re.finditer(r"top-[13] hit rate: [\d.]+%", text)]
    return ", ".join(figures[:2])


if __name__ == "__main__":
    raise SystemExit(main())
