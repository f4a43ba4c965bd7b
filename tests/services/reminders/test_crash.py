"""Crash safety: the sender is SIGKILLed over and over during a simulated season, and restarted.

The local Discord runs here, in the test process, so it outlives every killed sender; each child
(tests/services/reminders/crash_child.py) is the production scheduler and sender on a simulated clock. The
DMs the users receive, put together across all the restarts, must be exactly the ones a run without
crashes sends: none lost, none twice.

Every kill is placed by progress, not by wall time, so the same kills happen on a fast or a slow
machine: a fixed schedule kills the sender during start-up (before its first DM), mid-run (from
outside, within one send interval after the run's n-th DM reached Discord, and at the latest when the
next one arrives), just before and just after its n-th delivery attempt (between claim and send,
between send and mark); then one last run must finish the season.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import shutil
import signal
import sqlite3
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.clock import VirtualClock
from bot.reminders.timing import DeliveryWindow
from bot.render import OutputFormat
from bot.services.reminders.messages import reminder_answer
from bot.services.reminders.scheduler import ReminderScheduler, SchedulerConfig
from bot.store import LedgerStore
from bot.store.reminder_store import ReminderStore
from scoring.model import Ledger
from tests.builders import ended_days_ago, funded_fixed, open_hourly
from tests.discord_app.reminders import dm_key
from tests.fakediscord import FakeDiscord, FakeUser
from tests.services.reminders import ScriptedSender

from . import crash_child

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")

REPO_ROOT = Path(__file__).resolve().parents[3]
START = datetime(2026, 1, 5, 6, tzinfo=UTC)
END = datetime(2026, 4, 20, tzinfo=UTC)
ZONES = [
    ("America/New_York", "21:00", "09:30"),
    ("Europe/Berlin", "22:00", "07:00"),
    ("Asia/Tokyo", None, None),
    ("America/Los_Angeles", "08:00", "10:00"),
    ("UTC", None, None),
]
SEND_INTERVAL = 1 / crash_child.CONFIG.dm_rate  # the throttle's interval: until real ones were measured
LOGIN, OPEN_DM = ("GET", "/users/@me"), ("POST", "/users/@me/channels")
STARTUP_GUESS = 0.05  # seconds from login to first DM request, until a run has shown how long it is
# (kind, n), one child each, in this order; then a last child without a kill must finish the season.
#   startup      killed from outside during start-up, at a random fraction of the time the last run took
#                from its login to its first DM request; the child kills itself at its first delivery
#                attempt at the latest, so the kill always precedes any DM
#   progress     killed from outside a random fraction of a send interval (the median time between two
#                DMs of a run so far) after the run's n-th DM reached Discord, skewed towards the start
#                (the answer, the mark, the next claim), and at the latest as the (n+1)-th arrives,
#                before the child has the answer
#   before-send  kills itself just before its n-th delivery attempt (claimed, not sent)
#   after-send   kills itself just after its n-th delivery attempt (sent, not marked)
SCHEDULE = [
    ("startup", 0),
    ("progress", 4),
    ("before-send", 3),
    ("after-send", 2),
    ("progress", 1),
    ("startup", 0),
    ("after-send", 1),
    ("before-send", 1),
    ("progress", 7),
    ("after-send", 4),
    ("startup", 0),
    ("before-send", 5),
    ("progress", 2),
]
MAX_DMS = {  # the most DMs one run of each kind can get out before it dies
    "startup": lambda n: 0,
    "progress": lambda n: n + 1,
    "before-send": lambda n: n - 1,
    "after-send": lambda n: n,
}


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
        contracts.append(ended_days_ago(f"e{i}", today, rng.randrange(1, 12), stars=None))
    contracts += [ended_days_ago(f"g{i}", today, 100 + 40 * i) for i in range(3)]
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
            ReminderStore(store.database, DeliveryWindow.of, ledger=store),
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
    db: Path, server: FakeDiscord, state: Path, crash: tuple[str, int] | None, stderr: Any
) -> asyncio.subprocess.Process:
    args = [str(db), server.api_base, str(state), START.isoformat(), END.isoformat()]
    if crash:
        args += [crash[0], str(crash[1])]
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.services.reminders.crash_child",
        *args,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=stderr,  # a file: a pipe nobody reads could stall the child
    )


@dataclass
class Run:
    code: int | None = None
    dms: list[dict[str, Any]] = field(default_factory=list)  # DMs Discord stored during this run
    notes: list[str] = field(default_factory=list)  # the child's "crash_child:" lines
    stderr: str = ""
    outside: bool = False  # the test sent the SIGKILL


async def run_child(
    db: Path, server: FakeDiscord, state: Path, err: Path, kind: str | None, n: int, fraction: float, gaps: list[float]
) -> Run:
    """One child, killed as `kind` plans (None: left to finish); returns how it ended and what it did.

    `fraction` (0..1) places an outside kill within its window; `gaps` collects the seconds between one
    DM and the next of the same run, the send interval as this machine runs it.
    """
    loop = asyncio.get_running_loop()
    run = Run()
    last: float | None = None
    timer: asyncio.TimerHandle | None = None
    child: asyncio.subprocess.Process | None = None
    logins = sum((c.method, c.path) == LOGIN for c in server.calls)

    def logged_in() -> bool:
        return sum((c.method, c.path) == LOGIN for c in server.calls) > logins

    def kill() -> None:
        if child is not None and child.returncode is None:
            run.outside = True
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signal.SIGKILL)

    def on_dm(msg: dict[str, Any]) -> None:  # runs in the request handler: the child waits for its answer
        nonlocal timer, last
        if not logged_in():
            return  # the late request of the sender killed before this one: not this run's DM
        run.dms.append(msg)
        if last is not None:
            gaps.append(loop.time() - last)
        last = loop.time()
        if kind == "progress" and len(run.dms) == n:
            interval = statistics.median(gaps) if gaps else SEND_INTERVAL
            timer = loop.call_later(fraction**2 * interval, kill)  # skewed towards the answer and the mark
        elif kind == "progress" and len(run.dms) > n:
            kill()

    server.dm_listeners.append(on_dm)
    try:
        crash = (kind, n) if kind in ("before-send", "after-send", "startup") else None
        with err.open("wb") as stderr:
            child = await spawn(db, server, state, crash, stderr)
        if kind == "startup":
            exited = asyncio.ensure_future(child.wait())
            login = asyncio.ensure_future(server.wait_for(logged_in, timeout=60, what="the login", poll=None))
            await asyncio.wait([exited, login], return_when=asyncio.FIRST_COMPLETED)
            if login.done():
                login.result()
                timer = loop.call_later(fraction * startup_time(server), kill)
            else:
                login.cancel()
        try:
            run.code = await asyncio.wait_for(child.wait(), timeout=60)
        except TimeoutError:
            child.send_signal(signal.SIGUSR1)  # the child's faulthandler writes its stacks to the file
            await asyncio.sleep(1)
            pytest.fail(f"{kind} {n}: the child hangs after {len(run.dms)} DMs:\n{child_report(err)[0][-5000:]}")
        # A request the child made just before it died is still answered: let Discord finish it.
        await server.wait_for(lambda: all(c.status for c in server.calls), timeout=60, what="requests in flight")
    finally:
        server.dm_listeners.remove(on_dm)
        if timer is not None:
            timer.cancel()
        if child is not None and child.returncode is None:
            child.kill()
            await child.wait()
    run.stderr, run.notes = child_report(err)
    return run


def startup_time(server: FakeDiscord) -> float:
    """Seconds from the login of the latest sender that got as far as a DM to its first DM request (opening
    the DM channel), as Discord saw them: the start-up work after the login."""
    started = None
    for call in reversed(server.calls):
        if (call.method, call.path) == LOGIN:
            if started is not None:
                return started - call.at
        elif (call.method, call.path) == OPEN_DM:
            started = call.at
    return STARTUP_GUESS


def child_report(err: Path) -> tuple[str, list[str]]:
    """The child's stderr, and its "crash_child:" lines without the prefix."""
    text = err.read_text(errors="replace")
    return text, [line.removeprefix("crash_child: ") for line in text.splitlines() if line.startswith("crash_child: ")]


