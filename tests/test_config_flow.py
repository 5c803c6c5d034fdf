"""Every path of the board flow, its reconfigure step, and the channel subentry flow."""

from __future__ import annotations

import errno
from typing import Any

from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bellas_reef.const import DOMAIN
from custom_components.bellas_reef.driver import pca9685
from custom_components.bellas_reef.driver.simulator import SimulatedI2cBus

from .conftest import light_subentry, make_board_entry, setup_entry, sim_chip, switch_subentry

I2C_INPUT = {"bus": 1, "address": "0x41", "frequency": 500, "oscillator_hz": 25_000_000, "open_drain": False}


async def start(hass: HomeAssistant, step: str) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["i2c", "simulated"]
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"next_step_id": step})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step
    return result


async def test_simulated_board(hass: HomeAssistant) -> None:
    result = await start(hass, "simulated")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"address": "0x42", "frequency": 200}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Simulated PCA9685 0x42"
    assert result["data"] == {
        "connection": "simulated",
        "address": 0x42,
        "frequency": 200,
        "open_drain": False,
    }
    assert result["result"].unique_id == "simulated-0x42"
    await hass.async_block_till_done()
    assert sim_chip(hass, 0x42).prescale == 30
    # the same board again
    result = await start(hass, "simulated")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"address": "0x42", "frequency": 1000}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.fixture
def fake_i2c(monkeypatch: pytest.MonkeyPatch) -> SimulatedI2cBus:
    """Bus 1 of this machine is a simulated bus with a PCA9685 at 0x41 (the only fake: the I2C bus)."""
    bus = SimulatedI2cBus()
    bus.add_chip(0x41)

    def open_bus(number: int) -> SimulatedI2cBus:
        if number != 1:
            raise pca9685.BusNotFoundError(f"/dev/i2c-{number} does not exist", errno.ENOENT)
        return bus

    monkeypatch.setattr("custom_components.bellas_reef.connection.open_bus", open_bus)
    return bus


async def test_i2c_board(hass: HomeAssistant, fake_i2c: SimulatedI2cBus) -> None:
    result = await start(hass, "i2c")
    result = await hass.config_entries.flow.async_configure(result["flow_id"], I2C_INPUT)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "PCA9685 0x41 on I2C bus 1"
    assert result["data"] == {
        "connection": "i2c",
        "bus": 1,
        "address": 0x41,
        "frequency": 500,
        "oscillator_hz": 25_000_000,
        "open_drain": False,
    }
    assert result["result"].unique_id == "i2c-1-0x41"
    await hass.async_block_till_done()
    assert fake_i2c.chips[0x41].prescale == 11


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        ({"bus": 3}, "bus", "bus_not_found"),
        ({"address": "0x45"}, "address", "no_device"),
        ({"frequency": 1526, "oscillator_hz": 20_000_000}, "frequency", "frequency_out_of_range"),
    ],
)
async def test_i2c_errors(
    hass: HomeAssistant, fake_i2c: SimulatedI2cBus, change: dict[str, Any], field: str, error: str
) -> None:
    result = await start(hass, "i2c")
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {**I2C_INPUT, **change})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: error}
    # fixing the input recovers the flow
    result = await hass.config_entries.flow.async_configure(result["flow_id"], I2C_INPUT)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_i2c_not_a_pca9685_and_flaky_bus(hass: HomeAssistant, fake_i2c: SimulatedI2cBus) -> None:
    result = await start(hass, "i2c")
    fake_i2c.chips[0x41].registers[pca9685.MODE2] = 0xFF
    result = await hass.config_entries.flow.async_configure(result["flow_id"], I2C_INPUT)
    assert result["errors"] == {"address": "not_pca9685"}
    fake_i2c.chips[0x41].registers[pca9685.MODE2] = 0x04
    fake_i2c.fail_next(1, errno.EIO)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], I2C_INPUT)
    assert result["errors"] == {"base": "cannot_connect"}


async def test_i2c_permission_denied(hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(number: int) -> None:
        raise pca9685.BusPermissionError("no permission", errno.EACCES)

    monkeypatch.setattr("custom_components.bellas_reef.connection.open_bus", denied)
    result = await start(hass, "i2c")
    result = await hass.config_entries.flow.async_configure(result["flow_id"], I2C_INPUT)
    assert result["errors"] == {"bus": "permission_denied"}


async def test_reconfigure(hass: HomeAssistant, board_entry: MockConfigEntry) -> None:
    await setup_entry(hass, board_entry)
    result = await board_entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert "oscillator_hz" not in result["data_schema"].schema  # a simulated board has no oscillator setting
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"frequency": 200, "open_drain": True}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert board_entry.data["frequency"] == 200
    chip = sim_chip(hass)
    assert chip.prescale == 30
    assert chip.open_drain


async def test_reconfigure_i2c_oscillator(hass: HomeAssistant, fake_i2c: SimulatedI2cBus) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="i2c-1-0x41",
        title="PCA9685 0x41 on I2C bus 1",
        data={"connection": "i2c", "bus": 1, "address": 0x41, "frequency": 200, "oscillator_hz": 25_000_000},
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"frequency": 1526, "oscillator_hz": 20_000_000, "open_drain": False}
    )
    assert result["errors"] == {"frequency": "frequency_out_of_range"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"frequency": 200, "oscillator_hz": 26_500_000, "open_drain": False}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert fake_i2c.chips[0x41].prescale == round(26_500_000 / (4096 * 200)) - 1


async def start_subentry(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "channel"), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return result


