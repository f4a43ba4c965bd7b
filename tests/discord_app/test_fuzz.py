"""Fuzzing every product command of the real AdvisorBot through the local Discord (hypothesis).

Options are drawn from each command's registered definition (types, choices, lengths, bounds, as
Discord's client enforces them), mixed with hostile text: mentions, markdown, code fences, zero-width
and right-to-left characters, control characters, newlines that try to fake embed fields, SQL, very
long strings; attachments of random bytes and JSON; modal forms; the buttons under the answers; the
message menu and forum posts. After every interaction:

* the bot answered (no crash, nothing logged at ERROR: an internal error on user input is a bug);
* no traceback or internal detail reaches the user; private answers are ephemeral;
* every REST body was schema-valid (the local Discord checks) and every message sent carries
  ``allowed_mentions`` with ``parse: []``;
* no raw ``@everyone``/``@here``/user or role mention, no bidi override, no injected field in any embed;
* a rejected input changed nothing, and nothing the user did changed another user's data.

One bot for the whole module (module-scoped event loop), reset to the demo ledger per example.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FixedClock
from bot.console.demo import demo_ledger
from bot.discord_app.client import AdvisorBot
from scoring.model import ledger_to_json_data
from tests.discord_app import ONE_STEP
from tests.fakediscord import (
    EPHEMERAL,
    FakeAttachment,
    FakeDiscord,
    FakeUser,
    InteractionHandle,
    discord_py_pointed_at,
    running_bot,
)
from tests.samples import TODAY

from .test_commands_e2e import (
    DEMO_IDS,
    ERROR_COLOUR,
    JSS,
    SECRET,
    assert_mentions_suppressed,
    embed_texts,
    visible_text,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INTERNAL_TITLE = "Something went wrong on our side"
ANSWERS_PER_COMMAND = {JSS: 2}
PUBLIC = {("ask", "public")}  # option that makes an answer public on purpose

# ----------------------------------------------------------------------------------------- hostile text

HOSTILE = [
    "@everyone",
    "@here",
    "@​everyone",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<@&1>",
    "<@&123456789012345678>",
    "<#123456789012345678>",
    "</ask:123456789012345678>",
    "**bold**",
    "__under__",
    "~~strike~~",
    "`tick`",
    "```py\nprint('x')\n```",
    "> quote",
    "# Heading",
    "-# small",
    "[click](https://evil.example)",
    "||spoiler||",
    "\u200b",
    "\u200d",
    "\u202e",
    "\u2066",
    "\u2069",
    "\ufeff",
    "\x00",
    "\x07",
    "\x1b[2J",
    "\x1b]0;owned\x07",
    "\r\n",
    "\t",
    "\x0b",
    "\x85",
    "\u2028",
    "\u2029",
    "\n## INJECTED\n",
    "\n# INJECTED",
    "\u2028## INJECTED",
    "\x85## INJECTED",
    "\r## INJECTED",
    "'; DROP TABLE contracts; --",
    "%",
    "_",
    "\\",
    "{{ 7*7 }}",
    "{% raw %}",
    "${jndi:x}",
    "🙂",
    "👩‍💻",
    "e\u0301",
    "ﷺ",
    "\U0001d54f",
    "null",
    "None",
    "-",
    "acme-site",
    "b-secret",
]
_text = st.text(st.characters(codec="utf-8"), max_size=24)  # no lone surrogates: Discord sends UTF-8
_pieces = st.lists(st.one_of(st.sampled_from(HOSTILE), _text), max_size=8).map("".join)


def hostile(min_size: int = 0, max_size: int = 4000) -> st.SearchStrategy[str]:
    """Hostile text within Discord's bounds for the option or input (as its client enforces them)."""

    def fit(text: str) -> str:
        text = text[:max_size]
        return text + "x" * (min_size - len(text)) if len(text) < min_size else text

    long = st.sampled_from(["L", "@everyone ", "**", "\u202e"]).map(lambda s: (s * max_size)[:max_size])
    return st.one_of(_pieces, _pieces, _pieces, long).map(fit)


