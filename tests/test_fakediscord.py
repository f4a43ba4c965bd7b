"""The fake Discord harness, exercised end to end by the real, unmodified discord.py.

Each test builds a tiny ``discord.Client``/``commands.Bot`` with its own commands (never
the product bot) so a failure here means the harness, not the product, is wrong.  The
``server`` fixture also checks that every answer the fake gave matches Discord's OpenAPI
response schemas, which keeps the fake honest.
"""

from __future__ import annotations

import asyncio
import io
import threading
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakediscord import (
    EPHEMERAL,
    FAST_READY_TIMEOUT,
    LOADING,
    FakeAttachment,
    FakeDiscord,
    load_spec,
    running_bot,
    snowflake_time,
    spec_unavailable_reason,
)

SPEC_MISSING = spec_unavailable_reason()
needs_spec = pytest.mark.skipif(SPEC_MISSING is not None, reason=SPEC_MISSING or "")


@pytest.fixture
async def server(fake_discord: FakeDiscord) -> AsyncIterator[FakeDiscord]:
    """``fake_discord`` plus a check that the fake's own answers are spec-valid."""
    fake_discord.validate_responses = True
    yield fake_discord
    assert fake_discord.response_schema_errors == [], "the fake answered with payloads Discord would not send"
    # Clean shutdown: the bot's heartbeat thread and every task it started are gone.
    for thread in threading.enumerate():
        if thread.name.startswith("keep-alive-handler"):
            thread.join(timeout=1.0)
            assert not thread.is_alive(), "discord.py heartbeat thread still running after the bot closed"
    await asyncio.sleep(0)
    leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
    assert leftovers == [], "tasks outlived the bot"


def make_bot(intents: discord.Intents | None = None) -> commands.Bot:
    """A minimal bot; 50 ms guild_ready_timeout instead of discord.py's 2 s."""
    if intents is None:
        intents = discord.Intents.default()
        intents.message_content = True
    return commands.Bot(command_prefix="!", intents=intents, guild_ready_timeout=0.05, help_command=None)


async def sync_to_guild(bot: commands.Bot, server: FakeDiscord) -> list[app_commands.AppCommand]:
    guild = discord.Object(server.guild_id)
    bot.tree.copy_global_to(guild=guild)
    return await bot.tree.sync(guild=guild)


# ----------------------------------------------------------------------------- login


async def test_login_and_ready(server: FakeDiscord) -> None:
    bot = make_bot()
    async with running_bot(bot):
        assert bot._connection.guild_ready_timeout == FAST_READY_TIMEOUT  # on_ready without the 2 s wait
        assert bot.user is not None and bot.user.id == server.bot_user.id
        assert bot.application_id == server.application_id
        guild = bot.get_guild(server.guild_id)
        assert guild is not None and guild.me is not None
        assert isinstance(guild.get_channel(server.text_channel_id), discord.TextChannel)
        forum = guild.get_channel(server.forum_channel_id)
        assert isinstance(forum, discord.ForumChannel)
        assert [t.name for t in forum.available_tags] == ["question", "solved"]
        assert guild.get_role(server.bot_role_id) in guild.me.roles
    assert [(c.method, c.path) for c in server.calls[:2]] == [
        ("GET", "/users/@me"),
        ("GET", "/oauth2/applications/@me"),
    ]
    assert len(server.identify_payloads) == 1
    assert server.identify_payloads[0]["intents"] == bot.intents.value
    assert ("recv", 1) in server.gateway_log  # discord.py heartbeats right after HELLO; we ACK
    # Ids are real snowflakes minted just now.
    assert abs(snowflake_time(server.guild_id) - datetime.now(UTC)) < timedelta(minutes=1)


async def test_zlib_stream_gateway_frames(server: FakeDiscord) -> None:
    server.gateway_compression = True  # binary zlib-stream frames, as discord.py requests
    bot = make_bot()
    async with running_bot(bot):
        assert bot.get_guild(server.guild_id) is not None
        await server.create_message(content="compressed")
        await server.wait_for(lambda: bot.cached_messages)
    assert bot.cached_messages[0].content == "compressed"


