"""Every action (service): success, each validation error with its key, permissions, nothing changed on error."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed_exact

from custom_components.bellas_reef.driver.dimming import DutyMap
from custom_components.bellas_reef.helpers import ANSWER_ONLY_FIELDS
from custom_components.bellas_reef.scheduling import Schedule

from .conftest import engine_of, sim_chip

T0 = datetime.fromisoformat("2027-04-01T05:00:00+00:00")

MORNING_RAMP = {
    "name": "Morning Light Ramp",
    "schedule_type": "cron",
    "cron_expression": "0 6 * * *",
    "timezone": "US/Pacific",
    "targets": ["light.blue", "light.white"],
    "action_type": "ramp",
    "action_params": {"start_level": 0, "end_level": 100, "duration": 1800},
}
CIRCULATION = {
    "name": "Water Circulation Pump",
    "schedule_type": "interval",
    "interval_seconds": 3600,
    "targets": ["switch.return_pump"],
    "action_type": "set_level",
    "action_params": {"level": 75, "duration": 300},
}


@pytest.fixture
def reef_start() -> datetime:
    return T0


async def call(hass: HomeAssistant, service: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    return await hass.services.async_call(
        "bellas_reef",
        service,
        data or {},
        blocking=True,
        return_response=kwargs.pop("response", True),
        **kwargs,
    )


async def test_seed_examples(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """The original design's examples, as written."""
    ramp = (await call(hass, "create_schedule", MORNING_RAMP))["schedule"]
    assert ramp["targets"] == ["light.blue", "light.white"]
    assert ramp["target_channels"] == ["sub-blue", "sub-white"]
    assert ramp["next_run"] == "2027-04-01T13:00:00+00:00"  # 06:00 in US/Pacific (PDT)
    pump = (await call(hass, "create_schedule", CIRCULATION))["schedule"]
    assert pump["timezone"] == hass.config.time_zone
    assert pump["next_run"] == (T0 + timedelta(hours=1)).isoformat()
    manual = await call(
        hass,
        "run_action",
        {
            "targets": ["light.blue"],
            "action_type": "set_pwm",
            "action_params": {"duty": 50, "duration": 60},
            "scheduled_time": (T0 + timedelta(minutes=30)).isoformat(),
        },
    )
    assert manual["actions"][0]["status"] == "pending"
    assert manual["actions"][0]["target_entity_id"] == "light.blue"
    chip = sim_chip(hass)
    freezer.move_to(T0 + timedelta(minutes=30))
    async_fire_time_changed_exact(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert chip.duty(0) == 2048
    freezer.move_to(T0 + timedelta(minutes=31))
    async_fire_time_changed_exact(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert chip.duty(0) == 0
    freezer.move_to(T0 + timedelta(hours=1))
    async_fire_time_changed_exact(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert chip.duty(4) == round(0.75 * 4096)
    actions = (await call(hass, "get_actions", {"target": "switch.return_pump"}))["actions"]
    assert [a["status"] for a in actions] == ["pending", "success"]  # the revert waits, the run succeeded


async def test_crud_and_reads(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    created = (await call(hass, "create_schedule", CIRCULATION))["schedule"]
    schedule_id = created["id"]
    updated = (await call(hass, "update_schedule", {"schedule_id": schedule_id, "interval_seconds": 1800}))[
        "schedule"
    ]
    assert updated["interval_seconds"] == 1800
    assert updated["created_at"] == created["created_at"]
    assert (await call(hass, "disable_schedule", {"schedule_id": schedule_id}))["schedule"][
        "enabled"
    ] is False
    assert (await call(hass, "enable_schedule", {"schedule_id": schedule_id}))["schedule"]["enabled"] is True
    listed = (await call(hass, "get_schedules", {"enabled": True, "target": "switch.return_pump"}))[
        "schedules"
    ]
    assert [s["id"] for s in listed] == [schedule_id]
    assert (await call(hass, "get_schedules", {"schedule_type": "cron"}))["schedules"] == []
    assert (await call(hass, "get_schedules", {"status": "never_run"}))["schedules"][0]["id"] == schedule_id
    assert (await call(hass, "get_schedules", {"schedule_id": schedule_id}))["schedules"][0][
        "name"
    ] == CIRCULATION["name"]
    stats = await call(hass, "get_statistics")
    assert stats["schedules_by_type"]["interval"] == 1
    assert stats["schedules_enabled"] == 1
    ran = await call(hass, "run_schedule", {"schedule_id": schedule_id})
    assert ran["actions"][0]["status"] == "success"
    assert (await call(hass, "get_statistics"))["actions_by_status"]["success"] == 1
    pending = (await call(hass, "get_actions", {"status": "pending"}))["actions"]
    cancelled = await call(hass, "cancel_action", {"action_id": pending[0]["id"]})
    assert cancelled["action"]["status"] == "cancelled"
    assert (await call(hass, "cleanup_actions", {"older_than_days": 0}))["removed"] == 2
    deleted = await call(hass, "delete_schedule", {"schedule_id": schedule_id})
    assert deleted["schedule"]["id"] == schedule_id
    assert engine_of(hass).schedules == {}


async def test_an_answer_is_the_stored_schedule_and_what_it_adds(
    hass: HomeAssistant, reef: MockConfigEntry
) -> None:
    """What an answer adds is named once: without it, an answer reads back as the schedule stored."""
    created = (
        await call(hass, "create_schedule", {**MORNING_RAMP, "acclimation": {"start_percent": 50, "days": 7}})
    )["schedule"]
    stored = engine_of(hass).schedules[created["id"]]
    assert created.keys() >= ANSWER_ONLY_FIELDS
    kept = {k: v for k, v in created.items() if k not in ANSWER_ONLY_FIELDS}
    assert Schedule.from_dict({**kept, "targets": created["target_channels"]}) == stored


async def test_preview_touches_no_hardware(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    writes_before = reef.runtime_data.board.stats.writes
    result = await call(
        hass,
        "preview",
        {
            "schedule": {
                "name": "Reef day",
                "schedule_type": "static",
                "preset": "diurnal",
                "preset_params": {
                    "sunrise": "09:00",
                    "sunrise_minutes": 60,
                    "peak_level": 80,
                    "sunset": "18:00",
                    "sunset_minutes": 60,
                },
                "timezone": "UTC",
                "targets": ["light.blue"],
            },
            "count": 3,
            "date": "2027-04-01",
        },
    )
    assert result["next_runs"] == [
        "2027-04-01T09:00:00+00:00",
        "2027-04-01T18:00:00+00:00",
        "2027-04-02T09:00:00+00:00",
    ]
    levels = {point["time"]: point["level"] for point in result["levels"]}
    assert len(levels) == 96
    assert levels["2027-04-01T09:30:00+00:00"] == 40
    assert levels["2027-04-01T12:00:00+00:00"] == 80
    assert reef.runtime_data.board.stats.writes == writes_before
    assert engine_of(hass).schedules == {}
    stored = (await call(hass, "create_schedule", MORNING_RAMP))["schedule"]
    again = await call(hass, "preview", {"schedule_id": stored["id"], "count": 2})
    assert again["next_runs"] == ["2027-04-01T13:00:00+00:00", "2027-04-02T13:00:00+00:00"]


@pytest.mark.parametrize(
    ("service", "data", "key", "needle"),
    [
        ("update_schedule", {"schedule_id": "nope", "name": "x"}, "schedule_not_found", "nope"),
        ("delete_schedule", {"schedule_id": "nope"}, "schedule_not_found", "nope"),
        ("enable_schedule", {}, "missing_field", "schedule_id"),
        ("disable_schedule", {"schedule_id": "nope"}, "schedule_not_found", "nope"),
        ("run_schedule", {"schedule_id": "nope"}, "schedule_not_found", "nope"),
        ("cancel_action", {"action_id": "nope"}, "action_not_found", "nope"),
        ("cancel_action", {}, "missing_field", "action_id"),
        (
            "run_action",
            {"targets": ["light.kitchen"], "action_type": "on"},
            "unknown_target",
            "light.kitchen",
        ),
        ("run_action", {"targets": ["light.blue"], "action_type": "dance"}, "invalid_schedule", "dance"),
        (
            "run_action",
            {"targets": ["light.blue"], "action_type": "on", "scheduled_time": "2020-01-01T00:00:00+00:00"},
            "scheduled_time_in_past",
            "2020",
        ),
        (
            "run_action",
            {"targets": ["light.blue"], "action_type": "on", "scheduled_time": "soon"},
            "invalid_datetime",
            "soon",
        ),
        ("get_actions", {"limit": "lots"}, "invalid_number", "lots"),
        ("get_actions", {"target": "switch.kettle"}, "unknown_target", "switch.kettle"),
        ("get_actions", {"schedule_id": "nope"}, "schedule_not_found", "nope"),
        ("get_schedules", {"target": "light.kitchen"}, "unknown_target", "light.kitchen"),
        ("preview", {}, "preview_needs_schedule", "schedule_id"),
        ("preview", {"schedule_id": "nope"}, "schedule_not_found", "nope"),
        ("preview", {"schedule": {"name": "x"}}, "invalid_schedule", "schedule_type is required"),
        ("cleanup_actions", {"older_than_days": -1}, "invalid_number", "-1"),
    ],
)
async def test_errors_name_the_problem(
    hass: HomeAssistant, reef: MockConfigEntry, service: str, data: dict[str, Any], key: str, needle: str
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, service, data)
    assert err.value.translation_key == key
    assert needle in str(err.value)


async def test_create_reports_every_problem_and_changes_nothing(
    hass: HomeAssistant, reef: MockConfigEntry, hass_storage: dict
) -> None:
    before = dict(hass_storage)
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "create_schedule",
            {
                "name": "",
                "schedule_type": "cron",
                "cron_expression": "99 * * * *",
                "timezone": "Mars/Olympus",
                "targets": ["light.blue", "light.kitchen"],
                "action_type": "ramp",
                "action_params": {"end_level": 150},
                "end_time": "2020-01-01T00:00:00+00:00",
                "start_time": "2021-01-01T00:00:00+00:00",
            },
        )
    message = str(err.value)
    assert err.value.translation_key == "invalid_schedule"
    for needle in ("light.kitchen", "cron", "Mars/Olympus", "end_level", "duration", "name", "end_time"):
        assert needle in message, needle
    assert int(err.value.translation_placeholders["count"]) >= 7
    assert engine_of(hass).schedules == {}
    assert hass_storage.get("bellas_reef.schedules") == before.get("bellas_reef.schedules")
    with pytest.raises(ServiceValidationError) as past:
        await call(
            hass,
            "create_schedule",
            {
                **CIRCULATION,
                "schedule_type": "one_off",
                "run_at": "2027-04-01T04:00:00+00:00",
                "interval_seconds": None,
            },
        )
    assert "in the past" in str(past.value)


async def test_update_rejects_without_changing(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    created = (await call(hass, "create_schedule", CIRCULATION))["schedule"]
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "update_schedule",
            {"schedule_id": created["id"], "interval_seconds": 0, "targets": ["light.x"]},
        )
    assert "light.x" in str(err.value)
    assert "interval_seconds" in str(err.value)
    assert engine_of(hass).schedules[created["id"]].interval_seconds == 3600


async def test_channel_of_an_unloaded_board(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    await hass.config_entries.async_unload(reef.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "run_action", {"targets": ["light.blue"], "action_type": "on"})
    assert err.value.translation_key == "channel_not_loaded"


async def test_validate_and_repairs(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    created = (await call(hass, "create_schedule", CIRCULATION))["schedule"]
    result = await call(hass, "validate")
    assert result == {"valid": True, "schedules": [], "unreadable": []}
    hass.config_entries.async_remove_subentry(reef, "sub-return-pump")
    await hass.async_block_till_done()
    result = await call(hass, "validate")
    assert result["valid"] is False
    assert result["schedules"][0]["missing_targets"] == ["sub-return-pump"]
    assert ir.async_get(hass).async_get_issue("bellas_reef", f"missing_target_{created['id']}") is not None


async def test_admin_only_writes(
    hass: HomeAssistant, reef: MockConfigEntry, hass_read_only_user: User, plain_user: User
) -> None:
    context = Context(user_id=plain_user.id)
    for service, data in (
        ("create_schedule", CIRCULATION),
        ("update_schedule", {"schedule_id": "x"}),
        ("delete_schedule", {"schedule_id": "x"}),
        ("enable_schedule", {"schedule_id": "x"}),
        ("disable_schedule", {"schedule_id": "x"}),
        ("cleanup_actions", {}),
        ("run_schedule", {"schedule_id": "x"}),
    ):
        with pytest.raises(Unauthorized):
            await call(hass, service, data, context=context)
    assert engine_of(hass).schedules == {}
    # reading is for every user; a manual action for those who may control the channel's entity
    assert (await call(hass, "get_schedules", context=context))["schedules"] == []
    level = {"targets": ["light.blue"], "action_type": "set_level", "action_params": {"level": 20}}
    with pytest.raises(Unauthorized):
        await call(hass, "run_action", level, context=Context(user_id=hass_read_only_user.id))
    ran = await call(hass, "run_action", level, context=context)
    assert ran["actions"][0]["caused_by"] == f"user:{plain_user.id}"
    await hass.async_block_till_done()
    assert sim_chip(hass).duty(0) == DutyMap().duty(20)
