"""Short, polite messages the freelancer can send the client: ask to close, ask for a milestone, goodbye.

The letter is copied by hand into Upwork, so it must read exactly as written: on Discord it sits in a
code block (where markdown escapes would show as backslashes), in the console it is plain text. User
text in it (names, title) therefore gets the console's escaping (no control characters, no line breaks,
bounded length) plus what a code block needs (no closing fence), instead of markdown escaping.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Any

from bot.importers.merge import PLACEHOLDER_CLIENT
from bot.render import Answer, OutputFormat
from bot.render.environment import environment
from bot.render.escaping import Trusted, for_console
from scoring.model import Contract, ContractKind

from .context import ServiceContext
from .lookup import one_contract

MAX_NAME = 80
NAME_PLACEHOLDER = "[your name]"
_FENCE = re.compile(r"`{2,}")
_KIND_FEEDBACK = 4.5


class MessageKind(StrEnum):
    ASK_CLOSE = "ask-close"
    ASK_MILESTONE = "ask-milestone"
    GOODBYE = "goodbye"


RULES = {
    MessageKind.ASK_CLOSE: ["C-CLOSE-ADVICE", "FB-WHO-ENDS"],
    MessageKind.ASK_MILESTONE: ["C-FP-AUTO-RELEASE"],
    MessageKind.GOODBYE: ["FB-14DAYS"],
}


def letter_text(value: str, fmt: OutputFormat, limit: int = 200) -> Trusted:
    """User text made safe for the letter body in `fmt`, without changing how it reads."""
    text = str(for_console(value[: limit * 2])).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    if text.startswith("#"):  # a line of the answer starting with '#' would be read as a heading
        text = "\u200b" + text
    if fmt is OutputFormat.DISCORD:
        text = _FENCE.sub(lambda m: "\u200b".join(m.group(0)), text)  # "```" would close the code block
    return Trusted(text)


def _long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


class MessageService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _check(self, contract: Contract, kind: MessageKind) -> None:
        """Refuse letters that make no sense for the contract, saying which one does."""
        reason = None
        if kind is MessageKind.ASK_CLOSE and not contract.is_open:
            reason = "letter_ended"
        elif kind is MessageKind.GOODBYE and contract.is_open:
            reason = "letter_still_open"
        elif kind is MessageKind.ASK_MILESTONE and contract.kind is ContractKind.HOURLY:
            reason = "milestone_hourly"
        elif kind is MessageKind.ASK_MILESTONE and not contract.is_open:
            reason = "milestone_ended"
        if reason is not None:
            raise self.ctx.error("bad_input", reason, contract_id=contract.id)

    @staticmethod
    def _letter(contract: Contract, kind: MessageKind, name: str | None, to: str | None, fmt: OutputFormat) -> str:
        """Render the letter's body with every user value escaped for `fmt`."""
        greet = (to or "").strip() or (contract.client if contract.client != PLACEHOLDER_CLIENT else "there")
        letter: dict[str, Any] = {
            "kind": kind.value,
            "to": letter_text(greet, fmt, MAX_NAME),
            "name": letter_text((name or "").strip() or NAME_PLACEHOLDER, fmt, MAX_NAME),
            "title": letter_text(contract.title, fmt),
            "paid_on": Trusted(_long_date(contract.last_payment)) if contract.last_payment else None,
            "kind_feedback": (contract.public_stars or 0) >= _KIND_FEEDBACK,
        }
        return environment(fmt).get_template("client_message_body.txt.j2").render(**letter).strip()

    async def client_message(
        self, user_id: str, contract_id: str, kind: str, name: str | None = None, to: str | None = None
    ) -> Answer:
        """The letter for `kind` on the user's contract, signed `name` and greeting `to` (default: the client)."""
        try:
            message_kind = MessageKind(kind)
        except ValueError:
            raise self.ctx.error("bad_input", "message_kind", kinds=[k.value for k in MessageKind]) from None
        contract = await one_contract(self.ctx, user_id, contract_id)
        self._check(contract, message_kind)
        fmt = self.ctx.fmt
        body = self._letter(contract, message_kind, name, to, fmt)
        plain = self._letter(contract, message_kind, name, to, OutputFormat.CONSOLE)  # for --json: no code block
        rules = RULES[message_kind]
        ctx = {"kind": message_kind.value, "c": contract, "body": Trusted(body), "rules": rules}
        data = {"contract": contract.id, "message_kind": message_kind.value, "message": plain}
        return self.ctx.render("client_message", ctx, data=data)
