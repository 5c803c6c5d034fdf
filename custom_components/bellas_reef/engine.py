"""The scheduler in Home Assistant: one armed timer per enabled schedule, device actions, restart rules.

Every enabled schedule has exactly one timer, at its ``next_run`` (``async_track_point_in_utc_time``); a
change to a schedule re-arms or cancels it at once, and nothing polls. When a timer fires, each target gets a
device action (``history``), the schedule's run record is updated and the next timer armed. A failing target
never stops the others.

Rules the engine keeps (the README says them in plain words):

* A change to a schedule is in the store before the call returns. A one-off's run record is in the store
  before its action runs, so it never runs twice.
* After a restart (at Home Assistant's start): the latest run missed by at most the schedule's
  ``misfire_grace`` runs once; older misses are recorded ``skipped``. Pending reverts and manual actions whose
  time passed run at once.
* Level-type schedules (presets, ramps in progress) put a channel at the level they give *now* whenever the
  channel appears (a board set up or reloaded) and when such a schedule is created, changed or enabled. When
  several drive one channel, the highest level wins.
* A schedule whose ``end_time`` has passed disables itself and says so in the log.
* A schedule whose targets no longer exist is kept, and a repair issue names it.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_track_point_in_utc_time, async_track_time_interval
from homeassistant.helpers.start import async_at_started
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN, KIND_SWITCH, LOGGER, SUBENTRY_CHANNEL
from .history import REVERT, ActionHistory, ActionStatus, DeviceAction
from .runner import ActionError, async_execute
from .scheduling import (
    ActionType,
    RunStatus,
    Schedule,
    ScheduleError,
    ScheduleType,
    level_at,
    next_run,
    validate_schedule,
)
from .scheduling.calculator import runs_between
from .scheduling.const import ALL_TYPE_FIELDS
from .scheduling.model import thaw
from .scheduling.presets import preset_step
from .scheduling.validation import parse_action
from .storage import RUN_RECORD_SAVE_DELAY, ScheduleStore

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from .channel import ChannelController

ENGINE_KEY: HassKey[ScheduleEngine] = HassKey(DOMAIN)
SIGNAL_SCHEDULES = f"{DOMAIN}_schedules_changed"  # args: schedule id, or None for "many"
SIGNAL_SCHEDULES_ALL = f"{DOMAIN}_all_schedules_changed"  # no args: every schedule may have changed
SIGNAL_ACTIONS = f"{DOMAIN}_actions_changed"  # args: the device action
EVENT_ACTION = f"{DOMAIN}_action"
DEFAULT_RETENTION_DAYS = 30
DEFAULT_MAX_RECORDS = 10_000
REVERTIBLE = frozenset(
    {ActionType.ON, ActionType.OFF, ActionType.TOGGLE, ActionType.SET_PWM, ActionType.SET_LEVEL}
)
_EPSILON = timedelta(microseconds=1)


def schedule_signal(schedule_id: str) -> str:
    """The signal for changes of one schedule."""
    return f"{SIGNAL_SCHEDULES}_{schedule_id}"


class ScheduleNotFoundError(KeyError):
    """No schedule has this id."""


class ActionNotFoundError(KeyError):
    """No pending device action has this id."""


class ScheduleEngine:
    """All schedules of the instance, their timers and their history."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Create an empty engine; ``async_load`` fills it."""
        self.hass = hass
        self.store = ScheduleStore(hass)
        self.history = ActionHistory(hass)
        self.schedules: dict[str, Schedule] = {}
        self.channels: dict[str, ChannelController] = {}
        self.orphaned: dict[str, list[str]] = {}
        self.retention_days = DEFAULT_RETENTION_DAYS
        self.max_records = DEFAULT_MAX_RECORDS
        self._invalid: list[dict[str, Any]] = []  # stored schedules that no longer validate, kept as they are
        self._timers: dict[str, CALLBACK_TYPE] = {}
        self._action_timers: dict[str, CALLBACK_TYPE] = {}
        self._unsubscribe: list[CALLBACK_TYPE] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self.started = False

    # -- loading, start-up, shutdown
    async def async_load(self) -> None:
        """Read both stores, arm the future, and leave the past to the start-up pass."""
        data = await self.store.async_load() or {}
        for raw in data.get("schedules", []):
            try:
                schedule = Schedule.from_dict(raw)
            except ScheduleError as err:
                LOGGER.error(
                    "Stored schedule %s is not valid any more and is not run: %s", raw.get("id"), err
                )
                self._invalid.append(raw)
                continue
            self.schedules[schedule.id] = schedule
        for record in await self.history.async_load():
            self.history.async_update(
                record, ActionStatus.FAILED, error_message="interrupted: Home Assistant stopped while it ran"
            )
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
        for record in self.history.pending():
            if record.scheduled_time <= now:  # a revert or manual action that fell due while stopped
                self._async_action_due(record.id, now)
            else:
                self._arm_action(record)
        self._async_retention()
        self.async_check_targets()
        self.async_check_invalid()

    async def async_unload(self) -> None:
        """Cancel every timer, wait for running actions, and write what is not written yet."""
        for cancel in (*self._timers.values(), *self._action_timers.values(), *self._unsubscribe):
            cancel()
        self._timers.clear()
        self._action_timers.clear()
        self._unsubscribe.clear()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._async_save()
        await self.history.async_save_now()

    # -- channels
    @callback
    def async_register_channel(self, channel: ChannelController) -> CALLBACK_TYPE:
        """A board made a channel available; put it at the level its schedules give now."""
        subentry_id = channel.config.subentry_id
        self.channels[subentry_id] = channel
        self._async_apply_levels([subentry_id], dt_util.utcnow())
        self.async_check_targets()

        @callback
        def unregister() -> None:
            if self.channels.get(subentry_id) is channel:
                del self.channels[subentry_id]

        return unregister

    @callback
    def async_check_targets(self) -> None:
        """Raise (or clear) a repair issue for each schedule whose targets are gone."""
        known = {
            subentry_id
            for entry in self.hass.config_entries.async_entries(DOMAIN)
            for subentry_id, subentry in entry.subentries.items()
            if subentry.subentry_type == SUBENTRY_CHANNEL
        }
        orphaned: dict[str, list[str]] = {}
        for schedule in self.schedules.values():
            if schedule.action_type is ActionType.CUSTOM:
                continue
            missing = [target for target in schedule.targets if target not in known]
            if missing:
                orphaned[schedule.id] = missing
        for schedule_id in set(self.orphaned) - set(orphaned):
            ir.async_delete_issue(self.hass, DOMAIN, f"missing_target_{schedule_id}")
        for schedule_id, missing in orphaned.items():
            if self.orphaned.get(schedule_id) != missing:
                ir.async_create_issue(
                    self.hass,
                    DOMAIN,
                    f"missing_target_{schedule_id}",
                    is_fixable=False,
                    severity=ir.IssueSeverity.WARNING,
                    translation_key="missing_target",
                    translation_placeholders={
                        "schedule": self.schedules[schedule_id].name,
                        "targets": ", ".join(missing),
                    },
                )
        if orphaned != self.orphaned:
            self.orphaned = orphaned
            self._async_signal(None)

    @callback
    def async_check_invalid(self) -> list[dict[str, Any]]:
        """Raise (or clear) the repair issue for stored schedules that no longer validate; list them."""
        unreadable = [{"id": str(raw.get("id")), "name": str(raw.get("name"))} for raw in self._invalid]
        if unreadable:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                "unreadable_schedules",
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key="unreadable_schedules",
                translation_placeholders={"names": ", ".join(item["name"] for item in unreadable)},
            )
        else:
            ir.async_delete_issue(self.hass, DOMAIN, "unreadable_schedules")
        return unreadable

    def _levels_now(self, subentry_id: str, now: datetime) -> float | None:
        """The highest level the enabled level-type schedules give a channel now, if any has a say."""
        channel = self.channels.get(subentry_id)
        levels = []
        for schedule in self.schedules.values():
            if not schedule.enabled or subentry_id not in schedule.targets:
                continue
            if schedule.start_time is not None and now < schedule.start_time:
                continue
            if schedule.end_time is not None and now > schedule.end_time:
                continue
            from_level = channel.level if channel is not None else None
            level = level_at(schedule, now, from_level=from_level)
            if level is not None:
                levels.append(level)
        return max(levels) if levels else None

    @callback
    def _async_apply_levels(self, subentry_ids: Iterable[str], now: datetime) -> None:
        for subentry_id in subentry_ids:
            channel = self.channels.get(subentry_id)
            level = self._levels_now(subentry_id, now)
            if channel is None or level is None:
                continue
            if channel.config.kind == KIND_SWITCH:
                channel.async_set_level(channel.on_level if level > 0 else 0.0)
                continue
            ramp = self._ramp_in_progress(subentry_id, now)
            if ramp is not None and abs(ramp[0] - level) < 1e-6:  # noqa: PLR2004 - float tolerance
                _, end_level, remaining = ramp
                channel.async_ramp(level, end_level, remaining, now)
            else:
                channel.async_set_level(level)

    def _ramp_in_progress(self, subentry_id: str, now: datetime) -> tuple[float, float, float] | None:
        """(level now, end level, seconds left) of a preset ramp on the channel that is under way."""
        for schedule in self.schedules.values():
            if not schedule.enabled or subentry_id not in schedule.targets:
                continue
            if schedule.schedule_type is not ScheduleType.STATIC:
                continue
            runs = runs_between(schedule, now - timedelta(days=1), now)
            if not runs:
                continue
            step = preset_step(schedule, runs[-1])
            remaining = (runs[-1] + timedelta(seconds=step.ramp_seconds) - now).total_seconds()
            if remaining > 0:
                current = level_at(schedule, now)
                if current is not None:
                    return (current, step.level, remaining)
        return None

    # -- changes
    def prepare_create(self, data: Mapping[str, Any]) -> Schedule:
        """The schedule ``data`` describes, checked and not stored; raise ``ScheduleError`` listing all."""
        now = dt_util.utcnow()
        checked = self._checked(data, now, check_past=True)
        return self._with_next_run(Schedule.from_dict(checked, now=now), now)

    def prepare_update(self, schedule_id: str, changes: Mapping[str, Any]) -> Schedule:
        """A schedule with a partial update applied, checked as a whole, not stored; keeps the run record."""
        current = self.get(schedule_id)
        now = dt_util.utcnow()
        base = current.to_dict()
        if changes.get("schedule_type", base["schedule_type"]) != base["schedule_type"]:
            for name in ALL_TYPE_FIELDS:  # the old type's fields do not carry over to the new type
                base.pop(name, None)
        if changes.get("frequency", base.get("frequency")) != base.get("frequency"):
            base.pop("weekdays", None)
            base.pop("days_of_month", None)
        merged = {**base, **changes, "id": schedule_id, "updated_at": now.isoformat()}
        merged["next_run"] = None
        new_run_at = "run_at" in changes and changes["run_at"] != merged_run_at(current)
        schedule = Schedule.from_dict(self._checked(merged, now, check_past=new_run_at), now=now)
        return self._with_next_run(schedule, now)

    async def async_store(self, schedule: Schedule) -> Schedule:
        """Keep a prepared schedule (new or changed), arm it, and write the store before returning."""
        previous = self.schedules.get(schedule.id)
        self._async_set(schedule)
        await self._async_save()
        self.async_check_targets()
        targets = set(schedule.targets) | (set(previous.targets) if previous is not None else set())
        self._async_apply_levels(targets, dt_util.utcnow())
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
        self._disarm(schedule_id)
        del self.schedules[schedule_id]
        await self._async_save()
        self.async_check_targets()
        self._async_signal(schedule_id)
        return schedule

    async def async_set_enabled(self, schedule_id: str, *, enabled: bool) -> Schedule:
        """Enable (from now on) or disable a schedule."""
        current = self.get(schedule_id)
        if current.enabled == enabled:
            return current
        now = dt_util.utcnow()
        schedule = replace(current, enabled=enabled, updated_at=now)
        schedule = self._with_next_run(schedule, now) if enabled else replace(schedule, next_run=None)
        self._async_set(schedule)
        await self._async_save()
        if enabled:
            self._async_apply_levels(schedule.targets, now)
        return schedule

    def get(self, schedule_id: str) -> Schedule:
        """A schedule by id; raise ``ScheduleNotFoundError``."""
        try:
            return self.schedules[schedule_id]
        except KeyError as err:
            raise ScheduleNotFoundError(schedule_id) from err

    def _checked(self, data: Mapping[str, Any], now: datetime, *, check_past: bool) -> dict[str, Any]:
        """Fill what a service may leave out (the zone is Home Assistant's) and check it all at once.

        ``run_at`` in the past is a problem for a new one-off or a new ``run_at``, not for a stored one.
        """
        result = dict(data)
        if not result.get("timezone"):
            result["timezone"] = self.hass.config.time_zone
        problems = validate_schedule(result, now=now if check_past else None)
        if problems:
            raise ScheduleError(problems)
        return result

    def _with_next_run(self, schedule: Schedule, now: datetime) -> Schedule:
        """The schedule with its next run after ``now``; past its end it disables itself."""
        if not schedule.enabled:
            return replace(schedule, next_run=None)
        upcoming = next_run(schedule, now)
        if upcoming is None and schedule.end_time is not None and schedule.end_time <= now:
            LOGGER.info(
                "Schedule %s reached its end time (%s) and was disabled", schedule.name, schedule.end_time
            )
            return replace(schedule, enabled=False, next_run=None)
        return replace(schedule, next_run=upcoming)

    @callback
    def _async_set(self, schedule: Schedule) -> None:
        """Keep a schedule and (re-)arm its timer."""
        self.schedules[schedule.id] = schedule
        self._disarm(schedule.id)
        if schedule.enabled and schedule.next_run is not None:
            self._timers[schedule.id] = async_track_point_in_utc_time(
                self.hass, partial(self._async_due, schedule.id), schedule.next_run
            )
        self._async_signal(schedule.id)

    @callback
    def _async_signal(self, schedule_id: str | None) -> None:
        """Tell listeners a schedule changed (None: possibly all of them).

        Each schedule's entities listen on a signal of their own, so that a run costs the same whether
        there are ten schedules or ten thousand.
        """
        async_dispatcher_send(self.hass, SIGNAL_SCHEDULES, schedule_id)
        if schedule_id is None:
            async_dispatcher_send(self.hass, SIGNAL_SCHEDULES_ALL)
        else:
            async_dispatcher_send(self.hass, schedule_signal(schedule_id))

    @callback
    def _disarm(self, schedule_id: str) -> None:
        if (cancel := self._timers.pop(schedule_id, None)) is not None:
            cancel()

    def _data(self) -> dict[str, Any]:
        return {"schedules": [s.to_dict() for s in self.schedules.values()] + self._invalid}

    async def _async_save(self) -> None:
        await self.store.async_save(self._data())

    # -- firing
    @callback
    def _async_due(self, schedule_id: str, scheduled: datetime) -> None:
        self._timers.pop(schedule_id, None)
        self._track(self._async_fire(schedule_id, scheduled))

    def _track(self, coro: Any) -> None:
        task = self.hass.async_create_task(coro, f"{DOMAIN} run", eager_start=True)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _async_catch_up(self, schedule: Schedule, now: datetime) -> None:
        """A run (or several) fell due while Home Assistant was stopped."""
        assert schedule.next_run is not None  # noqa: S101 - the caller checked
        missed = runs_between(schedule, schedule.next_run - _EPSILON, now, limit=10_000)
        latest = missed[-1] if missed else schedule.next_run
        late = (now - latest).total_seconds()
        if late <= schedule.misfire_grace:
            LOGGER.info(
                "Schedule %s missed its run at %s by %.0f s; running it now", schedule.name, latest, late
            )
            await self._async_fire(schedule.id, latest, note=f"ran {late:.0f} s late, after a restart")
            return
        reason = f"missed by {late:.0f} s while Home Assistant was stopped (grace {schedule.misfire_grace} s)"
        if len(missed) > 1:
            reason += f"; {len(missed)} runs missed"
        LOGGER.warning("Schedule %s %s; recorded as skipped", schedule.name, reason)
        action_type, params = self._action_of(schedule, latest)
        for target in self._record_targets(schedule):
            record = DeviceAction(
                action_type,
                latest,
                target=target,
                schedule_id=schedule.id,
                action_params=params,
                status=ActionStatus.SKIPPED,
                error_message=reason,
                caused_by=f"schedule:{schedule.id}",
            )
            self.history.async_add(record)
            self._announce(record, schedule)
        self._async_set(
            self._with_next_run(replace(schedule, last_run=latest, last_run_status=RunStatus.SKIPPED), now)
        )
        self.store.async_delay_save(self._data, RUN_RECORD_SAVE_DELAY)

    def _action_of(self, schedule: Schedule, instant: datetime) -> tuple[str, dict[str, Any]]:
        """What a run does: the schedule's action, or a preset's step at that instant."""
        if schedule.schedule_type is ScheduleType.STATIC:
            step = preset_step(schedule, instant)
            if step.ramp_seconds > 0:
                return ActionType.RAMP.value, {"end_level": step.level, "duration": step.ramp_seconds}
            return ActionType.SET_LEVEL.value, {"level": step.level}
        assert schedule.action_type is not None  # noqa: S101 - validation requires it for non-static types
        return schedule.action_type.value, thaw(schedule.action_params)

    @staticmethod
    def _record_targets(schedule: Schedule) -> list[str | None]:
        if schedule.action_type is ActionType.CUSTOM:
            return [None]
        return list(schedule.targets)

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
        context = context or Context()
        action_type, params = self._action_of(schedule, scheduled)
        caused_by = f"user:{context.user_id}" if manual and context.user_id else f"schedule:{schedule.id}"
        records = [
            self.history.async_add(
                DeviceAction(
                    action_type,
                    scheduled,
                    target=target,
                    schedule_id=schedule.id,
                    action_params=params,
                    caused_by=caused_by,
                    context_id=context.id,
                )
            )
            for target in self._record_targets(schedule)
        ]
        if not manual:
            schedule = self._with_next_run(replace(schedule, last_run=scheduled), max(scheduled, now))
            self._async_set(schedule)
            if schedule.schedule_type is ScheduleType.ONE_OFF:
                # the run record is on disk before the action runs: a one-off never runs twice
                await self._async_save()
                await self.history.async_save_now()
        results = await asyncio.gather(
            *(self._async_run(record, schedule, context, note=note) for record in records)
        )
        status = RunStatus.SUCCESS if all(results) else RunStatus.FAILED
        if (current := self.schedules.get(schedule_id)) is not None:
            if manual:
                current = replace(current, last_run=scheduled)
            self._async_set(replace(current, last_run_status=status))
            self.store.async_delay_save(self._data, RUN_RECORD_SAVE_DELAY)
        return records

    async def _async_run(
        self, record: DeviceAction, schedule: Schedule | None, context: Context, *, note: str | None = None
    ) -> bool:
        """Carry out one device action and record how it went."""
        self.history.async_update(record, ActionStatus.IN_PROGRESS, executed_time=dt_util.utcnow())
        channel = self.channels.get(record.target) if record.target else None
        try:
            outcome = await async_execute(
                self.hass,
                record.action_type,
                record.action_params,
                channel,
                target=record.target,
                context=context,
            )
        except ActionError as err:
            self.history.async_update(record, ActionStatus.FAILED, error_message=str(err))
            LOGGER.warning("%s on %s failed: %s", record.action_type, record.target or "-", err)
            self._announce(record, schedule)
            return False
        except Exception as err:  # noqa: BLE001 - one broken target must not stop the others
            LOGGER.exception("Unexpected error running %s on %s", record.action_type, record.target)
            self.history.async_update(record, ActionStatus.FAILED, error_message=f"unexpected error: {err!r}")
            self._announce(record, schedule)
            return False
        result = outcome.result if note is None else f"{outcome.result} ({note})"
        self.history.async_update(record, ActionStatus.SUCCESS, result=result)
        duration = record.action_params.get("duration")
        if duration and record.action_type in REVERTIBLE and outcome.previous_level is not None:
            revert = self.history.async_add(
                DeviceAction(
                    REVERT,
                    dt_util.utcnow() + timedelta(seconds=float(duration)),
                    target=record.target,
                    schedule_id=record.schedule_id,
                    action_params={"level": outcome.previous_level},
                    caused_by=record.caused_by,
                    context_id=record.context_id,
                )
            )
            await self.history.async_save_now()  # a paused pump must come back even after a restart
            self._arm_action(revert)
        self._announce(record, schedule)
        return True

    @callback
    def _announce(self, record: DeviceAction, schedule: Schedule | None) -> None:
        """Tell automations (event), the logbook and the dashboard (dispatcher) what happened."""
        channel = self.channels.get(record.target) if record.target else None
        self.hass.bus.async_fire(
            EVENT_ACTION,
            {
                "action_id": record.id,
                "schedule_id": record.schedule_id,
                "schedule_name": schedule.name if schedule is not None else None,
                "target": record.target,
                "target_name": channel.config.name if channel is not None else None,
                "action": record.action_type,
                "status": record.status.value,
                "result": record.result,
                "error": record.error_message,
                "caused_by": record.caused_by,
            },
        )
        async_dispatcher_send(self.hass, SIGNAL_ACTIONS, record)

    # -- manual actions
    async def async_run_now(self, schedule_id: str, context: Context) -> list[DeviceAction]:
        """Run a schedule's action now, whatever its timer (its next run stays as it is)."""
        schedule = self.get(schedule_id)
        now = dt_util.utcnow()
        if schedule.schedule_type is ScheduleType.STATIC:
            runs = runs_between(schedule, now - timedelta(days=2), now)
            instant = runs[-1] if runs else next_run(schedule, now) or now
        else:
            instant = now
        return await self._async_fire(schedule_id, instant, context=context)

    async def async_run_action(
        self,
        targets: list[str],
        action_type: str,
        params: Mapping[str, Any],
        context: Context,
        scheduled_time: datetime | None = None,
    ) -> list[DeviceAction]:
        """A manual action on targets: now, or pending until ``scheduled_time``."""
        fields, problems = parse_action(action_type, dict(params), targets)
        if problems:
            raise ScheduleError(problems)
        now = dt_util.utcnow()
        parsed = dict(fields["action_params"])
        caused_by = f"user:{context.user_id}" if context.user_id else "manual"
        kind = fields["action_type"].value
        record_targets: list[str | None] = [None] if kind == ActionType.CUSTOM else list(fields["targets"])
        records = [
            self.history.async_add(
                DeviceAction(
                    kind,
                    scheduled_time or now,
                    target=target,
                    action_params=parsed,
                    caused_by=caused_by,
                    context_id=context.id,
                )
            )
            for target in record_targets
        ]
        if scheduled_time is not None and scheduled_time > now:
            await self.history.async_save_now()
            for record in records:
                self._arm_action(record)
            return records
        await asyncio.gather(*(self._async_run(record, None, context) for record in records))
        return records

    @callback
    def _arm_action(self, record: DeviceAction) -> None:
        if (cancel := self._action_timers.pop(record.id, None)) is not None:
            cancel()
        self._action_timers[record.id] = async_track_point_in_utc_time(
            self.hass,
            partial(self._async_action_due, record.id),
            max(record.scheduled_time, dt_util.utcnow()),
        )

    @callback
    def _async_action_due(self, action_id: str, _now: datetime) -> None:
        self._action_timers.pop(action_id, None)
        record = self.history.get(action_id)
        if record is None or record.status is not ActionStatus.PENDING:
            return
        schedule = self.schedules.get(record.schedule_id) if record.schedule_id else None
        self._track(self._async_run(record, schedule, Context()))

    async def async_cancel_action(self, action_id: str) -> DeviceAction:
        """Cancel a pending action (a revert included); raise ``ActionNotFoundError`` otherwise."""
        record = self.history.get(action_id)
        if record is None or record.status is not ActionStatus.PENDING:
            raise ActionNotFoundError(action_id)
        if (cancel := self._action_timers.pop(action_id, None)) is not None:
            cancel()
        self.history.async_update(record, ActionStatus.CANCELLED, result="cancelled")
        await self.history.async_save_now()
        async_dispatcher_send(self.hass, SIGNAL_ACTIONS, record)
        return record

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

    def timers_agree(self) -> bool:
        """Whether exactly the enabled schedules with a next run have a timer."""
        expected = {s.id for s in self.schedules.values() if s.enabled and s.next_run is not None}
        return expected == set(self._timers)

    def statistics(self) -> dict[str, Any]:
        """Schedules by type and status, actions by status, failures in the last 24 h, the next run."""
        now = dt_util.utcnow()
        by_type = Counter(s.schedule_type.value for s in self.schedules.values())
        by_status = Counter(
            s.last_run_status.value if s.last_run_status else "never_run" for s in self.schedules.values()
        )
        upcoming = [s.next_run for s in self.schedules.values() if s.enabled and s.next_run is not None]
        return {
            "schedules_total": len(self.schedules),
            "schedules_enabled": sum(1 for s in self.schedules.values() if s.enabled),
            "schedules_by_type": {kind.value: by_type.get(kind.value, 0) for kind in ScheduleType},
            "schedules_by_status": {
                status: by_status.get(status, 0) for status in [*(s.value for s in RunStatus), "never_run"]
            },
            "schedules_with_missing_targets": len(self.orphaned),
            "next_run": min(upcoming).isoformat() if upcoming else None,
            **self.history.statistics(now),
        }


def merged_run_at(schedule: Schedule) -> str | None:
    """A stored one-off's ``run_at`` as its stored text (to tell a new time from the old one)."""
    return None if schedule.run_at is None else schedule.run_at.isoformat()
