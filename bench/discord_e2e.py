"""End-to-end Discord latency: a bare discord.py echo command vs the real AdvisorBot.

    .venv/bin/python bench/discord_e2e.py [--single N] [--bursts B] [--concurrency C] [--breakdown]
    .venv/bin/python bench/discord_e2e.py --profile [steady|first|echo]

Both bots are the unmodified discord.py, running together in this process, each talking to its own
local Discord (tests.fakediscord) over real HTTP and a real websocket; the local Discord validates
every REST body against Discord's OpenAPI spec, exactly as in the tests. The AdvisorBot runs as
deployed: SQLite store, services, engine in its worker processes, Jinja templates.

What is fair about the local Discords (decided 2026-12-04): both run in this process, beside both bots,
the same for the echo baseline and the AdvisorBot. Real Discord spends none of this box's CPU, so any
local Discord overstates both bots' cost; the question is whether it overstates /advise's more. Measured
with `--profile echo` and `--profile first` (cProfile, 2 cores): the local Discord's own work (its code,
aiohttp's server side, the json module, schema validation) is ~30% of this process's CPU per echo and
~17% per first /advise, about 0.16 ms more per /advise (its larger body), so it inflates echo's cost
relatively more and lowers the /advise ratio slightly; without it the ratio would be higher, not lower. A
local Discord in a process of its own would not be fairer on a 2-core box either: it would give the echo
bot a second core for Discord's share of its work, while it competes with the AdvisorBot's engine workers
for those cores. So both stay here, and the verdicts are ratios within one process's conditions.

What one sample is: from the INTERACTION_CREATE dispatch to the moment the local Discord holds the final
visible answer (the callback for an immediate reply, the first followup for a deferred one), stamped
inside the server, so waiting for it costs nothing. A block is either N interactions one after another
(concurrency 1) or bursts of C interactions sent at once from C different users (concurrency C).

The rows (p50, p99, max over all blocks of the row; per s = interactions / summed block wall time; cpu ms
and wkr ms = CPU time per interaction of this whole process and of the bot's worker processes):

  (a) echo            a discord.py Client + CommandTree with `/echo text:` answering at once (callback
                      type 4), from C echo users. The floor every ratio is taken against.
  (b) /advise         `/advise contract:` from C users with a realistic 50-contract ledger each, each time
                      about another of their 12 open contracts, after warm-up: mostly answers kept in the
                      bot's answer cache, the rest computed. Each (b) block directly follows an (a) block.
  (a) echo, paired    the echo blocks run just before each (b) first-ask block (same shape).
  (b) first ask       `/advise` from users the bot has never seen (nothing cached; a new user per
                      interaction): the engine runs in the worker processes for every one. At concurrency
                      1: SEQUENTIAL_BLOCKS blocks; at C: COLD_BURSTS bursts of C new users.
  (c) list, idle      `/contract list` (no engine work) one after another, LIGHT_IDLE_BLOCK per block.
  (c) list, /plan runs  the same while another user's `/plan` over HEAVY_STALE stale contracts runs (sent
                      alone; lists one after another until the plan is answered); PLAN_ROUNDS rounds, each
                      right after an idle block.

The verdicts: each block of a case is compared with the baseline block just before it (echo for (b), the
idle list for (c)) as the ratio of their p99s; the median of those ratios is checked against the target
and printed with their spread and the baseline's p99 range. ("pooled" is the ratio of the rows' p99s,
for reference: one slow spell on the shared machine decides a pooled p99, not a median of pairs.)
  - a user's first /advise at concurrency C: median ratio <= COLD_TARGET_RATIO (4x)
  - /contract list while /plan runs: median ratio <= LIGHT_TARGET_RATIO (2x) its idle p99
  - (b) steady /advise: <= TARGET_RATIO (1.5x) echo's p99 at concurrency 1 and C
Load from other processes still lands on whichever block runs then: report the load average printed
with the figures.

Same conditions for the baseline and the product:
  - Nothing is timed until both bots are up, the worker pool has started and taken jobs, the question
    index and classifier are loaded, and both have had the same warm-up (sequential, then bursts as fast
    as the measured ones, which opens the HTTP connections a burst needs; (b) gets a second burst, its
    first being its users' first questions).
  - Then the start-up heap is frozen (`quiesce`, gc.freeze) and before every block the last block's
    trailing events are handled and its garbage collected (`settled`). Why: both bots share this
    process's heap, and a full collection walks all of it, mostly the AdvisorBot's start-up (question
    index, classifier, templates, modules): measured at 55 to 165 ms, it fell on echo bursts as often as
    on /advise ones (echo p99 at C=100 went from ~40 to 113-250 ms), which a real echo bot, in its own
    process, never pays. So full-collection pauses are in no row. The deployed bot freezes its own
    start-up heap once set up (`freeze_startup_heap=True` in bot/discord_app/run.py); the run prints what one
    full collection costs here, before and after the freeze.
  - Nothing of the bot's runs during an echo block: every measured /advise and /plan has been answered
    (its worker job done) before the next block starts; the bot's clock is frozen on TODAY (reproducible
    answers) but sleeps in real time like the deployed bot's (`FrozenDayClock`): with a plain FixedClock the
    reminder scheduler never slept and re-read the reminder queue in a tight loop throughout the run (runs
    before 2026-12-04 measured the bot with that load on its loop).

`--profile [steady|first|echo]` runs (b) bursts (steady users, or users asking for the first time) or
(a) echo bursts under cProfile (this process: the bot's event loop and the local Discords, not the workers)
and prints the top functions and the local Discord's share. `--breakdown` adds reference cases: a
deferred echo answering an /advise-sized embed with buttons, and /advise with the service stubbed (the
bot's Discord layer alone).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import io
import logging
import math
import os
import platform
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import warnings  # noqa: E402

warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)

import discord  # noqa: E402
from discord import app_commands  # noqa: E402

from bot.clock import FixedClock  # noqa: E402
from bot.discord_app.client import AdvisorBot  # noqa: E402
from bot.services.workers import ProcessPoolRunner, worker_pids  # noqa: E402
from scoring.model import Contract, Ledger  # noqa: E402
from tests.fakediscord import FakeDiscord, FakeUser, discord_py_pointed_at, running_bot  # noqa: E402

TODAY = date(2026, 3, 2)
DEADLINE_S = 3.0
ERROR_COLOUR = discord.Colour.red().value  # the bot's error answers
TARGET_RATIO = 1.5
COLD_TARGET_RATIO = 4.0  # a first /advise at concurrency C, p99 vs echo's
LIGHT_TARGET_RATIO = 2.0  # /contract list p99 while a /plan runs, vs its idle p99
HEAVY_STALE = 400  # stale open contracts of the user running /plan in (c)
PLAN_ROUNDS = 5  # /plan runs in (c), each one measured from start to answer, each after an idle block
LIGHT_IDLE_BLOCK = 100  # /contract list samples in each idle block of (c)
READY_TIMEOUT_S = 120  # start-up (question index, classifier, workers) is not measured; a busy box is slow
COLD_BURSTS = 5  # bursts of users asking for the first time (each burst its own new users), each after an echo burst
COLD_SINGLE = 100  # users asking for the first time, one after another
SEQUENTIAL_BLOCKS = 10  # the sequential samples of each case come in this many alternating blocks
ECHO = "(a) echo"
ECHO_BESIDE_FIRST = "(a) echo, paired"
FIRST_ASK = "(b) first ask"
STEADY = "(b) /advise"
LIGHT_IDLE = "(c) list, idle"
LIGHT_LOADED = "(c) list, /plan runs"


# ------------------------------------------------------------------------------------ the local Discord


class StampingDiscord(FakeDiscord):
    """The local Discord, stamping when each interaction's final visible answer arrived.

    An immediate reply (callback type 4) is final when the callback lands; a deferred one when the
    first followup replaces the "thinking..." placeholder.
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.answered_at: dict[int, float] = {}

    async def _interaction_callback(self, req: Any) -> Any:
        out = await super()._interaction_callback(req)
        handle = self.interactions[int(req.params["interaction_id"])]
        if handle.response is not None and handle.response.type == 4:
            self.answered_at.setdefault(handle.id, handle.response.at)
            self._notify()
        return out

    async def _webhook_execute(self, req: Any) -> Any:
        out = await super()._webhook_execute(req)
        now = time.perf_counter()
        handle = self._interaction_by_token(req.params["webhook_id"], req.params["webhook_token"])
        self.answered_at.setdefault(handle.id, now)
        self._notify()
        return out


