"""Validation problems and the small parsers that report them.

A service hands us raw JSON-ish data. Instead of stopping at the first mistake, every parser here records a
``Problem`` and returns None, so one pass reports everything that is wrong. Each problem has a stable
snake_case ``code`` (the translation key the HA layer will use), the ``field`` it concerns (dotted, with
``[i]`` for list items: ``action_params.duty``, ``times[1]``) and ``placeholders`` for the translated message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time
from enum import StrEnum
import math
import re
from typing import TYPE_CHECKING, Any, Final, Literal

from .wallclock import fixed_instant

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo


class ProblemCode(StrEnum):
    """Every problem the validator can report."""

    MISSING_FIELD = "missing_field"
    UNKNOWN_FIELD = "unknown_field"
    FIELD_NOT_ALLOWED = "field_not_allowed"
    INVALID_TYPE = "invalid_type"
    INVALID_ID = "invalid_id"
    NAME_EMPTY = "name_empty"
    NAME_TOO_LONG = "name_too_long"
    UNKNOWN_SCHEDULE_TYPE = "unknown_schedule_type"
    UNKNOWN_ACTION_TYPE = "unknown_action_type"
    UNKNOWN_TIMEZONE = "unknown_timezone"
    UNKNOWN_RUN_STATUS = "unknown_run_status"
    INVALID_DATETIME = "invalid_datetime"
    END_BEFORE_START = "end_before_start"
    NEGATIVE_MISFIRE_GRACE = "negative_misfire_grace"
    EMPTY_TARGETS = "empty_targets"
    INVALID_TARGET = "invalid_target"
    RUN_AT_IN_PAST = "run_at_in_past"
    INTERVAL_TOO_SMALL = "interval_too_small"
    INVALID_CRON = "invalid_cron"
    UNKNOWN_FREQUENCY = "unknown_frequency"
    INVALID_TIME = "invalid_time"
    EMPTY_LIST = "empty_list"
    INVALID_WEEKDAY = "invalid_weekday"
    INVALID_DAY_OF_MONTH = "invalid_day_of_month"
    EVERY_TOO_SMALL = "every_too_small"
    MISSING_PARAM = "missing_param"
    UNKNOWN_PARAM = "unknown_param"
    INVALID_PARAM = "invalid_param"
    PARAM_OUT_OF_RANGE = "param_out_of_range"
    UNKNOWN_PRESET = "unknown_preset"
    INVALID_PRESET_TIMING = "invalid_preset_timing"


ALL_PROBLEM_CODES: Final = tuple(ProblemCode)

# English messages; ``{field}`` and the placeholders of each problem fill them.
MESSAGES: Final[dict[ProblemCode, str]] = {
    ProblemCode.MISSING_FIELD: "{field} is required",
    ProblemCode.UNKNOWN_FIELD: "{field} is not a schedule field",
    ProblemCode.FIELD_NOT_ALLOWED: "{field} does not apply to {kind}",
    ProblemCode.INVALID_TYPE: "{field} must be {expected}",
    ProblemCode.INVALID_ID: "{field} must be a non-empty string",
    ProblemCode.NAME_EMPTY: "{field} must not be empty",
    ProblemCode.NAME_TOO_LONG: "{field} is longer than {max} characters",
    ProblemCode.UNKNOWN_SCHEDULE_TYPE: "{field}: unknown schedule type {value}",
    ProblemCode.UNKNOWN_ACTION_TYPE: "{field}: unknown action type {value}",
    ProblemCode.UNKNOWN_TIMEZONE: "{field}: unknown time zone {value}",
    ProblemCode.UNKNOWN_RUN_STATUS: "{field}: unknown run status {value}",
    ProblemCode.INVALID_DATETIME: "{field}: {value} is not an ISO 8601 date and time",
    ProblemCode.END_BEFORE_START: "{field} must be after start_time",
    ProblemCode.NEGATIVE_MISFIRE_GRACE: "{field} must not be negative",
    ProblemCode.EMPTY_TARGETS: "{field} must name at least one channel",
    ProblemCode.INVALID_TARGET: "{field} must be a non-empty channel id",
    ProblemCode.RUN_AT_IN_PAST: "{field} ({value}) is in the past",
    ProblemCode.INTERVAL_TOO_SMALL: "{field} must be at least {min} second",
    ProblemCode.INVALID_CRON: "{field}: {value} is not a valid cron expression",
    ProblemCode.UNKNOWN_FREQUENCY: "{field}: unknown frequency {value}",
    ProblemCode.INVALID_TIME: "{field}: {value} is not a time of day (HH:MM or HH:MM:SS)",
    ProblemCode.EMPTY_LIST: "{field} must not be empty",
    ProblemCode.INVALID_WEEKDAY: "{field}: {value} is not a weekday (mon..sun)",
    ProblemCode.INVALID_DAY_OF_MONTH: "{field}: {value} is not a day of the month (1..31 or -31..-1)",
    ProblemCode.EVERY_TOO_SMALL: "{field} must be at least 1",
    ProblemCode.MISSING_PARAM: "{field} is required",
    ProblemCode.UNKNOWN_PARAM: "{field} is not a parameter of {kind}",
    ProblemCode.INVALID_PARAM: "{field} must be {expected}",
    ProblemCode.PARAM_OUT_OF_RANGE: "{field} must be within {min}..{max}",
    ProblemCode.UNKNOWN_PRESET: "{field}: unknown preset {value}",
    ProblemCode.INVALID_PRESET_TIMING: "{field}: {reason}",
}

_TIME_RE: Final = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")
_DESCRIBE_LIMIT: Final = 60
_SERVICE_RE: Final = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a schedule."""

    code: ProblemCode
    field: str
    message: str
    placeholders: Mapping[str, str]


