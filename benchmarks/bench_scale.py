"""Scale: set-up time, memory and the cost of one run with 100, 1 000 and 10 000 stored schedules.

For each size a fresh config directory gets that many schedules in ``.storage/bellas_reef.schedules`` (version
2, ``Schedule.to_dict``; a mix of every timed type, see ``common.schedule_mix``), then, in a real-time Home
Assistant:

* engine load: a bare ``ScheduleEngine.async_load`` - read the store, validate every schedule, arm a timer per
  enabled one - timed, then repeated under ``tracemalloc`` for the memory it keeps and its peak;
* integration set-up: ``async_setup_component`` plus the board entry, until Home Assistant is idle - what a
  start-up costs, the two entities per schedule included - timed, with the process RSS before and after;
* entities: how many of the two per schedule Home Assistant took (it refuses more than 10 000 enabled
  entities per config entry), and the errors logged;
* one run: ``engine._async_fire`` on one schedule (a cron on/off of a pump, and a one-off), wall time and CPU
  time (every thread), median of several distinct schedules.

A run should cost O(1) (or O(log n)): the ratio 10k/100 of its cost should stay near 1, not near 100.
"""

from __future__ import annotations

import gc
import logging
import statistics
import time
import tracemalloc
from typing import TYPE_CHECKING, Any

