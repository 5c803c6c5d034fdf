"""Channels at the level their level-type schedules give now, a ramp under way carrying on.

Called when channels appear (a board set up or reloaded, Home Assistant started) and when a level-type
schedule on them is created, changed or enabled. The rules are HA-free (``scheduling.levels``); here they
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
    from collections.abc import Iterable, Mapping
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

    @callback
    def async_apply(self, channel_ids: Iterable[str], now: datetime) -> None:
        """Put channels at what their level-type schedules give now; a ramp under way carries on."""
        for channel_id in channel_ids:
            channel = self.channels.get(channel_id)
            if channel is None:
                continue
            schedules = list(self.index.targeting(channel_id))
            start_of = partial(self._ramp_start, channel_id)
            try:
                level = level_now(schedules, now, start_of, channel_id)
                ramp = ramp_in_progress(schedules, now, start_of, channel_id) if level is not None else None
            except (ValueError, ScheduleError):  # one schedule's curve must not keep the channel (or others)
                LOGGER.exception("The level the schedules of %s give now is not known", channel.config.name)
                continue
            if level is None:
                continue
            if channel.config.kind == KIND_SWITCH:
                channel.async_set_level(channel.on_level if level > 0 else 0.0)
            elif ramp is not None and abs(ramp.level - level) < 1e-6:  # noqa: PLR2004 - float tolerance
                channel.async_ramp(ramp.start_level, ramp.end_level, ramp.duration, ramp.started, ramp.curve)
            else:
                channel.async_set_level(level)

    def _ramp_start(self, channel_id: str, schedule: Schedule, run: datetime) -> float | None:
        """The level a ramp's run on a channel started from, as its record has it (None if unknown)."""
        record = self.history.find_run(schedule.id, run, channel_id)
        start = None if record is None else record.action_params.get("start_level")
        return None if start is None else float(start)
