"""Safe under real use: several users' forms at once, strangers' clicks, cooldowns, large ledgers, and
Discord failing the way it does (a reply past the deadline, a CDN download, followups answering 503).

Forms: each opened form has its own custom_id (bot/discord_app/owned.py). Before, `/contract edit` and
`/contract add` forms shared one custom_id, so the last one opened handled every user's submission.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NoReturn

import pytest

from bot.discord_app import replies
from bot.discord_app.client import AdvisorBot
from bot.discord_app.cogs import reminders as reminders_cog
from bot.discord_app.limits import HeavyLimit, HeavyLimiter
from tests.builders import ledger_json
from tests.fakediscord import (
    LOADING,
    FakeAttachment,
    FakeDiscord,
    FakeUser,
    InteractionHandle,
    InteractionResponse,
)
from tests.samples import UPWORK
from tests.trips import database_thread_trips

from . import component_id
from .test_commands_e2e import contract_of, import_demo, modal_values, run, settle

CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"
FOLLOWUP = "/webhooks/{webhook_id}/{webhook_token}"


def error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


async def snapshot(bot: AdvisorBot, users: Sequence[FakeUser]) -> dict[int, str]:
    return {u.id: await bot.services.ledger.export_ledger(str(u.id)) for u in users}


async def open_edit(server: FakeDiscord, user: FakeUser, contract_id: str) -> InteractionResponse:
    shown = await (
        await server.send_slash_command("contract edit", {"contract": contract_id}, user=user)
    ).wait_for_response()
    assert shown.type == 9, shown
    return shown


async def open_add(server: FakeDiscord, user: FakeUser, kind: str, status: str) -> InteractionResponse:
    options = {"kind": kind, "status": status}
    shown = await (await server.send_slash_command("contract add", options, user=user)).wait_for_response()
    assert shown.type == 9, shown
    return shown


# ----------------------------------------------------------------------------------------- forms, several users

EDITS = {"alice": "video-edit", "bob": "ghost-app", "carol": "acme-site"}
AMOUNTS = {"alice": "111", "bob": "222", "carol": "333"}


@pytest.mark.parametrize("who", [("alice", "bob"), ("alice", "bob", "carol")], ids=["two", "three"])
async def test_edit_forms_of_several_users_never_cross(
    bot: AdvisorBot, fake_discord: FakeDiscord, who: tuple[str, ...]
) -> None:
    """Open every user's form, then submit them in every order: each user's own contract gets exactly
    their values, and nothing else of anyone changes."""
    users = {name: fake_discord.add_user(name) for name in who}
    for user in users.values():
        await import_demo(bot, user)
    for order in itertools.permutations(who):
        before = {name: {c: await contract_of(bot, u, c) for c in EDITS.values()} for name, u in users.items()}
        shown = {name: await open_edit(fake_discord, users[name], EDITS[name]) for name in who}
        for name in order:
            values = {**modal_values(shown[name]), "names": f"{name} title | {name} client", "money": AMOUNTS[name]}
            reply = await settle(
                await fake_discord.send_modal_submit(str(shown[name].custom_id), values, user=users[name])
            )
            assert reply.title == "Contract updated." and EDITS[name] in reply.text(), (order, name, reply.embeds)
        for name, user in users.items():
            mine = await contract_of(bot, user, EDITS[name])
            assert (mine.title, mine.client, mine.earnings_usd) == (
                f"{name} title",
                f"{name} client",
                Decimal(AMOUNTS[name]),
            )
            assert mine.model_copy(update={"title": "", "client": "", "earnings_usd": 0, "escrow_usd": 0}) == before[
                name
            ][EDITS[name]].model_copy(update={"title": "", "client": "", "earnings_usd": 0, "escrow_usd": 0})
            for other in set(EDITS.values()) - {EDITS[name]}:
                assert await contract_of(bot, user, other) == before[name][other], (order, name, other)


@pytest.mark.parametrize("reverse", [False, True], ids=["A-first", "B-first"])
async def test_add_forms_of_two_users_keep_their_kind_and_status(
    bot: AdvisorBot, fake_discord: FakeDiscord, reverse: bool
) -> None:
    """A asked for hourly/active, B for fixed/ended: each new contract is what its own user chose."""
    a, b = fake_discord.add_user("alice"), fake_discord.add_user("bob")
    chosen = {a.id: ("hourly", "active", "100"), b.id: ("fixed", "ended", "200")}
    shown = {u.id: await open_add(fake_discord, u, *chosen[u.id][:2]) for u in (a, b)}
    for user in (b, a) if reverse else (a, b):
        values = {
            "contract_id": "new",
            "names": f"{user.username} job",
            "dates": "2026-09-01",
            "money": chosen[user.id][2],
        }
        reply = await settle(await fake_discord.send_modal_submit(str(shown[user.id].custom_id), values, user=user))
        assert reply.title == "Contract added.", reply.embeds
    for user in (a, b):
        [only] = await bot.services.context.store.list_contracts(str(user.id))
        kind, status, money = chosen[user.id]
        assert (only.kind.value, only.status.value, only.earnings_usd, only.title) == (
            kind,
            status,
            Decimal(money),
            f"{user.username} job",
        )


async def test_one_user_with_two_edit_forms_open(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    me = fake_discord.default_user
    await import_demo(bot, me)
    first, second = await open_edit(fake_discord, me, "video-edit"), await open_edit(fake_discord, me, "ghost-app")
    assert first.custom_id != second.custom_id
    for shown, title in ((first, "First"), (second, "Second")):
        values = {**modal_values(shown), "names": f"{title} | Client"}
        assert (
            await settle(await fake_discord.send_modal_submit(str(shown.custom_id), values))
        ).title == "Contract updated."
    assert (await contract_of(bot, me, "video-edit")).title == "First"
    assert (await contract_of(bot, me, "ghost-app")).title == "Second"


async def test_a_form_submitted_by_someone_else_is_refused(
    bot: AdvisorBot, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    """A replayed custom_id (a modified client): refused in one private line; the owner's form still works."""
    a, b = fake_discord.add_user("alice"), fake_discord.add_user("bob")
    for user in (a, b):
        await import_demo(bot, user)
    before = await snapshot(bot, [a, b])
    shown = await open_edit(fake_discord, a, "video-edit")
    values = {**modal_values(shown), "names": "Hijacked | Mallory"}
    refused = await settle(await fake_discord.send_modal_submit(str(shown.custom_id), values, user=b, shown_to=a))
    assert refused.is_error and refused.ephemeral and refused.title == "Not yours"
    assert "run the command yourself" in refused.embed["description"] and error_records(caplog) == []
    assert await snapshot(bot, [a, b]) == before
    mine = await settle(await fake_discord.send_modal_submit(str(shown.custom_id), values, user=a))
    assert mine.title == "Contract updated." and (await contract_of(bot, a, "video-edit")).title == "Hijacked"


