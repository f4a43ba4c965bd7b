"""A local Discord for tests: real gateway + REST protocol on 127.0.0.1.

Why: the bot's behaviour only means something if the real, unmodified discord.py talks to
something that answers like Discord.  :class:`FakeDiscord` is an aiohttp server that
speaks the v10 gateway (HELLO, IDENTIFY/READY, GUILD_CREATE, heartbeats, RESUME with event
replay) and the REST routes discord.py uses for login, command sync, interaction
callbacks, followups, messages, DMs and threads.  Every REST body is validated against
Discord's OpenAPI spec (see :mod:`tests.fakediscord.openapi`) and against the message
limits Discord enforces, so a payload that real Discord would reject fails the test here.

Tests act as users through the dispatch helpers (``send_slash_command``,
``send_component``, ``create_message`` ...) and assert on what a user would see through
the records (``channel_messages``, ``dms_to``, the :class:`InteractionHandle` of an
interaction, ``calls``).  Faults (429s, 5xx, gateway drops, closed DMs) are injectable.

Only one application (one bot) is modelled; every gateway session belongs to it. It may run in shards,
as Discord's bots do past 2,500 guilds: ``FakeDiscord(shard_count=N)`` makes ``GET /gateway/bot``
recommend N shards and refuses an IDENTIFY with fewer (4011) or an invalid ``shard`` (4010); each guild
belongs to shard ``(guild_id >> 22) % shard_count`` of every session, which alone gets its events
(GUILD_CREATE, INTERACTION_CREATE in it ...), and DMs go to shard 0. ``add_guild`` adds guilds (every
member of the first guild is a member of each; ``add_guild(shard=(i, n))`` puts one on a given shard).
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import json
import logging
import mimetypes
import re
import secrets
import threading
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from aiohttp import BodyPartReader, WSMsgType, web

from .openapi import OpenAPISpec, PathMatcher, load_spec, spec_unavailable_reason

__all__ = [
    "EPHEMERAL",
    "LOADING",
    "ApiError",
    "FakeAttachment",
    "FakeDiscord",
    "FakeUser",
    "Fault",
    "GatewayError",
    "InteractionHandle",
    "InteractionResponse",
    "RestCall",
    "SchemaViolation",
    "SnowflakeGenerator",
    "UploadedFile",
    "snowflake_time",
]

_log = logging.getLogger(__name__)
# How long a test waits for the bot before failing: a bound on hangs, not a speed requirement (a loaded
# CI machine may take seconds to draw a chart); a passing test never waits for it.
WAIT_LIMIT = 60.0

T = TypeVar("T")

# =============================================================================== constants

DISCORD_EPOCH_MS = 1420070400000
EPHEMERAL = 1 << 6  # message flag 64
LOADING = 1 << 7  # message flag 128: the "Bot is thinking..." placeholder of a deferred reply
# The flags an edit may change (Discord, Edit Message: only SUPPRESS_EMBEDS can be set/unset, IS_COMPONENTS_V2
# set); the rest, EPHEMERAL included, is the message's for life. SimCord showed the fake replaced them all.
EDITABLE_FLAGS = (1 << 2) | (1 << 15)
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024

# Permission bits used to build realistic member / app permission strings.
P_CREATE_INVITE = 1 << 0
P_ADMINISTRATOR = 1 << 3
P_ADD_REACTIONS = 1 << 6
P_VIEW_CHANNEL = 1 << 10
P_SEND_MESSAGES = 1 << 11
P_EMBED_LINKS = 1 << 14
P_ATTACH_FILES = 1 << 15
P_READ_MESSAGE_HISTORY = 1 << 16
P_USE_EXTERNAL_EMOJIS = 1 << 18
P_CHANGE_NICKNAME = 1 << 26
P_USE_APPLICATION_COMMANDS = 1 << 31
P_MANAGE_THREADS = 1 << 34
P_CREATE_PUBLIC_THREADS = 1 << 35
P_SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 51) - 1
EVERYONE_PERMISSIONS = (
    P_CREATE_INVITE
    | P_ADD_REACTIONS
    | P_VIEW_CHANNEL
    | P_SEND_MESSAGES
    | P_EMBED_LINKS
    | P_ATTACH_FILES
    | P_READ_MESSAGE_HISTORY
    | P_USE_EXTERNAL_EMOJIS
    | P_CHANGE_NICKNAME
    | P_USE_APPLICATION_COMMANDS
    | P_CREATE_PUBLIC_THREADS
    | P_SEND_MESSAGES_IN_THREADS
)
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | P_MANAGE_THREADS

# Gateway intents (bit -> name) and which events each gates.
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_GUILD_MESSAGE_REACTIONS = 1 << 10
INTENT_GUILD_MESSAGE_TYPING = 1 << 11
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_DIRECT_MESSAGE_REACTIONS = 1 << 13
INTENT_DIRECT_MESSAGE_TYPING = 1 << 14
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT

CHANNEL_TEXT = 0
CHANNEL_DM = 1
CHANNEL_PUBLIC_THREAD = 11
CHANNEL_PRIVATE_THREAD = 12
CHANNEL_FORUM = 15
THREAD_TYPES = (10, CHANNEL_PUBLIC_THREAD, CHANNEL_PRIVATE_THREAD)

# Option types of application commands.
OPT_SUB_COMMAND, OPT_SUB_COMMAND_GROUP = 1, 2
OPT_STRING, OPT_INTEGER, OPT_BOOLEAN, OPT_USER = 3, 4, 5, 6
OPT_CHANNEL, OPT_ROLE, OPT_MENTIONABLE, OPT_NUMBER, OPT_ATTACHMENT = 7, 8, 9, 10, 11

# Message limits Discord enforces beyond what the spec's schemas express.
MAX_CONTENT = 2000
MAX_EMBED_TOTAL = 6000
# How long Discord remembers a message nonce for enforce_nonce ("the past few minutes").
NONCE_WINDOW_SECONDS = 300.0


def iso_now() -> str:
    """Discord's timestamp format (ISO 8601 with offset), for message and member fields."""
    return datetime.now(UTC).isoformat()


def snowflake_time(snowflake: int) -> datetime:
    """When a snowflake was minted: lets tests check ids are real, time-ordered snowflakes."""
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, UTC)


# =============================================================================== records


class SnowflakeGenerator:
    """Real Discord snowflakes: ms since the Discord epoch, worker, process, increment.

    Ids strictly increase, so "newer message has the bigger id" holds and
    ``discord.utils.snowflake_time`` gives back the wall-clock moment they were made.
    """

    def __init__(self, worker: int = 1, process: int = 1) -> None:
        self._worker = worker & 0x1F
        self._process = process & 0x1F
        self._last_ms = 0
        self._increment = 0
        self._lock = threading.Lock()

    def next_on_shard(self, shard_id: int, shard_count: int) -> int:
        """A fresh id that falls on shard ``shard_id`` of ``shard_count`` (its timestamp moved forward by
        less than ``shard_count`` ms; later ids stay bigger)."""
        with self._lock:
            now = max(self._last_ms + 1, int(time.time() * 1000) - DISCORD_EPOCH_MS)
            now += (shard_id - now) % shard_count
            self._last_ms, self._increment = now, 0
            return (now << 22) | (self._worker << 17) | (self._process << 12)

    def next(self) -> int:
        with self._lock:
            now = int(time.time() * 1000) - DISCORD_EPOCH_MS
            if now <= self._last_ms:
                now = self._last_ms
                self._increment += 1
                if self._increment > 0xFFF:
                    now += 1
                    self._increment = 0
            else:
                self._increment = 0
            self._last_ms = now
            return (now << 22) | (self._worker << 17) | (self._process << 12) | self._increment


@dataclass
class FakeUser:
    """A Discord user the tests act as (or the bot itself when ``bot=True``).

    ``dms_open=False`` makes ``POST /channels/{dm}/messages`` answer 403/50007 like a user
    who blocked the bot or closed DMs.  ``roles`` are guild role ids.
    """

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    dms_open: bool = True
    roles: list[int] = field(default_factory=list)
    locale: str = "en-US"
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)

    def payload(self) -> dict[str, Any]:
        """The user object as Discord sends it (gateway and REST)."""
        data: dict[str, Any] = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "avatar_decoration_data": None,
            "banner": None,
            "accent_color": None,
            "public_flags": 0,
            "flags": 0,
            "collectibles": None,
            "primary_guild": None,
        }
        if self.bot:
            data["bot"] = True
        return data

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass
class FakeAttachment:
    """A file a user attaches to a slash command option or a message.

    The server hosts the bytes at the attachment's ``url`` so ``Attachment.read()`` in the
    bot downloads them from the fake CDN.
    """

    filename: str
    content: bytes
    content_type: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request the bot sent (``files[n]``)."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class RestCall:
    """One REST request the bot made, with the answer it got."""

    method: str
    path: str
    template: str | None
    query: dict[str, str]
    json: Any
    files: list[UploadedFile]
    content_type: str | None
    at: float
    status: int = 0
    response: Any = None
    token: str | None = None  # the bot token it came with: tells several bot processes apart
    dropped: bool = False  # a request listener dropped it before it was handled

    def __repr__(self) -> str:
        return f"<RestCall {self.method} {self.path} -> {self.status}>"


@dataclass(frozen=True)
class SchemaViolation:
    """A request body that real Discord would reject (schema, limit or encoding problem)."""

    method: str
    path: str
    operation: str
    kind: str  # "schema" | "limit" | "encoding"
    errors: tuple[str, ...]
    body: Any

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.operation}, {self.kind}): " + "; ".join(self.errors)


@dataclass(frozen=True)
class GatewayError:
    """Something the client did on the gateway that real Discord would close it for."""

    message: str
    payload: Any = None


@dataclass
class Fault:
    """An injected failure: the next ``remaining`` matching calls get this answer (after ``skip`` matching
    calls went through normally: "the third message of this DM fails")."""

    pattern: str
    method: str | None
    status: int
    remaining: int
    retry_after: float = 0.0
    is_global: bool = False
    body: Any = None
    hits: list[RestCall] = field(default_factory=list)
    skip: int = 0


