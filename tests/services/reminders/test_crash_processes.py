"""Three bot processes share one database through a reminder season; one after another is SIGKILLed and
restarted; every DM goes out exactly once.

Each child (shard_child.py) is what a bot process runs for reminders: the production scheduler and the
DiscordSender, on the shared simulated clock of shared_clock.py (time moves only when every process sleeps,
so no outcome depends on the machine's speed). The local Discord runs here and outlives every child; the
kills are made by its request handlers at exact points of progress, synchronously, before the child gets
an answer:

  before-send n   the process making the first DM request from the season's n-th on (its claim taken;
                  the request is dropped unhandled, as if the process had died just before sending it);
  after-send n    the process whose DM is the first stored from the season's n-th on (sent, the queue
                  does not know);
  lease-holder n  when the first DM from the n-th on is stored, the process holding the derivation pass's
                  job lease (the sender instead if that process is already gone), whatever it is doing.

The kills come in the plan's order, each at the first point its count reaches its n.

A killed process is restarted at once (under a new token), so three run at all times but for the moment
of a restart. The DMs the users received, across all processes and restarts, must be exactly those of a
run of one process without crashes: none lost, none twice, and each DM a kill left unacknowledged found in
the DM history rather than sent again.

It runs on each store backend (the `target` fixture of tests/pg.py): a SQLite file the processes share on
one host, and a PostgreSQL database (skipped, saying why, where no server binaries can be had).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.services.reminders.scheduler import REPLAN_JOB
from bot.store import LedgerStore
from bot.store.leases import JobLeases
from tests.discord_app.reminders import dm_key
from tests.fakediscord import FakeDiscord, RestCall

from .shared_clock import ClockServer
from .test_crash import END, START, ZONES, Key, prepare, reference_run

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")

REPO_ROOT = Path(__file__).resolve().parents[3]
PROCESSES = 3
# (kind, n) in season order: n counts DM requests (before-send) or stored DMs (the others) from the start.
PLAN = [
    ("after-send", 2),
    ("before-send", 5),
    ("lease-holder", 7),
    ("after-send", 10),
    ("before-send", 13),
    ("lease-holder", 15),
    ("after-send", 18),
    ("before-send", 22),
    ("lease-holder", 25),
    ("after-send", 28),
]


@dataclass
class Slot:
    """One of the three process slots: the child running in it now and how many it has had."""

    index: int
    process: asyncio.subprocess.Process | None = None
    token: str = ""
    generation: int = 0
    exits: list[int | None] = field(default_factory=list)


class Fleet:
    """The three bot processes: started, killed by progress, restarted, ended."""

    def __init__(self, db: str, server: FakeDiscord, clock: ClockServer, logs: Path) -> None:
        self.db, self.server, self.clock, self.logs = db, server, clock, logs
        self.slots = [Slot(i) for i in range(PROCESSES)]
        self.kills: Counter[str] = Counter()
        self.restarts: list[asyncio.Task[None]] = []
        self.killed: set[int] = set()  # pids this test killed
        self.ending = False
        self.unexpected = asyncio.Event()  # a child exited by itself before the end of the season
        self.watches: list[asyncio.Task[None]] = []

    async def spawn(self, slot: Slot) -> None:
        slot.generation += 1
        slot.token = f"process-{slot.index}-{slot.generation}"
        with (self.logs / f"{slot.token}.err").open("wb") as stderr:
            slot.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.services.reminders.shard_child",
                self.db,
                self.server.api_base,
                str(self.clock.path),
                slot.token,
                cwd=REPO_ROOT,
                env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
                stdout=asyncio.subprocess.DEVNULL,
                stderr=stderr,  # a file: a pipe nobody reads could stall the child
            )
        self.watches.append(asyncio.ensure_future(self._watch(slot.process)))

    async def _watch(self, process: asyncio.subprocess.Process) -> None:
        await process.wait()
        if process.pid not in self.killed and not self.ending:
            self.unexpected.set()

    def by_token(self, token: str | None) -> Slot | None:
        return next((s for s in self.slots if s.token == token), None)

    def by_pid(self, pid: int) -> Slot | None:
        return next((s for s in self.slots if s.process is not None and s.process.pid == pid), None)

    def kill(self, slot: Slot, why: str) -> None:
        """SIGKILL the slot's child now (it is waiting for Discord's answer, or anywhere), restart it."""
        process = slot.process
        assert process is not None and process.returncode is None, f"{why}: {slot.token} is not running"
        self.killed.add(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        self.kills[why] += 1
        self.restarts.append(asyncio.ensure_future(self._restart(slot, process)))

    async def _restart(self, slot: Slot, dead: asyncio.subprocess.Process) -> None:
        slot.exits.append(await dead.wait())
        await self.spawn(slot)

    async def end(self) -> list[int | None]:
        await asyncio.gather(*self.restarts)
        self.ending = True
        self.clock.end_season()
        codes = []
        for slot in self.slots:
            assert slot.process is not None
            try:
                codes.append(await asyncio.wait_for(slot.process.wait(), timeout=60))
            except TimeoutError:
                slot.process.send_signal(signal.SIGUSR1)  # its faulthandler writes its stacks to the log
                await asyncio.sleep(1)
                pytest.fail(f"{slot.token} did not stop:\n{self.log_of(slot.token)[-4000:]}")
        return codes

    def log_of(self, token: str) -> str:
        return (self.logs / f"{token}.err").read_text(errors="replace")

    def notes(self) -> list[str]:
        out = []
        for path in sorted(self.logs.glob("*.err")):
            text = path.read_text(errors="replace")
            out += [line.removeprefix("shard_child: ") for line in text.splitlines() if line.startswith("shard_child")]
        return out

    async def cleanup(self) -> None:
        for slot in self.slots:
            if slot.process is not None and slot.process.returncode is None:
                slot.process.kill()
                await slot.process.wait()


class Killer:
    """Places the planned kills from the local Discord's request handlers (synchronously, before answering)."""

    def __init__(self, fleet: Fleet, db: LedgerStore) -> None:
        self.fleet, self.leases = fleet, JobLeases(db.database)
        self.plan = list(PLAN)
        self.requests = 0  # DM message requests so far
        self.stored = 0  # DMs stored so far
        self.unacknowledged: set[tuple[int, int]] = set()  # (reminder, delivery) sent by a process then killed
        self.pending: list[asyncio.Task[None]] = []

    def _next(self, kinds: tuple[str, ...], count: int) -> bool:
        return bool(self.plan) and self.plan[0][0] in kinds and count >= self.plan[0][1]

    def on_request(self, call: RestCall) -> bool:
        if call.method != "POST" or call.template != "/channels/{channel_id}/messages":
            return False
        if self.fleet.server.channels.get(int(call.path.split("/")[2]), {}).get("type") != 1:
            return False
        self.requests += 1
        if self._next(("before-send",), self.requests):
            self.plan.pop(0)
            slot = self.fleet.by_token(call.token)
            assert slot is not None, call.token
            self.fleet.kill(slot, "before-send")
            return True  # the DM never reaches Discord
        return False

    def on_dm(self, msg: dict[str, Any], call: RestCall) -> None:
        self.stored += 1
        if self._next(("after-send",), self.stored):
            self.plan.pop(0)
            slot = self.fleet.by_token(call.token)
            assert slot is not None, call.token
            rid, delivery = dm_key(msg)
            self.unacknowledged.add((rid, delivery or 0))
            self.fleet.kill(slot, "after-send")
        elif self._next(("lease-holder",), self.stored):
            self.plan.pop(0)
            sender = self.fleet.by_token(call.token)
            assert sender is not None
            # The sender waits for this answer, so its process is certainly alive while the holder is looked up.
            self.pending.append(asyncio.ensure_future(self._kill_holder(sender)))

    async def _kill_holder(self, sender: Slot) -> None:
        lease = await self.leases.current(REPLAN_JOB)
        holder = self.fleet.by_pid(int(lease.holder.split(":")[1])) if lease is not None else None
        if holder is None or holder.process is None or holder.process.returncode is not None:
            holder, why = sender, "lease-holder (gone: the sender instead)"
        else:
            why = "lease-holder"
        if holder.process is not None and holder.process.returncode is None:
            self.fleet.kill(holder, why)


