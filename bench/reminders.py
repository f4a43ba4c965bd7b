"""Benchmark of the reminder scheduler's scans: time and peak memory at 10k and 100k users x 20 contracts.

    .venv/bin/python bench/reminders.py [--users 10000 100000] [--contracts 20] [--keep DIR]

What is measured, and why:

* the due scan: every page the sender walks to find what is due (the claim query, read-only here), at
  several instants after the first send-out. Its cost follows the number of due reminders, not of
  users, thanks to the partial index on (deliver_at, id).
* the re-plan scan: users whose derivation is due (ledger edits, expiries, Top Rated checks), by keyset
  over the partial index on replan_at.
* the opted-in sweep: a keyset walk over every opted-in user (schema 2's partial index), the scheduler's
  start-up self-check and the worst case of "scan all users".
* the first planning of every user (what the bot does once after this feature is deployed), in users/s.

Peak memory is Python's (tracemalloc) during each scan: it stays flat from 10k to 100k users because
every scan holds one page at a time. Data: bench/store.py's ledgers, imported with
`LedgerStore.bulk_import`; every user opted in, spread over five time zones, some with quiet hours.
Generation and the first planning are slow at 100k (minutes); the scans are the figures to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from store import AS_OF, make_ledger, print_machine, user_id  # noqa: E402  (bench/store.py)

from bot.clock import FixedClock  # noqa: E402
from bot.reminders.timing import DeliveryWindow  # noqa: E402
from bot.services.reminders.delivery import Delivered  # noqa: E402
from bot.services.reminders.scheduler import ReminderScheduler, SchedulerConfig, TickReport  # noqa: E402
from bot.store import LedgerStore  # noqa: E402
from bot.store.reminder_store import Cursor, ReminderStore  # noqa: E402

BULK_USERS = 500
PAGE = 500
NOW = datetime.combine(AS_OF, clock_time(12, 0), tzinfo=UTC)
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "America/Los_Angeles")


class NoSender:
    """The benchmark never sends."""

    async def deliver(self, claim: object, answer: object) -> Delivered:
        raise AssertionError("the benchmark does not send")


async def generate(store: LedgerStore, users: int, contracts: int, seed: int) -> float:
    rng = random.Random(seed)
    started = time.perf_counter()
    for first in range(0, users, BULK_USERS):
        batch = [(user_id(n), make_ledger(rng, contracts)) for n in range(first, min(first + BULK_USERS, users))]
        await store.bulk_import(batch)
        if (first // BULK_USERS) % 20 == 0:
            print(f"  generated {min(first + BULK_USERS, users):,}/{users:,} users", file=sys.stderr, flush=True)
    return time.perf_counter() - started


def opt_in_everyone(path: Path) -> float:
    """Benchmark shortcut: one statement instead of 100k `update_settings` calls (the schema-4 triggers
    still mark every user for planning, as a real opt-in does)."""
    started = time.perf_counter()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO user_settings (user_id, timezone, reminders_enabled, quiet_start, quiet_end, updated_at) "
            "SELECT user_id, CASE n % 5 WHEN 0 THEN ? WHEN 1 THEN ? WHEN 2 THEN ? WHEN 3 THEN ? ELSE ? END, 1, "
            "CASE WHEN n % 3 = 0 THEN '22:00' END, CASE WHEN n % 3 = 0 THEN '07:30' END, ? "
            "FROM (SELECT user_id, CAST(substr(user_id, -4) AS INTEGER) AS n FROM users)",
            (*ZONES, NOW.isoformat()),
        )
    return time.perf_counter() - started


async def plan_everyone(reminders: ReminderStore) -> tuple[float, int]:
    scheduler = ReminderScheduler(
        reminders,
        NoSender(),
        lambda r: None,  # type: ignore[arg-type, return-value]
        clock=FixedClock(NOW),
        config=SchedulerConfig(replan_per_tick=5000),
    )
    started, planned = time.perf_counter(), 0
    while True:
        report = TickReport()
        await scheduler.replan_due(report)
        planned += report.replanned
        print(f"  planned {planned:,} users", file=sys.stderr, flush=True)
        if not report.more:
            return time.perf_counter() - started, planned


def first_send_out(path: Path) -> int:
    """Everything due at NOW counts as sent (as after the first send-out), so later scans see steady state."""
    with sqlite3.connect(path) as conn:
        cursor = conn.execute(
            "UPDATE reminders SET state = 'sent', sent_at = deliver_at WHERE state = 'pending' AND deliver_at <= ?",
            ((NOW + timedelta(hours=20)).isoformat(timespec="microseconds"),),
        )
        return cursor.rowcount


async def measured(label: str, scan: Callable[[], Awaitable[int]]) -> None:
    """Best of three timed runs (warm page cache, as a running bot has), then one run under tracemalloc
    for the memory peak (tracemalloc slows allocation-heavy code several times, so never both at once)."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        count = await scan()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    await scan()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  {label}: {count:,} rows in {min(times) * 1e3:,.0f} ms, peak Python memory {peak / 2**10:,.0f} KiB")


