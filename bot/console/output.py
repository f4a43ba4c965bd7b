"""Showing an Answer on a terminal (colour only when stdout is a terminal) or as JSON."""

from __future__ import annotations

import json
import os
import re
import sys
from decimal import Decimal
from typing import Any, TextIO

from bot.render import Answer

COLOURS = {"good": "32", "warning": "33", "error": "31", "info": "36"}
# The templates write Discord markdown; a terminal shows `**` and `__` as they are. Emphasis becomes bold
# (with colour) or plain text; code spans and blocks are left whole (a command to copy stays readable).
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


def plain_markdown(text: str, colour: bool) -> str:
    """`text` without markdown emphasis markers, bold on a colour terminal; code spans untouched."""

    def emphasis(match: re.Match[str]) -> str:
        return f"\x1b[1m{match.group(2)}\x1b[22m" if colour else match.group(2)

    out, last = [], 0
    for code in _CODE.finditer(text):
        out += [_EMPHASIS.sub(emphasis, text[last : code.start()]), code.group()]
        last = code.end()
    out.append(_EMPHASIS.sub(emphasis, text[last:]))
    return "".join(out)


def use_colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def format_text(answer: Answer, colour: bool) -> str:
    def style(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    def md(text: str) -> str:
        return plain_markdown(text, colour)

    lines = [style(md(answer.title), "1;" + COLOURS.get(answer.level, "36"))]
    if answer.description:
        lines += ["", md(answer.description)]
    # The same shape as in Discord: verdict, lead, details, then the sources; every item printed (a terminal
    # scrolls, so nothing is cut and no list ends in "... and N more").
    fields = [*answer.fields, *([answer.sources] if answer.sources is not None else [])]
    for f in fields:
        value = md(f.value)
        lines += ["", style(md(f.name), "1") + (": " + value if f.inline and "\n" not in value else "\n" + value)]
    if answer.footer:
        lines += ["", style(md(answer.footer), "2")]
    return "\n".join(lines)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def format_json(answer: Answer) -> str:
    payload = {"kind": answer.kind, "title": answer.title, **answer.data}
    payload["citations"] = [
        {"id": c.rule_id, "title": c.title, "source": c.source, "url": c.url} for c in answer.citations
    ]
    return json.dumps(payload, indent=1, default=_default, ensure_ascii=False)


def show(answer: Answer, as_json: bool, stream: TextIO | None = None) -> None:
    out = stream or sys.stdout
    out.write((format_json(answer) if as_json else format_text(answer, use_colour(out))) + "\n")
