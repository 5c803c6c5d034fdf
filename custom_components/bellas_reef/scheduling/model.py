"""The schedule model: one immutable dataclass and its stored JSON form.

A ``Schedule`` is built from data by ``Schedule.from_dict`` (which validates, see ``validation``) and written
back by ``to_dict``; ``from_dict(s.to_dict()) == s``. The engine changes the run record (``next_run``,
``last_run``, ``last_run_status``) with ``dataclasses.replace``.

Stored form: enums as their strings, date-times as ISO 8601 in UTC (``2027-03-28T01:00:00+00:00``), times
of day as "HH:MM" (or "HH:MM:SS"), tuples as lists. Only the fields of the schedule's own type (and frequency)
are written, and ``acclimation`` only when the schedule has one (so that the stored form of every other
schedule is what earlier releases wrote and read). ``action_params`` and ``preset_params`` are deep-frozen
(read-only mappings, tuples), so a schedule is really immutable; being mappings they make a schedule
unhashable, which nothing needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Self
import uuid

from .const import (
    DEFAULT_MISFIRE_GRACE,
    ActionType,
    Frequency,
    Preset,
    RunStatus,
    ScheduleType,
    Weekday,
)
from .problems import ScheduleError, format_time
from .validation import parse_schedule
from .wallclock import get_zone

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def freeze(value: Any) -> Any:
    """Return a read-only deep copy of JSON-like data: mappings become proxies, lists tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({key: freeze(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    return value


def thaw(value: Any) -> Any:
    """Return a plain JSON-ready copy of frozen data: dicts and lists again."""
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [thaw(item) for item in value]
    return value


def _stamp(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True, kw_only=True, slots=True)
class Schedule:
    """One schedule; see the package docstring for what each type means."""

    id: str
    name: str
    schedule_type: ScheduleType
    targets: tuple[str, ...]
    timezone: str
    created_at: datetime
    updated_at: datetime
    action_type: ActionType | None = None
    action_params: Mapping[str, Any] = _EMPTY
    start_time: datetime | None = None
    end_time: datetime | None = None
    enabled: bool = True
    misfire_grace: int = DEFAULT_MISFIRE_GRACE
    next_run: datetime | None = None
    last_run: datetime | None = None
    last_run_status: RunStatus | None = None
    last_error: str | None = None  # why the last run failed or was skipped
    created_by: str | None = None  # the user who made it: its runs (a custom action) act with their rights
    # levels scaled from a start percentage to 100 % over days (``lightparams.Acclimation``, stored form)
    acclimation: Mapping[str, Any] | None = None
    # one_off
    run_at: datetime | None = None
    # interval
    interval_seconds: int | None = None
    # cron
    cron_expression: str | None = None
    # recurring
    frequency: Frequency | None = None
    times: tuple[time, ...] = ()
    weekdays: tuple[Weekday, ...] = ()
    days_of_month: tuple[int, ...] = ()
    every: int = 1
    # static
    preset: Preset | None = None
    preset_params: Mapping[str, Any] = field(default=_EMPTY)

    def __post_init__(self) -> None:
        """Freeze the containers and bring every date-time to UTC; naive ones are refused."""
        object.__setattr__(self, "schedule_type", ScheduleType(self.schedule_type))
        object.__setattr__(self, "targets", tuple(self.targets))
        object.__setattr__(self, "times", tuple(self.times))
        object.__setattr__(self, "weekdays", tuple(Weekday(day) for day in self.weekdays))
        object.__setattr__(self, "days_of_month", tuple(self.days_of_month))
        object.__setattr__(self, "action_params", freeze(self.action_params))
        object.__setattr__(self, "preset_params", freeze(self.preset_params))
        if self.acclimation is not None:
            object.__setattr__(self, "acclimation", freeze(self.acclimation))
        for name in ("created_at", "updated_at", "start_time", "end_time", "next_run", "last_run", "run_at"):
            value: datetime | None = getattr(self, name)
            if value is None:
                continue
            if value.utcoffset() is None:
                raise ValueError(f"{name} must be an aware datetime")
            object.__setattr__(self, name, value.astimezone(UTC))

    @property
    def zone(self) -> ZoneInfo:
        """The schedule's IANA zone (``ZoneInfo`` caches instances, so this is cheap)."""
        return get_zone(self.timezone)

    @property
    def anchor(self) -> datetime:
        """Where intervals and ``every`` N count from: ``start_time``, else ``created_at``."""
        return self.start_time or self.created_at

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, now: datetime | None = None) -> Self:
        """Build a schedule from stored or service data; raise ``ScheduleError`` listing every problem.

        A service payload has no ``id`` or timestamps: a random id is made, and ``created_at`` and
        ``updated_at`` become ``now`` (default: the current time).
        """
        fields, problems = parse_schedule(data)
        if problems:
            raise ScheduleError(problems)
        stamp = now or datetime.now(UTC)
        fields.setdefault("id", uuid.uuid4().hex)
        fields.setdefault("created_at", stamp)
        fields.setdefault("updated_at", fields["created_at"])
        return cls(**fields)

    def to_dict(self) -> dict[str, Any]:
        """Return the stored JSON form (module docstring)."""
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "schedule_type": self.schedule_type.value,
            "targets": list(self.targets),
            "action_type": None if self.action_type is None else self.action_type.value,
            "action_params": thaw(self.action_params),
            "timezone": self.timezone,
            "start_time": _stamp(self.start_time),
            "end_time": _stamp(self.end_time),
            "enabled": self.enabled,
            "misfire_grace": self.misfire_grace,
            "next_run": _stamp(self.next_run),
            "last_run": _stamp(self.last_run),
            "last_run_status": None if self.last_run_status is None else self.last_run_status.value,
            "created_at": _stamp(self.created_at),
            "updated_at": _stamp(self.updated_at),
            "last_error": self.last_error,
            "created_by": self.created_by,
        }
        if self.acclimation is not None:  # only when set: a schedule without it is stored as before
            data["acclimation"] = thaw(self.acclimation)
        data.update(self._type_dict())
        return data

    def _type_dict(self) -> dict[str, Any]:
        match self.schedule_type:
            case ScheduleType.ONE_OFF:
                return {"run_at": _stamp(self.run_at)}
            case ScheduleType.INTERVAL:
                return {"interval_seconds": self.interval_seconds}
            case ScheduleType.CRON:
                return {"cron_expression": self.cron_expression}
            case ScheduleType.RECURRING:
                data: dict[str, Any] = {
                    "frequency": None if self.frequency is None else self.frequency.value,
                    "times": [format_time(value) for value in self.times],
                    "every": self.every,
                }
                if self.frequency is Frequency.WEEKLY:
                    data["weekdays"] = [day.value for day in self.weekdays]
                if self.frequency is Frequency.MONTHLY:
                    data["days_of_month"] = list(self.days_of_month)
                return data
            case ScheduleType.STATIC:
                return {
                    "preset": None if self.preset is None else self.preset.value,
                    "preset_params": thaw(self.preset_params),
                }
