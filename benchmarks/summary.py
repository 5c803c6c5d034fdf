"""A short summary of ``benchmarks/results/*.json``: what ``scripts/bench`` prints at the end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS_DIR / f"{name}.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def ms3(row: dict[str, float]) -> str:
    return f"{row['p50_ms']:.1f}/{row['p99_ms']:.1f}/{row['max_ms']:.1f} ms"


def latency(data: dict[str, Any]) -> list[str]:
    lines = []
    for key, item in data["passes"].items():
        verdicts = f"[{mark(item['pass_ratio'])} 2x ref, {mark(item['pass_p99'])} <20 ms]"
        line = f"latency {key}: p50/p99/max ours {ms3(item['ours'])}, reference {ms3(item['reference'])}"
        lines.append(f"{line}, p99 ratio {item['ratio_p99']:.2f} {verdicts}")
    return lines


def idle(data: dict[str, Any]) -> list[str]:
    base, busy = data["instances"]["empty"], data["instances"]["schedules"]
    wakeups = f"wake-ups {base['wakeups']} -> {busy['wakeups']}"
    timers = (
        f"integration timers {base['integration_timer_callbacks']} -> {busy['integration_timer_callbacks']}"
    )
    cpu = f"CPU {base['cpu_s_per_hour']:.2f} -> {busy['cpu_s_per_hour']:.2f} s/h"
    verdict = f"[{mark(data['pass_no_extra_timers'])} no extra wake-up]"
    return [f"idle 60 s, 0 -> 1000 schedules: {wakeups}, {timers}, {cpu} {verdict}"]


def scale(data: dict[str, Any]) -> list[str]:
    lines = [
        f"scale n={row['schedules']}: engine load {row['engine_load_s'] * 1000:.0f} ms "
        f"({row['engine_kept_mb']:.1f} MB), set-up {row['setup_s']:.2f} s, one run (CPU) "
        f"cron {row['fire_cron_cpu_ms']:.1f} ms / one-off {row['fire_one_off_cpu_ms']:.1f} ms"
        for row in data["rows"]
    ]
    ratios = data["ratios_largest_over_smallest"]
    verdict = mark(data["pass_fire_cron"] and data["pass_fire_one_off"])
    runs = f"run cron {ratios['fire_cron_cpu_ms']:.1f}, one-off {ratios['fire_one_off_cpu_ms']:.1f}"
    lines.append(f"scale 10k/100: load {ratios['engine_load_s']:.0f}, {runs} [{verdict} run ~O(1)]")
    return lines


def bus(data: dict[str, Any]) -> list[str]:
    ours, naive, ratios = data["ours"], data["naive"], data["ratios_ours_over_naive"]
    ok = data["pass_every_duty"] and data["pass_no_repeat"] and data["pass_rate_cap"]
    mine, theirs = (
        f"{r['transactions_per_s']:.2f} tx/s, {r['bytes_per_s']:.1f} B/s, {r['steps_per_channel'][0]}"
        for r in (ours, naive)
    )
    ratio = (
        f"tx/s {ratios['transactions_per_s']:.2f}, B/s {ratios['bytes_per_s']:.1f}, "
        f"steps {ratios['steps_per_channel']:.1f}"
    )
    return [
        f"bus ramp x16: ours {mine} steps; naive {theirs} steps",
        f"bus ours/naive: {ratio} [{mark(ok)} every duty once, 50 Hz cap]",
    ]


def throughput(data: dict[str, Any]) -> list[str]:
    counts = data["counts"]
    held = f"engine/store/file {counts['engine']}/{counts['store_load']}/{counts['file']}"
    times = f"{data['total_ms']:.0f} ms (sequential {data['sequential_total_ms']:.0f} ms)"
    return [f"throughput: {data['calls']} concurrent creates in {times}; {held} [{mark(data['pass'])}]"]


def programme(data: dict[str, Any]) -> list[str]:
    ours, tick = data["ours"], data["tick_changes"]
    ok = data["pass_quiet"] and data["pass_exact"]
    mine = (
        f"{ours['engine_wakeups']} runs, {ours['loop_wakeups']} loop wake-ups, {ours['transactions']} "
        f"transactions, {ours['channel_steps']} duty steps, CPU {ours['cpu_s']:.1f} s"
    )
    theirs = (
        f"{tick['loop_wakeups']} wake-ups, {tick['transactions']} transactions, "
        f"error {tick['max_duty_error_counts']} counts"
    )
    return [f"programme day x16: {mine}; 1 s tick (changes) {theirs} [{mark(ok)} quiet engine, every step]"]


def main() -> None:
    print("summary (benchmarks/results/*.json):")
    for name, render in (
        ("latency", latency),
        ("idle", idle),
        ("scale", scale),
        ("bus", bus),
        ("throughput", throughput),
        ("programme", programme),
    ):
        data = load(name)
        if data is None:
            print(f"  {name}: no result")
            continue
        for line in render(data):
            print(f"  {line}")


if __name__ == "__main__":
    main()
