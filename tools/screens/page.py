"""A recorded reply -> one Discord-style HTML page (the `@skyra/discord-components-core` web components), and
the index page that shows every reply's screenshots side by side.

The pages load the components as ES modules from /node_modules/ through an import map, so they are served
over HTTP (see shoot.py), not opened as files. Everything the bot sent is escaped; its markdown is drawn
by markdown.py.
"""

from __future__ import annotations

import html
import json
import struct
from collections.abc import Mapping, Sequence
from typing import Any

from .markdown import render

BOT_NAME = "JSS Advisor"
BUTTON_STYLES = {1: "primary", 2: "secondary", 3: "success", 4: "destructive", 5: "secondary"}
_AVATAR = (
    "data:image/svg+xml;utf8,"
    "<svg xmlns='http://www.w3.org/2000/svg' width='80' height='80'><circle cx='40' cy='40' r='40' fill='%235865f2'/>"
    "<text x='40' y='53' font-size='38' font-family='sans-serif' font-weight='700' fill='white' "
    "text-anchor='middle'>J</text></svg>"
)
_IMPORTS = {
    "lit": "/node_modules/lit/index.js",
    "lit/": "/node_modules/lit/",
    "lit-html": "/node_modules/lit-html/lit-html.js",
    "lit-html/": "/node_modules/lit-html/",
    "lit-element": "/node_modules/lit-element/index.js",
    "lit-element/": "/node_modules/lit-element/",
    "@lit/reactive-element": "/node_modules/@lit/reactive-element/reactive-element.js",
    "@lit/reactive-element/": "/node_modules/@lit/reactive-element/",
    "@lit/context": "/node_modules/@lit/context/index.js",
    "@lit/context/": "/node_modules/@lit/context/",
    "@skyra/discord-components-core": "/node_modules/@skyra/discord-components-core/dist/index.js",
}
# Ready when the components are defined and every image has loaded (shoot.py waits for data-ready).
_READY = """
import "@skyra/discord-components-core";
await customElements.whenDefined("discord-message");
// Discord fits an attached image into the message column, at most 550 x 350 px (its natural size if smaller).
const column = document.documentElement.clientWidth - 88;
for (const el of document.querySelectorAll("discord-image-attachment[data-width]")) {
  const w = Number(el.dataset.width), h = Number(el.dataset.height);
  const scale = Math.min(1, Math.min(550, column) / w, 350 / h);
  el.setAttribute("width", String(Math.round(w * scale)));
  el.setAttribute("height", String(Math.round(h * scale)));
}
await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
const images = [...document.querySelectorAll("*")]
  .flatMap((e) => [...(e.shadowRoot?.querySelectorAll("img") ?? [])]);
await Promise.all(images.map((img) => img.complete ? null : new Promise((r) => { img.onload = img.onerror = r; })));
await document.fonts.ready;
document.body.dataset.ready = "1";
"""
_STYLE = """
body { margin: 0; background: #313338;
  font-family: "gg sans", "Noto Sans", "Helvetica Neue", Arial, sans-serif; }
.action { color: #b5bac1; background: #2b2d31; font: 13px/1.4 monospace; padding: 6px 12px;
  border-bottom: 1px solid #1e1f22; word-break: break-word; }
.error { color: #fff; background: #a12d2f; font: 13px/1.4 monospace; padding: 6px 12px; white-space: pre-wrap; }
.modal { margin: 16px; background: #313338; border: 1px solid #1e1f22; border-radius: 8px; padding: 16px;
  color: #dbdee1; box-shadow: 0 0 0 1px #1e1f22, 0 8px 16px rgba(0,0,0,.24); max-width: 440px; }
.modal h2 { margin: 0 0 12px; font-size: 20px; color: #f2f3f5; }
.modal label { display: block; font-size: 12px; font-weight: 700; text-transform: uppercase; color: #b5bac1;
  margin: 12px 0 6px; }
.modal .input { background: #1e1f22; border-radius: 4px; padding: 10px; min-height: 20px; color: #dbdee1;
  white-space: pre-wrap; }
.modal .placeholder { color: #6d6f78; }
.modal .buttons { text-align: right; margin-top: 16px; }
.modal .buttons span { display: inline-block; padding: 8px 16px; border-radius: 4px; margin-left: 8px; }
.select { background: #1e1f22; color: #949ba4; border-radius: 4px; padding: 10px; margin: 4px 0; max-width: 400px; }
"""


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's header, so the page reserves the image's space before it loads."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def attr(value: object) -> str:
    return html.escape(str(value), quote=True)


