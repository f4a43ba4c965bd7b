"""Child process for test_crash_import: import ledger B, A, B, A, ... into one user until killed.

Run as a script (`python crash_child.py DB_PATH SIZE SEED`); the test imports `build_ledgers` from here so
parent and child agree exactly on what A and B are. Prints "ready" once the store is open, then
"imported N SECONDS" once its N-th import has committed (SECONDS: how long that import took), so that
the test can time its kill by the child's own progress and speed (the test reads the lines it waits
for; the few after them fit in the pipe, which must never fill up and stall the child).
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from scoring.model import Contract, Ledger

USER = "crash-user"


def _contract(rng: random.Random, contract_id: str, flavour: str) -> Contract:
    started = date(2020, 1, 1) + timedelta(days=rng.randrange(1500))
    last = started + timedelta(days=rng.randrange(400))
    ended = rng.random() < 0.4
    return Contract(
        id=contract_id,
        title=f"{flavour} title {contract_id}",
        client=f"{flavour} client {rng.randrange(200)}",
        kind=rng.choice(["hourly", "fixed"]),
        status="ended" if ended else rng.choice(["active", "paused", "on_hold"]),
        started=started,
        ended=last if ended else None,
        last_activity=last,
        last_payment=last if rng.random() < 0.7 else None,
        earnings_usd=Decimal(rng.randrange(0, 5_000_000)).scaleb(-2),
        escrow_usd=Decimal(rng.randrange(0, 100_000)).scaleb(-2),
        public_stars=rng.choice([None, 3.5, 4.25, 5.0]),
        private_rating=rng.choice([None, 0, 7, 10]),
        disputed=rng.random() < 0.05,
        refunded_usd=Decimal(rng.randrange(0, 1000)).scaleb(-2),
        client_flagged=rng.random() < 0.05,
        close_requests=tuple(last - timedelta(days=d) for d in range(rng.randrange(3)) if not ended),
    )


def build_ledgers(size: int, seed: int) -> tuple[Ledger, Ledger]:
    """Two overlapping ledgers: A has ids 0..size-1, B has ids size/3..size*4/3-1 with other values,
    so switching between them deletes, updates and inserts in the same transaction."""
    rng = random.Random(seed)
    shift = size // 3
    a = tuple(_contract(rng, f"c-{i:06d}", "A") for i in range(size))
    b = tuple(_contract(rng, f"c-{i:06d}", "B") for i in range(shift, size + shift))
    return Ledger(contracts=a), Ledger(contracts=b)


async def _run(path: str, size: int, seed: int) -> None:
    from bot.store import LedgerStore

    ledger_a, ledger_b = build_ledgers(size, seed)
    store = await LedgerStore.open(path)
    try:
        # A tiny page cache makes SQLite spill uncommitted pages into the WAL mid-transaction, so a kill
        # leaves half-written transactions on disk that recovery must discard (the harder case).
        await store._connection().execute("PRAGMA cache_size = 20")
        print("ready", flush=True)
        turn = 0
        while True:
            started = time.perf_counter()
            await store.import_ledger(USER, ledger_b if turn % 2 == 0 else ledger_a, "replace")
            turn += 1
            print(f"imported {turn} {time.perf_counter() - started:.6f}", flush=True)
    finally:
        await store.close()


if __name__ == "__main__":
    asyncio.run(_run(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
