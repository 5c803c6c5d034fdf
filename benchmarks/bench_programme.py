"""A light programme's day: wake-ups and bus transactions of a 16-channel smooth profile with clouds.

The programme: 24 points (a sunrise, a midday peak, an afternoon, a sunset, night points), ``smooth``, half
of the channels moved 30 minutes earlier and scaled to 80 %, clouds two an hour from 10:00 to 16:00 in
Europe/Berlin on a summer day.

Ours, in simulated time (the discrete-event clock of ``bench_bus``): the engine wakes at the programme's runs
(``runs_between``) and hands each target its piece (``late_run_plan``, ramped from its instant as the runner
does); the real ``ChannelController`` then writes every 12-bit step on its own timing. Channels whose timers
fall due together go out in one ``Pca9685.write_duties`` on a ``SimulatedI2cBus``. Counted: engine
wake-ups, loop wake-ups (instants at which any timer ran), bus transactions and bytes, CPU time.

References, the same day on a fixed 1 s tick: each second every channel's level is ``level_at`` of the
core, turned into its duty; one writes all 16 channels every second (one ``write_duties``), the other only
when a duty changed. Fidelity: at every whole second the duty on the chip against the exact curve's duty.
"""

from __future__ import annotations

import bisect
from datetime import UTC, datetime, timedelta
import itertools
import time
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from bench_bus import ADDRESS, BatchingBoard, SimClock
from common import light_subentry, verdict, write_result

from custom_components.bellas_reef import channel as channel_module
from custom_components.bellas_reef.channel import ChannelConfig, ChannelController
from custom_components.bellas_reef.driver.pca9685 import CHANNELS, Pca9685
from custom_components.bellas_reef.driver.simulator import SimulatedI2cBus
from custom_components.bellas_reef.scheduling import Schedule, level_at, runs_between
from custom_components.bellas_reef.scheduling.changes import late_run_plan
from custom_components.bellas_reef.scheduling.const import RampCurve

if TYPE_CHECKING:
    from collections.abc import Callable

DAY_START = datetime(2027, 6, 1, 22, 0, tzinfo=UTC)  # 00:00 in Berlin on June 2
SECONDS = 86_400
MAX_ERROR = 2  # counts: in a cloud's steep fade a channel moves more than one count per 20 ms (its 50 Hz cap)
TARGETS = [f"sub-light-{n}" for n in range(CHANNELS)]
POINTS = [
    ("06:30", 0),
    ("07:15", 4),
    ("08:00", 12),
    ("08:45", 25),
    ("09:30", 42),
    ("10:15", 60),
    ("11:00", 75),
    ("12:00", 85),
    ("13:00", 88),
    ("14:00", 85),
    ("15:00", 80),
    ("15:45", 72),
    ("16:30", 62),
    ("17:15", 50),
    ("18:00", 38),
    ("18:45", 26),
    ("19:30", 15),
    ("20:15", 8),
    ("21:00", 5),
    ("21:45", 4),
    ("22:30", 3),
    ("23:15", 2),
    ("23:45", 1),
    ("23:59", 0),
]


def programme() -> Schedule:
    night = {"21:45", "22:30", "23:15", "23:45"}
    return Schedule.from_dict(
        {
            "id": "bench-profile",
            "name": "Fixture",
            "schedule_type": "static",
            "preset": "profile",
            "timezone": "Europe/Berlin",
            "targets": TARGETS,
            "created_at": "2027-01-01T00:00:00+00:00",
            "preset_params": {
                "points": [
                    {"time": t, "level": v, **({"night": True} if t in night else {})} for t, v in POINTS
                ],
                "interpolation": "smooth",
                "offsets": [{"target": target, "shift_minutes": -30, "scale": 80} for target in TARGETS[::2]],
                "clouds": {"start": "10:00", "end": "16:00", "per_hour": 2, "depth": 40, "max_minutes": 6},
            },
        }
    )