def _columns(fields: Sequence[Mapping[str, Any]]) -> list[str]:
    """Each field's grid columns, as Discord lays them out: consecutive inline fields share a row, up to
    three; a row of one inline field is full width, of two half each (the renderer knows thirds only)."""
    spans = {1: ["1 / 13"], 2: ["1 / 7", "7 / 13"], 3: ["1 / 5", "5 / 9", "9 / 13"]}
    out: list[str] = []
    row: list[int] = []

    def flush() -> None:
        out.extend(spans[len(row)])
        row.clear()

    for i, f in enumerate(fields):
        if f.get("inline"):
            row.append(i)
            if len(row) == 3:
                flush()
        else:
            if row:
                flush()
            out.append("1 / 13")
    if row:
        flush()
    return out


def _fields(fields: Sequence[Mapping[str, Any]]) -> str:
    out = []
    for f, columns in zip(fields, _columns(fields), strict=True):
        inline = " inline" if f.get("inline") else ""
        out.append(
            f'<discord-embed-field field-title="{attr(f.get("name", ""))}"{inline} style="grid-column: {columns}">'
            f"{render(str(f.get('value', '')))}</discord-embed-field>"
        )
    return f'<discord-embed-fields slot="fields">{"".join(out)}</discord-embed-fields>' if out else ""


def _embed(embed: Mapping[str, Any]) -> str:
    attrs = []
    if embed.get("color") is not None:
        attrs.append(f'color="#{int(embed["color"]):06x}"')
    if embed.get("title"):
        attrs.append(f'embed-title="{attr(embed["title"])}"')
    if embed.get("url"):
        attrs.append(f'url="{attr(embed["url"])}"')
    if (embed.get("author") or {}).get("name"):
        attrs.append(f'author-name="{attr(embed["author"]["name"])}"')
    if (embed.get("image") or {}).get("url"):
        attrs.append(f'image="{attr(embed["image"]["url"])}"')
    if (embed.get("thumbnail") or {}).get("url"):
        attrs.append(f'thumbnail="{attr(embed["thumbnail"]["url"])}"')
    body = []
    if embed.get("description"):
        body.append(
            f'<discord-embed-description slot="description">{render(str(embed["description"]))}'
            "</discord-embed-description>"
        )
    body.append(_fields(embed.get("fields") or []))
    if (embed.get("footer") or {}).get("text"):
        body.append(
            f'<discord-embed-footer slot="footer">{html.escape(embed["footer"]["text"])}</discord-embed-footer>'
        )
    return f'<discord-embed slot="embeds" {" ".join(attrs)}>{"".join(body)}</discord-embed>'


def _components(rows: Sequence[Mapping[str, Any]]) -> str:
    out = []
    for row in rows:
        items = []
        for c in row.get("components") or []:
            if c.get("type") == 2:
                style = BUTTON_STYLES.get(int(c.get("style") or 2), "secondary")
                extra = f' url="{attr(c["url"])}"' if c.get("url") else ""
                extra += " disabled" if c.get("disabled") else ""
                emoji = (c.get("emoji") or {}).get("name")
                label = html.escape(f"{emoji} " if emoji else "") + html.escape(str(c.get("label") or ""))
                items.append(f'<discord-button type="{style}"{extra}>{label}</discord-button>')
            elif c.get("type") in (3, 5, 6, 7, 8):  # select menus
                items.append(
                    f'<div class="select">{html.escape(str(c.get("placeholder") or "Make a selection"))} ▾</div>'
                )
        out.append(f"<discord-action-row>{''.join(items)}</discord-action-row>")
    return f'<discord-attachments slot="components">{"".join(out)}</discord-attachments>' if out else ""


def _attachments(attachments: Sequence[Mapping[str, Any]], files: Sequence[str], sizes: Sequence[Any]) -> str:
    out = []
    for a, path, size in zip(attachments, files, sizes, strict=True):
        if str(a.get("content_type", "")).startswith("image/") and size:
            width, height = size
            out.append(
                f'<discord-image-attachment url="{attr(path)}" data-width="{width}" data-height="{height}" '
                f'alt="{attr(a["filename"])}"></discord-image-attachment>'
            )
        else:
            out.append(
                f'<discord-file-attachment name="{attr(a["filename"])}" bytes="{int(a.get("size") or 0)}" '
                f'href="{attr(path)}"></discord-file-attachment>'
            )
    return f'<discord-attachments slot="attachments">{"".join(out)}</discord-attachments>' if out else ""


