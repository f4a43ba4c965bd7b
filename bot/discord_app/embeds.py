"""Answer -> discord.Embed, within Discord's limits (title 256, description 4096, 25 fields of 1024)."""

from __future__ import annotations

import io
from collections import OrderedDict

import discord

from bot.render import Answer

COLOURS = {
    "good": discord.Colour.green(),
    "warning": discord.Colour.orange(),
    "error": discord.Colour.red(),
    "info": discord.Colour.blurple(),
}
NO_MENTIONS = discord.AllowedMentions.none()


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


EMBED_MEMO_SIZE = 1024
_embeds: OrderedDict[int, tuple[Answer, discord.Embed]] = OrderedDict()


def answer_embed(answer: Answer) -> discord.Embed:
    """The embed for `answer`; the same object for the same answer, which must not be modified.

    Why remembered: answers are cached and shared (a prepared /advise is sent many times), and building
    the embed is a noticeable part of such a reply. Keyed by identity, the entry holds the answer, so
    its id cannot be reused while the entry lives."""
    if answer.attachments:
        return _build_embed(answer)  # a plot: sent once, and too big to keep around
    key = id(answer)
    hit = _embeds.get(key)
    if hit is not None and hit[0] is answer:
        _embeds.move_to_end(key)
        return hit[1]
    embed = _build_embed(answer)
    _embeds[key] = (answer, embed)
    while len(_embeds) > EMBED_MEMO_SIZE:
        _embeds.popitem(last=False)
    return embed


def _build_embed(answer: Answer) -> discord.Embed:
    embed = discord.Embed(
        title=_cut(answer.title or "JSS Advisor", 256),
        description=_cut(answer.description, 4000),
        colour=COLOURS.get(answer.level, COLOURS["info"]),
    )
    budget = 5500 - len(embed.title or "") - len(embed.description or "")
    for f in answer.fields[:20]:
        name, value = _cut(f.name, 256), _cut(f.value, 1024)
        if budget - len(name) - len(value) < 400:
            break
        budget -= len(name) + len(value)
        embed.add_field(name=name, value=value, inline=f.inline)
    if answer.citations:
        lines = []
        for c in answer.citations[:8]:
            lines.append(f"`{c.rule_id}` [{c.title}]({c.url})" if c.url else f"`{c.rule_id}` {c.title} ({c.source})")
        embed.add_field(name="Rules", value=_cut("\n".join(lines), 1024), inline=False)
    if answer.footer:
        embed.set_footer(text=_cut(answer.footer, 2048))
    return embed


def answer_files(answer: Answer) -> list[discord.File]:
    return [discord.File(io.BytesIO(content), filename=name) for name, content in answer.attachments]
