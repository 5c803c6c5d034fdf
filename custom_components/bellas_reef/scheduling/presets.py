"""Built-in ``static`` programmes: their parameters, their runs, and the level they give at any instant.

A preset is a list of *events* per local day (or week): an instant at which the commanded level changes, the
new level and how long the ramp to it takes. Wall-clock times are in the schedule's zone and follow the
fixed-time DST rule (a skipped time fires at the jump, a repeated one on its first pass); durations (ramp and
pause lengths) are real seconds.

* ``diurnal``: night level until ``sunrise``, a perceptual ramp to ``peak_level`` over ``sunrise_minutes``,
  peak until ``sunset``, a ramp back to ``night_level`` (default 0) over ``sunset_minutes``. The sunrise ramp
  must end by sunset and the sunset ramp by midnight.
* ``moonlight``: ``night_level`` from ``start`` to ``end`` (which may be past midnight), 0 otherwise.
* ``feed_pause``: at each of ``times`` the pumps stop (level 0) for ``minutes``, then run again (100).
  Pauses may touch but not overlap.
* ``maintenance``: the same, once a week on ``weekday`` at ``time``, for at most a day.
* ``profile``: a curve of points over the day, with offsets per target, the moon, clouds (``programme``).

``moonlight`` with ``follow_moon`` scales ``night_level`` by the Moon's lit fraction that night
(``moon``), never below ``min_level``. ``diurnal`` may have ``clouds``, and both may have the schedule's
``acclimation``: then they run as a ``programme`` (pieces with explicit levels) on these events.

The runs of a static schedule are the event instants; ``preset_step`` tells what to do at one, ``level_at``
replays the events (each ramp starting from wherever the previous one had got to) to give the level at any
instant - what the HA layer sets a channel to after a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from .const import LEVEL_MAX, LEVEL_MIN, MINUTES_PER_DAY, SECONDS_PER_DAY, Interpolation, Preset, Weekday
from .curves import ramp_level_at
from .lightparams import (
    check_clouds,
    check_offsets,
    check_points,
    stored_clouds,
    stored_offsets,
    stored_points,
)
from .moon import moon_level, night_of
from .problems import Checker, ParamSpec, ProblemCode, ScheduleError, check_params, describe, format_time
from .wallclock import fixed_instant

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping
    from zoneinfo import ZoneInfo

    from .model import Schedule

_LEVEL: Final = ParamSpec("number", required=True, maximum=LEVEL_MAX)
_OPTIONAL_LEVEL: Final = ParamSpec("number", maximum=LEVEL_MAX)
_TIME: Final = ParamSpec("time", required=True)
_RAMP_MINUTES: Final = ParamSpec("number", required=True, maximum=MINUTES_PER_DAY)
_PAUSE_MINUTES: Final = ParamSpec("number", required=True, maximum=MINUTES_PER_DAY, exclusive_minimum=True)

PRESET_PARAMS: Final[dict[Preset, dict[str, ParamSpec]]] = {
    Preset.DIURNAL: {
        "sunrise": _TIME,
        "sunrise_minutes": _RAMP_MINUTES,
        "peak_level": _LEVEL,
        "sunset": _TIME,
        "sunset_minutes": _RAMP_MINUTES,
        "night_level": _OPTIONAL_LEVEL,
    },
    Preset.MOONLIGHT: {
        "night_level": _LEVEL,
        "start": _TIME,
        "end": _TIME,
        "follow_moon": ParamSpec("bool"),
        "min_level": _OPTIONAL_LEVEL,
    },
    Preset.FEED_PAUSE: {"times": ParamSpec("times", required=True), "minutes": _PAUSE_MINUTES},
    Preset.MAINTENANCE: {
        "weekday": ParamSpec("choice", required=True, choices=tuple(Weekday)),
        "time": _TIME,
        "minutes": _PAUSE_MINUTES,
    },
    Preset.PROFILE: {
        "interpolation": ParamSpec("choice", choices=tuple(Interpolation)),
        "follow_moon": ParamSpec("bool"),
        "min_level": _OPTIONAL_LEVEL,
    },
}
# Parameters with a structure of their own (``lightparams``), by preset; ``points`` is required.
NESTED_PARAMS: Final[dict[Preset, frozenset[str]]] = {
    Preset.PROFILE: frozenset({"points", "offsets", "clouds"}),
    Preset.DIURNAL: frozenset({"clouds"}),
}

PAUSED: Final = LEVEL_MIN
RUNNING: Final = LEVEL_MAX
_FIELD: Final = "preset_params"


@dataclass(frozen=True, slots=True)
class Step:
    """What a static schedule does at one of its runs: go to ``level`` over ``ramp_seconds`` (0 = at once)."""

    level: float
    ramp_seconds: float


class PresetEvent(NamedTuple):
    """An instant where a preset's commanded level changes: to ``level`` over ``ramp_seconds``."""

    instant: datetime
    priority: int  # at one instant the higher priority applies last (a pause start beats a resume)
    sequence: int  # then generation order (the later wall time of a collapsed DST gap wins)
    level: float
    ramp_seconds: float


