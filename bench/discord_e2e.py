"""End-to-end Discord latency: a bare discord.py echo command vs the real AdvisorBot's /advise.

    .venv/bin/python bench/discord_e2e.py [--single N] [--bursts B] [--concurrency C] [--profile] [--breakdown]

Both bots are the unmodified discord.py, running together in this process, each talking to its own
local Discord (tests.fakediscord) over real HTTP and a real websocket; the local Discord validates
every REST body against Discord's OpenAPI spec, exactly as in the tests.

  (a) echo     a discord.py Client + CommandTree with `/echo text:` answering at once (callback type 4)
  (b) advise   the real AdvisorBot (SQLite store, services, engine, Jinja templates) answering
               `/advise contract:` on a realistic 50-contract ledger imported through the store, each
               time about another of the user's open contracts, for users who have asked before. It
               answers in one step, or defers ("thinking...") when the work takes longer than its budget and
               the followup is the answer.
  (b) first ask  the same for users the bot has never seen: nothing cached, the engine runs (in the
               bot's worker processes). Target: p99 at concurrency C <= 4 x (a) p99.
  (c) light    `/contract list` (no engine work) from users with 50 contracts: idle, and while another
               user's `/plan` runs over 400 stale contracts (one plan after another, lists sent one by
               one until it is answered). Target: p99 under load <= 2 x idle p99: heavy work runs in
               worker processes and must not hold up the event loop.

Round trip = from the INTERACTION_CREATE dispatch to the moment the local Discord holds the final
visible answer (the callback for (a), the followup for (b)); stamped inside the server, so waiting
for it costs nothing. Each case runs at concurrency 1 (N interactions one after another) and at
concurrency C (B bursts of C interactions from C different users, each with their own ledger).
The cases alternate block by block ((a) 20 sequential, (b) 20 sequential, ...; then (a) burst,
(b) burst, ...), each block starting once the previous one's last events are handled, so a slow
spell on a shared machine falls on both alike. Both get the same warm-up: sequential questions, then
a burst as fast as the measured ones (it opens the HTTP connections a burst needs).

The bot's clock is frozen on TODAY (reproducible answers) but sleeps in real time like the deployed bot's
(`FrozenDayClock`): with a plain FixedClock the reminder scheduler never slept and re-read the reminder queue
in a tight loop throughout the run (runs before 2026-12-04 measured the bot with that load on its loop).

Throughput is interactions / wall time (first dispatch to last answer). Target: (b) p99 <= 1.5 x
(a) p99 at each concurrency, both far under Discord's 3 s interaction deadline.

`--profile` runs the (b) burst case under cProfile and prints the top functions. `--breakdown` adds
reference cases: a deferred echo answering an /advise-sized embed with buttons, and /advise with the
service stubbed (the bot's Discord layer alone).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
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
from scoring.model import Contract, Ledger  # noqa: E402
from tests.fakediscord import FakeDiscord, FakeUser, discord_py_pointed_at, running_bot  # noqa: E402

TODAY = date(2026, 3, 2)
DEADLINE_S = 3.0
ERROR_COLOUR = discord.Colour.red().value  # the bot's error answers
TARGET_RATIO = 1.5
COLD_TARGET_RATIO = 4.0  # a first /advise at concurrency C, p99 vs echo's
LIGHT_TARGET_RATIO = 2.0  # /contract list p99 while a /plan runs, vs its idle p99
HEAVY_STALE = 400  # stale open contracts of the user running /plan in (c)
PLAN_ROUNDS = 3  # /plan runs in (c), each one measured from start to answer
READY_TIMEOUT_S = 120  # start-up (question index, classifier, workers) is not measured; a busy box is slow
COLD_BURSTS = 2  # bursts of users asking for the first time (each burst its own new users)
COLD_SINGLE = 100  # users asking for the first time, one after another
SEQUENTIAL_BLOCKS = 10  # the sequential samples of each case come in this many alternating blocks
FIRST_ASK = "(b) first ask"
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

    def merge(self, other: Result) -> Result:
        return Result(
            self.case,
            self.concurrency,
            self.latencies_ms + other.latencies_ms,
            self.wall_s + other.wall_s,
            self.ack_ms + other.ack_ms,
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
    with stack.talking():
        return await measure(stack.server, send, users, **kw)


async def warm_up(w: World, args: argparse.Namespace) -> None:
    """The same for both bots: sequential questions, then one burst as fast as the measured ones (it opens
    the HTTP connections a burst needs). (b)'s first burst is its users' first questions, computed on
    demand and trickling out; so (b) gets a second burst."""
    for stack in (w.echo, w.advise):
        await phase(w, stack, stack.send, stack.users, concurrency=1, rounds=20, case="warm-up")
        await phase(w, stack, stack.send, stack.users, concurrency=args.concurrency, rounds=1, case="warm-up")
    await phase(w, w.advise, w.advise.send, w.advise.users, concurrency=args.concurrency, rounds=1, case="warm-up")


async def interleaved(w: World, args: argparse.Namespace, cases: Sequence[tuple[str, Stack, Send]]) -> list[Result]:
    """Each case at concurrency 1 and C, in alternating blocks: a slow minute on a shared machine then
    falls on every case alike instead of on whichever ran then."""
    results: list[Result] = []
    for conc, blocks, per_block in (
        (1, SEQUENTIAL_BLOCKS, max(1, args.single // SEQUENTIAL_BLOCKS)),
        (args.concurrency, args.bursts, 1),
    ):
        merged: dict[str, Result] = {}
        for _ in range(blocks):
            for label, stack, send in cases:
                res = await phase(w, stack, send, stack.users, concurrency=conc, rounds=per_block, case=label)
                merged[label] = merged[label].merge(res) if label in merged else res
        results += merged.values()
    return results


async def first_asks(w: World, args: argparse.Namespace) -> list[Result]:
    send, users = w.advise.send, w.fresh_single
    one = await phase(w, w.advise, send, users, concurrency=1, rounds=len(users), case=FIRST_ASK, fresh=True)
    many = await phase(
        w, w.advise, send, w.fresh, concurrency=args.concurrency, rounds=COLD_BURSTS, case=FIRST_ASK, fresh=True
    )
    return [one, many]


def _list_contracts(server: StampingDiscord) -> Send:
    async def send(user: FakeUser, n: int) -> Any:
        return await server.send_slash_command("contract list", {}, user=user)

    return send


async def light_under_load(w: World, args: argparse.Namespace) -> list[Result]:
    """(c): `/contract list` idle, then while `/plan` over HEAVY_STALE stale contracts runs (PLAN_ROUNDS
    plans, each sent alone; lists one after another from the steady users until the plan is answered)."""
    server, send = w.advise.server, _list_contracts(w.advise.server)
    users = w.advise.users
    idle = await phase(w, w.advise, send, users, concurrency=1, rounds=args.single, case=LIGHT_IDLE)
    latencies: list[float] = []
    acks: list[float] = []
    wall = 0.0
    plan_ms: list[float] = []
    n = 0
    for _ in range(PLAN_ROUNDS):
        await settled(w.advisor)
        with w.advise.talking():
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
    print(f"(c) /plan over {HEAVY_STALE} stale contracts: " + ", ".join(f"{ms:.0f} ms" for ms in plan_ms))
    return [idle, Result(LIGHT_LOADED, 1, latencies, wall, acks)]


async def stubbed(w: World, args: argparse.Namespace) -> list[Result]:
    """(ref): /advise with the service answering a canned advice: the bot's Discord layer alone."""
    service = w.advisor.services.answers
    user = w.advise.users[0]
    canned = await service.advise(str(user.id), w.targets[user.id][0])

    async def advise(user_id: str, contract_id: str, as_of: date | None = None) -> Any:
        return canned

    service.advise = advise  # type: ignore[method-assign]
    return await interleaved(w, args, [("(ref) stubbed", w.advise, w.advise.send)])


