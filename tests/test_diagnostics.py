"""Diagnostics of a board (registers read back, channels, fault counters) and of the Schedules entry."""

from __future__ import annotations

import errno
import json

from homeassistant.core import Context, HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import get_diagnostics_for_config_entry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from .conftest import engine_of, setup_entry, sim_bus


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


async def test_the_schedules_entry_has_diagnostics_too(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, board_entry: MockConfigEntry
) -> None:
    """Downloading them answered HTTP 500 before: that entry holds the engine, not a board."""
    await setup_entry(hass, board_entry)
    engine = engine_of(hass)
    await engine.async_create(
        {
            "name": "Tell me",
            "schedule_type": "interval",
            "interval_seconds": 3600,
            "timezone": "UTC",
            "targets": ["sub-blue"],
            "action_type": "custom",
            "action_params": {"service": "notify.notify", "data": {"message": "secret token 1234"}},
        }
    )
    await engine.actions.async_run_manual(["sub-blue"], "custom", {"service": "nothing.here"}, Context())
    (entry,) = [e for e in hass.config_entries.async_entries("bellas_reef") if e.title == "Schedules"]
    result = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert result["schedules"]["schedules_total"] == 1
    assert result["timers"] == {
        "armed": 1,
        "enabled_with_next_run": 1,
        "agree": True,
        "armed_not_expected": [],
        "expected_not_armed": [],
    }
    assert result["journal"] == {}
    assert result["history"]["records"] == 1
    assert result["storage_failures"] == {}
    assert result["keeper"] == {"modes": {}, "holds": {}, "options": {}}
    (failure,) = result["latest_failures"]
    assert "does not exist" in failure["error"]
    assert "secret token" not in json.dumps(result)  # a custom action's data is not in them
