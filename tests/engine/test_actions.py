"""Each action type on a real channel, and the ways an action can fail."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
import errno

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import Context, CoreState, HomeAssistant, ServiceCall
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed_exact

from custom_components.bellas_reef.const import CUSTOM_TIMEOUT
from custom_components.bellas_reef.driver.dimming import DutyMap, lightness_to_luminance
from custom_components.bellas_reef.engine import runner
from custom_components.bellas_reef.engine.history import ActionStatus
from custom_components.bellas_reef.scheduling import Schedule, ScheduleError

from ..conftest import engine_of, setup_entry, sim_bus, sim_chip, stored

T0 = datetime.fromisoformat("2027-03-01T07:00:00+00:00")


@pytest.fixture
def reef_start() -> datetime:
    return T0


async def run(hass: HomeAssistant, targets: list[str], action: str, **params: object):
    return await engine_of(hass).actions.async_run_manual(targets, action, params, context=Context())


async def test_on_off_toggle(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    chip = sim_chip(hass)
    records = await run(hass, ["sub-blue", "sub-return-pump"], "toggle")
    assert [r.result for r in records] == ["toggled on", "toggled on"]
    assert chip.duty(0) == 4096
    assert chip.duty(4) == 4096
    records = await run(hass, ["sub-blue"], "toggle")
    assert records[0].result == "toggled off"
    assert chip.duty(0) == 0
    records = await run(hass, ["sub-return-pump"], "off")
    assert records[0].result == "off"
    assert chip.duty(4) == 0
    records = await run(hass, ["sub-return-pump"], "on")
    assert records[0].result == "on at 100 %"


async def test_linear_ramp(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    chip = sim_chip(hass)
    await run(hass, ["sub-blue"], "ramp", start_level=0, end_level=100, duration=100, curve="linear")
    freezer.tick(timedelta(seconds=50))
    async_fire_time_changed_exact(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    # linear in light output: half the light half-way (on the perceptual channel, level ~76)
    assert abs(chip.duty(0) - 2048) <= 2
    assert abs(lightness_to_luminance(engine_of(hass).channels["sub-blue"].level) - 0.5) < 1e-3


async def test_bad_manual_action(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    with pytest.raises(ScheduleError) as err:
        await run(hass, [], "set_level", level=150)
    assert {p.code.value for p in err.value.problems} == {"empty_targets", "param_out_of_range"}
    assert engine_of(hass).history.query() == []


async def test_write_refused_after_command(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    sim_bus(hass).fail_next(1, errno.EIO)
    records = await run(hass, ["sub-blue"], "set_level", level=50)
    assert records[0].status is ActionStatus.FAILED
    assert "did not take the write" in records[0].error_message


async def test_custom_failures(
    hass: HomeAssistant,
    reef: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(call: ServiceCall) -> None:
        raise HomeAssistantError("the kettle is empty")

    never = asyncio.Event()

    async def slow(call: ServiceCall) -> None:
        await never.wait()

    hass.services.async_register("test", "broken", broken)
    hass.services.async_register("test", "slow", slow)
    records = await run(
        hass, ["sub-blue"], "custom", service="test.broken", target={"entity_id": "light.blue"}
    )
    assert records[0].status is ActionStatus.FAILED
    assert "the kettle is empty" in records[0].error_message
    pending = hass.async_create_task(run(hass, ["sub-blue"], "custom", service="test.slow"))
    await asyncio.sleep(0)
    freezer.tick(timedelta(seconds=CUSTOM_TIMEOUT + 1))
    async_fire_time_changed_exact(hass)
    records = await pending
    never.set()
    assert records[0].status is ActionStatus.FAILED
    assert "took longer than" in records[0].error_message


async def test_unexpected_error_is_contained(
    hass: HomeAssistant, reef: MockConfigEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(runner, "_command", explode)
    records = await run(hass, ["sub-blue", "sub-white"], "on")
    assert [r.status for r in records] == [ActionStatus.FAILED, ActionStatus.FAILED]
    assert "boom" in records[0].error_message


async def test_invalid_stored_schedule_is_kept_but_not_run(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    freezer.move_to(T0)
    good = Schedule.from_dict(
        {
            "id": "good",
            "name": "Good",
            "schedule_type": "cron",
            "cron_expression": "0 8 * * *",
            "timezone": "UTC",
            "targets": ["sub-blue"],
            "action_type": "on",
        }
    ).to_dict()
    bad = {**good, "id": "bad", "cron_expression": "not a cron"}
    stored(hass_storage, [good, bad])
    hass.set_state(CoreState.starting)
    await setup_entry(hass, board_entry)
    hass.set_state(CoreState.running)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    await hass.async_block_till_done()
    engine = engine_of(hass)
    assert set(engine.schedules) == {"good"}
    await engine.async_update("good", {"name": "Still good"})
    await hass.async_block_till_done()
    saved = hass_storage["bellas_reef.schedules"]["data"]["schedules"]
    assert {s["id"] for s in saved} == {"good", "bad"}  # the broken one is not lost


async def test_static_run_now_and_switch_presets(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    engine = engine_of(hass)
    feed = await engine.async_create(
        {
            "name": "Feeding",
            "schedule_type": "static",
            "preset": "feed_pause",
            "preset_params": {"times": ["06:00", "18:00"], "minutes": 10},
            "timezone": "UTC",
            "targets": ["sub-return-pump"],
        }
    )
    await hass.async_block_till_done()
    chip = sim_chip(hass)
    assert chip.duty(4) == 4096  # outside a pause the pump runs: the preset's level applies at once
    assert feed.next_run == datetime.fromisoformat("2027-03-01T18:00:00+00:00")
    freezer.move_to(datetime.fromisoformat("2027-03-01T18:00:00+00:00"))
    async_fire_time_changed_exact(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert chip.duty(4) == 0
    freezer.move_to(datetime.fromisoformat("2027-03-01T18:10:00+00:00"))
    async_fire_time_changed_exact(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert chip.duty(4) == 4096
    records = await engine.async_run_now(feed.id, Context())
    assert records[0].action_type == "set_level"
    disabled = await engine.async_set_enabled(feed.id, enabled=False)
    assert disabled.next_run is None
    assert (await engine.async_set_enabled(feed.id, enabled=False)) is disabled
    moon = await engine.async_create(
        {
            "name": "Moon",
            "schedule_type": "static",
            "preset": "moonlight",
            "preset_params": {"night_level": 5, "start": "21:00", "end": "06:00"},
            "timezone": "UTC",
            "targets": ["sub-white"],
            "enabled": False,
        }
    )
    assert moon.next_run is None
    freezer.move_to(datetime.fromisoformat("2027-03-01T22:00:00+00:00"))
    await engine.async_set_enabled(moon.id, enabled=True)
    await hass.async_block_till_done()
    assert chip.duty(1) == DutyMap().duty(5)  # enabled mid-way: the level of now
