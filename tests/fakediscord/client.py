"""Test-side helpers: point the real discord.py at a :class:`FakeDiscord` and run a bot.

Why: discord.py builds every REST URL from ``discord.http.Route.BASE`` and opens the
gateway at ``DiscordWebSocket.DEFAULT_GATEWAY``; swapping those two class attributes is all
it takes to run the unmodified library against the local server.  ``running_bot`` wraps
the start/ready/close dance so a failing test can never leave a bot, its aiohttp session
or its heartbeat thread running.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import discord
import discord.gateway
import discord.http
import yarl

if TYPE_CHECKING:
    import pytest

    from .server import FakeDiscord

__all__ = ["FAST_READY_TIMEOUT", "discord_py_pointed_at", "point_discord_py_at", "running_bot"]

ClientT = TypeVar("ClientT", bound=discord.Client)

# discord.py waits guild_ready_timeout (default 2 s) after the last GUILD_CREATE before
# on_ready; the fake sends every guild at once, so 50 ms is plenty.
FAST_READY_TIMEOUT = 0.05


def point_discord_py_at(server: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> None:
    """Aim discord.py's REST base and gateway URL at ``server`` (undone by monkeypatch)."""
    monkeypatch.setattr(discord.http.Route, "BASE", server.api_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.gateway_url))


@contextlib.contextmanager
def discord_py_pointed_at(server: FakeDiscord) -> Iterator[None]:
    """Same as :func:`point_discord_py_at` outside pytest (benchmarks, scripts)."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = server.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(server.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


def _assert_local() -> None:
    """Refuse to start a bot whose REST base is not loopback: tests must never reach Discord."""
    host = yarl.URL(discord.http.Route.BASE).host
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise RuntimeError(
            f"discord.http.Route.BASE is {discord.http.Route.BASE!r}: point discord.py at a FakeDiscord "
            "first (fake_discord fixture or discord_py_pointed_at())"
        )


def _stop_views(bot: discord.Client) -> None:
    """Stop every View/Modal the bot still tracks.

    Why: ``Client.close()`` leaves their timeout tasks pending, so they would outlive the
    bot and be cancelled only when pytest-asyncio tears the loop down.
    """
    store = getattr(getattr(bot, "_connection", None), "_view_store", None)
    if store is None:
        return
    views: dict[int, Any] = {}
    for items in getattr(store, "_views", {}).values():
        for item in items.values():
            view = getattr(item, "view", None)
            if view is not None:
                views[id(view)] = view
    for view in [*getattr(store, "_synced_message_views", {}).values(), *getattr(store, "_modals", {}).values()]:
        views[id(view)] = view
    for view in views.values():
        view.stop()


async def _until_guilds_cached(bot: discord.Client, timeout: float) -> None:  # noqa: ASYNC109
    """on_ready fires FAST_READY_TIMEOUT after the last GUILD_CREATE; on a loaded machine the fake's GUILD_CREATE
    can come later than that, so wait (on progress, not a fixed time) until the bot has cached a guild."""
    if not bot.intents.guilds:
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not bot.guilds and loop.time() < deadline:  # noqa: ASYNC110 (discord.py offers no event for it)
        await asyncio.sleep(0.005)


@contextlib.asynccontextmanager
async def running_bot(
    bot: ClientT,
    token: str = "test",
    *,
    ready_timeout: float = 60.0,
    close_timeout: float = 60.0,
    fast_ready: bool = True,
) -> AsyncIterator[ClientT]:
    """Start ``bot`` against the fake, yield once it is ready, always close it.

    The client is entered first (``__aenter__`` sets up its loop-bound state, which
    ``wait_until_ready`` needs), then ``bot.start(token)`` runs in a task.  If start
    fails before READY (bad token, disallowed intents ...) its exception is raised here
    instead of a bare timeout.  ``fast_ready`` lowers ``guild_ready_timeout`` to 50 ms
    when the bot still has discord.py's 2 s default.
    """
    _assert_local()
    if fast_ready and getattr(bot._connection, "guild_ready_timeout", 0) > FAST_READY_TIMEOUT:
        bot._connection.guild_ready_timeout = FAST_READY_TIMEOUT
    await bot.__aenter__()
    start_task: asyncio.Task[Any] = asyncio.create_task(bot.start(token), name="fakediscord-bot-start")
    ready_task: asyncio.Task[Any] = asyncio.create_task(bot.wait_until_ready(), name="fakediscord-bot-ready")
    start_failure_raised = False
    try:
        done, _pending = await asyncio.wait(
            {start_task, ready_task}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if start_task in done:
            start_failure_raised = True
            start_task.result()  # raises the start failure
            raise RuntimeError("bot.start() returned before the bot became ready")
        if ready_task not in done:
            raise TimeoutError(f"bot not ready within {ready_timeout}s")
        await _until_guilds_cached(bot, ready_timeout)
        yield bot
    finally:
        ready_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ready_task
        _stop_views(bot)
        await asyncio.wait_for(bot.close(), timeout=close_timeout)
        if not start_task.done():
            try:
                await asyncio.wait_for(asyncio.shield(start_task), timeout=close_timeout)
            except TimeoutError:
                start_task.cancel()
            except Exception:
                pass  # inspected below
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(start_task, return_exceptions=True)
        failure = None if start_task.cancelled() else start_task.exception()
        if failure is not None and not start_failure_raised:
            raise RuntimeError("the bot's start() task failed while it was running") from failure
