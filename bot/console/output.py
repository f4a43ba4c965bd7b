"""Showing an Answer on a terminal (colour only when stdout is a terminal) or as JSON."""

from __future__ import annotations

import json
import os
import sys
from decimal import Decimal
from typing import Any, TextIO

from bot.render import Answer

COLOURS = {"good": "32", "warning": "33", "error": "31", "info": "36"}


def use_colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def format_text(answer: Answer, colour: bool) -> str:
    def style(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    lines = [style(answer.title, "1;" + COLOURS.get(answer.level, "36"))]
    if answer.description:
        lines += ["", answer.description]
    # The same shape as in Discord: verdict, lead, details, then the sources; every item printed (a terminal
    # scrolls, so nothing is cut and no list ends in "... and N more").
    fields = [*answer.fields, *([answer.sources] if answer.sources is not None else [])]
    for f in fields:
        lines += ["", style(f.name, "1") + (": " + f.value if f.inline and "\n" not in f.value else "\n" + f.value)]
    if answer.footer:
        lines += ["", style(answer.footer, "2")]
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
