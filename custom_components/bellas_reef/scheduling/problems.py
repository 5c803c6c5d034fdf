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
from enum import Enum, StrEnum
import math
import re
from typing import TYPE_CHECKING, Any, Final, Literal

from .const import (
    CUSTOM_DATA_MAX,
    DATETIME_MAX,
    DATETIME_MIN,
    PARAMS_MAX,
    RUN_SERVICES,
    SERVICE_MAX_LENGTH,
    TIMES_MAX,
)
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
    DATETIME_OUT_OF_RANGE = "datetime_out_of_range"
    VALUE_TOO_LARGE = "value_too_large"
    TOO_LONG = "too_long"
    TOO_MANY = "too_many"
    DATA_TOO_LARGE = "data_too_large"
    READ_ONLY_FIELD = "read_only_field"
    SERVICE_NOT_ALLOWED = "service_not_allowed"
    UNKNOWN_TARGET = "unknown_target"
    TOO_FEW = "too_few"
    POINTS_UNSORTED = "points_unsorted"
    DUPLICATE_POINT = "duplicate_point"
    OFFSET_NOT_A_TARGET = "offset_not_a_target"
    DUPLICATE_TARGET = "duplicate_target"
    INVALID_DATE = "invalid_date"


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
    ProblemCode.DATETIME_OUT_OF_RANGE: "{field}: {value} is outside {min} .. {max}",
    ProblemCode.VALUE_TOO_LARGE: "{field} must be at most {max}",
    ProblemCode.TOO_LONG: "{field} is longer than {max} characters",
    ProblemCode.TOO_MANY: "{field} has more than {max} items",
    ProblemCode.DATA_TOO_LARGE: "{field} is larger than {max} characters as JSON",
    ProblemCode.READ_ONLY_FIELD: "{field} is set by Bella's Reef and cannot be given",
    ProblemCode.SERVICE_NOT_ALLOWED: "{field}: {value} starts runs of Bella's Reef itself and is not allowed",
    ProblemCode.UNKNOWN_TARGET: "{field}: {value} is not a light or switch of Bella's Reef",
    ProblemCode.TOO_FEW: "{field} needs at least {min} items",
    ProblemCode.POINTS_UNSORTED: "{field}: {value} comes before the point above; list points from 00:00 on",
    ProblemCode.DUPLICATE_POINT: "{field}: a point at {value} is already there",
    ProblemCode.OFFSET_NOT_A_TARGET: "{field} names a channel that is not one of the schedule's targets",
    ProblemCode.DUPLICATE_TARGET: "{field} names a channel that already has an offset",
    ProblemCode.INVALID_DATE: "{field}: {value} is not a date (YYYY-MM-DD)",
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
    """Render a bad value for a message, short enough to keep the message readable.

    A long string or a large container is cut before it is rendered, so describing 10 MB costs nothing.
    """
    if isinstance(value, str) and len(value) > _DESCRIBE_LIMIT:
        value = value[:_DESCRIBE_LIMIT]
    elif isinstance(value, list | tuple) and len(value) > _DESCRIBE_LIMIT:
        value = list(value[:_DESCRIBE_LIMIT])
    elif isinstance(value, Mapping) and len(value) > _DESCRIBE_LIMIT:
        value = dict(list(value.items())[:_DESCRIBE_LIMIT])
    text = repr(value)
    return text if len(text) <= _DESCRIBE_LIMIT else text[: _DESCRIBE_LIMIT - 3] + "..."


def quoted_name(name: object) -> str:
    """A field or parameter name from input, as a message may quote it (at most a short excerpt)."""
    text = name if isinstance(name, str) else repr(name)
    return text if len(text) <= _DESCRIBE_LIMIT else text[: _DESCRIBE_LIMIT - 3] + "..."


def json_size(value: object, limit: int) -> int | None:
    """The length of ``value`` as JSON, roughly (never less); None as soon as it passes ``limit``.

    Walks the data without rendering it and stops at the limit: a huge value costs no more than a small one.
    """
    size = 0
    stack: list[object] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            size += len(item) + 2
        elif isinstance(item, Mapping):
            size += 2
            if len(item) > limit:
                return None
            for key, inner in item.items():
                size += len(key) + 3 if isinstance(key, str) else limit + 1
                stack.append(inner)
        elif isinstance(item, list | tuple):
            size += 2
            if len(item) > limit:
                return None
            stack.extend(item)
        else:
            size += 8 if isinstance(item, int | float) and abs(item) < 1e15 else 24  # noqa: PLR2004
        if size > limit:
            return None
    return size


class InstantProblem(Enum):
    """Why a value is not an instant the scheduler takes."""

    INVALID = "invalid"
    OUT_OF_RANGE = "out_of_range"


_INSTANT_MAX_LENGTH: Final = 64


