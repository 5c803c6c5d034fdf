"""The websocket API of the dashboard card: the same operations and checks as the actions."""

from __future__ import annotations

from datetime import datetime

from homeassistant.core import Context, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from .conftest import engine_of

T0 = datetime.fromisoformat("2027-04-01T05:00:00+00:00")
PUMP = {
    "name": "Pump",
    "schedule_type": "interval",
    "interval_seconds": 600,
    "timezone": "UTC",
    "targets": ["switch.return_pump"],
    "action_type": "toggle",
}


@pytest.fixture
def reef_start() -> datetime:
    return T0


async def test_crud_list_and_subscribe(
    hass: HomeAssistant, reef: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "bellas_reef/schedules/subscribe"})
    assert (await client.receive_json())["success"]

    await client.send_json_auto_id({"type": "bellas_reef/schedules/create", "schedule": PUMP})
    pushed = await client.receive_json()
    assert pushed["type"] == "event"
    assert pushed["event"]["event"] == "schedule"
    created = await client.receive_json()
    assert created["success"]
    schedule_id = created["result"]["id"]
    assert created["result"]["targets"] == ["switch.return_pump"]

    await client.send_json_auto_id({"type": "bellas_reef/schedules/list", "enabled": True})
    listed = await client.receive_json()
    assert [s["id"] for s in listed["result"]] == [schedule_id]

    await client.send_json_auto_id({"type": "bellas_reef/schedules/get", "schedule_id": schedule_id})
    assert (await client.receive_json())["result"]["name"] == "Pump"

    await client.send_json_auto_id(
        {"type": "bellas_reef/schedules/update", "schedule_id": schedule_id, "changes": {"name": "Wave pump"}}
    )
    pushed = await client.receive_json()
    assert pushed["event"]["schedule"]["name"] == "Wave pump"
    assert (await client.receive_json())["result"]["name"] == "Wave pump"

    await engine_of(hass).async_run_now(schedule_id, Context())
    kinds = set()
    for _ in range(2):  # the device action, then the schedule's new run record
        message = await client.receive_json()
        kinds.add(message["event"]["event"])
    assert kinds == {"action", "schedule"}

    await client.send_json_auto_id({"type": "bellas_reef/actions/list", "target": "switch.return_pump"})
    actions = (await client.receive_json())["result"]
    assert actions[0]["status"] == "success"
    assert actions[0]["target_entity_id"] == "switch.return_pump"

    await client.send_json_auto_id({"type": "bellas_reef/preview", "schedule_id": schedule_id, "count": 2})
    preview = (await client.receive_json())["result"]
    assert preview["next_runs"] == ["2027-04-01T05:10:00+00:00", "2027-04-01T05:20:00+00:00"]

    await client.send_json_auto_id({"type": "bellas_reef/schedules/delete", "schedule_id": schedule_id})
    pushed = await client.receive_json()
    assert pushed["event"] == {"event": "removed", "schedule_id": schedule_id}
    assert (await client.receive_json())["success"]


@pytest.mark.parametrize(
    ("message", "code", "needle"),
    [
        ({"type": "bellas_reef/schedules/get", "schedule_id": "nope"}, "schedule_not_found", "nope"),
        (
            {"type": "bellas_reef/schedules/create", "schedule": {**PUMP, "interval_seconds": 0}},
            "invalid_schedule",
            "interval_seconds",
        ),
        (
            {"type": "bellas_reef/schedules/update", "schedule_id": "nope", "changes": {}},
            "schedule_not_found",
            "nope",
        ),
        ({"type": "bellas_reef/schedules/delete", "schedule_id": "nope"}, "schedule_not_found", "nope"),
        ({"type": "bellas_reef/actions/list", "target": "light.kitchen"}, "unknown_target", "light.kitchen"),
        ({"type": "bellas_reef/preview"}, "preview_needs_schedule", "schedule"),
        (
            {"type": "bellas_reef/schedules/list", "target": "light.kitchen"},
            "unknown_target",
            "light.kitchen",
        ),
    ],
)
async def test_errors(
    hass: HomeAssistant,
    reef: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    message: dict,
    code: str,
    needle: str,
) -> None:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(message)
    answer = await client.receive_json()
    assert not answer["success"]
    assert answer["error"]["code"] == code
    assert needle in answer["error"]["message"]
    assert engine_of(hass).schedules == {}