async def due_scan(reminders: ReminderStore, at: datetime) -> int:
    cursor, total = Cursor(), 0
    while True:
        page, cursor = await reminders.peek_due(at, PAGE, cursor)
        if not page:
            return total
        total += len(page)


async def replan_scan(reminders: ReminderStore, at: datetime) -> int:
    after, total = ("", ""), 0
    while page := await reminders.due_for_replan(at, PAGE, after):
        total += len(page)
        after = (page[-1].replan_at, page[-1].user_id)
    return total


async def opted_in_sweep(reminders: ReminderStore) -> int:
    after, total = None, 0
    while page := await reminders.opted_in_users(after, 1000):
        total += len(page)
        after = page[-1]
    return total


async def run_one(users: int, contracts: int, seed: int, folder: Path) -> None:
    path = folder / f"reminders-{users}.db"
    print(f"\n{users:,} users x {contracts} contracts = {users * contracts:,} contracts")
    async with await LedgerStore.open(path) as store:
        seconds = await generate(store, users, contracts, seed)
        print(f"  generate (bulk_import, {BULK_USERS} users per transaction): {seconds:.1f} s")
    print(f"  opt everyone in: {opt_in_everyone(path):.1f} s")
    async with await LedgerStore.open(path) as store:
        reminders = ReminderStore(store.database, DeliveryWindow.of, ledger=store)
        elapsed, planned = await plan_everyone(reminders)
        counts = await reminders.counts()
        print(
            f"  first planning of every user: {planned:,} users in {elapsed:.1f} s = "
            f"{planned / elapsed:,.0f} users/s; queue {sum(counts.values()):,} reminders"
        )
    print(f"  first send-out (bench shortcut): {first_send_out(path):,} reminders marked sent")
    async with await LedgerStore.open(path) as store:
        reminders = ReminderStore(store.database, DeliveryWindow.of, ledger=store)
        for days in (1, 7, 30):
            at = NOW + timedelta(days=days)
            label = f"due scan at +{days:>2} d (claim query, pages of {PAGE})"
            await measured(label, lambda at=at: due_scan(reminders, at))
            await measured(f"re-plan scan at +{days:>2} d", lambda at=at: replan_scan(reminders, at))
        await measured("opted-in sweep (all users, pages of 1000)", lambda: opted_in_sweep(reminders))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--contracts", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="keep the databases in this (new) folder")
    args = parser.parse_args()
    print_machine()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="jss-reminders-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for users in args.users:
            asyncio.run(run_one(users, args.contracts, args.seed, folder))
            size = sum(p.stat().st_size for p in folder.glob(f"reminders-{users}.db*"))
            print(f"  database: {size / 2**20:,.0f} MiB")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
