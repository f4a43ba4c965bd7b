"""Product sentences rendered as plain text, for a value that is both shown and returned raw.

Why a second environment: an error's message is shown in the answer (escaped for Discord or the terminal
by the `error` template that prints it, like any value) and also returned as is in the --json data. So its
sentence is written in a template (`error_message.txt.j2`) and rendered here without escaping; the answer
template escapes it once, where it is shown.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from .filters import FILTERS


@cache
def _text_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("bot.render", "templates"),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # package data: no stat of the file per render (button labels render per answer)
    )
    env.filters.update(FILTERS)
    return env


def render_text(template: str, **values: Any) -> str:
    """`templates/<template>` rendered with `values` printed as they are (no escaping, no length bound)."""
    return _text_environment().get_template(template).render(**values).strip()
