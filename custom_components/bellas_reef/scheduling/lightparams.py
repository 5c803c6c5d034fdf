"""The parameters of the light programmes: a profile's points and offsets, clouds, acclimation.

Each check reads raw input, reports every problem (``problems.Checker``) and returns the parsed value, which
``stored`` turns into the JSON kept in the schedule store; reading a stored value back goes through the same
check, so what validates is what runs.

* ``points``: 2..48 mappings ``{time, level, night?}``, in order of time from 00:00, no time twice.
* ``offsets``: a list of ``{target, shift_minutes, scale}``, one per target at most, each naming one of the
  schedule's targets; shift -720..720 minutes (default 0), scale 0..100 % (default 100).
* ``clouds``: ``{start, end, per_hour, depth, min_minutes, max_minutes}``; start before end on one day,
  0 < per_hour <= 12, 0 < depth <= 100 %, 0 < min_minutes <= max_minutes <= 60 / per_hour.
* ``acclimation`` (a field of the schedule, not a preset parameter): ``{start_percent, days, start_date}``;
  start 0..100 %, 1..365 days, a date (the schedule's local date when it was made, if not given).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, Final

from .const import (
    ACCLIMATION_DAYS_MAX,
    CLOUD_MINUTES_MAX,
    CLOUDS_PER_HOUR_MAX,
    LEVEL_MAX,
    POINTS_MAX,
    POINTS_MIN,
    SHIFT_MAX_MINUTES,
    TARGETS_MAX,
)
from .problems import Checker, ParamSpec, ProblemCode, check_params, describe, format_time, quoted_name

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping

_DATE_LENGTH: Final = 10
_SECONDS_PER_HOUR: Final = 3600


@dataclass(frozen=True, slots=True)
class Point:
    """One point of a profile: a wall time of day, the level there, whether it is a night point."""

    time: time
    level: float
    night: bool = False

    @property
    def seconds(self) -> int:
        """Seconds since midnight (wall clock)."""
        return self.time.hour * 3600 + self.time.minute * 60 + self.time.second


@dataclass(frozen=True, slots=True)
class Offset:
    """How one target's curve differs from the profile's: moved by ``shift_minutes``, scaled by ``scale``."""

    target: str
    shift_minutes: float = 0.0
    scale: float = LEVEL_MAX


@dataclass(frozen=True, slots=True)
class Clouds:
    """Dips of ``depth`` % lasting ``min_minutes``..``max_minutes``, ``per_hour`` an hour in a window."""

    start: time
    end: time
    per_hour: float
    depth: float
    min_minutes: float = 1.0
    max_minutes: float = 5.0


@dataclass(frozen=True, slots=True)
class Acclimation:
    """Levels scaled from ``start_percent`` on ``start_date`` to 100 % after ``days`` days (local dates)."""

    start_percent: float
    days: int
    start_date: date

    def factor(self, day: date) -> float:
        """The scale on a local date: 1 before the start, ``start_percent`` on it, 1 from ``days`` after."""
        done = (day - self.start_date).days
        if done < 0 or done >= self.days:
            return 1.0
        start = self.start_percent / LEVEL_MAX
        return start + (1.0 - start) * done / self.days


_POINT_SPECS: Final = {
    "time": ParamSpec("time", required=True),
    "level": ParamSpec("number", required=True, maximum=LEVEL_MAX),
    "night": ParamSpec("bool"),
}
_OFFSET_SPECS: Final = {
    "shift_minutes": ParamSpec("number", minimum=-SHIFT_MAX_MINUTES, maximum=SHIFT_MAX_MINUTES),
    "scale": ParamSpec("number", maximum=LEVEL_MAX),
}
_CLOUD_SPECS: Final = {
    "start": ParamSpec("time", required=True),
    "end": ParamSpec("time", required=True),
    "per_hour": ParamSpec("number", required=True, exclusive_minimum=True, maximum=CLOUDS_PER_HOUR_MAX),
    "depth": ParamSpec("number", required=True, exclusive_minimum=True, maximum=LEVEL_MAX),
    "min_minutes": ParamSpec("number", exclusive_minimum=True, maximum=CLOUD_MINUTES_MAX),
    "max_minutes": ParamSpec("number", exclusive_minimum=True, maximum=CLOUD_MINUTES_MAX),
}
_ACCLIMATION_SPECS: Final = {
    "start_percent": ParamSpec("number", required=True, maximum=LEVEL_MAX),
    "days": ParamSpec("number", required=True, minimum=1, maximum=ACCLIMATION_DAYS_MAX),
}


def _items(checker: Checker, field_name: str, value: object, expected: str) -> list[Any] | None:
    if not isinstance(value, list | tuple):
        checker.add(ProblemCode.INVALID_PARAM, field_name, expected=expected)
        return None
    return list(value)


def check_points(checker: Checker, field_name: str, value: object) -> tuple[Point, ...] | None:
    """A profile's points, in order of time from 00:00 and each time once."""
    items = _items(checker, field_name, value, "a list of points ({time, level})")
    if items is None:
        return None
    if len(items) < POINTS_MIN:
        checker.add(ProblemCode.TOO_FEW, field_name, min=str(POINTS_MIN))
        return None
    if len(items) > POINTS_MAX:
        checker.add(ProblemCode.TOO_MANY, field_name, max=str(POINTS_MAX))
        return None
    points: list[Point] = []
    good = True
    for index, item in enumerate(items):
        name = f"{field_name}[{index}]"
        mapping = checker.mapping(name, item, ProblemCode.INVALID_PARAM)
        if mapping is None:
            good = False
            continue
        before = len(checker.problems)
        parsed = check_params(checker, name, "a point", mapping, _POINT_SPECS)
        if len(checker.problems) > before:
            good = False
            continue
        point = Point(parsed["time"], parsed["level"], bool(parsed.get("night", False)))
        if points and point.time <= points[-1].time:
            code = (
                ProblemCode.DUPLICATE_POINT if point.time == points[-1].time else ProblemCode.POINTS_UNSORTED
            )
            checker.add(code, f"{name}.time", value=format_time(point.time))
            good = False
        points.append(point)
    return tuple(points) if good else None


