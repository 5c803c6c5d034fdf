"""Headless Chromium over the DevTools protocol: open a Home Assistant page logged in, read its DOM, screenshot.

The Python side needs only aiohttp (a Home Assistant dependency); the browser is Debian's ``chromium``, started
with a fresh profile on a free loopback debugging port and stopped, its whole process group, whatever happens.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator, Iterator
import contextlib
import itertools
import json
import os
from pathlib import Path
import shutil
import signal
import subprocess
import time
from typing import Any

import aiohttp

# Headless without a GPU, sandbox (root in a chroot has none to offer) or first-run questions; a browser that
# only talks to loopback (no proxy, nothing fetched in the background); /tmp rather than a small /dev/shm.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--no-proxy-server",
    "--no-default-browser-check",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)
BINARIES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """``$BELLAS_REEF_CHROMIUM``, else the first Chromium-like browser on PATH."""
    if override := os.environ.get("BELLAS_REEF_CHROMIUM"):
        return override
    for name in BINARIES:
        if path := shutil.which(name):
            return path
    return None


class DevToolsError(RuntimeError):
    """A DevTools command failed, or the page threw."""


class Page:
    """One page target: commands answered by id, events kept (console messages among them) for the record."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Wrap an open DevTools websocket; ``run`` reads it."""
        self._ws = ws
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.events: list[dict[str, Any]] = []
        self._closed = False
        self._loading: set[str] = set()  # HTTP requests under way (with the Network domain enabled)
        self._last_traffic = time.monotonic()  # of HTTP or websocket traffic

    async def run(self) -> None:
        """Read answers and events until the socket closes."""
        try:
            async for message in self._ws:
                if message.type is not aiohttp.WSMsgType.TEXT:
                    break
                data = json.loads(message.data)
                if (future := self._pending.pop(data.get("id", -1), None)) is not None:
                    if not future.done():
                        future.set_result(data)
                else:
                    self.events.append(data)
                    self._count_traffic(data)
        finally:
            self._closed = True
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(DevToolsError("DevTools connection closed"))

    def _count_traffic(self, event: dict[str, Any]) -> None:
        method = event.get("method", "")
        if not method.startswith("Network."):
            return
        self._last_traffic = time.monotonic()
        # A worker's script (loaderId "") finishes loading in the worker's target, out of this page's sight.
        if method == "Network.requestWillBeSent" and event["params"].get("loaderId"):
            self._loading.add(event["params"]["requestId"])
        elif method in {"Network.loadingFinished", "Network.loadingFailed"}:
            self._loading.discard(event["params"]["requestId"])

    async def network_idle(self, quiet: float = 0.5) -> None:
        """Wait until no HTTP request is under way and nothing went over the network for ``quiet`` seconds.

        Bound the wait with ``asyncio.timeout``.
        """
        while True:
            if self._loading:
                await asyncio.sleep(0.1)
            elif (left := self._last_traffic + quiet - time.monotonic()) > 0:
                await asyncio.sleep(left)
            else:
                return

    async def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send one command and return its result."""
        if self._closed:
            raise DevToolsError(f"{method}: the DevTools connection is closed")
        number = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[number] = future
        await self._ws.send_json({"id": number, "method": method, "params": params or {}})
        answer = await future
        if "error" in answer:
            raise DevToolsError(f"{method}: {answer['error']}")
        return dict(answer["result"])

    async def navigate(self, url: str) -> None:
        """Load ``url``; what the previous document had under way no longer counts."""
        self._loading.clear()
        await self.call("Page.navigate", {"url": url})

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = await self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}
        )
        if details := result.get("exceptionDetails"):
            raise DevToolsError(f"page threw: {details.get('exception', {}).get('description', details)}")
        return result["result"].get("value")

    async def screenshot(self, clip: dict[str, float] | None = None) -> bytes:
        """The viewport (or the part ``clip`` names: x, y, width, height in CSS pixels) as PNG bytes."""
        params: dict[str, Any] = {"format": "png"}
        if clip is not None:
            params["clip"] = {**clip, "scale": 1}
        return base64.b64decode((await self.call("Page.captureScreenshot", params))["data"])

    def console(self) -> list[str]:
        """Console messages and uncaught exceptions seen so far, one line each."""
        lines = []
        for event in self.events:
            params = event.get("params", {})
            if event.get("method") == "Runtime.consoleAPICalled":
                text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params["args"])
                lines.append(f"console.{params['type']}: {text}")
            elif event.get("method") == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                thrown = details.get("exception", {})
                fields = ", ".join(
                    f"{field['name']}={field.get('value', '')}"
                    for field in thrown.get("preview", {}).get("properties", [])
                )
                where = f"{details.get('url', '')}:{details.get('lineNumber', '')}"
                lines.append(
                    f"exception: {thrown.get('description', details['text'])} {{{fields}}} at {where}"
                )
        return lines


async def _devtools_port(profile: Path, process: subprocess.Popen[bytes]) -> int:
    """The port Chromium chose, from the ``DevToolsActivePort`` file it writes into its profile."""
    active = profile / "DevToolsActivePort"
    while True:
        if process.poll() is not None:
            raise DevToolsError(f"chromium exited with {process.returncode} before DevTools was ready")
        with contextlib.suppress(FileNotFoundError, ValueError):
            lines = active.read_text().splitlines()
            if len(lines) >= 2:  # the port, then the browser's path: the file is complete
                return int(lines[0])
        await asyncio.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop Chromium and every helper process it started (its own process group)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
    # The renderers and the zygote may outlive the browser process for a moment: wait the group out.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def launched(binary: str, profile: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A headless Chromium with a fresh profile in ``profile`` and its output in ``log``; stopped on exit."""
    profile.mkdir(parents=True, exist_ok=False)
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603  (a browser found on PATH, fixed flags)
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        _stop(process)


