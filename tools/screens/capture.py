"""Drive the real bot through the local Discord as a user and record every reply that user sees.

The bot is the product's `AdvisorBot` (real discord.py, real SQLite, real templates) against
`tests.fakediscord`, on a simulated clock so reminder DMs can be sent without waiting. A step that fails
(a timeout, an internal error, a changed command) is recorded as a reply with an `error`, so one broken
answer never hides the others: the screens are for looking at, not a test.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import tempfile
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from bot.clock import VirtualClock
from bot.console.demo import demo_ledger
from bot.discord_app.client import AdvisorBot
from bot.discord_app.cogs.reminders import ReminderSetup
from bot.services.reminders.scheduler import SchedulerConfig
from scoring.model import Ledger
from tests.fakediscord import EPHEMERAL, FakeDiscord, FakeUser, InteractionHandle, discord_py_pointed_at, running_bot

# The tasks discord.py runs an interaction in: while one is pending, the bot may still answer.
_DISPATCH_TASKS = ("CommandTree-invoker", "discord-ui-", "discord.py: ")
STEP_SECONDS = 120.0  # a reply not there by then is recorded as an error (a hung step, not a slow machine)
DEMO_DAY = date(2026, 12, 4)  # the day of the issue-14 screens; the demo ledger is dated relative to it


@dataclass
class Attachment:
    filename: str
    content_type: str
    size: int
    data: bytes = field(repr=False)


@dataclass
class Message:
    """One message as the user sees it: its content, embeds, components and attachments."""

    payload: dict[str, Any]
    attachments: list[Attachment]
    kind: str  # reply | followup | update | modal | dm | channel

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.payload.get("flags") or 0) & EPHEMERAL)


@dataclass
class Reply:
    """What the user did (`action`) and everything they saw because of it."""

    slug: str
    action: str
    origin: str = "command"  # command | click (a button or form of an earlier reply) | dm | post | failure
    messages: list[Message] = field(default_factory=list)
    error: str | None = None
    log: list[str] = field(default_factory=list)  # ERROR lines the bot logged meanwhile

    def summary(self) -> dict[str, Any]:
        """The JSON-able record (attachments by file name; their bytes are saved beside it)."""
        return {
            "slug": self.slug,
            "action": self.action,
            "origin": self.origin,
            "error": self.error,
            "log": self.log,
            "messages": [
                {
                    "kind": m.kind,
                    "ephemeral": m.ephemeral,
                    "content": m.payload.get("content") or "",
                    "embeds": m.payload.get("embeds") or [],
                    "components": m.payload.get("components") or [],
                    "attachments": [
                        {"filename": a.filename, "content_type": a.content_type, "size": a.size} for a in m.attachments
                    ],
                    "title": (m.payload.get("title") or ""),  # a modal's
                }
                for m in self.messages
            ],
        }


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "reply"


class _ErrorLog(logging.Handler):
    """Keeps the bot's ERROR records (an internal error answered, an exception discord.py swallowed)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


@dataclass
class Shot:
    """The interaction behind a recorded reply, for clicking its buttons next."""

    reply: Reply
    handle: InteractionHandle | None
    user: FakeUser | None = None  # who did it (None: the session's user); their clicks continue it

    @property
    def last(self) -> dict[str, Any] | None:
        msgs = [m.payload for m in self.reply.messages if m.kind != "modal"]
        return msgs[-1] if msgs else None