def check_offsets(
    checker: Checker, field_name: str, value: object, targets: Collection[str] | None
) -> tuple[Offset, ...] | None:
    """Offsets per target; each names one of ``targets`` (when they are known), once."""
    items = _items(checker, field_name, value, "a list of offsets ({target, shift_minutes, scale})")
    if items is None:
        return None
    if len(items) > TARGETS_MAX:
        checker.add(ProblemCode.TOO_MANY, field_name, max=str(TARGETS_MAX))
        return None
    offsets: list[Offset] = []
    seen: set[str] = set()
    good = True
    for index, item in enumerate(items):
        name = f"{field_name}[{index}]"
        mapping = checker.mapping(name, item, ProblemCode.INVALID_PARAM)
        if mapping is None:
            good = False
            continue
        before = len(checker.problems)
        target = mapping.get("target")
        if target is None:
            checker.add(ProblemCode.MISSING_PARAM, f"{name}.target")
        elif not isinstance(target, str) or not target.strip():
            checker.add(ProblemCode.INVALID_PARAM, f"{name}.target", expected="one of the schedule's targets")
        elif targets is not None and target not in targets:
            checker.add(ProblemCode.OFFSET_NOT_A_TARGET, f"{name}.target")
        elif target in seen:
            checker.add(ProblemCode.DUPLICATE_TARGET, f"{name}.target")
        rest = {key: inner for key, inner in mapping.items() if key != "target"}
        parsed = check_params(checker, name, "an offset", rest, _OFFSET_SPECS)
        if len(checker.problems) > before:
            good = False
            continue
        seen.add(str(target))
        offsets.append(Offset(str(target), parsed.get("shift_minutes", 0.0), parsed.get("scale", LEVEL_MAX)))
    return tuple(offsets) if good else None


def check_clouds(checker: Checker, field_name: str, value: object) -> Clouds | None:
    """Clouds: their window, how many an hour, how deep and how long."""
    mapping = checker.mapping(field_name, value, ProblemCode.INVALID_PARAM)
    if mapping is None:
        return None
    before = len(checker.problems)
    parsed = check_params(checker, field_name, "clouds", mapping, _CLOUD_SPECS)
    if len(checker.problems) > before:
        return None
    clouds = Clouds(**parsed)
    if clouds.start >= clouds.end:
        checker.add(ProblemCode.INVALID_PRESET_TIMING, field_name, reason="clouds must start before they end")
        return None
    if clouds.min_minutes > clouds.max_minutes:
        checker.add(
            ProblemCode.INVALID_PRESET_TIMING,
            field_name,
            reason="min_minutes must not be more than max_minutes",
        )
        return None
    if clouds.max_minutes * 60 * clouds.per_hour > _SECONDS_PER_HOUR:
        checker.add(
            ProblemCode.INVALID_PRESET_TIMING,
            field_name,
            reason=f"{clouds.per_hour:g} clouds of up to {clouds.max_minutes:g} minutes do not fit an hour",
        )
        return None
    return clouds


