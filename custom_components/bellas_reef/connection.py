"""Opening a board: a real I2C bus through smbus2, or the simulated bus that lives in ``hass.data``.

One simulated bus serves every simulated board of a Home Assistant instance, so a reload keeps the chip's
registers the way real hardware keeps them; a restart of Home Assistant is a power cut for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.util.hass_dict import HassKey

from .const import (
    CONF_ADDRESS,
    CONF_BUS,
    CONF_CONNECTION,
    CONF_OSCILLATOR,
    CONNECTION_SIMULATED,
    DEFAULT_OSCILLATOR,
)
from .driver.pca9685 import ChipState, Pca9685, open_bus
from .driver.simulator import SimulatedI2cBus

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from homeassistant.core import HomeAssistant

SIMULATED_BUS: HassKey[SimulatedI2cBus] = HassKey("bellas_reef_simulated_bus")


def board_unique_id(data: Mapping[str, Any]) -> str:
    """The identity of a board: its bus and address (a simulated board: its address)."""
    if data[CONF_CONNECTION] == CONNECTION_SIMULATED:
        return f"simulated-{int(data[CONF_ADDRESS]):#04x}"
    return f"i2c-{int(data[CONF_BUS])}-{int(data[CONF_ADDRESS]):#04x}"


def simulated_bus(hass: HomeAssistant) -> SimulatedI2cBus:
    """The instance's simulated bus, created on first use."""
    if SIMULATED_BUS not in hass.data:
        hass.data[SIMULATED_BUS] = SimulatedI2cBus()
    return hass.data[SIMULATED_BUS]


async def async_open_driver(
    hass: HomeAssistant, data: Mapping[str, Any]
) -> tuple[Pca9685, Callable[[], None] | None]:
    """Open the board's bus and return its driver and a function that closes the bus (if any)."""
    address = int(data[CONF_ADDRESS])
    oscillator = float(data.get(CONF_OSCILLATOR, DEFAULT_OSCILLATOR))
    if data[CONF_CONNECTION] == CONNECTION_SIMULATED:
        bus = simulated_bus(hass)
        if address not in bus.chips:
            bus.add_chip(address)  # plugging the simulated board in
        return Pca9685(bus, address), None
    smbus = await hass.async_add_executor_job(open_bus, int(data[CONF_BUS]))
    return Pca9685(smbus, address, oscillator_hz=oscillator), smbus.close


async def async_probe(hass: HomeAssistant, data: Mapping[str, Any]) -> ChipState:
    """Open, probe and close again, for the config flow (raises ``Pca9685Error``)."""
    driver, close = await async_open_driver(hass, data)
    try:
        return await hass.async_add_executor_job(driver.probe)
    finally:
        if close is not None:
            await hass.async_add_executor_job(close)
