"""Schedule entities (enable switch, next-run sensor), manual actions, reverts, retention, logbook."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_SYSTEM
from homeassistant.core import Context, Event, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bellas_reef import logbook
from custom_components.bellas_reef.driver.dimming import DutyMap
from custom_components.bellas_reef.engine.actions import ActionNotFoundError
from custom_components.bellas_reef.engine.core import ScheduleNotFoundError
from custom_components.bellas_reef.engine.history import ActionStatus, DeviceAction

from .conftest import advance, engine_of, sim_chip

T0 = datetime.fromisoformat("2027-03-01T07:00:00+00:00")

PUMP_INTERVAL = {
    "name": "Water circulation pump",
    "schedule_type": "interval",
    "interval_seconds": 3600,
    "start_time": "2027-03-01T08:00:00+00:00",
    "timezone": "UTC",
    "targets": ["sub-return-pump"],
    "action_type": "set_pwm",
    "action_params": {"duty": 75, "duration": 300},
}


@pytest.fixture
def reef_start() -> datetime:
    return T0


async def test_schedule_entities_follow_the_schedule(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    engine = engine_of(hass)
    schedule = await engine.async_create(PUMP_INTERVAL)
    await hass.async_block_till_done()
    switch = hass.states.get("switch.schedules_water_circulation_pump")
    assert switch.state == "on"
    sensor = hass.states.get("sensor.schedules_water_circulation_pump_next_run")
    assert sensor.state == "2027-03-01T08:00:00+00:00"
    assert sensor.attributes["targets"] == ["switch.return_pump"]
    assert sensor.attributes["last_run_status"] is None
    assert hass.states.get("sensor.schedules_next_run").state == "2027-03-01T08:00:00+00:00"
    # the user disables it from the switch: the timer goes at once
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.schedules_water_circulation_pump"}, blocking=True
    )
    assert engine.armed() == set()
    assert hass.states.get("sensor.schedules_water_circulation_pump_next_run").state == "unknown"
    await advance(hass, freezer, 3600)
    assert engine.history.query() == []
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.schedules_water_circulation_pump"}, blocking=True
    )
    assert engine.armed() == {schedule.id}
    assert (
        hass.states.get("sensor.schedules_water_circulation_pump_next_run").state
        == "2027-03-01T09:00:00+00:00"
    )
    # deleting the schedule removes its entities from the registry
    await engine.async_delete(schedule.id)
    await hass.async_block_till_done()
    registry = er.async_get(hass)
    assert registry.async_get("switch.schedules_water_circulation_pump") is None
    assert hass.states.get("switch.schedules_water_circulation_pump") is None
    assert hass.states.get("sensor.schedules_next_run").state == "unknown"
    with pytest.raises(ScheduleNotFoundError):
        await engine.async_set_enabled(schedule.id, enabled=True)


async def test_duration_reverts_and_is_pending_until_then(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    engine = engine_of(hass)
    await hass.services.async_call("switch", "turn_on", {"entity_id": "switch.return_pump"}, blocking=True)
    await engine.async_create(PUMP_INTERVAL)
    await advance(hass, freezer, 3600)  # 08:00
    chip = sim_chip(hass)
    assert chip.duty(4) == round(0.75 * 4096)
    pending = engine.history.query(status="pending")
    assert len(pending) == 1
    assert pending[0].action_type == "revert"
    assert pending[0].scheduled_time == T0 + timedelta(hours=1, seconds=300)
    await advance(hass, freezer, 300)
    assert chip.duty(4) == 4096  # back to what it was: on
    assert engine.history.get(pending[0].id).status is ActionStatus.SUCCESS


async def test_manual_actions_now_later_and_cancelled(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    engine = engine_of(hass)
    context = Context(user_id="user-1")
    now = await engine.actions.async_run_manual(
        ["sub-blue", "sub-white"], "set_level", {"level": 30}, context=context
    )
    assert [r.status for r in now] == [ActionStatus.SUCCESS, ActionStatus.SUCCESS]
    assert now[0].caused_by == "user:user-1"
    assert now[0].schedule_id is None
    chip = sim_chip(hass)
    assert chip.duty(0) == DutyMap().duty(30)
    later = await engine.actions.async_run_manual(
        ["sub-blue"],
        "set_pwm",
        {"duty": 50, "duration": 60},
        context=context,
        scheduled_time=T0 + timedelta(minutes=10),
    )
    assert later[0].status is ActionStatus.PENDING
    keep = await engine.actions.async_run_manual(
        ["sub-white"], "off", {}, context=context, scheduled_time=T0 + timedelta(minutes=10)
    )
    cancelled = await engine.actions.async_cancel(keep[0].id)
    assert cancelled.status is ActionStatus.CANCELLED
    with pytest.raises(ActionNotFoundError):
        await engine.actions.async_cancel(keep[0].id)
    await advance(hass, freezer, 600)
    assert chip.duty(0) == 2048
    assert chip.duty(1) == DutyMap().duty(30)  # the cancelled "off" did not happen
    await advance(hass, freezer, 60)
    assert chip.duty(0) == DutyMap().duty(30)  # reverted after 60 s


async def test_run_now_keeps_the_timer(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    engine = engine_of(hass)
    schedule = await engine.async_create(PUMP_INTERVAL)
    records = await engine.async_run_now(schedule.id, Context(user_id="u"))
    assert records[0].status is ActionStatus.SUCCESS
    assert records[0].caused_by == "user:u"
    after = engine.schedules[schedule.id]
    assert after.next_run == schedule.next_run
    assert after.last_run == T0
    assert sim_chip(hass).duty(4) == round(0.75 * 4096)


async def test_update_changes_type_and_rearms(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    engine = engine_of(hass)
    schedule = await engine.async_create(PUMP_INTERVAL)
    updated = await engine.async_update(
        schedule.id, {"schedule_type": "cron", "cron_expression": "30 7 * * *", "name": "Pump at half past"}
    )
    assert updated.interval_seconds is None
    # start_time (08:00 today) carries over: the first half past seven after it is tomorrow's
    assert updated.next_run == datetime.fromisoformat("2027-03-02T07:30:00+00:00")
    assert updated.created_at == schedule.created_at
    assert engine.armed() == {schedule.id}
    weekly = await engine.async_update(
        schedule.id,
        {"schedule_type": "recurring", "frequency": "weekly", "weekdays": ["tue"], "times": ["09:00"]},
    )
    daily = await engine.async_update(weekly.id, {"frequency": "daily"})
    assert daily.weekdays == ()
    assert daily.next_run == datetime.fromisoformat("2027-03-01T09:00:00+00:00")


async def test_retention_and_options(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    engine = engine_of(hass)
    old = DeviceAction("on", T0 - timedelta(days=40), target="sub-blue", status=ActionStatus.SUCCESS)
    old.updated_at = T0 - timedelta(days=40)
    recent = DeviceAction("on", T0 - timedelta(days=2), target="sub-blue", status=ActionStatus.SUCCESS)
    recent.updated_at = T0 - timedelta(days=2)
    engine.history.async_add(old)
    engine.history.async_add(recent)
    await advance(hass, freezer, 86_400)  # the daily clean-up
    assert engine.history.get(old.id) is None
    assert engine.history.get(recent.id) is not None
    scheduler = next(e for e in hass.config_entries.async_entries("bellas_reef") if e.data.get("entry_kind"))
    result = await hass.config_entries.options.async_init(scheduler.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["history", "feed", "maintenance", "manual"]
    result = await hass.config_entries.options.async_configure(result["flow_id"], {"next_step_id": "history"})
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"retention_days": 1, "max_records": 100}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert engine.retention_days == 1
    assert engine.max_records == 100
    assert engine.async_cleanup(1) == 1
    for index in range(150):
        record = DeviceAction("on", T0, target="sub-blue", status=ActionStatus.SUCCESS)
        record.updated_at = T0 + timedelta(days=1, seconds=index)
        engine.history.async_add(record)
    await advance(hass, freezer, 86_400)
    assert len(engine.history) == 100


async def test_scheduler_entry_is_single_and_not_reconfigurable(
    hass: HomeAssistant, reef: MockConfigEntry
) -> None:
    result = await hass.config_entries.flow.async_init("bellas_reef", context={"source": SOURCE_SYSTEM})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    scheduler = next(e for e in hass.config_entries.async_entries("bellas_reef") if e.data.get("entry_kind"))
    result = await hass.config_entries.flow.async_init(
        "bellas_reef", context={"source": SOURCE_RECONFIGURE, "entry_id": scheduler.entry_id}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "scheduler_not_reconfigurable"
    assert await hass.config_entries.async_unload(scheduler.entry_id)


def test_logbook_describes_actions() -> None:
    described = {}

    def register(domain: str, event_type: str, describe) -> None:
        described[(domain, event_type)] = describe

    logbook.async_describe_events(None, register)  # type: ignore[arg-type]
    describe = described[("bellas_reef", "bellas_reef_action")]
    ok = describe(
        Event(
            "bellas_reef_action",
            {
                "action": "ramp",
                "status": "success",
                "schedule_name": "Morning",
                "target_name": "Blue",
                "result": "ramp 0 % to 100 % over 1800 s",
                "error": None,
            },
        )
    )
    assert ok == {"name": "Blue", "message": "ramp success (schedule Morning): ramp 0 % to 100 % over 1800 s"}
    failed = describe(
        Event("bellas_reef_action", {"action": "on", "status": "failed", "target": "sub-x", "error": "gone"})
    )
    assert failed == {"name": "sub-x", "message": "on failed: gone"}
    fed = describe(
        Event(
            "bellas_reef_action",
            {
                "action": "mode_start",
                "status": "success",
                "target_name": "Return pump",
                "result": "feed mode: 0 % until 2027-06-01T08:39:00+00:00",
            },
        )
    )
    assert fed == {"name": "Return pump", "message": "feed mode: 0 % until 2027-06-01T08:39:00+00:00"}


async def test_schedules_past_the_limit_get_disabled_entities(
    hass: HomeAssistant, reef: MockConfigEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Home Assistant caps enabled entities per entry: past the limit, new schedules' entities start disabled."""
    monkeypatch.setattr("custom_components.bellas_reef.entity.ENABLED_SCHEDULES_MAX", 2)
    engine = engine_of(hass)
    for number in range(3):
        await engine.async_create({**PUMP_INTERVAL, "name": f"Pump {number}"})
    await hass.async_block_till_done()
    registry = er.async_get(hass)
    assert hass.states.get("switch.schedules_pump_0").state == "on"
    assert hass.states.get("sensor.schedules_pump_1_next_run") is not None
    for entity_id in ("switch.schedules_pump_2", "sensor.schedules_pump_2_next_run"):
        assert hass.states.get(entity_id) is None
        assert registry.async_get(entity_id).disabled_by is er.RegistryEntryDisabler.INTEGRATION
    # the schedule itself runs all the same, and the health figures count it
    assert len(engine.armed()) == 3
    assert hass.states.get("sensor.schedules_enabled_schedules").state == "3"


