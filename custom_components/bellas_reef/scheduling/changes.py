"""What a change makes of a schedule, what a run does, and what a restart does about missed runs.

Plain Python over the model and the calculator: the engine (Home Assistant's side) calls these, arms timers
and writes stores; the rules live here, with their own tests.

* ``new_schedule`` and ``updated_schedule`` check input as a whole (every problem at once, nothing kept) and
  give the schedule with its next run. A partial update keeps the run record; the fields of the old type
  (or the old ``frequency``) do not carry over when the type changes. ``run_at`` in the past is a problem for
  a new one-off or a new ``run_at``, not for a stored one.
* ``with_next_run``: a schedule past its ``end_time`` disables itself.
* ``action_of``: what a run at an instant does (the schedule's action, or a preset's step there);
  ``run_plan`` the same per record (a programme's targets each have their own piece).
* ``catch_up``: after a restart, the latest missed run within the schedule's grace runs once; older misses
  are skipped, with the reason in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final

from .calculator import next_run, runs_between
from .const import ALL_TYPE_FIELDS, FIELDS_MAX, READ_ONLY_FIELDS, ActionType, RampCurve, ScheduleType
from .model import Schedule, thaw
from .presets import preset_step
from .problems import Checker, ScheduleError
from .programme import Piece, acclimation_factor, is_programme, programme_pieces_at
from .validation import parse_schedule, read_only_problems, validate_schedule
from .wallclock import get_zone, is_zone

if TYPE_CHECKING:
    from collections.abc import Collection
    from datetime import datetime

    from .problems import Problem

_EPSILON: Final = timedelta(microseconds=1)
MISSED_COUNT_LIMIT: Final = 10_000  # how many missed runs a restart counts before it stops counting


@dataclass(frozen=True, slots=True)
class Rules:
    """How input is checked: the instance's zone, and for a caller's input who it is and the channels."""

    default_zone: str
    caller: bool = False  # input from a user or an automation (not the integration's own)
    channels: Collection[str] | None = None  # when given, the only targets there are
    created_by: str | None = None  # the user a caller's new schedule belongs to


def _checked(
    data: Mapping[str, Any], now: datetime, rules: Rules, *, check_past: bool, extra: list[Problem]
) -> dict[str, Any]:
    """Fill what input may leave out (the zone is Home Assistant's) and check it all at once."""
    result = dict(data)
    if result.get("timezone") is None:
        result["timezone"] = rules.default_zone
    acclimation = result.get("acclimation")
    if (
        isinstance(acclimation, Mapping)
        and acclimation.get("start_date") is None
        and is_zone(result["timezone"])
    ):
        # acclimation starts today (the schedule's local date) unless it says when
        today = now.astimezone(get_zone(result["timezone"])).date()
        result["acclimation"] = {**acclimation, "start_date": today.isoformat()}
    problems = [
        *extra,
        *validate_schedule(result, now=now if check_past else None, channels=rules.channels),
    ]
    if problems:
        raise ScheduleError(problems)
    return result


def _caller_problems(data: Mapping[str, Any], rules: Rules) -> list[Problem]:
    """A caller may not set what the integration keeps."""
    if not rules.caller:
        return []
    checker = Checker()
    read_only_problems(checker, data)
    return checker.problems


def _bounded(data: object) -> Mapping[str, Any]:
    """Input that is a mapping of a sane size (else the problem, before anything else looks at it)."""
    if not isinstance(data, Mapping) or len(data) > FIELDS_MAX:
        raise ScheduleError(parse_schedule(data)[1])
    return data


def new_schedule(data: Mapping[str, Any], *, now: datetime, rules: Rules) -> Schedule:
    """The schedule ``data`` describes, with its next run; raise ``ScheduleError`` listing every problem."""
    data = _bounded(data)
    checked = _checked(data, now, rules, check_past=True, extra=_caller_problems(data, rules))
    if rules.caller:
        checked["created_by"] = rules.created_by
    return with_next_run(Schedule.from_dict(checked, now=now), now)[0]


def unsaved_schedule(data: Mapping[str, Any], *, now: datetime, rules: Rules) -> Schedule:
    """A schedule to preview: checked like a new one, but a one-off may lie in the past and ids are kept."""
    data = _bounded(data)
    return Schedule.from_dict(_checked(data, now, rules, check_past=False, extra=[]), now=now)


def updated_schedule(
    current: Schedule, changes: Mapping[str, Any], *, now: datetime, rules: Rules
) -> Schedule:
    """``current`` with a partial update applied, checked as a whole; the run record is kept."""
    changes = _bounded(changes)
    extra = _caller_problems(changes, rules)
    base = current.to_dict()
    if changes.get("schedule_type", base["schedule_type"]) != base["schedule_type"]:
        for name in ALL_TYPE_FIELDS:  # the old type's fields do not carry over to the new type
            base.pop(name, None)
    if changes.get("frequency", base.get("frequency")) != base.get("frequency"):
        base.pop("weekdays", None)
        base.pop("days_of_month", None)
    merged = {**base, **changes, "id": current.id, "updated_at": now.isoformat()}
    for name in READ_ONLY_FIELDS - {"id", "updated_at", "next_run"}:  # the integration's, whatever came in
        merged[name] = base.get(name)
    merged["next_run"] = None
    stored_run_at = None if current.run_at is None else current.run_at.isoformat()
    new_run_at = "run_at" in changes and changes["run_at"] != stored_run_at
    checked = _checked(merged, now, rules, check_past=new_run_at, extra=extra)
    return with_next_run(Schedule.from_dict(checked, now=now), now)[0]


def with_next_run(schedule: Schedule, now: datetime) -> tuple[Schedule, bool]:
    """The schedule with its next run after ``now``, and whether it just ended (past its end: disabled)."""
    if not schedule.enabled:
        return replace(schedule, next_run=None), False
    upcoming = next_run(schedule, now)
    if upcoming is None and schedule.end_time is not None and schedule.end_time <= now:
        return replace(schedule, enabled=False, next_run=None), True
    return replace(schedule, next_run=upcoming), False


def action_of(schedule: Schedule, instant: datetime, target: str | None = None) -> tuple[str, dict[str, Any]]:
    """What a run at ``instant`` does to ``target``: the schedule's action, or a preset's step there.

    A programme's step is the piece that begins there for that target (``run_targets`` names the targets
    that have one); an acclimating action's levels are scaled by the factor of the run's local date.
    """
    if schedule.schedule_type is ScheduleType.STATIC:
        if is_programme(schedule):
            pieces = programme_pieces_at(schedule, instant)
            chosen = pieces.get(target) if target is not None else next(iter(pieces.values()), None)
            if chosen is None:
                raise ValueError(f"schedule {schedule.id!r} changes nothing for {target} at {instant}")
            return piece_action(chosen)
        step = preset_step(schedule, instant)
        if step.ramp_seconds > 0:  # a preset's ramp runs from its own instant, however late its timer fired
            return ActionType.RAMP.value, {
                "end_level": step.level,
                "duration": step.ramp_seconds,
                "elapsed": 0.0,
            }
        return ActionType.SET_LEVEL.value, {"level": step.level}
    if schedule.action_type is None:
        raise ValueError(f"schedule {schedule.id!r} has no action")  # validation requires one
    params = thaw(schedule.action_params)
    factor = acclimation_factor(schedule, instant)
    if factor is not None:
        for name in ("level", "start_level", "end_level"):
            if params.get(name) is not None:
                params[name] = round(float(params[name]) * factor, 4)
    return schedule.action_type.value, params


def piece_action(chosen: Piece) -> tuple[str, dict[str, Any]]:
    """The action that runs a programme's piece: a ramp (from its level, part-way when it began before)."""
    if chosen.flat:
        return ActionType.SET_LEVEL.value, {"level": chosen.from_level}
    params: dict[str, Any] = {
        "start_level": chosen.from_level,
        "end_level": chosen.to_level,
        "duration": chosen.duration,
        "elapsed": chosen.elapsed,  # also 0: a piece runs from its instant, however late it fires
    }
    if chosen.curve is not RampCurve.PERCEPTUAL:
        params["curve"] = chosen.curve.value
    return ActionType.RAMP.value, params


def late_run_plan(
    schedule: Schedule, scheduled: datetime, now: datetime
) -> list[tuple[datetime, str | None, str, dict[str, Any]]]:
    """``run_plan`` for a run that fires at ``now``, perhaps late: (instant, target, type, params).

    A level preset (a programme, a reef day, a moonlight) whose later runs fell due too (a timer that fired
    late, a catch-up after a restart) gives each target the last step that began by ``now``, with that
    step's instant: its ramp then runs from there, and the channel is where the curve is now. Any other
    schedule: its run at ``scheduled``.
    """
    if schedule.schedule_type is not ScheduleType.STATIC or now <= scheduled:
        return [(scheduled, *item) for item in run_plan(schedule, scheduled)]
    latest: dict[str | None, tuple[datetime, str | None, str, dict[str, Any]]] = {}
    for run in [scheduled, *runs_between(schedule, scheduled, now, limit=MISSED_COUNT_LIMIT)]:
        for target, action_type, params in run_plan(schedule, run):
            latest[target] = (run, target, action_type, params)
    return [latest[target] for target in schedule.targets if target in latest]


def run_plan(schedule: Schedule, instant: datetime) -> list[tuple[str | None, str, dict[str, Any]]]:
    """What a run at ``instant`` does, per record: (target, action type, parameters).

    Every target gets the schedule's action; a programme's targets each get their own piece, and only those
    whose curve changes course there; a custom action is one record without a target.
    """
    if is_programme(schedule):
        pieces = programme_pieces_at(schedule, instant)
        return [(target, *piece_action(pieces[target])) for target in schedule.targets if target in pieces]
    action_type, params = action_of(schedule, instant)
    if action_type == ActionType.CUSTOM:
        return [(None, action_type, params)]
    return [(target, action_type, params) for target in schedule.targets]


@dataclass(frozen=True, slots=True)
class CatchUp:
    """What a restart does about a schedule whose next run passed while Home Assistant was stopped."""

    instant: datetime  # the latest missed run
    late: float  # seconds
    run: bool  # within the grace: it runs once now; otherwise it is skipped
    reason: str  # for the run's record: why it ran late, or why it was skipped


def catch_up(schedule: Schedule, now: datetime) -> CatchUp:
    """The latest missed run runs if it is at most ``misfire_grace`` late; older misses are skipped."""
    if schedule.next_run is None:
        raise ValueError(f"schedule {schedule.id!r} has no run to catch up")
    missed = runs_between(schedule, schedule.next_run - _EPSILON, now, limit=MISSED_COUNT_LIMIT)
    latest = missed[-1] if missed else schedule.next_run
    late = (now - latest).total_seconds()
    if late <= schedule.misfire_grace:
        return CatchUp(latest, late, run=True, reason=f"ran {late:.0f} s late, after a restart")
    reason = f"missed by {late:.0f} s while Home Assistant was stopped (grace {schedule.misfire_grace} s)"
    if len(missed) > 1:
        reason += f"; {len(missed)} runs missed"
    return CatchUp(latest, late, run=False, reason=reason)
