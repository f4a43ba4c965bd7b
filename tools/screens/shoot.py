"""Photograph HTML pages with headless Chromium (Debian's `chromium`), whole page, at a given width.

One browser for all pages, driven over the DevTools protocol (aiohttp's websocket client, which discord.py
already brings); the pages are served from a loopback-only HTTP server because the web components are ES
modules, which browsers do not load from file:// URLs.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

# Where the page's content ends (not the viewport's 800 px): the screenshot is as tall as the reply.
_CONTENT_HEIGHT = (
    "Math.ceil(Math.max(40, ...[...document.body.children].map((e) => e.getBoundingClientRect().bottom))) + 8"
)
PAGE_SECONDS = 30.0  # a page not ready by then is photographed as it is


@dataclass(frozen=True)
class Width:
    name: str
    css_px: int
    scale: float  # device pixels per CSS pixel
    mobile: bool


DESKTOP = Width("desktop", 900, 1.0, False)
PHONE = Width("phone", 390, 2.0, True)  # an iPhone-sized phone; Discord shows images ~350 px wide there


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextlib.asynccontextmanager
async def serve(root: Path, node_modules: Path) -> AsyncIterator[str]:
    """Serve `root` at / and `node_modules` at /node_modules/ on 127.0.0.1; yields the base URL."""
    app = web.Application()
    app.router.add_static("/node_modules/", node_modules, follow_symlinks=True)
    app.router.add_static("/", root, follow_symlinks=True)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]  # the port the OS picked
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


class Browser:
    """A headless Chromium and one tab in it, driven over the DevTools protocol."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, session_id: str) -> None:
        self.ws = ws
        self.session_id = session_id
        self._ids = itertools.count(1)

    async def call(self, method: str, params: dict[str, Any] | None = None, *, session: bool = True) -> Any:
        call_id = next(self._ids)
        message: dict[str, Any] = {"id": call_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session_id
        await self.ws.send_json(message)
        while True:
            reply = await self.ws.receive_json()
            if reply.get("id") == call_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    async def screenshot(self, url: str, width: Width) -> bytes:
        """The whole page at `width`, once it says it is ready (or after PAGE_SECONDS)."""
        await self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width.css_px, "height": 800, "deviceScaleFactor": width.scale, "mobile": width.mobile},
        )
        await self.call("Page.navigate", {"url": url})
        loop = asyncio.get_running_loop()
        deadline = loop.time() + PAGE_SECONDS
        while loop.time() < deadline:
            ready = await self.call(
                "Runtime.evaluate", {"expression": "document.readyState === 'complete' && document.body?.dataset.ready"}
            )
            if ready.get("result", {}).get("value") == "1":
                break
            await asyncio.sleep(0.05)
        size = await self.call("Runtime.evaluate", {"expression": _CONTENT_HEIGHT, "returnByValue": True})
        height = int(size.get("result", {}).get("value") or 800)
        shot = await self.call(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width.css_px, "height": height, "scale": 1},
            },
        )
        return base64.b64decode(shot["data"])


@contextlib.asynccontextmanager
async def browser(executable: str) -> AsyncIterator[Browser]:
    """Start headless Chromium on a loopback DevTools port; always stopped (process and profile)."""
    with tempfile.TemporaryDirectory(prefix="jss-screens-chromium-") as profile:
        proc = await asyncio.create_subprocess_exec(
            executable,
            "--headless",
            "--no-sandbox",  # root in a container has no user namespace for the sandbox
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--no-default-browser-check",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            assert proc.stderr is not None
            ws_url = None
            seen: list[str] = []
            while ws_url is None:
                line = (await asyncio.wait_for(proc.stderr.readline(), 60)).decode(errors="replace")
                if not line:
                    raise RuntimeError("chromium exited before it listened:\n" + "".join(seen[-20:]))
                seen.append(line)
                if m := re.search(r"DevTools listening on (ws://\S+)", line):
                    ws_url = m.group(1)
            drain = asyncio.create_task(_drain(proc.stderr))
            async with aiohttp.ClientSession() as http, http.ws_connect(ws_url, max_msg_size=0) as ws:
                root = Browser(ws, "")
                target = await root.call("Target.createTarget", {"url": "about:blank"}, session=False)
                attached = await root.call(
                    "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, session=False
                )
                tab = Browser(ws, attached["sessionId"])
                tab._ids = root._ids
                await tab.call("Page.enable")
                yield tab
            drain.cancel()
        finally:
            if proc.returncode is None:
                proc.terminate()
                try:
                    await asyncio.wait_for(proc.wait(), 10)
                except TimeoutError:
                    proc.kill()
                    await proc.wait()


async def _drain(stream: asyncio.StreamReader) -> None:
    """Chromium keeps logging to stderr; read it so the pipe never fills and blocks the browser."""
    while await stream.readline():
        pass