def controllers(board: BatchingBoard) -> dict[str, ChannelController]:
    found = {}
    for number, target in enumerate(TARGETS):
        sub = light_subentry(number, f"Light {number}")
        config = ChannelConfig.from_subentry(target, sub["title"], sub["data"])
        found[target] = ChannelController(SimpleNamespace(), board, config)  # type: ignore[arg-type]
    return found


def new_board() -> tuple[SimulatedI2cBus, Any, BatchingBoard]:
    bus = SimulatedI2cBus()
    chip = bus.add_chip(ADDRESS)
    driver = Pca9685(bus, ADDRESS, sleep=lambda _s: None)
    driver.configure(1000)
    return bus, chip, BatchingBoard(driver)


def install(clock: SimClock) -> None:
    """The controllers' clock and timer become the simulation's (module globals that channel.py looks up)."""
    channel_module.dt_util = SimpleNamespace(utcnow=clock.utcnow)  # type: ignore[assignment]
    channel_module.async_track_point_in_utc_time = clock.track_point  # type: ignore[assignment]


def hand_over(channels: dict[str, ChannelController], schedule: Schedule, run: datetime) -> None:
    """What the runner does at a programme's run: each target's piece, ramped from its own instant."""
    for instant, target, action_type, params in late_run_plan(schedule, run, run):
        channel = channels[str(target)]
        if action_type == "set_level":
            channel.async_set_level(float(params["level"]))
            continue
        origin = instant - timedelta(seconds=float(params["elapsed"]))
        curve = RampCurve(params.get("curve", RampCurve.PERCEPTUAL))
        channel.async_ramp(params["start_level"], params["end_level"], params["duration"], origin, curve)


def errors(
    schedule: Schedule, channels: dict[str, ChannelController], held: Callable[[int, float], int]
) -> list[int]:
    """At the middle of every 10th second, how far each chip duty is from the exact curve's (counts)."""
    found = []
    for number, target in enumerate(TARGETS):
        duty_of = channels[target].map.duty
        for second in range(0, SECONDS, 10):
            at = second + 0.5
            exact = duty_of(level_at(schedule, DAY_START + timedelta(seconds=at), target=target) or 0.0)
            found.append(abs(held(number, at) - exact))
    return found


def ours(schedule: Schedule) -> dict[str, Any]:
    clock = SimClock(now=DAY_START)
    install(clock)
    bus, chip, board = new_board()
    channels = controllers(board)
    for target, channel in channels.items():  # level-now at the start of the day
        channel.async_set_level(level_at(schedule, DAY_START, target=target) or 0.0)
    board.flush(0.0)
    first = dict(enumerate(chip.duty(n) for n in range(CHANNELS)))
    board.writes.clear()
    board.calls = 0
    before = (bus.counters.transactions, bus.counters.bytes_written)
    runs = runs_between(schedule, DAY_START, DAY_START + timedelta(seconds=SECONDS))
    for run in runs:
        clock.track_point(None, lambda _when, run=run: hand_over(channels, schedule, run), run)
    loop_wakeups = 0
    started = time.process_time()
    end = DAY_START + timedelta(seconds=SECONDS)
    while (batch := clock.due_batch()) and batch[0][0] <= end:
        clock.now = batch[0][0]
        loop_wakeups += 1
        for when, action in batch:
            action(when)
        board.flush((clock.now - DAY_START).total_seconds())
    cpu = time.process_time() - started

    def held(number: int, at: float) -> int:
        log = board.writes.get(number, [])
        index = bisect.bisect_right([seconds for seconds, _ in log], at)
        return log[index - 1][1] if index else first[number]

    return {
        "engine_wakeups": len(runs),
        "loop_wakeups": loop_wakeups,
        "transactions": bus.counters.transactions - before[0],
        "bytes_written": bus.counters.bytes_written - before[1],
        "channel_steps": sum(len(log) for log in board.writes.values()),
        "repeated_duty_writes": sum(
            1 for log in board.writes.values() for (_, a), (_, b) in itertools.pairwise(log) if a == b
        ),
        "max_duty_error_counts": max(errors(schedule, channels, held)),
        "cpu_s": cpu,
    }


