"""Shared fixtures. Tests that use ``hass`` get custom integrations enabled; the HA-free core tests do not."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.const import GROUP_ID_USER
from homeassistant.auth.models import User
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_fire_time_changed_exact,
)

from custom_components.bellas_reef.connection import simulated_bus
from custom_components.bellas_reef.driver.simulator import SimulatedI2cBus, SimulatedPca9685

from .boards import BOARD_DATA, light_subentry, make_board_entry, switch_subentry

# tests import the board builders from here
__all__ = ["BOARD_DATA", "light_subentry", "make_board_entry", "switch_subentry"]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(request: pytest.FixtureRequest) -> None:
    """Enable custom integrations wherever a test runs Home Assistant."""
    if "hass" in request.fixturenames:
        request.getfixturevalue("enable_custom_integrations")


@pytest.fixture
async def plain_user(hass: HomeAssistant) -> User:
    """A user who is not an administrator (Home Assistant's "Users" group: may control every entity)."""
    users = await hass.auth.async_get_group(GROUP_ID_USER)
    user = MockUser(name="Guest", groups=[users]).add_to_hass(hass)
    assert not user.is_admin
    return user


@pytest.fixture
def board_entry(hass: HomeAssistant) -> MockConfigEntry:
    """A simulated board at 0x40 with two lights (Blue on 0, White on 1) and a pump on 4."""
    entry = make_board_entry(
        light_subentry(0, "Blue"), light_subentry(1, "White"), switch_subentry(4, "Return pump")
    )
    entry.add_to_hass(hass)
    return entry


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set a board entry up and wait for it."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def sim_bus(hass: HomeAssistant) -> SimulatedI2cBus:
    """The simulated bus of this Home Assistant instance."""
    return simulated_bus(hass)


def sim_chip(hass: HomeAssistant, address: int = 0x40) -> SimulatedPca9685:
    """The simulated chip at an address."""
    return simulated_bus(hass).chips[address]


def engine_of(hass: HomeAssistant):
    """The schedule engine of this instance."""
    from custom_components.bellas_reef.engine import ENGINE_KEY

    return hass.data[ENGINE_KEY]


def stored(
    hass_storage: dict[str, Any], schedules: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None
) -> None:
    """Put schedules (and device actions) into storage as a previous run of Home Assistant left them."""
    hass_storage["bellas_reef.schedules"] = {
        "version": 2,
        "minor_version": 1,
        "key": "bellas_reef.schedules",
        "data": {"schedules": schedules},
    }
    if actions is not None:
        hass_storage["bellas_reef.actions"] = {
            "version": 1,
            "minor_version": 1,
            "key": "bellas_reef.actions",
            "data": {"actions": actions},
        }


def stored_journal(
    hass_storage: dict[str, Any], fired: dict[str, str], finished: dict[str, str] | None = None
) -> None:
    """Put one-off runs (and the outcomes of those that finished) into the run journal as left by a crash."""
    data: dict[str, Any] = {"fired": fired}
    if finished is not None:
        data["finished"] = finished
    hass_storage["bellas_reef.runs"] = {
        "version": 1,
        "minor_version": 1,
        "key": "bellas_reef.runs",
        "data": data,
    }


async def advance(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    seconds: float | None = None,
    *,
    to: datetime | None = None,
) -> None:
    """Move time on (by ``seconds`` or to ``to``), fire what fell due, and wait for all of it."""
    if to is not None:
        freezer.move_to(to)
    else:
        freezer.tick(timedelta(seconds=seconds or 0))
    async_fire_time_changed_exact(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.fixture
def reef_start() -> datetime:
    """When the ``reef`` fixture starts Home Assistant (a module overrides it to suit its schedules)."""
    return datetime.fromisoformat("2027-03-01T07:00:00+00:00")


@pytest.fixture
async def reef(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, reef_start: datetime
) -> MockConfigEntry:
    """The board entry set up at ``reef_start`` (which also sets up the scheduler entry)."""
    freezer.move_to(reef_start)
    await setup_entry(hass, board_entry)
    await hass.async_block_till_done()
    return board_entry
