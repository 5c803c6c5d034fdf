"""Constants of the Bella's Reef integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "bellas_reef"
LOGGER = logging.getLogger(__package__)

# Config entries: boards, and the one scheduler entry that holds schedule entities and history options
CONF_ENTRY_KIND: Final = "entry_kind"
ENTRY_SCHEDULER: Final = "scheduler"
SCHEDULER_UNIQUE_ID: Final = "scheduler"
CONF_RETENTION_DAYS: Final = "retention_days"
CONF_MAX_RECORDS: Final = "max_records"
DEFAULT_RETENTION_DAYS: Final = 30
DEFAULT_MAX_RECORDS: Final = 10_000

# Board (config entry) data
CONF_CONNECTION: Final = "connection"
CONNECTION_I2C: Final = "i2c"
CONNECTION_SIMULATED: Final = "simulated"
CONF_BUS: Final = "bus"
CONF_ADDRESS: Final = "address"
CONF_FREQUENCY: Final = "frequency"
CONF_OSCILLATOR: Final = "oscillator_hz"
CONF_OPEN_DRAIN: Final = "open_drain"

DEFAULT_BUS: Final = 1
DEFAULT_ADDRESS: Final = 0x40
DEFAULT_FREQUENCY: Final = 1000  # within 100-1000 Hz, what common constant-current LED drivers take
DEFAULT_OSCILLATOR: Final = 25_000_000
ALL_CALL_ADDRESS: Final = 0x70

# Channel (config subentry) data
SUBENTRY_CHANNEL: Final = "channel"
CONF_CHANNEL: Final = "channel"
CONF_KIND: Final = "kind"
KIND_LIGHT: Final = "light"
KIND_SWITCH: Final = "switch"
CONF_INVERT: Final = "invert"
CONF_MIN_DUTY: Final = "min_duty"
CONF_MAX_DUTY: Final = "max_duty"
CONF_CURVE: Final = "curve"
CURVE_PERCEPTUAL: Final = "perceptual"
CURVE_LINEAR: Final = "linear"
CONF_TRANSITION: Final = "transition"
CONF_ON_DUTY: Final = "on_duty"
CONF_STARTUP: Final = "startup"
STARTUP_RESTORE: Final = "restore"
STARTUP_ON: Final = "on"
STARTUP_OFF: Final = "off"
CONF_STARTERS: Final = "starters"  # starter schedules asked for in the flow, until the board makes them

DEFAULT_TRANSITION: Final = 2.0

# Dispatcher signals and the event of finished device actions
SIGNAL_BOARDS: Final = f"{DOMAIN}_board_availability"  # a board became (un)available
SIGNAL_SCHEDULES: Final = f"{DOMAIN}_schedules_changed"  # args: the schedule's id
SIGNAL_ACTIONS: Final = f"{DOMAIN}_actions_changed"  # args: the device action
SIGNAL_STORAGE: Final = f"{DOMAIN}_storage"  # a store's write failed, or works again
SIGNAL_KEEPER: Final = f"{DOMAIN}_keeper"  # a mode started or ended, a hold came or went
EVENT_ACTION: Final = f"{DOMAIN}_action"


def keeper_signal(channel_id: str) -> str:
    """The signal for what holds one channel (its light or switch listens to it)."""
    return f"{SIGNAL_KEEPER}_{channel_id}"


def mode_button_unique_id(mode: str) -> str:
    """The unique id of a mode's button (its rights decide who may start the mode over the websocket)."""
    return f"scheduler-{mode}-button"


def schedule_signal(schedule_id: str) -> str:
    """The signal for changes of one schedule (each schedule's entities listen to their own)."""
    return f"{SIGNAL_SCHEDULES}_{schedule_id}"


# Home Assistant allows 10 000 enabled entities per config entry and each schedule has two; beyond this many
# schedules, new ones get their entities disabled (enable them in the entity settings if you need them)
ENABLED_SCHEDULES_MAX: Final = 4000
CUSTOM_TIMEOUT: Final = 30.0  # seconds a custom action's call may take

# Board health
READBACK_INTERVAL: Final = timedelta(seconds=30)
FAILURES_BEFORE_UNAVAILABLE: Final = 3
RETRY_BACKOFF_MAX: Final = 30.0
TRANSITION_MIN_STEP: Final = 0.02  # seconds between two writes of one transition (at most 50 Hz)
