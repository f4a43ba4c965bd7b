"""`ServiceError` and the one way every service (and front end) builds it.

A failure the user should read is an answer like any other, rendered through the `error` template, so
the console and Discord show it the same way; the sentence itself lives in `error_message.txt.j2`,
chosen by a reason key, and Python passes only the values it needs.
"""

from __future__ import annotations

from typing import Any

from bot.render import Answer, OutputFormat, render_answer
from bot.render.text import render_text


class ServiceError(Exception):
    """A failure to show the user as an answer (already rendered), never a traceback."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(answer.description)
        self.answer = answer


def service_error(fmt: OutputFormat, key: str, reason: str | None = None, /, **values: Any) -> ServiceError:
    """The error answer titled by `key` (bad_input, not_found, exists, no_contracts, internal).

    `reason` picks the sentence in `error_message.txt.j2`, filled with `values`; without one, `detail`
    is the whole message (an exception's own text, e.g. the model naming a bad field). The message is
    escaped where the answer shows it and kept raw in `data` for --json.
    """
    message = str(values["detail"]) if reason is None else render_text("error_message.txt.j2", reason=reason, **values)
    return ServiceError(
        render_answer(
            "error", {"key": key, "message": message}, fmt, level="error", data={"error": key, "message": message}
        )
    )
