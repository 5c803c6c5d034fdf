"""What the dashboard card and the Reef panel need from the integration: the module served once with its
hash, the panel for administrators, and the websocket commands they read and write with."""

from __future__ import annotations

from datetime import datetime
import hashlib
import re
from typing import Any

from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL, DATA_PANELS
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator, WebSocketGenerator

from custom_components.bellas_reef.driver.dimming import DutyMap
from custom_components.bellas_reef.panel import FOLDER, MODULE, PANEL_PATH

from .conftest import engine_of, sim_chip

DAY = {
    "name": "Reef day",
    "schedule_type": "static",
    "preset": "diurnal",
    "preset_params": {
        "sunrise": "09:00",
        "sunrise_minutes": 120,
        "peak_level": 80,
        "sunset": "19:00",
        "sunset_minutes": 60,
    },
    "timezone": "UTC",
    "targets": ["light.blue"],
}
FEED = {
    "name": "Feed",
    "schedule_type": "cron",
    "cron_expression": "30 8 * * *",
    "timezone": "UTC",
    "targets": ["switch.return_pump"],
    "action_type": "off",
    "action_params": {"duration": 600},
}


@pytest.fixture
def reef_start() -> datetime:
    return datetime.fromisoformat("2027-06-10T12:00:00+00:00")


async def ws(client: Any, message: dict[str, Any]) -> dict[str, Any]:
    await client.send_json_auto_id(message)
    return await client.receive_json()


