"""The buttons under an advice answer keep working after a restart: their state is in the custom_id."""

from __future__ import annotations

from pathlib import Path

from bot.clock import FixedClock
from bot.discord_app.client import AdvisorBot
from tests.discord_app import ONE_STEP
from tests.fakediscord import FakeDiscord, running_bot
from tests.samples import TODAY

from .test_commands_e2e import import_demo, run, settle

WHATIF, PLAN = "advise:whatif:u{}:acme-site", "advise:plan:u{}:acme-site"


async def test_advice_buttons_answer_after_the_bot_restarted(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    db = tmp_path / "bot.db"

    def new_bot() -> AdvisorBot:
        return AdvisorBot(
            db,
            dev_guild_id=fake_discord.guild_id,
            clock=FixedClock.on(TODAY),
            guild_ready_timeout=0.05,
            answer_budget=ONE_STEP,
            heavy_limit=None,  # the cooldown has its own tests (test_safe_use.py)
        )

    async with running_bot(new_bot()) as first:
        await import_demo(first, fake_discord.default_user)
        advice = await run(fake_discord, "advise", {"contract": "acme-site"})
        assert not advice.is_error
        buttons = [c for row in advice.messages[-1]["components"] for c in row["components"]]
        me = fake_discord.default_user.id
        # Close it now, and the plan includes it: the plan first (the owner, the contract in each id).
        assert [b["custom_id"] for b in buttons] == [PLAN.format(me), WHATIF.format(me)]
        # No per-answer view stays in memory (with a 15-minute timer each): the registered item answers.
        assert not first._connection._view_store.persistent_views
        assert len(first._connection._view_store._synced_message_views) == 0

    async with running_bot(new_bot()):
        whatif = await settle(await fake_discord.send_component(WHATIF.format(me), message=advice.messages[-1]))
        assert not whatif.is_error and whatif.ephemeral
        assert whatif.embed["title"].startswith("What if")
        plan = await settle(await fake_discord.send_component(PLAN.format(me), message=advice.messages[-1]))
        assert not plan.is_error and plan.embed["title"].startswith("Closing plan")
        stranger = fake_discord.add_user("stranger")  # someone else's click is refused, clearly and privately
        theirs = await settle(
            await fake_discord.send_component(WHATIF.format(me), message=advice.messages[-1], user=stranger)
        )
        assert theirs.is_error and theirs.ephemeral and theirs.title == "Not yours"
        assert "Acme" not in theirs.text()  # never the owner's data


async def test_advise_about_an_id_with_a_newline_is_a_clear_answer_not_an_internal_error(
    bot: AdvisorBot, fake_discord: FakeDiscord
) -> None:
    """Found by the fuzz test: the buttons' custom_id template did not match a newline, so building them
    failed before the question was even looked at."""
    await import_demo(bot, fake_discord.default_user)
    reply = await run(fake_discord, "advise", {"contract": "\n## INJECTED\n"})
    assert reply.is_error and reply.ephemeral
    assert reply.title == "Not found", reply.embeds  # not "Something went wrong on our side"
