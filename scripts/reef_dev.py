"""Drive a real Home Assistant process: start, onboard, add a simulated reef through the public APIs, stop.

Used by ``scripts/develop`` (a development instance with a simulated board, channels and starter schedules)
and by the end-to-end tests (``tests/e2e``). Everything goes through Home Assistant's HTTP and websocket
APIs, the way the frontend does it; nothing writes ``.storage`` files.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from pathlib import Path
import signal
import socket
import subprocess
import sys
import time
from typing import Any
import urllib.error
import urllib.parse
import urllib.request

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, for the starter defaults
from custom_components.bellas_reef.scheduling.starters import LIGHT_DEFAULTS, PUMP_DEFAULTS

CLIENT_ID = "http://127.0.0.1/"
DEV_USER = {"name": "Reef keeper", "username": "reef", "password": "reef-dev-password", "language": "en"}
MINIMAL_CONFIG = """\
homeassistant:
  name: Bella's Reef
  time_zone: {time_zone}
  unit_system: metric
  country: DE
  currency: EUR
http:
  server_host: 127.0.0.1
  server_port: {port}
frontend:
config:
logbook:
history:
logger:
  default: warning
  logs:
    custom_components.bellas_reef: debug
"""


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class HassProcess:
    """One Home Assistant process serving ``http://127.0.0.1:<port>`` from ``config_dir``."""

    def __init__(self, config_dir: Path, port: int, repo: Path) -> None:
        """Remember where; ``start`` runs it."""
        self.config_dir = config_dir
        self.port = port
        self.repo = repo
        self.base = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.token: str | None = None

    def start(self, timeout: float = 600) -> None:
        """Start ``python -m homeassistant`` and wait until the API answers."""
        env = {**os.environ, "PYTHONPATH": str(self.repo)}
        log = (self.config_dir / "process.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "homeassistant", "--config", str(self.config_dir)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Home Assistant exited with {self.process.returncode}; see process.log")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.base}/manifest.json", timeout=2),
            ):
                return
            time.sleep(0.5)
        raise TimeoutError(f"Home Assistant did not answer within {timeout} s")

    def kill(self) -> None:
        """Kill it at once (SIGKILL): nothing is written on the way down, as in a power cut or a crash."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self, timeout: float = 60) -> None:
        """Stop it (SIGTERM, then SIGKILL), always."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    # -- HTTP ----------------------------------------------------------------------------------------
    def request(
        self, method: str, path: str, body: Any = None, *, auth: bool = True, token: str | None = None
    ) -> Any:
        """A JSON request as ``token``'s user (else the development user); raises ``HTTPError``."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if auth and (token or self.token):
            headers["Authorization"] = f"Bearer {token or self.token}"
        req = urllib.request.Request(f"{self.base}{path}", data=data, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=60) as answer:
            text = answer.read().decode()
        return json.loads(text) if text else None

    def onboard(self) -> None:
        """Create the first user, finish onboarding, confirm the HTTP settings, and keep an access token.

        Home Assistant takes the ``http:`` settings of ``configuration.yaml`` once, on the first start, as a
        trial: unless confirmed (the dialog the frontend shows) it restarts with its previous settings five
        minutes later (its defaults on a first start: port 8123 on every interface).
        """
        created = self.request(
            "POST", "/api/onboarding/users", {"client_id": CLIENT_ID, **DEV_USER}, auth=False
        )
        self._token_from_code(created["auth_code"])
        self.wait_running()
        http = self.ws([{"type": "http/config"}])[-1]  # unknown before the trial came: nothing to confirm
        if http["success"] and http["result"]["pending"] is not None:
            promoted = self.ws([{"type": "http/config/promote"}])[-1]
            if not promoted["success"]:
                raise RuntimeError(f"could not confirm the HTTP settings: {promoted['error']}")
        self.request("POST", "/api/onboarding/core_config", {})
        self.request("POST", "/api/onboarding/analytics", {})
        self.request(
            "POST",
            "/api/onboarding/integration",
            {"client_id": CLIENT_ID, "redirect_uri": f"{CLIENT_ID}?auth_callback=1"},
        )

    def add_user(self, name: str, username: str, password: str, *, admin: bool = False) -> dict[str, Any]:
        """Create a user (an administrator, or a plain user); return their tokens (``access_token`` …)."""
        created = self.ws(
            [
                {
                    "type": "config/auth/create",
                    "name": name,
                    "group_ids": ["system-admin" if admin else "system-users"],
                }
            ]
        )[-1]
        if not created["success"]:
            raise RuntimeError(f"could not create the user {name}: {created['error']}")
        credentials = self.ws(
            [
                {
                    "type": "config/auth_provider/homeassistant/create",
                    "user_id": created["result"]["user"]["id"],
                    "username": username,
                    "password": password,
                }
            ]
        )[-1]
        if not credentials["success"]:
            raise RuntimeError(f"could not give {name} a password: {credentials['error']}")
        return self.user_token(username, password)

    def _login_code(self, username: str, password: str) -> str:
        """Go through Home Assistant's login flow as the frontend does; the authorization code it gives."""
        flow = self.request(
            "POST",
            "/auth/login_flow",
            {
                "client_id": CLIENT_ID,
                "handler": ["homeassistant", None],
                "redirect_uri": f"{CLIENT_ID}?auth_callback=1",
            },
            auth=False,
        )
        done = self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": CLIENT_ID, "username": username, "password": password},
            auth=False,
        )
        return str(done["result"])

    def user_token(self, username: str, password: str) -> dict[str, Any]:
        """Log a user in through the login flow; return their tokens (the development user's stay)."""
        return self._exchange(self._login_code(username, password))

    def _exchange(self, code: str) -> dict[str, Any]:
        """The tokens an authorization code gives."""
        data = urllib.parse.urlencode(
            {"grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID}
        )
        req = urllib.request.Request(f"{self.base}/auth/token", data=data.encode(), method="POST")
        with urllib.request.urlopen(req, timeout=30) as answer:
            return dict(json.loads(answer.read()))

    def login(self) -> None:
        """Log the development user in (after a restart, or on an instance onboarded before)."""
        self._token_from_code(self._login_code(DEV_USER["username"], DEV_USER["password"]))
        self.wait_running()

    def wait_running(self, timeout: float = 300) -> None:
        """Wait (logged in) until Home Assistant has finished starting: every integration is set up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.request("GET", "/api/config").get("state") == "RUNNING":
                return
            time.sleep(0.5)
        raise TimeoutError(f"Home Assistant did not finish starting within {timeout} s")

    def onboarded(self) -> bool:
        """Whether the instance has its first user (once onboarding is over, its API is gone: 404)."""
        try:
            steps = self.request("GET", "/api/onboarding", auth=False)
        except urllib.error.HTTPError as err:
            if err.code == 404:
                return True
            raise
        return any(step["step"] == "user" and step["done"] for step in steps)

    def _token_from_code(self, code: str) -> None:
        self.tokens = self._exchange(code)
        self.token = self.tokens["access_token"]

    def flow(self, start_path: str, handler: Any, steps: list[dict[str, Any]]) -> dict[str, Any]:
        """Run a config (or subentry) flow through the REST API with the given step inputs."""
        result = self.request("POST", start_path, {"handler": handler})
        for step in steps:
            result = self.request("POST", f"{start_path}/{result['flow_id']}", step)
        return dict(result)

    def action(
        self,
        domain: str,
        service: str,
        data: dict[str, Any],
        *,
        response: bool = False,
        token: str | None = None,
    ) -> Any:
        """Call an action (service); with ``response`` its answer."""
        suffix = "?return_response" if response else ""
        return self.request("POST", f"/api/services/{domain}/{service}{suffix}", data, token=token)

    def state(self, entity_id: str) -> dict[str, Any] | None:
        """The state of an entity, or None."""
        try:
            return dict(self.request("GET", f"/api/states/{entity_id}"))
        except urllib.error.HTTPError as err:
            if err.code == 404:
                return None
            raise

    # -- websocket --------------------------------------------------------------------------------------
    def ws(
        self, messages: list[dict[str, Any]], *, collect_events: float = 0.0, token: str | None = None
    ) -> list[dict[str, Any]]:
        """Send commands over ``/api/websocket``; return every message received (events for a while after)."""
        return asyncio.run(self._ws(messages, collect_events, token or self.token))

    async def _ws(
        self, messages: list[dict[str, Any]], collect_events: float, token: str | None
    ) -> list[dict[str, Any]]:
        received: list[dict[str, Any]] = []
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(f"{self.base}/api/websocket", max_msg_size=64 * 1024 * 1024) as ws,
        ):
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": token})
            if (await ws.receive_json())["type"] != "auth_ok":
                raise RuntimeError("websocket authentication failed")
            for number, message in enumerate(messages, start=1):
                await ws.send_json({"id": number, **message})
                while True:
                    answer = await ws.receive_json(timeout=60)
                    received.append(answer)
                    if answer.get("id") == number and answer["type"] == "result":
                        break
            deadline = time.monotonic() + collect_events
            while (left := deadline - time.monotonic()) > 0:
                try:
                    received.append(await ws.receive_json(timeout=left))
                except TimeoutError:
                    break
        return received


def add_simulated_reef(hass: HassProcess, *, starters: bool = False) -> dict[str, Any]:
    """A simulated board at 0x40 with Blue and White lights and a return pump, through the flows.

    Blue (the first light) and the pump (the first on/off output) are offered starter schedules; ``starters``
    accepts them: a reef day and moonlight on Blue, feeding pauses on the pump, made enabled.
    """
    entry = hass.flow(
        "/api/config/config_entries/flow",
        "bellas_reef",
        [{"next_step_id": "simulated"}, {"address": "0x40", "frequency": 1000}],
    )
    entry_id = entry["result"]["entry_id"]
    light = {"min_duty": 0.5, "max_duty": 100, "curve": "perceptual", "transition": 2}
    channels: list[tuple[str, str, str, list[dict[str, Any]]]] = [
        ("Blue", "0", "light", [light, {**LIGHT_DEFAULTS, "add_starters": starters}]),
        ("White", "1", "light", [{**light, "max_duty": 90}]),
        (
            "Return pump",
            "4",
            "switch",
            [{"on_duty": 100, "startup": "on"}, {**PUMP_DEFAULTS, "add_starters": starters}],
        ),
    ]
    for name, number, kind, steps in channels:
        result = hass.flow(
            "/api/config/config_entries/subentries/flow",
            [entry_id, "channel"],
            [{"name": name, "channel": number, "kind": kind, "invert": False}, *steps],
        )
        if result.get("type") != "create_entry":
            raise RuntimeError(f"adding the channel {name} did not finish: {result}")
    return dict(entry["result"])


def share_reef_day(hass: HassProcess, timeout: float = 60) -> dict[str, Any]:
    """White joins Blue's starter reef day (through ``update_schedule``, as a user would)."""
    deadline = time.monotonic() + timeout
    while hass.state("light.white") is None:  # the board reloads after each channel the flow adds
        if time.monotonic() > deadline:
            raise RuntimeError("light.white did not appear")
        time.sleep(0.2)
    schedules = hass.action("bellas_reef", "get_schedules", {"schedule_type": "static"}, response=True)[
        "service_response"
    ]["schedules"]
    day = next(schedule for schedule in schedules if schedule["name"] == "Blue reef day")
    changes = {"schedule_id": day["id"], "name": "Reef day", "targets": ["light.blue", "light.white"]}
    return dict(
        hass.action("bellas_reef", "update_schedule", changes, response=True)["service_response"]["schedule"]
    )


def configure_modes(hass: HassProcess, feed_minutes: int = 10) -> dict[str, Any]:
    """Feed stops the return pump; Maintenance also dims Blue to 20 % (the options flow, over REST)."""
    entries = hass.request("GET", "/api/config/config_entries/entry")
    scheduler = next(e for e in entries if e["domain"] == "bellas_reef" and e["title"] == "Schedules")
    channels = next(m for m in hass.ws([{"type": "bellas_reef/channels/list"}]) if m.get("id") == 1)["result"]
    ids = {channel["entity_id"]: channel["channel_id"] for channel in channels}
    pump, blue = ids["switch.return_pump"], ids["light.blue"]
    mode = {"on": [], "dim": [], "dim_level": 20, "hold_schedules": True}
    result: dict[str, Any] = {}
    for step, data in (
        ("feed", {**mode, "off": [pump], "minutes": feed_minutes}),
        ("maintenance", {**mode, "off": [pump], "dim": [blue], "minutes": 60}),
    ):
        result = hass.flow(
            "/api/config/config_entries/options/flow", scheduler["entry_id"], [{"next_step_id": step}, data]
        )
        if result.get("type") != "create_entry":
            raise RuntimeError(f"the {step} mode's options did not save: {result}")
    return result


def develop(repo: Path, config_dir: Path, port: int) -> int:
    """``scripts/develop``: start, provision on the first start, then stay in the foreground."""
    config_dir.mkdir(parents=True, exist_ok=True)
    hass = HassProcess(config_dir, port, repo)

    def terminate(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)  # stopping the script stops Home Assistant too
    print(f"Starting Home Assistant at {hass.base} (first start installs the frontend: a minute or two)")
    hass.start()
    try:
        if not hass.onboarded():
            hass.onboard()
            add_simulated_reef(hass, starters=True)
            share_reef_day(hass)
            configure_modes(hass)
            print(
                "Created a simulated board with Blue, White and a return pump, and its starter schedules"
                " (a reef day, moonlight, feeding pauses), enabled; Feed stops the pump, Maintenance also"
                " dims Blue."
            )
        print(
            f"Ready: {hass.base}  user: {DEV_USER['username']}  "
            f"password: {DEV_USER['password']}  (Ctrl+C stops)"
        )
        assert hass.process is not None
        return hass.process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        hass.stop()


def main() -> int:
    """Entry point of ``scripts/develop``."""
    repo = Path(__file__).resolve().parent.parent
    config_dir = repo / "config"
    port = int(os.environ.get("BELLAS_REEF_PORT", "8123"))
    return develop(repo, config_dir, port)


if __name__ == "__main__":
    sys.exit(main())
