"""Answer -> discord.Embed, within Discord's limits (title 256, description 4096, 25 fields of 1024)."""

from __future__ import annotations

import io

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


def answer_embed(answer: Answer) -> discord.Embed:
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
