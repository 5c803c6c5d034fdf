"""Diagnostics of every entry.

A board: its registers as read back, each channel's wish and duty, and fault counters. The scheduler entry:
the schedules by type and status, timers armed against schedules enabled, the run journal, the history's
size and its unsaved changes, the stores' write failures and the latest failed actions. Nothing secret: a
custom action's data is left out (it may hold tokens or messages), user ids are not.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from .driver.pca9685 import Pca9685Error
from .models import is_scheduler_entry

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .engine import ScheduleEngine
    from .models import BellasReefConfigEntry, ReefConfigEntry


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: BellasReefConfigEntry
) -> dict[str, Any]:
    """Return the diagnostics of a board, or of the scheduler entry."""
    if is_scheduler_entry(entry):
        return _scheduler_diagnostics(entry.runtime_data)
    return await _board_diagnostics(entry)


LATEST_FAILURES = 20


def _scheduler_diagnostics(engine: ScheduleEngine) -> dict[str, Any]:
    stats = engine.statistics()
    enabled_with_run = {
        schedule_id
        for schedule_id, schedule in engine.schedules.items()
        if schedule.enabled and schedule.next_run is not None
    }
    armed = engine.armed()
    failures = engine.history.query(status="failed", limit=LATEST_FAILURES)
    return {
        "schedules": {
            key: stats[key]
            for key in ("schedules_total", "schedules_enabled", "schedules_by_type", "schedules_by_status")
        },
        "timers": {
            "armed": len(armed),
            "enabled_with_next_run": len(enabled_with_run),
            "agree": engine.timers_agree(),
            "armed_not_expected": sorted(armed - enabled_with_run),
            "expected_not_armed": sorted(enabled_with_run - armed),
        },
        "next_run": stats["next_run"],
        "missing_targets": engine.orphaned,
        "unreadable_schedules": [str(row.get("id")) for row in engine.files.invalid],
        "journal": engine.journal.entries(),
        "history": {
            "records": stats["actions_total"],
            "by_status": stats["actions_by_status"],
            "failed_last_24h": stats["failed_last_24h"],
            "unsaved_since": None
            if engine.history.unsaved_since is None
            else engine.history.unsaved_since.isoformat(),
            "retention_days": engine.retention_days,
            "max_records": engine.max_records,
        },
        "storage_failures": engine.storage_failures(),
        "keeper": {**engine.keeper.status(), "options": dict(engine.keeper.options)},
        "latest_failures": [
            {
                "schedule_id": record.schedule_id,
                "target": record.target,
                "action_type": record.action_type,
                "scheduled_time": record.scheduled_time.isoformat(),
                "error": record.error_message,
            }
            for record in failures
        ],
    }


async def _board_diagnostics(entry: ReefConfigEntry) -> dict[str, Any]:
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
