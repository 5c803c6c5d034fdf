"""Diagnostics: the board's registers as read back, each channel's wish and duty, and fault counters."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from .hardware.pca9685 import Pca9685Error

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .models import ReefConfigEntry


async def async_get_config_entry_diagnostics(hass: HomeAssistant, entry: ReefConfigEntry) -> dict[str, Any]:
    """Return diagnostics for a board."""
    board = entry.runtime_data.board
    try:
        registers: dict[str, Any] = await board.async_read_registers()
    except Pca9685Error as err:
        registers = {"error": str(err)}
    stats = asdict(board.stats)
    if stats["last_reset"] is not None:
        stats["last_reset"] = stats["last_reset"].isoformat()
    return {
        "entry": {"title": entry.title, "data": dict(entry.data)},
        "board": {
            "available": board.available,
            "frequency_configured": board.frequency,
            "frequency_actual": board.driver.frequency_hz,
            "combined_transactions": board.driver.combined,
            "stats": stats,
            "registers": registers,
        },
        "channels": [
            {
                "config": {k: v for k, v in asdict(channel.config).items() if k != "subentry_id"},
                "level": round(channel.level, 4),
                "target_level": round(channel.target_level, 4),
                "duty": channel.duty,
                "in_transition": channel.in_transition,
            }
            for channel in sorted(entry.runtime_data.channels.values(), key=lambda c: c.config.number)
        ],
    }
