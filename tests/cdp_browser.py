"""Headless Chromium (Debian's package) driven over the DevTools protocol, for the tests of what
`quiz serve` serves. aiohttp is textual-serve's own dependency, so this needs nothing more.

A served tab draws the app in a canvas (xterm.js), so a test cannot read the screen's text from
the DOM: it types into the terminal and checks what the app wrote to the store, which is the
behaviour that matters (an answer given in a browser is a row in reviews).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# Without the background-networking flags Chromium keeps trying to reach Google's hosts,
# which a closed network refuses, and those attempts would count as outside requests.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--window-size=1200,800",
    "--remote-debugging-port=0",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path, port: int, *more: str, env: dict | None = None) -> subprocess.Popen:
    """`quiz serve` in its own process, returned once its port takes connections."""
    server = subprocess.Popen(
        [sys.executable, "-m", "quiz", "--db", str(db), "serve", "--port", str(port), *more],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"quiz serve exited with {server.returncode}") from None
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("quiz serve did not open its port within 60 s")


class Browser:
    """One headless Chromium with one page; every request the page makes is kept in
    `requests` (URLs), from Network.requestWillBeSent and webSocketCreated."""

    async def __aenter__(self) -> Browser:
        self.profile = tempfile.mkdtemp(prefix="quiz-chromium-")
        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        endpoint = await asyncio.to_thread(self._devtools_endpoint)
        port = re.search(r":(\d+)/", endpoint).group(1)
        self.http = aiohttp.ClientSession()
        async with self.http.get(f"http://127.0.0.1:{port}/json") as response:
            pages = [p for p in await response.json() if p["type"] == "page"]
        self.ws = await self.http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0)
        self.ids = itertools.count(1)
        self.requests: list[str] = []
        await self.send("Network.enable")
        await self.send("Page.enable")
        return self

    def _devtools_endpoint(self) -> str:
        for line in self.proc.stderr:
            found = re.search(r"DevTools listening on (ws://\S+)", line)
            if found:
                return found.group(1)
        raise RuntimeError("Chromium did not start its DevTools endpoint")

    async def __aexit__(self, *exc) -> None:
        await self.http.close()
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    async def send(self, method: str, **params) -> dict:
        sent = next(self.ids)
        await self.ws.send_json({"id": sent, "method": method, "params": params})
        while True:
            message = await asyncio.wait_for(self.ws.receive_json(), 60)
            event = message.get("method")
            if event == "Network.requestWillBeSent":
                self.requests.append(message["params"]["request"]["url"])
            elif event == "Network.webSocketCreated":
                self.requests.append(message["params"]["url"])
            if message.get("id") == sent:
                return message.get("result", {})

    async def js(self, expression: str):
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def open(self, url: str, timeout: float = 60) -> None:
        """Load the page and wait for the terminal's first bytes (the app is running)."""
        await self.send("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if await self.js("!!document.body && document.body.classList.contains('-first-byte')"):
                # Key presses go to xterm.js's hidden textarea.
                await self.js("document.querySelector('.xterm-helper-textarea').focus()")
                return
            await asyncio.sleep(0.2)
        raise TimeoutError(f"{url}: the terminal got no bytes within {timeout} s")

    async def type(self, text: str) -> None:
        await self.send("Input.insertText", text=text)

    async def press(self, key: str) -> None:
        """Enter or Backspace, as a keyboard sends them."""
        code, text = {"Enter": (13, "\r"), "Backspace": (8, "")}[key]
        for kind in ("keyDown", "keyUp"):
            await self.send(
                "Input.dispatchKeyEvent",
                type=kind,
                key=key,
                code=key,
                windowsVirtualKeyCode=code,
                text=text if kind == "keyDown" else "",
            )

    async def screenshot(self, path: Path) -> None:
        shot = await self.send("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))
