"""Bella's Reef: a reef aquarium's lights and pumps on a PCA9685 PWM board.

``async_setup`` starts what the whole integration shares: the schedule engine (loaded from storage, timers
armed) and makes sure the one scheduler entry exists, which holds the schedule and health entities and the
history options. Every other config entry is a board, whose channels are its config subentries; a board
hands its channels to the engine once its entities are up, so that a schedule's level wins over a restored
one.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import SOURCE_SYSTEM
from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import callback
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv, device_registry as dr, entity_registry as er

from .board import Board
from .channel import ChannelConfig, ChannelController
from .connection import async_open_driver
from .const import (
    CONF_CONNECTION,
    CONF_FREQUENCY,
    CONF_KIND,
    CONF_MAX_RECORDS,
    CONF_OPEN_DRAIN,
    CONF_RETENTION_DAYS,
    CONF_STARTERS,
    CONNECTION_SIMULATED,
    DEFAULT_MAX_RECORDS,
    DEFAULT_RETENTION_DAYS,
    DOMAIN,
    LOGGER,
    SUBENTRY_CHANNEL,
)
from .driver.pca9685 import Pca9685Error
from .engine import ENGINE_KEY, ScheduleEngine
from .entity import board_identifier
from .models import (
    BellasReefConfigEntry,
    ReefConfigEntry,
    ReefRuntime,
    SchedulerConfigEntry,
    is_scheduler_entry,
)
from .panel import async_register_panel, async_remove_panel, async_setup_frontend
from .scheduling import ScheduleError
from .scheduling.starters import starter_schedules
from .services import async_setup_services
from .websocket_api import async_setup_websocket

if TYPE_CHECKING:
    from homeassistant.core import Event, HomeAssistant
    from homeassistant.helpers.typing import ConfigType

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
PLATFORMS = [Platform.LIGHT, Platform.SENSOR, Platform.SWITCH]
SCHEDULER_PLATFORMS = [Platform.BINARY_SENSOR, Platform.BUTTON, Platform.SENSOR, Platform.SWITCH]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Start the schedule engine and make sure the scheduler entry exists."""
    engine = ScheduleEngine(hass)
    await engine.async_load()
    hass.data[ENGINE_KEY] = engine
    async_setup_services(hass)
    async_setup_websocket(hass)
    await async_setup_frontend(hass)

    async def _async_stop(_event: Event) -> None:
        await engine.async_unload()

    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, _async_stop)
    if not any(is_scheduler_entry(e) for e in hass.config_entries.async_entries(DOMAIN)):
        hass.async_create_task(
            hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_SYSTEM}),
            "bellas_reef scheduler entry",
        )
    return True


async def async_setup_entry(hass: HomeAssistant, entry: BellasReefConfigEntry) -> bool:
    """Set up the scheduler entry, or connect to a board (test before setup) and create its channels."""
    if is_scheduler_entry(entry):
        return await _async_setup_scheduler(hass, entry)
    return await _async_setup_board(hass, entry)


async def _async_setup_board(hass: HomeAssistant, entry: ReefConfigEntry) -> bool:
    """Connect to a board (test before setup) and create its channels."""
    set_up = setup_signature(entry)  # what this set-up builds; a change to it while it runs reloads after
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
    runtime = ReefRuntime(board, board_id, device.id, signature=set_up)
    for subentry_id, subentry in entry.subentries.items():
        if subentry.subentry_type != SUBENTRY_CHANNEL:
            continue
        config = ChannelConfig.from_subentry(subentry_id, subentry.title, subentry.data)
        channel = ChannelController(hass, board, config)
        runtime.channels[subentry_id] = channel
    entry.runtime_data = runtime
    _async_remove_stale_entities(hass, entry, runtime)
    # before the update listener: dropping the request from the channel's data must not reload the board
    await _async_create_starters(hass, entry)
    entry.async_on_unload(entry.add_update_listener(_async_reload))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    runtime.live = True
    hass.data[ENGINE_KEY].async_channels_appeared(list(runtime.channels))
    if setup_signature(entry) != set_up:
        # a channel added or changed while this set-up ran (before its update listener): set up again
        hass.config_entries.async_schedule_reload(entry.entry_id)
    return True


async def _async_create_starters(hass: HomeAssistant, entry: ReefConfigEntry) -> None:
    """Make the starter schedules a new channel's flow asked for, then drop the request from its data.

    The ids are fixed per channel, so a set-up interrupted half-way makes none of them twice.
    """
    engine = hass.data[ENGINE_KEY]
    for subentry in list(entry.subentries.values()):
        if subentry.subentry_type != SUBENTRY_CHANNEL or CONF_STARTERS not in subentry.data:
            continue
        data = dict(subentry.data)
        requested = data.pop(CONF_STARTERS)
        try:
            schedules = starter_schedules(
                str(data[CONF_KIND]), requested, subentry.subentry_id, subentry.title
            )
        except ValueError as err:
            LOGGER.error("The starter schedules of %s were not made: %s", subentry.title, err)
            schedules = []
        for schedule in schedules:
            if schedule["id"] in engine.schedules:
                continue
            try:
                made = await engine.async_create(schedule)
            except ScheduleError as err:
                LOGGER.error("The starter schedule %s was not made: %s", schedule["name"], err)
                continue
            LOGGER.info("Made the starter schedule %s (enabled)", made.name)
        hass.config_entries.async_update_subentry(entry, subentry, data=data)


async def _async_setup_scheduler(hass: HomeAssistant, entry: SchedulerConfigEntry) -> bool:
    """The scheduler entry: schedule and health entities, and the history retention options."""
    engine = hass.data[ENGINE_KEY]
    entry.runtime_data = engine
    await async_register_panel(hass)
    entry.async_on_unload(partial(async_remove_panel, hass))
    engine.retention_days = int(entry.options.get(CONF_RETENTION_DAYS, DEFAULT_RETENTION_DAYS))
    engine.max_records = int(entry.options.get(CONF_MAX_RECORDS, DEFAULT_MAX_RECORDS))
    engine.keeper.options = entry.options  # the modes and the hold policy
    entry.async_on_unload(entry.add_update_listener(_async_reload))
    await hass.config_entries.async_forward_entry_setups(entry, SCHEDULER_PLATFORMS)
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


def setup_signature(entry: BellasReefConfigEntry) -> tuple[Any, ...]:
    """What a board's set-up builds from: its title, data and channels (not the starter requests it drops)."""
    channels = {
        subentry_id: (
            subentry.title,
            subentry.subentry_type,
            {key: value for key, value in subentry.data.items() if key != CONF_STARTERS},
        )
        for subentry_id, subentry in entry.subentries.items()
    }
    return (entry.title, dict(entry.data), channels)


async def _async_reload(hass: HomeAssistant, entry: BellasReefConfigEntry) -> None:
    """Channels were added, changed or removed, or the board was reconfigured: set it up again.

    A change that leaves what the set-up builds as it was (a channel's starter request dropped) is not one.
    """
    runtime = getattr(entry, "runtime_data", None)
    if isinstance(runtime, ReefRuntime) and runtime.signature == setup_signature(entry):
        return
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: BellasReefConfigEntry) -> bool:
    """Unload the platforms and release the bus; the outputs keep their duty."""
    if is_scheduler_entry(entry):
        return await hass.config_entries.async_unload_platforms(entry, SCHEDULER_PLATFORMS)
    runtime = entry.runtime_data
    runtime.live = False  # schedules no longer drive its channels
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if not unloaded:
        runtime.live = True
        return False
    for channel in runtime.channels.values():
        channel.async_cancel_transition()
    await runtime.board.async_close()
    return True
