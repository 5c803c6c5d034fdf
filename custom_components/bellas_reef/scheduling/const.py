"""Names and limits shared by the model, the validator, the calculator and the presets.

Every enum is a ``StrEnum`` so that a member compares equal to the string stored in JSON and the stored form
never depends on Python's enum machinery.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Final


class ScheduleType(StrEnum):
    """How a schedule decides when it runs."""

    ONE_OFF = "one_off"
    INTERVAL = "interval"
    CRON = "cron"
    RECURRING = "recurring"
    STATIC = "static"


class ActionType(StrEnum):
    """What a run does to its targets."""

    ON = "on"
    OFF = "off"
    TOGGLE = "toggle"
    SET_PWM = "set_pwm"
    SET_LEVEL = "set_level"
    RAMP = "ramp"
    CUSTOM = "custom"


class RunStatus(StrEnum):
    """The outcome of the last run, as the engine records it."""

    SUCCESS = "success"
    FAILED = "failed"
    SKIPPED = "skipped"


class Frequency(StrEnum):
    """The period of a ``recurring`` schedule."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class Weekday(StrEnum):
    """Days of the week, Monday first as in ISO 8601 and ``date.weekday()``."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        """Monday 0 .. Sunday 6, the numbering of ``date.weekday()``."""
        return list(Weekday).index(self)


class Preset(StrEnum):
    """Built-in ``static`` programmes."""

    DIURNAL = "diurnal"
    MOONLIGHT = "moonlight"
    FEED_PAUSE = "feed_pause"
    MAINTENANCE = "maintenance"
    PROFILE = "profile"


class RampCurve(StrEnum):
    """How a ramp moves between two levels; see ``curves.ramp_level_at``."""

    PERCEPTUAL = "perceptual"
    LINEAR = "linear"
    SMOOTH = "smooth"


class Interpolation(StrEnum):
    """How a ``profile`` moves between two of its points."""

    LINEAR = "linear"
    SMOOTH = "smooth"


DEFAULT_MISFIRE_GRACE: Final = 300
NAME_MAX_LENGTH: Final = 100

# Bounds of every field, so that no input can make a call slow, a message huge or a stored value unreadable
DATETIME_MIN: Final = datetime(1970, 1, 1, tzinfo=UTC)
DATETIME_MAX: Final = datetime(2200, 1, 1, tzinfo=UTC)
FIELDS_MAX: Final = 64  # keys of a schedule
PARAMS_MAX: Final = 32  # keys of action or preset parameters
ID_MAX_LENGTH: Final = 255  # a schedule's id, a channel's id (an entity id is at most 255 characters too)
TARGETS_MAX: Final = 64
TIMEZONE_MAX_LENGTH: Final = 64
CRON_MAX_LENGTH: Final = 128
TIMES_MAX: Final = 48  # times of day in one list
WEEKDAYS_MAX: Final = 7
DAYS_OF_MONTH_MAX: Final = 62  # 1..31 and -31..-1
EVERY_MAX: Final = 1000  # days, weeks or months
INTERVAL_MAX: Final = 366 * 86_400  # seconds
MISFIRE_GRACE_MAX: Final = 7 * 86_400  # seconds
REVERT_MAX: Final = 30 * 86_400  # seconds a "duration" (go back after) may last
RAMP_MAX: Final = 86_400  # seconds a ramp may last
SERVICE_MAX_LENGTH: Final = 128
CUSTOM_DATA_MAX: Final = 16_384  # characters of a custom action's data or target, as JSON
USER_ID_MAX_LENGTH: Final = 64
LAST_ERROR_MAX_LENGTH: Final = 1000  # a run's error as the schedule keeps it
# A custom action must not start runs of Bella's Reef itself: a schedule running itself made thousands of runs
# a second. (An indirect call, through a script or an automation, is refused by the HA layer.)
RUN_SERVICES: Final = frozenset({"bellas_reef.run_schedule", "bellas_reef.run_action"})
LEVEL_MIN: Final = 0.0
LEVEL_MAX: Final = 100.0
MINUTES_PER_DAY: Final = 1440
SECONDS_PER_DAY: Final = 86_400
# Light programmes (``programme``): a profile's points, the offsets per target, clouds, acclimation
POINTS_MIN: Final = 2
POINTS_MAX: Final = 48
SHIFT_MAX_MINUTES: Final = 720  # a target's curve moves at most half a day either way
CLOUDS_PER_HOUR_MAX: Final = 12
CLOUD_MINUTES_MAX: Final = 60
ACCLIMATION_DAYS_MAX: Final = 365

# The aliases croniter understands that make sense for a schedule (@reboot does not), spelled out so that
# the calculator can tell fixed-time from wildcard entries.
CRON_ALIASES: Final[dict[str, str]] = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}

# Fields every schedule may carry, whatever its type.
COMMON_FIELDS: Final = frozenset(
    {
        "id",
        "name",
        "schedule_type",
        "targets",
        "action_type",
        "action_params",
        "timezone",
        "start_time",
        "end_time",
        "enabled",
        "misfire_grace",
        "next_run",
        "last_run",
        "last_run_status",
        "created_at",
        "updated_at",
        "created_by",
        "last_error",
        "acclimation",
    }
)
# Fields the integration sets: a caller may not (on create or update)
READ_ONLY_FIELDS: Final = frozenset(
    {"id", "created_at", "updated_at", "created_by", "next_run", "last_run", "last_run_status", "last_error"}
)

# Fields that belong to one schedule type (``recurring`` narrows them further by frequency).
TYPE_FIELDS: Final[dict[ScheduleType, frozenset[str]]] = {
    ScheduleType.ONE_OFF: frozenset({"run_at"}),
    ScheduleType.INTERVAL: frozenset({"interval_seconds"}),
    ScheduleType.CRON: frozenset({"cron_expression"}),
    ScheduleType.RECURRING: frozenset({"frequency", "times", "weekdays", "days_of_month", "every"}),
    ScheduleType.STATIC: frozenset({"preset", "preset_params"}),
}
ALL_TYPE_FIELDS: Final = frozenset().union(*TYPE_FIELDS.values())