async def test_health_figures_match_a_recount_after_runs_and_cleanup(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """The figures are kept as things change; after runs, failures, deletes and cleanup they still add up."""
    engine = engine_of(hass)
    pump = await engine.async_create(PUMP_INTERVAL)
    broken = await engine.async_create({**PUMP_INTERVAL, "name": "Gone", "targets": ["sub-nowhere"]})
    for hour in (8, 9, 10):
        await advance(hass, freezer, to=datetime.fromisoformat(f"2027-03-01T{hour:02d}:00:00+00:00"))
    await engine.async_delete(broken.id)
    await engine.async_create({**PUMP_INTERVAL, "name": "Later", "enabled": False})

    def recount() -> dict:
        records = engine.history.query()
        by_status = {status.value: sum(1 for r in records if r.status is status) for status in ActionStatus}
        day_ago = datetime.fromisoformat("2027-03-01T10:00:00+00:00") - timedelta(days=1)
        return {
            "actions_by_status": by_status,
            "actions_total": len(records),
            "failed_last_24h": sum(
                1
                for r in records
                if r.status is ActionStatus.FAILED and (r.executed_time or r.updated_at) >= day_ago
            ),
            "schedules_enabled": sum(1 for s in engine.schedules.values() if s.enabled),
            "next_run": min(s.next_run for s in engine.schedules.values() if s.next_run).isoformat(),
        }

    stats = engine.statistics()
    assert {key: stats[key] for key in recount()} == recount()
    assert stats["actions_by_status"]["failed"] == 3  # "Gone" ran at 8, 9 and 10 on a missing channel
    assert stats["schedules_by_status"] == {"success": 1, "failed": 0, "skipped": 0, "never_run": 1}
    assert hass.states.get("sensor.schedules_failed_actions_24_h").state == "3"
    assert engine.schedules[pump.id].last_run is not None
    assert engine.timers_agree()
    engine.async_cleanup(0)
    stats = engine.statistics()
    assert {key: stats[key] for key in recount()} == recount()
    assert stats["failed_last_24h"] == 0


async def test_a_renamed_schedule_renames_its_entities(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    engine = engine_of(hass)
    schedule = await engine.async_create(PUMP_INTERVAL)
    await hass.async_block_till_done()
    await hass.services.async_call(
        "bellas_reef",
        "update_schedule",
        {"schedule_id": schedule.id, "name": "Gyre pump"},
        blocking=True,
    )
    await hass.async_block_till_done()
    switch = hass.states.get("switch.schedules_water_circulation_pump")  # the entity ids stay
    sensor = hass.states.get("sensor.schedules_water_circulation_pump_next_run")
    assert switch.attributes["friendly_name"] == "Schedules Gyre pump"
    assert sensor.attributes["friendly_name"] == "Schedules Gyre pump next run"
