"""Firing latency: 1000 one-off schedules due over 20 s, against Home Assistant's timers at the same instants.

A real-time Home Assistant with a simulated board of four pumps (switch channels). 1000 one-off schedules are
created with ``engine.async_create``, due uniformly over 20 s from about 3 s after the last one is created;
each turns a pump on or off (alternating, so that every run writes the board). Lateness of a run is
``executed_time - scheduled_time`` of its device action: the timer, the one-off's run written to the run
journal before the action (a one-off never runs twice), and the start of the action.

The reference, in the same loop at the same instants: ``async_track_point_in_utc_time`` with a callback that
only notes ``utcnow() - point``. Its lateness is what the event loop gives anyone under the same load.

Also reported: the lateness of the engine's timer callback alone (``_async_due``, wrapped by the benchmark),
which separates the timer from the work done before the action starts; and how long creating the 1000
schedules took (creation is not what is measured here, but it decides how far ahead they must be due).

A second, lighter pass (100 one-offs over 10 s) shows the figures when the loop is not saturated.

Target: p99 within 2x the reference and under 20 ms.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
import time
from typing import TYPE_CHECKING, Any

from common import (
    add_board,
    config_dir,
    pump_channels,
    real_hass,
    run,
    setup_integration,
    summary_ms,
    verdict,
    write_result,
)
from homeassistant.core import callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from custom_components.bellas_reef.engine.history import FINISHED, ActionStatus
from custom_components.bellas_reef.scheduling import ScheduleError

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from custom_components.bellas_reef.engine import ScheduleEngine

COUNT = 1000
WINDOW_S = 20.0
LIGHT_COUNT = 100  # a second, lighter pass: one run every 100 ms
LIGHT_WINDOW_S = 10.0
LEAD_S = 3.0  # the first run is due this long after the last schedule is created
PUMPS = 4
CALIBRATION = 200  # schedules created in a throwaway instance to predict how long creating COUNT takes
TARGET_RATIO = 2.0
TARGET_P99_MS = 20.0
DRAIN_TIMEOUT_S = 120.0


@dataclass
class Pass:
    """One run of the measurement: ``count`` one-offs due over ``window`` seconds."""

    count: int
    window: float
    ours: list[float] = field(default_factory=list)
    timer: list[float] = field(default_factory=list)
    reference: list[float] = field(default_factory=list)
    creation: list[float] = field(default_factory=list)
    creation_s: float = 0.0
    gap_s: float = 0.0
    unfinished: int = 0

    @property
    def step(self) -> timedelta:
        return timedelta(seconds=self.window / self.count)


def schedule_data(index: int, run_at: datetime) -> dict[str, Any]:
    """A one-off that turns pump ``index % 4`` on or off (alternating per pump)."""
    pump = index % PUMPS
    return {
        "name": f"latency {index}",
        "schedule_type": "one_off",
        "run_at": run_at.isoformat(),
        "targets": [f"sub-pump-{pump}"],
        "action_type": "on" if (index // PUMPS) % 2 == 0 else "off",
    }


async def create_timed(engine: ScheduleEngine, count: int, base: datetime, step: timedelta) -> list[float]:
    """Create ``count`` one-offs due at ``base`` + i * step, latest first; return each create's duration."""
    durations = []
    for index in reversed(range(count)):
        started = time.perf_counter()
        await engine.async_create(schedule_data(index, base + index * step))
        durations.append(time.perf_counter() - started)
    return durations


async def calibrate() -> tuple[float, float]:
    """Seconds one create takes as a + b*n with n schedules already there, fitted on a throwaway instance.

    Every create rewrites the whole store and every schedule entity hears of it, so the total time to create
    n schedules grows with n squared; the fit tells how far ahead the runs must be due.
    """
    async with config_dir() as directory, real_hass(directory) as hass:
        engine = await setup_integration(hass)
        await add_board(hass, *pump_channels(PUMPS))
        far = dt_util.utcnow() + timedelta(days=1)
        durations = await create_timed(engine, CALIBRATION, far, timedelta(seconds=1))
    half = CALIBRATION // 2
    first, second = sum(durations[:half]) / half, sum(durations[half:]) / half
    slope = max(0.0, (second - first) / half)
    return max(0.0, first - slope * (half - 1) / 2), slope


def predicted_creation(fit: tuple[float, float], count: int) -> float:
    intercept, slope = fit
    return count * intercept + slope * count * (count - 1) / 2