# ------------------------------------------------------------------------------------ the bots


class FrozenDayClock(FixedClock):
    """Always TODAY, so answers are the same every run; sleeps in real time, as the deployed bot's clock does.

    Why not FixedClock alone: its sleeps return at once (nothing sleeps under the console's --as-of), so the
    bot's reminder scheduler, which sleeps until the next due reminder or `max_idle`, would re-read the
    reminder queue in a tight loop, contending with every measured command for the event loop and the
    database lock, which a deployed bot (SystemClock) never does.
    """

    async def sleep_until(self, deadline: datetime | None, wake: asyncio.Event) -> None:
        timeout = None if deadline is None else max(0.0, (deadline - self.now()).total_seconds())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), timeout)


class EchoBot(discord.Client):
    """The floor: the least a discord.py slash command can do."""

    def __init__(self, guild_id: int) -> None:
        super().__init__(intents=discord.Intents.none(), guild_ready_timeout=0.05)
        self.tree = app_commands.CommandTree(self)
        self.guild = discord.Object(id=guild_id)

        @self.tree.command(name="echo", description="Echo the text back", guild=self.guild)
        async def echo(interaction: discord.Interaction, text: str) -> None:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )

        @self.tree.command(name="echo-deferred", description="Defer, then echo in an embed", guild=self.guild)
        async def echo_deferred(interaction: discord.Interaction, text: str) -> None:
            """Reference only (--breakdown): the Discord side of /advise (defer, then a followup with an
            embed of the same size and two buttons) with no work in between."""
            await interaction.response.defer(ephemeral=True, thinking=True)
            view = discord.ui.View(timeout=900)
            for n in range(2):
                view.add_item(discord.ui.Button(label=f"Button {n}", custom_id=f"echo:{n}:{text}"[:100]))
            await interaction.followup.send(
                embed=_canned_embed(text), view=view, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )

    async def setup_hook(self) -> None:
        await self.tree.sync(guild=self.guild)