from common import (
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
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util

from custom_components.bellas_reef.engine import ScheduleEngine
from custom_components.bellas_reef.scheduling import ScheduleType

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

SIZES = (100, 1000, 10_000)
FIRES = 7  # runs timed per kind and size (distinct schedules)
LIGHTS = ["sub-light-0", "sub-light-1"]
PUMPS = ["sub-pump-2", "sub-pump-3"]
TARGET_FIRE_RATIO = 3.0  # 10k / 100: O(log n) would be about 2, O(n) about 100


async def engine_load(hass: HomeAssistant) -> tuple[float, int, float, float]:
    """Seconds to load, armed timers, then (under tracemalloc) MiB kept and MiB peak of a second load."""
    engine = ScheduleEngine(hass)
    started = time.perf_counter()
    await engine.async_load()
    seconds = time.perf_counter() - started
    armed = len(engine.armed())
    await engine.async_unload()
    del engine
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    engine = ScheduleEngine(hass)
    await engine.async_load()
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    await engine.async_unload()
    return seconds, armed, (kept - before) / 2**20, (peak - before) / 2**20


async def time_fires(hass: HomeAssistant, engine: ScheduleEngine, kind: ScheduleType) -> dict[str, float]:
    """Median wall and CPU milliseconds of ``_async_fire`` for ``FIRES`` schedules of one type on pumps."""
    chosen = [
        s
        for s in engine.schedules.values()
        if s.schedule_type is kind and s.targets[0] in PUMPS and s.next_run is not None
    ][:FIRES]
    walls, cpus = [], []
    for schedule in chosen:
        await hass.async_block_till_done()
        assert schedule.next_run is not None  # noqa: S101 - chosen for it
        cpu, wall = time.process_time(), time.perf_counter()
        await engine._async_fire(schedule.id, schedule.next_run)  # noqa: SLF001 - the benchmark fires directly
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        # write now what the run left for later (1 s / 30 s delays), so that it does not land in the next run
        await engine.files.async_save()
        await engine.history.async_save_now()
    return {
        "runs": len(walls),
        "wall_ms": statistics.median(walls) * 1000,
        "cpu_ms": statistics.median(cpus) * 1000,
    }


class ErrorLog(logging.Handler):
    """Keeps the distinct warnings and errors logged while installed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = f"{record.name}: {record.getMessage().split(';')[0]}"
        if message not in self.messages:
            self.messages.append(message)


async def measure(size: int) -> dict[str, Any]:
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    try:
        return await measure_size(size, errors)
    finally:
        logging.getLogger().removeHandler(errors)


async def measure_size(size: int, errors: ErrorLog) -> dict[str, Any]:
    async with config_dir() as directory:
        now = dt_util.utcnow()
        write_schedule_store(directory, stored_schedules(schedule_mix(size, now, LIGHTS, PUMPS), now))
        async with real_hass(directory) as hass:
            load_s, armed, kept_mb, peak_mb = await engine_load(hass)
            gc.collect()
            rss_before = rss_mb()
            started = time.perf_counter()
            engine = await setup_integration(hass)
            await add_board(hass, *mixed_channels())
            await hass.async_block_till_done()
            setup_s = time.perf_counter() - started
            gc.collect()
            rss_delta = rss_mb() - rss_before
            entities = len(hass.states.async_all())
            schedule_entities = sum(
                1
                for entity in er.async_get(hass).entities.values()
                if entity.unique_id.startswith("schedule-")
            )
            periodic = await time_fires(hass, engine, ScheduleType.CRON)
            one_off = await time_fires(hass, engine, ScheduleType.ONE_OFF)
    row = {
        "schedules": size,
        "armed": armed,
        "engine_load_s": load_s,
        "engine_kept_mb": kept_mb,
        "engine_peak_mb": peak_mb,
        "setup_s": setup_s,
        "setup_rss_delta_mb": rss_delta,
        "states": entities,
        "schedule_entities": schedule_entities,
        "schedule_entities_expected": 2 * size,
        "logged": errors.messages,
        "fire_cron_wall_ms": periodic["wall_ms"],
        "fire_cron_cpu_ms": periodic["cpu_ms"],
        "fire_one_off_wall_ms": one_off["wall_ms"],
        "fire_one_off_cpu_ms": one_off["cpu_ms"],
    }
    print(
        f"{size:>8}{load_s * 1000:>10.0f}{kept_mb:>9.1f}{peak_mb:>9.1f}{setup_s:>9.2f}{rss_delta:>9.0f}"
        f"{periodic['wall_ms']:>9.2f}{periodic['cpu_ms']:>9.2f}{one_off['wall_ms']:>9.2f}{one_off['cpu_ms']:>9.2f}",
        flush=True,
    )
    if schedule_entities != 2 * size:
        print(f"{'':8}only {schedule_entities} of {2 * size} schedule entities were added")
    for message in errors.messages:
        print(f"{'':8}logged: {message}")
    return row


async def main() -> None:
    print("           engine load               integration set-up  one run (median)")
    print(
        f"{'n':>8}{'ms':>10}{'kept MB':>9}{'peak MB':>9}{'s':>9}{'RSS MB':>9}"
        f"{'cron ms':>9}{'cpu ms':>9}{'1-off ms':>9}{'cpu ms':>9}"
    )
    rows = [await measure(size) for size in SIZES]
    small, large = rows[0], rows[-1]
    factor = large["schedules"] / small["schedules"]
    ratios = {
        key: large[key] / small[key] if small[key] else float("inf")
        for key in (
            "engine_load_s",
            "engine_kept_mb",
            "setup_s",
            "fire_cron_wall_ms",
            "fire_cron_cpu_ms",
            "fire_one_off_wall_ms",
            "fire_one_off_cpu_ms",
        )
    }
    print(f"\nratios {large['schedules']}/{small['schedules']} (schedules x{factor:g}):")
    for key, value in ratios.items():
        print(f"  {key:22}{value:>8.1f}")
    ok_cron = ratios["fire_cron_cpu_ms"] <= TARGET_FIRE_RATIO
    ok_one_off = ratios["fire_one_off_cpu_ms"] <= TARGET_FIRE_RATIO
    print(f"target one run ~O(1)/O(log n) (ratio <= {TARGET_FIRE_RATIO:g}), cron: {verdict(ok_cron)}")
    print(f"target one run ~O(1)/O(log n) (ratio <= {TARGET_FIRE_RATIO:g}), one-off: {verdict(ok_one_off)}")
    write_result(
        "scale",
        {
            "rows": rows,
            "ratios_largest_over_smallest": ratios,
            "target_fire_ratio": TARGET_FIRE_RATIO,
            "pass_fire_cron": ok_cron,
            "pass_fire_one_off": ok_one_off,
        },
    )


if __name__ == "__main__":
    run(main)
