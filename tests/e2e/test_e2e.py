"""Bella's Reef in a real Home Assistant process, the way a user meets it.

Starts ``hass`` on a free loopback port with a fresh config directory, onboards a user, adds a simulated board
and channels through the config flow APIs, creates schedules over REST, uses the websocket API, restarts
Home Assistant and checks what survives; then opens the entities page in headless Chromium, reads the table
from the page and saves a screenshot under ``tests/e2e/artifacts/``. Every process it starts is stopped,
whatever happens.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
import struct
import subprocess
from typing import Any

from custom_components.bellas_reef.helpers import ANSWER_ONLY_FIELDS
from custom_components.bellas_reef.scheduling import Schedule, level_at
from tests.e2e import browser
from tests.e2e.support import ARTIFACTS, reef_dev, run, wait_for

VIEWPORT = (1400, 1800)  # all of the integration's entities, without scrolling


def test_a_reef_end_to_end(hass_instance: Any) -> None:
    hass = hass_instance
    hass.onboard()
    board = reef_dev.add_simulated_reef(hass)
    assert board["title"] == "Simulated PCA9685 0x40"
    assert wait_for(lambda: (hass.state("light.blue") or {}).get("state") == "off")
    assert hass.state("light.white") is not None
    assert wait_for(
        lambda: (hass.state("switch.return_pump") or {}).get("state") == "on"
    )  # start-up rule: on
    assert hass.state("binary_sensor.schedules_scheduler_problem")["state"] == "off"

    # a one-off two seconds ahead turns the pump off
    run_at = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    created = hass.action(
        "bellas_reef",
        "create_schedule",
        {
            "name": "Pump off",
            "schedule_type": "one_off",
            "run_at": run_at,
            "targets": ["switch.return_pump"],
            "action_type": "off",
        },
        response=True,
    )["service_response"]["schedule"]
    assert created["next_run"] is not None
    assert wait_for(lambda: hass.state("switch.return_pump")["state"] == "off", timeout=15)
    actions = wait_for(
        lambda: hass.action("bellas_reef", "get_actions", {"schedule_id": created["id"]}, response=True)[
            "service_response"
        ]["actions"]
    )
    assert [a["status"] for a in actions] == ["success"]
    assert actions[0]["target_entity_id"] == "switch.return_pump"
    late_ms = (
        datetime.fromisoformat(actions[0]["executed_time"])
        - datetime.fromisoformat(actions[0]["scheduled_time"])
    ).total_seconds() * 1000
    assert late_ms < 1000

    # a reef day over the whole UTC day, so that its level now is known
    day = {
        "name": "Reef day",
        "schedule_type": "static",
        "preset": "diurnal",
        "preset_params": {
            "sunrise": "00:01",
            "sunrise_minutes": 1,
            "peak_level": 60,
            "sunset": "23:57",
            "sunset_minutes": 2,
        },
        "targets": ["light.blue"],
    }

    # the websocket API: list, subscribe, create and see it pushed
    messages = hass.ws(
        [
            {"type": "bellas_reef/schedules/list"},
            {"type": "bellas_reef/schedules/subscribe"},
            {"type": "bellas_reef/schedules/create", "schedule": day},
        ],
        collect_events=1.0,
    )
    listed = next(m for m in messages if m.get("id") == 1)
    assert [s["name"] for s in listed["result"]] == ["Pump off"]
    pushed = [m["event"] for m in messages if m["type"] == "event"]
    assert any(e.get("schedule", {}).get("name") == "Reef day" for e in pushed)
    day_schedule = next(m for m in messages if m.get("id") == 3)["result"]

    # the Feed button, pressed over REST: the pump stops, and the end is stored before the press returns
    reef_dev.configure_modes(hass, feed_minutes=30)
    hass.action("switch", "turn_on", {"entity_id": "switch.return_pump"})
    assert wait_for(lambda: hass.state("switch.return_pump")["state"] == "on")
    hass.action("button", "press", {"entity_id": "button.schedules_feed"})
    assert hass.state("switch.return_pump")["state"] == "off"
    assert hass.state("switch.return_pump")["attributes"]["held_by"] == "feed"
    feed_ends = datetime.fromisoformat(hass.state("sensor.schedules_feed_mode_ends")["state"])
    assert timedelta(minutes=29) < feed_ends - datetime.now(UTC) <= timedelta(minutes=30)

    # restart: schedules, history, the feed pause and the level the preset gives now all survive
    hass.stop()
    hass.start()
    hass.login()
    assert wait_for(lambda: (hass.state("switch.return_pump") or {}).get("state") == "off")
    assert hass.state("sensor.schedules_feed_mode_ends")["state"] == feed_ends.isoformat()
    ended = hass.action("bellas_reef", "end_mode", {"mode": "feed"}, response=True)["service_response"]
    assert ended["modes"]["feed"]["active"] is False
    assert wait_for(lambda: hass.state("switch.return_pump")["state"] == "on")  # its level before the pause
    schedules = hass.action("bellas_reef", "get_schedules", {}, response=True)["service_response"][
        "schedules"
    ]
    assert {s["name"] for s in schedules} == {"Pump off", "Reef day"}
    again = hass.action("bellas_reef", "get_actions", {"schedule_id": created["id"]}, response=True)
    assert [a["status"] for a in again["service_response"]["actions"]] == ["success"]
    answer = {k: v for k, v in day_schedule.items() if k not in ANSWER_ONLY_FIELDS}
    stored = Schedule.from_dict({**answer, "targets": day_schedule["target_channels"]})
    expected = level_at(stored, datetime.now(UTC))
    assert expected is not None

    def blue_level() -> float | None:
        state = hass.state("light.blue")
        if state is None or state["state"] != "on":
            return None
        return float(state["attributes"]["brightness"]) * 100 / 255

    assert abs(wait_for(blue_level) - expected) <= 0.5
    assert hass.state("switch.return_pump")["state"] == "on"


async def look_at_entities(
    process: subprocess.Popen[bytes], profile: Path, hass: Any
) -> tuple[list[tuple[str | None, str]], bytes]:
    """The rows of Bella's Reef's entities page as the browser shows them, and a screenshot of it."""
    async with asyncio.timeout(120), browser.first_page(process, profile, VIEWPORT) as page:
        try:
            await browser.open_logged_in(
                page, hass.base, hass.tokens, reef_dev.CLIENT_ID, "/config/entities?domain=bellas_reef"
            )
            async with asyncio.timeout(90):
                rows = await browser.data_table_rows(page, "light.blue")
            await browser.settle(page)
            return rows, await page.screenshot()
        except TimeoutError:  # keep what the browser showed
            with contextlib.suppress(Exception):
                async with asyncio.timeout(15):
                    (ARTIFACTS / "entities-timeout.png").write_bytes(await page.screenshot())
            raise
        finally:
            (ARTIFACTS / "browser-console.log").write_text("".join(f"{line}\n" for line in page.console()))


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_the_entities_page_in_a_browser(chromium_binary: str, hass_instance: Any, tmp_path: Path) -> None:
    """The reef scripts/develop makes (starter schedules accepted in the channel flow), seen in a browser."""
    hass = hass_instance
    hass.onboard()
    reef_dev.add_simulated_reef(hass, starters=True)
    day = reef_dev.share_reef_day(hass)
    assert day["name"] == "Reef day"
    assert day["targets"] == ["light.blue", "light.white"]
    wait_for(lambda: hass.state("switch.return_pump"))
    assert hass.state("switch.schedules_blue_moonlight")["state"] == "on"  # made enabled
    # The frontend waits for every action's description; one integration that cannot be imported (assist_pipeline
    # without its compiled requirements) fails them all, and the page never leaves its launch screen.
    services = hass.ws([{"type": "get_services"}])[-1]
    assert services["success"], (
        f"get_services fails ({services['error']}): see home-assistant.log in {hass.config_dir}"
    )

    ARTIFACTS.mkdir(exist_ok=True)
    for stale in ("entities.png", "entities-timeout.png"):
        (ARTIFACTS / stale).unlink(missing_ok=True)
    profile = tmp_path / "chromium-profile"
    with browser.launched(chromium_binary, profile, ARTIFACTS / "chromium.log") as process:
        try:
            rows, png = run(look_at_entities(process, profile, hass))
        except TimeoutError as err:
            raise AssertionError(
                f"the entities page did not show light.blue in time: see {ARTIFACTS} (entities-timeout.png,"
                f" browser-console.log, chromium.log) and {hass.config_dir / 'home-assistant.log'}"
            ) from err
    (ARTIFACTS / "entities.png").write_bytes(png)

    # ha-data-table's rows as the page has them: entity id, then the cells' text (name, device, integration, ...)
    entities = {row_id: text for row_id, text in rows if row_id is not None}
    assert {
        "light.blue",
        "light.white",
        "switch.return_pump",
        "switch.schedules_blue_reef_day",  # renamed "Reef day" by share_reef_day; the entity id stays
        "switch.schedules_blue_moonlight",
        "switch.schedules_return_pump_feeding_pauses",
    } <= entities.keys()
    assert entities["switch.schedules_blue_reef_day"].startswith("Reef day ")
    assert entities["light.blue"].startswith("Blue ")
    assert entities["switch.return_pump"].startswith("Return pump ")
    assert all("Bella's Reef" in text for text in entities.values())  # the integration filter, and its column
    assert png_size(png) == VIEWPORT
    # Text and icons: the launch screen is about 17 kB as PNG at this size, the page with its rows about 70 kB.
    assert len(png) > 40_000