async def test_disallowed_privileged_intents_close_4014(server: FakeDiscord) -> None:
    server.privileged_intents = 0  # nothing enabled "in the developer portal"
    server.allow_gateway_errors = True
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with running_bot(make_bot()):
            pass
    assert [e.message for e in server.gateway_errors] == ["closed 4014: disallowed intents"]


# ----------------------------------------------------------------------------- commands


@needs_spec
async def test_tree_sync_to_guild_is_schema_valid_and_stored(server: FakeDiscord) -> None:
    bot = make_bot()
    group = app_commands.Group(name="jss", description="JSS tools")

    @group.command(name="score", description="Score a contract")
    @app_commands.describe(value="0-100", who="whose")
    async def score(
        interaction: discord.Interaction, value: app_commands.Range[int, 0, 100], who: discord.Member | None = None
    ) -> None:
        await interaction.response.send_message(str(value))

    @app_commands.context_menu(name="Quote")
    async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.send_message("q")

    bot.tree.add_command(group)
    bot.tree.add_command(quote)
    async with running_bot(bot):
        synced = await sync_to_guild(bot, server)
        fetched = await bot.tree.fetch_commands(guild=discord.Object(server.guild_id))
    stored = {c["name"]: c for c in server.commands(server.guild_id)}
    assert set(stored) == {"jss", "Quote"}
    assert {c.id for c in synced} == {int(c["id"]) for c in stored.values()} == {c.id for c in fetched}
    assert stored["jss"]["options"][0]["name"] == "score"
    assert stored["Quote"]["type"] == 3
    assert server.calls_to("/applications/{application_id}/guilds/{guild_id}/commands", "PUT")[0].status == 200
    assert server.schema_errors == []


async def test_slash_command_ephemeral_reply_with_options(server: FakeDiscord) -> None:
    bot = make_bot()
    seen: dict[str, object] = {}
    group = app_commands.Group(name="jss", description="JSS tools")

    @group.command(name="score", description="Score a contract")
    async def score(
        interaction: discord.Interaction, value: app_commands.Range[int, 0, 100], who: discord.Member | None = None
    ) -> None:
        seen.update(value=value, who=who, user=interaction.user, guild=interaction.guild)
        await interaction.response.send_message(f"score {value}", ephemeral=True)

    bot.tree.add_command(group)
    async with running_bot(bot):
        await sync_to_guild(bot, server)
        other = server.users[server.bot_user.id]  # any member works as an option value
        handle = await server.send_slash_command("jss score", {"value": 42, "who": other})
        response = await handle.wait_for_response()
        with pytest.raises(ValueError, match="max_value"):
            await server.send_slash_command("jss score", {"value": 101})
    assert response.type == 4
    assert response.flags == EPHEMERAL and response.ephemeral
    assert response.content == "score 42"
    assert seen["value"] == 42
    assert isinstance(seen["who"], discord.Member) and seen["who"].id == other.id
    assert isinstance(seen["user"], discord.Member) and seen["user"].id == server.default_user.id
    assert handle.original is not None and handle.original["flags"] & EPHEMERAL
    assert server.channel_messages() == []  # ephemeral: nobody else sees it
    assert handle.latency is not None  # answered (in time: the fake rejects answers past the deadline)


