"""Reminders as Discord DMs: the sender (idempotent, error -> outcome) and the DM's buttons: the step the
reminder asks for ("Asked the client", "Closed it": recorded in the ledger, with an Undo) and the snoozes.

Why the buttons are `DynamicItem`s: their state (reminder id, delivery number) lives in the custom_id,
so a click is handled after any number of restarts without keeping views in memory; the delivery
number makes a click on an old DM (already snoozed) a no-op instead of a second snooze.

Why two safeguards against duplicates: the message nonce (reminder id + delivery, enforce_nonce)
makes Discord return the existing message when a resend follows a crash within a few minutes, and
for a retried claim the sender first looks for its marker (the button custom_id) in the DM's recent
history, which covers a restart after a longer outage.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Protocol

import aiohttp
import discord

from bot.reminders.kinds import SNOOZE_DAYS, ReminderKind
from bot.render import Answer
from bot.render.text import render_text
from bot.services.reminders.delivery import Claim, Delivered, DmClosed, Failed, Outcome, Retry
from bot.services.reminders.messages import shown_kind

from .pages import send_all_pages

log = logging.getLogger("jss_advisor.reminders.discord")

CUSTOM_ID = r"jss:rem:(?P<id>[0-9]{1,19}):(?P<delivery>[0-9]{1,6}):(?P<action>s7|pick|asked|closed)"
_CUSTOM_ID_RE = re.compile(CUSTOM_ID)
HISTORY_LIMIT = 50  # DM messages searched for an earlier attempt's message
COG_NAME = "Reminders"
SNOOZES = ("s7", "pick")
# The step a reminder asks for, as a button before the snoozes: asking the client, closing it yourself.
STEP_OF_KIND = {
    ReminderKind.ASK_CLIENT.value: "asked",
    ReminderKind.SELF_CLOSE.value: "closed",
    ReminderKind.PLANNED_CLOSE.value: "closed",
}
STYLES = {
    "asked": discord.ButtonStyle.success,
    "closed": discord.ButtonStyle.success,
    "s7": discord.ButtonStyle.primary,
    "pick": discord.ButtonStyle.secondary,
}


def button_label(action: str) -> str:
    """A DM button's label, from templates/buttons.txt.j2."""
    key = {"asked": "dm_asked", "closed": "dm_closed"}.get(action, action)
    return render_text("buttons.txt.j2", key=key, days=SNOOZE_DAYS)[:80]


def custom_id(reminder_id: int, delivery: int, action: str) -> str:
    return f"jss:rem:{reminder_id}:{delivery}:{action}"


class ClickHandler(Protocol):
    async def on_reminder_click(
        self, interaction: discord.Interaction, reminder_id: int, delivery: int, action: str
    ) -> None: ...


class SnoozeButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=CUSTOM_ID):
    """A button on a reminder DM, handled by the reminders cog: 'Asked the client' (asked), 'Closed it'
    (closed), 'Remind me in 7 days' (s7) or 'Pick a day…' (pick, opens a form)."""

    def __init__(self, reminder_id: int, delivery: int, action: str) -> None:
        cid = custom_id(reminder_id, delivery, action)
        super().__init__(discord.ui.Button(label=button_label(action), style=STYLES[action], custom_id=cid))
        self.reminder_id, self.delivery, self.action = reminder_id, delivery, action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SnoozeButton:
        return cls(int(match["id"]), int(match["delivery"]), match["action"])

    async def callback(self, interaction: discord.Interaction) -> None:
        handler: ClickHandler | None = interaction.client.get_cog(COG_NAME)  # type: ignore[attr-defined, assignment]
        if handler is None:
            await interaction.response.send_message(button_label("unavailable"), ephemeral=True)
            return
        await handler.on_reminder_click(interaction, self.reminder_id, self.delivery, self.action)


def reminder_view(reminder_id: int, delivery: int, kind: str = "") -> discord.ui.View:
    """The DM's buttons: the step its kind asks for (if any), then the snoozes."""
    view = discord.ui.View(timeout=None)
    step = STEP_OF_KIND.get(kind)
    for action in ((step,) if step else ()) + SNOOZES:
        view.add_item(SnoozeButton(reminder_id, delivery, action))
    return view


def _retry_after(exc: discord.HTTPException) -> float | None:
    header = exc.response.headers.get("Retry-After") if exc.response is not None else None
    try:
        return float(header) if header else None
    except ValueError:
        return None


class DmClient(Protocol):
    """What the sender needs of a logged-in discord.py client: a `discord.Client`, or the bot as a cog sees it."""

    @property
    def user(self) -> discord.ClientUser | None: ...

    async def create_dm(self, user: discord.abc.Snowflake) -> discord.DMChannel: ...


class DiscordSender:
    """Delivers a claimed reminder as a DM through a logged-in discord.py client (gateway not needed)."""

    def __init__(self, client: DmClient, history_limit: int = HISTORY_LIMIT) -> None:
        self.client = client
        self.history_limit = history_limit

    async def deliver(self, claim: Claim, answer: Answer) -> Outcome:
        reminder = claim.reminder
        if not reminder.user_id.isdigit():
            return DmClosed("not a Discord user id (console user)")
        try:
            channel = await self.client.create_dm(discord.Object(int(reminder.user_id)))
            if reminder.attempts > 1:
                earlier = await self._earlier_message(channel, reminder.id, reminder.delivery)
                if earlier is not None:
                    return Delivered(str(earlier), recovered=True)
            message = await send_all_pages(  # a long DM in several messages, its buttons under the last
                channel,
                answer,
                view=reminder_view(reminder.id, reminder.delivery, shown_kind(reminder)),
                nonce=reminder.nonce,
            )
            return Delivered(str(message.id))
        except discord.Forbidden as exc:  # 50007 Cannot send messages to this user, and its relatives
            return DmClosed(f"403/{exc.code}: {exc.text[:200]}")
        except discord.NotFound as exc:  # 10013 Unknown User: the account is gone
            return DmClosed(f"404/{exc.code}: {exc.text[:200]}")
        except discord.RateLimited as exc:  # retry_after above the client's max_ratelimit_timeout
            return Retry(f"429: retry after {exc.retry_after:.1f} s", exc.retry_after, rate_limited=True)
        except discord.HTTPException as exc:  # discord.py already retried 429s and 500/502/504/524 itself
            if exc.status == 429:
                return Retry("429: rate limited after discord.py's own retries", _retry_after(exc), rate_limited=True)
            if exc.status >= 500:
                return Retry(f"{exc.status}: Discord server error")
            return Failed(f"{exc.status}/{exc.code}: {exc.text[:200]}")
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return Retry(f"network: {type(exc).__name__}")

    async def _earlier_message(self, channel: discord.DMChannel, reminder_id: int, delivery: int) -> int | None:
        """The id of a DM an earlier attempt of this delivery already sent, found by its button's custom_id."""
        me = self.client.user
        wanted = custom_id(reminder_id, delivery, "s7")
        async for message in channel.history(limit=self.history_limit):
            if me is not None and message.author.id != me.id:
                continue
            for row in message.components:
                for child in getattr(row, "children", ()):
                    if getattr(child, "custom_id", None) == wanted:
                        log.info(
                            "reminders: reminder %s delivery %s was already sent as %s",
                            reminder_id,
                            delivery,
                            message.id,
                        )
                        return message.id
        return None