def _modal(message: Mapping[str, Any]) -> str:
    inputs = []

    def walk(components: Sequence[Mapping[str, Any]], label: str | None = None) -> None:
        for c in components:
            if c.get("type") == 4:
                value = c.get("value") or ""
                shown = (
                    html.escape(value)
                    if value
                    else f'<span class="placeholder">{html.escape(c.get("placeholder") or "")}</span>'
                )
                inputs.append(
                    f"<label>{html.escape(label or c.get('label') or '')}</label><div class='input'>{shown}</div>"
                )
            walk(c.get("components") or [])
            if isinstance(c.get("component"), Mapping):  # a label (type 18) wraps one input
                walk([c["component"]], c.get("label"))

    walk(message.get("components") or [])
    return (
        f"<div class='modal'><h2>{html.escape(str(message.get('title') or ''))}</h2>{''.join(inputs)}"
        "<div class='buttons'><span>Cancel</span><span style='background:#5865f2;color:#fff'>Submit</span></div></div>"
    )


def reply_page(summary: Mapping[str, Any], files: Mapping[str, str], as_of: str) -> str:
    """One reply as a page: what the user did, then each message the way Discord draws it.

    `files` maps "<message index>/<filename>" to the attachment's path relative to the page."""
    parts = [f"<div class='action'>{html.escape(str(summary['action']))}</div>"]
    if summary.get("error"):
        parts.append(f"<div class='error'>{html.escape(str(summary['error']))}</div>")
    messages = []
    for i, m in enumerate(summary["messages"]):
        if m["kind"] == "modal":
            parts.append(_modal(m))
            continue
        paths = [files.get(f"{i}/{a['filename']}", "") for a in m["attachments"]]
        sizes = [a.get("dimensions") for a in m["attachments"]]
        body = [render(m["content"]) if m["content"] else ""]
        body += [_embed(e) for e in m["embeds"]]
        body.append(_attachments(m["attachments"], paths, sizes))
        body.append(_components(m["components"]))
        flags = " ephemeral" if m["ephemeral"] else ""
        edited = " edited" if m["kind"] == "update" else ""
        messages.append(
            f'<discord-message author="{BOT_NAME}" bot avatar="{attr(_AVATAR)}" timestamp="{attr(as_of)}"'
            f"{flags}{edited}>{''.join(body)}</discord-message>"
        )
    if messages:
        parts.append(f"<discord-messages>{''.join(messages)}</discord-messages>")
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(str(summary['action']))}</title>"
        f'<script type="importmap">{json.dumps({"imports": _IMPORTS})}</script>'
        f'<script type="module">{_READY}</script>'
        f"<style>{_STYLE}</style></head><body>{''.join(parts)}</body></html>"
    )


def index_page(
    summaries: Sequence[Mapping[str, Any]], shots: Mapping[str, Mapping[str, str]], problems: Sequence[str]
) -> str:
    """Every reply: what the user did, the phone and desktop screenshots side by side, and its text."""
    rows = []
    for s in summaries:
        images = "".join(
            f"<figure><figcaption>{html.escape(name)}</figcaption><a href='{attr(path)}'><img src='{attr(path)}' "
            f"class='{attr(name)}'></a></figure>"
            for name, path in shots.get(s["slug"], {}).items()
        )
        error = f"<p class='error'>{html.escape(str(s['error']))}</p>" if s.get("error") else ""
        log = "".join(f"<pre class='log'>{html.escape(line)}</pre>" for line in s.get("log") or [])
        rows.append(
            f"<section id='{attr(s['slug'])}'><h2><a href='#{attr(s['slug'])}'>{html.escape(s['slug'][:2])}</a> "
            f"{html.escape(str(s['action']))}</h2>{error}{log}<div class='shots'>{images}</div>"
            f"<p><a href='html/{attr(s['slug'])}.html'>page</a></p></section>"
        )
    toc = "".join(f"<li><a href='#{attr(s['slug'])}'>{html.escape(str(s['action']))}</a></li>" for s in summaries)
    warn = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
    warn_html = f"<h2>The local Discord saw protocol problems</h2><ul class='error'>{warn}</ul>" if warn else ""
    style = (
        "body{background:#1e1f22;color:#dbdee1;font-family:sans-serif;margin:16px}a{color:#00a8fc}"
        ".shots{display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap}figure{margin:0}"
        "img.phone{width:390px}img.desktop{width:900px}figcaption{color:#949ba4;font-size:12px}"
        ".error{color:#f23f43}.log{color:#f0b232;white-space:pre-wrap}"
        "section{border-top:1px solid #3f4147;padding:8px 0}"
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>JSS Advisor: every reply</title>"
        f"<style>{style}</style></head><body><h1>JSS Advisor: every reply ({len(summaries)})</h1>{warn_html}"
        f"<ol>{toc}</ol>{''.join(rows)}</body></html>"
    )
