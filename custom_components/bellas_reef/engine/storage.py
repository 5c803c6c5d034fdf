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
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.json import json_bytes
from homeassistant.helpers.storage import Store

from ..const import DOMAIN, LOGGER, SIGNAL_STORAGE
from ..scheduling.const import DEFAULT_MISFIRE_GRACE
from .issues import async_update_storage_issue

if TYPE_CHECKING:
    from datetime import datetime

    from homeassistant.core import HomeAssistant

    from ..scheduling import Schedule
    from .journal import RunJournal

SCHEDULES_KEY = f"{DOMAIN}.schedules"
SCHEDULES_VERSION = 2
ACTIONS_KEY = f"{DOMAIN}.actions"
ACTIONS_VERSION = 1
ACTIONS_SAVE_DELAY = 30.0  # seconds: history writes are coalesced
RUN_RECORD_SAVE_DELAY = 1.0  # seconds: run records of many schedules firing together make one write
RETRY_DELAY = 30.0  # seconds until a failed background write is tried again

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


class StoreWriteError(Exception):
    """A store could not be written (the disk, or data that is not JSON): the change is not on disk."""


class WatchedStore(Store[dict[str, Any]]):
    """A ``Store`` whose failed writes are known, not only logged.

    Home Assistant's ``Store`` logs a failed write and returns as if it had worked, but a write that loses a
    schedule must be visible: the caller hears of it, and a repair issue and the problem sensor say so until
    a write succeeds again. The one place to learn it is the store's writer, ``_async_write_data``, which is
    wrapped here (a test checks that every supported release of Home Assistant still has it).
    """

    failure: str | None = None  # why the last write failed; None once one succeeds

    async def _async_write_data(self, data: dict[str, Any]) -> None:
        try:
            await super()._async_write_data(data)
        except Exception as err:
            self._async_set_failure(f"{type(err).__name__}: {err}")
            raise StoreWriteError(self.failure) from err
        if self.failure is not None:
            self._async_set_failure(None)

    @callback
    def _async_set_failure(self, failure: str | None) -> None:
        self.failure = failure
        async_update_storage_issue(self.hass, self.key, failure)
        async_dispatcher_send(self.hass, SIGNAL_STORAGE)


class ScheduleStore(WatchedStore):
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


class ActionStore(WatchedStore):
    """Device actions (history and pending ones)."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Bind to ``.storage/bellas_reef.actions``."""
        super().__init__(hass, ACTIONS_VERSION, ACTIONS_KEY, atomic_writes=True)


class ScheduleFiles:
    """The schedule store as the engine uses it, and the run journal beside it (``journal``).

    Each schedule's stored form (its row) is made once per change and never changed after, so a write only
    lists the rows and the executor serialises them. Changes by the user are written before they are
    acknowledged (``async_save``); run records of many runs are written together within a second
    (``async_save_soon``). Once the file holds a one-off's run, the journal forgets it.
    """

    def __init__(self, hass: HomeAssistant, journal: RunJournal) -> None:
        """Bind to the schedule store; ``journal`` is told what each write holds."""
        self.hass = hass
        self.store = ScheduleStore(hass)
        self.journal = journal
        self.invalid: list[dict[str, Any]] = []  # stored schedules that no longer validate, kept as they are
        self._rows: dict[str, dict[str, Any]] = {}
        self._written: dict[str, dict[str, Any]] = {}  # the rows of the last write that worked
        self._save_later: CALLBACK_TYPE | None = None

    async def async_load(self) -> list[dict[str, Any]]:
        """The stored schedules."""
        data = await self.store.async_load() or {}
        return list(data.get("schedules", []))

    def check(self, schedule: Schedule) -> None:
        """Raise ``StoreWriteError`` if a schedule's stored form could not be written (before it is kept)."""
        try:
            json_bytes(schedule.to_dict())
        except (TypeError, ValueError) as err:
            raise StoreWriteError(f"schedule {schedule.id} cannot be stored: {err}") from err

    def keep(self, schedule: Schedule) -> None:
        """A schedule as it is now (written with the next write)."""
        self._rows[schedule.id] = schedule.to_dict()

    def forget(self, schedule_id: str) -> None:
        """A deleted schedule."""
        del self._rows[schedule_id]

    async def async_save(self, *, empty_journal: bool = False) -> None:
        """Write the schedule store now; the journal then forgets the runs the file holds.

        ``empty_journal`` drops every entry: at start-up once the file has the journal's runs, and when Home
        Assistant stops (every run that happened is in the file then).
        """
        if self._save_later is not None:
            self._save_later()
            self._save_later = None
        rows = dict(self._rows)
        held = self.journal.entries() if empty_journal else self.journal.held_by(rows)
        await self.store.async_save({"schedules": [*rows.values(), *self.invalid]})
        self._written = rows
        await self.journal.async_forget(held, write=empty_journal)

    async def async_tidy_journal(self) -> None:
        """Drop the journal's entries that the written store and the written history make needless."""
        await self.journal.async_forget(self.journal.held_by(self._written))

    @callback
    def async_save_soon(self) -> None:
        """Write the schedule store within a second: the run records of many runs make one write."""
        if self._save_later is None:
            self._save_later = async_call_later(self.hass, RUN_RECORD_SAVE_DELAY, self._async_save_due)

    async def _async_save_due(self, _now: datetime) -> None:
        self._save_later = None
        try:
            await self.async_save()
        except StoreWriteError as err:  # the repair issue says so; try again a little later
            LOGGER.error(
                "The schedule store could not be written (%s); trying again in %.0f s", err, RETRY_DELAY
            )
            self._save_later = async_call_later(self.hass, RETRY_DELAY, self._async_save_due)