class ScheduleError(ValueError):
    """Schedule data failed validation; ``problems`` lists everything that is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        """Keep the problems; the message names the first few."""
        super().__init__("; ".join(problem.message for problem in problems[:5]) or "invalid schedule")
        self.problems = tuple(problems)


def parse_time_of_day(value: object) -> time | None:
    """Read "HH:MM" or "HH:MM:SS" as a time of day; None if it is neither."""
    match = _TIME_RE.match(value) if isinstance(value, str) else None
    return None if match is None else time(int(match[1]), int(match[2]), int(match[3] or 0))


def format_time(value: time) -> str:
    """Render a time of day as stored: "HH:MM", or "HH:MM:SS" when it has seconds."""
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def describe(value: object) -> str:
    """Render a bad value for a message, short enough to keep the message readable."""
    text = repr(value)
    return text if len(text) <= _DESCRIBE_LIMIT else text[: _DESCRIBE_LIMIT - 3] + "..."


class Checker:
    """Collects problems while the parsers below turn raw values into typed ones."""

    def __init__(self) -> None:
        """Start with no problems."""
        self.problems: list[Problem] = []

    def add(self, code: ProblemCode, field_name: str, **placeholders: str) -> None:
        """Record a problem; the message is rendered from ``MESSAGES``."""
        message = MESSAGES[code].format(field=field_name, **placeholders)
        self.problems.append(Problem(code, field_name, message, placeholders))

    def text(self, field_name: str, value: object) -> str | None:
        """Return ``value`` if it is a string, otherwise report ``invalid_type``."""
        if isinstance(value, str):
            return value
        self.add(ProblemCode.INVALID_TYPE, field_name, expected="a string")
        return None

    def mapping(self, field_name: str, value: object, code: ProblemCode) -> Mapping[str, Any] | None:
        """Return ``value`` if it is a mapping with string keys, otherwise report ``code``."""
        if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
            return value
        self.add(code, field_name, expected="a mapping")
        return None

    def number(self, field_name: str, value: object, code: ProblemCode) -> float | None:
        """Return a finite number as float; booleans and strings are reported with ``code``."""
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        self.add(code, field_name, expected="a number")
        return None

    def integer(self, field_name: str, value: object, code: ProblemCode) -> int | None:
        """Return a whole number (``60`` or ``60.0``) as int; anything else is reported with ``code``."""
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        self.add(code, field_name, expected="a whole number")
        return None

    def in_range(
        self,
        field_name: str,
        value: float,
        minimum: float,
        maximum: float,
        *,
        exclusive_minimum: bool = False,
    ) -> float | None:
        """Return ``value`` if within the bounds, otherwise report ``param_out_of_range``."""
        too_low = value <= minimum if exclusive_minimum else value < minimum
        if too_low or value > maximum:
            low = f"{minimum:g} (exclusive)" if exclusive_minimum else f"{minimum:g}"
            self.add(ProblemCode.PARAM_OUT_OF_RANGE, field_name, min=low, max=f"{maximum:g}")
            return None
        return value

    def time_of_day(self, field_name: str, value: object) -> time | None:
        """Parse "HH:MM" or "HH:MM:SS" (or accept a ``datetime.time`` without zone)."""
        if isinstance(value, time) and value.tzinfo is None:
            return value.replace(microsecond=0)
        parsed = parse_time_of_day(value)
        if parsed is None:
            self.add(ProblemCode.INVALID_TIME, field_name, value=describe(value))
        return parsed

    def instant(self, field_name: str, value: object, zone: ZoneInfo | None) -> datetime | None:
        """Parse an ISO 8601 date and time (or accept a datetime) into an aware UTC datetime.

        A naive value is a wall time in the schedule's zone (read with the fixed-time DST rule: a skipped
        time means the instant of the jump, a repeated one its first pass); without a valid zone it is read
        as UTC, the zone being reported separately.
        """
        parsed: datetime | None = None
        if isinstance(value, datetime):
            parsed = value
        elif isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                parsed = None
        if parsed is None:
            self.add(ProblemCode.INVALID_DATETIME, field_name, value=describe(value))
            return None
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            if zone is None:
                return parsed.replace(tzinfo=UTC)
            return fixed_instant(parsed.replace(tzinfo=None), zone)
        return parsed.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """How one parameter of an action or preset is checked."""

    kind: Literal["number", "time", "times", "choice", "mapping", "service"]
    required: bool = False
    minimum: float = 0.0
    maximum: float = math.inf
    exclusive_minimum: bool = False
    choices: tuple[str, ...] = ()


def check_params(
    checker: Checker, prefix: str, kind: str, params: Mapping[str, Any], specs: Mapping[str, ParamSpec]
) -> dict[str, Any]:
    """Check ``params`` against ``specs``; return the parsed values of the good ones.

    Numbers come back as float, times as ``datetime.time``, lists of times sorted as a tuple.
    """
    parsed: dict[str, Any] = {}
    for name in params:
        if name not in specs:
            checker.add(ProblemCode.UNKNOWN_PARAM, f"{prefix}.{name}", kind=kind)
    for name, spec in specs.items():
        field_name = f"{prefix}.{name}"
        if name not in params or params[name] is None:
            if spec.required:
                checker.add(ProblemCode.MISSING_PARAM, field_name)
            continue
        value = _check_param(checker, field_name, params[name], spec)
        if value is not None:
            parsed[name] = value
    return parsed


def _check_param(checker: Checker, field_name: str, value: object, spec: ParamSpec) -> Any:
    code = ProblemCode.INVALID_PARAM
    if spec.kind == "number":
        number = checker.number(field_name, value, code)
        if number is None:
            return None
        return checker.in_range(
            field_name, number, spec.minimum, spec.maximum, exclusive_minimum=spec.exclusive_minimum
        )
    if spec.kind == "time":
        return checker.time_of_day(field_name, value)
    if spec.kind == "times":
        return check_times(checker, field_name, value, ProblemCode.INVALID_PARAM)
    if spec.kind == "choice":
        if isinstance(value, str) and value in spec.choices:
            return value
        checker.add(code, field_name, expected="one of " + ", ".join(spec.choices))
        return None
    if spec.kind == "mapping":
        return checker.mapping(field_name, value, code)
    if isinstance(value, str) and _SERVICE_RE.match(value):
        return value
    checker.add(code, field_name, expected='a service name such as "light.turn_on"')
    return None


def check_times(
    checker: Checker, field_name: str, value: object, code: ProblemCode
) -> tuple[time, ...] | None:
    """Parse a non-empty list of times of day; return them sorted and without duplicates."""
    if not isinstance(value, list | tuple):
        checker.add(code, field_name, expected="a list of times of day")
        return None
    if not value:
        checker.add(ProblemCode.EMPTY_LIST, field_name)
        return None
    times = [checker.time_of_day(f"{field_name}[{index}]", item) for index, item in enumerate(value)]
    good = [item for item in times if item is not None]
    if len(good) != len(times):
        return None
    return tuple(sorted(set(good)))
