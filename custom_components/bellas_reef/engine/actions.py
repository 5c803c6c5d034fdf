"""Device actions: carried out on a channel (or as a service call), recorded, announced, and kept armed.

Every execution is a ``DeviceAction`` in the history, moving pending -> in_progress -> success / failed. A
finished action fires the ``bellas_reef_action`` event (automations, the logbook) and a dispatcher signal (the
dashboard). An action with a ``duration`` leaves a pending revert, written at once, so that a paused pump
comes back even across a restart. Manual actions run now or wait, armed, for their ``scheduled_time``.

Rights: an action that runs later (a deferred manual action, a revert) acts with the user who caused it, so
Home Assistant's own checks see that user; a custom action is called with a context of its own, remembered
while it runs, so that a call it sets off that would start runs of ours is recognised and refused.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from ..const import DOMAIN, EVENT_ACTION, LOGGER, SIGNAL_ACTIONS
from ..scheduling import ActionType, ScheduleError
from ..scheduling.changes import run_plan
from ..scheduling.validation import parse_action
from .history import REVERT, ActionHistory, ActionStatus, DeviceAction
from .runner import ActionError, async_execute
from .storage import StoreWriteError

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Mapping

    from ..channel import ChannelController
    from ..scheduling import Schedule

REVERTIBLE = frozenset(
    {ActionType.ON, ActionType.OFF, ActionType.TOGGLE, ActionType.SET_PWM, ActionType.SET_LEVEL}
)


MANUAL_CHANGES = REVERTIBLE | {ActionType.RAMP}  # a manual action of these changes a channel by hand


class ActionNotFoundError(KeyError):
    """No pending device action has this id."""


class DeviceActions:
    """Runs device actions for the engine (scheduled) and for users (manual), and keeps pending ones armed."""

    def __init__(
        self,
        hass: HomeAssistant,
        history: ActionHistory,
        channels: Mapping[str, ChannelController],
        schedules: Mapping[str, Schedule],
    ) -> None:
        """Share the engine's history, channels and schedules (the same objects, read as they change)."""
        self.hass = hass
        self.history = history
        self.channels = channels
        self.schedules = schedules
        self.tasks: set[asyncio.Task[Any]] = set()
        self._timers: dict[str, CALLBACK_TYPE] = {}
        self._stopping = False
        self._custom_contexts: set[str] = set()  # the contexts of custom actions running now
        # why the keeper holds a record's channel now (a mode, a change by hand), or None; set by the engine
        self.held_reason: Callable[[DeviceAction], str | None] = lambda _record: None
        # a person's (or an automation's) command changed a channel: the keeper may hold it; set by the engine
        self.manual_change: Callable[[str, Context], None] = lambda _channel_id, _context: None

    def track(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run a coroutine now (eagerly) and keep it until it ends; shutdown waits for these."""
        task = self.hass.async_create_task(coro, f"{DOMAIN} run", eager_start=True)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    @callback
    def async_start(self, now: datetime) -> None:
        """After a (re)start: pending actions whose time passed run now, the others are armed.

        Only reverts and manual actions wait as pending. A schedule's run saved while still pending was cut
        short by the stop: the engine's restart rules decide about the run, so it is not replayed here.
        """
        for record in self.history.pending():
            if record.schedule_id is not None and record.action_type != REVERT:
                self.history.async_update(
                    record,
                    ActionStatus.FAILED,
                    error_message="interrupted: Home Assistant stopped before it ran",
                )
                continue
            if record.scheduled_time <= now:  # a revert or manual action that fell due while stopped
                self._async_due(record.id, now)
            else:
                self.arm(record)

    async def async_stop(self) -> None:
        """Cancel the timers and wait for what is running (reverts it leaves are kept, not armed)."""
        self._stopping = True
        for cancel in self._timers.values():
            cancel()
        self._timers.clear()
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)

    async def async_run(
        self, record: DeviceAction, schedule: Schedule | None, context: Context, *, note: str | None = None
    ) -> bool:
        """Carry out one device action and record how it went (``skipped`` where the keeper holds it)."""
        if (reason := self.held_reason(record)) is not None:
            self._async_skip(record, schedule, reason)
            return True
        self.history.async_update(record, ActionStatus.IN_PROGRESS, executed_time=dt_util.utcnow())
        channel = self.channels.get(record.target) if record.target else None
        own = None
        if record.action_type == ActionType.CUSTOM:  # its own context, remembered while it runs
            own = Context(user_id=context.user_id, parent_id=context.id)
            self._custom_contexts.add(own.id)
        try:
            outcome = await async_execute(
                self.hass,
                record.action_type,
                record.action_params,
                channel,
                target=record.target,
                context=own or context,
                scheduled=record.scheduled_time,
            )
        except ActionError as err:
            self.history.async_update(record, ActionStatus.FAILED, error_message=str(err))
            LOGGER.warning("%s on %s failed: %s", record.action_type, record.target or "-", err)
            self.announce(record, schedule)
            return False
        except Exception as err:  # noqa: BLE001 - one broken target must not stop the others
            LOGGER.exception("Unexpected error running %s on %s", record.action_type, record.target)
            self.history.async_update(record, ActionStatus.FAILED, error_message=f"unexpected error: {err!r}")
            self.announce(record, schedule)
            return False
        finally:
            if own is not None:
                self._custom_contexts.discard(own.id)
        if outcome.params:  # what the action resolved (a ramp's start level): a restart resumes from it
            record.action_params = {**record.action_params, **outcome.params}
        result = outcome.result if note is None else f"{outcome.result} ({note})"
        self.history.async_update(record, ActionStatus.SUCCESS, result=result)
        duration = record.action_params.get("duration")
        by_hand = record.schedule_id is None and record.action_type in MANUAL_CHANGES
        if by_hand and record.target and not duration:
            self.manual_change(record.target, context)  # a change that does not come back by itself
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
                    user_id=record.user_id,
                )
            )
            self.arm(revert)
            try:
                await self.history.async_save_now()  # a paused pump must come back even after a restart
            except StoreWriteError as err:  # it comes back now, and the repair issue says a restart may not
                LOGGER.error("The revert of %s could not be written: %s", record.target, err)
        self.announce(record, schedule)
        return True

    @callback
    def _async_skip(self, record: DeviceAction, schedule: Schedule | None, reason: str) -> None:
        """Record an action the keeper holds as skipped; a ramp keeps the level it would have started from."""
        channel = self.channels.get(record.target) if record.target else None
        if record.action_type == ActionType.RAMP and channel is not None:
            # its say stays: the hold's end joins the ramp (a ramp without a start level takes the channel's)
            record.action_params = {"start_level": round(channel.level, 4), **record.action_params}
        self.history.async_update(
            record, ActionStatus.SKIPPED, executed_time=dt_util.utcnow(), error_message=reason
        )
        self.announce(record, schedule)

    @callback
    def announce(self, record: DeviceAction, schedule: Schedule | None) -> None:
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

    @callback
    def async_record_run(
        self, schedule: Schedule, instant: datetime, status: ActionStatus, reason: str
    ) -> None:
        """A record per target for a run that did not happen as planned, or whose record was lost.

        ``reason`` is the record's result for a success, its error otherwise.
        """
        for target, action_type, params in run_plan(schedule, instant):
            record = DeviceAction(
                action_type,
                instant,
                target=target,
                schedule_id=schedule.id,
                action_params=params,
                status=status,
                result=reason if status is ActionStatus.SUCCESS else None,
                error_message=None if status is ActionStatus.SUCCESS else reason,
                caused_by=f"schedule:{schedule.id}",
                user_id=schedule.created_by,
            )
            self.history.async_add(record)
            self.announce(record, schedule)

    def started_by_custom_action(self, context: Context) -> bool:
        """Whether a call comes from a custom action of ours that is running (directly or one step away)."""
        running = self._custom_contexts
        return context.id in running or (context.parent_id is not None and context.parent_id in running)

    async def async_run_manual(
        self,
        targets: list[str],
        action_type: object,
        params: object,
        context: Context,
        scheduled_time: datetime | None = None,
    ) -> list[DeviceAction]:
        """A manual action on targets: now, or pending until ``scheduled_time``; checked before anything."""
        fields, problems = parse_action(action_type, params, targets)
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
                    user_id=context.user_id,
                )
            )
            for target in record_targets
        ]
        if scheduled_time is not None and scheduled_time > now:
            try:
                await self.history.async_save_now()
            except StoreWriteError as err:  # not accepted: it would not survive a restart
                for record in records:
                    self.history.async_discard(record)
                raise storage_failed(err) from err
            for record in records:
                self.arm(record)
            return records
        await asyncio.gather(*(self.async_run(record, None, context) for record in records))
        return records

    @callback
    def arm(self, record: DeviceAction) -> None:
        """Run a pending action at its time (re-arming replaces an earlier timer)."""
        if (cancel := self._timers.pop(record.id, None)) is not None:
            cancel()
        if self._stopping:  # stored as pending: the next start runs or arms it
            return
        self._timers[record.id] = async_track_point_in_utc_time(
            self.hass,
            partial(self._async_due, record.id),
            max(record.scheduled_time, dt_util.utcnow()),
        )

    @callback
    def _async_due(self, action_id: str, _now: datetime) -> None:
        self._timers.pop(action_id, None)
        record = self.history.get(action_id)
        if record is None or record.status is not ActionStatus.PENDING:
            return
        schedule = self.schedules.get(record.schedule_id) if record.schedule_id else None
        # it acts with the rights of the user who caused it (Home Assistant checks them as for a direct call)
        self.track(
            self.async_run(record, schedule, Context(user_id=record.user_id, parent_id=record.context_id))
        )

    async def async_cancel(self, action_id: str) -> DeviceAction:
        """Cancel a pending action (a revert included); raise ``ActionNotFoundError`` otherwise."""
        record = self.history.get(action_id)
        if record is None or record.status is not ActionStatus.PENDING:
            raise ActionNotFoundError(action_id)
        if (cancel := self._timers.pop(action_id, None)) is not None:
            cancel()
        self.history.async_update(record, ActionStatus.CANCELLED, result="cancelled")
        try:
            await self.history.async_save_now()
        except StoreWriteError as err:  # not cancelled: it would come back after a restart
            self.history.async_update(record, ActionStatus.PENDING, result=None)
            self.arm(record)
            raise storage_failed(err) from err
        async_dispatcher_send(self.hass, SIGNAL_ACTIONS, record)
        return record


def storage_failed(err: Exception) -> HomeAssistantError:
    """The translated error of a change that could not be written (and so was not made)."""
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="storage_failed",
        translation_placeholders={"error": str(err)[:200]},
    )