async def test_writes_need_an_admin(
    hass: HomeAssistant,
    reef: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
) -> None:
    client = await hass_ws_client(hass, hass_read_only_access_token)
    for message in (
        {"type": "bellas_reef/schedules/create", "schedule": PUMP},
        {"type": "bellas_reef/schedules/update", "schedule_id": "x", "changes": {}},
        {"type": "bellas_reef/schedules/delete", "schedule_id": "x"},
    ):
        await client.send_json_auto_id(message)
        answer = await client.receive_json()
        assert answer["error"]["code"] == "unauthorized"
    await client.send_json_auto_id({"type": "bellas_reef/schedules/list"})
    assert (await client.receive_json())["result"] == []
    assert engine_of(hass).schedules == {}


async def test_the_keeper_over_the_websocket(
    hass: HomeAssistant,
    reef: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_access_token: str,
    hass_read_only_access_token: str,
    plain_user,
) -> None:
    """Feed for everyone who may press its button; maintenance, ending and resuming for administrators."""
    entry = next(e for e in hass.config_entries.async_entries("bellas_reef") if e.data.get("entry_kind"))
    hass.config_entries.async_update_entry(
        entry,
        options={
            "modes": {"feed": {"off": ["sub-return-pump"]}, "maintenance": {"off": ["sub-return-pump"]}}
        },
    )
    await hass.async_block_till_done()
    read_only = await hass_ws_client(hass, hass_read_only_access_token)
    for message in (
        {"type": "bellas_reef/keeper/start", "mode": "feed"},
        {"type": "bellas_reef/keeper/start", "mode": "maintenance"},
        {"type": "bellas_reef/keeper/end", "mode": "feed"},
        {"type": "bellas_reef/keeper/resume", "targets": ["light.blue"]},
    ):
        await read_only.send_json_auto_id(message)
        assert (await read_only.receive_json())["error"]["code"] == "unauthorized", message
    await read_only.send_json_auto_id({"type": "bellas_reef/keeper/status"})
    assert (await read_only.receive_json())["result"]["modes"]["feed"]["active"] is False

    token = hass.auth.async_create_access_token(
        await hass.auth.async_create_refresh_token(plain_user, "https://example.com/")
    )
    user_client = await hass_ws_client(hass, token)
    await user_client.send_json_auto_id({"type": "bellas_reef/keeper/start", "mode": "maintenance"})
    assert (await user_client.receive_json())["error"]["code"] == "unauthorized"
    await user_client.send_json_auto_id({"type": "bellas_reef/keeper/start", "mode": "feeding"})
    assert (await user_client.receive_json())["error"]["code"] == "unknown_mode"
    await user_client.send_json_auto_id({"type": "bellas_reef/keeper/start", "mode": "feed"})
    started = await user_client.receive_json()
    assert started["result"]["modes"]["feed"]["active"] is True
    assert engine_of(hass).keeper.state.modes

    admin = await hass_ws_client(hass, hass_access_token)
    await admin.send_json_auto_id({"type": "bellas_reef/schedules/subscribe"})
    assert (await admin.receive_json())["success"]
    await admin.send_json_auto_id({"type": "bellas_reef/keeper/end", "mode": "feed"})
    kinds = set()
    while True:
        message = await admin.receive_json()
        if message["type"] == "result":
            assert message["result"]["modes"]["feed"]["active"] is False
            break
        kinds.add(message["event"]["event"])
    assert "keeper" in kinds
    await admin.send_json_auto_id({"type": "bellas_reef/keeper/end", "mode": "feed"})
    message = await admin.receive_json()
    while message["type"] == "event":
        message = await admin.receive_json()
    assert message["error"]["code"] == "mode_not_active"
