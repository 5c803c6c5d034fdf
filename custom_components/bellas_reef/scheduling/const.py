"""Names and limits shared by the model, the validator, the calculator and the presets.

Every enum is a ``StrEnum`` so that a member compares equal to the string stored in JSON and the stored form
never depends on Python's enum machinery.
"""

from __future__ import annotations

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


class RampCurve(StrEnum):
    """How a ramp moves between two levels; see ``curves.ramp_level_at``."""

    PERCEPTUAL = "perceptual"
    LINEAR = "linear"


DEFAULT_MISFIRE_GRACE: Final = 300
NAME_MAX_LENGTH: Final = 100
LEVEL_MIN: Final = 0.0
LEVEL_MAX: Final = 100.0
MINUTES_PER_DAY: Final = 1440
SECONDS_PER_DAY: Final = 86_400

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
    }
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
