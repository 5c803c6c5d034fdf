"""A one-off runs at most once: the run journal, and what it tells after a restart.

The schedule store is large and takes the run records of many runs in one write, within a second. A crash in
that second must not let a one-off run again, so a one-off's run goes first to a small journal
(``.storage/bellas_reef.runs``):

* ``JOURNAL_LEAD`` ahead of its instant, the one-off is noted as *about to run* (so that the action still
  starts on its instant; a run that fires without that note is noted before its action starts);
* when its action has finished, the journal notes the outcome, at once: a record of the run in the delayed
  history may be lost in a crash, the journal's note is not;
* once the schedule store holds the run, and the history its record (for a run that finished), its entry
  goes; a clean stop empties the journal.

At the next start an entry counts only for the one-off as stored (at that instant, and enabled or recorded as
run then): an entry left by a one-off that was changed or disabled just before Home Assistant died does not.
A counted entry means the one-off is not run again. With an outcome, the run is known to have happened (its
record is written again from the journal if the crash took it); without one, Home Assistant died at the run
and whether its action ran is not known: it is recorded ``failed`` ("may not have run").

Stored form: ``{"fired": {schedule id: instant}, "finished": {schedule id: "success" | "failed"}}``;
``finished`` came later and is simply absent from older files (their entries read as having no outcome).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.util import dt as dt_util

from ..const import DOMAIN
from ..scheduling import RunStatus, ScheduleType
from .storage import WatchedStore

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant.core import HomeAssistant

    from ..scheduling import Schedule

RUNS_KEY = f"{DOMAIN}.runs"
RUNS_VERSION = 1
# a one-off's run goes to the journal this long before its instant, so that the action starts on time
JOURNAL_LEAD = timedelta(milliseconds=200)


class JournalStore(WatchedStore):
    """``.storage/bellas_reef.runs``: small, written at once."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Bind to the file."""
        super().__init__(hass, RUNS_VERSION, RUNS_KEY, atomic_writes=True)


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """A one-off's run as the journal has it: its instant, and its outcome once it finished."""

    at: str
    outcome: RunStatus | None = None

    @property
    def instant(self) -> datetime | None:
        """The run's instant (None for an entry that does not parse, which then counts for nothing)."""
        return dt_util.parse_datetime(self.at)


class RunJournal:
    """The journal in memory (what the file holds) and the one-offs journalled ahead of a coming run."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Bind to the journal file."""
        self.store = JournalStore(hass)
        self._fired: dict[str, str] = {}
        self._finished: dict[str, str] = {}
        self._recorded: set[str] = set()  # finished entries whose run's record the history has written
        self._ahead: dict[str, datetime] = {}

    async def async_load(self) -> dict[str, JournalEntry]:
        """The entries a previous run of Home Assistant left (they are not kept in memory)."""
        data = await self.store.async_load() or {}
        finished = data.get("finished") or {}
        entries = {}
        for schedule_id, at in (data.get("fired") or {}).items():
            outcome = finished.get(schedule_id)
            entries[str(schedule_id)] = JournalEntry(
                str(at), RunStatus(outcome) if outcome in tuple(RunStatus) else None
            )
        return entries

    async def _async_write(self) -> None:
        data: dict[str, Any] = {"fired": dict(self._fired)}
        if self._finished:
            data["finished"] = dict(self._finished)
        await self.store.async_save(data)

    async def async_note(self, schedule_id: str, at: datetime) -> None:
        """A one-off runs at ``at`` (about to, or now): on disk before its action starts."""
        self._fired[schedule_id] = at.isoformat()
        self._finished.pop(schedule_id, None)
        self._recorded.discard(schedule_id)
        await self._async_write()

    async def async_finish(self, schedule_id: str, at: datetime, outcome: RunStatus) -> None:
        """A journalled one-off's run finished: its outcome goes to disk at once."""
        if self._fired.get(schedule_id) != at.isoformat():
            return  # the store holds the run already (or the one-off was deleted): nothing to tell
        self._finished[schedule_id] = outcome.value
        await self._async_write()

    def held_by(self, rows: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
        """The entries a store file made of ``rows`` makes needless.

        Its one-off has that run (or is gone), and the run's record is written (or the run has not finished:
        the store's row then tells enough).
        """
        return {
            schedule_id: at
            for schedule_id, at in self._fired.items()
            if ((row := rows.get(schedule_id)) is None or row.get("last_run") == at)
            and (schedule_id not in self._finished or schedule_id in self._recorded)
        }

    def finished(self) -> set[str]:
        """The entries whose run finished (their outcome is noted)."""
        return set(self._finished)

    def records_saved(self, finished: set[str]) -> None:
        """The history was written with the records of the runs of these (finished) entries."""
        self._recorded |= finished & set(self._finished)

    def entries(self) -> dict[str, str]:
        """Every entry in memory (what a write of the whole store then holds)."""
        return dict(self._fired)

    async def async_forget(self, held: Mapping[str, str], *, write: bool = False) -> None:
        """Drop the entries the schedule store now holds (not those journalled anew meanwhile)."""
        stored = [schedule_id for schedule_id, at in held.items() if self._fired.get(schedule_id) == at]
        for schedule_id in stored:
            del self._fired[schedule_id]
            self._finished.pop(schedule_id, None)
            self._recorded.discard(schedule_id)
        if stored or write:
            await self._async_write()

    # -- journalled ahead of a run that is still to come
    def ahead(self, schedule_id: str) -> datetime | None:
        """The coming run a one-off was journalled for, if any."""
        return self._ahead.get(schedule_id)

    def set_ahead(self, schedule_id: str, due: datetime) -> None:
        """A one-off's coming run at ``due`` is in the journal."""
        self._ahead[schedule_id] = due

    def drop_ahead(self, schedule_id: str) -> None:
        """The one-off changed (or was deleted) before that run; its stale entry is harmless (see above)."""
        self._ahead.pop(schedule_id, None)

    def take_ahead(self, schedule_id: str, due: datetime) -> bool:
        """Whether the run at ``due`` was journalled ahead (it now runs: the mark goes)."""
        return self._ahead.pop(schedule_id, None) == due

    def clear_ahead(self) -> None:
        """Shutdown: the runs journalled ahead will not come now."""
        self._ahead.clear()


def concerns(schedule: Schedule, entry: JournalEntry) -> bool:
    """Whether an entry is about this one-off's run: at its instant, and enabled or recorded as run then."""
    ran = entry.instant
    return (
        ran is not None
        and schedule.schedule_type is ScheduleType.ONE_OFF
        and schedule.run_at == ran
        and (schedule.enabled or schedule.last_run == ran)
    )


def recovered(schedule: Schedule, entry: JournalEntry) -> Schedule | None:
    """The one-off as the journal says it ran, or None when the entry does not count for it (see above)."""
    ran = entry.instant
    if (
        ran is None
        or schedule.schedule_type is not ScheduleType.ONE_OFF
        or not schedule.enabled
        or schedule.run_at != ran
        or (schedule.last_run is not None and schedule.last_run >= ran)
    ):
        return None
    return replace(schedule, last_run=ran, next_run=None, last_run_status=entry.outcome)
