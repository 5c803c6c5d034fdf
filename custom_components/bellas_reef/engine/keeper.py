"""The keeper's controls in Home Assistant: feed and maintenance modes, and holds after changes by hand.

The rules and stored forms are HA-free (``scheduling.keeper``); here they meet the channels, the history and
the timers. What the keeper keeps is in ``.storage/bellas_reef.keeper`` (``KeeperState.to_dict()``), written
before a mode's start returns, so that a feed pause survives a restart and ends at its stored time.

* **A mode starts**: it is stored, its end armed, then each channel is commanded (a device action
  ``mode_start`` each). Started again while under way, only its countdown starts over.
* **While it is under way** a run of a schedule (or a revert) on one of its channels is recorded ``skipped``
  with the mode as the reason, if the mode holds schedules; a revert that would have come during it moves
  the channel's level "before" to the revert's level. Level-type rules leave its channels alone.
* **It ends** (its timer, ``end_mode``, or at start-up when its end passed while Home Assistant was down):
  each channel goes to what its schedules give now (a ramp under way joined where it is), or back to its
  level from before the mode where no schedule has a say (``mode_end`` each). A channel that is not there
  (its board down) gets that when it comes back.
* **A change by hand** (a light or switch command of a person or an automation, a manual ``run_action``
  without a duration) on a channel a level-type schedule drives now holds it, by the policy of the options;
  the schedule's runs on it are ``skipped`` meanwhile; then it joins its schedule softly (``resume``).
  A schedule's own commands, a mode's and reverts are never taken for changes by hand.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_call_later, async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from ..const import (
    CONF_KIND,
    CONF_ON_DUTY,
    DOMAIN,
    KIND_LIGHT,
    KIND_SWITCH,
    LOGGER,
    SIGNAL_KEEPER,
    SUBENTRY_CHANNEL,
    keeper_signal,
)
from ..driver.pca9685 import Pca9685Error
from ..scheduling.day import is_curve
from ..scheduling.keeper import (
    HANDBACK_SECONDS,
    ActiveMode,
    Hold,
    KeeperState,
    ModeName,
    hold_end,
    hold_policy,
    mode_config,
    mode_end,
)
from .actions import storage_failed
from .history import MODE_END, MODE_START, RESUME, REVERT, ActionStatus, DeviceAction
from .issues import known_channels
from .storage import StoreWriteError, WatchedStore

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime

    from ..channel import ChannelController
    from ..scheduling.index import ScheduleIndex
    from .actions import DeviceActions
    from .history import ActionHistory
    from .levels import ChannelLevels

KEEPER_KEY = f"{DOMAIN}.keeper"
KEEPER_VERSION = 1
HOLD_SAVE_DELAY = 1.0  # seconds: holds of many changes by hand (a brightness slider) make one write


class KeeperError(Exception):
    """A keeper control refused: a translation key and its placeholders (nothing changed)."""

    def __init__(self, key: str, **placeholders: str) -> None:
        """Keep the key and the placeholders."""
        super().__init__(key, placeholders)
        self.key = key
        self.placeholders = placeholders


class KeeperStore(WatchedStore):
    """``.storage/bellas_reef.keeper``: small, written at once."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Bind to the file."""
        super().__init__(hass, KEEPER_VERSION, KEEPER_KEY, atomic_writes=True)


def _pct(level: float) -> str:
    return f"{round(level, 2):g} %"


