"""Sharding: the bot split over several processes, each running some of its shards, on one database.

Discord sends each guild's events only to the session of the guild's shard ((guild_id >> 22) % shard_count)
and DMs to shard 0, and refuses an IDENTIFY with too few shards (4011) or an invalid one (4010); the local
Discord does the same. Here two bots in this process stand for two bot processes (shard 0 and shard 1 of 2),
each with its own connection to one SQLite file; a third runs both shards in one process (AutoShardedBot).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import discord
import pytest

from bot.clock import FixedClock
from bot.discord_app.client import AdvisorBot, ShardedAdvisorBot, build_bot
from bot.discord_app.settings import Settings
from tests.discord_app import ONE_STEP
from tests.fakediscord import FakeDiscord, running_bot
from tests.samples import TODAY

CALLBACK = "/interactions/*/callback"


def make_bot(db: Path, shards: list[int] | None, count: int | None) -> AdvisorBot:
    return build_bot(
        db,
        shards=shards,
        shard_count=count,
        clock=FixedClock.on(TODAY),
        guild_ready_timeout=0.05,
        answer_budget=ONE_STEP,
        heavy_limit=None,
        engine_workers=False,
    )


def record_interactions(bot: discord.Client, seen: list[tuple[int, str]], name: str) -> None:
    """Note every interaction `bot` receives from the gateway, under `name`."""

    async def on_interaction(interaction: discord.Interaction) -> None:
        seen.append((interaction.id, name))

    bot.add_listener(on_interaction)


@contextlib.asynccontextmanager
async def shard_processes(
    server: FakeDiscord, db: Path, count: int, seen: list[tuple[int, str]]
) -> AsyncIterator[list[AdvisorBot]]:
    """One bot per shard, each noting the interactions it gets (as `shard-i`)."""
    async with contextlib.AsyncExitStack() as stack:
        bots = []
        for shard in range(count):
            bot = make_bot(db, [shard], count)
            record_interactions(bot, seen, f"shard-{shard}")
            bots.append(await stack.enter_async_context(running_bot(bot)))
        yield bots


def guild_ids(bot: discord.Client) -> set[int]:
    return {g.id for g in bot.guilds}


def callbacks(server: FakeDiscord) -> Counter[int]:
    """Interaction id -> how many callbacks (answers) it got."""
    return Counter(int(c.path.split("/")[2]) for c in server.calls_to(CALLBACK))


async def test_gateway_bot_recommends_the_configured_shards(fake_discord: FakeDiscord) -> None:
    fake_discord.shard_count = 4
    async with aiohttp.ClientSession() as http:
        headers = {"Authorization": "Bot t"}
        async with http.get(f"{fake_discord.api_base}/gateway/bot", headers=headers) as response:
            assert (await response.json())["shards"] == 4


@pytest.mark.fakediscord(allow_gateway_errors=True)
@pytest.mark.parametrize(
    ("shards", "count", "code"),
    [(None, None, 4011), ([0], 1, 4011)],  # the local Discord wants 2 shards: fewer is "sharding required"
)
async def test_too_few_shards_is_refused_as_discord_does(
    fake_discord: FakeDiscord, tmp_path: Path, shards: list[int] | None, count: int | None, code: int
) -> None:
    fake_discord.shard_count = 2
    with pytest.raises(discord.ConnectionClosed) as refused:
        async with running_bot(make_bot(tmp_path / "bot.db", shards, count)):
            pass
    assert refused.value.code == code
    assert [e.message for e in fake_discord.gateway_errors] == ["closed 4011: sharding required"]


@pytest.mark.fakediscord(allow_gateway_errors=True)
async def test_an_invalid_shard_is_refused(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """discord.py itself never sends one; a hand-made IDENTIFY shows the local Discord checks it."""
    async with aiohttp.ClientSession() as http, http.ws_connect(fake_discord.gateway_url + "?v=10") as ws:
        await ws.receive_json()  # HELLO
        await ws.send_json({"op": 2, "d": {"token": "t", "intents": 1, "properties": {}, "shard": [2, 2]}})
        closed = await ws.receive()
    assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == 4010


async def test_each_shard_process_gets_only_its_guilds_and_answers_each_command_once(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    server = fake_discord
    server.shard_count = 2
    first_shard = server.shard_of(server.guild_id)
    other = server.add_guild("Second Guild", shard=(1 - first_shard, 2))
    third = server.add_guild("Third Guild", shard=(first_shard, 2))
    on_shard = {first_shard: {server.guild_id, third}, 1 - first_shard: {other}}
    users = [server.add_user(f"member{i}") for i in range(3)]
    db = tmp_path / "shared.db"
    seen: list[tuple[int, str]] = []
    async with shard_processes(server, db, 2, seen) as bots:
        for shard, bot in enumerate(bots):
            assert guild_ids(bot) == on_shard[shard]  # GUILD_CREATE only for its own guilds
        assert len(server.calls_to("/applications/*/commands", "PUT")) == 1  # only shard 0 synced the commands

        expected: dict[int, str] = {}
        for user in users:
            for guild in (server.guild_id, other, third):
                handle = await server.send_slash_command("reminders list", user=user, guild=guild)
                expected[int(handle.payload["id"])] = f"shard-{server.shard_of(guild)}"
            handle = await server.send_slash_command("reminders list", user=user, guild=False)  # a DM: shard 0
            expected[int(handle.payload["id"])] = "shard-0"
        for interaction_id in expected:
            await server.interactions[interaction_id].wait_for_response()
        assert sorted(seen) == sorted(expected.items())  # each reached its shard's process only...
        assert callbacks(server) == Counter(dict.fromkeys(expected, 1))  # ...and was answered exactly once
        # The two processes share the database: a setting saved through one is what the other shows.
        saved = await server.send_slash_command("reminders settings", {"enabled": True}, user=users[0], guild=other)
        await saved.wait_for_response()
        shown = await server.send_slash_command("reminders list", user=users[0], guild=server.guild_id)
        assert (await shown.wait_for_response()).embeds[0]["title"] == "Your reminders: on"
    assert server.problems() == []


async def test_one_process_can_run_several_shards(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    server = fake_discord
    server.shard_count = 2
    other = server.add_guild("Second Guild", shard=(1 - server.shard_of(server.guild_id), 2))
    bot = make_bot(tmp_path / "bot.db", [0, 1], 2)
    assert isinstance(bot, ShardedAdvisorBot)
    async with running_bot(bot):
        assert guild_ids(bot) == {server.guild_id, other}
        assert sorted(p.get("shard") for p in server.identify_payloads) == [[0, 2], [1, 2]]
        handles = [await server.send_slash_command("reminders list", guild=g) for g in (server.guild_id, other)]
        for handle in handles:
            await handle.wait_for_response()
    assert callbacks(server) == Counter({int(h.payload["id"]): 1 for h in handles})


def test_settings_name_the_shards_of_this_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JSS_ADVISOR_SHARD_COUNT", "4")
    monkeypatch.setenv("JSS_ADVISOR_SHARD_IDS", "2,3")
    assert Settings().shards == (2, 3)
    monkeypatch.setenv("JSS_ADVISOR_SHARD_IDS", "0-2")  # a range: what a systemd instance name can say
    assert Settings().shards == (0, 1, 2)
    monkeypatch.setenv("JSS_ADVISOR_SHARD_IDS", "")
    assert Settings().shards == (0, 1, 2, 3)  # no ids: every shard in this one process
    monkeypatch.delenv("JSS_ADVISOR_SHARD_COUNT")
    monkeypatch.delenv("JSS_ADVISOR_SHARD_IDS")
    assert Settings().shards is None  # not sharded: one process, as before


def test_bad_shard_settings_are_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.discord_app.run import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", "abc")
    monkeypatch.setenv("JSS_ADVISOR_SHARD_COUNT", "2")
    monkeypatch.setenv("JSS_ADVISOR_SHARD_IDS", "1,2")
    assert main() == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "from 0 to 1" in err and "Traceback" not in err


def test_a_copied_env_example_loads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Its empty values (the dev guild, the shards) mean "not set", not a number that fails to parse."""
    (tmp_path / ".env").write_text((Path(__file__).resolve().parents[2] / ".env.example").read_text())
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.shards is None and settings.dev_guild_id is None and settings.discord_token is None