async def run_all(args: argparse.Namespace) -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        async with world(args, Path(tmp)) as w:
            await warm_up(w, args)
            cases = [("(a) echo", w.echo, w.echo.send), ("(b) /advise", w.advise, w.advise.send)]
            if args.breakdown:
                cases.insert(1, ("(ref) deferred echo", w.echo, w.echo_deferred))
            results = await interleaved(w, args, cases)
            results += await first_asks(w, args)
            results += await light_under_load(w, args)
            if args.breakdown:
                results += await stubbed(w, args)
            return results


async def profile_advise(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with world(args, Path(tmp)) as w:
            await warm_up(w, args)
            await settled(w.advisor)
            profiler = cProfile.Profile()
            with w.advise.talking():
                profiler.enable()
                res = await measure(
                    w.advise.server,
                    w.advise.send,
                    w.advise.users,
                    concurrency=args.concurrency,
                    rounds=args.bursts,
                    case="(b) /advise",
                )
                profiler.disable()
    print(f"(b) /advise x{res.concurrency}: p50 {res.p50:.1f} ms, p99 {res.p99:.1f} ms (under the profiler)")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
    print(out.getvalue())


async def settled(advisor: AdvisorBot) -> None:
    """Let the bot handle the last block's trailing events (each command's completion listeners)."""
    await asyncio.sleep(0.2)


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
    results = await run_all(args)
    print(f"machine: {machine()}")
    print(f"load average (1 min) before / after the run: {load_before:.2f} / {os.getloadavg()[0]:.2f}")
    print(f"samples: {args.single} sequential; {args.bursts} bursts x {args.concurrency} concurrent (after warm-up)")
    print(
        f"{'case':<22}{'concurrency':>12}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'per s':>8}{'ack p99':>10}"
    )
    for r in results:
        print(
            f"{r.case:<22}{r.concurrency:>12}{len(r.latencies_ms):>6}{r.p50:>10.2f}{r.p99:>10.2f}"
            f"{max(r.latencies_ms):>10.2f}{r.throughput:>8.0f}{percentile(r.ack_ms, 0.99):>10.2f}"
        )
    ok = True
    for conc in (1, args.concurrency):
        a = next(r for r in results if r.case == "(a) echo" and r.concurrency == conc)
        b = next(r for r in results if r.case == "(b) /advise" and r.concurrency == conc)
        ratio = b.p99 / a.p99
        met = ratio <= TARGET_RATIO and b.p99 < DEADLINE_S * 1000
        ok &= met
        print(
            f"ratio (b) p99 / (a) p99 at concurrency {conc}: {ratio:.2f}x "
            f"(target <= {TARGET_RATIO}x) {'met' if met else 'MISSED'}"
        )
    for conc in (1, args.concurrency):
        a = next(r for r in results if r.case == "(a) echo" and r.concurrency == conc)
        cold = next(r for r in results if r.case == FIRST_ASK and r.concurrency == conc)
        ratio = cold.p99 / a.p99
        if conc == args.concurrency:
            met = ratio <= COLD_TARGET_RATIO
            ok &= met
            verdict = f"(target <= {COLD_TARGET_RATIO}x) {'met' if met else 'MISSED'}"
        else:
            verdict = "(for comparison)"
        print(f"a user's first /advise (nothing cached) at concurrency {conc}: p99 {ratio:.2f}x echo's {verdict}")
    idle = next(r for r in results if r.case == LIGHT_IDLE)
    loaded = next(r for r in results if r.case == LIGHT_LOADED)
    a1 = next(r for r in results if r.case == "(a) echo" and r.concurrency == 1)
    ratio = loaded.p99 / idle.p99
    met = ratio <= LIGHT_TARGET_RATIO
    ok &= met
    print(
        f"/contract list p99 while /plan runs over {HEAVY_STALE} stale contracts: {ratio:.2f}x its idle p99 "
        f"(target <= {LIGHT_TARGET_RATIO}x) {'met' if met else 'MISSED'}; "
        f"idle {idle.p99 / a1.p99:.2f}x, loaded {loaded.p99 / a1.p99:.2f}x echo's p99"
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
    parser.add_argument("--profile", action="store_true", help="profile (b) at --concurrency and print the top")
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
