"""The level a channel should have *now* according to its level-type schedules, and a ramp under way.

Used after a restart, when a board comes back, and when a level-type schedule is created, changed or enabled:
the channel goes to what its schedules say now, and a ramp that is under way - a preset's sunrise, or the
``ramp`` action of any schedule type - carries on from there and ends on time instead of stopping or jumping
to its end. When several schedules have a say, the highest level wins.

A ``ramp`` action without a ``start_level`` started from the channel's level at its run; ``start_of`` tells
that level (the engine keeps it in the run's record), and without it the ramp has no say. Plain Python over
the schedules that target one channel (from the engine's index).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from .calculator import latest_run, level_at
from .const import ActionType, RampCurve, ScheduleType
from .curves import ramp_level_at
from .presets import preset_step
from .programme import acclimation_factor, is_programme, programme_piece

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .model import Schedule

type StartOf = Callable[["Schedule", datetime], float | None]  # the level a ramp's run started from
_PRESET_SPAN = 86_400.0  # seconds back in which a preset's ramp under way started (they last a day at most)


class Ramp(NamedTuple):
    """A ramp under way: where it is now, and the whole ramp so that a channel resumes exactly that ramp.

    The whole ramp: from, to, when it began, how long it lasts, its shape.
    """

    level: float
    start_level: float
    end_level: float
    started: datetime
    duration: float
    curve: RampCurve = RampCurve.PERCEPTUAL

    def remaining(self, now: datetime) -> float:
        """Seconds the ramp has left at ``now``."""
        return (self.started + timedelta(seconds=self.duration) - now).total_seconds()


def _active(schedule: Schedule, now: datetime) -> bool:
    if not schedule.enabled:
        return False
    if schedule.start_time is not None and now < schedule.start_time:
        return False
    return schedule.end_time is None or now <= schedule.end_time


def _is_ramp_action(schedule: Schedule) -> bool:
    return schedule.schedule_type is not ScheduleType.STATIC and schedule.action_type is ActionType.RAMP


def ramp_of(schedule: Schedule, now: datetime, start_of: StartOf, target: str | None = None) -> Ramp | None:
    """The ramp of ``schedule`` under way at ``now`` (a preset's, or a ramp action's), if there is one.

    ``target``: the channel asked about (a programme's curve differs per target).
    """
    if schedule.schedule_type is ScheduleType.STATIC and is_programme(schedule):
        current = programme_piece(schedule, now, target)
        if current.flat or current.end <= now:
            return None
        return Ramp(
            current.level_at(now),
            current.from_level,
            current.to_level,
            current.origin,
            current.duration,
            current.curve,
        )
    if schedule.schedule_type is ScheduleType.STATIC:
        run = latest_run(schedule, now, _PRESET_SPAN)
        if run is None:
            return None
        step = preset_step(schedule, run)
        if (run + timedelta(seconds=step.ramp_seconds) - now).total_seconds() <= 0:
            return None
        return Ramp(
            level_at(schedule, now) or 0.0, level_at(schedule, run) or 0.0, step.level, run, step.ramp_seconds
        )
    if not _is_ramp_action(schedule):
        return None
    params = schedule.action_params
    duration = float(params["duration"])
    run = latest_run(schedule, now, duration)
    if run is None:
        return None
    factor = acclimation_factor(schedule, run)
    factor = 1.0 if factor is None else factor
    start = params.get("start_level")
    start_level = float(start) * factor if start is not None else start_of(schedule, run)
    if (run + timedelta(seconds=duration) - now).total_seconds() <= 0 or start_level is None:
        return None
    curve = RampCurve(params.get("curve", RampCurve.PERCEPTUAL))
    end_level = float(params["end_level"]) * factor
    level = ramp_level_at(start_level, end_level, run, duration, now, curve=curve)
    return Ramp(level, start_level, end_level, run, duration, curve)


def level_now(
    schedules: Iterable[Schedule], now: datetime, start_of: StartOf, target: str | None = None
) -> float | None:
    """The highest level the active level-type schedules give ``target`` now, if any has a say."""
    levels: list[float] = []
    for schedule in schedules:
        if not _active(schedule, now):
            continue
        if schedule.schedule_type is ScheduleType.STATIC:
            levels.append(level_at(schedule, now, target=target) or 0.0)
        elif (ramp := ramp_of(schedule, now, start_of, target)) is not None:
            levels.append(ramp.level)
    return max(levels) if levels else None


def ramp_in_progress(
    schedules: Iterable[Schedule], now: datetime, start_of: StartOf, target: str | None = None
) -> Ramp | None:
    """The ramp under way now of an active schedule, the one at the highest level, if there is one."""
    ramps = [
        ramp
        for schedule in schedules
        if _active(schedule, now) and (ramp := ramp_of(schedule, now, start_of, target)) is not None
    ]
    return max(ramps, key=lambda ramp: ramp.level) if ramps else None
