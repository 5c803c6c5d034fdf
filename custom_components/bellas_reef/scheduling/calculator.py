"""When a schedule runs, and what level it gives - pure functions over a ``Schedule``.

Rules:

* ``next_run(schedule, after)`` is the first run strictly after ``after``; ``runs_between(schedule, start,
  end)`` lists the runs in ``(start, end]`` - start exclusive, end inclusive - and is exactly repeated
  ``next_run``. Both take aware datetimes (naive ones raise ``ValueError``) and return aware UTC datetimes.
* The window: no run before ``start_time`` (a run exactly at it counts), none after ``end_time`` (a run
  exactly at it counts). ``enabled`` is ignored: a disabled schedule still computes, switching it off is the
  engine's business.
* ``one_off`` runs once at ``run_at``. ``interval`` runs at ``anchor + k * interval_seconds``, k >= 0, where
  the anchor is ``start_time`` or else ``created_at``; pure UTC arithmetic, so DST never moves it.
* Wall-clock types (``cron``, ``recurring``, ``static``) are evaluated in the schedule's zone with Vixie
  cron's DST rules: a fixed time that the clock skips fires at the jump (Europe/Berlin 2027-03-28 02:30 ->
  03:00 local = 01:00 UTC), a fixed time that happens twice fires once, on the first pass; a cron entry with a
  wildcard (``*``) minute or hour field follows the wall clock - nothing in the skipped span, again in the
  repeated one. ``recurring`` times and preset times are fixed times. Half-hour (Australia/Lord_Howe) and
  45-minute-offset (Pacific/Chatham) zones need nothing special: the jump is found, not assumed to be an hour.
* ``recurring``: ``times`` on each matching local day. ``every`` N counts days, ISO weeks (Monday first) or
  months from the anchor's local date, week or month. A day of the month that the month lacks (31 in April,
  -30 in February) is skipped, never moved; ``28`` and ``-1`` in a common February are one run.
* Cost: ``next_run`` looks at a few candidate days (recurring, presets) or a few croniter matches (cron),
  never minute by minute. Every search is bounded: a schedule that can never run again gives None.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
import math
from typing import TYPE_CHECKING, Final

from .const import ActionType, Frequency, RampCurve, ScheduleType
from .cron import next_cron
from .curves import ramp_level_at
from .presets import Step, next_event, preset_level_at, preset_step
from .programme import acclimation_factor, is_programme, programme_level_at, programme_next_run
from .wallclock import ONE_MICROSECOND, fixed_instant

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from .model import Schedule

__all__ = ["Step", "latest_run", "level_at", "next_run", "preset_step", "runs_between"]

_MONTHS_PER_CYCLE: Final = 4800  # the Gregorian calendar repeats every 400 years
_SEARCH_SPAN: Final = 3  # matching days (weeks) past the start that surely hold a run after it


def _aware(value: datetime, name: str) -> None:
    if value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")


def next_run(schedule: Schedule, after: datetime) -> datetime | None:
    """Return the first run of ``schedule`` strictly after ``after``, inside its window; None if none."""
    _aware(after, "after")
    floor = after
    if schedule.start_time is not None and schedule.start_time > after:
        floor = schedule.start_time - ONE_MICROSECOND
    run = _NEXT[schedule.schedule_type](schedule, floor)
    if run is None or (schedule.end_time is not None and run > schedule.end_time):
        return None
    return run.astimezone(UTC)


def runs_between(
    schedule: Schedule, start: datetime, end: datetime, *, limit: int | None = None
) -> list[datetime]:
    """Return the runs in ``(start, end]``, oldest first; at most ``limit`` of them when it is given."""
    _aware(start, "start")
    _aware(end, "end")
    runs: list[datetime] = []
    cursor = start
    while limit is None or len(runs) < limit:
        run = next_run(schedule, cursor)
        if run is None or run > end:
            break
        runs.append(run)
        cursor = run
    return runs


def latest_run(schedule: Schedule, instant: datetime, within: float) -> datetime | None:
    """Return the latest run in ``(instant - within s, instant]``, or None.

    Searches back in doubling spans, so a schedule that runs every second costs a few look-ups, not one per
    run: when a run is found in the span ``s``, none lay in the last ``s / 2``, and only the runs between are
    walked.
    """
    _aware(instant, "instant")
    span = 1.0
    while True:
        span = min(span, within)
        first = next_run(schedule, instant - timedelta(seconds=span))
        if first is not None and first <= instant:
            latest = first
            while (following := next_run(schedule, latest)) is not None and following <= instant:
                latest = following
            return latest
        if span >= within:
            return None
        span *= 2


def level_at(
    schedule: Schedule,
    instant: datetime,
    *,
    from_level: float | None = None,
    target: str | None = None,
) -> float | None:
    """Return the level (perceptual %) the schedule commands at ``instant``, or None if it has no say.

    * ``static``: the preset's curve (``presets.preset_level_at``; a programme's for ``target``, the first
      target by default), whatever the window - the engine decides whether the schedule is active.
    * a ``ramp`` action: the level of a ramp still in progress, i.e. started by a run in
      ``(instant - duration, instant]``; ``start_level`` or else ``from_level`` (the level the engine
      recorded when the ramp fired) is where it started. None when no ramp is in progress (the channel keeps
      what the last one left) or the start is unknown.
    * any other action: None - a switch or a set level is a one-shot command, not a curve.
    """
    _aware(instant, "instant")
    if schedule.schedule_type is ScheduleType.STATIC:
        if is_programme(schedule):
            return programme_level_at(schedule, instant, target)
        return preset_level_at(schedule, instant)
    if schedule.action_type is not ActionType.RAMP:
        return None
    params = schedule.action_params
    duration = float(params["duration"])
    run = latest_run(schedule, instant, duration)
    if run is None:
        return None
    factor = acclimation_factor(schedule, run)
    factor = 1.0 if factor is None else factor
    start = params.get("start_level")
    start_level = from_level if start is None else float(start) * factor
    if start_level is None:
        return None
    curve = RampCurve(params.get("curve", RampCurve.PERCEPTUAL))
    end_level = float(params["end_level"]) * factor
    return ramp_level_at(float(start_level), end_level, run, duration, instant, curve=curve)


def _next_static(schedule: Schedule, after: datetime) -> datetime | None:
    if is_programme(schedule):
        return programme_next_run(schedule, after)
    return next_event(schedule, after)


def _next_one_off(schedule: Schedule, after: datetime) -> datetime | None:
    run_at = schedule.run_at
    return run_at if run_at is not None and run_at > after else None


def _next_interval(schedule: Schedule, after: datetime) -> datetime | None:
    if schedule.interval_seconds is None:
        return None
    anchor = schedule.anchor
    step = timedelta(seconds=schedule.interval_seconds)
    if after < anchor:
        return anchor
    return anchor + ((after - anchor) // step + 1) * step


def _next_cron(schedule: Schedule, after: datetime) -> datetime | None:
    if schedule.cron_expression is None:
        return None
    return next_cron(schedule.cron_expression, schedule.zone, after)


def _next_recurring(schedule: Schedule, after: datetime) -> datetime | None:
    zone = schedule.zone
    # The day before: a wall time there can still be ahead of ``after`` only through DST, but it is cheap.
    first = after.astimezone(zone).date() - timedelta(days=1)
    anchor = schedule.anchor.astimezone(zone).date()
    for day in _DAYS[schedule.frequency or Frequency.DAILY](schedule, anchor, first):
        for value in schedule.times:
            instant = fixed_instant(datetime.combine(day, value), zone)
            if instant > after:
                return instant
    return None


def _daily(schedule: Schedule, anchor: date, first: date) -> Iterator[date]:
    """Yield matching days from ``first``: every N-th day counted from the anchor."""
    start = first + timedelta(days=(anchor - first).days % schedule.every)
    for index in range(_SEARCH_SPAN):
        yield start + timedelta(days=index * schedule.every)


def _weekly(schedule: Schedule, anchor: date, first: date) -> Iterator[date]:
    """Yield matching days from ``first``: the weekdays of every N-th ISO week counted from the anchor's."""
    anchor_week = anchor - timedelta(days=anchor.weekday())
    first_week = first - timedelta(days=first.weekday())
    weeks = (anchor_week - first_week).days // 7 % schedule.every
    monday = first_week + timedelta(weeks=weeks)
    for index in range(_SEARCH_SPAN):
        week = monday + timedelta(weeks=index * schedule.every)
        for weekday in schedule.weekdays:
            day = week + timedelta(days=weekday.number)
            if day >= first:
                yield day