def unacknowledged(db: Path, server: FakeDiscord, users: list[FakeUser]) -> set[tuple[int, int]]:
    """(reminder id, delivery) of the DMs Discord has whose reminder the queue has not marked sent."""
    keys = {(rid, delivery or 0) for user in users for rid, delivery in map(dm_key, server.dms_to(user))}
    with sqlite3.connect(db) as conn:
        sent = set(conn.execute("SELECT id, delivery FROM reminders WHERE state = 'sent'").fetchall())
    return keys - sent


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
        assert len(set(expected)) == len(expected)
        # Every planned kill happens before the season's DMs run out, with plenty left for the last run.
        assert len(expected) >= sum(MAX_DMS[kind](n) for kind, n in SCHEDULE) + 20, len(expected)

        state = tmp_path / "clock.txt"
        kills: Counter[str] = Counter()
        landed: Counter[str] = Counter()
        must_recover: set[tuple[int, int]] = set()  # sent, but the queue did not know when its sender died
        recovered: set[tuple[int, int]] = set()
        gaps: list[float] = []
        for attempt, (kind, n) in enumerate(SCHEDULE):
            fraction = rng.random()  # drawn for every run, so the draws do not depend on what happened
            run = await run_child(db, server, state, tmp_path / f"child{attempt}.err", kind, n, fraction, gaps)
            recovered |= {(int(w[2]), int(w[4])) for w in map(str.split, run.notes) if w[0] == "recovered"}
            what = f"run {attempt} ({kind} {n}) ended with {run.code} after {len(run.dms)} DMs"
            assert run.code == -signal.SIGKILL, f"{what}, not killed as planned:\n{run.stderr[-3000:]}"
            own = [note.split() for note in run.notes if note.startswith("kill ")]
            assert len(run.dms) <= MAX_DMS[kind](n), what
            if kind == "progress":
                assert n <= len(run.dms) and run.outside and own == [], what
            elif kind == "startup":
                assert run.dms == [] and (run.outside or own), what
                landed["startup: at its first attempt" if own else "startup: from outside"] += 1
            else:
                assert not run.outside and [w[:3] for w in own] == [["kill", kind, str(n)]], what
            kills[kind] += 1

            left = unacknowledged(db, server, users)
            if kind == "after-send":
                assert (int(own[0][4]), int(own[0][6])) in left, f"{what}: its last DM was not left unacknowledged"
            if kind == "progress":
                landed["progress: before the DM was marked sent" if left - must_recover else "progress: after"] += 1
            must_recover |= left

        final = await run_child(db, server, state, tmp_path / "final.err", None, 0, 0.0, gaps)
        recovered |= {(int(w[2]), int(w[4])) for w in map(str.split, final.notes) if w[0] == "recovered"}
        assert final.code == 0, f"the last sender ended with {final.code}:\n{final.stderr[-3000:]}"
        assert kills == Counter(kind for kind, _ in SCHEDULE)
        print(f"kills {dict(kills)}; {dict(landed)}; {len(must_recover)} DMs recovered from the history")

        pairs = []
        for user in users:
            dms = server.dms_to(user)
            pairs += [(rid, delivery or 0) for rid, delivery in map(dm_key, dms)]
        received = keys_of(db, pairs)
        assert len(received) == len(set(received)), "a reminder was delivered twice"
        assert sorted(received) == sorted(expected)
        # Each DM a kill left unacknowledged was found in the DM history by a retried claim, not sent again.
        assert must_recover, "no kill left a DM the queue did not know about"
        assert must_recover <= recovered, must_recover - recovered
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT id, delivery, state, attempts FROM reminders").fetchall()
        retried = {(rid, delivery) for rid, delivery, state, attempts in rows if state == "sent" and attempts > 1}
        assert must_recover <= retried
        assert server.problems() == []
    finally:
        await server.stop()
