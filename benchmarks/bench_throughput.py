"""Throughput: 100 concurrent ``bellas_reef.create_schedule`` calls, and what ends up in the store.

A real-time Home Assistant with a simulated board (two lights, two pumps). 100 service calls (a mix of every
timed type, targets named by entity id) are started together with ``asyncio.gather`` -
``hass.services.async_call(..., blocking=True, return_response=True)``, no user in the context - and timed
until the last one returns; each call's own duration is kept too. Then, once Home Assistant is idle and the
store has no write pending, the engine and the store file (read back from disk, and through
``engine.files.store.async_load``) must hold exactly the 100 schedules the calls returned, each valid.

For comparison, in the same instance: 100 concurrent calls of a no-op service that answers a response
(Home Assistant's own cost of a service call); and in a fresh instance the same 100 creates one after the
other.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from common import (
    add_board,
    config_dir,
    mixed_channels,
    read_schedule_store,
    real_hass,
    run,
    schedule_mix,
    setup_integration,
    summary_ms,
    verdict,
    write_result,
)
from homeassistant.core import ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util

from custom_components.bellas_reef.const import DOMAIN
from custom_components.bellas_reef.scheduling import Schedule, ScheduleError, validate_schedule

if TYPE_CHECKING:
    from pathlib import Path

    from homeassistant.core import HomeAssistant

    from custom_components.bellas_reef.engine import ScheduleEngine

CALLS = 100


async def reef(hass: HomeAssistant) -> tuple[ScheduleEngine, list[dict[str, Any]]]:
    """The integration with its board, and the 100 schedules to create (targets as entity ids)."""
    engine = await setup_integration(hass)
    await add_board(hass, *mixed_channels())
    registry = er.async_get(hass)
    lights = [registry.async_get_entity_id("light", DOMAIN, f"sub-light-{n}") for n in (0, 1)]
    pumps = [registry.async_get_entity_id("switch", DOMAIN, f"sub-pump-{n}") for n in (2, 3)]
    if None in lights or None in pumps:
        raise RuntimeError("the channel entities are missing")
    mix = schedule_mix(CALLS, dt_util.utcnow(), [str(e) for e in lights], [str(e) for e in pumps])
    return engine, mix


async def timed_call(
    hass: HomeAssistant, domain: str, service: str, data: dict[str, Any]
) -> tuple[float, Any]:
    started = time.perf_counter()
    response = await hass.services.async_call(domain, service, data, blocking=True, return_response=True)
    return time.perf_counter() - started, response


async def concurrent(directory: Path) -> dict[str, Any]:
    async with real_hass(directory) as hass:
        engine, mix = await reef(hass)
        started = time.perf_counter()
        results = await asyncio.gather(*(timed_call(hass, DOMAIN, "create_schedule", data) for data in mix))
        total = time.perf_counter() - started
        returned = {response["schedule"]["id"] for _, response in results}

        async def noop(_call: ServiceCall) -> ServiceResponse:
            return {"ok": True}

        hass.services.async_register("bench", "noop", noop, supports_response=SupportsResponse.ONLY)
        started = time.perf_counter()
        noops = await asyncio.gather(*(timed_call(hass, "bench", "noop", {}) for _ in range(CALLS)))
        noop_total = time.perf_counter() - started

        await hass.async_block_till_done()
        pending_write = engine.files.store._data is not None  # noqa: SLF001 - nothing may wait to be written
        in_engine = set(engine.schedules)
        stored_api = ((await engine.files.store.async_load()) or {}).get("schedules", [])
    on_disk = read_schedule_store(directory)  # after the stop: the final write included
    return {
        "total_s": total,
        "per_call": summary_ms([duration for duration, _ in results]),
        "noop_total_s": noop_total,
        "noop_per_call": summary_ms([duration for duration, _ in noops]),
        "returned": returned,
        "in_engine": in_engine,
        "store_load": stored_api,
        "on_disk": on_disk,
        "pending_write_when_idle": pending_write,
    }


async def sequential(directory: Path) -> float:
    async with real_hass(directory) as hass:
        _, mix = await reef(hass)
        started = time.perf_counter()
        for data in mix:
            await timed_call(hass, DOMAIN, "create_schedule", data)
        return time.perf_counter() - started


def valid(raw: list[dict[str, Any]]) -> int:
    """How many stored schedules read back and validate."""
    count = 0
    for item in raw:
        try:
            Schedule.from_dict(item)
        except ScheduleError:
            continue
        if not validate_schedule(item):
            count += 1
    return count


async def main() -> None:
    async with config_dir() as directory:
        figures = await concurrent(directory)
    async with config_dir() as directory:
        sequential_s = await sequential(directory)

    returned, in_engine = figures["returned"], figures["in_engine"]
    store_ids = {item["id"] for item in figures["store_load"]}
    disk_ids = {item["id"] for item in figures["on_disk"]}
    checks = {
        "responses_with_distinct_ids": len(returned) == CALLS,
        "engine_holds_exactly_them": in_engine == returned,
        "store_load_holds_exactly_them": store_ids == returned and len(figures["store_load"]) == CALLS,
        "file_holds_exactly_them": disk_ids == returned and len(figures["on_disk"]) == CALLS,
        "all_stored_valid": valid(figures["on_disk"]) == CALLS,
        "no_write_pending_when_idle": not figures["pending_write_when_idle"],
    }
    per_call, noop = figures["per_call"], figures["noop_per_call"]
    print(f"{CALLS} concurrent create_schedule calls: {figures['total_s'] * 1000:.0f} ms in all")
    print(f"  per call: p50 {per_call['p50_ms']:.1f} ms, p99 {per_call['p99_ms']:.1f} ms")
    print(
        f"reference, {CALLS} concurrent no-op service calls: {figures['noop_total_s'] * 1000:.1f} ms "
        f"(ratio {figures['total_s'] / figures['noop_total_s']:.0f}x)"
    )
    print(
        f"the same {CALLS} creates one after the other: {sequential_s * 1000:.0f} ms "
        f"(concurrent / sequential: {figures['total_s'] / sequential_s:.2f})"
    )
    print(
        f"engine: {len(in_engine)}, store_load: {len(figures['store_load'])}, "
        f"file: {len(figures['on_disk'])}, valid: {valid(figures['on_disk'])}"
    )
    for name, ok in checks.items():
        print(f"  {name}: {verdict(ok)}")
    write_result(
        "throughput",
        {
            "calls": CALLS,
            "total_ms": figures["total_s"] * 1000,
            "per_call": per_call,
            "noop_total_ms": figures["noop_total_s"] * 1000,
            "noop_per_call": noop,
            "sequential_total_ms": sequential_s * 1000,
            "ratio_concurrent_over_noop": figures["total_s"] / figures["noop_total_s"],
            "ratio_concurrent_over_sequential": figures["total_s"] / sequential_s,
            "counts": {
                "engine": len(in_engine),
                "store_load": len(figures["store_load"]),
                "file": len(figures["on_disk"]),
            },
            "checks": checks,
            "pass": all(checks.values()),
        },
    )


if __name__ == "__main__":
    run(main)