def _canned_embed(text: str) -> discord.Embed:
    embed = discord.Embed(title=f"Echo: {text}", description="x" * 600, colour=discord.Colour.orange())
    for name in ("Look again on", "Idle", "Asked the client"):
        embed.add_field(name=name, value="2026-03-16 (Mon)", inline=True)
    embed.add_field(name="Simulated JSS (now / in 6 months)", value="Leave it open: 92% / 95%\n" * 5)
    embed.add_field(name="Rules", value="`C-SELF-CLOSE-2MO` [Close after two months](https://example.com)\n" * 4)
    embed.set_footer(text="Estimates from the published rules and our model." * 3)
    return embed


def realistic_ledger(seed: int, today: date = TODAY, size: int = 50) -> Ledger:
    """About three years on Upwork: mostly ended jobs (mostly 5 stars, a few poor or no feedback,
    a refund, a dispute), a handful of active contracts and several idle ones the freelancer keeps
    wondering about (some already asked the client to close)."""
    rng = random.Random(seed)
    clients = [
        f"{a} {b}"
        for a in (
            "Northwind",
            "Blue Fern",
            "Cedar",
            "Harbor",
            "Atlas",
            "Quill",
            "Maple",
            "Zephyr",
            "Lumen",
            "Orbit",
            "Pine",
            "Nimbus",
        )
        for b in ("Labs", "Ltd")
    ]
    work = [
        "Shopify theme fixes",
        "REST API bug fixes",
        "Logo refresh",
        "SEO audit",
        "CRM data cleanup",
        "Landing page",
        "WordPress maintenance",
        "Mobile app prototype",
        "Video edits",
        "Data scraping",
        "Email templates",
        "Django upgrade",
    ]
    contracts: list[Contract] = []
    n_stale, n_active = 6, 6
    for i in range(size):
        kind = rng.choice(["hourly", "hourly", "fixed"])
        title, client = f"{rng.choice(work)} #{i}", rng.choice(clients)
        earned = Decimal(rng.choice([0, 45, 120, 300, 650, 900, 1500, 2400, 5200, 12000]))
        base: dict[str, Any] = {
            "id": f"job-{i:02d}",
            "title": title,
            "client": client,
            "kind": kind,
            "earnings_usd": earned,
        }
        if i < n_stale:  # open, idle for months: "should I close it?"
            started = today - timedelta(days=rng.randrange(150, 500))
            last = today - timedelta(days=rng.randrange(65, 140))
            asked = tuple(last + timedelta(days=d) for d in (30, 55)[: rng.randrange(0, 3)])
            contracts.append(
                Contract.model_validate(
                    {
                        **base,
                        "status": "active",
                        "started": started,
                        "last_activity": last,
                        "last_payment": last,
                        "close_requests": asked,
                        "escrow_usd": Decimal(300) if kind == "fixed" else 0,
                    }
                )
            )
        elif i < n_stale + n_active:  # open and busy
            started = today - timedelta(days=rng.randrange(20, 400))
            last = today - timedelta(days=rng.randrange(0, 12))
            contracts.append(
                Contract.model_validate(
                    {**base, "status": "active", "started": started, "last_activity": last, "last_payment": last}
                )
            )
        else:  # ended over the last three years
            ended = today - timedelta(days=rng.randrange(5, 1100))
            started = ended - timedelta(days=rng.randrange(3, 300))
            roll = rng.random()
            stars = None if roll < 0.12 else rng.choice([5.0] * 12 + [4.9, 4.7, 4.5, 4.0, 3.0, 2.0])
            contracts.append(
                Contract.model_validate(
                    {
                        **base,
                        "status": "ended",
                        "started": started,
                        "ended": ended,
                        "last_activity": ended,
                        "last_payment": ended if earned > 0 else None,
                        "public_stars": stars,
                        "private_rating": rng.choice([None, 10, 9, 8, 7, 4]) if stars else None,
                        "disputed": roll > 0.985,
                        "refunded_usd": earned if 0.97 < roll <= 0.985 else Decimal(0),
                    }
                )
            )
    return Ledger(contracts=tuple(contracts))


def stale_ledger(seed: int, stale: int = HEAVY_STALE, today: date = TODAY) -> Ledger:
    """A realistic ledger plus `stale` open contracts idle for two to five months: the worst /plan a
    (careless) freelancer can ask for."""
    rng = random.Random(seed)
    idle: list[Contract] = []
    for i in range(stale):
        last = today - timedelta(days=rng.randrange(65, 150))
        idle.append(
            Contract.model_validate(
                {
                    "id": f"stale-{i:03d}",
                    "title": f"Maintenance retainer #{i}",
                    "client": f"Client {i % 40}",
                    "kind": "hourly",
                    "status": "active",
                    "started": last - timedelta(days=rng.randrange(30, 400)),
                    "last_activity": last,
                    "last_payment": last,
                    "earnings_usd": Decimal(rng.choice([80, 240, 600, 1500])),
                }
            )
        )
    return Ledger(contracts=realistic_ledger(seed, today).contracts + tuple(idle))


