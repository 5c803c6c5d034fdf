"""Scheduling core of Bella's Reef: the schedule model, its validation, and the run and level calculator.

Plain typed Python over the standard library and croniter; nothing here imports Home Assistant, so the HA
layer (engine, services, storage) adapts it and the tests run without a ``hass``.

Modules:

* ``model``: ``Schedule`` (frozen dataclass) with ``from_dict`` / ``to_dict``, the stored JSON form.
* ``validation``: ``validate_schedule(data, now=None) -> list[Problem]``, every problem at once.
* ``problems``: ``Problem``, ``ProblemCode`` / ``ALL_PROBLEM_CODES`` (stable translation keys),
  ``ScheduleError``.
* ``calculator``: ``next_run``, ``runs_between``, ``level_at`` - the time rules are in its docstring.
* ``cron``, ``wallclock``: cron expressions and the DST rules (Vixie cron) that map wall time to instants.
* ``presets``: the ``static`` programmes (diurnal, moonlight, feed_pause, maintenance), ``preset_step``.
* ``curves``: levels are perceptual (CIE L*) percentages; lightness/luminance and ramps.
* ``const``: the enums and limits.

Schedule types: ``one_off`` (``run_at``), ``interval`` (``interval_seconds`` from ``start_time`` or
``created_at``), ``cron`` (``cron_expression``), ``recurring`` (``frequency`` daily/weekly/monthly, ``times``,
``weekdays``, ``days_of_month``, ``every``), ``static`` (``preset``, ``preset_params``). Actions: ``on``,
``off``, ``toggle``, ``set_pwm`` (raw duty %), ``set_level`` (perceptual %), ``ramp``, ``custom`` (an HA
service call, never a shell command); a ``duration`` on a switch or set action means "revert after".
"""

from __future__ import annotations

from .calculator import level_at, next_run, runs_between
from .const import ActionType, Frequency, Preset, RampCurve, RunStatus, ScheduleType, Weekday
from .curves import lightness_to_luminance, luminance_to_lightness, ramp_level_at
from .model import Schedule
from .presets import Step, preset_step
from .problems import ALL_PROBLEM_CODES, Problem, ProblemCode, ScheduleError
from .validation import validate_schedule

__all__ = [
    "ALL_PROBLEM_CODES",
    "ActionType",
    "Frequency",
    "Preset",
    "Problem",
    "ProblemCode",
    "RampCurve",
    "RunStatus",
    "Schedule",
    "ScheduleError",
    "ScheduleType",
    "Step",
    "Weekday",
    "level_at",
    "lightness_to_luminance",
    "luminance_to_lightness",
    "next_run",
    "preset_step",
    "ramp_level_at",
    "runs_between",
    "validate_schedule",
]