class Session:
    """One user of the bot, with the demo ledger; each method is one thing the user does, recorded."""

    def __init__(self, bot: AdvisorBot, server: FakeDiscord, clock: VirtualClock, as_of: date) -> None:
        self.bot, self.server, self.clock, self.as_of = bot, server, clock, as_of
        self.user = server.default_user
        self.replies: list[Reply] = []
        self._errors = _ErrorLog()
        self._dms_seen: dict[int, int] = {}

    # ------------------------------------------------------------------ the ledger
    def uid(self, user: FakeUser | None = None) -> str:
        return str((user or self.user).id)

    async def load(self, ledger: Ledger | None = None, user: FakeUser | None = None) -> None:
        """Give the user the demo ledger again (or `ledger`): steps that change it start from the same state."""
        await self.bot.services.context.store.import_ledger(
            self.uid(user), ledger or demo_ledger(self.as_of), "replace"
        )

    def has_command(self, path: str) -> bool:
        """Whether the bot registered this slash command ("start", "contract list")."""
        return path in command_paths(self.server.commands(self.server.guild_id))

    def demo_ids(self, open_only: bool = False) -> list[str]:
        return [c.id for c in demo_ledger(self.as_of).contracts if c.is_open or not open_only]

    # ------------------------------------------------------------------ recording
    def _new(self, action: str, origin: str = "command") -> Reply:
        reply = Reply(f"{len(self.replies) + 1:02d}-{slugify(action)}", action, origin)
        self.replies.append(reply)
        self._errors.lines.clear()
        return reply

    def _message(self, payload: Mapping[str, Any], kind: str) -> Message:
        atts = []
        for a in payload.get("attachments") or []:
            data = self.server.attachment_blobs.get(int(a["id"]), b"")
            atts.append(Attachment(str(a["filename"]), str(a.get("content_type") or ""), int(a.get("size") or 0), data))
        return Message(dict(payload), atts, kind)

    def failed(self, what: str, exc: BaseException) -> Reply:
        """Record a failure outside any one interaction (setting up a step) as a reply of its own."""
        reply = self._new(f"{what} failed", "failure")
        reply.error = f"{type(exc).__name__}: {exc}"
        reply.log.append("".join(traceback.format_exception(exc, limit=6)))
        return reply

    @contextlib.contextmanager
    def _step(self, reply: Reply) -> Iterator[None]:
        try:
            yield
        except Exception as exc:  # recorded, and the next step runs
            reply.error = f"{type(exc).__name__}: {exc}"
            reply.log.append("".join(traceback.format_exception(exc, limit=4)))
        reply.log += self._errors.lines

    async def _idle(self) -> None:
        """Until no interaction task of the bot is pending: every message it meant to send is sent."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STEP_SECONDS
        while loop.time() < deadline:
            for _ in range(5):
                await asyncio.sleep(0)
            busy = [t for t in asyncio.all_tasks() if not t.done() and t.get_name().startswith(_DISPATCH_TASKS)]
            if not busy:
                return
            await asyncio.wait(busy, timeout=max(0.0, deadline - loop.time()))
        raise TimeoutError(f"the bot was still answering after {STEP_SECONDS:.0f} s")

    async def _settle(self, reply: Reply, handle: InteractionHandle) -> None:
        response = await handle.wait_for_response(STEP_SECONDS)
        if response.type == 9:  # a form: what the user sees is the form itself
            reply.messages.append(self._message({**(response.data or {}), "flags": 0}, "modal"))
            return
        if response.type == 5:
            await handle.wait_for_followups(1, STEP_SECONDS)
        await self._idle()
        kind = "update" if response.type in (6, 7) else "reply"
        if handle.original is not None and not handle.original_deleted:
            reply.messages.append(self._message(handle.original, kind))
        for m in handle.followups:
            if m is not handle.original:
                reply.messages.append(self._message(m, "followup"))

    async def run(
        self,
        action: str,
        send: Callable[[], Awaitable[InteractionHandle]],
        *,
        fresh: bool = False,
        user: FakeUser | None = None,
        origin: str = "command",
    ) -> Shot:
        """Record one interaction: `send` starts it; the reply holds every message the user then sees."""
        if fresh:
            await self.load()
        reply = self._new(action, origin)
        handle: InteractionHandle | None = None
        with self._step(reply):
            handle = await send()
            await self._settle(reply, handle)
        return Shot(reply, handle, user)

    async def slash(
        self,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        user: FakeUser | None = None,
        fresh: bool = False,
        label: str | None = None,
    ) -> Shot:
        shown = " ".join(f"{k}:{getattr(v, 'filename', v)}" for k, v in (options or {}).items())
        action = label or f"/{name} {shown}".strip()
        return await self.run(
            action, lambda: self.server.send_slash_command(name, dict(options or {}), user=user), fresh=fresh, user=user
        )

    def buttons(self, shot: Shot) -> list[dict[str, Any]]:
        """The clickable buttons (not links) under the shot's last message, in order."""
        found: list[dict[str, Any]] = []

        def walk(components: Sequence[Mapping[str, Any]]) -> None:
            for c in components:
                if c.get("type") == 2 and c.get("custom_id") and not c.get("disabled"):
                    found.append(dict(c))
                walk(c.get("components") or [])

        walk((shot.last or {}).get("components") or [])
        return found

    async def click(self, shot: Shot, button: Mapping[str, Any], *, fresh: bool = False) -> Shot:
        """A click on a button of the shot's last message, as it is now (edits applied), by the same user."""
        message = shot.last
        assert message is not None
        user = shot.user or self.user
        action = f"{shot.reply.action}  >  [{button.get('label') or button.get('custom_id')}]"

        async def send() -> InteractionHandle:
            current = self.server.get_message(message["id"])
            return await self.server.send_component(str(button["custom_id"]), message=current, user=user)

        return await self.run(action, send, fresh=fresh, user=user, origin="click")

    async def click_all(self, shot: Shot, *, skip: Sequence[str] = (), fresh: bool = True) -> list[Shot]:
        """Click each button under a reply (on a fresh demo ledger each time, so one click cannot change
        what the next shows); `skip` names labels not to click."""
        shots = []
        for button in self.buttons(shot):
            if str(button.get("label")) not in skip:
                shots.append(await self.click(shot, button, fresh=fresh))
        return shots

    async def submit(self, shot: Shot, values: Mapping[str, str], label: str) -> Shot:
        custom_id = shot.handle.response.custom_id if shot.handle and shot.handle.response else None
        if custom_id is None:
            reply = self._new(label, "click")
            reply.error = "no form was shown to fill in"
            return Shot(reply, None)
        return await self.run(
            label,
            lambda: self.server.send_modal_submit(str(custom_id), dict(values), user=shot.user),
            user=shot.user,
            origin="click",
        )

    async def menu(self, name: str, content: str) -> Shot:
        """The user posts `content` in the channel, then picks Apps > `name` on that message."""

        async def send() -> InteractionHandle:
            target = await self.server.create_message(content=content, author=self.user)
            return await self.server.send_message_context_menu(name, target, user=self.user)

        return await self.run(f'Apps > "{name}" on a message: "{content}"', send)

    async def forum_post(self, title: str, content: str) -> Reply:
        """A member posts in the forum the bot answers in; the reply is the bot's public answer there."""
        reply = self._new(f'forum post "{title}"', "post")
        with self._step(reply):
            thread, _ = await self.server.create_forum_thread(self.server.forum_channel_id, title, content)
            bot_id = str(self.server.bot_user.id)

            def answered() -> bool:
                return any(m["author"]["id"] == bot_id for m in self.server.channel_messages(int(thread["id"])))

            await self.server.wait_for(answered, timeout=STEP_SECONDS, what="the bot's answer in the forum")
            await self._idle()
            for m in self.server.channel_messages(int(thread["id"])):
                if m["author"]["id"] == bot_id:
                    reply.messages.append(self._message(m, "channel"))
        return reply

    async def dms_until(self, until: datetime, label: str) -> list[Shot]:
        """Let simulated time run to `until`; each DM the bot sent meanwhile is a reply of its own."""
        await self.clock.run_until(until)
        await self._idle()
        shots = []
        sent = self.server.dms_to(self.user)
        for m in sent[self._dms_seen.get(self.user.id, 0) :]:
            title = m["embeds"][0].get("title", "") if m.get("embeds") else m.get("content", "")[:60]
            reply = self._new(f"{label}: DM {title}".strip(), "dm")
            reply.messages.append(self._message(m, "dm"))
            shots.append(Shot(reply, None))
        self._dms_seen[self.user.id] = len(sent)
        return shots