# ------------------------------------------------------------------------------------ measuring


def percentile(values: Sequence[float], q: float) -> float:
    data = sorted(values)
    return data[max(0, math.ceil(q * len(data)) - 1)]  # nearest rank


@dataclass
class Result:
    case: str
    concurrency: int
    latencies_ms: list[float]
    wall_s: float
    ack_ms: list[float]  # dispatch -> the first callback (Discord's 3 s deadline applies to this one)
    cpu_s: float = 0.0  # CPU time of this process (both bots, both local Discords) during the blocks
    worker_cpu_s: float = 0.0  # CPU time of the AdvisorBot's worker processes during the blocks

    def merge(self, other: Result) -> Result:
        return Result(
            self.case,
            self.concurrency,
            self.latencies_ms + other.latencies_ms,
            self.wall_s + other.wall_s,
            self.ack_ms + other.ack_ms,
            self.cpu_s + other.cpu_s,
            self.worker_cpu_s + other.worker_cpu_s,
        )

    def pct(self, q: float) -> float:
        return percentile(self.latencies_ms, q)

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p99(self) -> float:
        return self.pct(0.99)

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.wall_s


Send = Callable[[FakeUser, int], Awaitable[Any]]


async def measure(
    server: StampingDiscord,
    send: Send,
    users: Sequence[FakeUser],
    *,
    concurrency: int,
    rounds: int,
    case: str,
    fresh: bool = False,
) -> Result:
    """`rounds` batches of `concurrency` interactions, each from its own user; waits for every answer.

    `fresh`: every interaction from a user not seen before (concurrency x rounds users), so nothing
    about them is in memory yet."""
    latencies: list[float] = []
    acks: list[float] = []
    wall = 0.0
    counter = 0
    for r in range(rounds):
        batch = users[r * concurrency : (r + 1) * concurrency] if fresh else users[:concurrency]
        assert len(batch) == concurrency, "not enough users for fresh interactions"
        handles = await asyncio.gather(*(send(user, counter + k) for k, user in enumerate(batch)))
        counter += len(batch)
        ids = [h.id for h in handles]
        await server.wait_for(
            lambda ids=ids: all(i in server.answered_at for i in ids),  # type: ignore[misc]
            timeout=30,
            poll=None,
            what=f"{len(ids)} answers ({case})",
        )
        first = min(h.dispatched_at for h in handles)
        last = max(server.answered_at[i] for i in ids)
        wall += last - first
        latencies += [(server.answered_at[h.id] - h.dispatched_at) * 1000 for h in handles]
        acks += [(h.latency or 0.0) * 1000 for h in handles]
        forget(server, handles)
    return Result(case, concurrency, latencies, wall, acks)


def forget(server: StampingDiscord, handles: Sequence[Any]) -> None:
    """Drop the local Discord's records of finished interactions.

    Real Discord keeps them in another process; here they would pile up in the bot's own heap and make
    every full garbage collection slower as the run goes on, a cost of the harness, not of the bot.
    """
    for h in handles:
        messages = h.visible_messages()
        # A fast error is no answer: every measured interaction must have produced the real thing.
        assert messages and all(m.get("content") or m.get("embeds") for m in messages), h
        assert not any(e.get("color") == ERROR_COLOUR for m in messages for e in m.get("embeds", [])), messages
        server.interactions.pop(h.id, None)
        for msg in messages:
            server._message_index.pop(int(msg["id"]), None)
    if server.schema_errors or server.unknown_routes or server.gateway_errors:
        return  # keep the evidence for the report at the end
    server.calls.clear()
    for channel in server.messages.values():
        del channel[:-10]


@contextlib.asynccontextmanager
async def local_discord() -> AsyncIterator[StampingDiscord]:
    server = StampingDiscord()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
    problems = server.problems()
    if problems:
        raise SystemExit("the local Discord saw protocol problems:\n  " + "\n  ".join(problems[:10]))


@dataclass
class Stack:
    """One bot with its own local Discord. discord.py builds REST URLs from one class attribute, so
    `talking()` points it at this stack's server while this stack is measured (the gateway connection
    stays open across switches); the other stack is quiet then (see `settled`)."""

    server: StampingDiscord
    send: Send
    users: list[FakeUser]

    @contextlib.contextmanager
    def talking(self) -> Iterator[None]:
        with discord_py_pointed_at(self.server):
            yield


@dataclass
class World:
    echo: Stack
    echo_deferred: Send
    advise: Stack
    advisor: AdvisorBot
    fresh: list[FakeUser]  # users who have never asked: one burst each (COLD_BURSTS x concurrency)
    fresh_single: list[FakeUser]  # ditto, one after another
    targets: dict[int, list[str]]
    planner: FakeUser  # the user with HEAVY_STALE stale contracts running /plan in (c)


