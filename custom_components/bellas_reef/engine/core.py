"""The scheduler in Home Assistant: one armed timer per enabled schedule, device actions, restart rules.

Every enabled schedule has exactly one timer, at its ``next_run`` (``async_track_point_in_utc_time``); a
change to a schedule re-arms or cancels it at once, and nothing polls. When a timer fires, each target gets a
device action (run by ``actions.DeviceActions``), the schedule's run record is updated and the next timer
armed. A failing target never stops the others.

A run costs the same with ten schedules or ten thousand: the figures over all schedules live in an index
kept one change at a time (``index``), each schedule's entities listen to a signal of their own, and the
schedule store is written in the executor from rows made once per change (``storage.ScheduleFiles``).

Rules the engine keeps (the README says them in plain words):

* A change to a schedule is in the store before the call returns. A one-off's run is in the small run
  journal before its action runs, and its outcome as soon as it finished, so it never runs twice
  (``journal``).
* After a restart (at Home Assistant's start): the latest run missed by at most the schedule's
  ``misfire_grace`` runs once; older misses are recorded ``skipped``. Pending reverts and manual actions whose
  time passed run at once.
* Level-type schedules (presets, ramps in progress) put a channel at the level they give *now* whenever the
  channel appears (a board set up or reloaded) and when such a schedule is created, changed or enabled. When
  several drive one channel, the highest level wins.
* A schedule whose ``end_time`` has passed disables itself and says so in the log.
* A schedule whose targets no longer exist is kept, and a repair issue names it.
* The keeper's modes and holds (``keeper``) may hold a channel: a run on it is recorded ``skipped``.

Why this module is longer than the others: it is the engine's one class, and each of its parts - loading
and the restart rules, changes, timers, firing - arms, disarms or reads the same timers and schedules.
What can stand apart has left it: the rules (``scheduling``), the run journal, the stores, device actions,
channel levels and repair issues.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_track_point_in_utc_time, async_track_time_interval
from homeassistant.helpers.start import async_at_started
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from ..const import (
    DEFAULT_MAX_RECORDS,
    DEFAULT_RETENTION_DAYS,
    DOMAIN,
    LOGGER,
    SIGNAL_SCHEDULES,
    schedule_signal,
)
from ..models import LiveChannels
from ..scheduling import (
    ActionType,
    RunStatus,
    Schedule,
    ScheduleError,
    ScheduleType,
    next_run,
)
from ..scheduling.calculator import runs_between
from ..scheduling.changes import (
    Rules,
    catch_up,
    late_run_plan,
    new_schedule,
    updated_schedule,
    with_next_run,
)
from ..scheduling.const import LAST_ERROR_MAX_LENGTH
from ..scheduling.index import ScheduleIndex
from .actions import DeviceActions, storage_failed
from .history import ActionHistory, ActionStatus, DeviceAction
from .issues import async_update_missing_targets, async_update_unreadable, known_channels
from .journal import JOURNAL_LEAD, JournalEntry, RunJournal, concerns, recovered
from .keeper import Keeper
from .levels import ChannelLevels
from .storage import ScheduleFiles, StoreWriteError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

ENGINE_KEY: HassKey[ScheduleEngine] = HassKey(DOMAIN)
_EPSILON = timedelta(microseconds=1)


def _run_status(records: list[DeviceAction], results: list[bool]) -> RunStatus:
    """How a run went: skipped when the keeper held every target, failed when a target failed."""
    if records and all(record.status is ActionStatus.SKIPPED for record in records):
        return RunStatus.SKIPPED
    return RunStatus.SUCCESS if all(results) else RunStatus.FAILED


class ScheduleNotFoundError(KeyError):
    """No schedule has this id."""


class ScheduleEngine:
    """All schedules of the instance, their timers and their history."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Create an empty engine; ``async_load`` fills it."""
        self.hass = hass
        self.journal = RunJournal(hass)
        self.files = ScheduleFiles(hass, self.journal)
        self.history = ActionHistory(hass, on_saved=self._async_records_saved)
        self.history.saved_marker = self.journal.finished
        self.schedules: dict[str, Schedule] = {}
        self.index = ScheduleIndex()
        self._disagree: set[str] = set()  # schedules whose timer does not match them (should stay empty)
        self.channels = LiveChannels(hass)
        self.actions = DeviceActions(hass, self.history, self.channels, self.schedules)
        self.levels = ChannelLevels(self.channels, self.index, self.history)
        self.keeper = Keeper(
            hass,
            channels=self.channels,
            index=self.index,
            history=self.history,
            actions=self.actions,
            levels=self.levels,
        )
        self.orphaned: dict[str, list[str]] = {}
        self.retention_days = DEFAULT_RETENTION_DAYS
        self.max_records = DEFAULT_MAX_RECORDS
        self._timers: dict[str, CALLBACK_TYPE] = {}
        self._stopping = False
        self._unsubscribe: list[CALLBACK_TYPE] = []
        self.started = False

    # -- loading, start-up, shutdown
    async def async_load(self) -> None:
        """Read both stores, arm the future, and leave the past to the start-up pass."""
        rows = await self.files.async_load()
        journal = await self.journal.async_load()
        await self.keeper.async_load()
        ran: list[tuple[Schedule, JournalEntry]] = []  # one-offs the journal says ran (or were about to)
        for raw in rows:
            try:
                schedule = Schedule.from_dict(raw)
            except ScheduleError as err:
                LOGGER.error(
                    "Stored schedule %s is not valid any more and is not run: %s", raw.get("id"), err
                )
                self.files.invalid.append(raw)
                continue
            entry = journal.get(schedule.id)
            if entry is not None and concerns(schedule, entry):
                if (journalled := recovered(schedule, entry)) is not None:
                    LOGGER.info(
                        "Schedule %s ran at %s before Home Assistant stopped; it is not run again",
                        schedule.name,
                        entry.at,
                    )
                    schedule = journalled
                ran.append((schedule, entry))
            self._keep(schedule)
        for record in await self.history.async_load():
            self.history.async_update(
                record, ActionStatus.FAILED, error_message="interrupted: Home Assistant stopped while it ran"
            )
        for schedule, entry in ran:
            self._async_record_journalled(schedule, entry)
        if journal:  # the journal's runs and their records are on disk from now on (before a timer is armed)
            await self.history.async_save_now()
            await self.files.async_save(empty_journal=True)
        now = dt_util.utcnow()
        for schedule in list(self.schedules.values()):
            if schedule.enabled and (schedule.next_run is None or schedule.next_run > now):
                self._async_set(self._with_next_run(schedule, now))
        self._unsubscribe.append(
            async_track_time_interval(
                self.hass, self._async_retention, timedelta(days=1), name="bellas_reef retention"
            )
        )
        self._unsubscribe.append(async_at_started(self.hass, self._async_started))

    async def _async_started(self, _hass: HomeAssistant | None = None) -> None:
        """Home Assistant is up: catch up what was missed, re-arm pending actions, check targets."""
        self.started = True
        now = dt_util.utcnow()
        for schedule in list(self.schedules.values()):
            if schedule.enabled and schedule.next_run is not None and schedule.next_run <= now:
                await self._async_catch_up(schedule, now)
        self.actions.async_start(now)
        self.keeper.async_started(now)
        self._async_retention()
        self.async_check_targets()
        self.async_check_invalid()

    async def async_unload(self) -> None:
        """Cancel every timer, wait for running actions, and write what is not written yet."""
        self._stopping = True  # runs that end from here on arm nothing
        for cancel in (*self._timers.values(), *self._unsubscribe):
            cancel()
        self._timers.clear()
        self._unsubscribe.clear()
        await self.keeper.async_stop()
        await self.actions.async_stop()
        # every run that happened is in the schedule store now; one-offs journalled ahead of a run that will
        # not come now must not count as run at the next start
        self.journal.clear_ahead()
        await self.files.async_save(empty_journal=True)
        await self.history.async_save_now()

    @callback
    def _async_records_saved(self, finished: set[str]) -> None:
        """The history was written: the journal's finished runs among ``finished`` have their records."""
        self.journal.records_saved(finished)
        if finished:
            self.actions.track(self.files.async_tidy_journal())

    @callback
    def _async_record_journalled(self, schedule: Schedule, entry: JournalEntry) -> None:
        """A one-off the journal says ran, or was about to, when Home Assistant stopped (it is not run again).

        A record of its run, if the history has one, says how it went. Without one, the journal's outcome is
        recorded (the crash took the record); without an outcome, Home Assistant died at the run and whether
        the action ran is not known: it is recorded as failed, so that the problem sensor says so.
        """
        assert schedule.last_run is not None  # noqa: S101 - set from the journal or the store
        if any(r.scheduled_time == schedule.last_run for r in self.history.query(schedule_id=schedule.id)):
            return
        if entry.outcome is not None:
            status = ActionStatus(entry.outcome.value)
            reason = (
                "ran before Home Assistant stopped (its outcome is from the run journal; its record was lost)"
            )
            self.actions.async_record_run(schedule, schedule.last_run, status, reason)
            return
        reason = "Home Assistant stopped at its time; it may not have run, and a one-off is never run twice"
        LOGGER.warning("Schedule %s: %s", schedule.name, reason)
        self.actions.async_record_run(schedule, schedule.last_run, ActionStatus.FAILED, reason)
        self._keep(
            replace(schedule, last_run_status=RunStatus.FAILED, last_error=reason[:LAST_ERROR_MAX_LENGTH])
        )

    # -- channels
    @callback
    def async_channels_appeared(self, channel_ids: Iterable[str]) -> None:
        """A board's channels are live (set up or reloaded): at their schedules' level, or a mode's."""
        channel_ids = list(channel_ids)
        self.levels.async_apply(channel_ids, dt_util.utcnow())
        self.keeper.async_channels_appeared(channel_ids)
        self.async_check_targets()

    @callback
    def async_check_targets(self, schedule_ids: Iterable[str] | None = None) -> None:
        """Raise (or clear) a repair issue for each schedule whose targets are gone.

        With ``schedule_ids``, only those schedules are looked at (one was stored or deleted); without, all
        (at start-up, and when channels come and go).
        """
        known = known_channels(self.hass)
        if schedule_ids is None:
            orphaned: dict[str, list[str]] = {}
            ids: Iterable[str] = self.schedules
        else:
            orphaned = dict(self.orphaned)
            ids = schedule_ids
        for schedule_id in ids:
            orphaned.pop(schedule_id, None)
            schedule = self.schedules.get(schedule_id)
            if schedule is None or schedule.action_type is ActionType.CUSTOM:
                continue
            if missing := [target for target in schedule.targets if target not in known]:
                orphaned[schedule_id] = missing
        changed = async_update_missing_targets(self.hass, self.schedules, self.orphaned, orphaned)
        self.orphaned = orphaned
        for schedule_id in changed:
            self._async_signal(schedule_id)

    @callback
    def async_check_invalid(self) -> list[dict[str, Any]]:
        """Raise (or clear) the repair issue for stored schedules that no longer validate; list them."""
        return async_update_unreadable(self.hass, self.files.invalid)

    # -- changes
    def rules(self) -> Rules:
        """How the integration's own input is checked (a caller's is checked by stricter ``Rules``)."""
        return Rules(self.hass.config.time_zone)

    def prepare_create(self, data: Mapping[str, Any], rules: Rules | None = None) -> Schedule:
        """The schedule ``data`` describes, checked and not stored; raise ``ScheduleError`` listing all."""
        return new_schedule(data, now=dt_util.utcnow(), rules=rules or self.rules())

    def prepare_update(
        self, schedule_id: str, changes: Mapping[str, Any], rules: Rules | None = None
    ) -> Schedule:
        """A schedule with a partial update applied, checked as a whole, not stored; keeps the run record."""
        return updated_schedule(
            self.get(schedule_id), changes, now=dt_util.utcnow(), rules=rules or self.rules()
        )

    async def async_store(self, schedule: Schedule) -> Schedule:
        """Keep a prepared schedule (new or changed), arm it, and write the store before returning.

        A write that fails takes the change back (memory as it was, the file never changed) and raises a
        translated ``HomeAssistantError``; the repair issue and the problem sensor say so too.
        """
        previous = self.schedules.get(schedule.id)
        self.files.check(schedule)
        self._async_set(schedule)
        await self._async_write_or_undo(schedule.id, previous, schedule)
        self.async_check_targets([schedule.id])
        targets = set(schedule.targets) | (set(previous.targets) if previous is not None else set())
        self.levels.async_apply(targets, dt_util.utcnow())
        return schedule

    async def async_create(self, data: Mapping[str, Any]) -> Schedule:
        """Validate and store a new schedule; raise ``ScheduleError`` with every problem."""
        return await self.async_store(self.prepare_create(data))

    async def async_update(self, schedule_id: str, changes: Mapping[str, Any]) -> Schedule:
        """Apply a partial update, validated as a whole; the run record is kept."""
        return await self.async_store(self.prepare_update(schedule_id, changes))

    async def async_delete(self, schedule_id: str) -> Schedule:
        """Remove a schedule and its timer."""
        schedule = self.get(schedule_id)
        self._async_forget(schedule_id)
        await self._async_write_or_undo(schedule_id, schedule, None)
        self.async_check_targets([schedule_id])
        return schedule

    @callback
    def _async_forget(self, schedule_id: str) -> None:
        self._disarm(schedule_id)
        del self.schedules[schedule_id]
        self.files.forget(schedule_id)
        self.index.drop(schedule_id)
        self.journal.drop_ahead(schedule_id)
        self._async_check_timer(schedule_id)
        self._async_signal(schedule_id)

    async def _async_write_or_undo(
        self, schedule_id: str, before: Schedule | None, after: Schedule | None
    ) -> None:
        """Write the schedule store; if that fails, put the schedule back as it was and raise."""
        try:
            await self.files.async_save()
        except StoreWriteError as err:
            if self.schedules.get(schedule_id) is after:  # nothing changed it meanwhile
                if before is None:
                    self._async_forget(schedule_id)
                else:
                    self._async_set(before)
            raise storage_failed(err) from err

    async def async_set_enabled(self, schedule_id: str, *, enabled: bool) -> Schedule:
        """Enable (from now on) or disable a schedule."""
        current = self.get(schedule_id)
        if current.enabled == enabled:
            return current
        now = dt_util.utcnow()
        schedule = replace(current, enabled=enabled, updated_at=now)
        schedule = self._with_next_run(schedule, now) if enabled else replace(schedule, next_run=None)
        self._async_set(schedule)
        await self._async_write_or_undo(schedule_id, current, schedule)
        if enabled:
            self.levels.async_apply(schedule.targets, now)
        return schedule

    def get(self, schedule_id: str) -> Schedule:
        """A schedule by id; raise ``ScheduleNotFoundError``."""
        try:
            return self.schedules[schedule_id]
        except KeyError as err:
            raise ScheduleNotFoundError(schedule_id) from err

    def _with_next_run(self, schedule: Schedule, now: datetime) -> Schedule:
        """The schedule with its next run after ``now``; past its end it disables itself, which is logged."""
        schedule, ended = with_next_run(schedule, now)
        if ended:
            LOGGER.info(
                "Schedule %s reached its end time (%s) and was disabled", schedule.name, schedule.end_time
            )
        return schedule

    def _keep(self, schedule: Schedule) -> None:
        """Hold a schedule: by id, in the index, and as the row the store file will hold."""
        self.schedules[schedule.id] = schedule
        self.index.put(schedule)
        self.files.keep(schedule)

    @callback
    def _async_set(self, schedule: Schedule) -> None:
        """Keep a schedule and (re-)arm its timer."""
        self._keep(schedule)
        self._disarm(schedule.id)
        if self._stopping:  # a run that ended during shutdown: kept (and written), not armed
            self._async_signal(schedule.id)
            return
        ahead = self.journal.ahead(schedule.id)
        if ahead is not None and not (schedule.enabled and schedule.next_run == ahead):
            self.journal.drop_ahead(schedule.id)  # changed before the run it was journalled for
            ahead = None
        if schedule.enabled and schedule.next_run is not None:
            due = schedule.next_run
            if schedule.schedule_type is ScheduleType.ONE_OFF and ahead is None:
                # first to the journal, a little ahead; the run itself is armed from there
                self._timers[schedule.id] = async_track_point_in_utc_time(
                    self.hass, partial(self._async_journal_ahead, schedule.id, due), due - JOURNAL_LEAD
                )
            else:
                self._timers[schedule.id] = async_track_point_in_utc_time(
                    self.hass, partial(self._async_due, schedule.id, due), due
                )
        self._async_check_timer(schedule.id)
        self._async_signal(schedule.id)

    @callback
    def _async_journal_ahead(self, schedule_id: str, due: datetime, _now: datetime) -> None:
        """Just before a one-off's instant: its run goes to the journal, then the run itself is armed.

        The fired timer stays in ``_timers`` while the journal is written: the schedule counts as armed, and
        whoever changes the schedule meanwhile replaces it, which tells the write not to arm the run.
        """
        self.actions.track(self._async_journal_then_arm(schedule_id, due, self._timers.get(schedule_id)))

    async def _async_journal_then_arm(
        self, schedule_id: str, due: datetime, armed: CALLBACK_TYPE | None
    ) -> None:
        try:
            await self.journal.async_note(schedule_id, due)
        except StoreWriteError:
            noted = False  # the run tries once more at its instant, and does not run unless that works
        else:
            noted = True
        if self._timers.get(schedule_id) is not armed:  # changed meanwhile: its new timer decides
            return
        if noted:
            self.journal.set_ahead(schedule_id, due)
        if dt_util.utcnow() >= due:  # the write took longer than the lead: run now
            self._async_due(schedule_id, due)
            return
        self._timers[schedule_id] = async_track_point_in_utc_time(
            self.hass, partial(self._async_due, schedule_id, due), due
        )

    @callback
    def _async_check_timer(self, schedule_id: str) -> None:
        """Note whether a schedule has a timer exactly when it should (the problem sensor shows it)."""
        schedule = self.schedules.get(schedule_id)
        expected = schedule is not None and schedule.enabled and schedule.next_run is not None
        if expected == (schedule_id in self._timers):
            self._disagree.discard(schedule_id)
        else:
            self._disagree.add(schedule_id)

    @callback
    def _async_signal(self, schedule_id: str) -> None:
        """Tell listeners a schedule changed (or was deleted).

        Each schedule's entities listen on a signal of their own, so that a run costs the same whether
        there are ten schedules or ten thousand.
        """
        async_dispatcher_send(self.hass, SIGNAL_SCHEDULES, schedule_id)
        async_dispatcher_send(self.hass, schedule_signal(schedule_id))

    @callback
    def _disarm(self, schedule_id: str) -> None:
        if (cancel := self._timers.pop(schedule_id, None)) is not None:
            cancel()

    # -- firing
    @callback
    def _async_due(self, schedule_id: str, scheduled: datetime, _now: datetime | None = None) -> None:
        self._timers.pop(schedule_id, None)
        # the run starts at once (eagerly) and re-arms the timer before it first waits
        self.actions.track(self._async_fire(schedule_id, scheduled))
        self._async_check_timer(schedule_id)

    async def _async_catch_up(self, schedule: Schedule, now: datetime) -> None:
        """A run (or several) fell due while Home Assistant was stopped."""
        missed = catch_up(schedule, now)
        if missed.run:
            LOGGER.info(
                "Schedule %s missed its run at %s by %.0f s; running it now",
                schedule.name,
                missed.instant,
                missed.late,
            )
            await self._async_fire(schedule.id, missed.instant, note=missed.reason)
            return
        LOGGER.warning("Schedule %s %s; recorded as skipped", schedule.name, missed.reason)
        self.actions.async_record_run(schedule, missed.instant, ActionStatus.SKIPPED, missed.reason)
        skipped = replace(
            schedule,
            last_run=missed.instant,
            last_run_status=RunStatus.SKIPPED,
            last_error=missed.reason[:LAST_ERROR_MAX_LENGTH],
        )
        self._async_set(self._with_next_run(skipped, now))
        self.files.async_save_soon()

    async def _async_fire(
        self,
        schedule_id: str,
        scheduled: datetime,
        *,
        context: Context | None = None,
        note: str | None = None,
    ) -> list[DeviceAction]:
        """Run a schedule's action on every target, record it, and arm the next run."""
        schedule = self.schedules.get(schedule_id)
        if schedule is None:
            return []
        manual = context is not None
        if not schedule.enabled and not manual:
            return []
        now = dt_util.utcnow()
        # a schedule's own run acts with its creator's rights (Home Assistant checks them for a custom action)
        context = context or Context(user_id=schedule.created_by)
        caused_by = f"user:{context.user_id}" if manual and context.user_id else f"schedule:{schedule.id}"
        records = [
            self.history.async_add(
                DeviceAction(
                    action_type,
                    instant,
                    target=target,
                    schedule_id=schedule.id,
                    action_params=params,
                    caused_by=caused_by,
                    context_id=context.id,
                    user_id=context.user_id,
                )
            )
            for instant, target, action_type, params in late_run_plan(schedule, scheduled, now)
        ]
        if not manual:
            journalled = self.journal.take_ahead(schedule.id, scheduled)
            ran = max((record.scheduled_time for record in records), default=scheduled)
            schedule = self._with_next_run(replace(schedule, last_run=ran), max(scheduled, now))
            self._async_set(schedule)
            self.files.async_save_soon()
            if schedule.schedule_type is ScheduleType.ONE_OFF and not journalled:
                # the run is on disk before the action runs, so a one-off never runs twice: in the small
                # journal (usually written just ahead of its instant), in the schedule store soon after
                try:
                    await self.journal.async_note(schedule.id, scheduled)
                except StoreWriteError as err:
                    self._async_not_journalled(schedule, records, err)
                    return records
        results = await asyncio.gather(
            *(self.actions.async_run(record, schedule, context, note=note) for record in records)
        )
        status = _run_status(records, results)
        if not manual and schedule.schedule_type is ScheduleType.ONE_OFF:
            try:
                await self.journal.async_finish(schedule_id, scheduled, status)  # it ran: on disk now
            except StoreWriteError as err:  # its record and the schedule store will still say so
                LOGGER.error("The run journal could not note how %s went: %s", schedule.name, err)
        if (current := self.schedules.get(schedule_id)) is not None:
            if manual:
                current = replace(
                    current, last_run=max((r.scheduled_time for r in records), default=scheduled)
                )
            error = next((r.error_message for r in records if r.status is ActionStatus.FAILED), None)
            error = None if error is None else error[:LAST_ERROR_MAX_LENGTH]
            self._async_set(replace(current, last_run_status=status, last_error=error))
            self.files.async_save_soon()
        return records

    @callback
    def _async_not_journalled(self, schedule: Schedule, records: list[DeviceAction], err: Exception) -> None:
        """A one-off whose run could not be noted on disk: it does not run (it might run twice otherwise)."""
        reason = f"not run: the run journal could not be written ({err}), and a one-off never runs twice"
        LOGGER.error("Schedule %s %s", schedule.name, reason)
        for record in records:
            self.history.async_update(record, ActionStatus.FAILED, error_message=reason)
            self.actions.announce(record, schedule)
        if (current := self.schedules.get(schedule.id)) is not None:
            self._async_set(
                replace(current, last_run_status=RunStatus.FAILED, last_error=reason[:LAST_ERROR_MAX_LENGTH])
            )

    # -- manual actions
    async def async_run_now(self, schedule_id: str, context: Context) -> list[DeviceAction]:
        """Run a schedule's action now, whatever its timer (its next run stays as it is)."""
        schedule = self.get(schedule_id)
        now = dt_util.utcnow()
        if schedule.schedule_type is ScheduleType.STATIC:
            # from the first run of the last two days: each target gets the step of its own in force now (a
            # programme's targets change course at different instants)
            runs = runs_between(schedule, now - timedelta(days=2), now)
            instant = runs[0] if runs else next_run(schedule, now) or now
        else:
            instant = now
        return await self._async_fire(schedule_id, instant, context=context)

    # -- housekeeping and figures
    @callback
    def _async_retention(self, _now: datetime | None = None) -> None:
        """Drop finished actions past the retention policy (daily, and at start-up)."""
        cutoff = dt_util.utcnow() - timedelta(days=self.retention_days)
        removed = self.history.async_cleanup(cutoff, self.max_records)
        if removed:
            LOGGER.debug("Removed %d old device actions", removed)

    @callback
    def async_cleanup(self, older_than_days: float) -> int:
        """Drop finished actions older than the given number of days; return how many."""
        return self.history.async_cleanup(dt_util.utcnow() - timedelta(days=older_than_days))

    def armed(self) -> set[str]:
        """Ids of the schedules with a timer."""
        return set(self._timers)

    def storage_failures(self) -> dict[str, str]:
        """The stores whose last write failed, and why."""
        stores = (self.files.store, self.journal.store, self.history.store, self.keeper.store)
        return {store.key: store.failure for store in stores if store.failure is not None}

    def timers_agree(self) -> bool:
        """Whether exactly the enabled schedules with a next run have a timer (checked at every change)."""
        return not self._disagree

    def statistics(self) -> dict[str, Any]:
        """Schedules by type and status, actions by status, failures in the last 24 h, the next run."""
        upcoming = self.index.next_run()
        return {
            "schedules_total": len(self.schedules),
            "schedules_enabled": self.index.enabled,
            "schedules_by_type": self.index.types(),
            "schedules_by_status": self.index.statuses(),
            "schedules_with_missing_targets": len(self.orphaned),
            "next_run": upcoming.isoformat() if upcoming is not None else None,
            **self.history.statistics(dt_util.utcnow()),
        }
