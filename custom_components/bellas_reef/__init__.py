"""Bella's Reef: a reef aquarium's lights and pumps on a PCA9685 PWM board.

``async_setup`` is where the integration-wide parts start (services, websocket API, scheduler, as they are
added); each config entry is one board, whose channels are its config subentries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import callback
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv, device_registry as dr, entity_registry as er

from .board import Board
from .channel import ChannelConfig, ChannelController
from .connection import async_open_driver
from .const import (
    CONF_CONNECTION,
    CONF_FREQUENCY,
    CONF_OPEN_DRAIN,
    CONNECTION_SIMULATED,
    DOMAIN,
    SUBENTRY_CHANNEL,
)
from .entity import board_identifier
from .hardware.pca9685 import Pca9685Error

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.typing import ConfigType

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
PLATFORMS = [Platform.LIGHT, Platform.SENSOR, Platform.SWITCH]


@dataclass
class ReefRuntime:
    """What a loaded board entry holds."""

    board: Board
    board_id: str
    board_device_id: str
    channels: dict[str, ChannelController] = field(default_factory=dict)  # by subentry id


type ReefConfigEntry = ConfigEntry[ReefRuntime]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the parts shared by every board."""
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ReefConfigEntry) -> bool:
    """Connect to the board (test before setup) and create its channels."""
    board_id = entry.unique_id or entry.entry_id
    try:
        driver, close = await async_open_driver(hass, entry.data)
    except Pca9685Error as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="board_not_ready",
            translation_placeholders={"error": str(err)},
        ) from err
    board = Board(
        hass,
        entry.title,
        driver,
        frequency=float(entry.data[CONF_FREQUENCY]),
        open_drain=bool(entry.data.get(CONF_OPEN_DRAIN, False)),
        close=close,
    )
    try:
        await board.async_connect()
    except Pca9685Error as err:
        await board.async_close()
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="board_not_ready",
            translation_placeholders={"error": str(err)},
        ) from err
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={board_identifier(board_id)},
        name=entry.title,
        manufacturer="NXP",
        model="PCA9685 (simulated)" if entry.data[CONF_CONNECTION] == CONNECTION_SIMULATED else "PCA9685",
    )
    runtime = ReefRuntime(board, board_id, device.id)
    for subentry_id, subentry in entry.subentries.items():
        if subentry.subentry_type != SUBENTRY_CHANNEL:
            continue
        config = ChannelConfig.from_subentry(subentry_id, subentry.title, subentry.data)
        channel = ChannelController(hass, board, config)
        runtime.channels[subentry_id] = channel
        board.channels[config.number] = channel
    entry.runtime_data = runtime
    _async_remove_stale_entities(hass, entry, runtime)
    entry.async_on_unload(entry.add_update_listener(_async_reload))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


@callback
def _async_remove_stale_entities(hass: HomeAssistant, entry: ReefConfigEntry, runtime: ReefRuntime) -> None:
    """Drop registry entries no channel provides any more (a channel that changed from light to switch)."""
    expected = set()
    for subentry_id, channel in runtime.channels.items():
        expected.add((channel.config.kind, subentry_id))
        expected.add((Platform.SENSOR.value, f"{subentry_id}-duty"))
    registry = er.async_get(hass)
    for entity in er.async_entries_for_config_entry(registry, entry.entry_id):
        if (entity.domain, entity.unique_id) not in expected:
            registry.async_remove(entity.entity_id)


async def _async_reload(hass: HomeAssistant, entry: ReefConfigEntry) -> None:
    """Channels were added, changed or removed, or the board was reconfigured."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: ReefConfigEntry) -> bool:
    """Unload the platforms and release the bus; the outputs keep their duty."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.board.async_close()
    return unloaded