def seconds_of_day(value: time) -> int:
    """Seconds since midnight (wall clock)."""
    return value.hour * 3600 + value.minute * 60 + value.second


def check_preset_params(
    checker: Checker, preset: Preset, params: Mapping[str, Any], targets: Collection[str] | None = None
) -> dict[str, Any]:
    """Validate the parameters of ``preset``; return them in stored form (times as text, numbers as float).

    ``targets`` are the schedule's (an offset must name one of them); None when they are not known.
    """
    specs = PRESET_PARAMS[preset]
    nested = NESTED_PARAMS.get(preset, frozenset())
    parsed = check_params(
        checker, _FIELD, preset.value, {k: v for k, v in params.items() if k not in nested}, specs
    )
    if all(name in parsed for name, spec in specs.items() if spec.required or params.get(name) is not None):
        _check_timing(checker, preset, parsed)
    stored: dict[str, Any] = {}
    for name, value in parsed.items():
        if isinstance(value, time):
            stored[name] = format_time(value)
        elif isinstance(value, tuple):
            stored[name] = [format_time(item) for item in value]
        else:
            stored[name] = value
    stored.update(_check_nested(checker, preset, params, targets))
    return stored


def _check_nested(
    checker: Checker, preset: Preset, params: Mapping[str, Any], targets: Collection[str] | None
) -> dict[str, Any]:
    """The structured parameters of a profile (and a diurnal's clouds), in stored form."""
    stored: dict[str, Any] = {}
    nested = NESTED_PARAMS.get(preset, frozenset())
    if "points" in nested:
        if params.get("points") is None:
            checker.add(ProblemCode.MISSING_PARAM, f"{_FIELD}.points")
        elif (points := check_points(checker, f"{_FIELD}.points", params["points"])) is not None:
            stored["points"] = stored_points(points)
    if "offsets" in nested and params.get("offsets") is not None:
        offsets = check_offsets(checker, f"{_FIELD}.offsets", params["offsets"], targets)
        if offsets is not None:
            stored["offsets"] = stored_offsets(offsets)
    clouds = None
    if "clouds" in nested and params.get("clouds") is not None:
        clouds = check_clouds(checker, f"{_FIELD}.clouds", params["clouds"])
    if clouds is not None:
        stored["clouds"] = stored_clouds(clouds)
    return stored


# Why the phases of a preset may not fit in a day, by key (the form of the starter schedules maps the keys)
TIMING_REASONS: Final = {
    "sunrise_past_sunset": "the sunrise ramp must end by sunset",
    "sunset_past_midnight": "the sunset ramp must end by midnight",
    "empty_window": "start and end must differ",
    "pauses_overlap": "pauses must not overlap",
}


def timing_problem(preset: Preset, parsed: Mapping[str, Any]) -> str | None:
    """The key of what keeps the phases of a complete, otherwise valid parameter set from fitting in a day."""
    if preset is Preset.DIURNAL:
        sunrise, sunset = seconds_of_day(parsed["sunrise"]), seconds_of_day(parsed["sunset"])
        if sunrise + parsed["sunrise_minutes"] * 60 > sunset:
            return "sunrise_past_sunset"
        if sunset + parsed["sunset_minutes"] * 60 > SECONDS_PER_DAY:
            return "sunset_past_midnight"
    elif preset is Preset.MOONLIGHT:
        if parsed["start"] == parsed["end"]:
            return "empty_window"
    elif preset is Preset.FEED_PAUSE:
        starts = [seconds_of_day(item) for item in sorted(parsed["times"])]
        gaps = [
            later - earlier
            for earlier, later in zip(starts, [*starts[1:], starts[0] + SECONDS_PER_DAY], strict=True)
        ]
        if min(gaps) < parsed["minutes"] * 60:
            return "pauses_overlap"
    return None


def _check_timing(checker: Checker, preset: Preset, parsed: Mapping[str, Any]) -> None:
    """Check that the phases of a complete, otherwise valid parameter set fit in a day."""
    if (key := timing_problem(preset, parsed)) is not None:
        checker.add(ProblemCode.INVALID_PRESET_TIMING, _FIELD, reason=TIMING_REASONS[key])