QUESTIONS = [
    "my client went silent, should I close the contract?",
    "why did my score drop with no new work?",
    "when will my JSS come back?",
    "does a refund remove bad feedback?",
    "am I still top rated?",
    "should I close acme-site?",
    "how often does the score update?",
]
ZONES = ["Europe/Berlin", "utc", "America/New_York", "Mars/Olympus_Mons", "../../etc/passwd", "Etc/GMT+5", ""]


def iso_dates() -> st.SearchStrategy[str]:
    return st.dates(date(2015, 1, 1), TODAY + timedelta(days=400)).map(date.isoformat)


def json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile(0, 60))
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(hostile(0, 12), inner, max_size=4)),
        max_leaves=20,
    )


@st.composite
def ledger_files(draw: st.DrawFn) -> bytes:
    """A jss-ledger/1 file: valid with hostile titles, subtly broken, or not a ledger at all."""
    data = ledger_to_json_data(demo_ledger(TODAY))
    kind = draw(st.sampled_from(["hostile-valid", "mutated", "json", "bytes", "truncated"]))
    if kind == "hostile-valid":
        for c in data["contracts"]:
            if draw(st.booleans()):
                c["title"] = draw(hostile(1, 200)).strip() or "t"
                c["client"] = draw(hostile(1, 200)).strip() or "c"
        return json.dumps(data, ensure_ascii=draw(st.booleans())).encode()
    if kind == "mutated":
        c = draw(st.sampled_from(data["contracts"]))
        c[draw(st.sampled_from([*c.keys(), "extra"]))] = draw(json_values())
        return json.dumps(data).encode()
    if kind == "json":
        return json.dumps(draw(json_values())).encode()
    if kind == "bytes":
        return draw(st.binary(max_size=3000))
    text = json.dumps(data).encode()
    return text[: draw(st.integers(0, len(text) - 1))]


@st.composite
def attachments(draw: st.DrawFn, option: str) -> FakeAttachment:
    if option.startswith("file") and draw(st.booleans()):  # CSV exports for /ledger import-csv
        rows = draw(st.lists(st.lists(hostile(0, 30), min_size=1, max_size=6), max_size=8))
        body = "\n".join(",".join(r) for r in rows).encode("utf-8", "surrogatepass")
        name = "transactions.csv"
    else:
        body, name = draw(ledger_files()), "ledger.json"
    ctype = draw(st.sampled_from(["application/json", "text/csv", "application/octet-stream", None]))
    # Discord sanitises upload names (no slashes), so odd but possible names only.
    names = [name, "x", "ledger.json.exe", "..etc..passwd", "résumé (1).json", "@everyone.json"]
    return FakeAttachment(draw(st.sampled_from(names)), body, ctype)


# ----------------------------------------------------------------------------------------- the world


@dataclass
class World:
    server: FakeDiscord
    bot: AdvisorBot
    me: FakeUser
    other: FakeUser
    admin: FakeUser
    errors: list[logging.LogRecord] = field(default_factory=list)

    async def snapshot(self, user: FakeUser) -> tuple[str, dict[str, Any]]:
        settings_ = await self.bot.services.context.store.get_settings(str(user.id))
        return await self.bot.services.ledger.export_ledger(str(user.id)), settings_.model_dump(mode="json")


