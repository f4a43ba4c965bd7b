"""More of the product bot end to end: every /contract path, export, what-if, plan, Top Rated, settings,
public /ask, ephemeral flags, autocomplete on every contract option, and user isolation.

Real discord.py against the local Discord (every REST body checked against Discord's OpenAPI spec by
the ``fake_discord`` fixture), real SQLite, real templates. The helpers here are shared with
``test_fuzz.py`` and ``test_faults.py``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.console.demo import demo_ledger
from bot.discord_app.client import AdvisorBot
from bot.discord_app.embeds import answer_embed
from bot.render import OutputFormat
from bot.services import build_services
from scoring.model import Contract, parse_ledger_json
from tests.builders import make
from tests.fakediscord import (
    EPHEMERAL,
    LOADING,
    FakeDiscord,
    FakeUser,
    InteractionHandle,
    InteractionResponse,
    RestCall,
)
from tests.fakediscord.server import WAIT_LIMIT
from tests.samples import TODAY

from . import component_ids, embeds_of

DEMO_IDS = [c.id for c in demo_ledger(TODAY).contracts]
OPEN_DEMO_IDS = [c.id for c in demo_ledger(TODAY).contracts if c.is_open]
JSS = "jss show"  # answers twice: the score, then the projection with its chart
ERROR_COLOUR = 0xE74C3C  # discord.Colour.red(): every error answer


# ----------------------------------------------------------------------------------------- helpers


@dataclass
class Reply:
    """One interaction and what its user can see of the bot's answer."""

    handle: InteractionHandle
    response: InteractionResponse
    messages: list[dict[str, Any]]

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return embeds_of(self.messages)

    @property
    def embed(self) -> dict[str, Any]:
        [embed] = self.embeds
        return embed

    @property
    def title(self) -> str:
        return str(self.embed.get("title", ""))

    @property
    def is_error(self) -> bool:
        return any(e.get("color") == ERROR_COLOUR for e in self.embeds)

    @property
    def ephemeral(self) -> bool:
        """The callback and every message the user sees are private."""
        return self.response.ephemeral and all(m.get("flags", 0) & EPHEMERAL for m in self.messages)

    def text(self) -> str:
        return visible_text(self.messages)


def embed_texts(embed: Mapping[str, Any]) -> Iterator[str]:
    """Every piece of text of an embed a user reads."""
    for key in ("title", "description", "url"):
        if embed.get(key):
            yield str(embed[key])
    for part in ("footer", "author"):
        value = (embed.get(part) or {}).get("text") or (embed.get(part) or {}).get("name")
        if value:
            yield str(value)
    for fld in embed.get("fields") or []:
        yield str(fld.get("name", ""))
        yield str(fld.get("value", ""))


def visible_text(messages: Iterable[Mapping[str, Any]]) -> str:
    parts: list[str] = []
    for m in messages:
        if m.get("content"):
            parts.append(str(m["content"]))
        for e in m.get("embeds", []):
            parts.extend(embed_texts(e))
    return "\n".join(parts)


async def run(
    server: FakeDiscord,
    name: str,
    options: Mapping[str, Any] | None = None,
    *,
    count: int = 1,
    timeout: float = WAIT_LIMIT,  # noqa: ASYNC109
    **kw: Any,
) -> Reply:
    """Run a slash command and wait for its visible answer (the followups of a deferred one)."""
    handle = await server.send_slash_command(name, options or {}, **kw)
    return await settle(handle, count=count, timeout=timeout)


async def settle(handle: InteractionHandle, *, count: int = 1, timeout: float = WAIT_LIMIT) -> Reply:  # noqa: ASYNC109
    response = await handle.wait_for_response(timeout)
    if response.type == 5:  # deferred: "thinking..." until the followups arrive
        await handle.wait_for_followups(count, timeout)
        assert handle.original is not None and not handle.original.get("flags", 0) & LOADING
    elif response.type in (4, 7):
        await handle.wait_for_original(timeout=timeout)
    return Reply(handle, response, handle.visible_messages())


