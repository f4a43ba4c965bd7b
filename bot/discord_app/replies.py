"""How the bot answers an interaction: an answer as an embed, in one step when it can, and every failure as
a clear private message. Shared by the cogs and the client's error handler.

Delivery under Discord faults (each logged at WARNING naming the interaction; ERROR is for our own bugs):
- a followup Discord keeps refusing (5xx) is bounded (`FOLLOWUP_SECONDS`, discord.py's own retries
  included), then the deferred "thinking..." message is edited instead: no path that deferred ends on
  "thinking...";
- a reply Discord takes too late (a 429 past its 3-second deadline) is tried once more as a followup;
  when that fails too the user is told with their next reply (see `undelivered.py`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import discord
from discord import app_commands

from bot.render import Answer, OutputFormat, render_answer
from bot.render.text import render_text
from bot.services import ServiceError
from scoring.model import LedgerError

from .embeds import NO_MENTIONS, answer_embed, answer_files, page_embeds
from .pages import pages_view
from .undelivered import UndeliveredNotices

log = logging.getLogger("jss_advisor.discord")

# The default of the bot's `answer_budget` setting (AdvisorBot(answer_budget=...)); see answer_quickly.
ANSWER_BUDGET_SECONDS = 1.0
# The default of the bot's `large_ledger` setting: from this many contracts engine answers defer first.
LARGE_LEDGER_CONTRACTS = 250
# One followup, discord.py's own 5xx retries (after 1 s, 3 s, 5 s ...) included; then the deferred message
# is edited instead. Bounded so a user waits seconds for an error, not the 25 s of five retries, twice.
FOLLOWUP_SECONDS = 6.0
EDIT_SECONDS = 6.0
# What Discord (not our code) can do to a delivery: these are warnings, anything else is our bug.
_DELIVERY_FAULTS = (discord.DiscordServerError, discord.RateLimited, aiohttp.ClientError, OSError, TimeoutError)
_UNKNOWN_INTERACTION, _UNKNOWN_WEBHOOK, _ALREADY_ACKNOWLEDGED = 10062, 10015, 40060
_ANSWERED = "jss_answered"  # interaction.extras key: the user can see an answer (not "thinking...")


def describe(interaction: discord.Interaction) -> str:
    """The interaction as the log names it: the command (or component) and the user."""
    command = getattr(interaction.command, "qualified_name", None)
    if command:
        what = f"/{command}"
    else:
        custom_id = custom_id_of(interaction)
        what = f"{'form' if interaction.type is discord.InteractionType.modal_submit else 'component'} {custom_id}"
    return f"{what} of user {interaction.user.id}"


def custom_id_of(interaction: discord.Interaction) -> str:
    """The custom_id of a clicked component or submitted form ("?" for commands)."""
    data: dict[str, Any] = dict(interaction.data or {})
    return str(data.get("custom_id", "?"))[:100]


def is_delivery_fault(exc: BaseException) -> bool:
    """A failure of Discord or the network, expected now and then, as opposed to a request of ours it rejects."""
    if isinstance(exc, _DELIVERY_FAULTS):
        return True
    if isinstance(exc, discord.HTTPException):
        return exc.status == 429 or exc.code in (_UNKNOWN_INTERACTION, _UNKNOWN_WEBHOOK, _ALREADY_ACKNOWLEDGED)
    return False


def _notices(interaction: discord.Interaction) -> UndeliveredNotices | None:
    return getattr(interaction.client, "undelivered", None)


def _command_label(interaction: discord.Interaction) -> str:
    """How the undelivered notice names the interaction: the command, or a form or button."""
    command = getattr(interaction.command, "qualified_name", None)
    if command:
        return f"/{command}"
    return "form" if interaction.type is discord.InteractionType.modal_submit else "button"


async def send_answer(
    interaction: discord.Interaction,
    answer: Answer,
    *,
    ephemeral: bool = True,
    view: discord.ui.View | None = None,
    notify_later: bool = True,
) -> None:
    """Reply or follow up, whichever the interaction's state allows; never mentions anyone.

    Discord faults do not raise: they are logged and worked around (see the module docstring). With
    `notify_later`, a reply Discord took too late is owned up to with the user's next reply (off for
    error messages: the command they report did not go through)."""

    embeds = page_embeds(answer)  # every page fits Discord's limits; a long answer gets Prev/Next buttons
    components = pages_view(interaction, embeds, view)

    def message(**extra: Any) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"embed": embeds[0], "allowed_mentions": NO_MENTIONS, **extra}
        if components is not None:
            kwargs["view"] = components
        return kwargs

    if not interaction.response.is_done():
        try:
            await interaction.response.send_message(**message(files=answer_files(answer), ephemeral=ephemeral))
        except Exception as exc:
            if not is_delivery_fault(exc):
                raise
            log.warning("could not reply to %s: %s", describe(interaction), exc)
            await _late_followup(
                interaction, lambda: message(files=answer_files(answer), ephemeral=ephemeral), notify_later
            )
            return
        interaction.extras[_ANSWERED] = True
    else:
        await _follow_up(interaction, message, answer, ephemeral)
    await tell_undelivered(interaction)


async def _late_followup(
    interaction: discord.Interaction, message: Callable[[], dict[str, Any]], notify_later: bool
) -> None:
    """The reply failed: a followup works if Discord did take it; else the user hears of it next time."""
    try:
        await asyncio.wait_for(interaction.followup.send(**message()), FOLLOWUP_SECONDS)
        interaction.extras[_ANSWERED] = True
        return
    except Exception as exc:
        if not is_delivery_fault(exc):
            raise
        log.warning("answer to %s not delivered (Discord's deadline passed): %s", describe(interaction), exc)
    notices = _notices(interaction)
    if notices is not None and notify_later:
        notices.remember(interaction.user.id, _command_label(interaction))


async def _follow_up(
    interaction: discord.Interaction, message: Callable[..., dict[str, Any]], answer: Answer, ephemeral: bool
) -> None:
    """A followup, bounded; if Discord keeps refusing it, edit "thinking..." into the answer instead."""
    try:
        await asyncio.wait_for(
            interaction.followup.send(**message(files=answer_files(answer), ephemeral=ephemeral)), FOLLOWUP_SECONDS
        )
        interaction.extras[_ANSWERED] = True
        return
    except Exception as exc:
        if not is_delivery_fault(exc):
            raise
        log.warning("followup to %s failed: %s", describe(interaction), exc)
    if interaction.extras.get(_ANSWERED) or interaction.response.type is not (
        discord.InteractionResponseType.deferred_channel_message
    ):
        log.warning("answer to %s not delivered: Discord refused the followup", describe(interaction))
        return
    try:
        await asyncio.wait_for(
            interaction.edit_original_response(**message(attachments=answer_files(answer))), EDIT_SECONDS
        )
        interaction.extras[_ANSWERED] = True
    except Exception as exc:
        if not is_delivery_fault(exc):
            raise
        log.warning(
            "answer to %s not delivered: Discord refused the followup and the edit: %s", describe(interaction), exc
        )


async def tell_undelivered(interaction: discord.Interaction) -> None:
    """Under a reply that went through: which earlier commands of this user went through unseen."""
    notices = _notices(interaction)
    commands = notices.take(interaction.user.id) if notices is not None else []
    if not commands or notices is None:
        return
    message = render_text("error_message.txt.j2", reason="undelivered", commands=commands)
    notice = render_answer("error", {"key": "undelivered", "message": message}, OutputFormat.DISCORD, level="warning")
    try:
        await asyncio.wait_for(
            interaction.followup.send(embed=answer_embed(notice), ephemeral=True, allowed_mentions=NO_MENTIONS),
            FOLLOWUP_SECONDS,
        )
    except Exception as exc:
        if not is_delivery_fault(exc):
            raise
        log.warning("could not tell user %s about undelivered answers: %s", interaction.user.id, exc)
        notices.put_back(interaction.user.id, commands)


async def defer_thinking(interaction: discord.Interaction, ephemeral: bool = True) -> None:
    """Show "thinking..."; a Discord fault is logged, the work still runs (its answer then goes to `send_answer`)."""
    try:
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    except Exception as exc:
        if not is_delivery_fault(exc):
            raise
        log.warning("could not defer %s: %s", describe(interaction), exc)


async def _is_large(interaction: discord.Interaction) -> bool:
    """Whether the caller's ledger is big enough for engine answers to hold the event loop past the answer
    budget (one COUNT query). Only asked when the engine runs on the loop (no worker processes): with
    workers the loop stays free, the budget's timer fires on time whatever the ledger's size, and the query
    would be a second trip to the database's thread on every heavy command (issue 13: a first /advise)."""
    services = getattr(interaction.client, "services", None)
    threshold = getattr(interaction.client, "large_ledger", LARGE_LEDGER_CONTRACTS)
    if services is None or threshold is None or not services.engine_on_loop:
        return False
    return bool(await services.ledger.contract_count(str(interaction.user.id)) >= threshold)


