"""Jinja environments per output format, and the parser from rendered text to an `Answer`.

Templates are package data in `bot/render/templates/` (found through the package, so an installed wheel
renders too), one per answer kind (`<kind>.md.j2`). A
template writes a small markdown document: `# title`, a description, then one `## name` per field
(`## name [inline]` for a short side-by-side field). Citations come from the context's `rules` (most
relevant first) plus the ids a template cites with `cite("ID")` (or any known rule id the text mentions);
context ids are checked against the catalogue.

Why `cite()` instead of ids in the prose: a freelancer reads sentences, not "(C-CLOSE-ADVICE)" after each
one. A template cites the rule behind a sentence with `{{ cite("C-CLOSE-ADVICE") }}`, which prints an
invisible mark; the mark is collected here and removed, and the rule is listed once, with its link, in the
answer's sources (`sources.md.j2`), the only place ids are shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from scoring.catalogue import cite as catalogue_cite
from scoring.catalogue import find_rule_ids, load_catalogue

from .answer import Answer, Citation, Field
from .escaping import Trusted, for_console, for_discord
from .filters import FILTERS

INLINE_MARK = " [inline]"
_CITE = "\x07"  # a control character no escaped value can contain (escaping drops them), not whitespace
_CITE_RE = re.compile(_CITE + r"([A-Z0-9-]+)" + _CITE)
_SPACE_BEFORE_STOP = re.compile(r"[ \t]+(?=[.,;:)])")


def cite(*rule_ids: str) -> Trusted:
    """An invisible citation of `rule_ids` (see the module docstring)."""
    return Trusted("".join(f"{_CITE}{rule_id}{_CITE}" for rule_id in rule_ids))


def _take_citations(text: str) -> tuple[str, list[str]]:
    """The text without its citation marks, and the ids they cite (in order)."""
    ids = _CITE_RE.findall(text)
    if not ids:
        return text, []
    return _SPACE_BEFORE_STOP.sub("", _CITE_RE.sub("", text)), ids


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
    env.globals["cite"] = cite
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
    text, cited = _take_citations(env.get_template(f"{kind}.md.j2").render(**context))
    footer, footer_cited = _footer(fmt, kind, bool(context.get("personal")))
    title, description, fields = _parse(text)
    # Context rules come from the engine and must exist (cite fails loudly). Ids found in the text are only
    # cited when the catalogue knows them: user text (a title that looks like an id, a question) is part of the
    # text and must not make rendering fail; tests check the templates' own ids against the catalogue.
    known = load_catalogue()
    mentioned = [rule_id for rule_id in find_rule_ids(text) if rule_id in known]
    ordered = list(dict.fromkeys([*context.get("rules", ()), *cited, *mentioned, *footer_cited]))
    citations = tuple(_citation(rule.id) for rule in catalogue_cite(*ordered))
    payload = dict(data or {})
    payload.setdefault("rules", [c.rule_id for c in citations])
    payload.setdefault("explanation", "\n\n".join(p for p in (description, *(f.value for f in fields)) if p))
    sources = _sources(fmt, citations)
    return Answer(kind, title, description, tuple(fields), footer, citations, payload, level, attachments, sources)


@lru_cache(maxsize=64)
def _footer(fmt: OutputFormat, kind: str, personal: bool) -> tuple[str, list[str]]:
    """The footer under an answer of `kind` (the model disclaimer, or nothing) and the rules it cites.

    It reads only the answer's kind and whether an /ask answer is personal, so it is rendered once per
    output, kind and that flag, not for every answer (a worker renders thousands; issue 13). Callers must
    not change the returned list."""
    return _take_citations(
        environment(fmt).get_template("footer.md.j2").render(answer_kind=kind, personal=personal).strip()
    )


@cache
def _citation(rule_id: str) -> Citation:
    """The citation of one catalogue rule (immutable, and the catalogue is loaded once per process)."""
    return Citation.of(load_catalogue().get(rule_id))


@lru_cache(maxsize=1024)
def _sources(fmt: OutputFormat, citations: tuple[Citation, ...]) -> Field | None:
    """The answer's sources as one field (every citation, never capped; front ends split it if it is long).

    Kept per output and citations: the field is made of the catalogue's text only (the same few rules
    are cited again and again), and rendering it was a tenth of an advice's rendering in a worker."""
    if not citations:
        return None
    _, _, fields = _parse(environment(fmt).get_template("sources.md.j2").render(citations=citations))
    return fields[0] if fields else None
