"""Light channels through Home Assistant: exact duties, event-driven transitions, batching, restore."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant, State
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.bellas_reef.driver.dimming import DutyMap, lightness_to_luminance

from .conftest import advance, engine_of, light_subentry, make_board_entry, setup_entry, sim_bus, sim_chip


async def turn_on(hass: HomeAssistant, entity_id: str | list[str], **data: object) -> None:
    await hass.services.async_call("light", "turn_on", {ATTR_ENTITY_ID: entity_id, **data}, blocking=True)
    await hass.async_block_till_done()


async def turn_off(hass: HomeAssistant, entity_id: str, **data: object) -> None:
    await hass.services.async_call("light", "turn_off", {ATTR_ENTITY_ID: entity_id, **data}, blocking=True)
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    ("brightness", "duty"),
    [(255, 4096), (1, round(lightness_to_luminance(100 / 255) * 4096) or 1), (128, None), (64, None)],
)
async def test_brightness_sets_exact_duty(
    hass: HomeAssistant, board_entry: MockConfigEntry, brightness: int, duty: int | None
) -> None:
    await setup_entry(hass, board_entry)
    await turn_on(hass, "light.blue", brightness=brightness, transition=0)
    expected = duty if duty is not None else DutyMap().duty(brightness * 100 / 255)
    assert sim_chip(hass).duty(0) == expected
    state = hass.states.get("light.blue")
    assert state.state == STATE_ON
    assert state.attributes["brightness"] == brightness
    await turn_off(hass, "light.blue", transition=0)
    assert sim_chip(hass).duty(0) == 0
    assert hass.states.get("light.blue").state == STATE_OFF


async def test_turn_on_without_brightness_returns_to_last_level(
    hass: HomeAssistant, board_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, board_entry)
    await turn_on(hass, "light.blue", transition=0)
    assert sim_chip(hass).duty(0) == 4096
    await turn_on(hass, "light.blue", brightness=100, transition=0)
    await turn_off(hass, "light.blue", transition=0)
    await turn_on(hass, "light.blue", transition=0)
    assert hass.states.get("light.blue").attributes["brightness"] == 100


async def test_window_and_linear_curve(hass: HomeAssistant) -> None:
    entry = make_board_entry(
        light_subentry(2, "Moon", min_duty=5.0, max_duty=50.0, curve="linear", invert=True)
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    chip = sim_chip(hass)
    assert chip.duty(2) == 4096  # inverted: off is the full-on bit
    await turn_on(hass, "light.moon", brightness=255, transition=0)
    assert chip.duty(2) == 4096 - 2048  # 50 % cap, inverted
    await turn_on(hass, "light.moon", brightness=1, transition=0)
    expected = round(0.05 * 4096 + (1 / 255) * (0.45 * 4096))
    assert chip.duty(2) == 4096 - expected


async def test_transition_is_monotonic_exact_and_writes_only_changes(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, board_entry)
    chip, bus = sim_chip(hass), sim_bus(hass)
    before = bus.counters.by_kind.get("i2c_rdwr", 0)
    await turn_on(hass, "light.blue", brightness=255, transition=10)
    assert hass.states.get("light.blue").attributes["brightness"] == 255  # the target shows at once
    seen = [chip.duty(0)]
    for _ in range(200):
        await advance(hass, freezer, 0.05)
        seen.append(chip.duty(0))
    assert seen == sorted(seen)
    assert seen[-1] == 4096
    first_full = seen.index(4096)
    assert first_full == 200  # reached exactly at the end, not before
    writes = bus.counters.by_kind.get("i2c_rdwr", 0) - before
    distinct = len(set(seen) - {0})
    assert writes == distinct  # one write per distinct duty, none repeated
    await advance(hass, freezer, 5)
    assert bus.counters.by_kind.get("i2c_rdwr", 0) - before == writes  # nothing once done


async def test_slow_ramp_walks_every_step(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """A 20-minute sunrise to 10 % passes through every 12-bit count on its way."""
    await setup_entry(hass, board_entry)
    chip = sim_chip(hass)
    runtime = board_entry.runtime_data
    channel = runtime.channels["sub-blue"]
    channel.async_set_level(100 * 0.1, 1200)
    seen = {chip.duty(0)}
    for _ in range(1200 * 4):
        await advance(hass, freezer, 0.25)
        seen.add(chip.duty(0))
    target = DutyMap().duty(10.0)
    assert max(seen) == target
    assert seen == set(range(target + 1))


async def test_new_command_continues_from_reached_level(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, board_entry)
    chip = sim_chip(hass)
    await turn_on(hass, "light.blue", brightness=255, transition=10)
    await advance(hass, freezer, 5)
    reached = chip.duty(0)
    assert reached == DutyMap().duty(50.0)
    await turn_off(hass, "light.blue", transition=5)
    assert hass.states.get("light.blue").state == STATE_OFF
    seen = [chip.duty(0)]
    assert seen[0] == reached  # no jump
    for _ in range(100):
        await advance(hass, freezer, 0.05)
        seen.append(chip.duty(0))
    assert seen == sorted(seen, reverse=True)
    assert seen[-1] == 0


async def test_several_channels_in_one_call_share_one_transaction(
    hass: HomeAssistant, board_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, board_entry)
    bus = sim_bus(hass)
    before = bus.counters.transactions
    await turn_on(hass, ["light.blue", "light.white"], brightness=200, transition=0)
    assert bus.counters.transactions - before == 1
    chip = sim_chip(hass)
    assert chip.duty(0) == chip.duty(1) == DutyMap().duty(200 * 100 / 255)


async def test_restore_exact_level(hass: HomeAssistant) -> None:
    mock_restore_cache_with_extra_data(
        hass,
        [
            (State("light.blue", STATE_ON, {"brightness": 30}), {"level": 11.76, "last_on_level": 11.76}),
            (State("light.white", STATE_ON, {"brightness": 128}), None),
        ],
    )
    entry = make_board_entry(light_subentry(0, "Blue"), light_subentry(1, "White"), light_subentry(2, "Red"))
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    chip = sim_chip(hass)
    assert chip.duty(0) == DutyMap().duty(11.76)
    assert chip.duty(1) == DutyMap().duty(128 * 100 / 255)
    assert chip.duty(2) == 0
    assert hass.states.get("light.red").state == STATE_OFF


async def test_unload_mid_transition_leaves_no_timer(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, board_entry)
    chip = sim_chip(hass)
    await turn_on(hass, "light.blue", brightness=255, transition=10)
    await advance(hass, freezer, 2)
    assert await hass.config_entries.async_unload(board_entry.entry_id)
    await hass.async_block_till_done()
    held = chip.duty(0)
    assert 0 < held < 4096  # the outputs keep their duty when the integration unloads
    await advance(hass, freezer, 20)
    assert chip.duty(0) == held
    assert await hass.config_entries.async_setup(board_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("light.blue").attributes["brightness"] == 255


async def test_a_timer_of_a_replaced_command_does_nothing(
    hass: HomeAssistant, board_entry: MockConfigEntry
) -> None:
    """A ramp's step timer that fires after a newer ramp replaced it (due in the same instant) must not
    start a second chain of steps beside the new ramp's."""
    await setup_entry(hass, board_entry)
    channel = engine_of(hass).channels["sub-blue"]
    channel.async_ramp(0.0, 100.0, 600.0, dt_util.utcnow())
    stale = channel._generation
    channel.async_ramp(0.0, 50.0, 600.0, dt_util.utcnow())  # replaces the ramp
    timer = channel._timer
    assert timer is not None
    channel._timed_step(stale, dt_util.utcnow())
    assert channel._timer is timer  # the new ramp's one timer, no second one set beside it
    timer()  # as if it fired: the current ramp's timer does step, and sets the next
    channel._timed_step(channel._generation, dt_util.utcnow())
    assert channel._timer is not timer
    channel.async_cancel_transition()
