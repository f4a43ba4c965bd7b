"""Crash safety: the sender is SIGKILLed over and over during a simulated season, and restarted.

The local Discord runs here, in the test process, so it outlives every killed sender; each child
(tests/reminders/crash_child.py) is the production scheduler and sender on a simulated clock. The
DMs the users receive, put together across all the restarts, must be exactly the ones a run without
crashes sends: none lost, none twice.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import signal
import sqlite3
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.reminders.clock import VirtualClock
from bot.reminders.messages import reminder_answer
from bot.reminders.scheduler import ReminderScheduler, SchedulerConfig
from bot.render import OutputFormat
from bot.store import LedgerStore
from bot.store.reminder_store import ReminderStore
from scoring.model import Ledger
from tests.fakediscord import FakeDiscord

from .builders import ended, funded_fixed, open_hourly
from .conftest import dm_key
from .test_scheduler import ScriptedSender

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")

REPO_ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 1, 5, 6, tzinfo=UTC)
END = datetime(2026, 4, 20, tzinfo=UTC)
ZONES = [
    ("America/New_York", "21:00", "09:30"),
    ("Europe/Berlin", "22:00", "07:00"),
    ("Asia/Tokyo", None, None),
    ("America/Los_Angeles", "08:00", "10:00"),
    ("UTC", None, None),
]
Key = tuple[str, str, str, str, int]  # user, contract, rule, due day, delivery


def season_ledger(rng: random.Random, today: date) -> Ledger:
    """A freelancer with idle, asked, funded and freshly ended contracts: 8-14 reminders in the season."""
    contracts = []
    for i in range(rng.randrange(3, 6)):
        asked = (rng.randrange(1, 40),) if rng.random() < 0.4 else ()
        contracts.append(open_hourly(f"h{i}", today, rng.randrange(0, 80), asked=asked))
    for i in range(rng.randrange(1, 3)):
        contracts.append(funded_fixed(f"f{i}", today, rng.randrange(0, 60)))
    for i in range(rng.randrange(2, 4)):
        contracts.append(ended(f"e{i}", today, rng.randrange(1, 12), stars=None))
    contracts += [ended(f"g{i}", today, 100 + 40 * i) for i in range(3)]
    return Ledger(contracts=tuple(contracts))


async def prepare(db: Path, user_ids: list[str]) -> None:
    rng = random.Random(20260105)
    async with await LedgerStore.open(db) as store:
        for user_id, (zone, quiet_start, quiet_end) in zip(user_ids, ZONES, strict=True):
            await store.import_ledger(user_id, season_ledger(rng, START.date()), "replace")
            await store.update_settings(
                user_id, timezone=zone, quiet_start=quiet_start, quiet_end=quiet_end, reminders_enabled=True
            )


def keys_of(db: Path, pairs: list[tuple[int, int]]) -> list[Key]:
    with sqlite3.connect(db) as conn:
        out = []
        for rid, delivery in pairs:
            row = conn.execute("SELECT user_id, contract_id, rule_id, due_on FROM reminders WHERE id = ?", (rid,))
            out.append((*row.fetchone(), delivery))
        return out


async def reference_run(db: Path) -> list[Key]:
    """The same season without crashes and without Discord: what must be sent."""
    clock = VirtualClock(START)
    async with await LedgerStore.open(db) as store:
        sender = ScriptedSender(clock)
        scheduler = ReminderScheduler(
            ReminderStore(store),
            sender,
            lambda r: reminder_answer(r, OutputFormat.DISCORD),
            clock=clock,
            config=SchedulerConfig(max_idle=None, dm_rate=10_000, dm_burst=1000),
        )
        scheduler.start()
        try:
            await clock.run_until(END)
        finally:
            await scheduler.stop()
    return keys_of(db, [(r.id, r.delivery) for _, r in sender.delivered])


async def spawn(
    db: Path, server: FakeDiscord, state: Path, crash: tuple[str, int] | None
) -> asyncio.subprocess.Process:
    args = [str(db), server.api_base, str(state), START.isoformat(), END.isoformat()]
    if crash:
        args += [crash[0], str(crash[1])]
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.reminders.crash_child",
        *args,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_sigkill_at_any_point_neither_loses_nor_repeats_a_dm(tmp_path: Path) -> None:
    rng = random.Random(77)
    server = FakeDiscord()
    server.allow_unknown_routes = False
    await server.start()
    try:
        users = [server.add_user(f"freelancer{i}") for i in range(len(ZONES))]
        user_ids = [str(u.id) for u in users]
        db, reference = tmp_path / "crash.db", tmp_path / "reference.db"
        await prepare(db, user_ids)
        shutil.copy(db, reference)
        expected = await reference_run(reference)
        assert len(expected) >= 40 and len(set(expected)) == len(expected)

        state = tmp_path / "clock.txt"
        kills = {"random": 0, "before-send": 0, "after-send": 0}
        finished = False
        for attempt in range(13):
            last = attempt == 12
            plan = attempt % 3
            crash = None if plan == 0 or last else (("before-send", "after-send")[plan - 1], rng.randrange(1, 5))
            child = await spawn(db, server, state, crash)
            if crash is None and not last:
                try:
                    await asyncio.wait_for(child.wait(), timeout=rng.uniform(0.6, 1.6))
                except TimeoutError:
                    child.send_signal(signal.SIGKILL)
                    kills["random"] += 1
            code = await asyncio.wait_for(child.wait(), timeout=60)
            if code == -signal.SIGKILL and crash is not None:
                kills[crash[0]] += 1
            elif code == 0:
                finished = True
                break
            elif code != -signal.SIGKILL:
                stderr = (await child.stderr.read()).decode()[-3000:] if child.stderr else ""
                pytest.fail(f"sender exited with {code}:\n{stderr}")
        assert finished, "the sender never finished the season"
        assert sum(kills.values()) >= 8 and min(kills.values()) >= 2, kills

        pairs = []
        for user in users:
            dms = server.dms_to(user)
            pairs += [(rid, delivery or 0) for rid, delivery in map(dm_key, dms)]
        received = keys_of(db, pairs)
        assert len(received) == len(set(received)), "a reminder was delivered twice"
        assert sorted(received) == sorted(expected)
        # The kills after a send really left DMs the queue did not know about, and they were recovered.
        with sqlite3.connect(db) as conn:
            retried = conn.execute("SELECT count(*) FROM reminders WHERE state = 'sent' AND attempts > 1").fetchone()
        assert retried[0] >= kills["after-send"]  # each was found in the DM history instead of sent again
        assert server.problems() == []
    finally:
        await server.stop()
