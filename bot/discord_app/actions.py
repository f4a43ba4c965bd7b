"""The buttons under an advice answer, chosen by its verdict, and the undo buttons of the actions they take.

What each verdict gets (the first is the one the advice asks for):
- ask the client: "I asked the client" (records it, with Undo), "Draft a message" (the /message letter),
  "Simulate alternatives", and "Closing plan" when the plan includes this contract;
- close it now: "Closing plan" (when the plan includes it), "Simulate alternatives";
- wait: "Remind me on <look-again date>" (a DM that day), "Simulate alternatives", "Closing plan" (when in it);
- a contract that just ended: "Draft a message" (the goodbye letter, while feedback can still come);
- keep it open, or ended long ago: nothing to click.

Why `DynamicItem`s: the action, the owner and the contract live in the custom_id, so a click works after a
restart or hours later, and no view (with its timer) stays in memory per answer. A click by anyone but the
owner is refused (`refuse_stranger`); every action reads and changes the owner's own ledger only.
Why the engine is asked again on "Remind me" (instead of carrying the date in the custom_id): the answer
is cached until the ledger changes, and the date is then today's advice, not the one of an old message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

import discord

from bot.render import Answer
from bot.render.text import render_text

from .context import host_of
from .limits import check_heavy
from .owned import refuse_stranger
from .replies import answer_quickly, report_error, send_answer

# Any contract id a user can type, newlines included (hence (?s:.)): a button that cannot be parsed would
# leave its click unanswered. `arg` is the undo's subject (the request's day, or the status to restore);
# contract ids never contain ':', so it cannot be confused with one. Buttons sent before the owner was
# added have none and act on the clicker's own ledger.
ADVICE_BUTTON_ID = (
    r"advise:(?P<action>whatif|plan|asked|message|remind|unask|reopen):(?:u(?P<owner>[0-9]{1,20}):)?"
    r"(?:(?P<arg>[0-9]{8}|active|paused|on_hold):)?(?P<contract>(?s:.){1,64})"
)
CUSTOM_ID_MAX = 100  # Discord's limit: a button whose id would be longer is left out, never cut
STYLES = {
    "asked": discord.ButtonStyle.success,
    "remind": discord.ButtonStyle.primary,
    "whatif": discord.ButtonStyle.secondary,
    "plan": discord.ButtonStyle.secondary,
    "message": discord.ButtonStyle.secondary,
    "unask": discord.ButtonStyle.secondary,
    "reopen": discord.ButtonStyle.secondary,
}
ENDED_REASONS = ("already_ended", "ended_feedback_open")


def label(key: str, **values: Any) -> str:
    """A button's label, from templates/buttons.txt.j2.

    Why cached: labels are constant text (or one day's date), and rendering the template for each button
    of each answer was over half the cost of building an answer's buttons (a 2-core box in bursts)."""
    try:
        return _label(key, tuple((name, type(value), value) for name, value in sorted(values.items())))
    except TypeError:  # an unhashable value: rendered each time
        return _render_label(key, values)


@lru_cache(maxsize=1024)  # the few constant labels plus "Remind me on <day>" for the days in use
def _label(key: str, values: tuple[tuple[str, type, Any], ...]) -> str:  # the type: 1 and True hash alike
    return _render_label(key, {name: value for name, _, value in values})


def _render_label(key: str, values: Mapping[str, Any]) -> str:
    return render_text("buttons.txt.j2", key=key, **values)[:80]


def advice_actions(data: Mapping[str, Any]) -> list[str]:
    """The buttons an advice answer gets (its `data`: verdict, reason, in_plan), the advised step first."""
    verdict, reason = data.get("verdict"), data.get("reason")
    if reason in ENDED_REASONS:  # the goodbye letter while feedback can still come; nothing to do after
        return ["message"] if reason == "ended_feedback_open" else []
    plan = ["plan"] if data.get("in_plan") else []
    if verdict == "ask_client":
        return ["asked", "message", "whatif", *plan]
    if verdict == "close_now":
        return [*plan, "whatif"]
    if verdict == "wait":
        return ["remind"] if reason == "disputed" else ["remind", "whatif", *plan]
    return []


class AdviceButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=ADVICE_BUTTON_ID):
    """One action button under an advice answer (or under what an action recorded: its Undo)."""

    def __init__(
        self, action: str, owner_id: int | None, contract_id: str, arg: str | None = None, text: str | None = None
    ) -> None:
        parts = ["advise", action, *([f"u{owner_id}"] if owner_id is not None else []), *([arg] if arg else [])]
        custom_id = ":".join([*parts, contract_id])
        super().__init__(
            discord.ui.Button(label=text or label(action), style=STYLES[action], custom_id=custom_id[:CUSTOM_ID_MAX])
        )
        self.action, self.owner_id, self.contract_id, self.arg = action, owner_id, contract_id, arg
        self.fits = len(custom_id) <= CUSTOM_ID_MAX

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AdviceButton:
        owner = int(match["owner"]) if match["owner"] else None
        return cls(match["action"], owner, match["contract"], match["arg"])

    async def callback(self, interaction: discord.Interaction) -> None:
        if self.owner_id is not None and interaction.user.id != self.owner_id:
            await refuse_stranger(interaction, self.owner_id)
            return
        try:
            await self._act(interaction)
        except Exception as exc:  # the one error path: a clear, private message; details to the log
            await report_error(interaction, exc)

    async def _act(self, interaction: discord.Interaction) -> None:
        services, user, cid = host_of(interaction).services, str(interaction.user.id), self.contract_id
        if self.action in ("whatif", "plan", "remind"):
            check_heavy(interaction)  # engine work, limited like the commands that run it
        if self.action == "whatif":
            await answer_quickly(interaction, services.answers.what_if(user, cid))
        elif self.action == "plan":
            await answer_quickly(interaction, services.answers.plan(user))
        elif self.action == "remind":

            async def remind() -> Answer:
                advice = await services.answers.advise(user, cid)  # cached: the answer this button was under
                return await services.reminders.remind_on(user, advice.data)

            await answer_quickly(interaction, remind())
        elif self.action == "message":
            contract = await services.ledger.contract(user, cid)
            kind = "ask-close" if contract.is_open else "goodbye"
            signature = interaction.user.display_name  # as /message signs by default
            await send_answer(interaction, await services.messages.client_message(user, cid, kind, signature))
        elif self.action == "asked":
            answer = await services.ledger.record_asked(user, cid)
            await send_answer(interaction, answer, view=undo_view(interaction.user.id, answer.data))
        elif self.action == "unask" and self.arg:
            day = date(int(self.arg[:4]), int(self.arg[4:6]), int(self.arg[6:]))
            await send_answer(interaction, await services.ledger.undo_asked(user, cid, day))
        elif self.action == "reopen" and self.arg:
            await send_answer(interaction, await services.ledger.undo_closed(user, cid, self.arg))


