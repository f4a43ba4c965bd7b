"""Jinja environments per output format, and the parser from rendered text to an `Answer`.

Templates are package data in `bot/render/templates/` (found through the package, so an installed wheel
renders too), one per answer kind (`<kind>.md.j2`). A
template writes a small markdown document: `# title`, a description, then one `## name` per field
(`## name [inline]` for a short side-by-side field). Citations come from the context's `rules` (most
relevant first) plus any known rule id the text mentions; context ids are checked against the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from scoring.catalogue import cite, find_rule_ids, load_catalogue

from .answer import Answer, Citation, Field
from .escaping import for_console, for_discord
from .filters import FILTERS

INLINE_MARK = " [inline]"


class OutputFormat(StrEnum):
    CONSOLE = "console"
    DISCORD = "discord"


@cache
def environment(fmt: OutputFormat) -> Environment:
    env = Environment(
        loader=PackageLoader("bot.render", "templates"),
        undefined=StrictUndefined,
        autoescape=False,  # not HTML: `finalize` escapes for the actual output instead
        finalize=for_discord if fmt is OutputFormat.DISCORD else for_console,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # templates are package data: no stat of the file on every render (~0.8 ms an answer)
    )
    env.filters.update(FILTERS)
    env.globals["catalogue"] = load_catalogue()
    env.globals["fmt"] = fmt.value
    return env


def _parse(text: str) -> tuple[str, str, list[Field]]:
    title, description_lines = "", []
    fields: list[Field] = []
    name: str | None = None
    inline = False
    body: list[str] = []
    for line in text.splitlines():
        if line.startswith("## "):
            if name is not None:
                fields.append(Field(name, "\n".join(body).strip() or "-", inline))
            name, body = line[3:].strip(), []
            inline = name.endswith(INLINE_MARK)
            if inline:
                name = name[: -len(INLINE_MARK)]
        elif line.startswith("# ") and not title and name is None:
            title = line[2:].strip()
        elif name is None:
            description_lines.append(line)
        else:
            body.append(line)
    if name is not None:
        fields.append(Field(name, "\n".join(body).strip() or "-", inline))
    return title, "\n".join(description_lines).strip(), fields


def render_answer(
    kind: str,
    context: Mapping[str, Any],
    fmt: OutputFormat = OutputFormat.CONSOLE,
    *,
    data: Mapping[str, Any] | None = None,
    level: str = "info",
    attachments: tuple[tuple[str, bytes], ...] = (),
) -> Answer:
    """Render `templates/<kind>.md.j2` into an Answer with validated citations."""
    env = environment(fmt)
    text = env.get_template(f"{kind}.md.j2").render(**context)
    footer = env.get_template("footer.md.j2").render(**context).strip()
    title, description, fields = _parse(text)
    # Context rules come from the engine and must exist (cite fails loudly). Ids found in the text are only
    # cited when the catalogue knows them: user text (a title that looks like an id, a question) is part of the
    # text and must not make rendering fail; tests check the templates' own ids against the catalogue.
    known = load_catalogue()
    mentioned = [rule_id for rule_id in find_rule_ids(text) if rule_id in known]
    ordered = list(dict.fromkeys([*context.get("rules", ()), *mentioned]))
    citations = tuple(Citation.of(rule) for rule in cite(*ordered))
    payload = dict(data or {})
    payload.setdefault("rules", [c.rule_id for c in citations])
    payload.setdefault("explanation", "\n\n".join(p for p in (description, *(f.value for f in fields)) if p))
    return Answer(kind, title, description, tuple(fields), footer, citations, payload, level, attachments)
