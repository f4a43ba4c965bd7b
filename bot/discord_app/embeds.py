"""Answer -> Discord embeds that fit Discord's limits by design, never by cutting text.

Why pages instead of "…": an embed field cut at 1,024 characters ends inside a sentence or a markdown link
(the user reads a raw `[Long-term clients help](https://support.upw…`), and a list cut at 20 items says
"(30)" above 20. Here nothing is dropped: a long field value is split at a paragraph, line, sentence or
word boundary outside links and code spans and continues in the next field; a list of more than
`LIST_PAGE` items shows `LIST_PAGE` per page; whatever does not fit one embed (25 fields, 6,000 characters)
goes on the next page. The sources (the only place rule ids appear) come last. `pages.py` shows the
pages with Prev/Next buttons.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import discord

from bot.render import Answer, Field

COLOURS = {
    "good": discord.Colour.green(),
    "warning": discord.Colour.orange(),
    "error": discord.Colour.red(),
    "info": discord.Colour.blurple(),
}
NO_MENTIONS = discord.AllowedMentions.none()

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELDS_LIMIT = 25
FOOTER_LIMIT = 2048
TOTAL_LIMIT = 6000
LIST_PAGE = 10  # items of a long list per page: a phone screen's worth
LONG_LIST = LIST_PAGE  # a field with more items than this is a list shown page by page
CONTINUED = "\u200b"  # the name of a field that continues the one above it (Discord needs a non-empty name)
PAGE_MARK = "{page}/{pages}"  # in the footer of a paged answer

# Spans a cut must not fall into: markdown links, inline code, code blocks, <...> (URLs, mentions, timestamps).
_PROTECTED = re.compile(r"```.*?```|`[^`\n]*`|\[[^\]\n]*\]\([^)\s]*\)|<[^>\s]*>", re.S)
_BOUNDARIES = ("\n\n", "\n", ". ", "; ", ", ", " ")


def _protected_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PROTECTED.finditer(text)]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < position < end for start, end in spans)


def _cut_position(text: str, limit: int) -> int:
    """Where to cut `text` (longer than `limit`) so the first part fits: the latest boundary of the best
    kind that keeps at least half the space used, never inside a protected span."""
    spans = _protected_spans(text)
    for boundary in _BOUNDARIES:
        position = text.rfind(boundary, 0, limit)
        while position > 0:
            cut = position + len(boundary)
            if cut <= limit and not _inside(position, spans) and not _inside(cut, spans):
                if position >= limit // 2 or boundary == " ":
                    return cut
                break
            position = text.rfind(boundary, 0, position)
    # One unbreakable run longer than the limit (a very long URL or word): cut before the span it is in.
    start = next((s for s, e in spans if s < limit < e), limit)
    return start if start > 0 else limit


def split_text(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut only between words, outside links and code."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = _cut_position(rest, limit)
        piece = rest[:cut].rstrip()
        if piece:
            pieces.append(piece)
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _items(value: str) -> tuple[list[str], str]:
    """The items of a field value (its non-empty lines) and how they were separated."""
    separator = "\n\n" if "\n\n" in value else "\n"
    return [line for line in value.split("\n") if line.strip()], separator


@dataclass
class _Chunk:
    name: str
    value: str
    inline: bool
    new_page: bool = False  # a later page of a long list starts a page of its own

    @property
    def size(self) -> int:
        return len(self.name) + len(self.value)


def _name_and_overflow(name: str) -> tuple[str, str]:
    """A field name within its limit; a longer one is shortened at a word and said in full in the value."""
    if len(name) <= FIELD_NAME_LIMIT:
        return name, ""
    short = split_text(name, FIELD_NAME_LIMIT - 1)[0]
    return short + "…", name


def _chunks(f: Field, paged: bool = True) -> list[_Chunk]:
    """A field as chunks that fit a field each; a long list (`paged`) as LIST_PAGE items per page."""
    name, overflow = _name_and_overflow(f.name)
    value = f"{overflow}\n{f.value}" if overflow else f.value
    items, separator = _items(value)
    long_list = paged and len(items) > LONG_LIST
    groups = [items[i : i + LIST_PAGE] for i in range(0, len(items), LIST_PAGE)] if long_list else None
    out: list[_Chunk] = []
    for g, text in enumerate([separator.join(group) for group in groups] if groups else [value]):
        for p, piece in enumerate(split_text(text, FIELD_VALUE_LIMIT) or ["-"]):
            out.append(_Chunk(name if p == 0 else CONTINUED, piece, f.inline and p == 0, new_page=g > 0 and p == 0))
    return out


@dataclass
class Page:
    """One embed's worth of an answer."""

    title: str
    description: str = ""
    fields: list[_Chunk] = field(default_factory=list)

    def size(self) -> int:
        return len(self.title) + len(self.description) + sum(c.size for c in self.fields)


def _title_and_overflow(title: str) -> tuple[str, str]:
    if len(title) <= TITLE_LIMIT:
        return title, ""
    return split_text(title, TITLE_LIMIT - 1)[0] + "…", title


def layout(answer: Answer) -> list[Page]:
    """The answer as pages that each fit one embed, in reading order; the sources close the last page."""
    title, overflow = _title_and_overflow(answer.title or "JSS Advisor")
    description = f"{overflow}\n\n{answer.description}" if overflow else answer.description
    footer_room = len(answer.footer) + len(PAGE_MARK) + 8
    budget = TOTAL_LIMIT - footer_room
    pages = [Page(title, part) for part in split_text(description, DESCRIPTION_LIMIT)] or [Page(title)]
    chunks = [c for f in answer.fields for c in _chunks(f)]
    if answer.sources is not None:
        chunks += _chunks(answer.sources, paged=False)  # sources fill the space left, not pages of their own
    for chunk in chunks:
        page = pages[-1]
        full = len(page.fields) >= FIELDS_LIMIT or page.size() + chunk.size > budget
        if chunk.new_page or full:
            if chunk.name == CONTINUED:  # a continued field keeps its name on a new page
                chunk.name = next((c.name for c in reversed(page.fields) if c.name != CONTINUED), CONTINUED)
            pages.append(Page(title))
        pages[-1].fields.append(chunk)
    return pages


def _footer(answer: Answer, index: int, count: int) -> str:
    mark = PAGE_MARK.format(page=index + 1, pages=count) if count > 1 else ""
    return " · ".join(part for part in (mark, answer.footer) if part)[:FOOTER_LIMIT]


def page_embeds(answer: Answer) -> list[discord.Embed]:
    """Every page of the answer as an embed (one, for nearly every answer)."""
    pages = layout(answer)
    colour = COLOURS.get(answer.level, COLOURS["info"])
    embeds = []
    for i, page in enumerate(pages):
        embed = discord.Embed(title=page.title, description=page.description or None, colour=colour)
        for c in page.fields:
            embed.add_field(name=c.name, value=c.value, inline=c.inline)
        footer = _footer(answer, i, len(pages))
        if footer:
            embed.set_footer(text=footer)
        embeds.append(embed)
    return embeds


def answer_embed(answer: Answer) -> discord.Embed:
    """The answer's first page (the whole answer unless it is long; see `pages.send_pages`)."""
    return page_embeds(answer)[0]


def answer_files(answer: Answer) -> list[discord.File]:
    return [discord.File(io.BytesIO(content), filename=name) for name, content in answer.attachments]
