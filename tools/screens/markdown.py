"""Discord's markdown -> HTML built from the `@skyra/discord-components-core` elements.

The web components draw messages and embeds but do not parse markdown, so this does what Discord's client
does with the text the bot sends: bold, italics, underline, strike, spoilers, inline code and code blocks,
masked links `[text](url)` (only when whole: a link cut before its `)` shows raw, as in Discord), bare URLs,
backslash escapes, headers, `-#` subtext, quotes and lists. What it does not know stays plain text, which is
what a user would see too.
"""

from __future__ import annotations

import html
import re

_INLINE = re.compile(
    r"(?P<escape>\\(?P<escaped>[^a-zA-Z0-9\s]))"
    r"|(?P<block>```(?:[a-zA-Z0-9_+-]*\n)?(?P<block_body>.*?)```)"
    r"|(?P<code2>``(?P<code2_body>.+?)``)"
    r"|(?P<code>`(?P<code_body>[^`]+)`)"
    r"|(?P<link>\[(?P<link_text>[^\[\]\n]+)\]\(<?(?P<link_url>https?://[^\s)<>]+)>?\))"
    r"|(?P<url><?(?P<url_body>https?://[^\s<>]+[^\s<>.,;:!?)\]\"'])>?)"
    r"|(?P<bold>\*\*(?P<bold_body>.+?)\*\*(?!\*))"
    r"|(?P<under>__(?P<under_body>.+?)__(?!_))"
    r"|(?P<star>\*(?P<star_body>[^*\s](?:.*?[^*\s])?)\*(?!\*))"
    r"|(?P<uscore>(?<![\w_])_(?P<uscore_body>[^_\s](?:.*?[^_\s])?)_(?![\w_]))"
    r"|(?P<strike>~~(?P<strike_body>.+?)~~)"
    r"|(?P<spoiler>\|\|(?P<spoiler_body>.+?)\|\|)",
    re.DOTALL,
)
_WRAP = {
    "bold": "discord-bold",
    "under": "discord-underlined",
    "star": "discord-italic",
    "uscore": "discord-italic",
    "spoiler": "discord-spoiler",
}


def inline(text: str, *, links: bool = True) -> str:
    """One run of text (no block structure) as HTML; `links=False` where Discord shows links raw."""
    out: list[str] = []
    pos = 0
    while pos < len(text):
        m = _INLINE.search(text, pos)
        if m is None:
            break
        out.append(html.escape(text[pos : m.start()]))
        kind = next(k for k in ("escape", "block", "code2", "code", "link", "url", *_WRAP, "strike") if m.group(k))
        if kind == "escape":
            out.append(html.escape(m["escaped"]))
        elif kind == "block":
            out.append(f"<discord-code multiline embed>{html.escape(m['block_body'])}</discord-code>")
        elif kind in ("code", "code2"):
            out.append(f"<discord-code embed>{html.escape(m[kind + '_body'])}</discord-code>")
        elif kind == "link" and links:
            url = html.escape(m["link_url"], quote=True)
            out.append(f'<discord-link href="{url}">{inline(m["link_text"], links=False)}</discord-link>')
        elif kind == "url" and links:
            url = html.escape(m["url_body"], quote=True)
            out.append(f'<discord-link href="{url}">{html.escape(m["url_body"])}</discord-link>')
        elif kind in _WRAP:
            tag = _WRAP[kind]
            out.append(f"<{tag}>{inline(m[kind + '_body'], links=links)}</{tag}>")
        elif kind == "strike":
            out.append(f"<s>{inline(m['strike_body'], links=links)}</s>")
        else:  # a link where links are not drawn
            out.append(html.escape(m.group(0)))
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


_HEADER = re.compile(r"^(#{1,3}) (.+)$")
_SUBTEXT = re.compile(r"^-# (.+)$")
_QUOTE = re.compile(r"^> ?(.*)$")
_BULLET = re.compile(r"^(\s*)[-*] (.+)$")
_NUMBER = re.compile(r"^(\s*)(\d{1,9})\. (.+)$")


def _blocks(text: str) -> list[tuple[str, str]]:
    """Split off code blocks (their lines are not markdown lines): [(kind, text)], kind 'code' or 'text'."""
    parts: list[tuple[str, str]] = []
    pos = 0
    for m in re.finditer(r"```.*?```", text, re.DOTALL):
        if m.start() > pos:
            parts.append(("text", text[pos : m.start()]))
        parts.append(("code", m.group(0)))
        pos = m.end()
    if pos < len(text):
        parts.append(("text", text[pos:]))
    return parts


def render(text: str, *, blocks: bool = True) -> str:
    """Text as Discord shows it; `blocks=False` for places without headers or lists (field names, titles)."""
    if not blocks:
        return inline(text.replace("\n", " "))
    out: list[str] = []
    for kind, part in _blocks(text):
        if kind == "code":
            out.append(inline(part))
            continue
        lines = part.split("\n")
        i = 0
        while i < len(lines):
            line = lines[i]
            if m := _HEADER.match(line):
                out.append(f'<discord-header level="{len(m[1])}">{inline(m[2])}</discord-header>')
            elif m := _SUBTEXT.match(line):
                out.append(f"<discord-subscript>{inline(m[1])}</discord-subscript>")
            elif _QUOTE.match(line):
                quoted = []
                while i < len(lines) and (q := _QUOTE.match(lines[i])):
                    quoted.append(inline(q[1]))
                    i += 1
                out.append(f"<discord-quote>{'<br>'.join(quoted)}</discord-quote>")
                continue
            elif _BULLET.match(line) or _NUMBER.match(line):
                ordered = bool(_NUMBER.match(line))
                items = []
                start = int(_NUMBER.match(line)[2]) if ordered else 1  # type: ignore[index]
                while i < len(lines):
                    item = _NUMBER.match(lines[i]) if ordered else _BULLET.match(lines[i])
                    if item is None:
                        break
                    items.append(f"<discord-list-item>{inline(item[3] if ordered else item[2])}</discord-list-item>")
                    i += 1
                tag = "discord-ordered-list" if ordered else "discord-unordered-list"
                extra = f' start="{start}"' if ordered else ""
                out.append(f"<{tag}{extra}>{''.join(items)}</{tag}>")
                continue
            else:
                out.append(inline(line) + ("<br>" if i < len(lines) - 1 else ""))
            i += 1
    return "".join(out)
