"""The level a channel should have *now* according to its level-type schedules, and a preset ramp under way.

Used after a restart, when a board comes back, and when a level-type schedule is created, changed or enabled:
the channel goes to what its schedules say now, and a sunrise that is under way carries on from there instead
of jumping to its end. Plain Python over the schedules that target one channel (from the engine's index).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from .calculator import level_at, runs_between
from .const import ScheduleType
from .presets import preset_step

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .model import Schedule


class Ramp(NamedTuple):
    """A preset ramp under way: where it is now, where it goes, and how many seconds it has left."""

    level: float
    end_level: float
    remaining: float


def _active(schedule: Schedule, now: datetime) -> bool:
    if not schedule.enabled:
        return False
    if schedule.start_time is not None and now < schedule.start_time:
        return False
    return schedule.end_time is None or now <= schedule.end_time


def level_now(schedules: Iterable[Schedule], now: datetime, current: float | None) -> float | None:
    """The highest level the active level-type schedules give now, if any has a say.

    ``current`` is the channel's level, from which a ramp action in progress is measured.
    """
    levels = [
        level
        for schedule in schedules
        if _active(schedule, now) and (level := level_at(schedule, now, from_level=current)) is not None
    ]
    return max(levels) if levels else None


def ramp_in_progress(schedules: Iterable[Schedule], now: datetime) -> Ramp | None:
    """A preset ramp of an enabled static schedule that is under way now, if there is one."""
    for schedule in schedules:
        if not schedule.enabled or schedule.schedule_type is not ScheduleType.STATIC:
            continue
        runs = runs_between(schedule, now - timedelta(days=1), now)
        if not runs:
            continue
        step = preset_step(schedule, runs[-1])
        remaining = (runs[-1] + timedelta(seconds=step.ramp_seconds) - now).total_seconds()
        if remaining > 0 and (current := level_at(schedule, now)) is not None:
            return Ramp(current, step.level, remaining)
    return None