@dataclass
class InteractionResponse:
    """The bot's answer to an interaction (the callback), as a user would experience it."""

    type: int
    data: dict[str, Any] | None
    at: float

    @property
    def flags(self) -> int:
        return int((self.data or {}).get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def content(self) -> str | None:
        return (self.data or {}).get("content")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return list((self.data or {}).get("embeds") or [])

    @property
    def components(self) -> list[dict[str, Any]]:
        return list((self.data or {}).get("components") or [])

    @property
    def choices(self) -> list[dict[str, Any]]:
        """Autocomplete choices (type 8 responses)."""
        return list((self.data or {}).get("choices") or [])

    @property
    def custom_id(self) -> str | None:
        """Modal custom_id (type 9 responses)."""
        return (self.data or {}).get("custom_id")


class ApiError(Exception):
    """Raised by a route handler to answer with a Discord JSON error."""

    def __init__(self, status: int, code: int, message: str, errors: Any = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def _unknown(what: str, code: int) -> ApiError:
    return ApiError(404, code, f"Unknown {what}")


# =============================================================================== interactions


class InteractionHandle:
    """One interaction sent to the bot, and everything the bot answered to it.

    ``response`` is the callback; ``original`` the current state of the message the
    callback created or the component message it updated (edits applied;
    ``original_deleted`` once deleted); ``followups`` the followup messages as last seen.
    ``payload`` is the exact INTERACTION_CREATE data the bot received.
    """

    def __init__(self, server: FakeDiscord, payload: dict[str, Any], user: FakeUser) -> None:
        self.server = server
        self.payload = payload
        self.id = int(payload["id"])
        self.token: str = payload["token"]
        self.type: int = payload["type"]
        self.user = user
        self.guild_id: int | None = int(payload["guild_id"]) if payload.get("guild_id") else None
        self.channel_id: int = int(payload["channel"]["id"])
        self.dispatched_at = time.perf_counter()
        self.response: InteractionResponse | None = None
        self.original: dict[str, Any] | None = None
        self.original_deleted = False
        self.followups: list[dict[str, Any]] = []
        self.late_callback = False  # the bot answered after the 3 s deadline (Discord: 10062)
        self.source: InteractionHandle | None = None  # for modal submits: the interaction that opened it
        self._deferred_loading = False

    def __repr__(self) -> str:
        return f"<InteractionHandle id={self.id} type={self.type} response={self.response!r}>"

    @property
    def acknowledged(self) -> bool:
        return self.response is not None

    @property
    def latency(self) -> float | None:
        """Seconds from dispatch to the callback reaching the server."""
        if self.response is None:
            return None
        return self.response.at - self.dispatched_at

    async def wait_for_response(self, timeout: float = WAIT_LIMIT) -> InteractionResponse:  # noqa: ASYNC109
        """Wait for the bot's callback; a bot that never answers fails the test here."""
        await self.server.wait_for(
            lambda: self.response is not None or self.late_callback,
            timeout=timeout,
            what=f"a response to {self!r}",
            poll=None,
        )
        if self.response is None:
            raise AssertionError(
                f"the bot answered {self!r} after Discord's {self.server.interaction_deadline}s deadline "
                "(Discord: 404 Unknown interaction); defer() first"
            )
        return self.response

    async def wait_for_followups(self, count: int = 1, timeout: float = WAIT_LIMIT) -> list[dict[str, Any]]:  # noqa: ASYNC109
        """Wait until the bot has sent ``count`` followup messages; returns them all."""
        await self.server.wait_for(
            lambda: len(self.followups) >= count,
            timeout=timeout,
            what=f"{count} followup(s) to {self!r}",
            poll=None,
        )
        return list(self.followups)

    async def wait_for_original(
        self,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
        timeout: float = WAIT_LIMIT,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Wait until the original response message exists (and satisfies ``predicate``)."""

        def ready() -> bool:
            if self.original is None:
                return False
            return predicate(self.original) if predicate else not (self.original.get("flags", 0) & LOADING)

        await self.server.wait_for(ready, timeout=timeout, what=f"the original response of {self!r}", poll=None)
        assert self.original is not None
        return self.original

    def visible_messages(self) -> list[dict[str, Any]]:
        """Every message this interaction produced that the invoking user can see."""
        out = [] if self.original is None or self.original_deleted else [self.original]
        return out + [m for m in self.followups if m is not self.original]


# =============================================================================== gateway


class _Connection:
    """One websocket: serialises sends so zlib-stream frames stay in order."""

    def __init__(self, ws: web.WebSocketResponse, compress: bool) -> None:
        self.ws = ws
        self.session: _Session | None = None
        self.closed_by_server = False
        self._lock = asyncio.Lock()
        self._zlib = zlib.compressobj() if compress else None

    async def send(self, frame: Mapping[str, Any]) -> None:
        text = json.dumps(frame, separators=(",", ":"))
        async with self._lock:
            if self.ws.closed:
                raise ConnectionResetError("gateway connection closed")
            if self._zlib is not None:
                data = self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)
            else:
                await self.ws.send_str(text)


class _Session:
    """A gateway session: survives disconnects so RESUME can replay what was missed."""

    def __init__(self, session_id: str, intents: int, shard: list[int] | None) -> None:
        self.id = session_id
        self.intents = intents
        self.shard = shard
        self.seq = 0
        self.buffer: list[dict[str, Any]] = []
        self.conn: _Connection | None = None
        self.invalidated = False
        self.lock = asyncio.Lock()


# =============================================================================== the server

_Handler = Callable[["_Request"], Awaitable[Any]]


@dataclass
class _Request:
    method: str
    path: str
    template: str
    params: dict[str, str]
    query: Mapping[str, str]
    json: Any
    files: list[UploadedFile]
    headers: Mapping[str, str]
    call: RestCall | None = None


class _NoContent:
    """Sentinel a handler returns for a 204."""


NO_CONTENT = _NoContent()


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


def _walk_components(components: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    for comp in components or ():
        yield comp
        if comp.get("components"):
            yield from _walk_components(comp["components"])
        if isinstance(comp.get("component"), Mapping):
            yield from _walk_components([comp["component"]])
        if isinstance(comp.get("accessory"), Mapping):
            yield from _walk_components([comp["accessory"]])


def _form_errors(errors: Iterable[str]) -> dict[str, Any]:
    """Discord's nested 50035 ``errors`` object from ``"$.a.b[0]: message"`` lines.

    discord.py flattens it into "In a.b.0: message", so the bot's logs read like real
    Discord's.
    """
    tree: dict[str, Any] = {}
    for line in errors:
        path, _, message = line.partition(": ")
        if not message or not path.startswith("$"):
            path, message = "$", line
        keys = [k for k in re.split(r"\.|\[(\d+)\]", path[1:]) if k]
        node = tree
        for key in keys:
            node = node.setdefault(key, {})
        node.setdefault("_errors", []).append({"code": "INVALID_FORM_BODY", "message": message})
    return tree


def _number_components(components: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Echo components as Discord does: every component gets a numeric ``id`` (depth-first,
    from 1) and selects get their default ``min_values``/``max_values``."""
    counter = iter(range(1, 10_000))

    def visit(comp: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(comp)
        out.setdefault("id", next(counter))
        if out.get("type") in (3, 5, 6, 7, 8):
            out.setdefault("min_values", 1)
            out.setdefault("max_values", 1)
        if isinstance(out.get("components"), list):
            out["components"] = [visit(c) for c in out["components"]]
        for key in ("component", "accessory"):
            if isinstance(out.get(key), Mapping):
                out[key] = visit(out[key])
        return out

    return [visit(c) for c in components]


class FakeDiscord:
    """The local Discord.  Start it, point discord.py at it, act as users, assert.

    >>> server = FakeDiscord(); await server.start()   # doctest: +SKIP
    >>> server.base_url                                # http://127.0.0.1:PORT
    """

    def __init__(
        self,
        *,
        spec: OpenAPISpec | None | str = "auto",
        token: str | None = None,
        bot_name: str = "JSS Advisor",
        gateway_compression: bool = False,
        interaction_deadline: float = 3.0,
        heartbeat_interval_ms: int = 41250,
        ratelimit_headers: bool = True,
        privileged_intents: int = PRIVILEGED_INTENTS,
        require_registered_commands: bool = True,
        shard_count: int = 1,
    ) -> None:
        """Build the world (app, bot, one guild with a text and a forum channel, a user).

        ``spec="auto"`` loads Discord's OpenAPI spec from the default location; ``None``
        disables schema validation.  ``token`` None accepts any bot token.
        ``gateway_compression`` sends zlib-stream binary frames when the client asks for
        them (plain JSON text frames otherwise).  ``interaction_deadline`` is Discord's 3 s
        window to answer an interaction.  ``privileged_intents`` are the ones "enabled in
        the developer portal"; identifying with others closes the gateway with 4014.
        ``shard_count`` is the number of shards ``GET /gateway/bot`` recommends and the fewest an
        IDENTIFY may use (fewer: 4011, sharding required).
        """
        if shard_count < 1:
            raise ValueError("shard_count must be at least 1")
        self.shard_count = shard_count
        if spec == "auto":
            self.spec: OpenAPISpec | None = load_spec()
            self.spec_missing_reason: str | None = None if self.spec else spec_unavailable_reason()
        elif isinstance(spec, str):
            raise ValueError("spec must be 'auto', an OpenAPISpec or None")
        else:
            self.spec = spec
            self.spec_missing_reason = None if spec else "schema validation disabled (spec=None)"
        if self.spec_missing_reason:
            _log.warning("fakediscord: %s", self.spec_missing_reason)

        self.token = token
        self.gateway_compression = gateway_compression
        self.interaction_deadline = interaction_deadline
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.ratelimit_headers = ratelimit_headers
        self.privileged_intents = privileged_intents
        self.require_registered_commands = require_registered_commands
        self.allow_schema_errors = False  # set True in a test that provokes them on purpose
        self.allow_unknown_routes = False
        self.allow_gateway_errors = False
        # Check the fake's own answers against the spec's response schemas (~2 ms per
        # message object, so off by default; the harness's own tests turn it on).
        self.validate_responses = False

        self.snowflakes = SnowflakeGenerator()
        self._sid = self.snowflakes.next
        self._sessions: dict[str, _Session] = {}
        # World changes made while a bot is connected (new channel, member, role) are
        # announced to it, as Discord does, ahead of the next dispatch or flush_events().
        self._pending_events: list[tuple[str, dict[str, Any]]] = []

        # ---- identity
        self.application_id = self._sid()
        self.bot_user = FakeUser(self.application_id, bot_name.replace(" ", ""), bot_name, bot=True)
        self.owner = FakeUser(self._sid(), "owner", "App Owner")
        self.users: dict[int, FakeUser] = {}
        for user in (self.bot_user, self.owner):
            self.users[user.id] = user

        # ---- the guild
        self.guild_id = self._sid()
        self.guild_name = "JSS Test Guild"
        # Every guild: id -> {"name", "text_channel_id"}; roles of guilds other than the first, by role id.
        self.guilds: dict[int, dict[str, Any]] = {}
        self._role_guild: dict[int, int] = {}
        self.roles: dict[int, dict[str, Any]] = {}
        self.channels: dict[int, dict[str, Any]] = {}
        self.members: set[int] = set()
        self._add_role_payload(self.guild_id, "@everyone", EVERYONE_PERMISSIONS, position=0)
        self.bot_role_id = self.add_role(bot_name, BOT_PERMISSIONS, managed=True)
        self.admin_role_id = self.add_role("Admin", P_ADMINISTRATOR)
        self.text_channel_id = self.add_channel("general", CHANNEL_TEXT)
        self.forum_channel_id = self.add_channel("help-forum", CHANNEL_FORUM, tags=["question", "solved"])
        self.guilds[self.guild_id] = {"name": self.guild_name, "text_channel_id": self.text_channel_id}
        self.bot_user.roles = [self.bot_role_id]
        self.members.add(self.bot_user.id)
        self.default_user = self.add_user("tester", "Test User")

        # ---- state
        self.messages: dict[int, list[dict[str, Any]]] = {}
        self._message_index: dict[int, dict[str, Any]] = {}
        self._dm_channel_of_user: dict[int, int] = {}
        self.attachment_blobs: dict[int, bytes] = {}
        self.global_commands: dict[int, dict[str, Any]] = {}
        self.guild_commands: dict[int, dict[int, dict[str, Any]]] = {}
        self.interactions: dict[int, InteractionHandle] = {}
        self.reactions: list[tuple[str, int, int, str]] = []  # (action, channel, message, emoji)

        # ---- records
        self.calls: list[RestCall] = []
        self.schema_errors: list[SchemaViolation] = []
        self.unknown_routes: list[RestCall] = []
        self.response_schema_errors: list[str] = []  # the fake's own answers vs the spec
        self.gateway_errors: list[GatewayError] = []
        self.gateway_log: list[tuple[str, Any]] = []  # ("recv", op) / ("send"|"replay", event)
        self.gateway_connections: list[str] = []  # path of each websocket opened
        self.presence_updates: list[dict[str, Any]] = []
        self.identify_payloads: list[dict[str, Any]] = []
        self.resume_count = 0
        self.faults: list[Fault] = []
        # Message nonces with enforce_nonce: (author id, nonce) -> (monotonic time, message id).
        self.nonce_window = NONCE_WINDOW_SECONDS
        self._nonces: dict[tuple[int, str], tuple[float, int]] = {}
        # Called synchronously with each new bot message in a DM channel, right after it is stored and
        # before the bot gets the answer: a test can act at an exact point of a sender's progress.
        self.dm_listeners: list[Callable[[dict[str, Any]], None]] = []
        # The same, with the request that made the message (its `token` names the bot process that sent it).
        self.dm_call_listeners: list[Callable[[dict[str, Any], RestCall], None]] = []
        # Called synchronously with each routed, authorised request just before it is handled (nothing of it
        # done yet): a test can stop a bot process at the moment it asks Discord for something. A listener
        # returning True drops the request unhandled, as if the client had died before sending it (it is
        # answered 503 and marked `dropped`).
        self.request_listeners: list[Callable[[RestCall], bool | None]] = []

        self._connections: set[_Connection] = set()
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._routes: dict[tuple[str, str], _Handler] = {}
        self._register_routes()
        self._route_matcher = PathMatcher({template for _method, template in self._routes})

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> FakeDiscord:
        """Listen on 127.0.0.1, random port, backlog 1024 (bursts of commands connect at once)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/v{version:\\d+}/{tail:.*}", self._handle_api)
        app.router.add_get("/gateway", self._handle_gateway)
        app.router.add_get("/gateway-resume", self._handle_gateway)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._handle_cdn)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        self._port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        """Close every websocket and the HTTP server; safe to call twice."""
        for conn in list(self._connections):
            conn.closed_by_server = True
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001, message=b"server shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (REST lives under ``/api/v10``)."""
        if not self._port:
            raise RuntimeError("FakeDiscord is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_base(self) -> str:
        """What ``discord.http.Route.BASE`` must be set to."""
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        """What ``DiscordWebSocket.DEFAULT_GATEWAY`` must be set to."""
        return f"ws://127.0.0.1:{self._port}/gateway"

    @property
    def resume_gateway_url(self) -> str:
        """READY's ``resume_gateway_url``: a distinct path so tests can see it was used."""
        return f"ws://127.0.0.1:{self._port}/gateway-resume"

    # ------------------------------------------------------------------ world building
    def _add_role_payload(
        self,
        role_id: int,
        name: str,
        permissions: int,
        *,
        position: int,
        managed: bool = False,
        guild_id: int | None = None,
    ) -> None:
        if guild_id is not None and guild_id != self.guild_id:
            self._role_guild[role_id] = guild_id
        self.roles[role_id] = {
            "id": str(role_id),
            "name": name,
            "description": None,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": position,
            "permissions": str(permissions),
            "managed": managed,
            "mentionable": False,
            "flags": 0,
        }
        if managed:
            self.roles[role_id]["tags"] = {"bot_id": str(self.application_id)}

    def add_role(self, name: str, permissions: int = 0, *, managed: bool = False, guild_id: int | None = None) -> int:
        """Create a guild role (GUILD_ROLE_CREATE if a bot is connected); the first guild's by default."""
        role_id = self._sid()
        guild_id = guild_id or self.guild_id
        position = len(self._guild_roles(guild_id))
        self._add_role_payload(role_id, name, permissions, position=position, managed=managed, guild_id=guild_id)
        self._queue_event("GUILD_ROLE_CREATE", {"guild_id": str(guild_id), "role": self.roles[role_id]})
        return role_id

    def _guild_roles(self, guild_id: int) -> list[dict[str, Any]]:
        return [r for rid, r in self.roles.items() if self._role_guild.get(rid, self.guild_id) == guild_id]

    def guild_of_channel(self, channel_id: int) -> int | None:
        """The guild a channel belongs to (None for a DM)."""
        guild = self.channels[channel_id].get("guild_id")
        return int(guild) if guild else None

    def shard_of(self, guild_id: int | None, shard_count: int | None = None) -> int:
        """The shard a guild's events go to (Discord's formula); a DM's (None) go to shard 0."""
        return 0 if guild_id is None else (guild_id >> 22) % (shard_count or self.shard_count)

    def add_guild(self, name: str, *, shard: tuple[int, int] | None = None) -> int:
        """Another guild the bot is in, with a "general" text channel; every member of the first guild is
        a member here too. ``shard=(i, n)``: its id puts it on shard i of n. A connected bot's session
        for that shard gets its GUILD_CREATE before the next dispatch (or ``flush_events``)."""
        guild_id = self.snowflakes.next_on_shard(*shard) if shard else self._sid()
        self._add_role_payload(guild_id, "@everyone", EVERYONE_PERMISSIONS, position=0, guild_id=guild_id)
        bot_role = self.add_role(self.bot_user.global_name or "bot", BOT_PERMISSIONS, managed=True, guild_id=guild_id)
        self.bot_user.roles.append(bot_role)
        channel_id = self.add_channel("general", CHANNEL_TEXT, guild_id=guild_id)
        self.guilds[guild_id] = {"name": name, "text_channel_id": channel_id}
        self._pending_events = [(e, d) for e, d in self._pending_events if d.get("guild_id") != str(guild_id)]
        self._queue_event("GUILD_CREATE", self.guild_payload(guild_id))
        return guild_id

    def add_channel(
        self,
        name: str,
        type: int = CHANNEL_TEXT,
        *,
        parent_id: int | None = None,
        tags: Sequence[str] = (),
        guild_id: int | None = None,
    ) -> int:
        """Create a guild channel (text by default; 15 = forum with ``tags``), in the first guild by default.

        A connected bot gets CHANNEL_CREATE before the next dispatch (or ``flush_events``).
        """
        channel_id = self._sid()
        channel: dict[str, Any] = {
            "id": str(channel_id),
            "type": type,
            "guild_id": str(guild_id or self.guild_id),
            "name": name,
            "position": len(self.channels),
            "permission_overwrites": [],
            "parent_id": str(parent_id) if parent_id else None,
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }
        if type == CHANNEL_FORUM:
            channel.update(
                available_tags=[
                    {
                        "id": str(self._sid()),
                        "name": tag,
                        "moderated": False,
                        "emoji_id": None,
                        "emoji_name": None,
                    }
                    for tag in tags
                ],
                default_reaction_emoji=None,
                default_sort_order=None,
                default_forum_layout=0,
                default_thread_rate_limit_per_user=0,
                default_auto_archive_duration=4320,
                template="",
            )
        self.channels[channel_id] = channel
        self._queue_event("CHANNEL_CREATE", channel)
        return channel_id

    def add_user(
        self,
        username: str,
        global_name: str | None = None,
        *,
        member: bool = True,
        admin: bool = False,
        roles: Sequence[int] = (),
        dms_open: bool = True,
    ) -> FakeUser:
        """Create a user (a guild member unless ``member=False``).

        A connected bot with the GUILD_MEMBERS intent gets GUILD_MEMBER_ADD.
        """
        user = FakeUser(self._sid(), username, global_name, dms_open=dms_open, roles=list(roles))
        if admin:
            user.roles.append(self.admin_role_id)
        self.users[user.id] = user
        if member:
            self.members.add(user.id)
            self._queue_event("GUILD_MEMBER_ADD", {"guild_id": str(self.guild_id), **self.member_payload(user)})
        return user

    def close_dms(self, user: FakeUser | int) -> None:
        """From now on the bot cannot DM this user (403, code 50007)."""
        self._user(user).dms_open = False

    def _user(self, user: FakeUser | int | str | None) -> FakeUser:
        if user is None:
            return self.default_user
        if isinstance(user, FakeUser):
            return user
        try:
            return self.users[int(user)]
        except KeyError:
            raise LookupError(f"unknown user {user}") from None

    def forum_tag_id(self, name: str, forum_channel_id: int | None = None) -> int:
        """The id of a forum tag by name (tests pass it as ``applied_tags``)."""
        forum = self.channels[forum_channel_id or self.forum_channel_id]
        for tag in forum.get("available_tags", []):
            if tag["name"] == name:
                return int(tag["id"])
        raise LookupError(f"forum has no tag {name!r}")

    # ------------------------------------------------------------------ payload builders
    def _member_roles(self, user: FakeUser, guild_id: int | None) -> list[int]:
        gid = guild_id or self.guild_id
        return [r for r in user.roles if self._role_guild.get(r, self.guild_id) == gid]

    def member_permissions(self, user: FakeUser, guild_id: int | None = None) -> int:
        """Guild-level permissions of a member (roles OR'd; administrator = everything)."""
        perms = int(self.roles[guild_id or self.guild_id]["permissions"])
        for role_id in self._member_roles(user, guild_id):
            role = self.roles.get(role_id)
            if role:
                perms |= int(role["permissions"])
        return ALL_PERMISSIONS if perms & P_ADMINISTRATOR else perms

    def member_payload(
        self, user: FakeUser, *, with_user: bool = True, permissions: bool = False, guild_id: int | None = None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(r) for r in self._member_roles(user, guild_id)],
            "nick": user.nick,
            "avatar": None,
            "banner": None,
            "joined_at": user.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = user.payload()
        if permissions:
            data["permissions"] = str(self.member_permissions(user, guild_id))
        return data

    def guild_payload(self, guild_id: int | None = None) -> dict[str, Any]:
        """The full GUILD_CREATE payload of a guild (the first by default): channels, threads, roles, members."""
        gid = guild_id or self.guild_id
        mine = [c for c in self.channels.values() if c.get("guild_id") == str(gid)]
        guild_channels = [c for c in mine if c["type"] not in THREAD_TYPES]
        threads = [c for c in mine if c["type"] in THREAD_TYPES and not c["thread_metadata"]["archived"]]
        members = [self.member_payload(self.users[uid], guild_id=gid) for uid in sorted(self.members)]
        return {
            "id": str(gid),
            "name": self.guilds[gid]["name"] if gid in self.guilds else self.guild_name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner.id),
            "region": "deprecated",
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": "en-US",
            "features": [],
            "vanity_url_code": None,
            "application_id": None,
            "system_channel_id": str(self.guilds.get(gid, {}).get("text_channel_id", self.text_channel_id)),
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "roles": self._guild_roles(gid),
            "emojis": [],
            "stickers": [],
            "soundboard_sounds": [],
            "joined_at": self.bot_user.joined_at,
            "large": False,
            "unavailable": False,
            "member_count": len(members),
            "voice_states": [],
            "members": members,
            "channels": guild_channels,
            "threads": threads,
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "incidents_data": None,
            "lazy": True,
        }

    def _channel_for_interaction(self, channel: Mapping[str, Any], user: FakeUser) -> dict[str, Any]:
        data = dict(channel)
        if channel.get("guild_id"):
            data["permissions"] = str(self.member_permissions(user, int(channel["guild_id"])))
        return data

    def _dm_channel(self, user: FakeUser) -> dict[str, Any]:
        """The bot<->user DM channel, created on first use (as Discord does)."""
        channel_id = self._dm_channel_of_user.get(user.id)
        if channel_id is None:
            channel_id = self._sid()
            self._dm_channel_of_user[user.id] = channel_id
            self.channels[channel_id] = {
                "id": str(channel_id),
                "type": CHANNEL_DM,
                "last_message_id": None,
                "flags": 0,
                "recipients": [user.payload()],
            }
        return self.channels[channel_id]

    def dm_channel_id(self, user: FakeUser | int) -> int:
        return int(self._dm_channel(self._user(user))["id"])

    def _build_message(
        self,
        channel_id: int,
        author: FakeUser,
        body: Mapping[str, Any],
        files: Sequence[UploadedFile] = (),
        *,
        message_id: int | None = None,
        webhook: bool = False,
        interaction: Mapping[str, Any] | None = None,
        message_type: int = 0,
    ) -> dict[str, Any]:
        """A full message object from a send body (REST) or a test's description."""
        channel = self.channels[channel_id]
        guild_id = channel.get("guild_id")
        message_id = message_id or self._sid()
        content = body.get("content") or ""
        msg: dict[str, Any] = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "type": message_type,
            "author": author.payload(),
            "content": content,
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": False,
            "mentions": self._mentions(content, bool(guild_id)),
            "mention_roles": [],
            "attachments": [],
            "embeds": [self._normalise_embed(e) for e in body.get("embeds") or []],
            "components": _number_components(body.get("components") or []),
            "reactions": [],
            "pinned": False,
            "flags": int(body.get("flags") or 0),
        }
        if body.get("poll"):
            msg["poll"] = body["poll"]
        if guild_id:
            msg["guild_id"] = guild_id
            msg["member"] = self.member_payload(author, with_user=False)
        if webhook:
            msg["webhook_id"] = str(self.application_id)
            msg["application_id"] = str(self.application_id)
        if interaction is not None:
            msg["interaction_metadata"] = dict(interaction)
        ref = body.get("message_reference")
        if isinstance(ref, Mapping) and ref.get("message_id"):
            referenced = self._message_index.get(int(ref["message_id"]))
            msg["message_reference"] = {
                "type": 0,
                "message_id": str(ref["message_id"]),
                "channel_id": str(ref.get("channel_id") or channel_id),
                **({"guild_id": str(guild_id)} if guild_id else {}),
            }
            msg["referenced_message"] = referenced
            if message_type == 0:
                msg["type"] = 19  # reply
        msg["attachments"] = self._attachments_for(channel_id, body, files)
        if channel["type"] in THREAD_TYPES:
            channel["message_count"] = channel.get("message_count", 0) + 1
            channel["total_message_sent"] = channel.get("total_message_sent", 0) + 1
            msg["position"] = channel["total_message_sent"] - 1
        return msg

    def _mentions(self, content: str, in_guild: bool) -> list[dict[str, Any]]:
        out = []
        for raw in dict.fromkeys(re.findall(r"<@!?(\d+)>", content)):
            user = self.users.get(int(raw))
            if user is None:
                continue
            data = user.payload()
            if in_guild and user.id in self.members:
                data["member"] = self.member_payload(user, with_user=False)
            out.append(data)
        return out

    @staticmethod
    def _normalise_embed(embed: Mapping[str, Any]) -> dict[str, Any]:
        return {"type": "rich", **embed}

    def _attachment_payload(self, channel_id: int, filename: str, data: bytes, ctype: str | None, desc: Any) -> dict:
        attachment_id = self._sid()
        self.attachment_blobs[attachment_id] = data
        url = f"{self.base_url}/attachments/{channel_id}/{attachment_id}/{filename}"
        payload: dict[str, Any] = {
            "id": str(attachment_id),
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": ctype or mimetypes.guess_type(filename)[0] or "application/octet-stream",
        }
        if desc:
            payload["description"] = desc
        return payload

    def _attachments_for(
        self,
        channel_id: int,
        body: Mapping[str, Any],
        files: Sequence[UploadedFile],
        keep: Sequence[dict] = (),
    ) -> list[dict[str, Any]]:
        """Uploaded ``files[n]`` become attachments; ``attachments`` entries keep old ones."""
        by_index: dict[str, Mapping[str, Any]] = {}
        keep_ids: set[str] | None = None
        if "attachments" in body and body["attachments"] is not None:
            keep_ids = set()
            for entry in body["attachments"]:
                by_index[str(entry.get("id"))] = entry
                keep_ids.add(str(entry.get("id")))
        out = [a for a in keep if keep_ids is None or a["id"] in keep_ids]
        for file in files:
            index = file.field[len("files[") : -1]
            meta = by_index.get(index, {})
            out.append(
                self._attachment_payload(
                    channel_id,
                    meta.get("filename") or file.filename,
                    file.data,
                    None,
                    meta.get("description"),
                )
            )
        return out

    # ------------------------------------------------------------------ message store
    def _store_message(self, msg: dict[str, Any]) -> None:
        """Index a message; only non-ephemeral ones join the channel everyone sees."""
        self._message_index[int(msg["id"])] = msg
        if msg.get("flags", 0) & EPHEMERAL:
            self._notify()
            return
        channel_id = int(msg["channel_id"])
        self.messages.setdefault(channel_id, []).append(msg)
        channel = self.channels.get(channel_id)
        if channel is not None:
            channel["last_message_id"] = msg["id"]
        self._notify()

    def _edit_message(self, msg: dict[str, Any], body: Mapping[str, Any], files: Sequence[UploadedFile]) -> None:
        for key in ("content", "poll"):
            if key in body:
                msg[key] = body[key]
        if "flags" in body:
            kept = int(msg.get("flags") or 0) & ~EDITABLE_FLAGS
            msg["flags"] = kept | (int(body["flags"] or 0) & EDITABLE_FLAGS)
        if "components" in body:
            msg["components"] = _number_components(body["components"] or [])
        if msg.get("content") is None:
            msg["content"] = ""
        if msg.get("flags") is None:
            msg["flags"] = 0
        if "embeds" in body:
            msg["embeds"] = [self._normalise_embed(e) for e in body["embeds"] or []]
        if "attachments" in body or files:
            msg["attachments"] = self._attachments_for(int(msg["channel_id"]), body, files, keep=msg["attachments"])
        if "content" in body:
            msg["mentions"] = self._mentions(msg["content"], bool(msg.get("guild_id")))
        msg["edited_timestamp"] = iso_now()
        self._notify()

    def _delete_message(self, msg: dict[str, Any]) -> None:
        channel_msgs = self.messages.get(int(msg["channel_id"]), [])
        if msg in channel_msgs:
            channel_msgs.remove(msg)
        self._message_index.pop(int(msg["id"]), None)
        self._notify()

    def channel_messages(self, channel_id: int | None = None) -> list[dict[str, Any]]:
        """Messages (current state) in a channel or thread, oldest first; ephemerals excluded."""
        return list(self.messages.get(channel_id or self.text_channel_id, []))

    def dms_to(self, user: FakeUser | int) -> list[dict[str, Any]]:
        """Messages the bot sent to this user by DM, oldest first."""
        user = self._user(user)
        channel_id = self._dm_channel_of_user.get(user.id)
        if channel_id is None:
            return []
        return [m for m in self.messages.get(channel_id, []) if int(m["author"]["id"]) == self.bot_user.id]

    def get_message(self, message_id: int | str) -> dict[str, Any]:
        """A message's current state by id (ephemeral ones too; KeyError once deleted)."""
        return self._message_index[int(message_id)]

    def calls_to(self, pattern: str, method: str | None = None) -> list[RestCall]:
        """REST calls whose template or path matches ``pattern`` (exact or fnmatch glob)."""
        return [c for c in self.calls if self._call_matches(c, pattern, method)]

    @staticmethod
    def _call_matches(call: RestCall, pattern: str, method: str | None) -> bool:
        if method and call.method != method.upper():
            return False
        pattern = pattern.removeprefix("/api/v10")
        return (
            pattern in (call.template, call.path)
            or fnmatch.fnmatchcase(call.path, pattern)
            or (call.template is not None and fnmatch.fnmatchcase(call.template, pattern))
        )

    def commands(self, guild_id: int | None = None) -> list[dict[str, Any]]:
        """Registered commands: global (``guild_id=None``) or of a guild."""
        if guild_id is None:
            return list(self.global_commands.values())
        return list(self.guild_commands.get(guild_id, {}).values())

    # ------------------------------------------------------------------ waiting
    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for(
        self,
        predicate: Callable[[], T],
        timeout: float = WAIT_LIMIT,  # noqa: ASYNC109
        *,
        what: str | None = None,
        poll: float | None = 0.01,
    ) -> T:
        """Wait until ``predicate()`` is truthy and return its value.

        The predicate is re-checked whenever the server records something and, because
        tests also watch the bot's own state (listener lists), every ``poll`` seconds;
        ``poll=None`` waits on server events only (cheap with hundreds of waiters).
        TimeoutError names ``what`` was awaited.
        """
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {timeout}s waiting for {what or predicate}")
            event = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout=remaining if poll is None else min(remaining, poll))

    # ------------------------------------------------------------------ faults
    def inject_fault(
        self,
        pattern: str,
        *,
        status: int = 429,
        times: int = 1,
        method: str | None = None,
        retry_after: float = 0.25,
        is_global: bool = False,
        body: Any = None,
        skip: int = 0,
    ) -> Fault:
        """The next ``times`` calls matching ``pattern`` (a spec template such as
        ``/channels/{channel_id}/messages`` or a glob on the path) answer ``status``, after ``skip`` matching
        calls were let through."""
        fault = Fault(
            pattern.removeprefix("/api/v10"),
            method.upper() if method else None,
            status,
            times,
            retry_after,
            is_global,
            body,
            skip=skip,
        )
        self.faults.append(fault)
        return fault

    def rate_limit(
        self,
        pattern: str,
        *,
        times: int = 1,
        retry_after: float = 0.25,
        method: str | None = None,
        is_global: bool = False,
    ) -> Fault:
        """Answer 429 with ``retry_after`` + ``Via`` + ``X-RateLimit-*`` headers, as Discord does."""
        return self.inject_fault(
            pattern, status=429, times=times, method=method, retry_after=retry_after, is_global=is_global
        )

    def server_error(self, pattern: str, *, status: int = 502, times: int = 1, method: str | None = None) -> Fault:
        """Answer a 5xx (discord.py retries 500/502/504/524 after 1 s, 3 s, ...)."""
        return self.inject_fault(pattern, status=status, times=times, method=method)

    def _take_fault(self, call: RestCall) -> Fault | None:
        for fault in self.faults:
            if fault.remaining > 0 and self._call_matches(call, fault.pattern, fault.method):
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                fault.remaining -= 1
                fault.hits.append(call)
                return fault
        return None

    def _fault_response(self, fault: Fault, call: RestCall) -> web.Response:
        if fault.status == 429:
            body = fault.body or {
                "message": "You are being rate limited.",
                "retry_after": fault.retry_after,
                "global": fault.is_global,
                "code": 0,
            }
            headers = {
                "Via": "1.1 google",
                "Retry-After": str(max(1, int(fault.retry_after + 0.999))),
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{time.time() + fault.retry_after:.3f}",
                "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}",
                "X-RateLimit-Bucket": self._bucket(call.template or call.path),
                "X-RateLimit-Scope": "shared" if not fault.is_global else "global",
            }
            if fault.is_global:
                headers["X-RateLimit-Global"] = "true"
            return self._json(429, body, headers)
        if fault.status >= 500:
            return self._json(fault.status, fault.body or {"message": "500: Internal Server Error", "code": 0})
        return self._json(fault.status, fault.body or {"message": f"{fault.status}", "code": 0})

    async def disconnect_gateway(self, code: int = 4000) -> None:
        """Drop every gateway connection (resumable close code): the client must RESUME."""
        for conn in list(self._connections):
            conn.closed_by_server = True
            with contextlib.suppress(Exception):
                await conn.ws.close(code=code, message=b"fakediscord: disconnect requested")

    async def send_reconnect(self) -> None:
        """Send op 7 RECONNECT: the client closes and resumes."""
        for conn in list(self._connections):
            with contextlib.suppress(ConnectionResetError):
                await conn.send({"op": 7, "d": None, "s": None, "t": None})

    async def invalidate_sessions(self, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION; with ``resumable=False`` the client re-identifies.

        discord.py sleeps 5 s before a non-initial IDENTIFY (``before_identify_hook``), so
        a test of this path takes at least that long.
        """
        for session in self._live_sessions():
            if not resumable:
                session.invalidated = True
            if session.conn is not None:
                with contextlib.suppress(ConnectionResetError):
                    await session.conn.send({"op": 9, "d": resumable, "s": None, "t": None})

    async def wait_until_connected(self, timeout: float = WAIT_LIMIT) -> None:  # noqa: ASYNC109
        """Wait until a gateway session is attached to a live connection (after RESUME too)."""
        await self.wait_for(
            lambda: any(s.conn is not None and not s.conn.ws.closed for s in self._live_sessions()),
            timeout=timeout,
            what="a live gateway session",
            poll=None,
        )

    # ------------------------------------------------------------------ HTTP plumbing
    @staticmethod
    def _json(status: int, body: Any, headers: Mapping[str, str] | None = None) -> web.Response:
        # Exactly "application/json": with "; charset=utf-8" discord.py treats it as text.
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        return web.Response(status=status, body=json.dumps(body).encode(), headers=hdrs)

    @staticmethod
    def _bucket(key: str) -> str:
        return f"{zlib.crc32(key.encode()):08x}"

    def _ratelimit_headers(self, template: str) -> dict[str, str]:
        if not self.ratelimit_headers:
            return {}
        return {
            "X-RateLimit-Limit": "50",
            "X-RateLimit-Remaining": "49",
            "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
            "X-RateLimit-Bucket": self._bucket(template),
        }

    async def _read_body(self, request: web.Request, call: RestCall) -> list[str]:
        """Parse JSON or multipart into ``call``; returns encoding problems found."""
        problems: list[str] = []
        ctype = request.headers.get("Content-Type")
        call.content_type = ctype
        if not request.can_read_body:
            return problems
        if ctype is None:
            problems.append("request has a body but no Content-Type")
            await request.read()
            return problems
        if ctype.startswith("multipart/form-data"):
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, BodyPartReader):
                    problems.append("nested multipart is not supported by Discord")
                    continue
                name = part.name or ""
                raw = await part.read(decode=False)
                if name == "payload_json":
                    try:
                        call.json = json.loads(raw)
                    except ValueError as exc:
                        problems.append(f"payload_json is not JSON: {exc}")
                elif re.fullmatch(r"files\[\d+\]", name):
                    call.files.append(
                        UploadedFile(
                            name,
                            part.filename or "",
                            part.headers.get("Content-Type", "application/octet-stream"),
                            bytes(raw),
                        )
                    )
                    if not part.filename:
                        problems.append(f"file part {name} has no filename")
                else:
                    problems.append(f"unexpected multipart field {name!r} (Discord wants payload_json, files[n])")
            return problems
        raw_body = await request.read()
        if ctype.split(";")[0].strip() != "application/json":
            problems.append(f"unsupported Content-Type {ctype!r}")
            return problems
        if raw_body:
            try:
                call.json = json.loads(raw_body)
            except ValueError as exc:
                problems.append(f"body is not JSON: {exc}")
        return problems

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        method = request.method.upper()
        call = RestCall(method, path, None, dict(request.query), None, [], None, time.perf_counter())
        self.calls.append(call)
        try:
            response = await self._process(request, call)
        except ApiError as exc:
            response = self._json(exc.status, exc.body())
        except Exception as exc:  # a bug in the fake: make it loud, answer 500
            _log.exception("fakediscord handler crashed on %s %s", method, path)
            self.gateway_errors.append(GatewayError(f"fake server crashed on {method} {path}: {exc!r}"))
            response = self._json(500, {"message": f"fakediscord crashed: {exc!r}", "code": 0})
        call.status = response.status
        if isinstance(response, web.Response) and response.body and response.content_type == "application/json":
            call.response = json.loads(response.body)  # type: ignore[arg-type]
        self._notify()
        return response

    async def _process(self, request: web.Request, call: RestCall) -> web.Response:
        version = request.match_info["version"]
        encoding_problems = await self._read_body(request, call)
        found = self._route_matcher.match(call.path)
        template = found[0] if found else None
        handler = self._routes.get((call.method, template)) if template else None
        if template is None or handler is None:
            if self.spec is not None:
                op = self.spec.match(call.method, call.path)
                call.template = op.template if op else None
            self.unknown_routes.append(call)
            _log.error("fakediscord: unknown route %s %s", call.method, call.path)
            return self._json(404, {"message": "404: Not Found", "code": 0})
        call.template = template
        params = found[1] if found else {}

        fault = self._take_fault(call)
        if fault is not None:
            return self._fault_response(fault, call)

        if version != "10":
            self.gateway_errors.append(GatewayError(f"REST call on API v{version}, expected v10: {call.path}"))

        errors = self._validate(call, encoding_problems)
        if errors:
            raise ApiError(400, 50035, "Invalid Form Body", _form_errors(errors))

        if not self._authorised(request, template):
            raise ApiError(401, 0, "401: Unauthorized")

        auth = request.headers.get("Authorization", "")
        call.token = auth.removeprefix("Bot ") if auth.startswith("Bot ") else None
        for listener in list(self.request_listeners):
            if listener(call):
                call.dropped = True
        if call.dropped:
            return self._json(503, {"message": "fakediscord: dropped unhandled by a test", "code": 0})
        req = _Request(
            call.method, call.path, template, params, request.query, call.json, call.files, request.headers, call
        )
        result = await handler(req)
        if isinstance(result, _NoContent):
            return web.Response(status=204, headers=self._ratelimit_headers(template))
        status = 200
        if self.spec is not None:
            op = self.spec.operation(call.method, template)
            if op is not None:
                # Answer with the success status Discord documents (201 for create_thread).
                status = next((int(s) for s in op.response_statuses if s in ("200", "201")), 200)
                if self.validate_responses:
                    for err in self.spec.validate_response(op, status, result):
                        self.response_schema_errors.append(f"{call.method} {template}: {err}")
        return self._json(status, result, self._ratelimit_headers(template))

    def _authorised(self, request: web.Request, template: str) -> bool:
        if template.startswith(("/interactions/", "/webhooks/")):
            return True  # interaction tokens are the credential; discord.py sends no auth
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bot ") or len(auth) <= 4:
            return False
        return self.token is None or auth == f"Bot {self.token}"

    def _validate(self, call: RestCall, encoding_problems: list[str]) -> list[str]:
        """Spec schema + Discord limits; violations are recorded for the test to fail on."""
        op_name = f"{call.method} {call.template}"
        if encoding_problems:
            self._violation(call, op_name, "encoding", encoding_problems)
            return encoding_problems
        if self.spec is not None:
            op = self.spec.operation(call.method, call.template or "")
            if op is None:
                msg = [f"{call.method} {call.template} is not an operation in Discord's OpenAPI spec"]
                self._violation(call, op_name, "schema", msg)
                return msg
            op_name = op.operation_id
            if call.json is None and not call.files:
                if op.body_required:
                    msg = [f"{op.operation_id} requires a request body"]
                    self._violation(call, op_name, "schema", msg)
                    return msg
            elif call.json is not None:
                if not op.request_content_types:
                    msg = [f"{op.operation_id} takes no request body"]
                    self._violation(call, op_name, "schema", msg)
                    return msg
                errors = self.spec.validate_request(op, call.json)
                if errors:
                    self._violation(call, op_name, "schema", errors)
                    return errors
        errors = self._check_limits(call)
        if errors:
            self._violation(call, op_name, "limit", errors)
        return errors

    def _violation(self, call: RestCall, op: str, kind: str, errors: Sequence[str]) -> None:
        violation = SchemaViolation(call.method, call.path, op, kind, tuple(errors), call.json)
        self.schema_errors.append(violation)
        _log.error("fakediscord: %s", violation)

    @staticmethod
    def _check_limits(call: RestCall) -> list[str]:
        """Limits Discord enforces on message bodies that the spec cannot express."""
        body = call.json
        if not isinstance(body, Mapping):
            return []
        candidates = [body]
        if isinstance(body.get("data"), Mapping):
            candidates.append(body["data"])
        if isinstance(body.get("message"), Mapping):
            candidates.append(body["message"])
        errors: list[str] = []
        for msg in candidates:
            content = msg.get("content")
            if isinstance(content, str) and len(content) > MAX_CONTENT:
                errors.append(f"content is {len(content)} characters; Discord allows {MAX_CONTENT}")
            embeds = msg.get("embeds")
            if isinstance(embeds, list):
                total = 0
                for embed in embeds:
                    if not isinstance(embed, Mapping):
                        continue
                    total += len(str(embed.get("title") or "")) + len(str(embed.get("description") or ""))
                    total += len(str((embed.get("footer") or {}).get("text") or ""))
                    total += len(str((embed.get("author") or {}).get("name") or ""))
                    for fld in embed.get("fields") or []:
                        total += len(str(fld.get("name") or "")) + len(str(fld.get("value") or ""))
                if total > MAX_EMBED_TOTAL:
                    errors.append(f"embeds total {total} characters; Discord allows {MAX_EMBED_TOTAL}")
        return errors

    async def _handle_cdn(self, request: web.Request) -> web.StreamResponse:
        """Serve attachment bytes, so ``Attachment.read()`` works against the fake CDN.

        Faults apply here too: ``inject_fault("/attachments/*")`` makes downloads fail (CDN calls are
        not recorded in ``calls``; the fault's ``hits`` are)."""
        call = RestCall("GET", request.path, None, dict(request.query), None, [], None, time.perf_counter())
        fault = self._take_fault(call)
        if fault is not None:
            response = self._fault_response(fault, call)
            call.status = response.status
            return response
        blob = self.attachment_blobs.get(int(request.match_info["attachment_id"]))
        if blob is None:
            return web.Response(status=404)
        ctype = mimetypes.guess_type(request.match_info["filename"])[0] or "application/octet-stream"
        return web.Response(body=blob, headers={"Content-Type": ctype})

    # ------------------------------------------------------------------ REST routes
    def _register_routes(self) -> None:
        r = self._routes
        r[("GET", "/users/@me")] = self._get_me
        r[("GET", "/users/{user_id}")] = self._get_user
        r[("GET", "/oauth2/applications/@me")] = self._get_application
        r[("GET", "/applications/@me")] = self._get_application
        r[("GET", "/gateway")] = self._get_gateway
        r[("GET", "/gateway/bot")] = self._get_gateway_bot
        for base in (
            "/applications/{application_id}/commands",
            "/applications/{application_id}/guilds/{guild_id}/commands",
        ):
            r[("GET", base)] = self._list_commands
            r[("PUT", base)] = self._put_commands
            r[("POST", base)] = self._post_command
            r[("GET", base + "/{command_id}")] = self._get_command
            r[("PATCH", base + "/{command_id}")] = self._patch_command
            r[("DELETE", base + "/{command_id}")] = self._delete_command
        r[("POST", "/interactions/{interaction_id}/{interaction_token}/callback")] = self._interaction_callback
        r[("POST", "/webhooks/{webhook_id}/{webhook_token}")] = self._webhook_execute
        for suffix in ("@original", "{message_id}"):
            tpl = "/webhooks/{webhook_id}/{webhook_token}/messages/" + suffix
            r[("GET", tpl)] = self._webhook_get_message
            r[("PATCH", tpl)] = self._webhook_edit_message
            r[("DELETE", tpl)] = self._webhook_delete_message
        r[("POST", "/users/@me/channels")] = self._create_dm
        r[("GET", "/channels/{channel_id}")] = self._get_channel
        r[("PATCH", "/channels/{channel_id}")] = self._edit_channel
        r[("GET", "/channels/{channel_id}/messages")] = self._list_messages
        r[("POST", "/channels/{channel_id}/messages")] = self._create_message
        r[("GET", "/channels/{channel_id}/messages/{message_id}")] = self._get_message
        r[("PATCH", "/channels/{channel_id}/messages/{message_id}")] = self._edit_channel_message
        r[("DELETE", "/channels/{channel_id}/messages/{message_id}")] = self._delete_channel_message
        r[("POST", "/channels/{channel_id}/typing")] = self._typing
        r[("POST", "/channels/{channel_id}/threads")] = self._create_thread
        r[("POST", "/channels/{channel_id}/messages/{message_id}/threads")] = self._create_thread_from_message
        r[("PUT", "/channels/{channel_id}/thread-members/@me")] = self._join_thread
        react = "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me"
        r[("PUT", react)] = self._add_reaction
        r[("DELETE", react)] = self._remove_reaction
        r[("GET", "/guilds/{guild_id}")] = self._get_guild
        r[("GET", "/guilds/{guild_id}/channels")] = self._get_guild_channels
        r[("GET", "/guilds/{guild_id}/roles")] = self._get_guild_roles
        r[("GET", "/guilds/{guild_id}/members/{user_id}")] = self._get_member

    # -- identity
    async def _get_me(self, req: _Request) -> Any:
        data = self.bot_user.payload()
        data.update(verified=True, mfa_enabled=False, locale="en-US", email=None, bio="")
        return data

    async def _get_user(self, req: _Request) -> Any:
        user = self.users.get(int(req.params["user_id"]))
        if user is None:
            raise _unknown("User", 10013)
        return user.payload()

    async def _get_application(self, req: _Request) -> Any:
        return {
            "id": str(self.application_id),
            "name": self.bot_user.global_name,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": secrets.token_hex(32),
            "flags": 0,
            "flags_new": "0",
            "role_connections_verification_url": None,
            "approximate_user_authorization_count": 0,
            "explicit_content_filter": 0,
            "eligible_oauth2_scopes": ["bot", "applications.commands"],
            "owner": self.owner.payload(),
            "team": None,
            "bot": self.bot_user.payload(),
            "hook": True,
            "is_monetized": False,
            "is_verified": False,
            "is_discoverable": False,
            "interactions_endpoint_url": None,
            "redirect_uris": [],
            "tags": [],
            "approximate_guild_count": len(self.guilds),
            "approximate_user_install_count": 0,
            "integration_types_config": {"0": {}},
        }

    async def _get_gateway(self, req: _Request) -> Any:
        return {"url": self.gateway_url}

    async def _get_gateway_bot(self, req: _Request) -> Any:
        return {
            "url": self.gateway_url,
            "shards": self.shard_count,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }

    # -- application commands
    def _command_store(self, req: _Request) -> dict[int, dict[str, Any]]:
        if int(req.params["application_id"]) != self.application_id:
            raise ApiError(403, 50001, "Missing Access")
        if "guild_id" in req.params:
            guild_id = int(req.params["guild_id"])
            if guild_id not in self.guilds:
                raise ApiError(403, 50001, "Missing Access")
            return self.guild_commands.setdefault(guild_id, {})
        return self.global_commands

    def _echo_command(self, body: Mapping[str, Any], req: _Request, existing: dict[str, Any] | None) -> dict:
        cmd: dict[str, Any] = {
            "id": existing["id"] if existing else str(self._sid()),
            "application_id": str(self.application_id),
            "version": str(self._sid()),
            "type": body.get("type") or 1,
            "name": body["name"],
            "name_localizations": body.get("name_localizations"),
            "description": body.get("description") or "",
            "description_localizations": body.get("description_localizations"),
            "default_member_permissions": (
                None if body.get("default_member_permissions") is None else str(body["default_member_permissions"])
            ),
            "dm_permission": body.get("dm_permission", True),
            "contexts": body.get("contexts"),
            "integration_types": body.get("integration_types") or [0],
            "nsfw": bool(body.get("nsfw")),
        }
        if body.get("options"):
            cmd["options"] = body["options"]
        if "guild_id" in req.params:
            cmd["guild_id"] = req.params["guild_id"]
        return cmd

    async def _list_commands(self, req: _Request) -> Any:
        return list(self._command_store(req).values())

    async def _put_commands(self, req: _Request) -> Any:
        store = self._command_store(req)
        old = {(c["name"], c["type"]): c for c in store.values()}
        new: dict[int, dict[str, Any]] = {}
        for body in req.json or []:
            key = (body["name"], body.get("type") or 1)
            cmd = self._echo_command(body, req, old.get(key))
            new[int(cmd["id"])] = cmd
        store.clear()
        store.update(new)
        self._notify()
        return list(new.values())

    async def _post_command(self, req: _Request) -> Any:
        store = self._command_store(req)
        body = req.json
        existing = next(
            (c for c in store.values() if (c["name"], c["type"]) == (body["name"], body.get("type") or 1)),
            None,
        )
        cmd = self._echo_command(body, req, existing)
        store[int(cmd["id"])] = cmd
        self._notify()
        return cmd

    async def _get_command(self, req: _Request) -> Any:
        cmd = self._command_store(req).get(int(req.params["command_id"]))
        if cmd is None:
            raise _unknown("application command", 10063)
        return cmd

    async def _patch_command(self, req: _Request) -> Any:
        store = self._command_store(req)
        cmd = store.get(int(req.params["command_id"]))
        if cmd is None:
            raise _unknown("application command", 10063)
        merged = {**cmd, **req.json}
        store[int(cmd["id"])] = self._echo_command(merged, req, cmd)
        self._notify()
        return store[int(cmd["id"])]

    async def _delete_command(self, req: _Request) -> Any:
        if self._command_store(req).pop(int(req.params["command_id"]), None) is None:
            raise _unknown("application command", 10063)
        self._notify()
        return NO_CONTENT

    # -- interactions
    def _interaction_by_token(self, webhook_id: str, token: str) -> InteractionHandle:
        if int(webhook_id) != self.application_id:
            raise _unknown("Webhook", 10015)
        for handle in self.interactions.values():
            if handle.token == token:
                return handle
        raise _unknown("Webhook", 10015)

    def _interaction_metadata(self, handle: InteractionHandle) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "id": str(handle.id),
            "type": handle.type,
            "user": handle.user.payload(),
            "authorizing_integration_owners": handle.payload.get("authorizing_integration_owners", {}),
        }
        if handle.type == 2 and handle.payload["data"].get("target_id"):
            key = "target_message_id" if handle.payload["data"].get("type") == 3 else "target_user"
            target = handle.payload["data"]["target_id"]
            meta[key] = target if key == "target_message_id" else self._user(target).payload()
        if handle.type == 3 and handle.payload.get("message"):
            meta["interacted_message_id"] = handle.payload["message"]["id"]
        if handle.type == 5 and handle.source is not None:
            meta["triggering_interaction_metadata"] = self._interaction_metadata(handle.source)
        if handle.original is not None and handle.original.get("interaction_metadata", {}).get("id") == str(handle.id):
            meta["original_response_message_id"] = handle.original["id"]
        return meta

    async def _interaction_callback(self, req: _Request) -> Any:
        handle = self.interactions.get(int(req.params["interaction_id"]))
        if handle is None or handle.token != req.params["interaction_token"]:
            raise _unknown("interaction", 10062)
        if handle.response is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        if time.perf_counter() - handle.dispatched_at > self.interaction_deadline:
            handle.late_callback = True
            self._notify()
            raise _unknown("interaction", 10062)
        body = req.json or {}
        rtype = int(body.get("type", 0))
        data = body.get("data")
        allowed = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}.get(handle.type, set())
        if rtype not in allowed:
            raise ApiError(
                400,
                40000 + rtype,
                f"Interaction response type {rtype} is not valid for interaction type {handle.type}",
            )
        resource: dict[str, Any] | None = None
        interaction_info: dict[str, Any] = {"id": str(handle.id), "type": handle.type}
        if rtype == 4:
            msg = self._build_message(
                handle.channel_id,
                self.bot_user,
                data or {},
                req.files,
                webhook=True,
                interaction=self._interaction_metadata(handle),
            )
            self._check_not_empty(msg)
            handle.original = msg
            resource = {"type": 4, "message": msg}
            interaction_info.update(
                response_message_id=msg["id"],
                response_message_loading=False,
                response_message_ephemeral=bool(msg["flags"] & EPHEMERAL),
            )
        elif rtype == 5:
            flags = LOADING | (int((data or {}).get("flags") or 0) & EPHEMERAL)
            msg = self._build_message(
                handle.channel_id,
                self.bot_user,
                {"flags": flags},
                webhook=True,
                interaction=self._interaction_metadata(handle),
            )
            handle.original = msg
            handle._deferred_loading = True
            interaction_info.update(
                response_message_id=msg["id"],
                response_message_loading=True,
                response_message_ephemeral=bool(flags & EPHEMERAL),
            )
        elif rtype in (6, 7):
            target = handle.payload.get("message")
            stored = self._message_index.get(int(target["id"])) if target else None
            if stored is None:
                raise ApiError(400, 50035, "Invalid Form Body: no message to update")
            handle.original = stored
            if rtype == 7:
                self._edit_message(stored, data or {}, req.files)
                resource = {"type": 7, "message": stored}
                if not stored["flags"] & EPHEMERAL:
                    await self._dispatch_message_event("MESSAGE_UPDATE", stored)
            interaction_info.update(response_message_id=stored["id"])
        # 8 (autocomplete) and 9 (modal) only record the callback.
        handle.response = InteractionResponse(rtype, data, time.perf_counter())
        if rtype in (4, 5) and handle.original is not None:
            self._store_message(handle.original)
            if not handle.original["flags"] & EPHEMERAL:
                await self._dispatch_message_event("MESSAGE_CREATE", handle.original)
        self._notify()
        if not _truthy(req.query.get("with_response")):
            return NO_CONTENT
        out: dict[str, Any] = {"interaction": interaction_info}
        if resource is not None:
            out["resource"] = resource
        return out

    def _check_not_empty(self, msg: Mapping[str, Any]) -> None:
        if not (
            msg.get("content")
            or msg.get("embeds")
            or msg.get("attachments")
            or msg.get("components")
            or msg.get("poll")
            or msg.get("sticker_items")
        ):
            raise ApiError(400, 50006, "Cannot send an empty message")

    async def _webhook_execute(self, req: _Request) -> Any:
        handle = self._interaction_by_token(req.params["webhook_id"], req.params["webhook_token"])
        if handle.response is None:
            raise _unknown("Webhook", 10015)
        body = req.json or {}
        if handle._deferred_loading and handle.original is not None:
            # The first followup after a type-5 defer edits the "thinking" message, keeping
            # the defer's ephemerality (Discord's documented backwards-compatible behaviour).
            msg = handle.original
            handle._deferred_loading = False
            msg["flags"] &= ~LOADING
            self._edit_message(msg, body, req.files)
            self._check_not_empty(msg)
            if not msg["flags"] & EPHEMERAL:
                await self._dispatch_message_event("MESSAGE_UPDATE", msg)
        else:
            msg = self._build_message(
                handle.channel_id,
                self.bot_user,
                body,
                req.files,
                webhook=True,
                interaction=self._interaction_metadata(handle),
            )
            self._check_not_empty(msg)
            self._store_message(msg)
            if not msg["flags"] & EPHEMERAL:
                await self._dispatch_message_event("MESSAGE_CREATE", msg)
        handle.followups.append(msg)
        self._notify()
        return msg  # Create Followup Message: "functions the same as Execute Webhook, but wait is always true"

    def _webhook_message(self, req: _Request) -> tuple[InteractionHandle, dict[str, Any]]:
        handle = self._interaction_by_token(req.params["webhook_id"], req.params["webhook_token"])
        if "message_id" not in req.params:
            if handle.original is None or handle.original_deleted:
                raise _unknown("Message", 10008)
            return handle, handle.original
        mid = int(req.params["message_id"])
        for msg in [handle.original, *handle.followups]:
            if msg is not None and int(msg["id"]) == mid:
                return handle, msg
        raise _unknown("Message", 10008)

    async def _webhook_get_message(self, req: _Request) -> Any:
        return self._webhook_message(req)[1]

    async def _webhook_edit_message(self, req: _Request) -> Any:
        handle, msg = self._webhook_message(req)
        body = dict(req.json or {})
        if msg is handle.original and handle._deferred_loading:
            handle._deferred_loading = False
            msg["flags"] &= ~LOADING
        self._edit_message(msg, body, req.files)
        if not msg["flags"] & EPHEMERAL and msg in self.messages.get(int(msg["channel_id"]), []):
            await self._dispatch_message_event("MESSAGE_UPDATE", msg)
        return msg

    async def _webhook_delete_message(self, req: _Request) -> Any:
        handle, msg = self._webhook_message(req)
        self._delete_message(msg)
        if msg is handle.original:
            handle.original_deleted = True
        else:
            handle.followups.remove(msg)
        return NO_CONTENT

    # -- channels & messages
    def _channel(self, channel_id: str | int) -> dict[str, Any]:
        channel = self.channels.get(int(channel_id))
        if channel is None:
            raise _unknown("Channel", 10003)
        return channel

    async def _create_dm(self, req: _Request) -> Any:
        recipient = (req.json or {}).get("recipient_id")
        user = self.users.get(int(recipient)) if recipient is not None else None
        if user is None or user.bot:
            raise ApiError(400, 50033, "Invalid Recipient(s)")
        return self._dm_channel(user)

    async def _get_channel(self, req: _Request) -> Any:
        return self._channel(req.params["channel_id"])

    async def _edit_channel(self, req: _Request) -> Any:
        """Rename / retag / archive / lock a thread, or edit a channel's name and topic."""
        channel = self._channel(req.params["channel_id"])
        body = req.json or {}
        if channel["type"] == CHANNEL_DM:
            raise ApiError(403, 50003, "Cannot execute action on a DM channel")
        for key in ("name", "topic", "rate_limit_per_user", "nsfw", "flags"):
            if key in body:
                channel[key] = body[key]
        if channel["type"] in THREAD_TYPES:
            meta = channel["thread_metadata"]
            for key in ("archived", "locked", "auto_archive_duration", "invitable"):
                if key in body:
                    meta[key] = body[key]
            if "archived" in body:
                meta["archive_timestamp"] = iso_now()
            if "applied_tags" in body:
                parent = self.channels[int(channel["parent_id"])]
                valid = {t["id"] for t in parent.get("available_tags", [])}
                tags = [str(t) for t in body["applied_tags"] or []]
                if not set(tags) <= valid:
                    raise ApiError(400, 50035, "Invalid Form Body: unknown applied_tags")
                channel["applied_tags"] = tags
            await self.dispatch("THREAD_UPDATE", channel, require_session=False)
        else:
            await self.dispatch("CHANNEL_UPDATE", channel, require_session=False)
        self._notify()
        return channel

    async def _list_messages(self, req: _Request) -> Any:
        self._channel(req.params["channel_id"])
        msgs = self.messages.get(int(req.params["channel_id"]), [])
        limit = int(req.query.get("limit", 50))
        if "before" in req.query:
            msgs = [m for m in msgs if int(m["id"]) < int(req.query["before"])]
        if "after" in req.query:
            msgs = [m for m in msgs if int(m["id"]) > int(req.query["after"])][:limit]
            return list(reversed(msgs))
        return list(reversed(msgs[-limit:]))

    async def _create_message(self, req: _Request) -> Any:
        channel = self._channel(req.params["channel_id"])
        if channel["type"] == CHANNEL_FORUM:
            raise ApiError(400, 50008, "Cannot send messages in a non-text channel")
        if channel["type"] == CHANNEL_DM:
            recipient = self.users.get(int(channel["recipients"][0]["id"]))
            if recipient is None or not recipient.dms_open:
                raise ApiError(403, 50007, "Cannot send messages to this user")
        if channel["type"] in THREAD_TYPES and channel["thread_metadata"].get("locked"):
            raise ApiError(403, 50083, "Thread is archived")
        duplicate = self._nonce_duplicate(self.bot_user.id, req.json or {})
        if duplicate is not None:
            return duplicate
        msg = self._build_message(int(channel["id"]), self.bot_user, req.json or {}, req.files)
        self._check_not_empty(msg)
        self._store_message(msg)
        self._remember_nonce(self.bot_user.id, req.json or {}, msg)
        if channel["type"] == CHANNEL_DM:
            for listener in list(self.dm_listeners):
                listener(msg)
            for call_listener in list(self.dm_call_listeners):
                if req.call is not None:
                    call_listener(msg, req.call)
        await self._dispatch_message_event("MESSAGE_CREATE", msg)
        return msg

    # ---- enforce_nonce: a resend with the same nonce returns the first message instead of a new one
    def _nonce_duplicate(self, author_id: int, body: Mapping[str, Any]) -> dict[str, Any] | None:
        """Discord: with ``enforce_nonce`` and a nonce used by the same author within the last few
        minutes, "that message will be returned and no new message will be created"."""
        nonce = body.get("nonce")
        if nonce is None or not body.get("enforce_nonce"):
            return None
        seen = self._nonces.get((author_id, str(nonce)))
        if seen is None or time.monotonic() - seen[0] > self.nonce_window:
            return None
        return self._message_index.get(seen[1])

    def _remember_nonce(self, author_id: int, body: Mapping[str, Any], msg: Mapping[str, Any]) -> None:
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            self._nonces[(author_id, str(nonce))] = (time.monotonic(), int(msg["id"]))

    def _channel_message(self, req: _Request) -> dict[str, Any]:
        self._channel(req.params["channel_id"])
        msg = self._message_index.get(int(req.params["message_id"]))
        if msg is None or msg["channel_id"] != req.params["channel_id"] or msg["flags"] & EPHEMERAL:
            raise _unknown("Message", 10008)
        return msg

    async def _get_message(self, req: _Request) -> Any:
        return self._channel_message(req)

    async def _edit_channel_message(self, req: _Request) -> Any:
        msg = self._channel_message(req)
        if int(msg["author"]["id"]) != self.bot_user.id:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        self._edit_message(msg, req.json or {}, req.files)
        await self._dispatch_message_event("MESSAGE_UPDATE", msg)
        return msg

    async def _delete_channel_message(self, req: _Request) -> Any:
        msg = self._channel_message(req)
        self._delete_message(msg)
        event = {"id": msg["id"], "channel_id": msg["channel_id"]}
        if msg.get("guild_id"):
            event["guild_id"] = msg["guild_id"]
        await self.dispatch("MESSAGE_DELETE", event, require_session=False)
        return NO_CONTENT

    async def _typing(self, req: _Request) -> Any:
        self._channel(req.params["channel_id"])
        return NO_CONTENT

    def _thread_payload(
        self,
        parent: Mapping[str, Any],
        thread_id: int,
        name: str,
        owner: FakeUser,
        *,
        ttype: int = CHANNEL_PUBLIC_THREAD,
        applied_tags: Sequence[Any] = (),
        auto_archive: int = 4320,
    ) -> dict[str, Any]:
        now = iso_now()
        return {
            "id": str(thread_id),
            "type": ttype,
            "guild_id": str(parent.get("guild_id") or self.guild_id),
            "parent_id": parent["id"],
            "owner_id": str(owner.id),
            "name": name,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": 0,
            "member_count": 1,
            "total_message_sent": 0,
            "flags": 0,
            "applied_tags": [str(t) for t in applied_tags],
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": auto_archive,
                "archive_timestamp": now,
                "locked": False,
                "create_timestamp": now,
                **({"invitable": True} if ttype == CHANNEL_PRIVATE_THREAD else {}),
            },
        }

    async def _create_thread(self, req: _Request) -> Any:
        parent = self._channel(req.params["channel_id"])
        body = req.json or {}
        if parent["type"] == CHANNEL_FORUM:
            if not isinstance(body.get("message"), Mapping):
                raise ApiError(400, 50035, "Invalid Form Body: forum posts need a message")
            valid_tags = {t["id"] for t in parent.get("available_tags", [])}
            tags = [str(t) for t in body.get("applied_tags") or []]
            if not set(tags) <= valid_tags:
                raise ApiError(400, 50035, "Invalid Form Body: unknown applied_tags")
            thread_id = self._sid()
            thread = self._thread_payload(
                parent,
                thread_id,
                body["name"],
                self.bot_user,
                applied_tags=tags,
                auto_archive=body.get("auto_archive_duration") or 4320,
            )
            self.channels[thread_id] = thread
            msg = self._build_message(thread_id, self.bot_user, body["message"], req.files, message_id=thread_id)
            self._check_not_empty(msg)
            await self._announce_thread(thread, created_by_bot=True)
            self._store_message(msg)
            await self._dispatch_message_event("MESSAGE_CREATE", msg)
            return {**thread, "message": msg}
        if parent["type"] != CHANNEL_TEXT:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        ttype = int(body.get("type") or CHANNEL_PRIVATE_THREAD)
        thread_id = self._sid()
        thread = self._thread_payload(
            parent,
            thread_id,
            body["name"],
            self.bot_user,
            ttype=ttype,
            auto_archive=body.get("auto_archive_duration") or 4320,
        )
        self.channels[thread_id] = thread
        await self._announce_thread(thread, created_by_bot=True)
        return thread

    async def _create_thread_from_message(self, req: _Request) -> Any:
        parent = self._channel(req.params["channel_id"])
        msg = self._channel_message(req)
        body = req.json or {}
        thread_id = int(msg["id"])  # a thread started from a message shares its id
        if thread_id in self.channels:
            raise ApiError(400, 160004, "A thread has already been created for this message")
        thread = self._thread_payload(
            parent,
            thread_id,
            body["name"],
            self.bot_user,
            auto_archive=body.get("auto_archive_duration") or 4320,
        )
        self.channels[thread_id] = thread
        msg["thread"] = thread
        await self._announce_thread(thread, created_by_bot=True)
        return thread

    async def _announce_thread(self, thread: dict[str, Any], *, created_by_bot: bool) -> None:
        event = {**thread, "newly_created": True}
        if created_by_bot:
            event["member"] = {
                "id": thread["id"],
                "user_id": str(self.bot_user.id),
                "join_timestamp": iso_now(),
                "flags": 0,
            }
        await self.dispatch("THREAD_CREATE", event, require_session=False)
        self._notify()

    async def _join_thread(self, req: _Request) -> Any:
        channel = self._channel(req.params["channel_id"])
        if channel["type"] not in THREAD_TYPES:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        return NO_CONTENT

    async def _add_reaction(self, req: _Request) -> Any:
        msg = self._channel_message(req)
        self.reactions.append(("add", int(msg["channel_id"]), int(msg["id"]), req.params["emoji_name"]))
        self._notify()
        return NO_CONTENT

    async def _remove_reaction(self, req: _Request) -> Any:
        msg = self._channel_message(req)
        self.reactions.append(("remove", int(msg["channel_id"]), int(msg["id"]), req.params["emoji_name"]))
        self._notify()
        return NO_CONTENT

    # -- guild
    def _check_guild(self, req: _Request) -> int:
        guild_id = int(req.params["guild_id"])
        if guild_id not in self.guilds:
            raise _unknown("Guild", 10004)
        return guild_id

    async def _get_guild(self, req: _Request) -> Any:
        data = self.guild_payload(self._check_guild(req))
        for key in (
            "members",
            "channels",
            "threads",
            "voice_states",
            "presences",
            "joined_at",
            "large",
            "member_count",
            "unavailable",
            "lazy",
        ):
            data.pop(key, None)
        data["approximate_member_count"] = len(self.members)
        return data

    async def _get_guild_channels(self, req: _Request) -> Any:
        gid = str(self._check_guild(req))
        return [c for c in self.channels.values() if c.get("guild_id") == gid and c["type"] not in THREAD_TYPES]

    async def _get_guild_roles(self, req: _Request) -> Any:
        return self._guild_roles(self._check_guild(req))

    async def _get_member(self, req: _Request) -> Any:
        gid = self._check_guild(req)
        uid = int(req.params["user_id"])
        if uid not in self.members:
            raise _unknown("Member", 10007)
        return self.member_payload(self.users[uid], guild_id=gid)

    # ------------------------------------------------------------------ gateway
    async def _handle_gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        compress = self.gateway_compression and request.query.get("compress") == "zlib-stream"
        conn = _Connection(ws, compress)
        self._connections.add(conn)
        self.gateway_connections.append(request.path)
        if request.query.get("v") not in (None, "10"):
            self.gateway_errors.append(GatewayError(f"gateway version {request.query.get('v')}, expected 10"))
        try:
            await conn.send({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None})
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._on_gateway_frame(conn, msg.data)
                elif msg.type is WSMsgType.BINARY:
                    await self._close_with(conn, 4002, "binary frames from the client are not valid", msg.data)
                elif msg.type is WSMsgType.ERROR:
                    break
        except ConnectionResetError:
            pass
        finally:
            self._connections.discard(conn)
            session = conn.session
            if session is not None and session.conn is conn:
                session.conn = None
                # A client closing with 1000/1001 ends its session, as on Discord.
                if not conn.closed_by_server and ws.close_code in (1000, 1001):
                    session.invalidated = True
            self._notify()
        return ws

    async def _close_with(self, conn: _Connection, code: int, reason: str, payload: Any = None) -> None:
        self.gateway_errors.append(GatewayError(f"closed {code}: {reason}", payload))
        _log.error("fakediscord gateway: %s (%s)", reason, code)
        conn.closed_by_server = True
        await conn.ws.close(code=code, message=reason.encode()[:120])

    async def _on_gateway_frame(self, conn: _Connection, text: str) -> None:
        try:
            frame = json.loads(text)
            op = frame["op"]
        except (ValueError, KeyError, TypeError):
            await self._close_with(conn, 4002, "decode error", text)
            return
        self.gateway_log.append(("recv", op))
        data = frame.get("d")
        if op == 1:
            await conn.send({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            await self._identify(conn, data)
        elif op == 6:
            await self._resume(conn, data)
        elif conn.session is None:
            await self._close_with(conn, 4003, f"op {op} before IDENTIFY", frame)
        elif op == 3:
            self.presence_updates.append(data)
            self._notify()
        elif op == 4:
            pass  # voice state update: accepted, no voice in this fake
        elif op == 8:
            await self._request_members(conn, data)
        else:
            await self._close_with(conn, 4001, f"unknown opcode {op}", frame)

    def _token_ok(self, token: Any) -> bool:
        return isinstance(token, str) and bool(token) and (self.token is None or token == self.token)

    async def _identify(self, conn: _Connection, data: Any) -> None:
        if conn.session is not None:
            await self._close_with(conn, 4005, "already authenticated", data)
            return
        if not isinstance(data, Mapping) or not self._token_ok(data.get("token")):
            await self._close_with(conn, 4004, "authentication failed", None)
            return
        if not isinstance(data.get("intents"), int):
            await self._close_with(conn, 4013, "invalid intents", data.get("intents"))
            return
        if data["intents"] & PRIVILEGED_INTENTS & ~self.privileged_intents:
            await self._close_with(conn, 4014, "disallowed intents", data["intents"])
            return
        shard = data.get("shard")
        if shard is not None and not (
            isinstance(shard, list)
            and len(shard) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in shard)
            and 0 <= shard[0] < shard[1]
        ):
            await self._close_with(conn, 4010, "invalid shard", shard)
            return
        if (shard[1] if shard else 1) < self.shard_count:
            # Discord: "the session would have handled too many guilds - you are required to shard".
            await self._close_with(conn, 4011, "sharding required", shard)
            return
        self.identify_payloads.append({k: v for k, v in data.items() if k != "token"})
        session = _Session(secrets.token_hex(16), data["intents"], shard)
        self._sessions[session.id] = session
        session.conn = conn
        conn.session = session
        ready: dict[str, Any] = {
            "v": 10,
            "user": {**self.bot_user.payload(), "verified": True, "mfa_enabled": False, "email": None},
            "user_settings": {},
            "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds if self._handles(session, g)],
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "geo_ordered_rtc_regions": ["local"],
            "auth": {},
            "_trace": ["fakediscord"],
        }
        if session.shard is not None:
            ready["shard"] = session.shard
        async with session.lock:
            await self._emit(session, "READY", ready)
            if session.intents & INTENT_GUILDS:
                for guild_id in self.guilds:
                    if self._handles(session, guild_id):
                        await self._emit(session, "GUILD_CREATE", self.guild_payload(guild_id))
        self._notify()

    async def _resume(self, conn: _Connection, data: Any) -> None:
        if not isinstance(data, Mapping) or not self._token_ok(data.get("token")):
            await self._close_with(conn, 4004, "authentication failed", None)
            return
        session = self._sessions.get(str(data.get("session_id")))
        if session is None or session.invalidated:
            await conn.send({"op": 9, "d": False, "s": None, "t": None})
            return
        seq = data.get("seq") or 0
        async with session.lock:
            old = session.conn
            session.conn = conn
            conn.session = session
            if old is not None and old is not conn:
                old.closed_by_server = True
                with contextlib.suppress(Exception):
                    await old.ws.close(code=4000, message=b"session resumed elsewhere")
            for frame in session.buffer:
                if frame["s"] > seq:
                    self.gateway_log.append(("replay", frame["t"]))
                    await conn.send(frame)
            await self._emit(session, "RESUMED", {"_trace": ["fakediscord"]})
        self.resume_count += 1
        self._notify()

    async def _request_members(self, conn: _Connection, data: Any) -> None:
        session = conn.session
        assert session is not None
        if not session.intents & INTENT_GUILD_MEMBERS and not (data or {}).get("user_ids"):
            await self._close_with(conn, 4013, "requesting members without GUILD_MEMBERS intent", data)
            return
        user_ids = {int(u) for u in (data or {}).get("user_ids") or []}
        gid = int((data or {}).get("guild_id") or self.guild_id)
        members = [
            self.member_payload(self.users[u], guild_id=gid)
            for u in sorted(self.members)
            if not user_ids or u in user_ids
        ]
        chunk: dict[str, Any] = {
            "guild_id": str(gid),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [str(u) for u in user_ids if u not in self.members],
        }
        if (data or {}).get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        async with session.lock:
            await self._emit(session, "GUILD_MEMBERS_CHUNK", chunk)

    def _live_sessions(self) -> list[_Session]:
        return [s for s in self._sessions.values() if not s.invalidated]

    def _handles(self, session: _Session, guild_id: int | None) -> bool:
        """Whether a session's shard gets a guild's events (a DM's, guild None: shard 0's)."""
        shard_id, count = session.shard or (0, 1)
        return self.shard_of(guild_id, count) == shard_id

    @staticmethod
    def _event_guild(event: str, data: Mapping[str, Any]) -> int | None:
        """The guild an event is about: its guild_id, or the guild itself for GUILD_CREATE/UPDATE/DELETE."""
        if data.get("guild_id"):
            return int(data["guild_id"])
        if event in ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE") and data.get("id"):
            return int(data["id"])
        return None

    async def _emit(self, session: _Session, event: str, data: Any) -> None:
        """Sequence, buffer (for RESUME) and send one dispatch; caller holds session.lock."""
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.buffer.append(frame)
        if len(session.buffer) > 2000:
            del session.buffer[:1000]
        self.gateway_log.append(("send", event))
        if session.conn is not None:
            try:
                await session.conn.send(frame)
            except ConnectionResetError:
                pass  # replayed on RESUME

    @staticmethod
    def _required_intent(event: str, data: Mapping[str, Any]) -> int:
        in_guild = bool(data.get("guild_id"))
        if event.startswith(("MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE")):
            return INTENT_GUILD_MESSAGES if in_guild else INTENT_DIRECT_MESSAGES
        if event.startswith("MESSAGE_REACTION"):
            return INTENT_GUILD_MESSAGE_REACTIONS if in_guild else INTENT_DIRECT_MESSAGE_REACTIONS
        if event == "TYPING_START":
            return INTENT_GUILD_MESSAGE_TYPING if in_guild else INTENT_DIRECT_MESSAGE_TYPING
        if event.startswith(("GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE")):
            return INTENT_GUILD_MEMBERS
        if event.startswith(("GUILD_", "CHANNEL_", "THREAD_")):
            return INTENT_GUILDS
        return 0

    def _mask_content(self, session: _Session, event: str, data: dict[str, Any]) -> dict[str, Any]:
        """Without MESSAGE_CONTENT, guild messages arrive with empty content, as on Discord."""
        if session.intents & INTENT_MESSAGE_CONTENT or not event.startswith("MESSAGE_") or "content" not in data:
            return data
        if not data.get("guild_id"):
            return data
        if int(data.get("author", {}).get("id", 0)) == self.bot_user.id:
            return data
        if any(int(m["id"]) == self.bot_user.id for m in data.get("mentions", [])):
            return data
        masked = {**data, "content": "", "embeds": [], "attachments": [], "components": []}
        masked.pop("poll", None)
        return masked

    def _queue_event(self, event: str, data: dict[str, Any]) -> None:
        if self._sessions:
            self._pending_events.append((event, data))

    async def flush_events(self) -> None:
        """Announce queued world changes (CHANNEL_CREATE, GUILD_MEMBER_ADD ...) now."""
        while self._pending_events:
            event, data = self._pending_events.pop(0)
            await self._dispatch_now(event, data)

    async def dispatch(self, event: str, data: dict[str, Any], *, require_session: bool = True) -> int:
        """Send a gateway DISPATCH to every live session of the event's shard that has the needed intent.

        Queued world changes go out first.  Sessions whose connection is down buffer it
        for RESUME.  Returns how many sessions it was sent to (0 when intents filtered
        it out).
        """
        if require_session:
            if not self._live_sessions():
                raise RuntimeError("no bot is connected to the fake gateway (did the bot start?)")
            guild = self._event_guild(event, data)
            if not any(self._handles(s, guild) for s in self._live_sessions()):
                raise RuntimeError(f"no bot session is connected for the shard of guild {guild} (a DM: shard 0)")
        await self.flush_events()
        return await self._dispatch_now(event, data)

    async def _dispatch_now(self, event: str, data: dict[str, Any]) -> int:
        guild = self._event_guild(event, data)
        sessions = [s for s in self._live_sessions() if self._handles(s, guild)]
        needed = self._required_intent(event, data)
        sent = 0
        for session in sessions:
            if needed and not session.intents & needed:
                continue
            async with session.lock:
                await self._emit(session, event, self._mask_content(session, event, data))
            sent += 1
        return sent

    async def _dispatch_message_event(self, event: str, msg: dict[str, Any]) -> None:
        if self._live_sessions():
            await self.dispatch(event, msg, require_session=False)

    # ------------------------------------------------------------------ acting as users
    def _find_command(
        self, name: str, ctype: int, in_guild: bool, guild_id: int | None = None
    ) -> dict[str, Any] | None:
        guild_store = self.guild_commands.get(guild_id or self.guild_id, {})
        stores = ([guild_store] if in_guild else []) + [self.global_commands]
        for store in stores:
            for cmd in store.values():
                if cmd["name"] == name and cmd["type"] == ctype:
                    return cmd
        return None

    def _command_for(
        self, name: str, ctype: int, in_guild: bool, user: FakeUser, guild_id: int | None = None
    ) -> dict[str, Any]:
        """The registered command a user can see, or why Discord's client would not offer it."""
        cmd = self._find_command(name, ctype, in_guild, guild_id)
        if cmd is None:
            if self.require_registered_commands:
                where = "this guild or globally" if in_guild else "globally (DMs only see global commands)"
                raise LookupError(
                    f"command {name!r} (type {ctype}) is not registered {where}; a user could not invoke it. "
                    "Sync the CommandTree first (or set require_registered_commands=False)."
                )
            cmd = {"id": str(self._sid()), "name": name, "type": ctype, "options": []}
        contexts = cmd.get("contexts")
        if contexts is not None and (0 if in_guild else 1) not in contexts:
            raise LookupError(f"command {name!r} is not available {'in guilds' if in_guild else 'in DMs'}")
        required = cmd.get("default_member_permissions")
        if in_guild and required is not None:
            have = self.member_permissions(user, guild_id)
            needed = int(required)
            if (needed == 0 and have != ALL_PERMISSIONS) or (have & needed) != needed:
                raise PermissionError(
                    f"{user.username} lacks default_member_permissions={required} for {name!r}; "
                    "Discord hides the command from them"
                )
        return cmd

    def _new_interaction(
        self,
        itype: int,
        data: dict[str, Any] | None,
        *,
        user: FakeUser,
        channel_id: int | None,
        in_guild: bool,
        message: Mapping[str, Any] | None = None,
        locale: str | None = None,
    ) -> InteractionHandle:
        interaction_id = self._sid()
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": itype,
            "token": "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48),
            "version": 1,
            "app_permissions": "0",  # set below, from the guild of the channel
            "entitlements": [],
            "entitlement_sku_ids": [],
            "locale": locale or user.locale,
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if data is not None:
            payload["data"] = data
        if in_guild:
            if user.id not in self.members:
                raise LookupError(f"{user.username} is not a member of the guild")
            channel = self._channel(channel_id or self.text_channel_id)
            gid = int(channel.get("guild_id") or self.guild_id)
            payload.update(
                app_permissions=str(self.member_permissions(self.bot_user, gid)),
                guild_id=str(gid),
                guild={"id": str(gid), "locale": "en-US", "features": []},
                guild_locale="en-US",
                channel_id=channel["id"],
                channel=self._channel_for_interaction(channel, user),
                member=self.member_payload(user, permissions=True, guild_id=gid),
                context=0,
                authorizing_integration_owners={"0": str(gid)},
            )
        else:
            payload["app_permissions"] = str(BOT_PERMISSIONS)
            channel = self._dm_channel(user)
            payload.update(
                channel_id=channel["id"],
                channel=dict(channel),
                user=user.payload(),
                context=1,
                authorizing_integration_owners={"0": "0"},
            )
        if message is not None:
            payload["message"] = dict(message)
        handle = InteractionHandle(self, payload, user)
        self.interactions[interaction_id] = handle
        return handle

    def _resolve_value(
        self,
        opt_def: Mapping[str, Any],
        value: Any,
        resolved: dict[str, dict],
        in_guild: bool,
        channel_id: int,
    ) -> Any:
        """Convert a test's option value to the wire value, filling ``resolved`` like Discord."""
        otype = opt_def["type"]
        name = opt_def["name"]
        if otype in (OPT_USER, OPT_MENTIONABLE) and (isinstance(value, FakeUser) or int(value) in self.users):
            user = self._user(value)
            resolved.setdefault("users", {})[str(user.id)] = user.payload()
            if in_guild and user.id in self.members:
                resolved.setdefault("members", {})[str(user.id)] = self.member_payload(
                    user, with_user=False, permissions=True
                )
            return str(user.id)
        if otype in (OPT_ROLE, OPT_MENTIONABLE):
            role = self.roles.get(int(value))
            if role is None:
                raise ValueError(f"option {name!r}: unknown role/user {value}")
            resolved.setdefault("roles", {})[role["id"]] = role
            return role["id"]
        if otype == OPT_CHANNEL:
            channel = self._channel(value)
            types = opt_def.get("channel_types")
            if types and channel["type"] not in types:
                raise ValueError(f"option {name!r}: channel type {channel['type']} not in {types}")
            keys = ("id", "name", "type", "parent_id", "thread_metadata")
            entry = {k: channel[k] for k in keys if k in channel}
            entry["permissions"] = str(ALL_PERMISSIONS)
            resolved.setdefault("channels", {})[channel["id"]] = entry
            return channel["id"]
        if otype == OPT_ATTACHMENT:
            if not isinstance(value, FakeAttachment):
                raise TypeError(f"option {name!r} is an attachment: pass a FakeAttachment")
            att = self._attachment_payload(
                channel_id, value.filename, value.content, value.content_type, value.description
            )
            att["ephemeral"] = True
            resolved.setdefault("attachments", {})[att["id"]] = att
            return att["id"]
        if otype == OPT_STRING:
            value = str(value)
            if "min_length" in opt_def and len(value) < opt_def["min_length"]:
                raise ValueError(f"option {name!r}: shorter than min_length {opt_def['min_length']}")
            if "max_length" in opt_def and len(value) > opt_def["max_length"]:
                raise ValueError(f"option {name!r}: longer than max_length {opt_def['max_length']}")
        elif otype == OPT_INTEGER:
            if isinstance(value, bool) or int(value) != value:
                raise ValueError(f"option {name!r} is an integer, got {value!r}")
            value = int(value)
        elif otype == OPT_NUMBER:
            value = float(value)
        elif otype == OPT_BOOLEAN:
            if not isinstance(value, bool):
                raise ValueError(f"option {name!r} is a boolean, got {value!r}")
        if otype in (OPT_INTEGER, OPT_NUMBER):
            if opt_def.get("min_value") is not None and value < opt_def["min_value"]:
                raise ValueError(f"option {name!r}: below min_value {opt_def['min_value']}")
            if opt_def.get("max_value") is not None and value > opt_def["max_value"]:
                raise ValueError(f"option {name!r}: above max_value {opt_def['max_value']}")
        if opt_def.get("choices") and value not in [c["value"] for c in opt_def["choices"]]:
            raise ValueError(f"option {name!r}: {value!r} is not one of the command's choices")
        return value

    def _build_command_data(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None,
        *,
        in_guild: bool,
        channel_id: int,
        user: FakeUser,
        focused: str | None = None,
    ) -> dict[str, Any]:
        """``name`` may include a subcommand path: ``"group sub"``."""
        root, *path = name.split()
        guild_id = self.guild_of_channel(channel_id) if in_guild and channel_id in self.channels else None
        cmd = self._command_for(root, 1, in_guild, user, guild_id)
        resolved: dict[str, dict] = {}
        if options is not None and not isinstance(options, Mapping):
            built: list[dict[str, Any]] = [dict(o) for o in options]  # raw, as the test wrote it
        else:
            defs = list(cmd.get("options") or [])
            chain: list[dict[str, Any]] = []
            for part in path:
                sub = next((d for d in defs if d["name"] == part and d["type"] in (1, 2)), None)
                if sub is None:
                    raise LookupError(f"{root!r} has no subcommand {part!r}")
                chain.append({"type": sub["type"], "name": part})
                defs = list(sub.get("options") or [])
            if any(d["type"] in (1, 2) for d in defs):
                raise ValueError(f"{name!r} is a group: name a subcommand (e.g. '{name} <sub>')")
            leaf: list[dict[str, Any]] = []
            values = dict(options or {})
            for key, value in values.items():
                opt_def = next((d for d in defs if d["name"] == key), None)
                if opt_def is None:
                    raise LookupError(f"{name!r} has no option {key!r}")
                if key == focused:
                    if not opt_def.get("autocomplete"):
                        raise ValueError(f"option {key!r} has no autocomplete")
                    leaf.append({"type": opt_def["type"], "name": key, "value": str(value), "focused": True})
                else:
                    leaf.append(
                        {
                            "type": opt_def["type"],
                            "name": key,
                            "value": self._resolve_value(opt_def, value, resolved, in_guild, channel_id),
                        }
                    )
            if focused is None:
                missing = [d["name"] for d in defs if d.get("required") and d["name"] not in values]
                if missing:
                    raise ValueError(f"{name!r}: required option(s) {missing} missing; Discord would not send it")
            elif focused not in values:
                raise ValueError(f"focused option {focused!r} needs a (partial) value")
            built = leaf
            for link in reversed(chain):
                built = [{**link, "options": built}]
        data: dict[str, Any] = {"id": cmd["id"], "name": root, "type": 1}
        if built:
            data["options"] = built
        if resolved:
            data["resolved"] = resolved
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        return data

    async def _send(self, handle: InteractionHandle) -> InteractionHandle:
        handle.dispatched_at = time.perf_counter()
        await self.dispatch("INTERACTION_CREATE", handle.payload)
        return handle

    async def send_slash_command(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
        *,
        user: FakeUser | int | None = None,
        guild: bool | int = True,
        channel_id: int | None = None,
        locale: str | None = None,
        subcommand: str | Sequence[str] | None = None,
    ) -> InteractionHandle:
        """A user runs ``/name`` (``"group sub"`` or ``subcommand=("group", "sub")``) with ``options``.

        ``options`` maps option names to values (users as :class:`FakeUser`, attachments as
        :class:`FakeAttachment`, channels/roles by id); types, choices, bounds and required
        options are checked against the command the bot registered, as Discord's client
        would.  A list of raw option dicts is sent as is.  ``guild=False`` runs it in the
        user's DM with the bot; ``guild=<guild id>`` in that guild's text channel.
        """
        user = self._user(user)
        if subcommand is not None:
            name = " ".join([name, *([subcommand] if isinstance(subcommand, str) else subcommand)])
        in_guild = guild is not False
        if guild is not True and guild is not False:
            channel_id = channel_id or self.guilds[int(guild)]["text_channel_id"]
        channel = channel_id or (self.text_channel_id if in_guild else self.dm_channel_id(user))
        data = self._build_command_data(name, options, in_guild=in_guild, channel_id=channel, user=user)
        handle = self._new_interaction(2, data, user=user, channel_id=channel, in_guild=in_guild, locale=locale)
        return await self._send(handle)

    async def send_autocomplete(
        self,
        name: str,
        options: Mapping[str, Any],
        focused: str,
        *,
        user: FakeUser | int | None = None,
        guild: bool = True,
        channel_id: int | None = None,
        timeout: float = WAIT_LIMIT,  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        """A user types into an autocomplete option; returns the choices the bot offered."""
        user = self._user(user)
        channel = channel_id or (self.text_channel_id if guild else self.dm_channel_id(user))
        data = self._build_command_data(name, options, in_guild=guild, channel_id=channel, user=user, focused=focused)
        handle = await self._send(self._new_interaction(4, data, user=user, channel_id=channel, in_guild=guild))
        response = await handle.wait_for_response(timeout)
        if response.type != 8:
            raise AssertionError(f"autocomplete answered with type {response.type}, expected 8")
        return response.choices

    async def send_message_context_menu(
        self, name: str, target_message: Mapping[str, Any] | int, *, user: FakeUser | int | None = None
    ) -> InteractionHandle:
        """A user right-clicks a message -> Apps -> ``name`` (command type 3)."""
        user = self._user(user)
        msg = self.get_message(target_message) if isinstance(target_message, int) else target_message
        in_guild = bool(msg.get("guild_id"))
        cmd = self._command_for(name, 3, in_guild, user)
        data: dict[str, Any] = {
            "id": cmd["id"],
            "name": name,
            "type": 3,
            "target_id": msg["id"],
            "resolved": {"messages": {msg["id"]: dict(msg)}},
        }
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        handle = self._new_interaction(2, data, user=user, channel_id=int(msg["channel_id"]), in_guild=in_guild)
        return await self._send(handle)

    async def send_user_context_menu(
        self, name: str, target: FakeUser | int, *, user: FakeUser | int | None = None, guild: bool = True
    ) -> InteractionHandle:
        """A user right-clicks a user -> Apps -> ``name`` (command type 2)."""
        user = self._user(user)
        target_user = self._user(target)
        cmd = self._command_for(name, 2, guild, user)
        resolved: dict[str, Any] = {"users": {str(target_user.id): target_user.payload()}}
        if guild and target_user.id in self.members:
            resolved["members"] = {
                str(target_user.id): self.member_payload(target_user, with_user=False, permissions=True)
            }
        data: dict[str, Any] = {
            "id": cmd["id"],
            "name": name,
            "type": 2,
            "target_id": str(target_user.id),
            "resolved": resolved,
        }
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        channel = self.text_channel_id if guild else self.dm_channel_id(user)
        return await self._send(self._new_interaction(2, data, user=user, channel_id=channel, in_guild=guild))

    async def send_component(
        self,
        custom_id: str,
        *,
        message: Mapping[str, Any] | int,
        values: Sequence[str] | None = None,
        user: FakeUser | int | None = None,
    ) -> InteractionHandle:
        """A user clicks a button / picks select ``values`` on a message the bot sent.

        The component must exist (and be enabled) on the message's current state, and
        select values must be among its options: a user can only click what is there.
        """
        user = self._user(user)
        msg = self.get_message(message) if isinstance(message, int) else message
        comp = next(
            (c for c in _walk_components(msg.get("components") or []) if c.get("custom_id") == custom_id),
            None,
        )
        if comp is None:
            raise LookupError(f"message {msg['id']} has no component with custom_id {custom_id!r}")
        if comp.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": comp["type"]}
        if comp["type"] == 2:
            if values is not None:
                raise ValueError("buttons take no values")
        else:
            chosen = list(values or [])
            if comp["type"] == 3:
                allowed = {o["value"] for o in comp.get("options") or []}
                if not set(chosen) <= allowed:
                    raise ValueError(f"select {custom_id!r}: {chosen} not all in options {sorted(allowed)}")
            lo, hi = comp.get("min_values", 1), comp.get("max_values", 1)
            if not lo <= len(chosen) <= hi:
                raise ValueError(f"select {custom_id!r} takes {lo}..{hi} values, got {len(chosen)}")
            data["values"] = chosen
        in_guild = bool(msg.get("guild_id"))
        handle = self._new_interaction(
            3, data, user=user, channel_id=int(msg["channel_id"]), in_guild=in_guild, message=msg
        )
        return await self._send(handle)

    async def send_modal_submit(
        self,
        custom_id: str,
        values: Mapping[str, str | Sequence[str]],
        *,
        user: FakeUser | int | None = None,
        shown_to: FakeUser | int | None = None,
    ) -> InteractionHandle:
        """A user fills in and submits the modal the bot showed them (``custom_id``).

        ``values`` maps each input's custom_id to its text (or select values).  The layout
        (action rows or labels) mirrors the modal the bot sent; required inputs and length
        bounds are enforced as Discord's client does.  ``shown_to`` names another user the
        modal was shown to: a forged submission replaying their custom_id, which real
        Discord's client never sends but a modified client could.
        """
        user = self._user(user)
        viewer = self._user(shown_to) if shown_to is not None else user
        source = next(
            (
                h
                for h in reversed(list(self.interactions.values()))
                if h.response is not None
                and h.response.type == 9
                and h.response.custom_id == custom_id
                and h.user.id == viewer.id
            ),
            None,
        )
        if source is None:
            raise LookupError(f"the bot never showed {viewer.username} a modal with custom_id {custom_id!r}")
        assert source.response is not None
        modal = source.response.data or {}
        seen: set[str] = set()

        def mirror(comp: Mapping[str, Any]) -> dict[str, Any] | None:
            ctype = comp["type"]
            if ctype == 1:
                children = [m for c in comp.get("components") or [] if (m := mirror(c)) is not None]
                return {"type": 1, "components": children}
            if ctype == 18:
                inner = mirror(comp["component"])
                return {"type": 18, "component": inner, **({"id": comp["id"]} if "id" in comp else {})}
            if ctype == 10:
                return None  # text display: nothing submitted
            cid = str(comp.get("custom_id"))
            seen.add(cid)
            if ctype == 4:
                text = values.get(cid, "")
                if not isinstance(text, str):
                    raise TypeError(f"text input {cid!r} takes a string")
                if comp.get("required", True) and not text:
                    raise ValueError(f"text input {cid!r} is required")
                if text and len(text) < comp.get("min_length", 0):
                    raise ValueError(f"text input {cid!r} is shorter than {comp['min_length']}")
                if len(text) > comp.get("max_length", 4000):
                    raise ValueError(f"text input {cid!r} is longer than {comp.get('max_length', 4000)}")
                return {
                    "type": 4,
                    "custom_id": cid,
                    "value": text,
                    **({"id": comp["id"]} if "id" in comp else {}),
                }
            chosen = values.get(cid, [])
            return {
                "type": ctype,
                "custom_id": cid,
                "values": [chosen] if isinstance(chosen, str) else list(chosen),
            }

        components = [m for c in modal.get("components") or [] if (m := mirror(c)) is not None]
        unknown = set(values) - seen
        if unknown:
            raise LookupError(f"modal {custom_id!r} has no inputs {sorted(unknown)}")
        data = {"custom_id": custom_id, "components": components}
        handle = self._new_interaction(
            5,
            data,
            user=user,
            channel_id=source.channel_id,
            in_guild=source.guild_id is not None,
            message=source.payload.get("message"),
        )
        handle.source = source
        return await self._send(handle)

    async def create_message(
        self,
        channel_id: int | None = None,
        content: str = "",
        *,
        author: FakeUser | int | None = None,
        attachments: Sequence[FakeAttachment] = (),
        embeds: Sequence[Mapping[str, Any]] = (),
        reply_to: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A user posts in a channel or thread (the bot receives MESSAGE_CREATE)."""
        author = self._user(author)
        channel_id = channel_id or self.text_channel_id
        channel = self._channel(channel_id)
        if channel["type"] == CHANNEL_FORUM:
            raise ValueError("post in a forum with create_forum_thread()")
        body: dict[str, Any] = {"content": content, "embeds": list(embeds)}
        if reply_to is not None:
            body["message_reference"] = {"message_id": reply_to["id"], "channel_id": reply_to["channel_id"]}
        msg = self._build_message(channel_id, author, body)
        msg["attachments"] = [
            self._attachment_payload(channel_id, a.filename, a.content, a.content_type, a.description)
            for a in attachments
        ]
        self._store_message(msg)
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def send_dm_to_bot(
        self,
        content: str,
        *,
        author: FakeUser | int | None = None,
        attachments: Sequence[FakeAttachment] = (),
    ) -> dict[str, Any]:
        """A user DMs the bot."""
        author = self._user(author)
        return await self.create_message(self.dm_channel_id(author), content, author=author, attachments=attachments)

    async def create_forum_thread(
        self,
        forum_channel_id: int | None = None,
        title: str = "Question",
        content: str = "",
        *,
        author: FakeUser | int | None = None,
        applied_tags: Sequence[int | str] = (),
        attachments: Sequence[FakeAttachment] = (),
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """A user opens a forum post: THREAD_CREATE then the starter MESSAGE_CREATE.

        As on Discord the thread id equals the starter message id.  Returns
        ``(thread, starter_message)``.
        """
        author = self._user(author)
        forum = self._channel(forum_channel_id or self.forum_channel_id)
        if forum["type"] != CHANNEL_FORUM:
            raise ValueError(f"channel {forum['id']} is not a forum")
        valid = {t["id"] for t in forum.get("available_tags", [])}
        tags = [str(t) for t in applied_tags]
        if not set(tags) <= valid:
            raise ValueError(f"unknown forum tags {set(tags) - valid}")
        thread_id = self._sid()
        thread = self._thread_payload(forum, thread_id, title, author, applied_tags=tags)
        self.channels[thread_id] = thread
        forum["last_message_id"] = str(thread_id)
        await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        msg = self._build_message(thread_id, author, {"content": content}, message_id=thread_id)
        msg["attachments"] = [
            self._attachment_payload(thread_id, a.filename, a.content, a.content_type, a.description)
            for a in attachments
        ]
        self._store_message(msg)
        await self.dispatch("MESSAGE_CREATE", msg)
        return thread, msg

    # ------------------------------------------------------------------ reporting
    def problems(self) -> list[str]:
        """Everything real Discord would have rejected or not understood, for assertions."""
        out = [f"schema: {v}" for v in self.schema_errors]
        out += [f"unknown route: {c.method} {c.path}" for c in self.unknown_routes]
        out += [f"gateway: {e.message}" for e in self.gateway_errors]
        return out