def message_calls(calls: Iterable[RestCall]) -> list[RestCall]:
    """REST calls that create or edit a message (the ones where mentions could ping)."""
    out = []
    for call in calls:
        body = call.json if isinstance(call.json, Mapping) else {}
        if call.template == "/interactions/{interaction_id}/{interaction_token}/callback":
            if body.get("type") in (4, 7):
                out.append(call)
        elif call.template and (
            call.template.startswith("/webhooks/")
            or call.template.endswith("/messages")
            or call.template.endswith("/messages/{message_id}")
        ):
            if call.method in ("POST", "PATCH"):
                out.append(call)
    return out


def allowed_mentions_of(call: RestCall) -> Any:
    body = call.json if isinstance(call.json, Mapping) else {}
    data = body.get("data") if "type" in body and isinstance(body.get("data"), Mapping) else body
    return (data or {}).get("allowed_mentions")


def assert_mentions_suppressed(calls: Iterable[RestCall]) -> None:
    for call in message_calls(calls):
        allowed = allowed_mentions_of(call)
        assert isinstance(allowed, Mapping) and allowed.get("parse") == [], (call, allowed)
        assert not allowed.get("users") and not allowed.get("roles") and not allowed.get("replied_user"), allowed


async def import_demo(bot: AdvisorBot, user: FakeUser) -> None:
    summary = await bot.services.context.store.import_ledger(str(user.id), demo_ledger(TODAY), "replace")
    assert summary.added == len(DEMO_IDS)


async def contract_of(bot: AdvisorBot, user: FakeUser, contract_id: str) -> Contract:
    found = await bot.services.context.store.get_contract(str(user.id), contract_id)
    assert found is not None, contract_id
    return found


def modal_values(response: InteractionResponse) -> dict[str, str]:
    """custom_id -> prefilled value of every text input of a modal (type 9) response."""
    values: dict[str, str] = {}

    def walk(components: Iterable[Mapping[str, Any]]) -> None:
        for comp in components:
            if comp.get("type") == 4:
                values[str(comp["custom_id"])] = str(comp.get("value") or "")
            walk(comp.get("components") or [])
            if isinstance(comp.get("component"), Mapping):
                walk([comp["component"]])

    walk(response.components)
    return values


def autocomplete_options(server: FakeDiscord, name: str = "contract") -> list[tuple[str, str, dict[str, Any]]]:
    """(command path, option name, other required options) for every autocomplete option called `name`
    (every option that picks one of the caller's contracts), whichever cog registered it."""
    found: list[tuple[str, str, dict[str, Any]]] = []

    def visit(path: str, options: list[dict[str, Any]]) -> None:
        if any(o["type"] in (1, 2) for o in options):
            for sub in options:
                visit(f"{path} {sub['name']}", sub.get("options") or [])
            return
        for opt in options:
            if opt.get("autocomplete") and opt["name"] == name:
                others = {
                    o["name"]: o["choices"][0]["value"]
                    for o in options
                    if o.get("required") and o is not opt and o.get("choices")
                }
                found.append((path, opt["name"], others))

    for command in server.commands(server.guild_id):
        if command.get("type", 1) == 1:
            visit(command["name"], command.get("options") or [])
    return found