@contextlib.asynccontextmanager
async def world(args: argparse.Namespace, tmp: Path) -> AsyncIterator[World]:
    """Both bots running, in this process, each against its own local Discord; users and ledgers set up."""
    async with contextlib.AsyncExitStack() as stack:
        echo_server = await stack.enter_async_context(local_discord())
        advise_server = await stack.enter_async_context(local_discord())
        advisor = AdvisorBot(
            tmp / "bench.db",
            dev_guild_id=advise_server.guild_id,
            clock=FrozenDayClock.on(TODAY),
            guild_ready_timeout=0.05,
            heavy_limit=None,  # the same users ask again and again here: latency is measured, not the cooldown
        )
        with discord_py_pointed_at(advise_server):
            await stack.enter_async_context(running_bot(advisor, ready_timeout=READY_TIMEOUT_S))
        with discord_py_pointed_at(echo_server):
            await stack.enter_async_context(running_bot(EchoBot(echo_server.guild_id), ready_timeout=READY_TIMEOUT_S))

        echo_users = [echo_server.add_user(f"echo{i}") for i in range(args.concurrency)]
        # Steady state: `users` ask again and again. First asks: `fresh` users, one burst each, and
        # `fresh_single` users one after another, each asking for the first time.
        users = [advise_server.add_user(f"freelancer{i}") for i in range(args.concurrency)]
        fresh = [advise_server.add_user(f"newcomer{i}") for i in range(args.concurrency * COLD_BURSTS)]
        fresh_single = [advise_server.add_user(f"first{i}") for i in range(min(args.single, COLD_SINGLE))]
        planner = advise_server.add_user("planner")
        await echo_server.flush_events()
        await advise_server.flush_events()
        heavy = stale_ledger(seed=10_000)
        assert (await advisor.services.context.store.import_ledger(str(planner.id), heavy, "replace")).added == len(
            heavy.contracts
        )
        targets: dict[int, list[str]] = {}
        for k, user in enumerate(users + fresh + fresh_single):  # each their own 50 contracts
            ledger = realistic_ledger(seed=k)
            summary = await advisor.services.context.store.import_ledger(str(user.id), ledger, "replace")
            assert summary.added == 50, summary
            targets[user.id] = [c.id for c in ledger.contracts if c.is_open]

        def slash(server: StampingDiscord, command: str) -> Send:
            async def send(user: FakeUser, n: int) -> Any:
                return await server.send_slash_command(command, {"text": f"hello {n}"}, user=user)

            return send

        async def advise(user: FakeUser, n: int) -> Any:
            ids = targets[user.id]
            return await advise_server.send_slash_command("advise", {"contract": ids[n % len(ids)]}, user=user)

        yield World(
            echo=Stack(echo_server, slash(echo_server, "echo"), echo_users),
            echo_deferred=slash(echo_server, "echo-deferred"),
            advise=Stack(advise_server, advise, users),
            advisor=advisor,
            fresh=fresh,
            fresh_single=fresh_single,
            targets=targets,
            planner=planner,
        )


async def phase(w: World, stack: Stack, send: Send, users: Sequence[FakeUser], **kw: Any) -> Result:
    """One measured block: the previous block's events handled first, then `stack`'s bot alone at work."""
    await settled(w.advisor)
    with stack.talking(), cpu_of(w.advisor) as cpu:
        res = await measure(stack.server, send, users, **kw)
    res.cpu_s, res.worker_cpu_s = cpu
    return res


@contextlib.contextmanager
def cpu_of(advisor: AdvisorBot) -> Iterator[list[float]]:
    """[this process's CPU seconds, the bot's workers' CPU seconds] spent inside the block."""
    out = [0.0, 0.0]
    process, workers = time.process_time(), workers_cpu(advisor)
    try:
        yield out
    finally:
        out[0], out[1] = time.process_time() - process, workers_cpu(advisor) - workers


def workers_cpu(advisor: AdvisorBot) -> float:
    """CPU seconds used so far by the bot's live worker processes (Linux /proc; 0 elsewhere)."""
    runner = advisor.services.context.runner
    if not isinstance(runner, ProcessPoolRunner):
        return 0.0
    total = 0.0
    for pid in worker_pids(runner):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return total


async def warm_up(w: World, args: argparse.Namespace) -> None:
    """The same for both bots: sequential questions, then one burst as fast as the measured ones (it opens
    the HTTP connections a burst needs). (b)'s first burst is its users' first questions, computed on
    demand and trickling out; so (b) gets a second burst."""
    for stack in (w.echo, w.advise):
        await phase(w, stack, stack.send, stack.users, concurrency=1, rounds=20, case="warm-up")
        await phase(w, stack, stack.send, stack.users, concurrency=args.concurrency, rounds=1, case="warm-up")
    await phase(w, w.advise, w.advise.send, w.advise.users, concurrency=args.concurrency, rounds=1, case="warm-up")


