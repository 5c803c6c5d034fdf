"""Validation of raw schedule data, as a service or the store hands it over.

``validate_schedule`` reports every problem at once (see ``problems.ProblemCode`` for the codes);
``parse_schedule`` does the same walk and also returns the typed, normalised field values from which
``Schedule.from_dict`` builds a schedule - one code path, so what validates is exactly what loads.

Rules worth knowing:

* ``id``, ``created_at`` and ``updated_at`` are optional: a service payload has none; ``from_dict`` fills
  them in.
* A naive date-time is a wall time in the schedule's ``timezone`` (fixed-time DST rule); all come back in
  UTC.
* ``action_type``/``action_params`` do not apply to ``static`` schedules (the preset defines the action).
* A field of another schedule type (or of another ``frequency``) is refused unless it is null, so a UI may
  send a full form with the unused fields empty.
* ``run_at`` in the past is a problem only when ``now`` is given: a stored one-off that has fired is fine.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from .const import (
    ALL_TYPE_FIELDS,
    COMMON_FIELDS,
    CRON_MAX_LENGTH,
    DAYS_OF_MONTH_MAX,
    EVERY_MAX,
    FIELDS_MAX,
    ID_MAX_LENGTH,
    INTERVAL_MAX,
    LAST_ERROR_MAX_LENGTH,
    LEVEL_MAX,
    MISFIRE_GRACE_MAX,
    NAME_MAX_LENGTH,
    RAMP_MAX,
    READ_ONLY_FIELDS,
    REVERT_MAX,
    TARGETS_MAX,
    TIMEZONE_MAX_LENGTH,
    TYPE_FIELDS,
    USER_ID_MAX_LENGTH,
    WEEKDAYS_MAX,
    ActionType,
    Frequency,
    Preset,
    RampCurve,
    RunStatus,
    ScheduleType,
    Weekday,
)
from .cron import is_valid_cron
from .lightparams import check_acclimation, now_date, stored_acclimation
from .presets import check_preset_params
from .problems import (
    Checker,
    ParamSpec,
    Problem,
    ProblemCode,
    check_params,
    check_times,
    describe,
    quoted_name,
)
from .wallclock import get_zone, is_zone

if TYPE_CHECKING:
    from datetime import datetime
    from zoneinfo import ZoneInfo

_DURATION: Final = ParamSpec("number", exclusive_minimum=True, maximum=REVERT_MAX)
_PERCENT: Final = ParamSpec("number", maximum=LEVEL_MAX)
_REQUIRED_PERCENT: Final = ParamSpec("number", required=True, maximum=LEVEL_MAX)

ACTION_PARAMS: Final[dict[ActionType, dict[str, ParamSpec]]] = {
    ActionType.ON: {"duration": _DURATION},
    ActionType.OFF: {"duration": _DURATION},
    ActionType.TOGGLE: {"duration": _DURATION},
    ActionType.SET_PWM: {"duty": _REQUIRED_PERCENT, "duration": _DURATION},
    ActionType.SET_LEVEL: {"level": _REQUIRED_PERCENT, "duration": _DURATION},
    ActionType.RAMP: {
        "end_level": _REQUIRED_PERCENT,
        "start_level": _PERCENT,
        "duration": ParamSpec("number", required=True, exclusive_minimum=True, maximum=RAMP_MAX),
        "curve": ParamSpec("choice", choices=tuple(RampCurve)),
    },
    ActionType.CUSTOM: {
        "service": ParamSpec("service", required=True),
        "data": ParamSpec("mapping"),
        "target": ParamSpec("mapping"),
    },
}

_DATETIME_FIELDS: Final = ("start_time", "end_time", "next_run", "last_run", "created_at", "updated_at")
_DAY_LIMIT: Final = 31


def validate_schedule(
    data: Mapping[str, Any],
    *,
    now: datetime | None = None,
    channels: Collection[str] | None = None,
    caller: bool = False,
) -> list[Problem]:
    """Return every problem with ``data`` (none when it is a valid schedule).

    ``now`` adds the past check; ``channels``, when given, are the only targets there are; ``caller`` marks
    input from a user or an automation, which may not set the fields the integration keeps.
    """
    return parse_schedule(data, now=now, channels=channels, caller=caller)[1]


def parse_schedule(
    data: object,
    *,
    now: datetime | None = None,
    channels: Collection[str] | None = None,
    caller: bool = False,
) -> tuple[dict[str, Any], list[Problem]]:
    """Return the normalised fields of the valid parts of ``data`` and the problems with the rest."""
    checker = Checker()
    if not isinstance(data, Mapping):
        checker.add(ProblemCode.INVALID_TYPE, "schedule", expected="a mapping")
        return {}, checker.problems
    fields: dict[str, Any] = {}
    if len(data) > FIELDS_MAX:
        checker.add(ProblemCode.TOO_MANY, "schedule", max=str(FIELDS_MAX))
        return {}, checker.problems
    if caller:
        read_only_problems(checker, data)
    schedule_type = _schedule_type(checker, data, fields)
    _check_keys(checker, data, schedule_type)
    zone = _common(checker, data, fields, channels)
    _action(checker, data, fields, schedule_type)
    if schedule_type is not None:
        _TYPE_CHECKS[schedule_type](checker, data, fields, zone, now)
    _acclimation(checker, data, fields, schedule_type, zone, now)
    return fields, checker.problems


# Where acclimation applies: the light presets, and the actions that set a level
ACCLIMATION_PRESETS: Final = frozenset({Preset.DIURNAL, Preset.MOONLIGHT, Preset.PROFILE})
ACCLIMATION_ACTIONS: Final = frozenset({ActionType.RAMP, ActionType.SET_LEVEL})


def _acclimation(  # noqa: PLR0917 - the shape of the type checks
    checker: Checker,
    data: Mapping[str, Any],
    fields: dict[str, Any],
    schedule_type: ScheduleType | None,
    zone: ZoneInfo | None,
    now: datetime | None,
) -> None:
    """``acclimation``: only on level-type schedules; its start date defaults to today in their zone."""
    if not _present(data, "acclimation"):
        return
    key, allowed = (
        ("preset", ACCLIMATION_PRESETS)
        if schedule_type is ScheduleType.STATIC
        else ("action_type", ACCLIMATION_ACTIONS)
    )
    value = data.get(key)
    applies = isinstance(value, str) and value in allowed  # a list or a mapping is a problem of its own
    kind = f"{'preset' if key == 'preset' else 'action'} {describe(value)}"
    if schedule_type is not None and not applies:
        checker.add(ProblemCode.FIELD_NOT_ALLOWED, "acclimation", kind=kind)
        return
    parsed = check_acclimation(checker, "acclimation", data["acclimation"], now_date(now, zone))
    if parsed is not None:
        fields["acclimation"] = stored_acclimation(parsed)


def read_only_problems(checker: Checker, data: Mapping[str, Any]) -> None:
    """Report the fields the integration keeps (id, timestamps, the run record) that input sets."""
    for name in sorted(READ_ONLY_FIELDS):
        if _present(data, name):
            checker.add(ProblemCode.READ_ONLY_FIELD, name)


def _member[E: StrEnum](enum_type: type[E], value: object) -> E | None:
    """Return the member of ``enum_type`` named by ``value``; None for anything else, unhashable too."""
    return next((member for member in enum_type if isinstance(value, str) and member.value == value), None)


def _present(data: Mapping[str, Any], name: str) -> bool:
    return data.get(name) is not None


def _require(checker: Checker, data: Mapping[str, Any], name: str) -> bool:
    if _present(data, name):
        return True
    checker.add(ProblemCode.MISSING_FIELD, name)
    return False


def _schedule_type(checker: Checker, data: Mapping[str, Any], fields: dict[str, Any]) -> ScheduleType | None:
    if not _require(checker, data, "schedule_type"):
        return None
    schedule_type = _member(ScheduleType, data["schedule_type"])
    if schedule_type is None:
        checker.add(ProblemCode.UNKNOWN_SCHEDULE_TYPE, "schedule_type", value=describe(data["schedule_type"]))
        return None
    fields["schedule_type"] = schedule_type
    return schedule_type


def _check_keys(checker: Checker, data: Mapping[str, Any], schedule_type: ScheduleType | None) -> None:
    for name in data:
        if name not in COMMON_FIELDS and name not in ALL_TYPE_FIELDS:
            checker.add(ProblemCode.UNKNOWN_FIELD, quoted_name(name))
        elif name in ALL_TYPE_FIELDS and _present(data, name) and not _allowed(name, schedule_type):
            checker.add(ProblemCode.FIELD_NOT_ALLOWED, name, kind=str(schedule_type))


def _allowed(name: str, schedule_type: ScheduleType | None) -> bool:
    # With an unknown type, any type's field may be right; only the type problem is reported.
    return schedule_type is None or name in TYPE_FIELDS[schedule_type]


def _common(
    checker: Checker, data: Mapping[str, Any], fields: dict[str, Any], channels: Collection[str] | None
) -> ZoneInfo | None:
    """Check the fields every schedule has; return the zone (None when missing or unknown)."""
    _identity(checker, data, fields)
    if _require(checker, data, "targets"):
        _targets(checker, data["targets"], fields, channels)
    zone = None
    if _require(checker, data, "timezone"):
        name = data["timezone"]
        if isinstance(name, str) and len(name) > TIMEZONE_MAX_LENGTH:
            checker.add(ProblemCode.TOO_LONG, "timezone", max=str(TIMEZONE_MAX_LENGTH))
        elif is_zone(name):
            fields["timezone"] = name
            zone = get_zone(name)
        else:
            checker.add(ProblemCode.UNKNOWN_TIMEZONE, "timezone", value=describe(name))
    for name in _DATETIME_FIELDS:
        if _present(data, name) and (value := checker.instant(name, data[name], zone)) is not None:
            fields[name] = value
    if "start_time" in fields and "end_time" in fields and fields["end_time"] <= fields["start_time"]:
        checker.add(ProblemCode.END_BEFORE_START, "end_time")
    _flags(checker, data, fields)
    return zone


def _identity(checker: Checker, data: Mapping[str, Any], fields: dict[str, Any]) -> None:
    if _present(data, "id"):
        if not isinstance(data["id"], str) or not data["id"].strip():
            checker.add(ProblemCode.INVALID_ID, "id")
        elif len(data["id"]) > ID_MAX_LENGTH:
            checker.add(ProblemCode.TOO_LONG, "id", max=str(ID_MAX_LENGTH))
        else:
            fields["id"] = data["id"]
    if _present(data, "created_by") and (
        user := checker.text("created_by", data["created_by"], USER_ID_MAX_LENGTH)
    ):
        fields["created_by"] = user
    if _present(data, "last_error") and (
        error := checker.text("last_error", data["last_error"], LAST_ERROR_MAX_LENGTH)
    ):
        fields["last_error"] = error
    if _require(checker, data, "name") and (name := checker.text("name", data["name"])) is not None:
        if not name.strip():
            checker.add(ProblemCode.NAME_EMPTY, "name")
        elif len(name.strip()) > NAME_MAX_LENGTH:
            checker.add(ProblemCode.NAME_TOO_LONG, "name", max=str(NAME_MAX_LENGTH))
        else:
            fields["name"] = name.strip()


def _targets(
    checker: Checker, value: object, fields: dict[str, Any], channels: Collection[str] | None = None
) -> None:
    if not isinstance(value, list | tuple):
        checker.add(ProblemCode.INVALID_TYPE, "targets", expected="a list of channel ids")
        return
    if not value:
        checker.add(ProblemCode.EMPTY_TARGETS, "targets")
        return
    if len(value) > TARGETS_MAX:
        checker.add(ProblemCode.TOO_MANY, "targets", max=str(TARGETS_MAX))
        return
    good = True
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            checker.add(ProblemCode.INVALID_TARGET, f"targets[{index}]")
            good = False
        elif len(item) > ID_MAX_LENGTH:
            checker.add(ProblemCode.TOO_LONG, f"targets[{index}]", max=str(ID_MAX_LENGTH))
            good = False
        elif channels is not None and item not in channels:
            checker.add(ProblemCode.UNKNOWN_TARGET, f"targets[{index}]", value=describe(item))
            good = False
    if good:
        fields["targets"] = tuple(dict.fromkeys(value))


def _flags(checker: Checker, data: Mapping[str, Any], fields: dict[str, Any]) -> None:
    if _present(data, "enabled"):
        if isinstance(data["enabled"], bool):
            fields["enabled"] = data["enabled"]
        else:
            checker.add(ProblemCode.INVALID_TYPE, "enabled", expected="true or false")
    if _present(data, "misfire_grace"):
        grace = checker.integer("misfire_grace", data["misfire_grace"], ProblemCode.INVALID_TYPE)
        if grace is not None and grace < 0:
            checker.add(ProblemCode.NEGATIVE_MISFIRE_GRACE, "misfire_grace")
        elif grace is not None and checker.at_most("misfire_grace", grace, MISFIRE_GRACE_MAX) is not None:
            fields["misfire_grace"] = grace
    if _present(data, "last_run_status"):
        status = _member(RunStatus, data["last_run_status"])
        if status is None:
            checker.add(
                ProblemCode.UNKNOWN_RUN_STATUS, "last_run_status", value=describe(data["last_run_status"])
            )
        else:
            fields["last_run_status"] = status


def _action(
    checker: Checker, data: Mapping[str, Any], fields: dict[str, Any], schedule_type: ScheduleType | None
) -> None:
    params = data.get("action_params")
    if schedule_type is ScheduleType.STATIC:
        for name in ("action_type", "action_params"):
            if data.get(name):
                checker.add(ProblemCode.FIELD_NOT_ALLOWED, name, kind=schedule_type.value)
        return
    if params is not None and checker.mapping("action_params", params, ProblemCode.INVALID_TYPE) is None:
        params = None
    if not _require(checker, data, "action_type"):
        return
    action = _member(ActionType, data["action_type"])
    if action is None:
        checker.add(ProblemCode.UNKNOWN_ACTION_TYPE, "action_type", value=describe(data["action_type"]))
        return
    fields["action_type"] = action
    fields["action_params"] = check_params(
        checker, "action_params", action, params or {}, ACTION_PARAMS[action]
    )


def _one_off(
    checker: Checker,
    data: Mapping[str, Any],
    fields: dict[str, Any],
    zone: ZoneInfo | None,
    now: datetime | None,
) -> None:
    if not _require(checker, data, "run_at"):
        return
    if (run_at := checker.instant("run_at", data["run_at"], zone)) is not None:
        fields["run_at"] = run_at
        if now is not None and run_at <= now:
            checker.add(ProblemCode.RUN_AT_IN_PAST, "run_at", value=run_at.isoformat())


def _interval(
    checker: Checker,
    data: Mapping[str, Any],
    fields: dict[str, Any],
    _zone: ZoneInfo | None,
    _now: datetime | None,
) -> None:
    if not _require(checker, data, "interval_seconds"):
        return
    seconds = checker.integer("interval_seconds", data["interval_seconds"], ProblemCode.INVALID_TYPE)
    if seconds is not None and seconds < 1:
        checker.add(ProblemCode.INTERVAL_TOO_SMALL, "interval_seconds", min="1")
    elif seconds is not None and checker.at_most("interval_seconds", seconds, INTERVAL_MAX) is not None:
        fields["interval_seconds"] = seconds


def _cron(
    checker: Checker,
    data: Mapping[str, Any],
    fields: dict[str, Any],
    _zone: ZoneInfo | None,
    _now: datetime | None,
) -> None:
    if not _require(checker, data, "cron_expression"):
        return
    expression = data["cron_expression"]
    if isinstance(expression, str) and len(expression) > CRON_MAX_LENGTH:
        checker.add(ProblemCode.TOO_LONG, "cron_expression", max=str(CRON_MAX_LENGTH))
    elif is_valid_cron(expression):
        fields["cron_expression"] = " ".join(str(expression).split())
    else:
        checker.add(ProblemCode.INVALID_CRON, "cron_expression", value=describe(expression))


def _recurring(
    checker: Checker,
    data: Mapping[str, Any],
    fields: dict[str, Any],
    _zone: ZoneInfo | None,
    _now: datetime | None,
) -> None:
    frequency = None
    if _require(checker, data, "frequency"):
        frequency = _member(Frequency, data["frequency"])
        if frequency is None:
            checker.add(ProblemCode.UNKNOWN_FREQUENCY, "frequency", value=describe(data["frequency"]))
        else:
            fields["frequency"] = frequency
    if _require(checker, data, "times"):
        times = check_times(checker, "times", data["times"], ProblemCode.INVALID_TYPE)
        if times is not None:
            fields["times"] = times
    _every(checker, data, fields)
    for name, owner, parse in (
        ("weekdays", Frequency.WEEKLY, _weekdays),
        ("days_of_month", Frequency.MONTHLY, _days_of_month),
    ):
        if frequency is owner and _require(checker, data, name):
            parse(checker, data[name], fields)
        elif frequency not in {owner, None} and _present(data, name):
            checker.add(ProblemCode.FIELD_NOT_ALLOWED, name, kind=f"frequency {frequency}")


def _every(checker: Checker, data: Mapping[str, Any], fields: dict[str, Any]) -> None:
    if _present(data, "every"):
        every = checker.integer("every", data["every"], ProblemCode.INVALID_TYPE)
        if every is not None and every < 1:
            checker.add(ProblemCode.EVERY_TOO_SMALL, "every")
        elif every is not None and checker.at_most("every", every, EVERY_MAX) is not None:
            fields["every"] = every


def _list(checker: Checker, name: str, value: object, max_items: int) -> list[Any] | None:
    if not isinstance(value, list | tuple):
        checker.add(ProblemCode.INVALID_TYPE, name, expected="a list")
        return None
    if not value:
        checker.add(ProblemCode.EMPTY_LIST, name)
        return None
    if len(value) > max_items:
        checker.add(ProblemCode.TOO_MANY, name, max=str(max_items))
        return None
    return list(value)


def _weekdays(checker: Checker, value: object, fields: dict[str, Any]) -> None:
    items = _list(checker, "weekdays", value, WEEKDAYS_MAX)
    if items is None:
        return
    days = [_member(Weekday, item) for item in items]
    for index, day in enumerate(days):
        if day is None:
            checker.add(ProblemCode.INVALID_WEEKDAY, f"weekdays[{index}]", value=describe(items[index]))
    good = [day for day in days if day is not None]
    if len(good) == len(days):
        fields["weekdays"] = tuple(sorted(set(good), key=lambda day: day.number))


def _days_of_month(checker: Checker, value: object, fields: dict[str, Any]) -> None:
    items = _list(checker, "days_of_month", value, DAYS_OF_MONTH_MAX)
    if items is None:
        return
    bad = [
        index
        for index, item in enumerate(items)
        if isinstance(item, bool) or not isinstance(item, int) or not 1 <= abs(item) <= _DAY_LIMIT
    ]
    for index in bad:
        checker.add(ProblemCode.INVALID_DAY_OF_MONTH, f"days_of_month[{index}]", value=describe(items[index]))
    if not bad:
        fields["days_of_month"] = tuple(sorted(set(items)))


def _static(
    checker: Checker,
    data: Mapping[str, Any],
    fields: dict[str, Any],
    _zone: ZoneInfo | None,
    _now: datetime | None,
) -> None:
    params = data.get("preset_params")
    if params is not None and checker.mapping("preset_params", params, ProblemCode.INVALID_TYPE) is None:
        params = None
    if not _require(checker, data, "preset"):
        return
    preset = _member(Preset, data["preset"])
    if preset is None:
        checker.add(ProblemCode.UNKNOWN_PRESET, "preset", value=describe(data["preset"]))
        return
    fields["preset"] = preset
    fields["preset_params"] = check_preset_params(checker, preset, params or {}, fields.get("targets"))


_TYPE_CHECKS: Final = {
    ScheduleType.ONE_OFF: _one_off,
    ScheduleType.INTERVAL: _interval,
    ScheduleType.CRON: _cron,
    ScheduleType.RECURRING: _recurring,
    ScheduleType.STATIC: _static,
}


def parse_action(
    action_type: object, action_params: object, targets: object, channels: Collection[str] | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """Check a manual action (targets, action type and its parameters) by the rules schedules follow.

    Returns the parsed ``targets``, ``action_type`` and ``action_params`` (when they are good) and every
    problem found.
    """
    checker = Checker()
    fields: dict[str, Any] = {}
    if _require(checker, {"targets": targets}, "targets"):
        _targets(checker, targets, fields, channels)
    _action(checker, {"action_type": action_type, "action_params": action_params}, fields, None)
    return fields, checker.problems