@pytest.fixture(autouse=True)
def _nothing_logged_as_an_error(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """An ERROR in the log (an internal error answered, an exception discord.py swallowed) fails the test."""
    yield
    errors = [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], errors


# Another user's contract, for the isolation checks here and in the fuzz tests.
SECRET = make(
    "b-secret",
    title="Bobs Secret Project",
    client="Hidden Client Corp",
    kind="hourly",
    status="active",
    started=date(2026, 1, 5),
    last_activity=date(2026, 8, 1),
    last_payment=date(2026, 8, 1),
    earnings_usd="777",
)


@pytest.fixture
async def me(bot: AdvisorBot, fake_discord: FakeDiscord) -> FakeUser:
    """The default user, with the demo ledger."""
    await import_demo(bot, fake_discord.default_user)
    return fake_discord.default_user


# ----------------------------------------------------------------------------------------- /contract


async def test_contract_edit_with_options(bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser) -> None:
    reply = await run(
        fake_discord,
        "contract edit",
        {"contract": "ghost-app", "status": "paused", "stars": 4.5, "private_rating": 8, "disputed": True},
    )
    assert reply.response.type == 4 and reply.ephemeral and reply.title == "Contract updated."
    c = await contract_of(bot, me, "ghost-app")
    assert (c.status.value, c.public_stars, c.private_rating, c.disputed) == ("paused", 4.5, 8, True)

    reply = await run(fake_discord, "contract edit", {"contract": "ghost-app", "ended": "2026-11-20"})
    assert reply.title == "Contract updated."
    c = await contract_of(bot, me, "ghost-app")
    assert c.status.value == "ended" and c.ended == date(2026, 11, 20)


async def test_contract_edit_rejects_bad_options_without_changing_anything(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser
) -> None:
    before = await bot.services.ledger.export_ledger(str(me.id))
    for options in (
        {"contract": "ghost-app", "ended": "2026-13-45"},  # not a date
        {"contract": "ghost-app", "ended": "2001-01-01"},  # before it started
        {"contract": "no-such", "status": "paused"},
    ):
        reply = await run(fake_discord, "contract edit", options)
        assert reply.is_error and reply.ephemeral, reply.embeds
        assert "Traceback" not in reply.text()
    assert await bot.services.ledger.export_ledger(str(me.id)) == before


async def test_contract_edit_form_is_prefilled_and_saves(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser
) -> None:
    opened = await fake_discord.send_slash_command("contract edit", {"contract": "video-edit"})
    shown = await opened.wait_for_response()
    assert shown.type == 9 and str(shown.custom_id).startswith("contract:edit:")
    c = await contract_of(bot, me, "video-edit")
    assert modal_values(shown) == {
        "contract_id": "video-edit",
        "names": "Video edits, milestone 2 | Lumen Media",
        "dates": f"{c.started}, {c.last_activity}, {c.last_payment}",
        "money": f"{c.earnings_usd} / {c.escrow_usd}",
        "stars": "",
    }
    values = {
        **modal_values(shown),
        "contract_id": "video-2",
        "names": "Video edits | Lumen **Media**",
        "money": "$1,250.50 / 300",
        "stars": "5",
    }
    submitted = await fake_discord.send_modal_submit(str(shown.custom_id), values)
    reply = await settle(submitted)
    assert reply.ephemeral and reply.title == "Contract updated." and "video-2" in reply.text()
    assert await bot.services.context.store.get_contract(str(me.id), "video-edit") is None
    renamed = await contract_of(bot, me, "video-2")
    assert (renamed.title, renamed.client, str(renamed.earnings_usd), renamed.public_stars) == (
        "Video edits",
        "Lumen **Media**",
        "1250.50",
        5.0,
    )
    assert (renamed.started, renamed.kind, renamed.status) == (c.started, c.kind, c.status)


async def test_contract_edit_form_clears_what_the_user_emptied(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser
) -> None:
    """A prefilled form shows the whole contract: emptying a part clears it, as the form's labels say."""
    await run(fake_discord, "contract edit", {"contract": "video-edit", "stars": 4.0})
    opened = await fake_discord.send_slash_command("contract edit", {"contract": "video-edit"})
    shown = await opened.wait_for_response()
    prefilled = modal_values(shown)
    assert prefilled["stars"] in ("4", "4.0") and prefilled["money"] == "300.00 / 300.00"
    started, last_activity, _ = prefilled["dates"].split(", ")
    values = {**prefilled, "stars": "", "money": "300", "dates": f"{started}, {last_activity}"}
    reply = await settle(await fake_discord.send_modal_submit(str(shown.custom_id), values))
    assert reply.title == "Contract updated.", reply.embeds
    c = await contract_of(bot, me, "video-edit")
    assert (c.public_stars, c.escrow_usd, c.last_payment) == (None, 0, None)


async def test_contract_edit_form_prefill_fits_the_form(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser
) -> None:
    """Stars given as an option (any float from 1 to 5) must still fit the form's 4-character field,
    and saving the form untouched must not change the contract."""
    await run(fake_discord, "contract edit", {"contract": "ghost-app", "stars": 4.666666})
    before = await contract_of(bot, me, "ghost-app")
    shown = await (
        await fake_discord.send_slash_command("contract edit", {"contract": "ghost-app"})
    ).wait_for_response()
    limits = {c["custom_id"]: c.get("max_length", 4000) for row in shown.components for c in row["components"]}
    prefilled = modal_values(shown)
    assert all(len(value) <= limits[key] for key, value in prefilled.items()), (prefilled, limits)
    reply = await settle(await fake_discord.send_modal_submit(str(shown.custom_id), prefilled))
    assert reply.title == "Contract updated."
    assert await contract_of(bot, me, "ghost-app") == before


async def test_contract_list_and_show(bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser) -> None:
    listed = await run(fake_discord, "contract list")
    assert listed.ephemeral and listed.title == f"Your contracts ({len(DEMO_IDS)})"
    [rows] = [f["value"] for f in listed.embed["fields"] if f["name"] == f"Contracts ({len(DEMO_IDS)})"]
    listed_ids = [line.split("**")[1].replace("\\", "") for line in rows.splitlines()]
    assert sorted(listed_ids) == sorted(DEMO_IDS)  # one line each
    shown = await run(fake_discord, "contract show", {"contract": "acme-site"})
    assert shown.ephemeral and shown.title == "Acme website fixes"
    assert "Counts for the JSS today" in {f["name"] for f in shown.embed["fields"]}
    missing = await run(fake_discord, "contract show", {"contract": "nope"})
    assert missing.is_error and missing.title == "Not found" and missing.ephemeral


async def test_contract_remove(bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser) -> None:
    reply = await run(fake_discord, "contract remove", {"contract": "landing"})
    assert reply.ephemeral and reply.title == "Contract removed."
    assert await bot.services.context.store.get_contract(str(me.id), "landing") is None
    assert await bot.services.context.store.count_contracts(str(me.id)) == len(DEMO_IDS) - 1
    again = await run(fake_discord, "contract remove", {"contract": "landing"})
    assert again.is_error and again.title == "Not found"


async def test_contract_asked_client(bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser) -> None:
    before = len((await contract_of(bot, me, "ghost-app")).close_requests)
    reply = await run(fake_discord, "contract asked-client", {"contract": "ghost-app"})
    assert reply.ephemeral and reply.title == "Recorded: you asked the client to close it."
    after = await contract_of(bot, me, "ghost-app")
    assert len(after.close_requests) == before + 1 and after.close_requests[-1] == TODAY
    assert "C-CLOSE-ADVICE" in reply.text()


# ----------------------------------------------------------------------------------------- /ledger export


async def test_ledger_export_file_is_the_stores_export(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser
) -> None:
    reply = await run(fake_discord, "ledger export")
    assert reply.response.type == 4 and reply.ephemeral
    [call] = [c for c in message_calls(fake_discord.calls_to("/interactions/*")) if c.files]
    [uploaded] = call.files
    assert uploaded.filename == "jss-ledger.json"
    expected = await bot.services.ledger.export_ledger(str(me.id))
    assert uploaded.data.decode() == expected
    exported = parse_ledger_json(uploaded.data)
    assert list(exported.contracts) == await bot.services.context.store.list_contracts(str(me.id))
    [attachment] = reply.messages[0]["attachments"]
    assert attachment["filename"] == "jss-ledger.json" and attachment["size"] == len(uploaded.data)
    assert_mentions_suppressed(fake_discord.calls)


# ----------------------------------------------------------------------------------------- engine answers


async def test_whatif_plan_and_toprated(bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser) -> None:
    whatif = await run(fake_discord, "whatif", {"contract": "acme-site"})
    assert whatif.response.type == 4 and whatif.ephemeral  # quick: answered in one step
    assert whatif.title.startswith("What if") and "Acme website fixes" in whatif.title
    names = {f["name"] for f in whatif.embed["fields"]}
    assert {"Leave it open", "Close now, no feedback", "Refund in full"} <= names

    plan = await run(fake_discord, "plan", {"spacing_days": 21})
    assert plan.response.type == 4 and plan.ephemeral and not plan.is_error, plan.embeds
    assert "L-STAGGER" in plan.text() or "C-SELF-CLOSE-2MO" in plan.text()

    toprated = await run(fake_discord, "toprated")
    assert toprated.response.type == 4 and toprated.ephemeral and not toprated.is_error
    assert "TR-" in toprated.text()


async def test_engine_answers_equal_the_full_horizon_engine(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/advise and /whatif project the scenarios 12 months ahead (the furthest point they show), not the
    24 of `projection_months`: the answers must be exactly those of the full projection."""
    full = build_services(bot.services.context.store, OutputFormat.DISCORD, FixedClock.on(TODAY))
    monkeypatch.setattr(type(full.context), "sim_params", property(lambda self: self.params))
    for contract_id in OPEN_DEMO_IDS:
        for command, method in (("advise", full.answers.advise), ("whatif", full.answers.what_if)):
            reply = await run(fake_discord, command, {"contract": contract_id})
            expected = answer_embed(await method(str(me.id), contract_id)).to_dict()
            got = reply.embed
            assert (got["title"], got.get("description"), got["fields"]) == (
                expected["title"],
                expected.get("description"),
                expected["fields"],
            ), (command, contract_id)


# ----------------------------------------------------------------------------------------- /settings


async def test_settings_saved_and_invalid_timezone_is_a_clear_error(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    user = str(fake_discord.default_user.id)
    saved = await run(fake_discord, "settings", {"timezone": "europe/berlin", "cadence": "biweekly", "reminders": True})
    # turning reminders on shows every reminder setting, in one step (not a bare "Settings saved.")
    assert saved.ephemeral and saved.title == "Reminder settings saved.", saved.title
    assert saved.embed["description"].startswith("Reminders on, time zone Europe/Berlin, quiet hours")
    assert "sent at 09:00" in saved.embed["description"]
    only_cadence = await run(fake_discord, "settings", {"cadence": "biweekly"})
    assert only_cadence.title == "Settings saved."
    settings = await bot.services.context.store.get_settings(user)
    assert (settings.timezone, settings.cadence.value, settings.reminders_enabled) == (
        "Europe/Berlin",
        "biweekly",
        True,
    )
    bad = await run(fake_discord, "settings", {"timezone": "Mars/Olympus_Mons", "reminders": False})
    assert bad.is_error and bad.ephemeral and bad.title == "That input is not valid"
    assert "time zone" in bad.embed["description"] and "Europe/Berlin" in bad.embed["description"]
    assert "Traceback" not in bad.text() and "Error" not in bad.embed["description"]
    assert await bot.services.context.store.get_settings(user) == settings  # nothing changed, reminders included


# ----------------------------------------------------------------------------------------- /ask public


async def test_ask_public_is_visible_to_all_without_ledger_data(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser
) -> None:
    question = "my client went silent, should I close the acme-site contract?"
    private = await run(fake_discord, "ask", {"question": question})
    assert private.ephemeral and "With your numbers" in {f["name"] for f in private.embed["fields"]}

    public = await run(fake_discord, "ask", {"question": question, "public": True})
    assert public.response.type == 4 and not public.response.ephemeral
    assert not any(m.get("flags", 0) & EPHEMERAL for m in public.messages)
    assert public.messages[0] in fake_discord.channel_messages(fake_discord.text_channel_id)  # in the channel
    fields = {f["name"] for f in public.embed["fields"]}
    assert "With your numbers" not in fields and "Sources" in fields
    text = public.text()
    assert "Estimated JSS today" not in text
    for c in demo_ledger(TODAY).contracts:  # the question names acme-site; the answer adds nothing of the ledger
        if c.id != "acme-site":
            assert c.id not in text and c.title not in text and c.client not in text, c.id
    assert_mentions_suppressed(fake_discord.calls)


# ----------------------------------------------------------------------------------------- privacy


PRIVATE_COMMANDS: list[tuple[str, dict[str, Any]]] = [
    ("contract list", {}),
    ("contract show", {"contract": "acme-site"}),
    ("contract edit", {"contract": "acme-site", "private_rating": 9}),
    ("contract asked-client", {"contract": "ghost-app"}),
    ("contract remove", {"contract": "landing"}),
    ("contract show", {"contract": "landing"}),  # an error is private too
    ("ledger export", {}),
    (JSS, {}),
    ("advise", {"contract": "acme-site"}),
    ("whatif", {"contract": "ghost-app"}),
    ("plan", {}),
    ("toprated", {}),
    ("ask", {"question": "why did my score drop with no new work?"}),
    ("settings", {"cadence": "daily"}),
    ("forget-me", {}),
]


async def test_every_private_reply_is_ephemeral(bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser) -> None:
    for name, options in PRIVATE_COMMANDS:
        reply = await run(fake_discord, name, options, count=2 if name == JSS else 1)
        assert reply.messages and reply.ephemeral, (name, reply.response, [m.get("flags") for m in reply.messages])
    # The buttons under an answer answer privately too.
    advice = await run(fake_discord, "advise", {"contract": "acme-site"})
    for custom_id in component_ids(advice.messages[-1]):
        click = await fake_discord.send_component(custom_id, message=advice.messages[-1])
        reply = await settle(click)
        assert reply.ephemeral and not reply.is_error, custom_id
    # Menu answers are private to whoever asked.
    target = await fake_discord.create_message(content="Does a refund remove bad feedback?")
    menu = await settle(await fake_discord.send_message_context_menu("Ask JSS Advisor", target))
    assert menu.ephemeral
    assert_mentions_suppressed(fake_discord.calls)


# ----------------------------------------------------------------------------------------- autocomplete


async def test_autocomplete_on_every_contract_option(bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser) -> None:
    options = autocomplete_options(fake_discord)
    covered = {path for path, _, _ in options}
    assert {"advise", "whatif", "contract edit", "contract show", "contract remove", "contract asked-client"} <= covered
    stranger = fake_discord.add_user("stranger")
    for path, option, others in options:
        everything = await fake_discord.send_autocomplete(path, {**others, option: ""}, focused=option)
        assert sorted(c["value"] for c in everything) == sorted(DEMO_IDS), path
        assert all(1 <= len(c["name"]) <= 100 for c in everything)
        typed = await fake_discord.send_autocomplete(path, {**others, option: "acm"}, focused=option)
        assert [c["value"] for c in typed][:1] == ["acme-site"], (path, typed)
        by_client = await fake_discord.send_autocomplete(path, {**others, option: "lumen"}, focused=option)
        assert [c["value"] for c in by_client] == ["video-edit"], path
        assert (
            await fake_discord.send_autocomplete(path, {**others, option: "ac"}, focused=option, user=stranger) == []
        ), path


# ----------------------------------------------------------------------------------------- isolation


async def test_user_a_never_sees_or_changes_user_bs_contracts(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    """Issue 4, must show: A's commands never show or change B's contracts, even when A names them."""
    a, b = fake_discord.add_user("alice"), fake_discord.add_user("bob")
    await import_demo(bot, b)
    secret = SECRET
    await bot.services.context.store.add_contract(str(b.id), secret)
    await bot.services.context.store.add_contract(
        str(a.id),
        secret.model_copy(update={"id": "a-own", "title": "Alices job", "client": "Alice Client", "earnings_usd": 123}),
    )
    b_before = await bot.services.ledger.export_ledger(str(b.id))
    b_ids = [*DEMO_IDS, "b-secret"]
    b_words = ["Bobs Secret", "Hidden Client", "777", "Northwind", "Acme website", "Lumen Media"]  # never typed by A

    texts: list[str] = []
    for contract_id in ("b-secret", "acme-site"):
        for name, options in (
            ("contract show", {}),
            ("advise", {}),
            ("whatif", {}),
            ("contract asked-client", {}),
            ("contract remove", {}),
            ("contract edit", {"status": "ended"}),
            ("contract edit", {"stars": 1.0}),
        ):
            reply = await run(fake_discord, name, {"contract": contract_id, **options}, user=a)
            assert reply.is_error and reply.title == "Not found", (name, contract_id, reply.embeds)
            texts.append(reply.text())
        opened = await fake_discord.send_slash_command("contract edit", {"contract": contract_id}, user=a)
        refused = await settle(opened)
        assert refused.response.type == 4 and refused.is_error  # no form prefilled with B's data
    for name, options in (
        ("contract list", {}),
        (JSS, {}),
        ("plan", {}),
        ("toprated", {}),
        ("ledger export", {}),
        ("ask", {"question": "should I close b-secret, my client went silent?"}),
    ):
        reply = await run(fake_discord, name, options, user=a, count=2 if name == JSS else 1)
        texts.append(reply.text())
        texts += [f.data.decode(errors="replace") for c in fake_discord.calls_to("/interactions/*") for f in c.files]
    for path, option, others in autocomplete_options(fake_discord):
        for typed in ("", "b-", "acme", "bob", "hidden"):
            choices = await fake_discord.send_autocomplete(path, {**others, option: typed}, focused=option, user=a)
            assert not {c["value"] for c in choices} & set(b_ids), (path, typed, choices)
    seen = "\n".join(texts)
    for word in b_words:
        assert word not in seen, word
    assert await bot.services.ledger.export_ledger(str(b.id)) == b_before
    assert [c.id for c in await bot.services.context.store.list_contracts(str(a.id))] == ["a-own"]


# ----------------------------------------------------------------------------------------- mentions


async def test_user_text_is_escaped_everywhere_it_is_shown(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    hostile = "@everyone <@123> <@&1> **x** \u202ekcah"
    user = fake_discord.default_user
    opened = await fake_discord.send_slash_command("contract add", {"kind": "fixed", "status": "active"})
    shown = await opened.wait_for_response()
    assert shown.type == 9
    reply = await settle(
        await fake_discord.send_modal_submit(
            str(shown.custom_id),
            {
                "contract_id": "evil",
                "names": f"{hostile} | {hostile}",
                "dates": "2026-09-01, 2026-11-01",
                "money": "100",
                "stars": "",
            },
        )
    )
    assert reply.title == "Contract added."
    texts = []
    for name, options in (
        ("contract list", {}),
        ("contract show", {"contract": "evil"}),
        ("advise", {"contract": "evil"}),
        ("whatif", {"contract": "evil"}),
        (JSS, {}),
        ("ask", {"question": f"should I close evil? {hostile}"}),
    ):
        texts.append((await run(fake_discord, name, options, count=2 if name == JSS else 1)).text())
    text = "\n".join(texts)
    assert "Bobs" not in text and await bot.services.context.store.count_contracts(str(user.id)) == 1
    assert not re.search(r"@(everyone|here)", text)
    assert not re.search(r"<@[!&]?\d+>", text)
    assert "\u202e" not in text  # a right-to-left override would reorder the product's own text after it
    assert "\\*\\*x\\*\\*" in text
    assert_mentions_suppressed(fake_discord.calls)


def test_reply_helpers_see_every_text_of_an_embed() -> None:
    embed = {"title": "t", "description": "d", "footer": {"text": "f"}, "fields": [{"name": "n", "value": "v"}]}
    assert sorted(embed_texts(embed)) == ["d", "f", "n", "t", "v"]
    assert json.loads(json.dumps(embed)) == embed
