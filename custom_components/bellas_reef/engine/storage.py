"""The three stores: schedules (written before a change is acknowledged), the run journal, and device actions.

``.storage/bellas_reef.schedules`` holds ``{"schedules": [<Schedule.to_dict()>, ...]}``.
``.storage/bellas_reef.runs`` is a small journal of the one-offs run (or about to) that the store lacks yet.
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

from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.storage import Store

from ..const import DOMAIN
from ..scheduling.const import DEFAULT_MISFIRE_GRACE

if TYPE_CHECKING:
    from datetime import datetime

    from homeassistant.core import HomeAssistant

    from ..scheduling import Schedule

SCHEDULES_KEY = f"{DOMAIN}.schedules"
SCHEDULES_VERSION = 2
RUNS_KEY = f"{DOMAIN}.runs"
RUNS_VERSION = 1
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
    """Schedules, versioned.

    Serialised in the executor, not the event loop: the engine hands over a fresh list of rows that are never
    changed after they are made, so thousands of schedules cost the loop nothing but building that list.
    """

    def __init__(self, hass: HomeAssistant) -> None:
        """Bind to ``.storage/bellas_reef.schedules``."""
        super().__init__(
            hass, SCHEDULES_VERSION, SCHEDULES_KEY, atomic_writes=True, serialize_in_event_loop=False
        )

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        """Bring older files to the current form."""
        data = old_data
        if old_major_version < 2:  # noqa: PLR2004 - the version being migrated from
            data = {"schedules": [migrate_schedule_v1(row) for row in old_data.get("schedules", [])]}
        return data


class RunJournal(Store[dict[str, Any]]):
    """One-offs run, or about to run, that the schedule store lacks: ``{"fired": {schedule id: instant}}``.

    Written (small, durable) just before a one-off's action, so that it never runs twice however many
    schedules the schedule store holds; an entry goes once the schedule store has that run.
    """

    def __init__(self, hass: HomeAssistant) -> None:
        """Bind to ``.storage/bellas_reef.runs``."""
        super().__init__(hass, RUNS_VERSION, RUNS_KEY, atomic_writes=True)


class ActionStore(Store[dict[str, Any]]):
    """Device actions (history and pending ones)."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Bind to ``.storage/bellas_reef.actions``."""
        super().__init__(hass, ACTIONS_VERSION, ACTIONS_KEY, atomic_writes=True)


class ScheduleFiles:
    """The schedule store and the run journal, as the engine uses them.

    Each schedule's stored form (its row) is made once per change and never changed after, so a write only
    lists the rows and the executor serialises them. Changes by the user are written before they are
    acknowledged (``async_save``); run records of many runs are written together within a second
    (``async_save_soon``); a one-off's run goes to the small journal before its action (``async_journal``).
    """

    def __init__(self, hass: HomeAssistant) -> None:
        """Bind to the schedule store and the run journal."""
        self.hass = hass
        self.store = ScheduleStore(hass)
        self.journal = RunJournal(hass)
        self.invalid: list[dict[str, Any]] = []  # stored schedules that no longer validate, kept as they are
        self._rows: dict[str, dict[str, Any]] = {}
        self._fired: dict[str, str] = {}  # the journal: one-offs run (or about to) that the store lacks
        self._save_later: CALLBACK_TYPE | None = None

    async def async_load(self) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """The stored schedules, and the journal's one-offs that ran after the store was written."""
        data = await self.store.async_load() or {}
        journal = await self.journal.async_load() or {}
        return list(data.get("schedules", [])), dict(journal.get("fired", {}))

    def keep(self, schedule: Schedule) -> None:
        """A schedule as it is now (written with the next write)."""
        self._rows[schedule.id] = schedule.to_dict()

    def forget(self, schedule_id: str) -> None:
        """A deleted schedule."""
        del self._rows[schedule_id]

    async def async_save(self, *, empty_journal: bool = False) -> None:
        """Write the schedule store now; the journal then forgets the runs the store holds.

        A journal entry stays until the store has that run (a one-off is journalled just *before* it runs);
        ``empty_journal`` drops every entry (at start-up once the store has them, and when Home Assistant
        stops: every run that happened is in the store then).
        """
        if self._save_later is not None:
            self._save_later()
            self._save_later = None
        # the journal's entries whose run the file being written holds (a deleted schedule's too), or all
        journal = {
            schedule_id: ran
            for schedule_id, ran in self._fired.items()
            if empty_journal or (row := self._rows.get(schedule_id)) is None or row.get("last_run") == ran
        }
        await self.store.async_save({"schedules": [*self._rows.values(), *self.invalid]})
        # (not those journalled anew while the file was written)
        stored = [schedule_id for schedule_id, ran in journal.items() if self._fired.get(schedule_id) == ran]
        for schedule_id in stored:
            del self._fired[schedule_id]
        if stored or empty_journal:  # (at start-up the file's entries were never in memory)
            await self.journal.async_save({"fired": dict(self._fired)})

    @callback
    def async_save_soon(self) -> None:
        """Write the schedule store within a second: the run records of many runs make one write."""
        if self._save_later is None:
            self._save_later = async_call_later(self.hass, RUN_RECORD_SAVE_DELAY, self._async_save_due)

    async def _async_save_due(self, _now: datetime) -> None:
        self._save_later = None
        await self.async_save()

    async def async_journal(self, schedule_id: str, ran: datetime) -> None:
        """Note at once that a one-off runs at ``ran`` (the store has it within a second of the run)."""
        self._fired[schedule_id] = ran.isoformat()
        await self.journal.async_save({"fired": dict(self._fired)})
