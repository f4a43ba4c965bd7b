"""tools/screens: the capture drives the real bot through the local Discord and records every reply; the
pages draw Discord's markdown as Discord does. The browser part runs only where Chromium and the npm
renderer are installed (never in CI: node_modules is not in the repository)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tools.screens.__main__ import RENDERER, photograph, write_capture
from tools.screens.capture import DEMO_DAY, Capture, Reply, capture
from tools.screens.markdown import inline, render
from tools.screens.script import script
from tools.screens.shoot import PHONE, find_chromium

# What the script does, in order (clicks on the buttons it finds come in between and vary with the answers).
ACTIONS = [
    "/contract list",
    "/contract show contract:acme-site",
    "/contract show contract:acme-sitee",
    "/contract add kind:hourly status:active",
    "/contract edit contract:ghost-app status:paused",
    "/contract asked-client contract:ghost-app",
    "/contract remove contract:landing",
    "/contract list  (a ledger of 30)",
    "/jss show",
    f"/jss record value:96 on:{DEMO_DAY.replace(month=10, day=5)}",
    "/jss record value:91",
    "/jss why",
    "/advise contract:wp-maint",
    "/advise contract:acme-site",
    "/advise contract:ghost-app",
    "/advise contract:video-edit",
    "/advise contract:acme-sitee",
    "/whatif contract:acme-site",
    "/plan",
    "/toprated",
    "/message contract:acme-site kind:ask-close",
    "/ask question:my client went silent, should I close the acme-site contract?",
    "/ask question:why did my score drop with no new work? public:True",
    'Apps > "Ask JSS Advisor" on a message: "Will refunding my client remove the bad review?"',
    "/setup forum-channel channel:#help-forum",
    'forum post "When does the JSS update?"',
    "/ledger export",
    "/ledger import file:my-ledger.json mode:replace",
    "/jss show  (a new user, empty ledger)",
    "/start",  # once the bot has it
    "/ledger import-csv file:TransactionHistory.csv file2:WeeklySummary.csv",
    "/settings timezone:Europe/Berlin cadence:daily",
    "/settings timezone:Mars/Olympus_Mons",
    "/reminders settings timezone:Europe/Berlin quiet:22:00-07:00",
    "/settings reminders:True",
    "/reminders list",
    "/reminders kinds",
    "/reminders snooze reminder:1 days:3",
    "/reminders resume",
    "/forget-me",
    "/forget-me",
]


@pytest.fixture(scope="module")
def captured() -> Capture:
    """One run of the whole script (a few seconds: the engine runs inline, the clock is simulated)."""
    return asyncio.run(capture(script()))


def top_level(reply: Reply) -> bool:
    return reply.origin in ("command", "post")


def test_every_step_is_captured_with_what_the_user_saw(captured: Capture) -> None:
    replies = captured.replies
    assert captured.problems == []  # every REST call the bot made is one real Discord accepts
    actions = [r.action for r in replies if top_level(r)]
    assert actions == [a for a in ACTIONS if a != "/start" or "start" in captured.commands]
    for reply in replies:
        assert reply.error is None and reply.messages, (reply.slug, reply.error)
    slugs = [r.slug for r in replies]
    assert len(set(slugs)) == len(slugs)
    [jss] = [r for r in replies if r.action == "/jss show"]
    assert any(a.filename.endswith(".png") and a.data[:4] == b"\x89PNG" for m in jss.messages for a in m.attachments)
    dms = [r for r in replies if r.origin == "dm"]
    assert dms and all(m.kind == "dm" for r in dms for m in r.messages)
    assert any(r.origin == "click" for r in replies)  # the buttons under the answers were clicked


def test_every_command_of_the_bot_is_on_a_screen(captured: Capture) -> None:
    """A command added to the bot and not to tools/screens/script.py would go unseen."""
    run = {r.action.lstrip("/") for r in captured.replies if r.action.startswith("/")}
    unseen = [c for c in captured.commands if not any(a == c or a.startswith(c + " ") for a in run)]
    assert "jss show" in captured.commands and unseen == []


def test_the_pages_and_their_record_are_written(captured: Capture, tmp_path: Path) -> None:
    replies = captured.replies
    summaries = write_capture(tmp_path, replies, captured.problems, DEMO_DAY)
    document = json.loads((tmp_path / "replies.json").read_text())
    assert [r["slug"] for r in document["replies"]] == [r.slug for r in replies] == [s["slug"] for s in summaries]
    for reply in replies:
        page = (tmp_path / "html" / f"{reply.slug}.html").read_text()
        assert "discord-components-core" in page and "<discord-message" in page or "class='modal'" in page
    chart = next(p for p in (tmp_path / "files").iterdir() if p.suffix == ".png")
    assert chart.read_bytes()[:4] == b"\x89PNG"


def test_markdown_is_drawn_as_discord_draws_it() -> None:
    assert inline(r"ask\_client \*not italic\*") == "ask_client *not italic*"
    assert (
        inline("**bold** and `code`") == "<discord-bold>bold</discord-bold> and <discord-code embed>code</discord-code>"
    )
    assert inline("[Help](https://a.example/x)") == '<discord-link href="https://a.example/x">Help</discord-link>'
    cut = inline("[Long-term clients help](https://support.upwork.com/hc/en-us/articl…")
    assert cut.startswith("[Long-term clients help](")  # a link cut before its ")" shows raw, as in Discord
    assert inline("<@123> & <b>") == "&lt;@123&gt; &amp; &lt;b&gt;"
    listed = render("1. first\n2. second")
    assert listed.count("<discord-list-item>") == 2 and 'start="1"' in listed


@pytest.mark.skipif(
    find_chromium() is None or not RENDERER.exists(),
    reason="needs Chromium (apt-get install chromium) and the renderer (npm ci --prefix tools/screens)",
)
def test_a_page_is_photographed_at_phone_width(captured: Capture, tmp_path: Path) -> None:
    first = captured.replies[:1]
    write_capture(tmp_path, first, captured.problems, DEMO_DAY)
    executable = find_chromium()
    assert executable is not None
    shots = asyncio.run(photograph(tmp_path, [first[0].slug], [PHONE], executable))
    png = (tmp_path / shots[first[0].slug]["phone"]).read_bytes()
    width = int.from_bytes(png[16:20], "big")
    assert png[:4] == b"\x89PNG" and width == PHONE.css_px * PHONE.scale