async def answer_quickly(
    interaction: discord.Interaction,
    work: Awaitable[Answer],
    *,
    ephemeral: bool = True,
    view: discord.ui.View | None = None,
    budget: float | None = None,
) -> None:
    """Reply in one step when the work is quick; show "thinking..." first only when it is not.

    What it buys, measured (bench/discord_e2e.py --breakdown, local Discord, 2 cores): a one-step reply
    is final at Discord after 1.1 ms (median), defer + followup after 1.8 ms, 5 vs 10 ms in bursts of
    10; against real Discord the second step is another REST round trip (tens of ms) and a visible
    "thinking..." flicker on every answer. Answers take milliseconds (the slowest /advise there: 35 ms),
    so they go out in one step; a slow one (a huge ledger, a busy machine) is acknowledged once it has
    run for `budget` seconds (the bot's `answer_budget`), so the user sees "thinking..." instead of
    Discord's "The application did not respond" after its 3-second deadline.

    Why a large ledger defers before the work starts when the engine runs inline (no worker processes):
    engine work that holds the event loop cannot be interrupted by the budget's timer, so the budget alone
    could fire only after the deadline. With workers (the deployed bot) the timer alone suffices.
    """
    if budget is None:
        budget = getattr(interaction.client, "answer_budget", ANSWER_BUDGET_SECONDS)
    if await _is_large(interaction):
        budget = 0.0
    if budget <= 0:
        await defer_thinking(interaction, ephemeral)
        answer = await work
    else:
        answer = await _within_budget(interaction, work, budget, ephemeral)
    await send_answer(interaction, answer, ephemeral=ephemeral, view=view)


