"""Benchmark of the reminder scheduler's scans on SQLite and PostgreSQL: time and peak memory at 10k and 100k
users x 20 contracts.

    .venv/bin/python bench/reminders.py [--users 10000 100000] [--contracts 20] [--keep DIR]
                                        [--backends sqlite postgresql] [--pg-url URL]

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

PostgreSQL: the SQLite database, once planned and sent out, is copied into a PostgreSQL database with
`jss-advisor migrate`'s copy (bot/store/transfer.py; its time is printed too), then ANALYZEd as autovacuum
would after a bulk load, and the same scans run there: both backends scan the same queue. The server is a
throwaway one (bench/store.py's: tests/pg.py's with fsync on), or `--pg-url` (an empty database; one
--users value). The due scan's plan on PostgreSQL is printed (EXPLAIN): it must walk `reminders_due`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from store import AS_OF, make_ledger, new_database, print_machine, throwaway_server, user_id  # noqa: E402

from bot.clock import FixedClock  # noqa: E402
from bot.console.cli import db_option  # noqa: E402
from bot.reminders.timing import DeliveryWindow  # noqa: E402
from bot.services.reminders.delivery import Delivered  # noqa: E402
from bot.services.reminders.scheduler import ReminderScheduler, SchedulerConfig, TickReport  # noqa: E402
from bot.store import Database, LedgerStore, is_url  # noqa: E402
from bot.store.reminder_queue import DUE_SCAN  # noqa: E402
from bot.store.reminder_store import Cursor, ReminderStore  # noqa: E402
from bot.store.transfer import copy_database  # noqa: E402

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


async def scans(store: LedgerStore) -> None:
    reminders = ReminderStore(store.database, DeliveryWindow.of, ledger=store)
    for days in (1, 7, 30):
        at = NOW + timedelta(days=days)
        label = f"due scan at +{days:>2} d (claim query, pages of {PAGE})"
        await measured(label, lambda at=at: due_scan(reminders, at))
        await measured(f"re-plan scan at +{days:>2} d", lambda at=at: replan_scan(reminders, at))
    await measured("opted-in sweep (all users, pages of 1000)", lambda: opted_in_sweep(reminders))


async def run_one(users: int, contracts: int, seed: int, folder: Path) -> Path:
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
    return path


async def sqlite_row(path: Path) -> None:
    print(f"  -- SQLite {sqlite3.sqlite_version}")
    async with await LedgerStore.open(path) as store:
        await scans(store)
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    print(f"  database file: {size / 2**20:,.0f} MiB")


async def postgres_row(path: Path, url: str) -> None:
    async with await Database.open(path) as source, await Database.open(url) as target:
        started = time.perf_counter()
        copied = await copy_database(source, target)
        elapsed = time.perf_counter() - started
        async with target.read() as db:
            await db.execute("ANALYZE")
            server = list(await db.execute_fetchall("SELECT current_setting('server_version')"))[0][0]
            size = int(list(await db.execute_fetchall("SELECT pg_database_size(current_database())"))[0][0])
        plan = await due_plan(target)
    rows = sum(copied.values())
    print(f"  -- PostgreSQL {server}")
    print(
        f"  copy from the SQLite file (migrate's copy, one transaction): {rows:,} rows in {elapsed:.1f} s = "
        f"{rows / elapsed:,.0f} rows/s ({copied['users']:,} users, {copied['reminders']:,} reminders)"
    )
    print(f"  due scan plan: {plan}")
    async with await LedgerStore.open(url) as store:
        await scans(store)
    print(f"  database size (pg_database_size): {size / 2**20:,.0f} MiB")


async def due_plan(database: Any) -> str:
    """The due scan's plan on PostgreSQL, its node lines joined (which index, which join). Through the pool:
    the stores' `Connection` runs EXPLAIN as a statement without rows."""
    sql = DUE_SCAN.replace(":now", "'2025-01-02T12:00:00.000000+00:00'").replace(":after_at", "''")
    sql = sql.replace(":after_id", "0").replace(":limit", str(PAGE))
    async with database.pool().acquire() as conn:
        lines = [str(row[0]).strip() for row in await conn.fetch("EXPLAIN (COSTS OFF) " + sql)]
    return " | ".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--contracts", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="keep the SQLite databases in this (new) folder")
    parser.add_argument(
        "--backends", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"], help="(both)"
    )
    parser.add_argument("--pg-url", type=db_option, help="an empty PostgreSQL database instead of a throwaway server")
    args = parser.parse_args()
    if args.pg_url is not None and (not is_url(args.pg_url) or len(args.users) != 1):
        parser.error("--pg-url takes a postgresql:// URL, and one --users value")
    print_machine()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="jss-reminders-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with contextlib.ExitStack() as stack:
            server = None
            if "postgresql" in args.backends and args.pg_url is None:
                server = stack.enter_context(throwaway_server())
            for users in args.users:
                path = asyncio.run(run_one(users, args.contracts, args.seed, folder))
                if "sqlite" in args.backends:
                    asyncio.run(sqlite_row(path))
                if "postgresql" in args.backends:
                    url = args.pg_url or new_database(server, f"reminders_{users}")
                    asyncio.run(postgres_row(path, url))
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