async def test_admin_only_command_hidden_from_members(server: FakeDiscord) -> None:
    admin = server.add_user("boss", admin=True)
    bot = make_bot()

    @bot.tree.command(name="purge", description="Admins only")
    @app_commands.default_permissions(manage_guild=True)
    async def purge(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("purged", ephemeral=True)

    async with running_bot(bot):
        await sync_to_guild(bot, server)
        with pytest.raises(PermissionError, match="default_member_permissions"):
            await server.send_slash_command("purge")  # the default user is a plain member
        response = await (await server.send_slash_command("purge", user=admin)).wait_for_response()
    assert response.content == "purged"


async def test_slash_command_in_dm_needs_global_sync(server: FakeDiscord) -> None:
    bot = make_bot()

    @bot.tree.command(name="whoami", description="Who am I")
    async def whoami(interaction: discord.Interaction) -> None:
        kind = type(interaction.channel).__name__
        await interaction.response.send_message(f"{interaction.user.name} in {kind}")

    async with running_bot(bot):
        await sync_to_guild(bot, server)
        with pytest.raises(LookupError, match="not registered globally"):
            await server.send_slash_command("whoami", guild=False)
        await bot.tree.sync()
        handle = await server.send_slash_command("whoami", guild=False)
        response = await handle.wait_for_response()
    assert response.content == "tester in DMChannel"
    assert handle.payload["context"] == 1 and "member" not in handle.payload


async def test_answer_after_deadline_is_rejected(server: FakeDiscord) -> None:
    server.interaction_deadline = 0.05  # Discord's is 3 s; same rule, shorter wait
    bot = make_bot()
    errors: list[Exception] = []

    @bot.tree.command(name="sleepy", description="Answers too late")
    async def sleepy(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.1)
        try:
            await interaction.response.send_message("too late")
        except discord.NotFound as exc:
            errors.append(exc)

    async with running_bot(bot):
        await sync_to_guild(bot, server)
        handle = await server.send_slash_command("sleepy")
        with pytest.raises(AssertionError, match="deadline"):
            await handle.wait_for_response()
        await server.wait_for(lambda: errors)
    assert isinstance(errors[0], discord.NotFound) and errors[0].code == 10062


async def test_burst_of_concurrent_commands(server: FakeDiscord) -> None:
    server.validate_responses = False  # ~2 ms per message; the other tests cover it
    bot = make_bot()

    @bot.tree.command(name="echo", description="Echo")
    async def echo(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(text)

    async with running_bot(bot):
        await sync_to_guild(bot, server)
        handles = await asyncio.gather(*(server.send_slash_command("echo", {"text": str(i)}) for i in range(100)))
        responses = await asyncio.gather(*(h.wait_for_response() for h in handles))
    assert [r.content for r in responses] == [str(i) for i in range(100)]
    assert len({h.id for h in handles}) == 100 and len({h.token for h in handles}) == 100


async def test_defer_then_followups(server: FakeDiscord) -> None:
    bot = make_bot()

    @bot.tree.command(name="slow", description="Slow work")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("done")
        await interaction.followup.send("psst", ephemeral=True)
        await interaction.edit_original_response(content="done!")

    async with running_bot(bot):
        await sync_to_guild(bot, server)
        handle = await server.send_slash_command("slow")
        response = await handle.wait_for_response()
        followups = await handle.wait_for_followups(2)
        await handle.wait_for_original(lambda m: m["content"] == "done!")
    assert response.type == 5
    # The first followup replaced the "thinking..." placeholder.
    assert handle.original is followups[0]
    assert handle.original["content"] == "done!" and not handle.original["flags"] & LOADING
    assert handle.original["edited_timestamp"] is not None
    assert followups[1]["content"] == "psst" and followups[1]["flags"] & EPHEMERAL
    assert [m["content"] for m in server.channel_messages()] == ["done!"]
    followup_calls = server.calls_to("/webhooks/{webhook_id}/{webhook_token}", "POST")
    assert [c.query.get("wait") for c in followup_calls] == ["1", "1"]


async def test_autocomplete(server: FakeDiscord) -> None:
    bot = make_bot()
    fruits = ["apple", "banana", "mango", "cherry"]

    @bot.tree.command(name="pick", description="Pick a fruit")
    async def pick(interaction: discord.Interaction, fruit: str) -> None:
        await interaction.response.send_message(fruit)

    @pick.autocomplete("fruit")
    async def fruit_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f.title(), value=f) for f in fruits if current in f]

    async with running_bot(bot):
        await sync_to_guild(bot, server)
        choices = await server.send_autocomplete("pick", {"fruit": "an"}, focused="fruit")
    assert choices == [{"name": "Banana", "value": "banana"}, {"name": "Mango", "value": "mango"}]


