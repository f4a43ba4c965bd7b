"""The Discord flow end to end against the local Discord: attachment -> summary + menu -> form -> contract."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.discord_app.client import AdvisorBot
from tests.fakediscord import EPHEMERAL, FakeAttachment, FakeDiscord
from tests.samples import UPWORK

from . import component_id, embeds_of

LANDING = "landing-page-copy-04bf54"


def attachment(name: str) -> FakeAttachment:
    return FakeAttachment(name, (UPWORK / name).read_bytes(), "text/csv")


async def import_csv(server: FakeDiscord, **options: Any) -> tuple[Any, list[dict[str, Any]]]:
    handle = await server.send_slash_command("ledger import-csv", options)
    response = await handle.wait_for_response()
    assert response.type == 5 and response.flags & EPHEMERAL  # deferred, privately
    await handle.wait_for_followups(1)
    return handle, handle.visible_messages()


async def test_import_csv_is_a_ledger_subcommand(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    commands = {c["name"]: c for c in fake_discord.commands(fake_discord.guild_id)}
    ledger_subcommands = {o["name"] for o in commands["ledger"]["options"]}
    assert {"import", "export", "import-csv"} <= ledger_subcommands
    assert "message" in commands


async def test_attachment_summary_menu_form_contract(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    _, messages = await import_csv(fake_discord, file=attachment("transactions.csv"), file2=attachment("weekly.csv"))
    [embed] = embeds_of(messages)
    assert embed["title"] == "CSV import: 5 added, 0 updated, 0 unchanged"
    assert "Pick a contract in the menu below" in json.dumps(embed)
    message = messages[-1]
    menu_id = component_id(message, "import:menu:")
    menu = next(c for row in message["components"] for c in row["components"] if c["custom_id"] == menu_id)
    assert LANDING in [o["value"] for o in menu["options"]] and len(menu["options"]) == 5

    pick = await fake_discord.send_component(menu_id, message=message, values=[LANDING])
    form = await pick.wait_for_response()
    assert form.type == 9 and re.fullmatch(f"import:details:[^:]+:{LANDING}", str(form.custom_id))  # a modal
    submitted = await fake_discord.send_modal_submit(
        form.custom_id,
        {"status": "ended", "ended": "2026-10-20", "stars": "4.5", "private": "8", "client": "Quill Studio"},
    )
    reply = await submitted.wait_for_response()
    assert reply.ephemeral and reply.embeds[0]["title"] == "Saved: Landing page copy"
    stored = await bot.services.context.store.get_contract(str(fake_discord.default_user.id), LANDING)
    assert stored is not None
    assert (stored.status.value, str(stored.ended), stored.public_stars, stored.private_rating) == (
        "ended",
        "2026-10-20",
        4.5,
        8,
    )


async def test_a_bad_file_is_a_private_error_and_stores_nothing(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    _, messages = await import_csv(
        fake_discord, file=attachment("transactions.csv"), file2=attachment("malformed_date.csv")
    )
    [embed] = embeds_of(messages)
    assert embed["title"] == "That input is not valid"
    assert "malformed\\_date.csv, line 4, column 'Date'" in embed["description"]  # markdown-escaped file name
    assert not messages[-1].get("components")
    assert await bot.services.context.store.count_contracts(str(fake_discord.default_user.id)) == 0


async def test_a_bad_answer_in_the_form_is_explained(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    _, messages = await import_csv(fake_discord, file=attachment("transactions.csv"))
    pick = await fake_discord.send_component(
        component_id(messages[-1], "import:menu:"), message=messages[-1], values=[LANDING]
    )
    form = await pick.wait_for_response()
    assert form.custom_id is not None
    submitted = await fake_discord.send_modal_submit(
        form.custom_id, {"status": "ended", "stars": "7", "client": "Quill Studio"}
    )
    reply = await submitted.wait_for_response()
    assert reply.ephemeral and reply.embeds[0]["title"] == "That input is not valid"
    assert "from 1 to 5" in reply.embeds[0]["description"]
    stored = await bot.services.context.store.get_contract(str(fake_discord.default_user.id), LANDING)
    assert stored is not None and stored.is_open


async def test_someone_else_cannot_use_the_menu(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    _, messages = await import_csv(fake_discord, file=attachment("transactions.csv"))
    stranger = fake_discord.add_user("stranger")
    menu_id = component_id(messages[-1], "import:menu:")
    click = await fake_discord.send_component(menu_id, message=messages[-1], values=[LANDING], user=stranger)
    refused = await click.wait_for_response()  # the summary is ephemeral: this is defence in depth
    assert refused.type == 4 and refused.ephemeral and refused.embeds[0]["title"] == "Not yours"


async def test_message_command_gives_a_copyable_letter(bot: AdvisorBot, fake_discord: FakeDiscord) -> None:
    await import_csv(fake_discord, file=attachment("transactions.csv"))
    choices = await fake_discord.send_autocomplete(
        "message", {"contract": "logo", "kind": "ask-close"}, focused="contract"
    )
    assert [c["value"] for c in choices] == ["logo-refresh-brand-kit-fc316c"]
    handle = await fake_discord.send_slash_command(
        "message", {"contract": "logo-refresh-brand-kit-fc316c", "kind": "ask-close", "name": "Dana **Kim**"}
    )
    reply = await handle.wait_for_response()
    [embed] = reply.embeds
    assert reply.ephemeral and embed["title"].startswith("Ask the client to close the contract")
    assert "```text\nHi Cedar & Co," in embed["description"]
    assert embed["description"].rstrip().endswith("Best regards,\nDana **Kim**\n```")  # verbatim in the block