Script = Callable[[Session], Awaitable[None]]


@contextlib.asynccontextmanager
async def running_session(as_of: date, db_dir: Path | None = None) -> AsyncIterator[Session]:
    """The bot on a fresh database, started against a fresh local Discord, with the demo ledger loaded."""
    clock = VirtualClock(datetime.combine(as_of, time(12), tzinfo=UTC))
    with contextlib.ExitStack() as stack:
        folder = db_dir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jss-screens-")))
        async with FakeDiscord() as server:
            with discord_py_pointed_at(server):
                bot = AdvisorBot(
                    folder / "screens.db",
                    dev_guild_id=server.guild_id,
                    clock=clock,
                    guild_ready_timeout=0.05,
                    answer_budget=float("inf"),  # no "thinking..." unless the command always defers
                    heavy_limit=None,
                    engine_workers=False,  # engine inline: every answer is done when its interaction task is
                )
                # Reminders go out as soon as they are due on the simulated clock (the reminder tests do the same).
                bot.reminder_setup = ReminderSetup(SchedulerConfig(max_idle=None, dm_rate=1000, dm_burst=100))  # type: ignore[attr-defined]
                async with running_bot(bot):
                    session = Session(bot, server, clock, as_of)
                    root = logging.getLogger()
                    root.addHandler(session._errors)
                    try:
                        await session.load()
                        yield session
                    finally:
                        root.removeHandler(session._errors)


@dataclass
class Capture:
    replies: list[Reply]  # in the order the user saw them
    problems: list[str]  # what real Discord would have rejected (the local Discord checks every REST call)
    commands: list[str]  # every slash command the bot registered ("contract list", "jss show", ...)


def command_paths(registered: Sequence[Mapping[str, Any]]) -> list[str]:
    """The path of each slash command (type 1) and subcommand: "group sub" or "name"."""
    paths: list[str] = []

    def walk(path: str, options: Sequence[Mapping[str, Any]]) -> None:
        subs = [o for o in options if o.get("type") in (1, 2)]
        if not subs:
            paths.append(path)
        for sub in subs:
            walk(f"{path} {sub['name']}", sub.get("options") or [])

    for command in registered:
        if command.get("type", 1) == 1:
            walk(str(command["name"]), command.get("options") or [])
    return paths


async def capture(script: Script, as_of: date = DEMO_DAY) -> Capture:
    """Run `script` as the demo user and record what they saw."""
    async with running_session(as_of) as session:
        await script(session)
        problems = [str(p) for p in session.server.problems()]
        commands = command_paths(session.server.commands(session.server.guild_id))
        return Capture(session.replies, problems, commands)