def _params(schedule: Schedule) -> tuple[Preset, dict[str, Any]]:
    """Parse the stored parameters again (cheap); a schedule built around validation fails here."""
    if schedule.preset is None:
        raise ScheduleError([])
    checker = Checker()
    nested = NESTED_PARAMS.get(schedule.preset, frozenset())
    parsed = check_params(
        checker,
        _FIELD,
        schedule.preset.value,
        {k: v for k, v in schedule.preset_params.items() if k not in nested},
        PRESET_PARAMS[schedule.preset],
    )
    if checker.problems:
        raise ScheduleError(checker.problems)
    return schedule.preset, parsed


def _day_events(
    preset: Preset, params: Mapping[str, Any], day: date, zone: ZoneInfo
) -> list[tuple[datetime, int, float, float]]:
    """Return (instant, priority, level, ramp seconds) of the events that belong to local date ``day``."""

    def at(value: time, on: date = day) -> datetime:
        return fixed_instant(datetime.combine(on, value), zone)

    if preset is Preset.DIURNAL:
        night = params.get("night_level", LEVEL_MIN)
        return [
            (at(params["sunrise"]), 0, params["peak_level"], params["sunrise_minutes"] * 60),
            (at(params["sunset"]), 0, night, params["sunset_minutes"] * 60),
        ]
    if preset is Preset.MOONLIGHT:
        start, end = params["start"], params["end"]
        end_day = day if end > start else day + timedelta(days=1)
        level = params["night_level"]
        if params.get("follow_moon"):
            level = moon_level(level, night_of(day, start), params.get("min_level", LEVEL_MIN))
        return [(at(start), 0, level, 0.0), (at(end, end_day), 0, LEVEL_MIN, 0.0)]
    if preset is Preset.MAINTENANCE:
        if day.weekday() != Weekday(params["weekday"]).number:
            return []
        times: tuple[time, ...] = (params["time"],)
    else:
        times = params["times"]
    pause = timedelta(minutes=params["minutes"])
    events: list[tuple[datetime, int, float, float]] = []
    for value in times:
        stop = at(value)
        events += [(stop, 1, PAUSED, 0.0), (stop + pause, 0, RUNNING, 0.0)]
    return events


def preset_events(schedule: Schedule, first: date, last: date) -> list[PresetEvent]:
    """The events of the local dates ``first`` .. ``last`` in the order they apply (see ``PresetEvent``)."""
    return _events(schedule, first, last)


def _events(schedule: Schedule, first: date, last: date) -> list[PresetEvent]:
    """Return the events of the local dates ``first`` .. ``last``, in the order they apply."""
    preset, params = _params(schedule)
    zone = schedule.zone
    events: list[PresetEvent] = []
    day = first
    while day <= last:
        for instant, priority, level, ramp in _day_events(preset, params, day, zone):
            events.append(PresetEvent(instant, priority, len(events), level, ramp))
        day += timedelta(days=1)
    return sorted(events)


def _span_days(schedule: Schedule) -> int:
    """Return a number of days that surely holds an event on either side: a week and a day when weekly."""
    return 8 if schedule.preset is Preset.MAINTENANCE else 2


def next_event(schedule: Schedule, after: datetime) -> datetime | None:
    """Return the first run (event instant) of a static schedule strictly after ``after``."""
    local = after.astimezone(schedule.zone).date()
    # From the day before (a pause may end after midnight) to a week ahead: a weekly preset runs in there.
    events = _events(schedule, local - timedelta(days=1), local + timedelta(days=_span_days(schedule)))
    return next((event.instant for event in events if event.instant > after), None)


def preset_step(schedule: Schedule, instant: datetime) -> Step:
    """Return what a static schedule does at its run ``instant``; ``ValueError`` if it is not a run."""
    local = instant.astimezone(schedule.zone).date()
    matches = [
        event
        for event in _events(schedule, local - timedelta(days=1), local + timedelta(days=1))
        if event.instant == instant
    ]
    if not matches:
        raise ValueError(f"{describe(instant.isoformat())} is not a run of schedule {schedule.id!r}")
    return Step(matches[-1].level, matches[-1].ramp_seconds)


def preset_level_at(schedule: Schedule, instant: datetime) -> float:
    """Return the level (perceptual %) a static schedule gives at ``instant``, ignoring its start/end window.

    The events of the previous days are replayed: the earliest is taken as settled, and every later ramp
    starts from the level the one before it had reached, as the HA layer's ramps from the current level do.
    """
    local = instant.astimezone(schedule.zone).date()
    events = _events(schedule, local - timedelta(days=_span_days(schedule)), local + timedelta(days=1))
    level = events[0].level
    current = events[0]
    for event in events[1:]:
        if event.instant > instant:
            break
        level = ramp_level_at(level, current.level, current.instant, current.ramp_seconds, event.instant)
        current = event
    return ramp_level_at(level, current.level, current.instant, current.ramp_seconds, instant)