async def interleaved(
    w: World, args: argparse.Namespace, cases: Sequence[tuple[str, Stack, Send]]
) -> tuple[list[Result], list[Pairs]]:
    """Each case at concurrency 1 and C, in alternating blocks: a slow minute on a shared machine then
    falls on every case alike instead of on whichever ran then. The first case is the baseline: every
    other case's block is compared with the baseline block just before it (`Pairs`)."""
    results: list[Result] = []
    pairs: list[Pairs] = []
    for conc, blocks, per_block in (
        (1, SEQUENTIAL_BLOCKS, max(1, args.single // SEQUENTIAL_BLOCKS)),
        (args.concurrency, args.bursts, 1),
    ):
        runs: dict[str, list[Result]] = {}
        for _ in range(blocks):
            for label, stack, send in cases:
                res = await phase(w, stack, send, stack.users, concurrency=conc, rounds=per_block, case=label)
                runs.setdefault(label, []).append(res)
        results += [merged(r) for r in runs.values()]
        base = cases[0][0]
        pairs += [Pairs(label, conc, runs[base], runs[label]) for label, _, _ in cases[1:]]
    return results, pairs


def merged(blocks: Sequence[Result]) -> Result:
    out = blocks[0]
    for block in blocks[1:]:
        out = out.merge(block)
    return out


@dataclass
class Pairs:
    """A case measured in blocks, each right after a block of its baseline (echo, or the idle list):
    the ratio of their p99s block by block. A slow spell on the shared machine, or a full garbage
    collection, lands in one pair, so the median of the ratios is robust where one pooled p99 is not."""

    case: str
    concurrency: int
    base: list[Result]
    blocks: list[Result]

    @property
    def ratios(self) -> list[float]:
        return [b.p99 / a.p99 for a, b in zip(self.base, self.blocks, strict=True)]

    @property
    def median(self) -> float:
        return statistics.median(self.ratios)

    def describe(self) -> str:
        r = self.ratios
        base = [a.p99 for a in self.base]
        return (
            f"median {self.median:.2f}x over {len(r)} pairs (spread {min(r):.2f}x to {max(r):.2f}x; "
            f"baseline p99 {min(base):.0f} to {max(base):.0f} ms)"
        )


async def first_asks(w: World, args: argparse.Namespace) -> tuple[list[Result], list[Pairs]]:
    """Users asking for the first time, in blocks, each right after an echo block of the same shape:
    sequentially (SEQUENTIAL_BLOCKS blocks) and in COLD_BURSTS bursts of C users."""
    results: list[Result] = []
    pairs: list[Pairs] = []
    conc = args.concurrency
    for concurrency, blocks, fresh in (
        (1, SEQUENTIAL_BLOCKS, w.fresh_single),
        (conc, COLD_BURSTS, w.fresh),
    ):
        per_block = len(fresh) // blocks // concurrency
        echoes: list[Result] = []
        cold: list[Result] = []
        for k in range(blocks):
            users = fresh[k * per_block * concurrency : (k + 1) * per_block * concurrency]
            echoes.append(
                await phase(
                    w,
                    w.echo,
                    w.echo.send,
                    w.echo.users,
                    concurrency=concurrency,
                    rounds=per_block,
                    case=ECHO_BESIDE_FIRST,
                )
            )
            cold.append(
                await phase(
                    w,
                    w.advise,
                    w.advise.send,
                    users,
                    concurrency=concurrency,
                    rounds=per_block,
                    case=FIRST_ASK,
                    fresh=True,
                )
            )
        results += [merged(echoes), merged(cold)]
        pairs.append(Pairs(FIRST_ASK, concurrency, echoes, cold))
    return results, pairs


def _list_contracts(server: StampingDiscord) -> Send:
    async def send(user: FakeUser, n: int) -> Any:
        return await server.send_slash_command("contract list", {}, user=user)

    return send


async def light_under_load(w: World, args: argparse.Namespace) -> tuple[list[Result], list[Pairs]]:
    """(c): PLAN_ROUNDS rounds of: LIGHT_IDLE_BLOCK `/contract list`s one after another with the bot idle,
    then a `/plan` over HEAVY_STALE stale contracts, sent alone, and lists one after another from the
    steady users until the plan is answered. Each loaded block is paired with the idle block before it."""
    server, send = w.advise.server, _list_contracts(w.advise.server)
    users = w.advise.users
    idle_blocks: list[Result] = []
    loaded_blocks: list[Result] = []
    plan_ms: list[float] = []
    n = 0
    for _ in range(PLAN_ROUNDS):
        idle_blocks.append(
            await phase(w, w.advise, send, users, concurrency=1, rounds=LIGHT_IDLE_BLOCK, case=LIGHT_IDLE)
        )
        latencies: list[float] = []
        acks: list[float] = []
        wall = 0.0
        await settled(w.advisor)
        with w.advise.talking(), cpu_of(w.advisor) as cpu:
            plan = await server.send_slash_command("plan", {}, user=w.planner)
            while plan.id not in server.answered_at:
                handle = await send(users[n % len(users)], n)
                n += 1
                await server.wait_for(
                    lambda h=handle: h.id in server.answered_at,  # type: ignore[misc]
                    timeout=30,
                    poll=None,
                    what="a /contract list answer",
                )
                latencies.append((server.answered_at[handle.id] - handle.dispatched_at) * 1000)
                acks.append((handle.latency or 0.0) * 1000)
                wall += server.answered_at[handle.id] - handle.dispatched_at
                forget(server, [handle])
            plan_ms.append((server.answered_at[plan.id] - plan.dispatched_at) * 1000)
            forget(server, [plan])
        loaded_blocks.append(Result(LIGHT_LOADED, 1, latencies, wall, acks, *cpu))
    print(f"(c) /plan over {HEAVY_STALE} stale contracts: " + ", ".join(f"{ms:.0f} ms" for ms in plan_ms))
    results = [merged(idle_blocks), merged(loaded_blocks)]
    return results, [Pairs(LIGHT_LOADED, 1, idle_blocks, loaded_blocks)]


async def stubbed(w: World, args: argparse.Namespace) -> list[Result]:
    """(ref): /advise with the service answering a canned advice: the bot's Discord layer alone."""
    service = w.advisor.services.answers
    user = w.advise.users[0]
    canned = await service.advise(str(user.id), w.targets[user.id][0])

    async def advise(user_id: str, contract_id: str, as_of: date | None = None) -> Any:
        return canned

    service.advise = advise  # type: ignore[method-assign]
    return (await interleaved(w, args, [("(ref) stubbed", w.advise, w.advise.send)]))[0]


async def run_all(args: argparse.Namespace) -> tuple[list[Result], list[Pairs]]:
    with tempfile.TemporaryDirectory() as tmp:
        async with world(args, Path(tmp)) as w:
            await warm_up(w, args)
            quiesce()
            cases = [(ECHO, w.echo, w.echo.send), (STEADY, w.advise, w.advise.send)]
            if args.breakdown:
                cases.insert(1, ("(ref) deferred echo", w.echo, w.echo_deferred))
            results, pairs = await interleaved(w, args, cases)
            for part in (first_asks, light_under_load):
                more, more_pairs = await part(w, args)
                results += more
                pairs += more_pairs
            if args.breakdown:
                results += await stubbed(w, args)
            return results, pairs


def quiesce() -> None:
    """Before the first measured block: collect, then freeze what is alive (`gc.freeze`).

    Why: both bots, both local Discords and this harness share one process and so one heap, most of it
    the AdvisorBot's start-up (the question index, the classifier, compiled templates, every imported
    module). Python's full collection walks all of it; measured here, one took 55 to 165 ms and fell on
    whichever block was running, an echo burst as often as an /advise one (echo alone, in its own
    process, would never pay for the advisor's heap). Frozen objects are never walked again; what the
    run creates (answers, caches, the local Discords' records) is collected between blocks (`settled`).
    """
    started = time.perf_counter()
    gc.collect()
    before = time.perf_counter() - started
    gc.freeze()
    started = time.perf_counter()
    gc.collect()
    after = time.perf_counter() - started
    print(
        f"a full garbage collection of this process: {before * 1000:.0f} ms before the freeze "
        f"({gc.get_freeze_count()} objects frozen), {after * 1000:.0f} ms after"
    )


async def profile_advise(args: argparse.Namespace) -> None:
    """cProfile over this whole process (the bot's main process and the local Discords; not the workers)
    while bursts run: (b) steady users by default, users asking for the first time with `--profile first`,
    (a) echo with `--profile echo`. Prints the top functions and the local Discords' share (see the module
    docstring: what is fair)."""
    with tempfile.TemporaryDirectory() as tmp:
        async with world(args, Path(tmp)) as w:
            await warm_up(w, args)
            quiesce()
            await settled(w.advisor)
            first, echo = args.profile == "first", args.profile == "echo"
            stack = w.echo if echo else w.advise
            profiler = cProfile.Profile()
            with stack.talking():
                profiler.enable()
                res = await measure(
                    stack.server,
                    stack.send,
                    w.fresh if first else stack.users,
                    concurrency=args.concurrency,
                    rounds=COLD_BURSTS if first else args.bursts,
                    case=ECHO if echo else FIRST_ASK if first else STEADY,
                    fresh=first,
                )
                profiler.disable()
    print(f"{res.case} x{res.concurrency}: p50 {res.p50:.1f} ms, p99 {res.p99:.1f} ms (under the profiler)")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(60)
    print(out.getvalue())
    print(local_discord_share(stats, len(res.latencies_ms)))


def local_discord_share(stats: pstats.Stats, interactions: int) -> str:
    """How much of the profiled CPU (waiting in epoll left out) was the local Discord's own work: its code,
    aiohttp's server side and the standard json module (discord.py encodes and decodes with orjson)."""
    own = busy = 0.0
    for (path, _, name), row in stats.stats.items():  # type: ignore[attr-defined]
        seconds = row[2]  # time spent in the function itself
        if "poll" in name and "epoll" in name:
            continue
        busy += seconds
        if "fakediscord" in path or "aiohttp/web" in path or "/json/" in path or "jsonschema" in path:
            own += seconds
    return (
        f"local Discord's share of this process's profiled CPU: {100 * own / busy:.0f}% "
        f"({own * 1000 / interactions:.2f} of {busy * 1000 / interactions:.2f} ms per interaction, profiler included)"
    )


async def settled(advisor: AdvisorBot) -> None:
    """Let the bot handle the last block's trailing events (each command's completion listeners), then
    collect the garbage of the blocks before, so that every block starts from the same state of the
    collector and none pays for a full collection of another block's (or the other bot's) garbage."""
    await asyncio.sleep(0.2)
    gc.collect()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.platform()}; {os.cpu_count()} CPUs ({cpu}); "
        f"{platform.python_implementation()} {platform.python_version()}; discord.py {discord.__version__}"
    )