def check_acclimation(
    checker: Checker, field_name: str, value: object, today: date | None
) -> Acclimation | None:
    """Acclimation; without a ``start_date`` it starts ``today`` (None: the date is required)."""
    mapping = checker.mapping(field_name, value, ProblemCode.INVALID_TYPE)
    if mapping is None:
        return None
    before = len(checker.problems)
    rest = {key: inner for key, inner in mapping.items() if key != "start_date"}
    parsed = check_params(checker, field_name, "acclimation", rest, _ACCLIMATION_SPECS)
    days = parsed.get("days")
    if days is not None and not float(days).is_integer():
        checker.add(ProblemCode.INVALID_PARAM, f"{field_name}.days", expected="a whole number of days")
    start = mapping.get("start_date")
    start_date = today
    if start is not None:
        start_date = parse_date(start)
        if start_date is None:
            checker.add(ProblemCode.INVALID_DATE, f"{field_name}.start_date", value=describe(start))
    elif today is None:
        checker.add(ProblemCode.MISSING_PARAM, f"{field_name}.start_date")
    if len(checker.problems) > before or start_date is None:
        return None
    return Acclimation(parsed["start_percent"], int(parsed["days"]), start_date)


def parse_date(value: object) -> date | None:
    """A calendar date "YYYY-MM-DD" (years 1970..2200, the scheduler's span); None for anything else."""
    if not isinstance(value, str) or len(value) != _DATE_LENGTH:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return None
    return parsed if 1970 <= parsed.year <= 2200 else None  # noqa: PLR2004 - DATETIME_MIN .. MAX


def stored_points(points: tuple[Point, ...]) -> list[dict[str, Any]]:
    """Points as the store keeps them (``night`` only when set)."""
    return [
        {"time": format_time(point.time), "level": point.level, **({"night": True} if point.night else {})}
        for point in points
    ]


def stored_offsets(offsets: tuple[Offset, ...]) -> list[dict[str, Any]]:
    """Offsets as the store keeps them."""
    return [
        {"target": offset.target, "shift_minutes": offset.shift_minutes, "scale": offset.scale}
        for offset in offsets
    ]


def stored_clouds(clouds: Clouds) -> dict[str, Any]:
    """Clouds as the store keeps them (every parameter, defaults filled in)."""
    return {
        "start": format_time(clouds.start),
        "end": format_time(clouds.end),
        "per_hour": clouds.per_hour,
        "depth": clouds.depth,
        "min_minutes": clouds.min_minutes,
        "max_minutes": clouds.max_minutes,
    }


def stored_acclimation(acclimation: Acclimation) -> dict[str, Any]:
    """Acclimation as the store keeps it."""
    return {
        "start_percent": acclimation.start_percent,
        "days": acclimation.days,
        "start_date": acclimation.start_date.isoformat(),
    }


def read_acclimation(value: Mapping[str, Any] | None) -> Acclimation | None:
    """A stored acclimation (validated when it was stored) as its parsed form."""
    if value is None:
        return None
    checker = Checker()
    parsed = check_acclimation(checker, "acclimation", value, None)
    if parsed is None:
        raise ValueError(f"stored acclimation is not valid: {checker.problems[0].message}")
    return parsed


def now_date(now: datetime | None, zone: Any) -> date | None:
    """Today in ``zone`` at ``now`` (None without a clock: stored data must carry its date)."""
    return None if now is None or zone is None else now.astimezone(zone).date()


__all__ = [
    "Acclimation",
    "Clouds",
    "Offset",
    "Point",
    "check_acclimation",
    "check_clouds",
    "check_offsets",
    "check_points",
    "parse_date",
    "quoted_name",
    "read_acclimation",
    "stored_acclimation",
    "stored_clouds",
    "stored_offsets",
    "stored_points",
]
