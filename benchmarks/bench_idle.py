"""Idle cost: 1000 enabled schedules due far in the future, no ramp running, watched for 60 s.

Three real-time Home Assistant instances, each in its own process, run side by side for the same window:

* ``ha``: Home Assistant alone (registries, http) - what any instance costs;
* ``empty``: plus Bella's Reef with a simulated board (two lights, two pumps) and no schedules - the baseline;
* ``schedules``: the same with 1000 stored schedules (a mix of every timed type, none due in the window).

Each counts, after a settling pause, the loop's wake-ups, the timer callbacks that ran (by origin, so that
the integration's own are told apart), and its CPU time (``time.process_time``, every thread), scaled to
seconds per hour. Target: the schedules cause no wake-up at all beyond the baseline (nothing polls; a timer
per schedule waits for its run).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
import subprocess
import sys
import time
from typing import Any

from common import (
    LoopWatch,
    add_board,
    config_dir,
    mixed_channels,
    real_hass,
    rss_mb,
    run,
    schedule_mix,
    setup_integration,
    stored_schedules,
    verdict,
    write_result,
    write_schedule_store,
)
from homeassistant.util import dt as dt_util

WINDOW_S = 60.0
SETTLE_S = 15.0  # the registries' delayed writes (10 s) after set-up are done by then
SCHEDULES = 1000
ROLES = ("ha", "empty", "schedules")


async def measure(role: str) -> dict[str, Any]:
    """Set one instance up, let it settle, and watch it for the window."""
    async with config_dir() as directory:
        count = SCHEDULES if role == "schedules" else 0
        if count:
            now = dt_util.utcnow()
            mix = schedule_mix(count, now, ["sub-light-0", "sub-light-1"], ["sub-pump-2", "sub-pump-3"])
            write_schedule_store(directory, stored_schedules(mix, now))
        async with real_hass(directory) as hass:
            armed = 0
            if role != "ha":
                engine = await setup_integration(hass)
                await add_board(hass, *mixed_channels())
                armed = len(engine.armed())
            await asyncio.sleep(SETTLE_S)
            window_end: asyncio.Future[None] = hass.loop.create_future()
            end_timer = hass.loop.call_later(WINDOW_S, window_end.set_result, None)
            watch = LoopWatch(hass.loop)
            watch.install(ignore=end_timer)
            cpu, wall = time.process_time(), time.monotonic()
            await window_end
            cpu, wall = time.process_time() - cpu, time.monotonic() - wall
            watch.remove()
            return {
                "role": role,
                "schedules": count,
                "armed_timers": armed,
                "window_s": wall,
                "wakeups": watch.wakeups,
                "timer_callbacks": sum(watch.timers.values()),
                "integration_timer_callbacks": watch.timers_from("bellas_reef"),
                "timers_by_origin": {k: v for k, v in watch.timers.most_common() if v},
                "cpu_s": cpu,
                "cpu_s_per_hour": cpu * 3600 / wall,
                "rss_mb": rss_mb(),
            }


def child(role: str) -> None:
    result: dict[str, Any] = {}

    async def main() -> None:
        result.update(await measure(role))

    run(main)
    print("RESULT " + json.dumps(result))


def spawn(role: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - this very script, with a role
        [sys.executable, str(Path(__file__).resolve()), role],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def collect(role: str, process: subprocess.Popen[str]) -> dict[str, Any] | None:
    out, err = process.communicate()
    lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
    if process.returncode or not lines:
        print(f"the {role} instance failed:\n{err[-2000:]}")
        return None
    result: dict[str, Any] = json.loads(lines[-1].removeprefix("RESULT "))
    return result


def parent() -> None:
    print(f"three instances side by side for {WINDOW_S:g} s (after {SETTLE_S:g} s to settle) ...", flush=True)
    processes = {role: spawn(role) for role in ROLES}
    results: dict[str, dict[str, Any]] = {}
    for role, process in processes.items():
        result = collect(role, process)
        if result is None:  # once more, alone (a start-up crash, e.g. a CA file rewritten under it)
            result = collect(role, spawn(role))
        if result is None:
            raise RuntimeError(f"the {role} instance failed twice")
        results[role] = result

    header = f"{'instance':12}{'schedules':>10}{'wake-ups':>10}{'timers':>8}{'ours':>6}"
    header += f"{'CPU s/h':>10}{'RSS MB':>8}"
    print(f"\n{header}")
    for role in ROLES:
        r = results[role]
        print(
            f"{role:12}{r['schedules']:>10}{r['wakeups']:>10}{r['timer_callbacks']:>8}"
            f"{r['integration_timer_callbacks']:>6}{r['cpu_s_per_hour']:>10.2f}{r['rss_mb']:>8.0f}"
        )
    base, busy = results["empty"], results["schedules"]
    extra_wakeups = busy["wakeups"] - base["wakeups"]
    extra_timers = busy["integration_timer_callbacks"] - base["integration_timer_callbacks"]
    cpu_ratio = busy["cpu_s_per_hour"] / base["cpu_s_per_hour"] if base["cpu_s_per_hour"] else float("inf")
    print("\ntimer callbacks in the window (schedules instance), by origin:")
    for origin, count in busy["timers_by_origin"].items():
        print(f"  {count:4}  {origin}")
    print(f"armed schedule timers: {busy['armed_timers']} (none fired: due hours away)")
    print(f"wake-ups, schedules - baseline: {extra_wakeups:+d}; integration timers: {extra_timers:+d}")
    print(f"CPU s/h, schedules / baseline: {cpu_ratio:.2f}")
    ok = extra_timers <= 0
    print(f"target no integration wake-up caused by idle schedules: {verdict(ok)}")
    write_result(
        "idle",
        {
            "window_s": WINDOW_S,
            "instances": results,
            "extra_wakeups_vs_baseline": extra_wakeups,
            "extra_integration_timers_vs_baseline": extra_timers,
            "cpu_ratio_vs_baseline": cpu_ratio,
            "pass_no_extra_timers": ok,
        },
    )


if __name__ == "__main__":
    if len(sys.argv) > 1:
        child(sys.argv[1])
    else:
        parent()
