"""Reminders through the real bot on a simulated clock, against the local Discord: the `World` the `world`
fixture (conftest.py) hands each test, and helpers to read the DMs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import VirtualClock
from bot.discord_app.client import AdvisorBot
from bot.discord_app.cogs.reminders import ReminderCog
from bot.render import Answer
from bot.services.reminders.delivery import Outcome, Sender
from bot.store.reminder_store import Claim
from scoring.model import Ledger
from tests.builders import ledger_json
from tests.fakediscord import FakeAttachment, FakeDiscord, FakeUser

START = datetime(2026, 1, 5, 12, tzinfo=UTC)  # a Monday, 07:00 in New York


@dataclass
class Sent:
    at: datetime
    reminder_id: int
    delivery: int
    rule: str
    contract: str
    outcome: str


@dataclass
class RecordingSender:
    """Wraps the bot's real sender to note the simulated time of every attempt (Discord itself only
    sees wall-clock time)."""

    inner: Sender
    clock: VirtualClock
    log: list[Sent] = field(default_factory=list)

    async def deliver(self, claim: Claim, answer: Answer) -> Outcome:
        outcome = await self.inner.deliver(claim, answer)
        r = claim.reminder
        self.log.append(Sent(self.clock.now(), r.id, r.delivery, r.rule_id, r.contract_id, type(outcome).__name__))
        return outcome


@dataclass
class World:
    bot: AdvisorBot
    server: FakeDiscord
    clock: VirtualClock
    sender: RecordingSender

    @property
    def cog(self) -> ReminderCog:
        cog = self.bot.get_cog("Reminders")
        assert type(cog).__name__ == ReminderCog.__name__  # an extension: loaded afresh by each bot
        return cog

    async def command(
        self, name: str, options: dict[str, Any] | None = None, *, user: FakeUser | None = None, followups: int = 0
    ) -> list[dict[str, Any]]:
        """Run a slash command as `user` and return the embeds they see."""
        handle = await self.server.send_slash_command(name, options or {}, user=user)
        response = await handle.wait_for_response()
        if response.type == 5:
            await handle.wait_for_followups(max(1, followups))
        else:
            await handle.wait_for_original()
            if followups:
                await handle.wait_for_followups(followups)
        return [e for m in handle.visible_messages() for e in m.get("embeds", [])]

    async def import_ledger(self, ledger: Ledger, user: FakeUser | None = None) -> None:
        data = ledger_json(ledger).encode()
        embeds = await self.command(
            "ledger import", {"file": FakeAttachment("l.json", data), "mode": "replace"}, user=user
        )
        assert embeds[0]["title"] == "Ledger imported.", embeds

    async def opt_in(self, timezone: str, quiet: str | None, user: FakeUser | None = None) -> None:
        options = {"timezone": timezone, **({"quiet": quiet} if quiet else {})}
        [saved] = await self.command("reminders settings", options, user=user)
        assert saved["title"] == "Reminder settings saved.", saved
        await self.command("settings", {"reminders": True}, user=user)

    def dms(self, user: FakeUser) -> list[dict[str, Any]]:
        return self.server.dms_to(user)


def local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def dm_key(message: dict[str, Any]) -> tuple[int, int | None]:
    """(reminder id, delivery): the id from the footer, the delivery from the snooze button (None once a
    snooze removed the buttons)."""
    footer = message["embeds"][0]["footer"]["text"]
    rid = int(footer.split("·")[0].strip().removeprefix("Reminder #"))
    rows = message.get("components") or []
    if not rows:
        return rid, None
    _, _, button_rid, delivery, _ = rows[0]["components"][0]["custom_id"].split(":")
    assert int(button_rid) == rid
    return rid, int(delivery)