class Keeper:
    """Modes under way and holds of channels changed by hand."""

    def __init__(
        self,
        hass: HomeAssistant,
        *,
        channels: Mapping[str, ChannelController],
        index: ScheduleIndex,
        history: ActionHistory,
        actions: DeviceActions,
        levels: ChannelLevels,
    ) -> None:
        """Share the engine's channels, index, history, device actions and levels; hook into the last two."""
        self.hass = hass
        self.channels = channels
        self.index = index
        self.history = history
        self.actions = actions
        self.levels = levels
        self.store = KeeperStore(hass)
        self.state = KeeperState()
        self.options: Mapping[str, Any] = {}  # the Schedules entry's (set when it is set up)
        self.handed_back: dict[str, datetime] = {}  # channel -> when a hold last gave it back
        self._timers: dict[str, CALLBACK_TYPE] = {}
        self._save_timer: CALLBACK_TYPE | None = None
        self._stopping = False
        levels.held = self.holds_channel
        actions.held_reason = self.held_reason
        actions.manual_change = self.async_manual_change

    # -- loading, start-up, shutdown
    async def async_load(self) -> None:
        """Read what the keeper kept; arm the ends still to come (those passed end at start-up)."""
        data = await self.store.async_load() or {}
        self.state, broken = KeeperState.from_dict(data)
        for line in broken:
            LOGGER.error("The keeper's stored %s could not be read and is dropped", line)
        now = dt_util.utcnow()
        for active in self.state.modes.values():
            if active.ends is not None and active.ends > now:
                self._arm(f"mode:{active.mode}", active.ends, partial(self._async_mode_due, active.mode))
        for hold in self.state.holds.values():
            if hold.until is not None and hold.until > now:
                self._arm(f"hold:{hold.channel}", hold.until, partial(self._async_hold_due, hold.channel))

    @callback
    def async_started(self, now: datetime) -> None:
        """Home Assistant is up: modes and holds whose end passed while it was stopped end now."""
        for active in list(self.state.modes.values()):
            if active.ends is not None and active.ends <= now:
                self.actions.track(
                    self.async_end_mode(
                        active.mode, None, note="its end passed while Home Assistant was stopped"
                    )
                )
        due = [c for c, hold in self.state.holds.items() if hold.until is not None and hold.until <= now]
        if due:
            self.actions.track(self.async_resume(due, None))

    async def async_stop(self) -> None:
        """Cancel the timers and write what waits (what is under way carries on at the next start)."""
        self._stopping = True
        for cancel in self._timers.values():
            cancel()
        self._timers.clear()
        if self._save_timer is not None:
            self._save_timer()
            self._save_timer = None
            await self._async_save_logged()

    # -- what is held
    def mode_of(self, channel_id: str) -> ActiveMode | None:
        """The mode that holds a channel now (the latest started, if two do)."""
        holding = [active for active in self.state.modes.values() if channel_id in active.levels]
        return max(holding, key=lambda active: active.started) if holding else None

    def holds_channel(self, channel_id: str) -> bool:
        """Whether a mode or a change by hand holds the channel (level-type rules leave it alone)."""
        return channel_id in self.state.holds or self.mode_of(channel_id) is not None

    def held(self, channel_id: str) -> tuple[str, datetime | None] | None:
        """What holds a channel (a mode's name, or ``manual``) and until when (None: until ended)."""
        if (active := self.mode_of(channel_id)) is not None:
            return active.mode.value, active.ends
        if (hold := self.state.holds.get(channel_id)) is not None:
            return "manual", hold.until
        return None

    def held_reason(self, record: DeviceAction) -> str | None:
        """Why a device action may not touch its channel now, or None (it runs).

        Held: a schedule's run and a revert on a channel of a mode that holds schedules; a schedule's run on a
        channel held after a change by hand (up to and including the instant its hold ends), or one due at
        or before the instant the hold handed it back (the hand-back joined the schedule already).
        A person's own commands always run.
        """
        if record.target is None:
            return None
        revert = record.action_type == REVERT
        scheduled = record.caused_by.startswith("schedule:") and not revert
        if not (scheduled or revert):
            return None
        active = self.mode_of(record.target)
        if active is not None and active.hold_schedules:
            if revert and "level" in record.action_params:  # the channel comes back to it after the modes
                for holding in self.state.modes.values():
                    if record.target in holding.levels:
                        holding.before[record.target] = float(record.action_params["level"])
                self._save_soon()
            return f"held by the {active.mode} mode" + (
                "" if active.ends is None else f" until {active.ends.isoformat()}"
            )
        if not scheduled:
            return None
        hold = self.state.holds.get(record.target)
        if hold is not None and (hold.until is None or record.scheduled_time <= hold.until):
            until = "its schedule is resumed" if hold.until is None else hold.until.isoformat()
            return f"held: changed by hand at {hold.since.isoformat()}, until {until}"
        back = self.handed_back.get(record.target)
        if back is not None and record.scheduled_time <= back:
            return f"handed back to its schedule at {back.isoformat()} (it joined the schedule softly)"
        return None

    # -- modes
    def config_problem(self, mode: ModeName) -> KeeperError | None:
        """Why a mode cannot start as configured, or None."""
        config = mode_config(self.options, mode)
        if not config.channels:
            return KeeperError("mode_without_channels", mode=mode.value)
        known = known_channels(self.hass)
        if missing := [channel for channel in config.channels if channel not in known]:
            return KeeperError("mode_channels_missing", mode=mode.value, channels=", ".join(missing))
        return None

    async def async_start_mode(self, mode: ModeName, minutes: int | None, context: Context) -> ActiveMode:
        """Start a mode (or start its countdown over); stored before it returns. Raise ``KeeperError``."""
        if (problem := self.config_problem(mode)) is not None:
            raise problem
        config = mode_config(self.options, mode)
        now = dt_util.utcnow()
        ends = mode_end(now, config.minutes if minutes is None else minutes)
        current = self.state.modes.get(mode)
        if current is not None:
            active = replace(current, ends=ends)
        else:
            levels = {c: config.level_for(c, self._on_level(c)) for c in config.channels}
            # a channel whose board is not there has no level yet: it is noted when the board comes
            before = {c: level for c in config.channels if (level := self._before(c)) is not None}
            active = ActiveMode(
                mode, now, ends, levels, before, config.hold_schedules, context.user_id, context.id
            )
        # on disk first; memory changes only once it is there (a refused start changes nothing)
        stored = KeeperState(
            {**self.state.modes, mode: active},
            {c: hold for c, hold in self.state.holds.items() if c not in active.levels},  # the mode takes it
            self.state.returns,
        )
        try:
            await self.store.async_save(stored.to_dict())
        except StoreWriteError as err:  # not started: it would not survive a restart
            raise storage_failed(err) from err
        self.state.modes[mode] = active
        for channel_id in active.levels:
            if self.state.holds.pop(channel_id, None) is not None:
                self._disarm(f"hold:{channel_id}")
        self._save_soon()  # a write made meanwhile (a hold's) may have left the mode out
        self._disarm(f"mode:{mode}")
        if ends is not None:
            self._arm(f"mode:{mode}", ends, partial(self._async_mode_due, mode))
        self._signal(active.levels)
        until = "it is ended" if ends is None else ends.isoformat()
        caused_by = f"user:{context.user_id}" if context.user_id else "manual"
        again = "" if current is None else " again"
        lines = {c: f"{mode} mode{again}: {_pct(level)} until {until}" for c, level in active.levels.items()}
        await self._async_command(
            MODE_START,
            mode=mode,
            levels={} if current is not None else active.levels,  # started again: the channels are there
            lines=lines,
            caused_by=caused_by,
            context=context,
        )
        return active

    async def async_end_mode(
        self, mode: ModeName, context: Context | None, *, note: str | None = None
    ) -> ActiveMode:
        """End a mode: each channel to what its schedules give now, else to its level before it."""
        active = self.state.modes.pop(mode, None)
        if active is None:
            raise KeeperError("mode_not_active", mode=mode.value)
        self._disarm(f"mode:{mode}")
        now = dt_util.utcnow()
        levels: dict[str, float] = {}
        lines: dict[str, str] = {}
        for channel_id in active.levels:
            other = self.mode_of(channel_id)
            if other is not None:  # another mode under way holds it still
                levels[channel_id] = other.levels[channel_id]
                lines[channel_id] = (
                    f"{mode} mode ended; held by the {other.mode} mode at {_pct(levels[channel_id])}"
                )
                continue
            before = active.before.get(channel_id)
            if channel_id not in self.channels:  # its board is not there: when it comes back
                if before is not None:
                    self.state.returns[channel_id] = before
                lines[channel_id] = (
                    f"{mode} mode ended: back to its schedules or its level before when it is back"
                )
                continue
            scheduled = self.levels.async_apply_one(channel_id, now)
            if scheduled is not None:
                lines[channel_id] = f"{mode} mode ended: its schedules give {_pct(scheduled)}"
                continue
            if before is None:  # no level from before it is known (it never appeared during the mode)
                lines[channel_id] = f"{mode} mode ended: no level from before it is known; it stays"
                continue
            levels[channel_id] = before
            lines[channel_id] = f"{mode} mode ended: back to {_pct(before)}, its level before"
        self._signal(active.levels)
        by = "" if note is None else f" ({note})"
        lines = {c: line + by for c, line in lines.items()}
        caused_by = f"user:{context.user_id}" if context is not None and context.user_id else f"mode:{mode}"
        context = context or Context(user_id=active.user_id, parent_id=active.context_id)
        await self._async_command(
            MODE_END, mode=mode, levels=levels, lines=lines, caused_by=caused_by, context=context
        )
        self._retarget_reverts(active)
        await self._async_save_logged()
        return active

    @callback
    def _retarget_reverts(self, active: ActiveMode) -> None:
        """Pending reverts of its channels made during the mode come back to where the mode left them."""
        for record in self.history.pending():
            if (
                record.action_type == REVERT
                and record.target in active.levels
                and record.created_at >= active.started
                and (channel := self.channels.get(record.target)) is not None
            ):
                record.action_params = {**record.action_params, "level": round(channel.target_level, 4)}
                self.history.async_update(record, ActionStatus.PENDING)

    @callback
    def _async_mode_due(self, mode: ModeName, _now: datetime) -> None:
        self._timers.pop(f"mode:{mode}", None)
        if mode in self.state.modes:
            self.actions.track(self.async_end_mode(mode, None))

    async def _async_command(
        self,
        kind: str,
        *,
        mode: ModeName | None,
        levels: Mapping[str, float],
        lines: Mapping[str, str],
        caused_by: str,
        context: Context,
    ) -> list[DeviceAction]:
        """Record a device action per channel of ``lines``; command those in ``levels`` first.

        Each record is a success once the channel's board holds the new duty.
        """
        now = dt_util.utcnow()
        records: list[DeviceAction] = []
        boards = []
        for channel_id, line in lines.items():
            level = levels.get(channel_id)
            record = self.history.async_add(
                DeviceAction(
                    kind,
                    now,
                    target=channel_id,
                    action_params=({} if mode is None else {"mode": mode.value})
                    | ({} if level is None else {"level": level}),
                    status=ActionStatus.IN_PROGRESS,
                    executed_time=now,
                    caused_by=caused_by,
                    context_id=context.id,
                    user_id=context.user_id,
                )
            )
            records.append(record)
            channel = self.channels.get(channel_id)
            if channel is None:
                self.history.async_update(
                    record,
                    ActionStatus.SKIPPED,
                    error_message=f"its board is not loaded (when it is back): {line}",
                )
                continue
            if level is not None:
                transition = channel.config.transition if channel.config.kind == KIND_LIGHT else 0.0
                channel.async_set_level(level, transition)
            boards.append((record, channel, line))
        for record, channel, line in boards:
            try:
                await channel.board.async_wait_written()
            except Pca9685Error as err:
                self.history.async_update(
                    record,
                    ActionStatus.FAILED,
                    error_message=f"board {channel.board.name} did not take it: {err}",
                )
            else:
                self.history.async_update(record, ActionStatus.SUCCESS, result=line)
        for record in records:
            self.actions.announce(record, None)
        return records

    # -- holds after a change by hand
    @callback
    def async_manual_change(self, channel_id: str, context: Context) -> None:
        """A person or an automation changed a channel: hold it if a level-type schedule drives it now."""
        if self.actions.started_by_custom_action(context) or self.mode_of(channel_id) is not None:
            return
        now = dt_util.utcnow()
        if self.levels.scheduled_level(channel_id, now) is None:  # no schedule to hand it back to
            if self.state.holds.pop(channel_id, None) is not None:
                self._disarm(f"hold:{channel_id}")
                self._changed([channel_id])
            return
        policy, minutes = hold_policy(self.options)
        events = [
            schedule.next_run
            for schedule in self.index.targeting(channel_id)
            if schedule.enabled and is_curve(schedule)
        ]
        until = hold_end(policy, minutes, now, events)
        self.state.holds[channel_id] = Hold(channel_id, now, until, context.user_id, context.id)
        self.handed_back.pop(channel_id, None)
        self._disarm(f"hold:{channel_id}")
        if until is not None:
            self._arm(f"hold:{channel_id}", until, partial(self._async_hold_due, channel_id))
        self._changed([channel_id])

    @callback
    def _async_hold_due(self, channel_id: str, _now: datetime) -> None:
        self._timers.pop(f"hold:{channel_id}", None)
        if channel_id in self.state.holds:
            self.actions.track(self.async_resume([channel_id], None))

    async def async_resume(self, channel_ids: Iterable[str], context: Context | None) -> list[DeviceAction]:
        """Hand channels back to their schedules now, softly (a hold ends; a channel not held joins too)."""
        now = dt_util.utcnow()
        lines: dict[str, str] = {}
        for channel_id in channel_ids:
            hold = self.state.holds.pop(channel_id, None)
            self._disarm(f"hold:{channel_id}")
            if (active := self.mode_of(channel_id)) is not None:
                lines[channel_id] = f"held by the {active.mode} mode: it returns when the mode ends"
                continue
            self.handed_back[channel_id] = now
            level = self.levels.async_apply_one(channel_id, now, soft=HANDBACK_SECONDS)
            if level is None:
                lines[channel_id] = "no schedule has a say now: it stays where it is"
            else:
                since = "" if hold is None else f" (changed by hand at {hold.since.isoformat()})"
                lines[channel_id] = f"back to its schedule: {_pct(level)} over {HANDBACK_SECONDS:g} s{since}"
        self._changed(lines)
        caused_by = f"user:{context.user_id}" if context is not None and context.user_id else "hold"
        return await self._async_command(
            RESUME, mode=None, levels={}, lines=lines, caused_by=caused_by, context=context or Context()
        )

    # -- channels that come
    @callback
    def async_channels_appeared(self, channel_ids: Iterable[str]) -> None:
        """Channels are live (a board set up): a mode's take their mode's level, owed returns are paid."""
        now = dt_util.utcnow()
        for channel_id in channel_ids:
            channel = self.channels.get(channel_id)
            if channel is None:
                continue
            if (active := self.mode_of(channel_id)) is not None:
                for holding in self.state.modes.values():  # its level from before: what its start-up gave it
                    if channel_id in holding.levels and channel_id not in holding.before:
                        holding.before[channel_id] = channel.target_level
                        self._save_soon()
                channel.async_set_level(active.levels[channel_id])
            elif (level := self.state.returns.pop(channel_id, None)) is not None:
                self._save_soon()
                if self.levels.scheduled_level(channel_id, now) is None:
                    channel.async_set_level(level)

    # -- helpers
    def _on_level(self, channel_id: str) -> float:
        """What ``on`` is for a channel: its level when on; a switch whose board is away, its on duty."""
        if (channel := self.channels.get(channel_id)) is not None:
            return channel.on_level
        for entry in self.hass.config_entries.async_entries(DOMAIN):
            subentry = entry.subentries.get(channel_id)
            if subentry is not None and subentry.subentry_type == SUBENTRY_CHANNEL:
                if subentry.data.get(CONF_KIND) == KIND_SWITCH:
                    return float(subentry.data.get(CONF_ON_DUTY, 100.0))
                break
        return 100.0

    def _before(self, channel_id: str) -> float | None:
        """A channel's level as a mode takes it (a mode that has it already knows the one before that)."""
        if (active := self.mode_of(channel_id)) is not None:
            return active.before.get(channel_id)
        channel = self.channels.get(channel_id)
        return None if channel is None else channel.target_level

    def _arm(self, key: str, when: datetime, action: Any) -> None:
        if self._stopping:
            return
        self._timers[key] = async_track_point_in_utc_time(self.hass, action, when)

    def _disarm(self, key: str) -> None:
        if (cancel := self._timers.pop(key, None)) is not None:
            cancel()

    async def _async_save(self) -> None:
        await self.store.async_save(self.state.to_dict())

    async def _async_save_logged(self) -> None:
        try:
            await self._async_save()
        except StoreWriteError as err:  # the repair issue and the problem sensor say so
            LOGGER.error("The keeper's state could not be written: %s", err)

    @callback
    def _save_soon(self) -> None:
        """Write within ``HOLD_SAVE_DELAY``; changes meanwhile join the write."""
        if self._save_timer is None and not self._stopping:
            self._save_timer = async_call_later(self.hass, HOLD_SAVE_DELAY, self._async_save_due)

    async def _async_save_due(self, _now: datetime) -> None:
        self._save_timer = None
        await self._async_save_logged()

    @callback
    def _changed(self, channel_ids: Iterable[str]) -> None:
        """Holds changed: written soon, and shown."""
        self._save_soon()
        self._signal(channel_ids)

    @callback
    def _signal(self, channel_ids: Iterable[str]) -> None:
        """The keeper changed (its buttons, sensors, the card) and so did what holds these channels."""
        async_dispatcher_send(self.hass, SIGNAL_KEEPER)
        for channel_id in channel_ids:
            async_dispatcher_send(self.hass, keeper_signal(channel_id))

    def status(self) -> dict[str, Any]:
        """Modes under way and holds, as the dashboard and diagnostics show them (channel ids)."""
        return {
            "modes": {mode.value: active.to_dict() for mode, active in self.state.modes.items()},
            "holds": {channel: hold.to_dict() for channel, hold in self.state.holds.items()},
        }
