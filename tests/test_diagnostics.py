"""Diagnostics show registers read back from the board, each channel's wish and duty, and fault counters."""

from __future__ import annotations

import errno

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import get_diagnostics_for_config_entry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from .conftest import setup_entry, sim_bus


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    board_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    await setup_entry(hass, board_entry)
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": "light.blue", "brightness": 128, "transition": 0}, blocking=True
    )
    await hass.async_block_till_done()  # two separate writes, so that the counters are deterministic
    await hass.services.async_call("switch", "turn_on", {"entity_id": "switch.return_pump"}, blocking=True)
    await hass.async_block_till_done()
    result = await get_diagnostics_for_config_entry(hass, hass_client, board_entry)
    assert result["board"]["registers"]["duties"]["4"] == 4096
    # How many writes set-up took depends on how the release batches platform set-up: not snapshotted.
    stats = result["board"]["stats"]
    assert stats.pop("writes") == stats.pop("transactions") >= 3
    assert result == snapshot


async def test_diagnostics_when_board_does_not_answer(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, board_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, board_entry)
    sim_bus(hass).fail_next(5, errno.EREMOTEIO)
    result = await get_diagnostics_for_config_entry(hass, hass_client, board_entry)
    assert "no device acknowledged" in result["board"]["registers"]["error"]
    assert result["board"]["available"] is True