async def test_the_module_is_served_once_with_its_hash_and_loaded_on_every_dashboard(
    hass: HomeAssistant, reef: MockConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    digest = hashlib.sha256((FOLDER / MODULE).read_bytes()).hexdigest()[:16]
    url = f"/bellas_reef_frontend/{MODULE}?v={digest}"
    assert url in hass.data[DATA_EXTRA_MODULE_URL].urls
    client = await hass_client()
    answer = await client.get(url)
    assert answer.status == 200
    assert await answer.read() == (FOLDER / MODULE).read_bytes()
    # reloading the Schedules entry (and a board) registers nothing twice
    (scheduler,) = [e for e in hass.config_entries.async_entries("bellas_reef") if e.title == "Schedules"]
    assert await hass.config_entries.async_reload(scheduler.entry_id)
    assert await hass.config_entries.async_reload(reef.entry_id)
    await hass.async_block_till_done()
    assert [u for u in hass.data[DATA_EXTRA_MODULE_URL].urls if "bellas_reef" in u] == [url]
    panel = hass.data[DATA_PANELS][PANEL_PATH]
    assert panel.require_admin
    assert panel.config["_panel_custom"]["module_url"] == url
    assert panel.config["_panel_custom"]["name"] == "bellas-reef-panel"
    assert panel.sidebar_title == "Reef"


async def test_the_chunks_it_imports_are_served_and_the_editor_loads_on_demand(
    hass: HomeAssistant, reef: MockConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    """The module imports its shared chunk at once and the editor's only when it is opened; every chunk in
    the folder is one of those (a stale one would be served for nothing)."""
    entry = (FOLDER / MODULE).read_text()
    static = set(re.findall(r'from"\./(chunk-[A-Z0-9]+\.js)"', entry))
    on_demand = set(re.findall(r'import\("\./(editor-[A-Z0-9]+\.js)"\)', entry))
    assert len(static) == 1
    assert len(on_demand) == 1
    (editor,) = on_demand
    # the editor's form code (the payload it sends) is in its chunk, not in what every dashboard loads
    first_load = entry + (FOLDER / next(iter(static))).read_text()
    assert first_load.count("preset_params") < (FOLDER / editor).read_text().count("preset_params")
    assert '"bellas-reef-editor"' in (FOLDER / editor).read_text()
    chunks = {path.name for path in FOLDER.glob("*.js")} - {MODULE}
    assert chunks == {*static, editor}
    client = await hass_client()
    for name in chunks:
        answer = await client.get(f"/bellas_reef_frontend/{name}")
        assert answer.status == 200
        assert await answer.read() == (FOLDER / name).read_bytes()


async def test_the_panel_leaves_with_the_schedules_entry(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    (scheduler,) = [e for e in hass.config_entries.async_entries("bellas_reef") if e.title == "Schedules"]
    assert PANEL_PATH in hass.data[DATA_PANELS]
    assert await hass.config_entries.async_unload(scheduler.entry_id)
    assert PANEL_PATH not in hass.data[DATA_PANELS]


async def test_channels_and_a_day(
    hass: HomeAssistant, reef: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    await hass.config.async_set_time_zone("UTC")  # the reef's day in Home Assistant's zone
    client = await hass_ws_client(hass)
    for schedule in (DAY, FEED):
        assert (await ws(client, {"type": "bellas_reef/schedules/create", "schedule": schedule}))["success"]
    await hass.services.async_call("switch", "turn_on", {"entity_id": "switch.return_pump"}, blocking=True)
    await hass.async_block_till_done()
    channels = (await ws(client, {"type": "bellas_reef/channels/list"}))["result"]
    assert [(c["entity_id"], c["kind"], c["number"]) for c in channels] == [
        ("light.blue", "light", 0),
        ("light.white", "light", 1),
        ("switch.return_pump", "switch", 4),
    ]
    assert channels[0]["level"] == 80  # noon: the reef day's peak
    assert all(c["available"] for c in channels)
    day = (await ws(client, {"type": "bellas_reef/day", "date": "2027-06-10"}))["result"]
    assert (day["start"], day["end"], day["timezone"]) == (
        "2027-06-10T00:00:00+00:00",
        "2027-06-11T00:00:00+00:00",
        "UTC",
    )
    blue, white, pump = day["channels"]
    assert [(p["time"][11:16], p["level"]) for p in blue["points"]] == [
        ("00:00", 0.0),
        ("09:00", 0.0),
        ("11:00", 80.0),
        ("19:00", 80.0),
        ("20:00", 0.0),
        ("00:00", 0.0),
    ]
    assert blue["events"] == []  # a preset's steps are its curve, not events
    assert white["points"] == []  # nothing drives it
    assert [(e["time"][11:16], e["schedule_name"], e["action_type"]) for e in pump["events"]] == [
        ("08:30", "Feed", "off")
    ]
    # the pump runs; it is off for ten minutes from 08:30, then back on
    assert [(p["time"][11:16], p["level"]) for p in pump["points"]] == [
        ("00:00", 100.0),
        ("08:30", 100.0),
        ("08:30", 0.0),
        ("08:40", 0.0),
        ("08:40", 100.0),
        ("00:00", 100.0),
    ]
    only = (await ws(client, {"type": "bellas_reef/day", "targets": ["switch.return_pump"]}))["result"]
    assert [c["entity_id"] for c in only["channels"]] == ["switch.return_pump"]
    for bad, code in (
        ({"date": "2027-02-30"}, "invalid_date"),
        ({"date": "9999-12-31"}, "datetime_out_of_range"),
        ({"targets": ["switch.schedules_feed"]}, "unknown_target"),
        ({"resolution": 5}, "invalid_format"),
    ):
        answer = await ws(client, {"type": "bellas_reef/day", **bad})
        assert answer["error"]["code"] == code, bad


async def test_validate_tells_each_problem_at_its_field_and_stores_nothing(
    hass: HomeAssistant,
    reef: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
) -> None:
    client = await hass_ws_client(hass, hass_read_only_access_token)  # everyone may check
    bad = {**FEED, "cron_expression": "61 * * * *", "targets": ["light.kitchen"], "name": ""}
    answer = (await ws(client, {"type": "bellas_reef/schedules/validate", "schedule": bad}))["result"]
    assert not answer["valid"]
    fields = {problem["field"]: problem["code"] for problem in answer["problems"]}
    assert fields == {"name": "name_empty", "targets[0]": "unknown_target", "cron_expression": "invalid_cron"}
    assert all(problem["message"] for problem in answer["problems"])
    assert (await ws(client, {"type": "bellas_reef/schedules/validate", "schedule": FEED}))["result"] == {
        "valid": True,
        "problems": [],
    }
    assert engine_of(hass).schedules == {}
    made = await engine_of(hass).async_create({**FEED, "targets": ["sub-return-pump"]})
    update = {"schedule": {"cron_expression": "x"}, "schedule_id": made.id}
    problems = (await ws(client, {"type": "bellas_reef/schedules/validate", **update}))["result"]["problems"]
    assert [p["field"] for p in problems] == ["cron_expression"]
    assert engine_of(hass).schedules[made.id].cron_expression == "30 8 * * *"


async def test_enable_and_run_are_for_administrators(
    hass: HomeAssistant,
    reef: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
) -> None:
    made = await engine_of(hass).async_create({**FEED, "targets": ["sub-return-pump"]})
    guest = await hass_ws_client(hass, hass_read_only_access_token)
    for message in (
        {"type": "bellas_reef/schedules/set_enabled", "schedule_id": made.id, "enabled": False},
        {"type": "bellas_reef/schedules/run", "schedule_id": made.id},
    ):
        assert (await ws(guest, message))["error"]["code"] == "unauthorized"
    admin = await hass_ws_client(hass)
    answer = await ws(
        admin, {"type": "bellas_reef/schedules/set_enabled", "schedule_id": made.id, "enabled": False}
    )
    assert answer["result"]["enabled"] is False
    await hass.async_block_till_done()
    assert hass.states.get("switch.schedules_feed").state == "off"
    ran = await ws(admin, {"type": "bellas_reef/schedules/run", "schedule_id": made.id})
    assert [a["status"] for a in ran["result"]["actions"]] == ["success"]
    await hass.async_block_till_done()
    assert sim_chip(hass).duty(4) == 0
    assert DutyMap().duty(0) == 0


async def test_preview_has_the_exact_curve_too(
    hass: HomeAssistant, reef: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    client = await hass_ws_client(hass)
    answer = (await ws(client, {"type": "bellas_reef/preview", "schedule": DAY, "date": "2027-06-10"}))[
        "result"
    ]
    assert len(answer["levels"]) == 96  # every 15 minutes, as before
    assert [(p["time"][11:16], p["level"]) for p in answer["curve"]][1:3] == [("09:00", 0.0), ("11:00", 80.0)]


async def test_the_day_says_where_a_smooth_programme_is_taking_a_light(
    hass: HomeAssistant, reef: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    """The card tells a manual change from a ramp by the light's target: the day names the ramp's end (a
    smooth curve's samples show no corner there)."""
    await hass.config.async_set_time_zone("UTC")
    client = await hass_ws_client(hass)
    profile = {
        "name": "Fixture",
        "schedule_type": "static",
        "preset": "profile",
        "timezone": "UTC",
        "targets": ["light.white"],
        "preset_params": {
            "points": [{"time": "10:00", "level": 90}, {"time": "14:00", "level": 20}],
            "interpolation": "smooth",
        },
    }
    assert (await ws(client, {"type": "bellas_reef/schedules/create", "schedule": profile}))["success"]
    await hass.async_block_till_done()
    white = engine_of(hass).channels["sub-white"]
    assert white.level == pytest.approx(55)  # noon: half way down, smoothly
    assert white.target_level == 20  # what the light entity shows
    day = (await ws(client, {"type": "bellas_reef/day"}))["result"]
    channel = next(c for c in day["channels"] if c["entity_id"] == "light.white")
    assert channel["heading"] == {"level": 55.0, "target": 20.0}
    assert len(channel["points"]) > 40  # the smooth segments, sampled
    blue = next(c for c in day["channels"] if c["entity_id"] == "light.blue")
    assert blue["heading"] is None  # no schedule drives it
    other = (await ws(client, {"type": "bellas_reef/day", "date": "2027-06-11"}))["result"]
    assert all(c["heading"] is None for c in other["channels"])  # only today has a "now"
