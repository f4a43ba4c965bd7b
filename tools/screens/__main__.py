"""`python -m tools.screens OUT`: every reply of the bot as PNGs at phone and desktop width, plus OUT/index.html.

OUT/replies.json  what the user did and saw, per reply (the capture; no browser needed)
OUT/files/        the attachments the bot sent (the chart, the exported ledger)
OUT/html/         one Discord-style page per reply
OUT/phone/, OUT/desktop/   the screenshots; OUT/index.html shows them side by side
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from .capture import DEMO_DAY, Reply, capture
from .page import index_page, png_size, reply_page
from .script import STEPS, script
from .shoot import DESKTOP, PHONE, Width, browser, find_chromium, serve

NODE_MODULES = Path(__file__).resolve().parent / "node_modules"
RENDERER = NODE_MODULES / "@skyra" / "discord-components-core" / "dist" / "index.js"
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


def write_capture(out: Path, replies: Sequence[Reply], problems: Sequence[str], as_of: date) -> list[dict[str, Any]]:
    """replies.json, the attachments and one HTML page per reply under `out`; returns the summaries."""
    (out / "files").mkdir(parents=True, exist_ok=True)
    (out / "html").mkdir(exist_ok=True)
    summaries = []
    for reply in replies:
        summary = reply.summary()
        files: dict[str, str] = {}
        for i, (message, shown) in enumerate(zip(reply.messages, summary["messages"], strict=True)):
            for attachment, meta in zip(message.attachments, shown["attachments"], strict=True):
                name = f"{reply.slug}-{i}-{attachment.filename}"
                (out / "files" / name).write_bytes(attachment.data)
                meta["path"] = f"files/{name}"
                meta["dimensions"] = png_size(attachment.data)
                files[f"{i}/{attachment.filename}"] = f"../files/{name}"
        (out / "html" / f"{reply.slug}.html").write_text(reply_page(summary, files, as_of.isoformat()), "utf-8")
        summaries.append(summary)
    document = {"as_of": as_of.isoformat(), "problems": list(problems), "replies": summaries}
    (out / "replies.json").write_text(json.dumps(document, indent=1, ensure_ascii=False), "utf-8")
    return summaries


async def photograph(
    out: Path, slugs: Sequence[str], widths: Sequence[Width], executable: str
) -> dict[str, dict[str, str]]:
    """Each page at each width -> OUT/<width>/<slug>.png; {slug: {width: relative path}}."""
    shots: dict[str, dict[str, str]] = {slug: {} for slug in slugs}
    async with serve(out, NODE_MODULES) as base, browser(executable) as tab:
        for width in widths:
            (out / width.name).mkdir(exist_ok=True)
            for slug in slugs:
                png = await tab.screenshot(f"{base}/html/{slug}.html", width)
                (out / width.name / f"{slug}.png").write_bytes(png)
                shots[slug][width.name] = f"{width.name}/{slug}.png"
    return shots


async def main_async(args: argparse.Namespace) -> int:
    out: Path = args.out
    captured = await capture(script(args.only), args.as_of)
    replies, problems = captured.replies, captured.problems
    summaries = write_capture(out, replies, problems, args.as_of)
    failed = [r for r in replies if r.error or r.log]
    print(f"{len(replies)} replies captured ({len(failed)} with errors) -> {out / 'replies.json'}")
    for r in failed:
        print(f"  {r.slug}: {r.error or r.log[0].splitlines()[0]}")
    for p in problems:
        print(f"  local Discord: {p}")
    shots: dict[str, dict[str, str]] = {}
    if not args.no_shots:
        executable = find_chromium()
        missing = []
        if executable is None:
            missing.append("Chromium (apt-get install chromium)")
        if not RENDERER.exists():
            missing.append("the message renderer (npm ci --prefix tools/screens)")
        if missing:
            print("no screenshots: missing " + " and ".join(missing), file=sys.stderr)
            (out / "index.html").write_text(index_page(summaries, shots, problems), "utf-8")
            return 2
        assert executable is not None
        widths = [WIDTHS[name] for name in args.widths]
        shots = await photograph(out, [s["slug"] for s in summaries], widths, executable)
    (out / "index.html").write_text(index_page(summaries, shots, problems), "utf-8")
    print(f"open {out / 'index.html'}")
    return 0


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.screens", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the screenshots, pages and index.html")
    parser.add_argument(
        "--as-of", type=date.fromisoformat, default=DEMO_DAY, help=f"the bot's today (default {DEMO_DAY})"
    )
    parser.add_argument("--only", nargs="+", default=[], choices=list(STEPS), help="run only these steps")
    parser.add_argument("--widths", nargs="+", default=list(WIDTHS), choices=list(WIDTHS))
    parser.add_argument("--no-shots", action="store_true", help="capture and write the pages, no browser")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