async def _within_budget(
    interaction: discord.Interaction, work: Awaitable[Answer], budget: float, ephemeral: bool
) -> Answer:
    """`work`'s answer; once it has run for `budget` seconds, "thinking..." is shown while it goes on.

    Why a timer instead of wait_for(shield(task)): the same behaviour without a task, a shield and a
    wait_for per command (~12 us of this process's CPU each; issue 13, a first /advise in bursts)."""
    loop = asyncio.get_running_loop()
    deferring: list[asyncio.Task[None]] = []
    timer = loop.call_later(budget, lambda: deferring.append(loop.create_task(defer_thinking(interaction, ephemeral))))
    try:
        return await work
    finally:
        timer.cancel()
        if deferring:  # the answer goes out as a followup once Discord has the "thinking..."
            await deferring[0]


async def report_error(interaction: discord.Interaction, error: Exception) -> None:
    """Every failure (commands, buttons, modals) becomes a clear ephemeral message; details go to the log."""
    original = getattr(error, "original", error)
    if isinstance(original, ServiceError):
        answer = original.answer
    elif isinstance(original, LedgerError):  # bad typed input (a date, an amount): the message names it
        answer = _error("bad_input", str(original))
    elif isinstance(error, app_commands.CommandOnCooldown):
        answer = _error("slow_down", render_text("error_message.txt.j2", reason="cooldown", seconds=error.retry_after))
    elif isinstance(error, app_commands.CheckFailure):
        answer = _error("bad_input", render_text("error_message.txt.j2", reason=_check_reason(error)))
    elif is_delivery_fault(original):
        log.warning("Discord failed %s: %s", describe(interaction), original)
        answer = _error("discord", render_text("error_message.txt.j2", reason="discord_fault"))
    else:
        log.error("%s failed", describe(interaction), exc_info=original)
        answer = _error("internal", render_text("error_message.txt.j2", reason="internal"))
    try:
        await send_answer(interaction, answer, notify_later=False)
    except discord.HTTPException:
        log.warning("could not report an error to user %s", interaction.user.id, exc_info=True)


def _error(key: str, message: str) -> Answer:
    return render_answer("error", {"key": key, "message": message}, OutputFormat.DISCORD, level="error")


def _check_reason(error: app_commands.AppCommandError) -> str:
    if isinstance(error, app_commands.MissingPermissions):
        return "needs_manage_server"
    if isinstance(error, app_commands.NoPrivateMessage):
        return "server_only"
    return "not_here"