async def measure(run_pass: Pass, fit: tuple[float, float]) -> None:
    """Create the schedules, arm the reference, wait for every run, and keep the figures in ``run_pass``."""
    predicted = predicted_creation(fit, run_pass.count)
    allowance = predicted * 1.3 + 1.0
    print(
        f"\n{run_pass.count} one-offs over {run_pass.window:g} s: creating them should take {predicted:.1f} s"
    )
    async with config_dir() as directory, real_hass(directory) as hass:
        engine = await setup_integration(hass)
        await add_board(hass, *pump_channels(PUMPS))
        original_due = engine._async_due  # noqa: SLF001 - the benchmark watches the engine's timer callback

        @callback
        def watched_due(schedule_id: str, scheduled: datetime, now: datetime | None = None) -> None:
            run_pass.timer.append((dt_util.utcnow() - scheduled).total_seconds())
            original_due(schedule_id, scheduled, now)

        engine._async_due = watched_due  # type: ignore[method-assign,unused-ignore]  # noqa: SLF001

        started = time.perf_counter()
        base = dt_util.utcnow() + timedelta(seconds=allowance + LEAD_S)
        try:
            run_pass.creation = await create_timed(engine, run_pass.count, base, run_pass.step)
        except ScheduleError as err:
            print(f"creation overran the allowance and a run_at fell in the past: {err}")
            raise
        run_pass.creation_s = time.perf_counter() - started
        run_pass.gap_s = (base - dt_util.utcnow()).total_seconds()
        print(f"created in {run_pass.creation_s:.1f} s; first run due {run_pass.gap_s:.1f} s later")
        arm_reference(hass, run_pass, base)
        await wait_for_runs(engine, run_pass, base)


def arm_reference(hass: HomeAssistant, run_pass: Pass, base: datetime) -> None:
    """Home Assistant's own point-in-time timers at the same instants, noting their lateness."""

    @callback
    def note(point: datetime, _now: datetime) -> None:
        run_pass.reference.append((dt_util.utcnow() - point).total_seconds())

    for index in range(run_pass.count):
        point = base + index * run_pass.step
        async_track_point_in_utc_time(hass, partial(note, point), point)


async def wait_for_runs(engine: ScheduleEngine, run_pass: Pass, base: datetime) -> None:
    """Wait until every run is finished (or a timeout); keep the lateness of each executed action."""
    end = base + timedelta(seconds=run_pass.window)
    await asyncio.sleep(max(0.0, (end - dt_util.utcnow()).total_seconds()) + 0.5)
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    # a cheap check while runs may still be going on (no sorting of the history under load)
    while time.monotonic() < deadline:
        if len(engine.history) >= run_pass.count and not engine.actions.tasks:  # runs in flight
            break
        await asyncio.sleep(0.25)
    records = [r for r in engine.history.query(limit=None) if r.schedule_id in engine.schedules]
    if any(r.status not in FINISHED for r in records):
        print("WARNING: some runs were still in progress at the timeout")
    ok = [r for r in records if r.status is ActionStatus.SUCCESS and r.executed_time is not None]
    run_pass.unfinished = run_pass.count - len(ok)
    if run_pass.unfinished:
        print(f"WARNING: {run_pass.unfinished} of {run_pass.count} runs did not finish successfully")
    run_pass.ours = [(r.executed_time - r.scheduled_time).total_seconds() for r in ok if r.executed_time]


def report(run_pass: Pass) -> dict[str, Any]:
    mine, timers, ref = summary_ms(run_pass.ours), summary_ms(run_pass.timer), summary_ms(run_pass.reference)
    ratio = mine["p99_ms"] / ref["p99_ms"] if ref["p99_ms"] > 0 else float("inf")
    print(f"{'':28}{'runs':>6}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for label, row in (
        ("ours: executed - scheduled", mine),
        ("ours: timer callback only", timers),
        ("reference: HA timer", ref),
    ):
        print(
            f"{label:28}{row['count']:>6}{row['p50_ms']:>10.2f}{row['p99_ms']:>10.2f}{row['max_ms']:>10.2f}"
        )
    ok_ratio = ratio <= TARGET_RATIO
    ok_abs = mine["p99_ms"] < TARGET_P99_MS
    print(f"ratio p99 ours / reference: {ratio:.2f}")
    print(f"target p99 <= {TARGET_RATIO:g}x reference: {verdict(ok_ratio)}")
    print(f"target p99 < {TARGET_P99_MS:g} ms: {verdict(ok_abs)}")
    last, first = run_pass.creation[-1], run_pass.creation[0]  # latest-due first: the last saw all others
    print(
        f"creating {run_pass.count}: {run_pass.creation_s:.1f} s (one create: {first * 1000:.1f} ms at n=0, "
        f"{last * 1000:.1f} ms at n={run_pass.count - 1})"
    )
    return {
        "count": run_pass.count,
        "window_s": run_pass.window,
        "ours": mine,
        "ours_timer_callback": timers,
        "reference": ref,
        "ratio_p99": ratio,
        "pass_ratio": ok_ratio,
        "pass_p99": ok_abs,
        "unfinished": run_pass.unfinished,
        "creation_s": run_pass.creation_s,
        "create_ms_at_n0": first * 1000,
        "create_ms_at_n_max": last * 1000,
        "first_due_after_creation_s": run_pass.gap_s,
    }


async def main() -> None:
    fit = await calibrate()
    results = {}
    for run_pass in (Pass(COUNT, WINDOW_S), Pass(LIGHT_COUNT, LIGHT_WINDOW_S)):
        await measure(run_pass, fit)
        results[f"n{run_pass.count}"] = report(run_pass)
    write_result(
        "latency",
        {"target_ratio": TARGET_RATIO, "target_p99_ms": TARGET_P99_MS, "passes": results},
    )


if __name__ == "__main__":
    run(main)
