"""Client messages: names filled in and escaped for where the letter is shown, copy-pasteable as is."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services import ServiceError, build_services
from bot.services.messages import MessageService
from bot.store import LedgerStore
from scoring.model import Contract
from tests.builders import ledger_json, make

USER = "dana"
HOSTILE_CLIENT = "\x1b[2J\x1b[31mAcme **Ltd**\x1b[0m @everyone <@123>\n## Fake field"


def contract(**fields: object) -> Contract:
    """Acme's open fixed-price contract, with markdown and a mention in its names."""
    return make(
        "acme-site",
        **{
            "title": "Site `fixes` _v2_",
            "client": "Acme **Ltd** @everyone",
            "kind": "fixed",
            "status": "active",
            "started": "2026-09-01",
            "last_activity": "2026-10-09",
            "last_payment": "2026-10-09",
            "earnings_usd": 700,
            **fields,
        },
    )


async def load(store: LedgerStore, *contracts: Contract) -> None:
    await build_services(store).ledger.import_ledger(USER, ledger_json(contracts))


async def test_console_letter_is_plain_text_with_names(store: LedgerStore, console_messages: MessageService) -> None:
    await load(store, contract())
    answer = await console_messages.client_message(USER, "acme-site", "ask-close", "Dana Kim")
    assert answer.title == "Ask the client to close the contract: Site `fixes` _v2_"
    body = answer.description
    assert body.startswith("Hi Acme **Ltd** @everyone,\n\n") and body.endswith("Best regards,\nDana Kim")
    assert 'on "Site `fixes` _v2_"' in body and "October 9, 2026" in body
    assert answer.data["message"] == body and answer.data["message_kind"] == "ask-close"
    assert {"C-CLOSE-ADVICE", "FB-WHO-ENDS", "C-SELF-CLOSE-2MO"} <= set(answer.rule_ids)
    assert "jss-advisor contracts asked-client acme-site" in answer.fields[0].value


async def test_discord_letter_is_a_code_block_without_markdown_escapes(
    store: LedgerStore, discord_messages: MessageService
) -> None:
    await load(store, contract(title="Logo ```break``` out"))
    answer = await discord_messages.client_message(USER, "acme-site", "ask-milestone", "Dana `Kim`")
    intro, _, rest = answer.description.partition("```text\n")
    assert intro.startswith("Copy it into")
    body, _, after = rest.rpartition("\n```")
    assert after == "" and "```" not in body  # exactly one code block, nothing can close it early
    assert "Hi Acme **Ltd** @everyone," in body  # inside a code block: no backslashes to copy by mistake
    assert "\\" not in body and "Dana `Kim`" in body
    assert "`\u200b`\u200b`break" in body  # a fence in the title is broken up, still reads the same
    assert "\\`\\`\\`break" in answer.title or "\\`" in answer.title  # outside the block: markdown escaped
    message = answer.data["message"]  # --json / copy source: the plain letter, title verbatim, no code block
    assert message.startswith("Hi Acme") and "Logo ```break``` out" in message


async def test_hostile_names_cannot_inject(
    store: LedgerStore, console_messages: MessageService, discord_messages: MessageService
) -> None:
    await load(store, contract(status="ended", ended="2026-10-20", public_stars=5.0))
    for service in (console_messages, discord_messages):
        answer = await service.client_message(USER, "acme-site", "goodbye", "## Not a heading", HOSTILE_CLIENT)
        text = answer.description
        assert "\x1b" not in text and "\n## Fake" not in text and "Fake field" in text
        assert [f.name for f in answer.fields] == ["Feedback"]  # no field injected by a name
        assert "\u200b## Not a heading" in text  # a leading '#' cannot become a heading
        assert "thank you for the kind feedback" in text  # 5 public stars


async def test_defaults_when_names_are_unknown(store: LedgerStore, console_messages: MessageService) -> None:
    await load(store, contract(client="Unknown client", last_payment=None))
    answer = await console_messages.client_message(USER, "acme-site", "ask-close")
    assert answer.description.startswith("Hi there,") and answer.description.endswith("[your name]")
    assert "last payment" not in answer.description


@pytest.mark.parametrize(
    ("fields", "kind", "fragment"),
    [
        ({"status": "ended", "ended": "2026-10-20"}, "ask-close", "has already ended: send the goodbye"),
        ({}, "goodbye", "is still open"),
        ({"kind": "hourly"}, "ask-milestone", "hourly contract"),
        ({"status": "ended", "ended": "2026-10-20"}, "ask-milestone", "needs an open contract"),
        ({}, "please-pay", "must be one of ask-close, ask-milestone, goodbye"),
    ],
)
async def test_messages_that_make_no_sense_are_refused(
    store: LedgerStore, console_messages: MessageService, fields: dict[str, object], kind: str, fragment: str
) -> None:
    await load(store, contract(**fields))
    with pytest.raises(ServiceError) as caught:
        await console_messages.client_message(USER, "acme-site", kind)
    assert caught.value.answer.data["error"] == "bad_input" and fragment in caught.value.answer.description


async def test_unknown_contract(console_messages: MessageService) -> None:
    with pytest.raises(ServiceError) as caught:
        await console_messages.client_message(USER, "nope", "ask-close")
    assert caught.value.answer.data["error"] == "not_found"


def test_long_dates_read_naturally() -> None:
    from bot.services.messages import _long_date

    assert _long_date(date(2026, 3, 1)) == "March 1, 2026"
