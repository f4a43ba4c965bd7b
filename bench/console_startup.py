"""Benchmark of the console's start-up: wall time of one `jss-advisor` command, and how much of it is imports.

    .venv/bin/python bench/console_startup.py [--runs N] [--source DIR] [--python EXE]

Why these figures: every console command is a fresh interpreter, so what a user waits for is start-up
(interpreter, imports, opening the ledger) plus a few milliseconds of work. Each command runs N times
(after one untimed warm-up that also writes the bytecode caches) as a subprocess on the demo ledger
(`--user demo`, a fixed `--as-of`, the SQLite file in a temp dir); the figure is the median wall time.
Then `-X importtime` runs (median of --import-runs) give the total import time (sum of every module's
self time) and its share of the wall time, the top-level packages that cost most (self times summed
per package: where the time is spent), and, for the packages named by --watch, the cumulative time
of their first import (what importing them drags in: what leaving them out would save).

--source runs another checkout's code with this interpreter's dependencies (PYTHONPATH), e.g. the
figure before a change: `git archive REV | tar -x -C /tmp/before` then `--source /tmp/before`.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from machine import cpu_model  # noqa: E402  (bench/ is on sys.path when a script here runs)

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-01-15"
DEMO_CONTRACT = "ghost-app"
ENTRY = "import sys; from bot.console.cli import main; sys.exit(main())"  # what the jss-advisor script runs
COMMANDS: list[tuple[str, list[str]]] = [
    ("python -c pass", []),  # the interpreter alone: the floor under every command
    ("score", ["score"]),
    (f"advise {DEMO_CONTRACT}", ["advise", DEMO_CONTRACT]),
    ("contracts list", ["contracts", "list"]),
]
IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)\s*$")


def argv_for(python: str, args: list[str], db: Path, *, importtime: bool = False) -> list[str]:
    flags = ["-X", "importtime"] if importtime else []
    if not args:
        return [python, *flags, "-c", "pass"]
    return [python, *flags, "-c", ENTRY, *args, "--user", "demo", "--as-of", AS_OF, "--db", str(db)]


def run(argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(argv)}\n{done.stdout}\n{done.stderr}")
    return done


def parse_importtime(stderr: str) -> tuple[float, dict[str, float], dict[str, float]]:
    """Total self time (ms), self time per top-level package (ms), cumulative time per module (ms, first import)."""
    total = 0.0
    per_package: dict[str, float] = defaultdict(float)
    cumulative: dict[str, float] = {}
    for line in stderr.splitlines():
        m = IMPORT_LINE.match(line)
        if not m:
            continue
        self_us, cum_us, name = int(m.group(1)), int(m.group(2)), m.group(4)
        total += self_us / 1000
        per_package[name.split(".")[0]] += self_us / 1000
        cumulative.setdefault(name, cum_us / 1000)
    return total, dict(per_package), cumulative


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    parser.add_argument("--import-runs", type=int, default=3, help="-X importtime runs per command (default 3)")
    parser.add_argument("--source", type=Path, default=ROOT, help="checkout whose bot/ and scoring/ run")
    parser.add_argument("--python", default=sys.executable, help="interpreter with the dependencies")
    parser.add_argument("--top", type=int, default=8, help="how many packages to list per command")
    parser.add_argument(
        "--watch", default="bot.console.cli,discord,aiohttp,matplotlib,bm25s,numpy,jinja2,pydantic,aiosqlite"
    )
    args = parser.parse_args()
    source = args.source.resolve()
    watch = [w for w in args.watch.split(",") if w]

    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONDONTWRITEBYTECODE", "JSS_ADVISOR_DB"}}
    env["PYTHONPATH"] = str(source)  # ahead of site-packages, so an editable install of another checkout loses
    with tempfile.TemporaryDirectory(prefix="jss-startup-") as tmp:
        cwd = Path(tmp)
        db = cwd / "ledger.db"
        where = run([args.python, "-c", "import bot, sys; print(bot.__file__, sys.version.split()[0])"], env, cwd)
        bot_file, py_version = where.stdout.split()
        if not Path(bot_file).resolve().is_relative_to(source):
            sys.exit(f"bot imported from {bot_file}, not from {source}")
        run(
            [args.python, "-c", ENTRY, "demo", "--as-of", AS_OF, "--db", str(db), "--plot", str(cwd / "p.png")],
            env,
            cwd,
        )

        print(f"machine: {platform.platform()}; {os.cpu_count()} CPUs ({cpu_model()}); load {os.getloadavg()[0]:.2f}")
        print(f"python:  {args.python} (CPython {py_version})")
        print(f"source:  {source} (bot from {bot_file})")
        print(f"runs:    {args.runs} timed + 1 warm-up per command; {args.import_runs} with -X importtime")
        print(f"ledger:  demo ({DEMO_CONTRACT} ...), --as-of {AS_OF}, SQLite in a temp dir\n")
        print(f"{'command':<22} {'median ms':>9} {'min':>7} {'max':>7} {'imports ms':>10} {'share':>6}")
        details: list[str] = []
        for label, cmd in COMMANDS:
            argv = argv_for(args.python, cmd, db)
            run(argv, env, cwd)  # warm-up: page cache, __pycache__
            walls = []
            for _ in range(args.runs):
                start = time.perf_counter()
                run(argv, env, cwd)
                walls.append((time.perf_counter() - start) * 1000)
            parsed = [
                parse_importtime(run(argv_for(args.python, cmd, db, importtime=True), env, cwd).stderr)
                for _ in range(args.import_runs)
            ]
            total = statistics.median(p[0] for p in parsed)
            wall = statistics.median(walls)
            print(f"{label:<22} {wall:9.0f} {min(walls):7.0f} {max(walls):7.0f} {total:10.0f} {total / wall:6.0%}")
            if not cmd:
                continue
            packages: dict[str, float] = defaultdict(float)
            for p in parsed:
                for name, ms in p[1].items():
                    packages[name] += ms / len(parsed)
            top = sorted(packages.items(), key=lambda kv: -kv[1])[: args.top]
            cum = {w: statistics.median(p[2].get(w, 0.0) for p in parsed) for w in watch}
            details.append(f"  {label}:")
            details.append("    self time by package: " + ", ".join(f"{n} {ms:.0f}" for n, ms in top))
            details.append(
                "    cumulative first import: "
                + ", ".join(f"{w} {ms:.0f}" if ms else f"{w} -" for w, ms in cum.items())
            )
        print("\nimport time (ms; '-' = not imported):")
        print("\n".join(details))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