async def test_modal_roundtrip(server: FakeDiscord) -> None:
    bot = make_bot()

    class Feedback(discord.ui.Modal, title="Feedback"):
        text: discord.ui.TextInput[Feedback] = discord.ui.TextInput(
            label="Your text", custom_id="fb_text", max_length=50
        )

        async def on_submit(self, interaction: discord.Interaction) -> None:
            await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)

    @bot.tree.command(name="feedback", description="Give feedback")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Feedback(custom_id="feedback_modal"))

    async with running_bot(bot):
        await sync_to_guild(bot, server)
        opened = await server.send_slash_command("feedback")
        shown = await opened.wait_for_response()
        assert shown.type == 9 and shown.custom_id == "feedback_modal"
        with pytest.raises(ValueError, match="longer"):
            await server.send_modal_submit("feedback_modal", {"fb_text": "x" * 51})
        submitted = await server.send_modal_submit("feedback_modal", {"fb_text": "great bot"})
        reply = await submitted.wait_for_response()
    assert reply.type == 4 and reply.content == "thanks: great bot" and reply.ephemeral


@pytest.mark.parametrize("ephemeral", [False, True])
async def test_button_click_and_select(server: FakeDiscord, ephemeral: bool) -> None:
    bot = make_bot()

    class Counter(discord.ui.View):
        def __init__(self) -> None:
            super().__init__(timeout=60)
            self.count = 0

        @discord.ui.button(label="+1", custom_id="inc", style=discord.ButtonStyle.primary)
        async def inc(self, interaction: discord.Interaction, button: discord.ui.Button[Counter]) -> None:
            self.count += 1
            await interaction.response.edit_message(content=f"count {self.count}", view=self)

        @discord.ui.select(custom_id="size", options=[discord.SelectOption(label=s, value=s) for s in "SML"])
        async def size(self, interaction: discord.Interaction, select: discord.ui.Select[Counter]) -> None:
            await interaction.response.send_message(f"size {select.values[0]}", ephemeral=True)

    @bot.tree.command(name="counter", description="Count clicks")
    async def counter(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("count 0", view=Counter(), ephemeral=ephemeral)

    async with running_bot(bot):
        await sync_to_guild(bot, server)
        handle = await server.send_slash_command("counter")
        await handle.wait_for_response()
        message = handle.original
        assert message is not None
        click = await server.send_component("inc", message=message)
        clicked = await click.wait_for_response()
        picked = await (await server.send_component("size", message=message, values=["M"])).wait_for_response()
        with pytest.raises(ValueError, match="not all in options"):
            await server.send_component("size", message=message, values=["XL"])
    assert clicked.type == 7
    assert server.get_message(message["id"])["content"] == "count 1"
    assert [m["content"] for m in server.channel_messages()] == ([] if ephemeral else ["count 1"])
    assert picked.content == "size M" and picked.ephemeral


async def test_message_context_menu(server: FakeDiscord) -> None:
    bot = make_bot()

    @app_commands.context_menu(name="Quote")
    async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.send_message(f"{message.author.name} said: {message.content}")

    bot.tree.add_command(quote)
    async with running_bot(bot):
        await sync_to_guild(bot, server)
        target = await server.create_message(content="hire me", author=server.default_user)
        handle = await server.send_message_context_menu("Quote", target)
        response = await handle.wait_for_response()
    assert response.content == "tester said: hire me"
    assert [m["content"] for m in server.channel_messages()] == ["hire me", "tester said: hire me"]


# ----------------------------------------------------------------------------- events


async def test_message_create_and_forum_thread_reach_listeners(server: FakeDiscord) -> None:
    bot = make_bot()
    messages: list[discord.Message] = []
    threads: list[discord.Thread] = []
    tags_at_creation: list[str] = []

    @bot.listen()
    async def on_message(message: discord.Message) -> None:
        messages.append(message)

    @bot.listen()
    async def on_thread_create(thread: discord.Thread) -> None:
        if thread.owner_id == server.bot_user.id:
            return  # Discord also tells the bot about threads it created itself
        threads.append(thread)
        tags_at_creation.extend(t.name for t in thread.applied_tags)
        await thread.send("I can help")

    async with running_bot(bot):
        await server.create_message(content="hello bot")
        question = server.forum_tag_id("question")
        forum = bot.get_channel(server.forum_channel_id)
        assert isinstance(forum, discord.ForumChannel)
        thread, starter = await server.create_forum_thread(title="JSS dropped", content="why?", applied_tags=[question])
        await server.wait_for(lambda: len(server.channel_messages(int(thread["id"]))) == 2)
        await server.wait_for(lambda: len(messages) == 3)
        solved = next(t for t in forum.available_tags if t.name == "solved")
        await threads[0].edit(applied_tags=[solved], archived=True)
        faq = await forum.create_thread(name="FAQ", content="Read me first", applied_tags=[solved])
    assert messages[0].content == "hello bot" and isinstance(messages[0].channel, discord.TextChannel)
    assert thread["id"] == starter["id"]  # forum posts: thread id == starter message id
    assert len(threads) == 1 and threads[0].id == int(thread["id"])
    assert isinstance(threads[0].parent, discord.ForumChannel)
    assert tags_at_creation == ["question"]
    assert [t.name for t in threads[0].applied_tags] == ["solved"]  # THREAD_UPDATE reached the cache
    assert messages[1].content == "why?" and messages[1].channel.id == threads[0].id
    assert messages[2].author.id == server.bot_user.id  # Discord echoes the bot's own message
    assert [m["content"] for m in server.channel_messages(int(thread["id"]))] == ["why?", "I can help"]
    assert server.channels[int(thread["id"])]["thread_metadata"]["archived"] is True
    assert server.channels[int(thread["id"])]["applied_tags"] == [str(solved.id)]
    assert faq.thread.id == faq.message.id
    assert [m["content"] for m in server.channel_messages(faq.thread.id)] == ["Read me first"]


async def test_world_changes_reach_a_connected_bot(server: FakeDiscord) -> None:
    intents = discord.Intents.default()
    intents.members = True
    bot = make_bot(intents)
    async with running_bot(bot):
        forum_id = server.add_channel("late-forum", 15, tags=["bug"])
        newbie = server.add_user("newbie")
        role_id = server.add_role("Helper")
        await server.flush_events()  # also happens before the next dispatch
        await server.wait_for(lambda: bot.get_channel(forum_id) is not None)
        guild = bot.get_guild(server.guild_id)
        assert guild is not None
        await server.wait_for(lambda: guild.get_member(newbie.id) is not None and guild.get_role(role_id) is not None)
    assert isinstance(bot.get_channel(forum_id), discord.ForumChannel)


async def test_message_content_requires_intent(server: FakeDiscord) -> None:
    intents = discord.Intents.default()
    intents.message_content = False
    bot = make_bot(intents)
    messages: list[discord.Message] = []

    @bot.listen()
    async def on_message(message: discord.Message) -> None:
        messages.append(message)

    async with running_bot(bot):
        await server.create_message(content="secret")
        await server.create_message(content=f"{server.bot_user.mention} hi")
        await server.wait_for(lambda: len(messages) == 2)
    assert [m.content for m in messages] == ["", f"{server.bot_user.mention} hi"]


# ----------------------------------------------------------------------------- DMs & files


async def test_dm_send_and_closed_dms(server: FakeDiscord) -> None:
    alice = server.add_user("alice")
    bob = server.add_user("bob", dms_open=False)
    bot = make_bot()
    async with running_bot(bot):
        user = await bot.fetch_user(alice.id)
        await user.send("Your JSS report is ready")
        closed = await bot.fetch_user(bob.id)
        with pytest.raises(discord.Forbidden) as excinfo:
            await closed.send("hello?")
    assert [m["content"] for m in server.dms_to(alice)] == ["Your JSS report is ready"]
    assert server.dms_to(bob) == []
    assert excinfo.value.status == 403 and excinfo.value.code == 50007
    assert server.calls_to("/users/@me/channels", "POST")[0].json == {"recipient_id": alice.id}


async def test_attachments_in_and_out(server: FakeDiscord) -> None:
    bot = make_bot()

    @bot.tree.command(name="upper", description="Uppercase a file")
    async def upper(interaction: discord.Interaction, file: discord.Attachment) -> None:
        data = await file.read()
        await interaction.response.send_message("here", file=discord.File(io.BytesIO(data.upper()), "out.txt"))

    async with running_bot(bot):
        await sync_to_guild(bot, server)
        handle = await server.send_slash_command("upper", {"file": FakeAttachment("in.txt", b"hello")})
        await handle.wait_for_response()
        channel = bot.get_channel(server.text_channel_id)
        assert isinstance(channel, discord.TextChannel)
        await channel.send(
            "two files", files=[discord.File(io.BytesIO(b"a"), "a.csv"), discord.File(io.BytesIO(b"b"), "b.png")]
        )
    assert handle.original is not None
    [attachment] = handle.original["attachments"]
    assert attachment["filename"] == "out.txt" and server.attachment_blobs[int(attachment["id"])] == b"HELLO"
    post = server.calls_to("/channels/{channel_id}/messages", "POST")[0]
    assert [(f.filename, f.data) for f in post.files] == [("a.csv", b"a"), ("b.png", b"b")]
    assert post.json["content"] == "two files"  # the payload_json part, schema-checked
    assert [a["filename"] for a in server.channel_messages()[-1]["attachments"]] == ["a.csv", "b.png"]


# ----------------------------------------------------------------------------- faults


async def test_429_is_waited_out_and_retried(server: FakeDiscord) -> None:
    bot = make_bot()
    async with running_bot(bot):
        channel = bot.get_channel(server.text_channel_id)
        assert isinstance(channel, discord.TextChannel)
        fault = server.rate_limit("/channels/{channel_id}/messages", retry_after=0.3, method="POST")
        started = time.perf_counter()
        message = await channel.send("after the rate limit")
        elapsed = time.perf_counter() - started
    assert message.content == "after the rate limit"
    assert elapsed >= 0.3
    assert len(fault.hits) == 1
    assert [c.status for c in server.calls_to("/channels/{channel_id}/messages", "POST")] == [429, 200]


async def test_5xx_is_retried(server: FakeDiscord) -> None:
    bot = make_bot()
    async with running_bot(bot):
        channel = bot.get_channel(server.text_channel_id)
        assert isinstance(channel, discord.TextChannel)
        server.server_error("/channels/{channel_id}/messages", status=502)
        message = await channel.send("eventually")
    assert message.content == "eventually"
    assert [c.status for c in server.calls_to("/channels/{channel_id}/messages", "POST")] == [502, 200]


async def test_gateway_disconnect_resumes_and_replays(server: FakeDiscord) -> None:
    bot = make_bot()
    resumed: list[bool] = []

    @bot.listen()
    async def on_resumed() -> None:
        resumed.append(True)

    @bot.tree.command(name="ping", description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    async with running_bot(bot):
        await sync_to_guild(bot, server)
        await server.disconnect_gateway()
        # Sent while the bot is away: must be replayed after RESUME.
        handle = await server.send_slash_command("ping")
        response = await handle.wait_for_response()
        await server.wait_for(lambda: resumed)
        await server.send_reconnect()  # op 7: Discord asks the client to reconnect and resume
        await server.wait_for(lambda: len(resumed) == 2)
        again = await (await server.send_slash_command("ping")).wait_for_response()
    assert response.content == again.content == "pong"
    assert server.resume_count == 2
    assert len(server.identify_payloads) == 1  # resumed, not re-identified
    assert server.gateway_connections == ["/gateway", "/gateway-resume", "/gateway-resume"]
    assert ("replay", "INTERACTION_CREATE") in server.gateway_log


async def test_dms_from_user_reach_the_bot(server: FakeDiscord) -> None:
    bot = make_bot()
    got: list[discord.Message] = []

    @bot.listen()
    async def on_message(message: discord.Message) -> None:
        got.append(message)

    async with running_bot(bot):
        await server.send_dm_to_bot("help me")
        await server.wait_for(lambda: got)
    assert isinstance(got[0].channel, discord.DMChannel) and got[0].content == "help me"


# ----------------------------------------------------------------------------- validation


@needs_spec
@pytest.mark.fakediscord(allow_schema_errors=True, allow_unknown_routes=True)  # provoked on purpose
async def test_schema_invalid_and_unknown_calls_are_caught(server: FakeDiscord) -> None:
    bot = make_bot()
    async with running_bot(bot):
        route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=server.text_channel_id)
        with pytest.raises(discord.HTTPException) as bad_type:
            await bot.http.request(route, json={"content": 123, "tts": "yes"})
        channel = bot.get_channel(server.text_channel_id)
        assert isinstance(channel, discord.TextChannel)
        with pytest.raises(discord.HTTPException) as too_long:
            await channel.send("x" * 2001)
        with pytest.raises(discord.NotFound):
            await bot.http.request(discord.http.Route("GET", "/not/a/route"))
    assert bad_type.value.status == 400 and bad_type.value.code == 50035
    assert "In content:" in str(bad_type.value)  # Discord's nested error format, as discord.py shows it
    assert too_long.value.status == 400
    schema, limit = server.schema_errors
    assert schema.kind == "schema" and schema.operation == "create_message"
    assert any(e.startswith("$.content") for e in schema.errors) or any(e.startswith("$.tts") for e in schema.errors)
    assert limit.kind == "limit" and "2000" in limit.errors[0]
    assert [c.path for c in server.unknown_routes] == ["/not/a/route"]
    assert server.channel_messages() == []


def test_missing_spec_is_reported_not_silently_valid(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "openapi.json"
    monkeypatch.setenv("DISCORD_OPENAPI_SPEC", str(missing))
    assert load_spec() is None
    server = FakeDiscord()
    assert server.spec is None
    assert server.spec_missing_reason is not None
    assert str(missing) in server.spec_missing_reason
    assert "discord/discord-api-spec" in server.spec_missing_reason


def _answer_with_embed_and_buttons() -> dict[str, object]:
    return {
        "type": 4,
        "data": {
            "content": "hi",
            "flags": 64,
            "allowed_mentions": {"parse": []},
            "embeds": [
                {
                    "title": "Should I close it?",
                    "description": "y" * 600,
                    "color": 0xE67E22,
                    "fields": [{"name": "Idle", "value": "91 days", "inline": True}] * 5,
                    "footer": {"text": "Estimates"},
                }
            ],
            "components": [
                {"type": 1, "components": [{"type": 2, "style": 2, "label": "Close now", "custom_id": "a:1"}] * 2}
            ],
        },
    }


def _broken(path: tuple[object, ...], value: object) -> dict[str, object]:
    body = _answer_with_embed_and_buttons()
    node: object = body
    for key in path[:-1]:
        node = node[key]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]
    return body


@needs_spec
@pytest.mark.parametrize(
    ("body", "valid"),
    [
        (_answer_with_embed_and_buttons(), True),
        ({"type": 5, "data": {"flags": 64}}, True),
        (_broken(("type",), 99), False),
        (_broken(("data", "embeds", 0, "color"), "orange"), False),
        (_broken(("data", "components", 0, "components", 0, "style"), 99), False),
        (_broken(("data", "content"), 123), False),
        (_broken(("data", "allowed_mentions", "parse"), ["everyone", "nobody"]), False),
        (_broken(("data", "embeds", 0, "fields", 0, "inline"), "yes"), False),
    ],
)
def test_fast_and_reference_validators_agree(body: dict[str, object], valid: bool) -> None:
    """The compiled validator only speeds the common case up: on valid and broken interaction answers
    it reaches the same verdict as the pure-Python reference, and a rejection is explained in words."""
    spec = load_spec()
    assert spec is not None
    op = spec.match("POST", "/interactions/1/token/callback")
    assert op is not None
    fast = spec._fast_validator(op, "request", "application/json")
    reference = spec._validator(op, "request", "application/json")
    assert fast is not None and reference is not None, "jsonschema_rs is part of the test extra"
    assert fast.is_valid(body) is valid
    assert reference.is_valid(body) is valid
    errors = spec.validate_request(op, body)
    assert (errors == []) is valid
    assert all(e.startswith("$") for e in errors)