async def test_a_submitted_form_wakes_the_reminder_scheduler_and_a_command_does_not(
    bot: AdvisorBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A form's change (an edit) may move the user's reminders: the scheduler looks again shortly after it.
    The forms announce themselves (`form_submitted`); a stranger's refused submission and read-only commands
    wake nothing (before, a listener ran as a task on every interaction of every user to find the forms)."""
    loaded = bot.extensions[reminders_cog.__name__]  # extensions are loaded by name, as a module of their own
    monkeypatch.setattr(loaded, "MODAL_WAKE_DELAY", 0.01)
    cog = bot.get_cog(reminders_cog.COG_NAME)
    assert isinstance(cog, loaded.ReminderCog)
    wakes: list[str] = []
    monkeypatch.setattr(cog.scheduler, "wake", lambda: wakes.append("wake"))
    a, b = fake_discord.add_user("alice"), fake_discord.add_user("bob")
    await import_demo(bot, a)
    await run(fake_discord, "contract list", user=a)  # the import's change is seen here
    shown = await open_edit(fake_discord, a, "video-edit")
    wakes.clear()
    await run(fake_discord, "advise", {"contract": "acme-site"}, user=a)
    await run(fake_discord, "contract list", user=a)
    values = {**modal_values(shown), "names": "Renamed | Client"}
    refused = await settle(await fake_discord.send_modal_submit(str(shown.custom_id), values, user=b, shown_to=a))
    assert refused.title == "Not yours"
    await settle(await fake_discord.send_modal_submit(str(shown.custom_id), values, user=a))
    await fake_discord.wait_for(lambda: bool(wakes), timeout=10, what="the scheduler woken by the form")
    # Only the accepted form: the read-only commands would have woken it at once, and the refused form's wake
    # (had it been scheduled) was due before the accepted one's, so no sleep is needed to see them.
    assert wakes == ["wake"]


async def test_forget_me_buttons_refuse_someone_else(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    a, b = fake_discord.add_user("alice"), fake_discord.add_user("bob")
    await import_demo(bot, a)
    await import_demo(bot, b)
    prompts = {}
    for user in (a, b):
        handle = await fake_discord.send_slash_command("forget-me", user=user)
        await handle.wait_for_original()
        prompts[user.id] = handle.original
    ids = {uid: component_id(p or {}, "forget:confirm:") for uid, p in prompts.items()}
    assert ids[a.id] != ids[b.id]
    stranger = await settle(await fake_discord.send_component(ids[a.id], message=prompts[a.id] or {}, user=b))
    assert stranger.title == "Not yours" and stranger.ephemeral
    assert await bot.services.context.store.count_contracts(str(a.id)) > 0
    assert await bot.services.context.store.count_contracts(str(b.id)) > 0
    await settle(await fake_discord.send_component(ids[a.id], message=prompts[a.id] or {}, user=a))
    assert await bot.services.context.store.count_contracts(str(a.id)) == 0
    assert await bot.services.context.store.count_contracts(str(b.id)) > 0


async def test_import_menus_and_forms_of_two_users_never_cross(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    """Two users import the same exports; each picks the same contract and fills in different details."""
    landing = "landing-page-copy-04bf54"
    a, b = fake_discord.add_user("alice"), fake_discord.add_user("bob")
    menus: dict[int, dict[str, Any]] = {}
    for user in (a, b):
        upload = FakeAttachment("transactions.csv", (UPWORK / "transactions.csv").read_bytes(), "text/csv")
        handle = await fake_discord.send_slash_command("ledger import-csv", {"file": upload}, user=user)
        await handle.wait_for_followups(1)
        menus[user.id] = handle.visible_messages()[-1]
    forms = {}
    for user in (a, b):
        menu_id = component_id(menus[user.id], "import:menu:")
        pick = await fake_discord.send_component(menu_id, message=menus[user.id], values=[landing], user=user)
        forms[user.id] = await pick.wait_for_response()
    stars = {a.id: "4.5", b.id: "3"}
    for user in (b, a):
        values = {"status": "ended", "ended": "2026-10-20", "stars": stars[user.id], "client": f"{user.username} co"}
        reply = await settle(await fake_discord.send_modal_submit(str(forms[user.id].custom_id), values, user=user))
        assert not reply.is_error, reply.embeds
    for user in (a, b):
        stored = await contract_of(bot, user, landing)
        assert (stored.public_stars, stored.client) == (float(stars[user.id]), f"{user.username} co")


# ----------------------------------------------------------------------------------------- heavy work


async def test_expensive_commands_and_buttons_have_a_per_user_cooldown(
    bot: AdvisorBot, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    bot.heavy_limiter = HeavyLimiter(HeavyLimit(rate=2, per=3600))
    me, other = fake_discord.default_user, fake_discord.add_user("other")
    await import_demo(bot, me)
    await import_demo(bot, other)
    advice = await run(fake_discord, "advise", {"contract": "acme-site"})
    assert not (await run(fake_discord, "plan")).is_error
    refused = await run(fake_discord, "whatif", {"contract": "acme-site"})
    assert refused.is_error and refused.ephemeral and refused.title == "Slow down"
    assert refused.embed["description"].startswith("Slow down: try again in ") and error_records(caplog) == []
    button = component_id(advice.messages[-1], "advise:plan:")
    clicked = await settle(await fake_discord.send_component(button, message=advice.messages[-1]))
    assert clicked.title == "Slow down"  # the buttons count against the same limit
    assert not (await run(fake_discord, "plan", user=other)).is_error  # per user
    assert not (await run(fake_discord, "contract list")).is_error  # cheap commands are not limited


async def test_a_large_ledger_is_acknowledged_before_the_engine_runs_on_the_loop(
    inline_bot: AdvisorBot, fake_discord: FakeDiscord
) -> None:
    """With the engine inline (no worker processes), its work holds the event loop and the answer budget's
    timer could fire only after Discord's deadline: a big ledger shows "thinking..." before the work."""
    bot = inline_bot
    assert bot.services.engine_on_loop
    me = fake_discord.default_user
    await import_demo(bot, me)
    contracts = await bot.services.ledger.contract_count(str(me.id))
    bot.large_ledger = contracts
    for name, options in (
        ("plan", {}),
        ("whatif", {"contract": "acme-site"}),
        ("advise", {"contract": "acme-site"}),
    ):
        reply = await run(fake_discord, name, options)
        assert reply.response.type == 5 and reply.ephemeral and not reply.is_error, name  # "thinking..." first
    bot.large_ledger = contracts + 1
    assert (await run(fake_discord, "plan")).response.type == 4  # a small ledger: one step


async def test_with_workers_a_first_advice_sends_no_count_nor_notice_query_through_the_database_thread(
    bot: AdvisorBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deployed bot's engine runs in worker processes and reads the ledger there: the event loop stays
    free, so the answer budget's timer acknowledges a slow answer whatever the ledger's size. A first /advise
    makes no COUNT query, and the DMs-closed notice is read on the loop's own thread: neither is a trip to
    aiosqlite's thread (issue 13: each trip is a thread hand-off on the loop, in every burst of first
    questions)."""
    me = fake_discord.default_user
    await import_demo(bot, me)
    bot.large_ledger = 1  # "large" would defer first if the engine held the loop
    assert not bot.services.engine_on_loop
    trips = database_thread_trips(monkeypatch)
    looked: list[str] = []
    notice_lookup = bot.services.reminders.reminders.dm_notice

    async def dm_notice(user_id: str) -> bool:
        flag = await notice_lookup(user_id)
        looked.append(user_id)
        return flag

    monkeypatch.setattr(bot.services.reminders.reminders, "dm_notice", dm_notice)
    reply = await run(fake_discord, "advise", {"contract": "acme-site"})
    await fake_discord.wait_for(lambda: bool(looked), timeout=30, what="the notice lookup")
    assert reply.response.type == 4 and not reply.is_error  # answered in one step, within the budget
    # (The answer cache's version read stays a trip: one per round however many ask, see services/cache.py.)
    made_by = {name for trip in trips for name in trip}
    assert "count_contracts" not in made_by and "dm_notice" not in made_by


async def test_a_busy_service_is_an_ordinary_private_error(
    bot: AdvisorBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def busy(*args: object, **kwargs: object) -> NoReturn:
        raise bot.services.error("busy", detail="The bot is busy right now; try again in a minute.")

    monkeypatch.setattr(bot.services.answers, "plan", busy)
    reply = await run(fake_discord, "plan")
    assert reply.is_error and reply.ephemeral and "busy" in reply.embed["description"]
    assert error_records(caplog) == []


# ----------------------------------------------------------------------------------------- Discord faults


async def test_a_reply_past_the_deadline_is_owned_up_to_with_the_next_reply(
    bot: AdvisorBot, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    """The change is committed but Discord takes the reply too late: the user's next reply says so."""
    me = fake_discord.default_user
    await import_demo(bot, me)
    hang_bound, fake_discord.interaction_deadline = fake_discord.interaction_deadline, 0.3
    fake_discord.rate_limit(CALLBACK, retry_after=0.6, method="POST")  # waited out, then too late
    handle = await fake_discord.send_slash_command("contract edit", {"contract": "ghost-app", "status": "paused"})
    await fake_discord.wait_for(
        lambda: any("not delivered" in r.getMessage() for r in caplog.records), timeout=60, what="the warning"
    )
    assert handle.late_callback and handle.response is None  # the user saw nothing
    assert (await contract_of(bot, me, "ghost-app")).status.value == "paused"  # but it was saved
    fake_discord.interaction_deadline = hang_bound
    handle = await fake_discord.send_slash_command("contract list")
    assert (await handle.wait_for_response()).type == 4
    await handle.wait_for_followups(1)
    reply = await settle(handle)
    [listed, notice] = reply.embeds
    assert listed["title"].startswith("Your contracts") and notice["title"] == "An answer did not reach you"
    assert "/contract edit went through" in notice["description"] and reply.ephemeral
    assert len((await run(fake_discord, "contract list")).embeds) == 1  # told once
    warning = next(r for r in caplog.records if "not delivered" in r.getMessage())
    assert "/contract edit" in warning.getMessage() and str(me.id) in warning.getMessage()
    assert error_records(caplog) == []


@pytest.mark.parametrize("command", ["ledger import", "ledger import-csv"])
async def test_a_failed_attachment_download_is_a_clear_warning(
    bot: AdvisorBot, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture, command: str
) -> None:
    fault = fake_discord.server_error("/attachments/*", status=503)
    if command == "ledger import":
        upload = FakeAttachment("ledger.json", ledger_json([]).encode(), "application/json")
    else:
        upload = FakeAttachment("transactions.csv", (UPWORK / "transactions.csv").read_bytes(), "text/csv")
    with caplog.at_level(logging.WARNING):
        reply = await run(fake_discord, command, {"file": upload})
    assert fault.hits and reply.is_error and reply.ephemeral
    assert reply.embed["description"] == "Could not download the file from Discord, try again."
    assert error_records(caplog) == []
    [warning] = [r for r in caplog.records if "could not download" in r.getMessage()]
    assert warning.levelno == logging.WARNING
    assert f"/{command}" in warning.getMessage() and str(fake_discord.default_user.id) in warning.getMessage()


async def wait_answered(server: FakeDiscord, handle: InteractionHandle) -> dict[str, Any]:
    """The deferred message once it no longer says "thinking..."."""
    await handle.wait_for_response(timeout=60)
    return await server.wait_for(
        lambda: handle.original if handle.original and not handle.original.get("flags", 0) & LOADING else None,
        timeout=60,
        what="the deferred message to be answered",
    )


async def test_followups_refused_with_503_end_in_an_edit_not_thinking(
    bot: AdvisorBot,
    fake_discord: FakeDiscord,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    me = fake_discord.default_user
    await import_demo(bot, me)
    monkeypatch.setattr(replies, "FOLLOWUP_SECONDS", 0.2)  # the bound under test; the edit keeps its own
    bot.answer_budget = 0  # "thinking..." first
    fake_discord.server_error(FOLLOWUP, status=503, times=1000, method="POST")
    handle = await fake_discord.send_slash_command("advise", {"contract": "acme-site"})
    shown = await wait_answered(fake_discord, handle)
    assert shown["embeds"][0]["title"].startswith("Close it now") and handle.followups == []
    # An error after "thinking..." ends the same way.
    monkeypatch.setattr(bot.services.answers, "plan", _refuse(bot))
    handle = await fake_discord.send_slash_command("plan")
    shown = await wait_answered(fake_discord, handle)
    assert shown["embeds"][0]["description"] == "Spacing out of range."
    assert error_records(caplog) == []
    assert any("/advise" in r.getMessage() and str(me.id) in r.getMessage() for r in caplog.records)


def _refuse(bot: AdvisorBot) -> Any:
    async def refuse(*args: object, **kwargs: object) -> NoReturn:
        raise bot.services.error("bad_input", detail="Spacing out of range.")

    return refuse