async def main_async(args: argparse.Namespace) -> int:
    if args.profile:
        await profile_advise(args)
        return 0
    load_before = os.getloadavg()[0]
    results, pairs = await run_all(args)
    print(f"machine: {machine()}")
    print(f"load average (1 min) before / after the run: {load_before:.2f} / {os.getloadavg()[0]:.2f}")
    print(f"samples: {args.single} sequential; {args.bursts} bursts x {args.concurrency} concurrent (after warm-up)")
    print(
        f"{'case':<22}{'concurrency':>12}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'per s':>8}{'ack p99':>10}"
        f"{'cpu ms':>8}{'wkr ms':>8}"
    )
    for r in results:
        n = len(r.latencies_ms)
        print(
            f"{r.case:<22}{r.concurrency:>12}{n:>6}{r.p50:>10.2f}{r.p99:>10.2f}"
            f"{max(r.latencies_ms):>10.2f}{r.throughput:>8.0f}{percentile(r.ack_ms, 0.99):>10.2f}"
            f"{r.cpu_s * 1000 / n:>8.2f}{r.worker_cpu_s * 1000 / n:>8.2f}"
        )
    print(
        "cpu ms / wkr ms: CPU time per interaction of this process (the bot's event loop and threads, the echo "
        "bot, both local Discords) / of the bot's worker processes (10 ms ticks)"
    )

    def pair(case: str, conc: int) -> Pairs:
        return next(p for p in pairs if p.case == case and p.concurrency == conc)

    def pooled(case: str, base: str, conc: int) -> float:
        b = next(r for r in results if r.case == base and r.concurrency == conc)
        return next(r for r in results if r.case == case and r.concurrency == conc).p99 / b.p99

    print(
        "ratios of p99s, block by block (each block beside the baseline block just before it); verdicts on the median:"
    )
    ok = True
    checks = [
        ("(b) /advise, steady users", STEADY, ECHO, 1, TARGET_RATIO),
        ("(b) /advise, steady users", STEADY, ECHO, args.concurrency, TARGET_RATIO),
        ("a user's first /advise (nothing cached)", FIRST_ASK, ECHO_BESIDE_FIRST, 1, None),
        ("a user's first /advise (nothing cached)", FIRST_ASK, ECHO_BESIDE_FIRST, args.concurrency, COLD_TARGET_RATIO),
        (
            f"/contract list while /plan runs over {HEAVY_STALE} stale contracts",
            LIGHT_LOADED,
            LIGHT_IDLE,
            1,
            LIGHT_TARGET_RATIO,
        ),
    ]
    for what, case, base, conc, target in checks:
        p = pair(case, conc)
        base_name = "its idle p99" if base == LIGHT_IDLE else "echo's p99"
        if target is None:
            verdict = "(for comparison)"
        else:
            met = p.median <= target
            ok &= met
            verdict = f"(target <= {target}x) {'met' if met else 'MISSED'}"
        print(
            f"  {what} at concurrency {conc}: p99 / {base_name} {p.describe()}; "
            f"pooled p99s {pooled(case, base, conc):.2f}x {verdict}"
        )
    worst = max(max(r.latencies_ms) for r in results)
    worst_ack = max(max(r.ack_ms) for r in results)
    print(
        f"slowest answer {worst:.0f} ms, slowest acknowledgement {worst_ack:.0f} ms "
        f"(Discord's deadline for the acknowledgement: {DEADLINE_S * 1000:.0f} ms)"
    )
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--single", type=int, default=200, help="sequential interactions per case (default 200)")
    parser.add_argument("--bursts", type=int, default=10, help="bursts per case (default 10)")
    parser.add_argument("--concurrency", type=int, default=100, help="interactions per burst (default 100)")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="steady",
        choices=("steady", "first", "echo"),
        help="profile bursts at --concurrency ((b) steady users, (b) users asking for the first time, or (a) echo) "
        "and print the top functions and the local Discord's share",
    )
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also run reference cases: a deferred echo answering an /advise-sized embed with "
        "buttons, and /advise with the service stubbed (the bot's Discord layer alone)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    raise SystemExit(main())