class _Errors(logging.Handler):
    def __init__(self, sink: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    server = FakeDiscord()
    await server.start()
    errors: list[logging.LogRecord] = []
    handler = _Errors(errors)
    logging.getLogger().addHandler(handler)
    try:
        with discord_py_pointed_at(server):
            db = Path(tmp_path_factory.mktemp("fuzz")) / "bot.db"
            bot = AdvisorBot(
                db,
                dev_guild_id=server.guild_id,
                clock=FixedClock.on(TODAY),
                guild_ready_timeout=0.05,
                answer_budget=ONE_STEP,
                heavy_limit=None,  # the cooldown has its own tests (test_safe_use.py)
            )
            async with running_bot(bot):
                other, admin = server.add_user("other"), server.add_user("admin", admin=True)
                await server.flush_events()
                await bot.services.context.store.import_ledger(str(other.id), demo_ledger(TODAY), "replace")
                await bot.services.context.store.add_contract(str(other.id), SECRET)
                await bot.services.settings.set_forum_channel(str(server.guild_id), str(server.forum_channel_id))
                yield World(server, bot, server.default_user, other, admin, errors)
    finally:
        logging.getLogger().removeHandler(handler)
        await server.stop()
    assert server.problems() == []


async def fresh(world: World) -> tuple[tuple[str, dict[str, Any]], tuple[str, dict[str, Any]], int]:
    """Reset the fuzzing user to the demo ledger; return both users' data and a mark in the REST log."""
    world.server.calls.clear()  # keep the record small: only this example's calls are checked
    world.errors.clear()
    await world.bot.services.context.store.import_ledger(str(world.me.id), demo_ledger(TODAY), "replace")
    return await world.snapshot(world.me), await world.snapshot(world.other), len(world.server.calls)


# ----------------------------------------------------------------------------------------- checks

RAW_MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>")
CODE = re.compile(r"```.*?```|`[^`]*`", re.DOTALL)


def outside_code(text: str) -> str:
    """What Discord renders as markdown: code blocks and spans show mentions as plain text (the /message
    letter sits in one, to be copied as written), escaped backticks open none."""
    return CODE.sub("", text.replace("\\`", ""))


BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# What a traceback or an internal error message looks like (user text in the fuzz never forms these).
LEAKS = re.compile(
    r"Traceback|File \"|line \d+, in |\b(?:[A-Z][a-z]+)+(?:Error|Exception)\b|sqlite3?\b|pydantic|"
    r"validation errors? for|site-packages|aiosqlite|discord\.errors|jinja2|errors\.pydantic\.dev"
)
ECHOED = re.compile(r"'[^'\n]*'")
OTHER_USERS_WORDS = ("Bobs Secret", "Hidden Client")


def check_messages(messages: Iterable[Mapping[str, Any]], *, private: bool, asked: str = "") -> None:
    messages = list(messages)
    assert messages, "no visible answer"
    text = visible_text(messages)
    # the asker's own words quoted back ("You have no contract 'sqlite'.") are not an internal detail; Hypothesis
    # draws the module's own string constants too, so it does type the words LEAKS looks for. Nor are the words of a
    # question echoed as the answer's title (`asked`: "{{ 7*7 }}AaError" as the title of /ask's answer)
    leaks = [m for m in LEAKS.finditer(ECHOED.sub("''", text)) if m.group(0) not in asked]
    assert not leaks, f"internal detail {leaks[0].group(0)!r} shown: {text[:500]!r}"
    for word in OTHER_USERS_WORDS:
        assert word not in text, f"another user's data shown: {word!r}"
    for m in messages:
        assert not (m.get("content") and RAW_MENTION.search(m["content"])), m["content"]
        if private:
            assert m.get("flags", 0) & EPHEMERAL, f"private answer not ephemeral: {m.get('flags')}"
        for embed in m.get("embeds", []):
            assert embed.get("title") != INTERNAL_TITLE, f"internal error on user input: {embed}"
            for piece in embed_texts(embed):
                assert not RAW_MENTION.search(outside_code(piece)), f"raw mention in embed: {piece!r}"
                assert not BIDI.search(piece), f"bidi control in embed: {piece!r}"
            for fld in embed.get("fields") or []:
                assert "INJECTED" not in fld["name"], f"user text became a field: {fld}"


def is_error(messages: Iterable[Mapping[str, Any]]) -> bool:
    return any(e.get("color") == ERROR_COLOUR for m in messages for e in m.get("embeds", []))


async def check_after(
    world: World,
    before: tuple[Any, ...],
    other_before: tuple[Any, ...],
    mark: int,
    messages: list[dict[str, Any]],
    *,
    private: bool = True,
    asked: str = "",
) -> None:
    server = world.server
    assert server.problems() == [], server.problems()
    assert not world.errors, [r.getMessage() for r in world.errors]
    check_messages(messages, private=private, asked=asked)
    assert_mentions_suppressed(server.calls[mark:])
    if is_error(messages):
        assert await world.snapshot(world.me) == before, "a rejected input changed the user's data"
    assert await world.snapshot(world.other) == other_before, "one user's command changed another's data"


async def answered(handle: InteractionHandle, count: int = 1) -> list[dict[str, Any]]:
    response = await handle.wait_for_response(timeout=60)
    if response.type == 5:
        await handle.wait_for_followups(count, timeout=60)
    elif response.type in (4, 7):
        await handle.wait_for_original(timeout=60)
    return handle.visible_messages()


# ----------------------------------------------------------------------------------------- options


def command_options(server: FakeDiscord, path: str) -> list[dict[str, Any]]:
    root, *subs = path.split()
    command = next(c for c in server.commands(server.guild_id) if c["name"] == root and c.get("type", 1) == 1)
    options = list(command.get("options") or [])
    for sub in subs:
        options = list(next(o for o in options if o["name"] == sub).get("options") or [])
    return options


def leaf_commands(server: FakeDiscord) -> list[str]:
    paths: list[str] = []

    def visit(path: str, options: list[dict[str, Any]]) -> None:
        subs = [o for o in options if o["type"] in (1, 2)]
        if not subs:
            paths.append(path)
        for sub in subs:
            visit(f"{path} {sub['name']}", sub.get("options") or [])

    for command in server.commands(server.guild_id):
        if command.get("type", 1) == 1:
            visit(command["name"], command.get("options") or [])
    return paths


def option_value(data: st.DataObject, world: World, opt: Mapping[str, Any]) -> Any:
    kind, name = opt["type"], opt["name"]
    if opt.get("choices"):
        return data.draw(st.sampled_from([c["value"] for c in opt["choices"]]))
    if kind == 3:
        lo, hi = opt.get("min_length", 0), opt.get("max_length", 6000)
        special: list[st.SearchStrategy[str]] = []
        if opt.get("autocomplete") or name == "contract":
            special.append(st.sampled_from([*DEMO_IDS, "b-secret"]))
        if name in ("ended",) or "date" in name:
            special.append(iso_dates())
        if name == "timezone":
            special.append(st.sampled_from(ZONES))
        if name == "question":
            special += [
                st.sampled_from(QUESTIONS),
                st.tuples(st.sampled_from(QUESTIONS), hostile(0, 200)).map(" ".join),
            ]
        text = data.draw(st.one_of(*special, *special, hostile(lo, hi)) if special else hostile(lo, hi))
        text = text[:hi]
        return text + "x" * (lo - len(text)) if len(text) < lo else text
    if kind == 4:
        return data.draw(st.integers(opt.get("min_value", -(2**53)), opt.get("max_value", 2**53)))
    if kind == 10:
        return data.draw(st.floats(opt.get("min_value", -1e15), opt.get("max_value", 1e15), allow_nan=False))
    if kind == 5:
        return data.draw(st.booleans())
    if kind == 7:
        types = opt.get("channel_types") or [0, 15]
        ids = [cid for cid, ch in world.server.channels.items() if ch["type"] in types]
        return data.draw(st.sampled_from(ids))
    if kind == 11:
        return data.draw(attachments(name))
    if kind in (6, 8):
        return data.draw(st.sampled_from([world.me, world.other]))
    if kind == 9:
        return data.draw(st.sampled_from(list(world.server.roles)))
    raise AssertionError(f"no strategy for option type {kind} ({name})")


def draw_options(data: st.DataObject, world: World, path: str) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for opt in command_options(world.server, path):
        if opt.get("required") or data.draw(st.booleans()):
            options[opt["name"]] = option_value(data, world, opt)
    return options


def modal_inputs(modal: Mapping[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(components: Iterable[Mapping[str, Any]]) -> None:
        for comp in components:
            if comp.get("type") == 4:
                found.append(dict(comp))
            walk(comp.get("components") or [])
            if isinstance(comp.get("component"), Mapping):
                walk([comp["component"]])

    walk(modal.get("components") or [])
    return found


MODAL_HINTS: dict[str, list[str]] = {
    "contract_id": ["new-one", "acme-site", "Bad Id!", "b-secret", "x" * 64],
    "names": ["Logo work | Acme Ltd", "Only a title", "|", " | "],
    "dates": ["2026-09-01, 2026-11-01, 2026-11-01", "2026-09-01", "2026-11-01, 2026-09-01", "2030-01-01", ",,,"],
    "money": ["$1,200", "600 / 300", "0", "-5", "1e9", "12345678901234567890"],
    "stars": ["", "4.5", "5", "1", "0", "6", "nan", "inf", "4.67"],
    "status": ["open", "ended", "OPEN", "maybe"],
    "ended": ["2026-11-01", "2026-13-01", ""],
}


def modal_values(data: st.DataObject, modal: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for comp in modal_inputs(modal):
        cid, lo, hi = comp["custom_id"], comp.get("min_length", 0), comp.get("max_length", 4000)
        if comp.get("required", True):
            lo = max(lo, 1)
        hints = [h for h in MODAL_HINTS.get(cid, []) if lo <= len(h) <= hi]
        prefilled = [comp["value"]] if comp.get("value") else []
        choices = [st.sampled_from(hints + prefilled)] if hints or prefilled else []
        text = data.draw(st.one_of(*choices, *choices, hostile(lo, hi)))
        if lo <= len(text) <= hi and (text or not comp.get("required", True)):
            values[cid] = text
        else:
            values[cid] = (text + "x" * lo)[:hi]
    return values


# ----------------------------------------------------------------------------------------- one interaction


async def exercise(world: World, data: st.DataObject, path: str, options: dict[str, Any]) -> None:
    """Run one command as the fuzzing user, fill any form it opens, maybe click a button; check all."""
    server = world.server
    before, other_before, mark = await fresh(world)
    handle = await server.send_slash_command(path, options, user=world.me)
    response = await handle.wait_for_response(timeout=60)
    private = not any(path == p and options.get(o) for p, o in PUBLIC)
    if response.type == 9:  # a form: fill it in like a user would
        values = modal_values(data, response.data or {})
        submitted = await server.send_modal_submit(str(response.custom_id), values, user=world.me)
        messages = await answered(submitted)
        await check_after(world, before, other_before, mark, messages)
        return
    messages = await answered(handle, ANSWERS_PER_COMMAND.get(path, 1))
    await check_after(world, before, other_before, mark, messages, private=private)
    buttons = [
        (m, c["custom_id"])
        for m in messages
        for row in m.get("components") or []
        for c in row.get("components") or []
        if c.get("type") == 2 and c.get("custom_id")
    ]
    click_one: bool = data.draw(st.booleans(), label="click a button") if buttons else False
    if click_one:
        message, custom_id = data.draw(st.sampled_from(buttons), label="button")
        mark = len(server.calls)
        before = await world.snapshot(world.me)
        click = await server.send_component(custom_id, message=message, user=world.me)
        clicked = await answered(click)
        await check_after(world, before, other_before, mark, clicked)


# ----------------------------------------------------------------------------------------- the tests

FUZZED_COMMANDS = [
    "contract add",
    "contract edit",
    "contract list",
    "contract show",
    "contract remove",
    "contract asked-client",
    "ledger import",
    "ledger export",
    "advise",
    "whatif",
    "plan",
    "toprated",
    "ask",
    "settings",
    "forget-me",
]


@pytest.mark.parametrize("path", FUZZED_COMMANDS)
@FUZZ
@given(data=st.data())
async def test_fuzz_command(world: World, path: str, data: st.DataObject) -> None:
    await exercise(world, data, path, draw_options(data, world, path))


@settings(FUZZ, max_examples=12)
@given(data=st.data())
async def test_fuzz_jss(world: World, data: st.DataObject) -> None:
    """/jss renders a chart each time (slow): fewer examples, each on a randomly cut-down ledger."""
    await fresh(world)
    keep = data.draw(st.sets(st.sampled_from(DEMO_IDS)), label="contracts kept")
    for contract_id in set(DEMO_IDS) - keep:
        await world.bot.services.context.store.remove_contract(str(world.me.id), contract_id)
    await exercise_kept(world, data)


async def exercise_kept(world: World, data: st.DataObject) -> None:
    server = world.server
    before, other_before, mark = await world.snapshot(world.me), await world.snapshot(world.other), len(server.calls)
    handle = await server.send_slash_command(JSS, user=world.me)
    response = await handle.wait_for_response(timeout=60)
    assert response.type == 5
    empty = json.loads(before[0])["contracts"] == []
    messages = await answered(handle, 1 if empty else 2)
    await check_after(world, before, other_before, mark, messages)


@settings(FUZZ, max_examples=20)
@given(data=st.data())
async def test_fuzz_setup_forum_channel(world: World, data: st.DataObject) -> None:
    """Admin only; members never see it. The channel option offers forum channels only."""
    server = world.server
    before, other_before, mark = await fresh(world)
    options = draw_options(data, world, "setup forum-channel")
    handle = await server.send_slash_command("setup forum-channel", options, user=world.admin)
    await check_after(world, before, other_before, mark, await answered(handle))
    await world.bot.services.settings.set_forum_channel(str(server.guild_id), str(server.forum_channel_id))


@settings(FUZZ, max_examples=30)
@given(data=st.data(), content=hostile(0, 2000))
async def test_fuzz_message_menu(world: World, data: st.DataObject, content: str) -> None:
    server = world.server
    before, other_before, mark = await fresh(world)
    target = await server.create_message(content=content, author=world.other)
    handle = await server.send_message_context_menu("Ask JSS Advisor", target, user=world.me)
    await check_after(world, before, other_before, mark, await answered(handle), asked=content)


@settings(FUZZ, max_examples=25)
@given(title=hostile(1, 100).filter(lambda t: t.strip()), content=hostile(0, 2000))
async def test_fuzz_forum_posts(world: World, title: str, content: str) -> None:
    """Public answers in the forum channel: escaped like the rest, never anyone's ledger data."""
    server = world.server
    before, other_before, mark = await fresh(world)
    bot_id = str(server.bot_user.id)
    thread, _ = await server.create_forum_thread(server.forum_channel_id, title, content, author=world.other)
    thread_id = int(thread["id"])
    answers = await server.wait_for(
        lambda: [m for m in server.channel_messages(thread_id) if m["author"]["id"] == bot_id],
        timeout=60,
        what="the bot's answer in the forum thread",
    )
    await check_after(world, before, other_before, mark, answers, private=False, asked=f"{title}\n{content}")
    text = visible_text(answers)
    assert "Estimated JSS" not in text and "With your numbers" not in text
    assert not any(c in text for c in ("Acme website", "Northwind", "Lumen Media"))


@settings(FUZZ, max_examples=30)
@given(data=st.data())
async def test_fuzz_autocomplete(world: World, data: st.DataObject) -> None:
    """Every autocomplete option: valid choices, never an error; a contract option offers only the caller's
    own contracts."""
    server = world.server
    await fresh(world)
    fields = [
        (path, o) for path in leaf_commands(server) for o in command_options(server, path) if o.get("autocomplete")
    ]
    path, opt = data.draw(st.sampled_from(fields), label="option")
    typed = data.draw(st.one_of(st.sampled_from(["", "ac", "b-", "Bob", "%", "_", "lumen"]), hostile(0, 100)))
    others = {
        o["name"]: o["choices"][0]["value"]
        for o in command_options(server, path)
        if o.get("required") and o.get("choices") and o is not opt
    }
    choices = await server.send_autocomplete(path, {**others, opt["name"]: typed}, focused=opt["name"], user=world.me)
    assert len(choices) <= 25
    if opt["name"] == "contract":
        assert {c["value"] for c in choices} <= set(DEMO_IDS)
    assert not any(word in c["name"] for c in choices for word in OTHER_USERS_WORDS)
    assert all(1 <= len(c["name"]) <= 100 and 1 <= len(c["value"]) <= 100 for c in choices)
    assert server.problems() == [] and not world.errors


@settings(FUZZ, max_examples=20)
@given(data=st.data())
async def test_fuzz_other_registered_commands(world: World, data: st.DataObject) -> None:
    """Commands added by other cogs (CSV import, client messages, reminders ...) get the same treatment."""
    others = [
        p for p in leaf_commands(world.server) if p not in FUZZED_COMMANDS and p not in (JSS, "setup forum-channel")
    ]
    if not others:
        return
    path = data.draw(st.sampled_from(others), label="command")
    await exercise(world, data, path, draw_options(data, world, path))


async def test_fuzzing_covers_every_registered_product_command(world: World) -> None:
    """The static list names real commands: a rename must not silently drop one from fuzzing."""
    registered = set(leaf_commands(world.server))
    assert set(FUZZED_COMMANDS) <= registered
    assert {JSS, "setup forum-channel"} <= registered
