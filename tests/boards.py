"""Board entries and channel subentries as the config flow stores them (shared by the tests and benchmarks)."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigSubentryData
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bellas_reef.const import (
    CONF_ADDRESS,
    CONF_CHANNEL,
    CONF_CONNECTION,
    CONF_CURVE,
    CONF_FREQUENCY,
    CONF_INVERT,
    CONF_KIND,
    CONF_MAX_DUTY,
    CONF_MIN_DUTY,
    CONF_ON_DUTY,
    CONF_OPEN_DRAIN,
    CONF_STARTUP,
    CONF_TRANSITION,
    CONNECTION_SIMULATED,
    DOMAIN,
    KIND_LIGHT,
    KIND_SWITCH,
    STARTUP_RESTORE,
    SUBENTRY_CHANNEL,
)

BOARD_DATA = {
    CONF_CONNECTION: CONNECTION_SIMULATED,
    CONF_ADDRESS: 0x40,
    CONF_FREQUENCY: 1000,
    CONF_OPEN_DRAIN: False,
}


def light_subentry(
    number: int, name: str, subentry_id: str | None = None, **options: Any
) -> ConfigSubentryData:
    """A light channel as the subentry flow stores it."""
    data = {
        CONF_CHANNEL: number,
        CONF_KIND: KIND_LIGHT,
        CONF_INVERT: False,
        CONF_MIN_DUTY: 0.0,
        CONF_MAX_DUTY: 100.0,
        CONF_CURVE: "perceptual",
        CONF_TRANSITION: 0.0,
        **options,
    }
    return ConfigSubentryData(
        data=data,
        subentry_id=subentry_id or f"sub-{name.lower().replace(' ', '-')}",
        subentry_type=SUBENTRY_CHANNEL,
        title=name,
        unique_id=f"channel-{number}",
    )


def switch_subentry(
    number: int, name: str, subentry_id: str | None = None, **options: Any
) -> ConfigSubentryData:
    """A switch channel as the subentry flow stores it."""
    data = {
        CONF_CHANNEL: number,
        CONF_KIND: KIND_SWITCH,
        CONF_INVERT: False,
        CONF_ON_DUTY: 100.0,
        CONF_STARTUP: STARTUP_RESTORE,
        **options,
    }
    return ConfigSubentryData(
        data=data,
        subentry_id=subentry_id or f"sub-{name.lower().replace(' ', '-')}",
        subentry_type=SUBENTRY_CHANNEL,
        title=name,
        unique_id=f"channel-{number}",
    )


def make_board_entry(*subentries: ConfigSubentryData, data: dict[str, Any] | None = None) -> MockConfigEntry:
    """A simulated board entry with the given channels."""
    data = data or BOARD_DATA
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"Simulated PCA9685 {data[CONF_ADDRESS]:#04x}",
        unique_id=f"simulated-{data[CONF_ADDRESS]:#04x}",
        data=data,
        subentries_data=list(subentries),
    )
