"""The real AdvisorBot under faults: rate limits, Discord 5xx, a dropped gateway, and failures inside commands.

Every answer must still arrive (discord.py retries), and a failure inside the bot becomes one clear,
private message: no traceback or internal detail reaches the user, the log has the context.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn

import pytest

from bot.discord_app.client import AdvisorBot
from tests.fakediscord import FakeDiscord, FakeUser

from . import component_id
from .test_commands_e2e import assert_mentions_suppressed, import_demo, run, settle

FOLLOWUP = "/webhooks/{webhook_id}/{webhook_token}"
CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"
SECRET = "secret-detail /srv/jss/bot/store.py line 42 sqlite3.OperationalError"
INTERNAL_TITLE = "Something went wrong on our side"


@pytest.fixture
async def me(bot: AdvisorBot, fake_discord: FakeDiscord) -> FakeUser:
    await import_demo(bot, fake_discord.default_user)
    return fake_discord.default_user


async def explode(*args: Any, **kwargs: Any) -> NoReturn:
    raise RuntimeError(SECRET)


def assert_no_internals(text: str) -> None:
    for leak in ("Traceback", "secret-detail", "RuntimeError", "sqlite3", ".py", "line 42"):
        assert leak not in text, leak


def error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


# ----------------------------------------------------------------------------------------- Discord faults


async def test_429_on_the_followup_is_waited_out(bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser) -> None:
    bot.answer_budget = 0  # always "thinking..." first, so the answer is a followup
    fault = fake_discord.rate_limit(FOLLOWUP, retry_after=0.4, method="POST")
    reply = await run(fake_discord, "advise", {"contract": "acme-site"}, timeout=60)
    assert reply.title.startswith("Close it now") and reply.ephemeral
    [limited] = fault.hits
    [delivered] = [c for c in fake_discord.calls_to(FOLLOWUP, "POST") if c.status == 200]
    assert delivered.at - limited.at >= 0.4  # discord.py waited retry_after, then sent it again
    assert len(reply.handle.followups) == 1  # once, not twice
    assert_mentions_suppressed(fake_discord.calls)


async def test_429_on_the_interaction_callback_is_waited_out(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser
) -> None:
    fault = fake_discord.rate_limit(CALLBACK, retry_after=0.3, method="POST")
    reply = await run(fake_discord, "contract list")  # answered in the callback itself (no defer)
    assert reply.response.type == 4 and reply.ephemeral and reply.title.startswith("Your contracts")
    [limited] = fault.hits
    assert reply.response.at - limited.at >= 0.3
    # A deferred command: the "thinking..." callback is limited, then the answer follows.
    bot.answer_budget = 0
    fault = fake_discord.rate_limit(CALLBACK, retry_after=0.3, method="POST")
    reply = await run(fake_discord, "whatif", {"contract": "ghost-app"}, timeout=60)
    assert fault.hits and reply.title.startswith("What if") and reply.ephemeral


async def test_5xx_on_the_followup_is_retried(bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser) -> None:
    bot.answer_budget = 0  # always "thinking..." first, so the answer is a followup
    fault = fake_discord.server_error(FOLLOWUP, status=502, method="POST")
    reply = await run(fake_discord, "advise", {"contract": "ghost-app"}, timeout=60)
    assert len(fault.hits) == 1 and not reply.is_error and reply.ephemeral
    assert len(reply.handle.followups) == 1
    statuses = [c.status for c in fake_discord.calls_to(FOLLOWUP, "POST")]
    assert statuses == [502, 200]


@pytest.mark.fakediscord(interaction_deadline=3.0)  # the retry must fit Discord's real deadline
async def test_5xx_on_the_callback_is_retried_within_the_deadline(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser
) -> None:
    fault = fake_discord.server_error(CALLBACK, status=500, method="POST")
    reply = await run(fake_discord, "contract show", {"contract": "acme-site"}, timeout=60)
    assert fault.hits and reply.title == "Acme website fixes"
    assert reply.handle.latency is not None and reply.handle.latency < fake_discord.interaction_deadline


async def test_gateway_disconnect_resume_then_commands_still_work(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser
) -> None:
    await fake_discord.disconnect_gateway()
    # Sent while the bot is away: buffered by the gateway and replayed after RESUME.
    pending = await fake_discord.send_slash_command("advise", {"contract": "acme-site"})
    await fake_discord.wait_for(lambda: fake_discord.resume_count >= 1, timeout=60, what="a RESUME")
    await fake_discord.wait_until_connected()
    assert "/gateway-resume" in fake_discord.gateway_connections  # READY's resume_gateway_url was used
    assert len(fake_discord.identify_payloads) == 1  # resumed, not a new session
    replayed = await settle(pending)
    assert replayed.title.startswith("Close it now")
    after = await run(fake_discord, "contract show", {"contract": "ghost-app"})
    assert after.title == "Mobile app prototype" and after.ephemeral


async def test_a_failing_error_report_is_logged_not_raised(
    bot: AdvisorBot, fake_discord: FakeDiscord, me: FakeUser, caplog: pytest.LogCaptureFixture
) -> None:
    """The token is dead (expired, 404): the followup and the edit of "thinking..." both fail: logged, no crash."""
    bot.answer_budget = 0
    fake_discord.inject_fault("/webhooks/*", status=404, times=10, body={"message": "Unknown Webhook", "code": 10015})
    handle = await fake_discord.send_slash_command("advise", {"contract": "acme-site"})
    await handle.wait_for_response()
    await fake_discord.wait_for(
        lambda: any("not delivered" in r.getMessage() for r in caplog.records),
        timeout=60,
        what="the warning that the answer could not be delivered",
    )
    assert handle.followups == [] and error_records(caplog) == []
    again = await run(fake_discord, "contract show", {"contract": "acme-site"})  # the bot is still fine
    assert again.title == "Acme website fixes"


# ----------------------------------------------------------------------------------------- failures in the bot


async def test_unexpected_exception_in_a_deferred_command(
    bot: AdvisorBot,
    fake_discord: FakeDiscord,
    me: FakeUser,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(bot.services.answers, "advise", explode)
    with caplog.at_level(logging.ERROR, logger="jss_advisor.discord"):
        reply = await run(fake_discord, "advise", {"contract": "acme-site"})
    assert reply.ephemeral and reply.is_error and reply.title == INTERNAL_TITLE
    assert "your data is unchanged" in reply.embed["description"]
    assert_no_internals(reply.text())
    [record] = error_records(caplog)
    assert record.name == "jss_advisor.discord" and record.exc_info is not None
    assert "advise" in record.getMessage() and str(me.id) in record.getMessage()  # which command, whose
    assert SECRET in str(record.exc_info[1])  # the detail is in the log, and only there
    assert_mentions_suppressed(fake_discord.calls)


async def test_unexpected_exception_before_any_reply(
    bot: AdvisorBot,
    fake_discord: FakeDiscord,
    me: FakeUser,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(bot.services.ledger, "list_contracts", explode)
    with caplog.at_level(logging.ERROR):
        reply = await run(fake_discord, "contract list")
    assert reply.response.type == 4 and reply.ephemeral and reply.title == INTERNAL_TITLE
    assert_no_internals(reply.text())
    assert any("contract list" in r.getMessage() for r in error_records(caplog))


async def test_unexpected_exception_in_a_button_and_a_form(
    bot: AdvisorBot,
    fake_discord: FakeDiscord,
    me: FakeUser,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    advice = await run(fake_discord, "advise", {"contract": "acme-site"})
    monkeypatch.setattr(bot.services.answers, "what_if", explode)
    monkeypatch.setattr(bot.services.ledger, "add_contract", explode)
    with caplog.at_level(logging.ERROR):
        whatif = component_id(advice.messages[-1], "advise:whatif:")
        click = await settle(await fake_discord.send_component(whatif, message=advice.messages[-1]))
        opened = await fake_discord.send_slash_command("contract add", {"kind": "hourly", "status": "active"})
        shown = await opened.wait_for_response()
        assert shown.type == 9
        form = await settle(
            await fake_discord.send_modal_submit(
                str(shown.custom_id),
                {"contract_id": "new-one", "names": "Logo | Acme", "dates": "2026-09-01", "money": "10"},
            )
        )
    for reply in (click, form):
        assert reply.ephemeral and reply.title == INTERNAL_TITLE
        assert_no_internals(reply.text())
    assert len(error_records(caplog)) == 2
    assert all(r.exc_info is not None for r in error_records(caplog))
    assert await bot.services.context.store.get_contract(str(me.id), "new-one") is None


async def test_service_error_shows_its_message(
    bot: AdvisorBot,
    fake_discord: FakeDiscord,
    me: FakeUser,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        raise bot.services.error("bad_input", detail="The spacing must be between 1 and 90 days.")

    monkeypatch.setattr(bot.services.answers, "plan", refuse)
    with caplog.at_level(logging.WARNING):
        reply = await run(fake_discord, "plan", {"spacing_days": 5})
    assert reply.ephemeral and reply.is_error
    assert reply.title == "That input is not valid"
    assert reply.embed["description"] == "The spacing must be between 1 and 90 days."
    assert error_records(caplog) == []  # a user's mistake is not an error of the bot
    # A ServiceError raised by the real service before anything was sent (no defer): the same.
    missing = await run(fake_discord, "contract edit", {"contract": "nope"})
    assert missing.response.type == 4 and missing.ephemeral and missing.title == "Not found"
    assert missing.embed["description"] == "You have no contract 'nope'."


async def test_permission_check_failure_is_a_clear_private_message(
    bot: AdvisorBot, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord hides /setup from members without Manage Server; if one still runs it (stale client), the
    bot's own check refuses it clearly."""
    fake_discord.require_registered_commands = True
    member = fake_discord.add_user("member")
    for command in fake_discord.commands(fake_discord.guild_id):
        if command["name"] == "setup":
            command["default_member_permissions"] = None  # as if Discord had not applied it yet
    reply = await run(fake_discord, "setup forum-channel", {"channel": fake_discord.forum_channel_id}, user=member)
    assert reply.ephemeral and reply.is_error and "Manage Server" in reply.embed["description"]
    assert error_records(caplog) == []
    assert await bot.services.context.store.get_forum_channel(str(fake_discord.guild_id)) is None