def _monthly(schedule: Schedule, anchor: date, first: date) -> Iterator[date]:
    """Yield matching days from ``first``: the days of every N-th month counted from the anchor's.

    Bounded by one Gregorian cycle of matching months: if ``days_of_month`` never fit them (31 every 12
    months from February), nothing is found in 400 years and nothing ever will be.
    """
    every = schedule.every
    month = first.year * 12 + first.month - 1
    month += (anchor.year * 12 + anchor.month - 1 - month) % every
    for _ in range(_MONTHS_PER_CYCLE // math.gcd(every, _MONTHS_PER_CYCLE) + 1):
        year, index = divmod(month, 12)
        length = calendar.monthrange(year, index + 1)[1]
        days = {day if day > 0 else length + 1 + day for day in schedule.days_of_month}
        for day in sorted(day for day in days if 1 <= day <= length):
            candidate = date(year, index + 1, day)
            if candidate >= first:
                yield candidate
        month += every


_DAYS: Final[dict[Frequency, Callable[[Schedule, date, date], Iterator[date]]]] = {
    Frequency.DAILY: _daily,
    Frequency.WEEKLY: _weekly,
    Frequency.MONTHLY: _monthly,
}

_NEXT: Final[dict[ScheduleType, Callable[[Schedule, datetime], datetime | None]]] = {
    ScheduleType.ONE_OFF: _next_one_off,
    ScheduleType.INTERVAL: _next_interval,
    ScheduleType.CRON: _next_cron,
    ScheduleType.RECURRING: _next_recurring,
    ScheduleType.STATIC: _next_static,
}
