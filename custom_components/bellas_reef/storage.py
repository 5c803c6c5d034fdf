"""The two stores: schedules (written before a change is acknowledged) and device actions (batched).

``.storage/bellas_reef.schedules`` holds ``{"schedules": [<Schedule.to_dict()>, ...]}``.
``.storage/bellas_reef.actions`` holds ``{"actions": [<DeviceAction.to_dict()>, ...]}`` and is written with a
delay, so that a busy reef does not wear out a Raspberry Pi's SD card.

Version history of the schedule store:

* 1 - the rows of the original design's database, exported as JSON: ``type`` for the schedule type,
  ``channels`` as a comma-separated string of channel ids, ``is_enabled``, ``action`` and ``params`` for the
  action, ``interval`` in seconds, ``cron`` for the expression, ``tz`` for the zone, and no misfire grace.
* 2 - the current form (``Schedule.to_dict``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .scheduling.const import DEFAULT_MISFIRE_GRACE

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

SCHEDULES_KEY = f"{DOMAIN}.schedules"
SCHEDULES_VERSION = 2
ACTIONS_KEY = f"{DOMAIN}.actions"
ACTIONS_VERSION = 1
ACTIONS_SAVE_DELAY = 30.0  # seconds: history writes are coalesced
RUN_RECORD_SAVE_DELAY = 1.0  # seconds: run records of many schedules firing together make one write

_V1_RENAMES = {
    "type": "schedule_type",
    "action": "action_type",
    "params": "action_params",
    "interval": "interval_seconds",
    "cron": "cron_expression",
    "tz": "timezone",
    "is_enabled": "enabled",
}


def migrate_schedule_v1(row: dict[str, Any]) -> dict[str, Any]:
    """One version-1 row in the current form."""
    schedule = {_V1_RENAMES.get(key, key): value for key, value in row.items() if key != "channels"}
    channels = row.get("channels") or ""
    schedule["targets"] = [part.strip() for part in str(channels).split(",") if part.strip()]
    schedule.setdefault("misfire_grace", DEFAULT_MISFIRE_GRACE)
    schedule["id"] = str(schedule["id"])
    return schedule


class ScheduleStore(Store[dict[str, Any]]):
    """Schedules, versioned."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Bind to ``.storage/bellas_reef.schedules``."""
        super().__init__(hass, SCHEDULES_VERSION, SCHEDULES_KEY, atomic_writes=True)

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        """Bring older files to the current form."""
        data = old_data
        if old_major_version < 2:  # noqa: PLR2004 - the version being migrated from
            data = {"schedules": [migrate_schedule_v1(row) for row in old_data.get("schedules", [])]}
        return data


class ActionStore(Store[dict[str, Any]]):
    """Device actions (history and pending ones)."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Bind to ``.storage/bellas_reef.actions``."""
        super().__init__(hass, ACTIONS_VERSION, ACTIONS_KEY, atomic_writes=True)
