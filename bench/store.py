"""Benchmark of the ledger store on SQLite and PostgreSQL: import throughput, per-user read latency, list + score.

    .venv/bin/python bench/store.py [--users N] [--contracts M] [--backends sqlite postgresql]
                                    [--db PATH_OR_URL] [--pg-url URL]

Why these figures: the bot imports one user's ledger at a time (import_ledger per user is the realistic
write path), serves per-user reads for every command (list_contracts latency is what a user waits for),
and a reminder job will scan every user and score them (users/s bounds how often that job can run).
Data generation is not timed. Both backends get the same data (same seed) and print their rows in one run.

Where the data goes: SQLite, a temporary file (deleted afterwards); PostgreSQL, a throwaway server started
here like the tests start theirs (tests/pg.py: initdb + pg_ctl on a unix socket), but with fsync on, so its
commits cost what a real server's do (synchronous_commit=off, like SQLite's synchronous=NORMAL in WAL mode:
a crash may lose the last commits, never corrupt). `--pg-url` uses an existing empty database instead;
`--db` (a new file, or a URL, as the console's `--db` takes it) runs that one database only and keeps it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.console.cli import db_option  # noqa: E402
from bot.store import LedgerStore, is_url  # noqa: E402
from scoring.model import Contract, Ledger  # noqa: E402

AS_OF = date(2025, 1, 1)
BULK_BATCH_USERS = 500


def user_id(n: int) -> str:
    """Discord-snowflake-like ids (18 digits), so keys have realistic length and order."""
    return str(700_000_000_000_000_000 + n * 7_919)


def make_ledger(rng: random.Random, contracts: int) -> Ledger:
    """A plausible freelancer history: mostly ended contracts, a few open, some feedback and requests."""
    items = []
    for i in range(contracts):
        started = AS_OF - timedelta(days=rng.randrange(30, 2000))
        last = min(AS_OF, started + timedelta(days=rng.randrange(0, 300)))
        ended = rng.random() < 0.75
        items.append(
            Contract(
                id=f"c{i:04d}-{rng.randrange(16**6):06x}",
                title=f"Project {rng.choice(['web', 'api', 'logo', 'data', 'seo'])} {i}",
                client=f"Client {rng.randrange(10_000)}",
                kind=rng.choice(["hourly", "fixed"]),
                status="ended" if ended else rng.choice(["active", "active", "paused", "on_hold"]),
                started=started,
                ended=last if ended else None,
                last_activity=last,
                last_payment=last if rng.random() < 0.8 else None,
                earnings_usd=Decimal(rng.randrange(0, 2_000_000)).scaleb(-2),
                escrow_usd=Decimal(rng.randrange(0, 50_000) if not ended else 0).scaleb(-2),
                public_stars=rng.choice([None, 4.0, 4.5, 4.85, 5.0]) if ended else None,
                private_rating=rng.choice([None, 8, 9, 10]) if ended else None,
                disputed=rng.random() < 0.02,
                client_flagged=rng.random() < 0.02,
                close_requests=(last,) if not ended and rng.random() < 0.3 else (),
            )
        )
    return Ledger(contracts=tuple(items))


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def latency_line(label: str, latencies: Sequence[float]) -> str:
    total = sum(latencies)
    return (
        f"{label}: {len(latencies) / total:,.0f} users/s, "
        f"median {statistics.median(latencies) * 1e3:.3f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1e3:.3f} ms (n={len(latencies)})"
    )


def print_machine() -> None:
    print(f"machine: {platform.platform()} ({platform.machine()}), CPUs: {os.cpu_count()}")
    print(
        f"python: {platform.python_implementation()} {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, aiosqlite {version('aiosqlite')}, asyncpg {version('asyncpg')}, "
        f"pydantic {version('pydantic')}"
    )
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from machine import cpu_model  # bench/machine.py

    print(f"cpu: {cpu_model()}")


def progress(label: str, done: int, total: int) -> None:
    if total >= 10 and done % max(1, total // 10) == 0:
        print(f"  {label}: {done}/{total} users", file=sys.stderr, flush=True)


async def insert_per_user(store: LedgerStore, users: range, per_user: int, rng: random.Random) -> None:
    timed = 0.0
    for done, n in enumerate(users, start=1):
        ledger = make_ledger(rng, per_user)
        start = time.perf_counter()
        await store.import_ledger(user_id(n), ledger, "replace")
        timed += time.perf_counter() - start
        progress("import_ledger", done, len(users))
    count = len(users) * per_user
    print(
        f"insert via import_ledger (one transaction per user): {count:,} contracts in {timed:.1f} s = "
        f"{count / timed:,.0f} contracts/s, {len(users) / timed:,.0f} users/s"
    )


async def insert_bulk(store: LedgerStore, users: range, per_user: int, rng: random.Random) -> None:
    timed = 0.0
    for first in range(users.start, users.stop, BULK_BATCH_USERS):
        batch = [
            (user_id(n), make_ledger(rng, per_user)) for n in range(first, min(first + BULK_BATCH_USERS, users.stop))
        ]
        start = time.perf_counter()
        await store.bulk_import(batch)
        timed += time.perf_counter() - start
        print(
            f"  bulk_import: {min(first + BULK_BATCH_USERS, users.stop) - users.start}/{len(users)} users",
            file=sys.stderr,
            flush=True,
        )
    count = len(users) * per_user
    print(
        f"insert via bulk_import ({BULK_BATCH_USERS} users per transaction): "
        f"{count:,} contracts in {timed:.1f} s = {count / timed:,.0f} contracts/s, "
        f"{len(users) / timed:,.0f} users/s"
    )


async def read_sample(store: LedgerStore, sample: Sequence[int], label: str) -> list[list[Contract]]:
    ledgers, _ = await read_sample_timed(store, sample, label)
    return ledgers


def load_scorer() -> Callable[[Sequence[Contract], date], Any] | None:
    try:
        from scoring.engine import score
    except Exception:  # the engine is developed in parallel; any import failure means "not yet"
        return None
    return score


def score_sample(ledgers: Sequence[list[Contract]]) -> None:
    scorer = load_scorer()
    if scorer is None:
        print("scoring: engine not available yet")
        return
    latencies = []
    try:
        for contracts in ledgers:
            start = time.perf_counter()
            scorer(contracts, AS_OF)
            latencies.append(time.perf_counter() - start)
    except Exception as exc:  # report, do not hide the store figures
        print(f"scoring: engine failed on generated data: {type(exc).__name__}: {exc}")
        return
    print(latency_line("scoring (scoring.engine.score, per user)", latencies))


def list_and_score(ledgers: Sequence[list[Contract]], list_latencies: Sequence[float]) -> None:
    """What a scan of every user costs per user: read the ledger, then score it (the two timed apart above)."""
    scorer = load_scorer()
    if scorer is None or not ledgers:
        return
    latencies = []
    for contracts, listed in zip(ledgers, list_latencies, strict=True):
        start = time.perf_counter()
        scorer(contracts, AS_OF)
        latencies.append(listed + time.perf_counter() - start)
    print(latency_line("list_contracts + score, per user", latencies))


async def size_line(store: LedgerStore, where: Path | str) -> str:
    """The database's size: the SQLite file with its -wal, or PostgreSQL's pg_database_size."""
    if isinstance(where, Path):
        size = sum(p.stat().st_size for p in where.parent.glob(where.name + "*"))
        label = "database file size"
    else:
        async with store.database.read() as db:
            size = int(list(await db.execute_fetchall("SELECT pg_database_size(current_database())"))[0][0])
        label = "database size (pg_database_size)"
    return f"{label}: {size / 2**20:,.1f} MiB"


async def server_line(store: LedgerStore) -> str:
    if store.database.dialect != "postgresql":
        return f"backend: SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL)"
    async with store.database.read() as db:
        rows = list(
            await db.execute_fetchall(
                "SELECT current_setting('server_version'), current_setting('fsync'), "
                "current_setting('synchronous_commit'), current_setting('shared_buffers')"
            )
        )
    server, fsync, sync_commit, buffers = rows[0]
    return (
        f"backend: PostgreSQL {server} (fsync={fsync}, synchronous_commit={sync_commit}, shared_buffers={buffers}), "
        f"{store.database.path}"
    )


async def run(args: argparse.Namespace, where: Path | str) -> None:
    rng = random.Random(args.seed)
    bulk_users = int(args.users * args.bulk_fraction)
    single = range(0, args.users - bulk_users)
    bulk = range(args.users - bulk_users, args.users)
    store = await LedgerStore.open(where)
    try:
        print(await server_line(store))
        async with store.database.read() as db:
            present = int(list(await db.execute_fetchall("SELECT count(*) FROM users"))[0][0])
        if present:
            raise SystemExit(f"{store.database.path} already holds users; the benchmark needs an empty database")
        print(f"data: {args.users:,} users x {args.contracts} contracts = {args.users * args.contracts:,} contracts")
        if len(single):
            await insert_per_user(store, single, args.contracts, rng)
        if len(bulk):
            await insert_bulk(store, bulk, args.contracts, rng)
        print(await size_line(store, where))
        sample = random.Random(args.seed + 1).sample(range(args.users), min(args.sample, args.users))
        await read_sample(store, sample, "first pass over the sample")
        ledgers, latencies = await read_sample_timed(store, sample, "second pass, warm cache")
    finally:
        await store.close()
    score_sample(ledgers)
    list_and_score(ledgers, latencies)


async def read_sample_timed(
    store: LedgerStore, sample: Sequence[int], label: str
) -> tuple[list[list[Contract]], list[float]]:
    latencies = []
    ledgers = []
    for n in sample:
        start = time.perf_counter()
        contracts = await store.list_contracts(user_id(n))
        latencies.append(time.perf_counter() - start)
        ledgers.append(contracts)
    print(latency_line(f"list_contracts ({label})", latencies))
    return ledgers, latencies


@contextlib.contextmanager
def throwaway_server() -> Iterator[Any]:
    """A PostgreSQL server started for this run (tests/pg.py's PgServer, but fsync on); stopped after."""
    from tests.pg import PgServer, find_bin_dir

    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise SystemExit("no PostgreSQL server binaries (initdb, pg_ctl); install Debian's postgresql or give --pg-url")

    class DurableServer(PgServer):
        def start(self) -> None:
            (self.root / "owner.pid").write_text(str(os.getpid()), encoding="utf-8")
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
            options = f"-c listen_addresses='' -k {self.socket_dir} -c synchronous_commit=off"
            self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"), "-w", "start")

    server = DurableServer(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def new_database(server: Any, name: str) -> str:
    """An empty database on `server`, and its URL."""
    from tests.pg import run_async

    run_async(_create(server, name))
    return str(server.url(name))


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """An empty database on a throwaway server."""
    with throwaway_server() as server:
        yield new_database(server, "bench")


async def _create(server: Any, name: str) -> None:
    conn = await server.admin()
    try:
        await conn.execute(f"CREATE DATABASE {name} TEMPLATE template0")
    finally:
        await conn.close()


@contextlib.contextmanager
def temp_sqlite() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="jss-bench-"))
    try:
        yield folder / "bench.db"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--contracts", type=int, default=20, help="contracts per user")
    parser.add_argument(
        "--backends", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"], help="(both)"
    )
    parser.add_argument("--db", type=db_option, help="run on this one database only (a new file, or a URL) and keep it")
    parser.add_argument("--pg-url", type=db_option, help="an empty PostgreSQL database instead of a throwaway server")
    parser.add_argument("--bulk-fraction", type=float, default=0.5, help="share of users inserted by bulk_import")
    parser.add_argument("--sample", type=int, default=2000, help="users sampled for read/scoring latency")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.users < 1 or args.contracts < 0 or not 0 <= args.bulk_fraction <= 1:
        parser.error("need --users >= 1, --contracts >= 0 and 0 <= --bulk-fraction <= 1")
    if args.pg_url is not None and not is_url(args.pg_url):
        parser.error("--pg-url takes a postgresql:// URL")

    print_machine()
    if args.db is not None:
        if isinstance(args.db, Path) and args.db.exists():
            parser.error(f"{args.db} exists; the benchmark only writes to a new file")
        asyncio.run(run(args, args.db))
        return
    for backend in args.backends:
        print(f"\n== {backend} ==")
        if backend == "sqlite":
            with temp_sqlite() as path:
                asyncio.run(run(args, path))
        elif args.pg_url is not None:
            asyncio.run(run(args, args.pg_url))
        else:
            with throwaway_postgres() as url:
                asyncio.run(run(args, url))


if __name__ == "__main__":
    main()
