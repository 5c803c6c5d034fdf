"""Switch channels: on/off duties and the start-up rules a pump or heater needs."""

from __future__ import annotations

from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, State
import pytest
from pytest_homeassistant_custom_component.common import (
    mock_restore_cache,
    mock_restore_cache_with_extra_data,
)

from custom_components.bellas_reef.const import STARTUP_OFF, STARTUP_ON, STARTUP_RESTORE

from .conftest import make_board_entry, setup_entry, sim_chip, switch_subentry


async def call(hass: HomeAssistant, service: str, entity_id: str) -> None:
    await hass.services.async_call("switch", service, {ATTR_ENTITY_ID: entity_id}, blocking=True)
    await hass.async_block_till_done()


async def test_on_off_and_partial_duty(hass: HomeAssistant) -> None:
    entry = make_board_entry(
        switch_subentry(4, "Return pump"),
        switch_subentry(5, "Wave maker", on_duty=60.0),
        switch_subentry(6, "Heater", invert=True),
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    chip = sim_chip(hass)
    assert chip.duty(6) == 4096  # inverted and off
    await call(hass, "turn_on", "switch.return_pump")
    assert chip.duty(4) == 4096
    assert hass.states.get("switch.return_pump").state == STATE_ON
    await call(hass, "turn_on", "switch.wave_maker")
    assert chip.duty(5) == round(0.6 * 4096)
    await call(hass, "turn_on", "switch.heater")
    assert chip.duty(6) == 0
    await call(hass, "toggle", "switch.return_pump")
    assert chip.duty(4) == 0
    assert hass.states.get("switch.return_pump").state == STATE_OFF


@pytest.mark.parametrize(
    ("startup", "last", "expected"),
    [
        (STARTUP_RESTORE, STATE_ON, STATE_ON),
        (STARTUP_RESTORE, STATE_OFF, STATE_OFF),
        (STARTUP_RESTORE, None, STATE_OFF),
        (STARTUP_ON, STATE_OFF, STATE_ON),
        (STARTUP_ON, None, STATE_ON),
        (STARTUP_OFF, STATE_ON, STATE_OFF),
    ],
)
async def test_startup_rules(hass: HomeAssistant, startup: str, last: str | None, expected: str) -> None:
    if last is not None:
        mock_restore_cache(hass, [State("switch.return_pump", last)])
    entry = make_board_entry(switch_subentry(4, "Return pump", startup=startup))
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    assert hass.states.get("switch.return_pump").state == expected
    assert sim_chip(hass).duty(4) == (4096 if expected == STATE_ON else 0)


async def test_restore_uses_the_wish_not_an_unavailable_state(hass: HomeAssistant) -> None:
    """A pump whose board was unavailable when Home Assistant stopped still comes back on."""
    mock_restore_cache_with_extra_data(hass, [(State("switch.return_pump", STATE_UNAVAILABLE), {"on": True})])
    entry = make_board_entry(switch_subentry(4, "Return pump"))
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    assert hass.states.get("switch.return_pump").state == STATE_ON
    assert sim_chip(hass).duty(4) == 4096