def ticking(schedule: Schedule, *, changes_only: bool) -> dict[str, Any]:
    bus, _chip, board = new_board()
    channels = controllers(board)
    maps = {target: channels[target].map for target in TARGETS}
    before = (bus.counters.transactions, bus.counters.bytes_written)
    held = dict.fromkeys(TARGETS, -1)
    log: dict[int, list[int]] = {number: [] for number in range(CHANNELS)}
    steps = 0
    started = time.process_time()
    for second in range(SECONDS):
        now = DAY_START + timedelta(seconds=second)
        batch = {}
        for number, target in enumerate(TARGETS):
            duty = maps[target].duty(level_at(schedule, now, target=target) or 0.0)
            if duty != held[target]:
                steps += 1
            if not changes_only or duty != held[target]:
                batch[number] = duty
            held[target] = duty
            log[number].append(duty)
        if batch:
            board.driver.write_duties(batch)
    cpu = time.process_time() - started
    return {
        "loop_wakeups": SECONDS,
        "transactions": bus.counters.transactions - before[0],
        "bytes_written": bus.counters.bytes_written - before[1],
        "channel_steps": steps,
        "max_duty_error_counts": max(errors(schedule, channels, lambda number, at: log[number][int(at)])),
        "cpu_s": cpu,
    }


def main() -> None:
    schedule = programme()
    mine = ours(schedule)
    every = ticking(schedule, changes_only=False)
    changed = ticking(schedule, changes_only=True)
    print(f"16 channels, a 24-point smooth profile with offsets and clouds, one day ({SECONDS} s)")
    print(f"{'':28}{'ours':>12}{'1 s tick, all':>15}{'1 s, changes':>14}{'ours/all':>10}{'ours/chg':>10}")
    rows = [
        ("loop wake-ups", "loop_wakeups", "{:.0f}"),
        ("bus transactions", "transactions", "{:.0f}"),
        ("bytes written", "bytes_written", "{:.0f}"),
        ("duty steps (all channels)", "channel_steps", "{:.0f}"),
        ("CPU time (s)", "cpu_s", "{:.2f}"),
    ]
    ratios: dict[str, dict[str, float]] = {"all": {}, "changes": {}}
    for label, key, fmt in rows:
        ratios["all"][key] = mine[key] / every[key]
        ratios["changes"][key] = mine[key] / changed[key]
        print(
            f"{label:28}{fmt.format(mine[key]):>12}{fmt.format(every[key]):>15}"
            f"{fmt.format(changed[key]):>14}{ratios['all'][key]:>10.3f}{ratios['changes'][key]:>10.3f}"
        )
    print(
        f"\nours: {mine['engine_wakeups']} engine wake-ups (runs) a day; {mine['loop_wakeups']} loop wake-ups"
        f" in all, the channels' own duty steps included; duty steps written twice:"
        f" {mine['repeated_duty_writes']}"
    )
    print(
        f"largest duty error against the exact curve (every 10 s): ours {mine['max_duty_error_counts']}"
        f" counts, 1 s tick {every['max_duty_error_counts']} counts"
    )
    quiet = mine["engine_wakeups"] * 100 < every["loop_wakeups"]
    exact = mine["max_duty_error_counts"] <= MAX_ERROR and mine["repeated_duty_writes"] == 0
    print(f"the engine wakes only where a curve changes course (< 1 % of a 1 s tick): {verdict(quiet)}")
    print(f"every duty step on time, none twice (error <= {MAX_ERROR} counts, 50 Hz cap): {verdict(exact)}")
    write_result(
        "programme",
        {
            "channels": CHANNELS,
            "points": len(POINTS),
            "ours": mine,
            "tick_all": every,
            "tick_changes": changed,
            "ratios": ratios,
            "pass_quiet": quiet,
            "pass_exact": exact,
        },
    )


if __name__ == "__main__":
    main()
