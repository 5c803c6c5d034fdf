"""A channel's day as its schedules command it: the level over time, and the runs that do it.

The dashboard draws this. It is what the engine does, run for run: every enabled schedule on the channel
fires at its runs (``runs_between``), each run commands the channel (``changes.action_of``: a preset's step,
or the schedule's action), and the channel follows the last command - a ramp from where the level is (or
from its ``start_level``), a set level, on, off, a toggle, a raw duty, and the revert of a ``duration``.
Several schedules interleave in time exactly as they would on the channel. The day starts from what the
presets give at its start (the engine's level-now rule), after replaying the day before, so that a ramp or a
revert that crosses midnight is where it should be.

The answer is exact at its points and straight between them (a ramp on the perceptual scale is a straight
line; a ``linear`` or ``smooth`` ramp is sampled every ``resolution`` seconds), so a straight 2-hour sunrise
is two points, not a hundred. Work is bounded: at most ``EVENTS_MAX`` runs a day per channel are followed;
past that the day is marked ``truncated`` (a schedule that runs every second, say).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
import heapq
from typing import TYPE_CHECKING, Any, Final

from .calculator import runs_between
from .changes import action_of, piece_action
from .const import LEVEL_MAX, ActionType, RampCurve, ScheduleType
from .curves import ramp_level_at
from .levels import level_now
from .programme import is_programme, programme_pieces_at

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .model import Schedule

EVENTS_MAX: Final = 500
_LOOKBACK: Final = timedelta(days=1)
_REVERT: Final = "revert"


@dataclass(frozen=True, slots=True)
class DayPoint:
    """The commanded level at an instant."""

    instant: datetime
    level: float


@dataclass(frozen=True, slots=True)
class DayRun:
    """A run of a schedule on the channel during the day (a point action, or a preset's step)."""

    instant: datetime
    schedule: Schedule
    action_type: str
    params: dict[str, Any]


@dataclass(slots=True)
class ChannelDay:
    """What :func:`channel_day` answers."""

    points: list[DayPoint] = field(default_factory=list)
    runs: list[DayRun] = field(default_factory=list)
    truncated: bool = False
    segments: list[_Segment] = field(default_factory=list)  # what each command left, in order

    def heading(self, instant: datetime) -> tuple[float, float] | None:
        """The commanded level at ``instant`` and where it is heading then (a ramp's end, else the level).

        Home Assistant shows a light's target while it ramps: a light on its schedule reports the second.
        """
        current = next((segment for segment in reversed(self.segments) if segment.start <= instant), None)
        if current is None:
            return None
        target = current.end_level if current.end > instant else current.at(instant)
        return current.at(instant), target


@dataclass(slots=True)
class _Segment:
    """The level from ``start``: a ramp from ``start_level`` to ``end_level`` over ``duration`` seconds.

    ``elapsed`` of those seconds were behind at ``start`` (a programme's piece that begins part-way).
    """

    start: datetime
    start_level: float
    end_level: float
    duration: float = 0.0
    curve: RampCurve = RampCurve.PERCEPTUAL
    elapsed: float = 0.0

    def at(self, instant: datetime) -> float:
        origin = self.start - timedelta(seconds=self.elapsed)
        return ramp_level_at(
            self.start_level, self.end_level, origin, self.duration, instant, curve=self.curve
        )

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.duration - self.elapsed)

    @property
    def remaining(self) -> float:
        return self.duration - self.elapsed


def channel_day(
    schedules: Iterable[Schedule],
    start: datetime,
    end: datetime,
    *,
    on_level: float = LEVEL_MAX,
    duty_level: Callable[[float], float] | None = None,
    fallback: float = 0.0,
    resolution: float = 300.0,
    target: str | None = None,
) -> ChannelDay:
    """The level a channel's schedules command from ``start`` to ``end``, and their runs in that span.

    ``on_level`` is where ``on`` (and a toggle to on) goes; ``duty_level`` turns a ``set_pwm`` duty (%) into
    the channel's level (the identity without it); ``fallback`` is the level before anything commands it;
    ``target`` is the channel (a programme's curve differs per target; the first target when None).
    """
    active = [s for s in schedules if s.enabled]
    since = start - _LOOKBACK
    queue, truncated = _queued_runs(active, since, end, target)
    order = len(queue)
    initial = level_now(active, since, lambda _schedule, _run: None, target)
    segment = _Segment(
        since, fallback if initial is None else initial, fallback if initial is None else initial
    )
    last_on = on_level
    day = ChannelDay(truncated=truncated, segments=[segment])
    points: list[DayPoint] = []
    handled = 0
    while queue and handled <= 4 * EVENTS_MAX:
        instant, priority, _, action_type, params, schedule = heapq.heappop(queue)
        handled += 1
        if instant >= end:
            break
        before = segment.at(instant)
        _extend(points, segment, instant, start, resolution)
        goal = _target(action_type, params, before, last_on, duty_level)
        segment = _segment(instant, action_type, params, before, goal)
        day.segments.append(segment)
        if goal > 0:
            last_on = goal if action_type != ActionType.SET_PWM else last_on
        duration = params.get("duration")
        if duration and action_type in _REVERTIBLE:
            revert = instant + timedelta(seconds=float(duration))
            heapq.heappush(queue, (revert, 0, order, _REVERT, {"level": before}, schedule))
            order += 1
        if instant >= start and action_type != _REVERT and priority:
            day.runs.append(DayRun(instant, schedule, action_type, params))
        points.append(DayPoint(instant, segment.at(instant)))
    if queue and queue[0][0] < end:  # runs left in the day that were not drawn: say so, do not draw flat
        day.truncated = True
    _extend(points, segment, end, start, resolution)
    day.points = _clip(points, segment, start, end)
    return day


