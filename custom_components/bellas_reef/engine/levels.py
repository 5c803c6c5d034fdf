"""Channels at the level their level-type schedules give now, a ramp under way carrying on.

Called when channels appear (a board set up or reloaded, Home Assistant started) and when a level-type
schedule on them is created, changed or enabled; and by the keeper, when a mode ends or a hold hands a
channel back. The rules are HA-free (``scheduling.levels``); here they
meet the channels and the history, which keeps the level each ramp's run started from.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from homeassistant.core import callback

from ..const import KIND_SWITCH, LOGGER
from ..scheduling import ScheduleError
from ..scheduling.levels import level_now, ramp_in_progress

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from datetime import datetime

    from ..channel import ChannelController
    from ..scheduling import Schedule
    from ..scheduling.index import ScheduleIndex
    from .history import ActionHistory


class ChannelLevels:
    """Puts channels where their schedules say they should be now."""

    def __init__(
        self, channels: Mapping[str, ChannelController], index: ScheduleIndex, history: ActionHistory
    ) -> None:
        """Read the engine's live channels, its index of schedules per channel and its history."""
        self.channels = channels
        self.index = index
        self.history = history
        self.held: Callable[[str], bool] = lambda _channel_id: False  # the keeper's holds (set by the engine)

    @callback
    def async_apply(self, channel_ids: Iterable[str], now: datetime) -> None:
        """Put channels at what their level-type schedules give now; a ramp under way carries on.

        A channel the keeper holds (a mode, a change by hand) is left where it is.
        """
        for channel_id in channel_ids:
            if not self.held(channel_id):
                self.async_apply_one(channel_id, now)

    def scheduled_level(self, channel_id: str, now: datetime) -> float | None:
        """The level the schedules of a channel give it now (None: none has a say)."""
        start_of = partial(self._ramp_start, channel_id)
        try:
            return level_now(list(self.index.targeting(channel_id)), now, start_of, channel_id)
        except (ValueError, ScheduleError):
            return None

    @callback
    def async_apply_one(self, channel_id: str, now: datetime, soft: float = 0.0) -> float | None:
        """Put one channel at what its schedules give now; return that level (None: they have no say).

        ``soft``: a channel handed back from a change by hand joins its schedule from where it is, over
        ``soft`` seconds (a ramp under way: over what is left of it, towards its end).
        """
        channel = self.channels.get(channel_id)
        if channel is None:
            return None
        schedules = list(self.index.targeting(channel_id))
        start_of = partial(self._ramp_start, channel_id)
        if soft > 0:  # a hand-back: a ramp whose run has no record yet (it is due now) starts where it is
            start_of = partial(self._ramp_start, channel_id, fallback=channel.level)
        try:
            level = level_now(schedules, now, start_of, channel_id)
            ramp = ramp_in_progress(schedules, now, start_of, channel_id) if level is not None else None
        except (ValueError, ScheduleError):  # one schedule's curve must not keep the channel (or others)
            LOGGER.exception("The level the schedules of %s give now is not known", channel.config.name)
            return None
        if level is None:
            return None
        if ramp is not None and abs(ramp.level - level) >= 1e-6:  # noqa: PLR2004 - another schedule is higher
            ramp = None
        if channel.config.kind == KIND_SWITCH:
            channel.async_set_level(channel.on_level if level > 0 else 0.0)
        elif ramp is not None and soft > 0:
            channel.async_ramp(channel.level, ramp.end_level, max(soft, ramp.remaining(now)), now, ramp.curve)
        elif ramp is not None:
            channel.async_ramp(ramp.start_level, ramp.end_level, ramp.duration, ramp.started, ramp.curve)
        else:
            channel.async_set_level(level, soft)
        return level

    def _ramp_start(
        self, channel_id: str, schedule: Schedule, run: datetime, fallback: float | None = None
    ) -> float | None:
        """The level a ramp's run on a channel started from, as its record has it (else ``fallback``)."""
        record = self.history.find_run(schedule.id, run, channel_id)
        start = None if record is None else record.action_params.get("start_level")
        return fallback if start is None else float(start)