async def test_add_light_channel(hass: HomeAssistant, board_entry: MockConfigEntry) -> None:
    await setup_entry(hass, board_entry)
    result = await start_subentry(hass, board_entry)
    options = result["data_schema"].schema["channel"].config["options"]
    assert "0" not in options
    assert "4" not in options
    assert "2" in options
    configure = hass.config_entries.subentries.async_configure
    result = await configure(
        result["flow_id"], {"name": "  ", "channel": "2", "kind": "light", "invert": False}
    )
    assert result["errors"] == {"name": "name_required"}
    result = await configure(
        result["flow_id"], {"name": "Royal blue", "channel": "2", "kind": "light", "invert": False}
    )
    assert result["step_id"] == "light"
    bad = {"min_duty": 50, "max_duty": 20, "curve": "perceptual", "transition": 2}
    result = await configure(result["flow_id"], bad)
    assert result["errors"] == {"min_duty": "min_not_below_max"}
    result = await configure(
        result["flow_id"], {"min_duty": 1, "max_duty": 90, "curve": "linear", "transition": 3}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    subentry = next(s for s in board_entry.subentries.values() if s.title == "Royal blue")
    assert subentry.unique_id == "channel-2"
    assert dict(subentry.data) == {
        "channel": 2,
        "kind": "light",
        "invert": False,
        "min_duty": 1.0,
        "max_duty": 90.0,
        "curve": "linear",
        "transition": 3.0,
    }
    assert hass.states.get("light.royal_blue") is not None
    await hass.services.async_call(
        "light",
        "turn_on",
        {"entity_id": "light.royal_blue", "brightness": 255, "transition": 0},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert sim_chip(hass).duty(2) == round(0.9 * 4096)


async def test_add_switch_channel_and_race_for_a_channel(
    hass: HomeAssistant, board_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, board_entry)
    configure = hass.config_entries.subentries.async_configure
    first = await start_subentry(hass, board_entry)
    second = await start_subentry(hass, board_entry)
    result = await configure(
        first["flow_id"], {"name": "Skimmer", "channel": "7", "kind": "switch", "invert": False}
    )
    assert result["step_id"] == "switch"
    result = await configure(result["flow_id"], {"on_duty": 100, "startup": "on"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert hass.states.get("switch.skimmer").state == "on"
    # the second flow still offers channel 7 from before; it is taken now
    result = await configure(
        second["flow_id"], {"name": "Heater", "channel": "7", "kind": "switch", "invert": False}
    )
    assert result["errors"] == {"channel": "channel_in_use"}


async def test_no_free_channel(hass: HomeAssistant) -> None:
    entry = make_board_entry(*(light_subentry(n, f"Light {n}") for n in range(16)))
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "channel"), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_free_channel"


async def test_reconfigure_channel_kind_and_number(hass: HomeAssistant, board_entry: MockConfigEntry) -> None:
    await setup_entry(hass, board_entry)
    registry = er.async_get(hass)
    result = await hass.config_entries.subentries.async_init(
        (board_entry.entry_id, "channel"), context={"source": SOURCE_RECONFIGURE, "subentry_id": "sub-white"}
    )
    assert result["step_id"] == "reconfigure"
    options = result["data_schema"].schema["channel"].config["options"]
    assert "1" in options  # its own channel
    assert "0" not in options
    configure = hass.config_entries.subentries.async_configure
    result = await configure(
        result["flow_id"], {"name": "Refugium", "channel": "9", "kind": "switch", "invert": False}
    )
    assert result["step_id"] == "switch"
    result = await configure(result["flow_id"], {"on_duty": 80, "startup": "off"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    subentry = board_entry.subentries["sub-white"]
    assert subentry.title == "Refugium"
    assert subentry.unique_id == "channel-9"
    entity_id = registry.async_get_entity_id("switch", DOMAIN, "sub-white")
    assert entity_id == "switch.refugium"
    assert registry.async_get_entity_id("light", DOMAIN, "sub-white") is None
    await hass.services.async_call("switch", "turn_on", {"entity_id": entity_id}, blocking=True)
    await hass.async_block_till_done()
    assert sim_chip(hass).duty(9) == round(0.8 * 4096)


async def test_reconfigure_light_keeps_its_options(hass: HomeAssistant) -> None:
    entry = make_board_entry(light_subentry(3, "Violet", min_duty=2.0, max_duty=80.0))
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "channel"), context={"source": SOURCE_RECONFIGURE, "subentry_id": "sub-violet"}
    )
    configure = hass.config_entries.subentries.async_configure
    result = await configure(
        result["flow_id"], {"name": "Violet", "channel": "3", "kind": "light", "invert": False}
    )
    schema = result["data_schema"].schema
    suggested = {str(key): key.description["suggested_value"] for key in schema if key.description}
    assert suggested["min_duty"] == 2.0
    assert suggested["max_duty"] == 80.0


async def test_removing_a_channel_removes_its_device_and_entities(
    hass: HomeAssistant, board_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, board_entry)
    assert hass.config_entries.async_remove_subentry(board_entry, "sub-return-pump")
    await hass.async_block_till_done()
    assert er.async_get(hass).async_get_entity_id("switch", DOMAIN, "sub-return-pump") is None
    assert hass.states.get("switch.return_pump") is None
    assert hass.states.get("light.blue") is not None


async def test_switch_subentry_defaults_show(hass: HomeAssistant) -> None:
    entry = make_board_entry(switch_subentry(4, "Pump"))
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    result = await start_subentry(hass, entry)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Doser", "channel": "5", "kind": "switch", "invert": True}
    )
    assert result["description_placeholders"] == {"name": "Doser"}