def parse_instant(value: object, zone: ZoneInfo | None) -> datetime | InstantProblem:
    """An ISO 8601 date and time (or a datetime) as an aware UTC instant within ``DATETIME_MIN .. MAX``.

    A naive value is a wall time in ``zone`` (the fixed-time DST rule: a skipped time means the instant of the
    jump, a repeated one its first pass), or UTC without a zone. Never raises: dates such as year 1 with a
    +14:00 offset, which overflow on conversion, are simply out of range.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and len(value) <= _INSTANT_MAX_LENGTH:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return InstantProblem.INVALID
    else:
        return InstantProblem.INVALID
    if not DATETIME_MIN.year - 1 <= parsed.year <= DATETIME_MAX.year + 1:
        return InstantProblem.OUT_OF_RANGE  # before converting: near year 1 or 9999 that overflows
    try:
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            naive = parsed.replace(tzinfo=None)
            instant = naive.replace(tzinfo=UTC) if zone is None else fixed_instant(naive, zone)
        else:
            instant = parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return InstantProblem.OUT_OF_RANGE
    if not DATETIME_MIN <= instant <= DATETIME_MAX:
        return InstantProblem.OUT_OF_RANGE
    return instant


class Checker:
    """Collects problems while the parsers below turn raw values into typed ones."""

    def __init__(self) -> None:
        """Start with no problems."""
        self.problems: list[Problem] = []

    def add(self, code: ProblemCode, field_name: str, **placeholders: str) -> None:
        """Record a problem; the message is rendered from ``MESSAGES``."""
        message = MESSAGES[code].format(field=field_name, **placeholders)
        self.problems.append(Problem(code, field_name, message, placeholders))

    def text(self, field_name: str, value: object, max_length: int | None = None) -> str | None:
        """Return ``value`` if it is a string (of at most ``max_length``), otherwise report the problem."""
        if not isinstance(value, str):
            self.add(ProblemCode.INVALID_TYPE, field_name, expected="a string")
            return None
        if max_length is not None and len(value) > max_length:
            self.add(ProblemCode.TOO_LONG, field_name, max=str(max_length))
            return None
        return value

    def mapping(
        self, field_name: str, value: object, code: ProblemCode, max_items: int = PARAMS_MAX
    ) -> Mapping[str, Any] | None:
        """Return ``value`` if it is a mapping with string keys (at most ``max_items``), else report it."""
        if not isinstance(value, Mapping):
            self.add(code, field_name, expected="a mapping")
            return None
        if len(value) > max_items:
            self.add(ProblemCode.TOO_MANY, field_name, max=str(max_items))
            return None
        if not all(isinstance(key, str) for key in value):
            self.add(code, field_name, expected="a mapping")
            return None
        return value

    def at_most(self, field_name: str, value: float, maximum: float) -> float | None:
        """Return ``value`` if it is at most ``maximum``, otherwise report ``value_too_large``."""
        if value > maximum:
            self.add(ProblemCode.VALUE_TOO_LARGE, field_name, max=f"{maximum:g}")
            return None
        return value

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
        """Parse an ISO 8601 date and time (or accept a datetime) into an aware UTC datetime in range.

        See ``parse_instant``; without a valid zone a naive value is read as UTC, the zone being reported
        separately.
        """
        parsed = parse_instant(value, zone)
        if parsed is InstantProblem.INVALID:
            self.add(ProblemCode.INVALID_DATETIME, field_name, value=describe(value))
            return None
        if parsed is InstantProblem.OUT_OF_RANGE:
            self.add(
                ProblemCode.DATETIME_OUT_OF_RANGE,
                field_name,
                value=describe(value),
                min=DATETIME_MIN.isoformat(),
                max=DATETIME_MAX.isoformat(),
            )
            return None
        return parsed


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """How one parameter of an action or preset is checked."""

    kind: Literal["number", "time", "times", "choice", "mapping", "service", "bool"]
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
            checker.add(ProblemCode.UNKNOWN_PARAM, f"{prefix}.{quoted_name(name)}", kind=kind)
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
    if spec.kind in {"bool", "choice"}:
        return _check_choice(checker, field_name, value, spec)
    if spec.kind == "mapping":
        mapping = checker.mapping(field_name, value, code, max_items=CUSTOM_DATA_MAX)
        if mapping is not None and json_size(mapping, CUSTOM_DATA_MAX) is None:
            checker.add(ProblemCode.DATA_TOO_LARGE, field_name, max=str(CUSTOM_DATA_MAX))
            return None
        return mapping
    return _check_service(checker, field_name, value)


def _check_choice(checker: Checker, field_name: str, value: object, spec: ParamSpec) -> str | bool | None:
    """True or false, or one of a spec's choices."""
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value
        checker.add(ProblemCode.INVALID_PARAM, field_name, expected="true or false")
        return None
    if isinstance(value, str) and value in spec.choices:
        return value
    checker.add(ProblemCode.INVALID_PARAM, field_name, expected="one of " + ", ".join(spec.choices))
    return None


def _check_service(checker: Checker, field_name: str, value: object) -> str | None:
    """A Home Assistant action name (``domain.action``) that may be called: not one that starts our runs."""
    if not (isinstance(value, str) and len(value) <= SERVICE_MAX_LENGTH and _SERVICE_RE.match(value)):
        checker.add(ProblemCode.INVALID_PARAM, field_name, expected='a service name such as "light.turn_on"')
        return None
    if value in RUN_SERVICES:
        checker.add(ProblemCode.SERVICE_NOT_ALLOWED, field_name, value=value)
        return None
    return value


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
    if len(value) > TIMES_MAX:
        checker.add(ProblemCode.TOO_MANY, field_name, max=str(TIMES_MAX))
        return None
    times = [checker.time_of_day(f"{field_name}[{index}]", item) for index, item in enumerate(value)]
    good = [item for item in times if item is not None]
    if len(good) != len(times):
        return None
    return tuple(sorted(set(good)))
