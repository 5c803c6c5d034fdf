"""The scheduler in Home Assistant: every type fires at its instant and moves the board; history; failures."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Context, HomeAssistant, ServiceCall, callback
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.bellas_reef.const import EVENT_ACTION
from custom_components.bellas_reef.driver.dimming import DutyMap
from custom_components.bellas_reef.engine.history import ActionStatus
from custom_components.bellas_reef.scheduling import ScheduleError
from custom_components.bellas_reef.scheduling.const import RunStatus

from ..conftest import advance, engine_of, sim_bus, sim_chip

T0 = datetime.fromisoformat("2027-01-15T05:59:00+00:00")


@pytest.fixture
def reef_start() -> datetime:
    return T0


async def test_scheduler_entry_is_created(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    entries = hass.config_entries.async_entries("bellas_reef")
    scheduler = [e for e in entries if e.data.get("entry_kind") == "scheduler"]
    assert len(scheduler) == 1
    assert scheduler[0].title == "Schedules"
    assert hass.states.get("binary_sensor.schedules_scheduler_problem").state == "off"
    assert hass.states.get("sensor.schedules_enabled_schedules").state == "0"


async def test_cron_ramp_fires_at_its_instant_and_ends_exactly(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    engine = engine_of(hass)
    events = async_capture_events(hass, EVENT_ACTION)
    schedule = await engine.async_create(
        {
            "name": "Morning light ramp",
            "schedule_type": "cron",
            "cron_expression": "0 6 * * *",
            "timezone": "UTC",
            "targets": ["sub-blue", "sub-white"],
            "action_type": "ramp",
            "action_params": {"start_level": 0, "end_level": 100, "duration": 1800},
        }
    )
    assert schedule.next_run == datetime.fromisoformat("2027-01-15T06:00:00+00:00")
    assert engine.armed() == {schedule.id}
    chip = sim_chip(hass)
    await advance(hass, freezer, to=datetime.fromisoformat("2027-01-15T05:59:59.999+00:00"))
    assert chip.duty(0) == 0  # not a moment early
    await advance(hass, freezer, to=schedule.next_run)
    seen = [chip.duty(0)]
    for _ in range(180):
        await advance(hass, freezer, 10)
        seen.append(chip.duty(0))
        assert chip.duty(1) == chip.duty(0)
    assert seen == sorted(seen)
    assert seen[-2] < 4096
    assert seen[-1] == 4096  # exactly at 06:30
    assert len(set(seen)) > 150
    records = engine.history.query(schedule_id=schedule.id)
    assert {r.target for r in records} == {"sub-blue", "sub-white"}
    assert all(r.status is ActionStatus.SUCCESS for r in records)
    assert all(r.scheduled_time == schedule.next_run for r in records)
    assert records[0].result == "ramp 0 % to 100 % over 1800 s"
    current = engine.schedules[schedule.id]
    assert current.last_run == schedule.next_run
    assert current.last_run_status is RunStatus.SUCCESS
    assert current.next_run == datetime.fromisoformat("2027-01-16T06:00:00+00:00")
    assert [e.data["status"] for e in events] == ["success", "success"]
    assert events[0].data["schedule_name"] == "Morning light ramp"
    assert events[0].data["target_name"] in {"Blue", "White"}


@pytest.mark.parametrize(
    ("definition", "first", "second"),
    [
        (
            {"schedule_type": "one_off", "run_at": "2027-01-15T06:30:00+00:00"},
            "2027-01-15T06:30:00+00:00",
            None,
        ),
        (
            {
                "schedule_type": "interval",
                "interval_seconds": 3600,
                "start_time": "2027-01-15T06:15:00+00:00",
            },
            "2027-01-15T06:15:00+00:00",
            "2027-01-15T07:15:00+00:00",
        ),
        (
            {
                "schedule_type": "recurring",
                "frequency": "weekly",
                "weekdays": ["fri", "mon"],
                "times": ["07:00"],
            },
            "2027-01-15T07:00:00+00:00",
            "2027-01-18T07:00:00+00:00",
        ),
        (
            {"schedule_type": "recurring", "frequency": "monthly", "days_of_month": [-1], "times": ["08:00"]},
            "2027-01-31T08:00:00+00:00",
            "2027-02-28T08:00:00+00:00",
        ),
    ],
)
async def test_every_type_fires_and_moves_the_board(
    hass: HomeAssistant,
    reef: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    definition: dict,
    first: str,
    second: str | None,
) -> None:
    engine = engine_of(hass)
    schedule = await engine.async_create(
        {
            "name": "Pump on",
            "timezone": "UTC",
            "targets": ["sub-return-pump"],
            "action_type": "on",
            **definition,
        }
    )
    assert schedule.next_run == datetime.fromisoformat(first)
    chip = sim_chip(hass)
    await advance(hass, freezer, to=schedule.next_run - timedelta(seconds=1))
    assert chip.duty(4) == 0
    await advance(hass, freezer, to=schedule.next_run)
    assert chip.duty(4) == 4096
    assert hass.states.get("switch.return_pump").state == "on"
    after = engine.schedules[schedule.id]
    assert after.next_run == (datetime.fromisoformat(second) if second else None)
    assert after.last_run_status is RunStatus.SUCCESS


async def test_static_diurnal_runs_its_ramps(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    engine = engine_of(hass)
    schedule = await engine.async_create(
        {
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
            "targets": ["sub-blue"],
        }
    )
    chip = sim_chip(hass)
    assert chip.duty(0) == 0  # night at 05:59
    assert schedule.next_run == datetime.fromisoformat("2027-01-15T09:00:00+00:00")
    await advance(hass, freezer, to=schedule.next_run)
    await advance(hass, freezer, to=datetime.fromisoformat("2027-01-15T09:30:00+00:00"))
    assert chip.duty(0) == DutyMap().duty(40)
    await advance(hass, freezer, to=datetime.fromisoformat("2027-01-15T10:00:00+00:00"))
    assert chip.duty(0) == DutyMap().duty(80)
    assert engine.schedules[schedule.id].next_run == datetime.fromisoformat("2027-01-15T18:00:00+00:00")
    await advance(hass, freezer, to=datetime.fromisoformat("2027-01-15T18:00:00+00:00"))
    await advance(hass, freezer, to=datetime.fromisoformat("2027-01-15T19:00:00+00:00"))
    assert chip.duty(0) == 0


async def test_group_with_a_failing_target(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    engine = engine_of(hass)
    schedule = await engine.async_create(
        {
            "name": "All lights",
            "schedule_type": "one_off",
            "run_at": "2027-01-15T06:00:00+00:00",
            "timezone": "UTC",
            "targets": ["sub-blue", "sub-gone", "sub-white"],
            "action_type": "set_level",
            "action_params": {"level": 50},
        }
    )
    issue = ir.async_get(hass).async_get_issue("bellas_reef", f"missing_target_{schedule.id}")
    assert issue is not None
    assert issue.translation_placeholders == {"schedule": "All lights", "targets": "sub-gone"}
    await advance(hass, freezer, to=schedule.next_run)
    records = {r.target: r for r in engine.history.query(schedule_id=schedule.id)}
    assert records["sub-blue"].status is ActionStatus.SUCCESS
    assert records["sub-white"].status is ActionStatus.SUCCESS
    assert records["sub-gone"].status is ActionStatus.FAILED
    assert "not loaded" in records["sub-gone"].error_message
    assert sim_chip(hass).duty(0) == sim_chip(hass).duty(1) == DutyMap().duty(50)
    assert engine.schedules[schedule.id].last_run_status is RunStatus.FAILED
    problem = hass.states.get("binary_sensor.schedules_scheduler_problem")
    assert problem.state == "on"
    assert any("All lights" in p for p in problem.attributes["problems"])
    assert hass.states.get("sensor.schedules_failed_actions_24_h").state == "1"
    # fixing the targets clears the repair issue
    await engine.async_update(schedule.id, {"targets": ["sub-blue"], "run_at": "2027-01-16T06:00:00+00:00"})
    assert ir.async_get(hass).async_get_issue("bellas_reef", f"missing_target_{schedule.id}") is None


async def test_board_not_answering_fails_the_action(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    engine = engine_of(hass)
    sim_bus(hass).fail_next(10_000)
    for _ in range(6):
        await advance(hass, freezer, 31)
    assert not reef.runtime_data.board.available
    records = await engine.actions.async_run_manual(["sub-return-pump"], "on", {}, context=Context())
    assert records[0].status is ActionStatus.FAILED
    assert "not answering" in records[0].error_message
    assert hass.states.get("binary_sensor.schedules_scheduler_problem").state == "on"


async def test_end_time_disables(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    engine = engine_of(hass)
    schedule = await engine.async_create(
        {
            "name": "Short lived",
            "schedule_type": "interval",
            "interval_seconds": 600,
            "start_time": "2027-01-15T06:00:00+00:00",
            "end_time": "2027-01-15T06:10:00+00:00",
            "timezone": "UTC",
            "targets": ["sub-return-pump"],
            "action_type": "toggle",
        }
    )
    await advance(hass, freezer, to=datetime.fromisoformat("2027-01-15T06:00:00+00:00"))
    await advance(hass, freezer, to=datetime.fromisoformat("2027-01-15T06:10:00+00:00"))
    final = engine.schedules[schedule.id]
    assert final.last_run == datetime.fromisoformat("2027-01-15T06:10:00+00:00")
    assert final.next_run is None
    assert not final.enabled
    assert engine.armed() == set()
    assert sim_chip(hass).duty(4) == 0  # toggled on, then off


async def test_custom_action_calls_a_service_with_context(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    calls: list[ServiceCall] = []

    @callback
    def record(call: ServiceCall) -> None:
        calls.append(call)

    hass.services.async_register("notify_test", "reef", record)
    engine = engine_of(hass)
    schedule = await engine.async_create(
        {
            "name": "Remind dosing",
            "schedule_type": "one_off",
            "run_at": "2027-01-15T06:00:00+00:00",
            "timezone": "UTC",
            "targets": ["sub-blue"],
            "action_type": "custom",
            "action_params": {"service": "notify_test.reef", "data": {"message": "dose now"}},
        }
    )
    await advance(hass, freezer, to=schedule.next_run)
    assert len(calls) == 1
    assert calls[0].data == {"message": "dose now"}
    records = engine.history.query(schedule_id=schedule.id)
    assert len(records) == 1
    assert records[0].target is None
    assert records[0].status is ActionStatus.SUCCESS
    # the call has a context of its own, whose parent is the run's, and the rights of the schedule's creator
    assert calls[0].context.parent_id == records[0].context_id
    assert calls[0].context.user_id is None
    bad = await engine.actions.async_run_manual(
        ["sub-blue"], "custom", {"service": "nothing.here"}, context=calls[0].context
    )
    assert bad[0].status is ActionStatus.FAILED
    assert "does not exist" in bad[0].error_message


async def test_invalid_schedule_changes_nothing(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    engine = engine_of(hass)
    with pytest.raises(ScheduleError) as err:
        await engine.async_create(
            {
                "name": "",
                "schedule_type": "cron",
                "cron_expression": "61 * * *",
                "targets": [],
                "action_type": "on",
            }
        )
    codes = {p.code.value for p in err.value.problems}
    assert {"name_empty", "invalid_cron", "empty_targets"} <= codes
    assert engine.schedules == {}
    with pytest.raises(ScheduleError) as past:
        await engine.async_create(
            {
                "name": "Too late",
                "schedule_type": "one_off",
                "run_at": "2027-01-15T05:00:00+00:00",
                "targets": ["sub-blue"],
                "action_type": "on",
            }
        )
    assert [p.code.value for p in past.value.problems] == ["run_at_in_past"]


async def test_a_reef_days_timer_that_fires_hours_late_finds_the_day_where_it_is(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """The loop was stalled (or the clock jumped at boot) from before the sunrise to noon: the late sunrise run
    puts Blue at the peak at once, and the sunset's run, late too, at night."""
    engine = engine_of(hass)
    await engine.async_create(
        {
            "name": "Reef day",
            "schedule_type": "static",
            "preset": "diurnal",
            "timezone": "UTC",
            "targets": ["sub-blue"],
            "preset_params": {
                "sunrise": "08:00",
                "sunrise_minutes": 60,
                "peak_level": 80,
                "sunset": "18:00",
                "sunset_minutes": 60,
            },
        }
    )
    await advance(hass, freezer, to=datetime.fromisoformat("2027-01-15T12:00:00+00:00"))
    blue = engine.channels["sub-blue"]
    assert blue.level == pytest.approx(80)
    await advance(hass, freezer, to=datetime.fromisoformat("2027-01-16T01:00:00+00:00"))
    assert blue.level == 0