async def keys_of(store: LedgerStore, pairs: list[tuple[int, int]]) -> list[Key]:
    out: list[Key] = []
    async with store.database.read() as db:
        for rid, delivery in pairs:
            rows = list(
                await db.execute_fetchall(
                    "SELECT user_id, contract_id, rule_id, due_on FROM reminders WHERE id = ?", (rid,)
                )
            )
            out.append((*rows[0], delivery))
    return out


async def test_three_processes_killed_in_turn_send_every_dm_exactly_once(tmp_path: Path, target: str | Path) -> None:
    server = FakeDiscord()
    await server.start()
    clock = ClockServer(tmp_path / "clock.sock", START, END, expected=PROCESSES)
    await clock.start()
    logs = tmp_path / "logs"
    logs.mkdir()
    reference = tmp_path / "reference.db"  # the run without crashes, one process, on SQLite
    users = [server.add_user(f"freelancer{i}") for i in range(len(ZONES))]
    for db in (reference, target):  # target: what every process opens (a file, or a PostgreSQL URL)
        await prepare(db, [str(u.id) for u in users])  # type: ignore[arg-type]  # the same ledgers (seeded)
    expected = await reference_run(reference)
    assert len(expected) == len(set(expected)) and len(expected) >= PLAN[-1][1] + 10, len(expected)

    fleet = Fleet(str(target), server, clock, logs)
    store = await LedgerStore.open(target)
    killer = Killer(fleet, store)
    server.request_listeners.append(killer.on_request)
    server.dm_call_listeners.append(killer.on_dm)
    try:
        for slot in fleet.slots:
            await fleet.spawn(slot)
        finished = asyncio.ensure_future(clock.finished.wait())
        crashed = asyncio.ensure_future(fleet.unexpected.wait())
        done, _ = await asyncio.wait([finished, crashed], timeout=600, return_when=asyncio.FIRST_COMPLETED)
        crashed.cancel()
        if finished not in done:
            for slot in fleet.slots:
                if slot.process is not None and slot.process.returncode is None:
                    slot.process.send_signal(signal.SIGUSR1)
            await asyncio.sleep(1)
            stuck = "\n".join(f"--- {s.token}\n{fleet.log_of(s.token)[-3000:]}" for s in fleet.slots)
            pytest.fail(f"the season did not finish (kills {dict(fleet.kills)}, plan left {killer.plan}):\n{stuck}")
        await asyncio.gather(*killer.pending)
        assert killer.plan == [], f"planned kills that never came: {killer.plan}"
        codes = await fleet.end()
        assert codes == [0] * PROCESSES, "\n".join(fleet.log_of(s.token)[-3000:] for s in fleet.slots)
        assert all(code == -signal.SIGKILL for s in fleet.slots for code in s.exits)
        assert sum(fleet.kills.values()) == len(PLAN)
        # A request a child made just before it died is still answered: let Discord finish it.
        await server.wait_for(lambda: all(c.status for c in server.calls), timeout=60, what="requests in flight")

        pairs = [(rid, delivery or 0) for user in users for rid, delivery in map(dm_key, server.dms_to(user))]
        received = await keys_of(store, pairs)
        assert len(received) == len(set(received)), "a reminder was delivered twice"
        assert sorted(received) == sorted(expected), "a reminder was lost (or one not due was sent)"
        recovered = {(int(w[2]), int(w[4])) for w in map(str.split, fleet.notes()) if w[0] == "recovered"}
        assert killer.unacknowledged, "no kill left a sent DM unacknowledged"
        assert killer.unacknowledged <= recovered, killer.unacknowledged - recovered  # found, not sent again
        async with store.database.read() as db:
            states = dict(list(await db.execute_fetchall("SELECT state, count(*) FROM reminders GROUP BY state")))
        assert "sending" not in states, states  # nothing stuck mid-delivery
        assert server.problems() == []
        senders = Counter(c.token.rsplit("-", 1)[0] for c in server.calls_to("/channels/*/messages", "POST") if c.token)
        print(f"kills {dict(fleet.kills)}; {clock.steps} simulated instants; DM requests per slot {dict(senders)}")
    finally:
        with contextlib.suppress(ValueError):
            server.request_listeners.remove(killer.on_request)
            server.dm_call_listeners.remove(killer.on_dm)
        await fleet.cleanup()
        for task in fleet.watches:
            task.cancel()
        await store.close()
        await clock.stop()
        await server.stop()