_REVERTIBLE: Final = frozenset(
    {ActionType.ON, ActionType.OFF, ActionType.TOGGLE, ActionType.SET_PWM, ActionType.SET_LEVEL}
)


def _target(
    action_type: str,
    params: dict[str, Any],
    before: float,
    last_on: float,
    duty_level: Callable[[float], float] | None,
) -> float:
    """Where a command takes the channel (the runner's rules, without the hardware)."""
    match action_type:
        case ActionType.ON:
            return last_on
        case ActionType.OFF:
            return 0.0
        case ActionType.TOGGLE:
            return 0.0 if before > 0 else last_on
        case ActionType.SET_PWM:
            duty = float(params["duty"])
            return duty_level(duty) if duty_level is not None else duty
        case ActionType.SET_LEVEL:
            return float(params["level"])
        case ActionType.RAMP:
            return float(params["end_level"])
        case _ if action_type == _REVERT:
            return float(params["level"])
    return before  # custom: it does not command the channel


type _Queued = tuple[datetime, int, int, str, dict[str, Any], Schedule]


def _queued_runs(
    active: list[Schedule], since: datetime, end: datetime, target: str | None
) -> tuple[list[_Queued], bool]:
    """The runs in ``(since, end]`` that command the channel, as a heap; whether they were cut short."""
    queue: list[_Queued] = []
    truncated = False
    for schedule in active:
        runs = runs_between(schedule, since, end, limit=EVENTS_MAX + 1)
        if len(runs) > EVENTS_MAX:
            truncated = True
            runs = runs[:EVENTS_MAX]
        for run in runs:
            if (action := _action(schedule, run, target)) is not None:
                queue.append((run, 1, len(queue), *action, schedule))
    heapq.heapify(queue)
    return queue, truncated


def _segment(
    instant: datetime, action_type: str, params: dict[str, Any], before: float, goal: float
) -> _Segment:
    """Where a command leaves the level: a ramp (from its start, or ``before``), or ``goal`` at once."""
    if action_type != ActionType.RAMP:
        return _Segment(instant, goal, goal)
    return _Segment(
        instant,
        float(params.get("start_level", before)),
        goal,
        float(params["duration"]),
        RampCurve(params.get("curve", RampCurve.PERCEPTUAL)),
        float(params.get("elapsed", 0.0)),
    )


def _action(schedule: Schedule, run: datetime, target: str | None) -> tuple[str, dict[str, Any]] | None:
    """What a run does to the channel (None: a programme's run that leaves this target's curve alone)."""
    if is_programme(schedule):
        pieces = programme_pieces_at(schedule, run)
        chosen = pieces.get(target if target is not None else schedule.targets[0])
        return None if chosen is None else piece_action(chosen)
    return action_of(schedule, run)


def _extend(points: list[DayPoint], segment: _Segment, until: datetime, start: datetime, step: float) -> None:
    """The points of ``segment`` up to ``until``: its end if a ramp ends before, samples of a curved ramp."""
    if segment.remaining <= 0:
        points.append(DayPoint(until, segment.at(until)))
        return
    if segment.curve is not RampCurve.PERCEPTUAL:  # luminance-linear and smooth ramps curve: sample them
        instant = max(segment.start, start - timedelta(seconds=step)) + timedelta(seconds=step)
        while instant < min(until, segment.end):
            points.append(DayPoint(instant, segment.at(instant)))
            instant += timedelta(seconds=step)
    if segment.end < until:
        points.append(DayPoint(segment.end, segment.end_level))
    points.append(DayPoint(until, segment.at(until)))


def _clip(points: list[DayPoint], last: _Segment, start: datetime, end: datetime) -> list[DayPoint]:
    """The points within ``[start, end]``, with the level at both ends, without repeats."""
    if not points:
        return [DayPoint(start, last.at(start)), DayPoint(end, last.at(end))]
    inside: list[DayPoint] = []
    previous: DayPoint | None = None
    for point in points:
        if point.instant < start:
            previous = point
            continue
        if point.instant > end:
            break
        if not inside:
            first = _between(previous, point, start) if previous is not None else point.level
            inside.append(DayPoint(start, first))
        inside.append(point)
    if not inside:
        level = previous.level if previous is not None else last.at(start)
        return [DayPoint(start, level), DayPoint(end, level)]
    if inside[-1].instant < end:
        inside.append(DayPoint(end, inside[-1].level))
    return _deduplicated(inside)


def _between(before: DayPoint, after: DayPoint, instant: datetime) -> float:
    span = (after.instant - before.instant).total_seconds()
    if span <= 0:
        return after.level
    fraction = (instant - before.instant).total_seconds() / span
    return before.level + (after.level - before.level) * fraction


def _deduplicated(points: list[DayPoint]) -> list[DayPoint]:
    """Drop points that add nothing.

    Of three or more in a row at one level only the ends stay; an instant twice stays (a step), the same point
    twice does not.
    """
    kept: list[DayPoint] = []
    for point in points:
        if kept and kept[-1] == point:
            continue
        if (
            len(kept) >= 2  # noqa: PLR2004 - the two points before
            and kept[-1].level == point.level == kept[-2].level
            and kept[-1].instant != kept[-2].instant
        ):
            kept[-1] = point
            continue
        kept.append(point)
    return kept


def is_curve(schedule: Schedule) -> bool:
    """Whether a schedule shapes its channel's level over time (a preset or a ramp), not only switches it."""
    return schedule.schedule_type is ScheduleType.STATIC or schedule.action_type is ActionType.RAMP