def _view(buttons: list[AdviceButton]) -> discord.ui.View:
    """Components only: the view is stopped at once (the registered AdviceButton handles the clicks), so
    discord.py need not track it."""
    view = discord.ui.View(timeout=None)
    for button in buttons:
        if button.fits:
            view.add_item(button)
    view.stop()
    return view


def fill_advice_view(view: discord.ui.View, owner_id: int, data: Mapping[str, Any]) -> None:
    """Add the buttons `advice_actions` picks for an advice answer's `data` to `view` (built before the
    answer was known, so the reply can still go out in one step)."""
    contract = str(data.get("contract", ""))
    for action in advice_actions(data):
        text = label("remind", day=data["revisit"]) if action == "remind" and data.get("revisit") else None
        button = AdviceButton(action, owner_id, contract, text=text)
        if button.fits:
            view.add_item(button)
    view.stop()


def undo_view(owner_id: int, data: Mapping[str, Any]) -> discord.ui.View | None:
    """Undo under what an action recorded (`data` of a ledger action answer); None when nothing was recorded."""
    if not data.get("added"):
        return None
    contract = str(data["contract"])
    if data.get("action") == "asked":
        return _view([AdviceButton("unask", owner_id, contract, str(data["on"]).replace("-", ""))])
    if data.get("action") == "closed" and data.get("was"):
        return _view([AdviceButton("reopen", owner_id, contract, str(data["was"]))])
    return None