@contextlib.asynccontextmanager
async def first_page(
    process: subprocess.Popen[bytes], profile: Path, size: tuple[int, int], *, mobile: bool = False
) -> AsyncIterator[Page]:
    """The browser's first page over DevTools, its viewport ``size`` (width, height) CSS pixels."""
    port = await _devtools_port(profile, process)
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/json/list") as answer:
            targets = await answer.json()
        url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        async with session.ws_connect(url, max_msg_size=64 * 1024 * 1024) as ws:
            page = Page(ws)
            reader = asyncio.create_task(page.run())
            try:
                await page.call("Page.enable")
                await page.call("Runtime.enable")
                await page.call("Network.enable")
                await page.call(
                    "Emulation.setDeviceMetricsOverride",
                    {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": mobile},
                )
                yield page
            finally:
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reader


# Every element with role="row", through the shadow roots Home Assistant's frontend is built of: the row's id
# (ha-data-table sets the entity id as the row's ``rowId`` property) and its text.
_DATA_TABLE_ROWS = """(() => {
  const rows = [];
  const walk = (root) => {
    for (const element of root.querySelectorAll("*")) {
      if (element.getAttribute("role") === "row") {
        rows.push([element.rowId ?? null, element.textContent.replace(/\\s+/g, " ").trim()]);
      }
      if (element.shadowRoot) walk(element.shadowRoot);
    }
  };
  walk(document);
  return {launchScreen: document.getElementById("ha-launch-screen") !== null, rows};
})()"""
# Web fonts loaded and two frames painted since.
_PAINTED = """document.fonts.ready.then(() => new Promise((resolve) =>
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))))"""


async def open_logged_in(page: Page, base: str, tokens: dict[str, Any], client_id: str, path: str) -> None:
    """Open ``base + path`` as the user ``tokens`` belong to.

    The frontend keeps its tokens in ``localStorage.hassTokens`` (``hassUrl``, ``clientId`` and an
    ``expires`` timestamp in ms beside the token endpoint's answer); a script that runs before the page's
    own puts them there, so no login form is filled in.
    """
    stored = {
        **tokens,
        "hassUrl": base,
        "clientId": client_id,
        "expires": int(time.time() * 1000) + int(tokens["expires_in"]) * 1000,
    }
    source = (
        f"if (location.origin === {json.dumps(base)}) "
        f"localStorage.setItem('hassTokens', {json.dumps(json.dumps(stored))});"
    )
    await page.call("Page.addScriptToEvaluateOnNewDocument", {"source": source})
    await page.navigate(base + path)


async def data_table_rows(page: Page, row_id: str) -> list[tuple[str | None, str]]:
    """Wait until the launch screen is gone and a data table shows the row ``row_id``; all rows then.

    Bound the wait with ``asyncio.timeout``.
    """
    while True:
        found = await page.evaluate(_DATA_TABLE_ROWS)
        rows = [(row[0], row[1]) for row in found["rows"]]
        if not found["launchScreen"] and any(found_id == row_id for found_id, _ in rows):
            return rows
        await asyncio.sleep(0.25)


async def settle(page: Page, at_most: float = 15) -> None:
    """Give the page a moment to finish drawing: icons arrive after the rows (over the websocket and HTTP).

    Best effort: a page that keeps talking is taken as it is after ``at_most`` seconds.
    """
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(at_most):
            await page.network_idle()
    await page.evaluate(_PAINTED)
