"""Shared set-up of the benchmarks: a real-time Home Assistant, simulated boards, stored schedules, results.

Why not the pytest fixtures: pytest-homeassistant-custom-component freezes time (freezegun), so a timer
never fires on its own there. The benchmarks build a real ``HomeAssistant`` on Home Assistant's own event
loop (``homeassistant.runner.create_event_loop``: the same loop, executor and ``loop.time`` as a real
instance), load the registries and config entries from a temporary config directory with real stores, and
start it, so that timers, executor jobs and store writes behave as on a Raspberry Pi running HA (only
faster). Taken from the tests: how a board entry and its channel subentries look as the config flow stores
them (``tests/boards.py``, on ``MockConfigEntry``), to add a board without going through the flow.

Each benchmark script imports this module (it puts the repository on ``sys.path`` so that
``custom_components.bellas_reef`` imports as in the tests) and writes its figures with ``write_result``.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
import json
import logging
import os
from pathlib import Path
import platform
import resource
import socket
import statistics
import sys
import tempfile
import time
from types import ModuleType
from typing import TYPE_CHECKING, Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from homeassistant import (  # noqa: E402
    auth,
    bootstrap,
    config_entries,
    loader,
    runner,
)
from homeassistant.const import __version__ as ha_version  # noqa: E402
from homeassistant.core import HassJob, HomeAssistant  # noqa: E402
from homeassistant.setup import async_setup_component  # noqa: E402

from custom_components.bellas_reef.connection import simulated_bus  # noqa: E402
from custom_components.bellas_reef.const import (  # noqa: E402
    DOMAIN,
    STARTUP_OFF,
)
from custom_components.bellas_reef.engine import ENGINE_KEY, ScheduleEngine  # noqa: E402
from custom_components.bellas_reef.engine.storage import SCHEDULES_KEY, SCHEDULES_VERSION  # noqa: E402
from custom_components.bellas_reef.scheduling import Schedule, next_run  # noqa: E402
from tests import boards  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence

    from homeassistant.config_entries import ConfigSubentryData
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.bellas_reef.driver.simulator import SimulatedI2cBus

RESULTS_DIR = REPO / "benchmarks" / "results"
QUIET_LOGGERS = (
    "homeassistant.loader",  # "We found a custom integration ... which has not been tested"
    "aiohttp_fast_zlib",  # "zlib_ng and isal are not available"
)


# -- figures
def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank; 0.5 is the median)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summary_ms(values_s: Sequence[float]) -> dict[str, float]:
    """p50, p99, max and mean of durations given in seconds, in milliseconds."""
    return {
        "count": len(values_s),
        "p50_ms": percentile(values_s, 0.50) * 1000,
        "p99_ms": percentile(values_s, 0.99) * 1000,
        "max_ms": max(values_s) * 1000 if values_s else float("nan"),
        "mean_ms": statistics.fmean(values_s) * 1000 if values_s else float("nan"),
    }


def verdict(ok: bool) -> str:
    """PASS or MISS against a target (benchmarks report, they never fail)."""
    return "PASS" if ok else "MISS"


def rss_mb() -> float:
    """Resident set size of this process now, in MiB (Linux ``/proc``; peak RSS elsewhere)."""
    try:
        with Path("/proc/self/statm").open(encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def environment() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "home_assistant": ha_version,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }


def write_result(name: str, data: dict[str, Any]) -> Path:
    """Write ``benchmarks/results/<name>.json`` and return its path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    payload = {"benchmark": name, "environment": environment(), **data}
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"-> {path.relative_to(REPO)}")
    return path


# -- watching the event loop
def describe(target: Any, args: Sequence[Any] = ()) -> str:
    """Where a loop callback comes from: the function behind HA's timer and job wrappers, and its module."""
    for arg in args:  # async_call_later/async_call_at pass (hass, job)
        if isinstance(arg, HassJob):
            return describe(arg.target)
    if isinstance(target, partial):
        return describe(target.func, target.args)
    if isinstance(target, HassJob):
        return describe(target.target)
    owner = getattr(target, "__self__", None)
    if owner is not None and not isinstance(owner, type | ModuleType):
        if (job := getattr(owner, "job", None)) is not None and isinstance(job, HassJob):
            return describe(job)  # async_track_point_in_utc_time
        if (action := getattr(owner, "action", None)) is not None and callable(action):
            return describe(action)  # async_track_time_interval
        if (key := getattr(owner, "key", None)) is not None:
            return f"{type(owner).__module__}.{type(owner).__qualname__}({key}).{target.__name__}"
        return f"{type(owner).__module__}.{getattr(target, '__qualname__', repr(target))}"
    module = getattr(target, "__module__", None) or type(target).__module__
    name = getattr(target, "__qualname__", None) or type(target).__qualname__
    return f"{module}.{name}"


@dataclass
class LoopWatch:
    """Counts, while installed, the loop's wake-ups and the timer callbacks it runs, by origin.

    A wake-up is a return from a ``select`` that was allowed to sleep (timeout not zero): the loop had
    nothing to do and something (a timer, I/O, a thread handing back an executor result) woke it.
    Timer callbacks are those scheduled with ``call_at`` (``call_later``, ``asyncio.sleep`` and every Home
    Assistant timer go through it), counted when they run, by what ``describe`` says they are; timers armed
    before ``install`` are counted too.
    """

    loop: asyncio.AbstractEventLoop
    wakeups: int = 0
    timers: Counter[str] = field(default_factory=Counter)
    active: bool = False
    _installed: list[tuple[Any, str, Any]] = field(default_factory=list)

    def _counting(self, callback: Any, args: Sequence[Any]) -> Callable[..., None]:
        origin = describe(callback, args)

        def counted(*inner: Any) -> None:
            if self.active:
                self.timers[origin] += 1
            callback(*inner)

        return counted

    def install(self, ignore: asyncio.TimerHandle | None = None) -> None:
        """Start counting; ``ignore`` is a timer of the benchmark itself."""
        loop: Any = self.loop
        selector = loop._selector  # noqa: SLF001 - the benchmark counts the loop's sleeps
        original_select = selector.select
        original_call_at = loop.call_at

        def select(timeout: float | None = None) -> Any:
            if self.active and (timeout is None or timeout > 0):
                self.wakeups += 1
            return original_select(timeout)

        def call_at(when: float, callback: Any, *args: Any, context: Any = None) -> asyncio.TimerHandle:
            handle: asyncio.TimerHandle = original_call_at(
                when, self._counting(callback, args), *args, context=context
            )
            return handle

        for handle in loop._scheduled:  # noqa: SLF001 - timers armed before: count them when they run
            if not handle.cancelled() and handle is not ignore:
                handle._callback = self._counting(handle._callback, handle._args)  # noqa: SLF001
        selector.select = select
        loop.call_at = call_at
        self.active = True
        self._installed = [(selector, "select", original_select), (loop, "call_at", original_call_at)]

    def remove(self) -> None:
        self.active = False
        for owner, name, original in self._installed:
            setattr(owner, name, original)
        self._installed = []

    def timers_from(self, needle: str) -> int:
        """Timer callbacks whose origin mentions ``needle``."""
        return sum(count for origin, count in self.timers.items() if needle in origin)


# -- running
def new_hass_loop() -> asyncio.AbstractEventLoop:
    """Home Assistant's event loop: its executor, exception handler and ``loop.time``."""
    create = getattr(runner, "create_event_loop", None)
    if create is None:  # older releases (the minimum track) build it through their loop policy
        create = getattr(runner, "HassEventLoopPolicy")(debug=False).new_event_loop  # noqa: B009
    loop: asyncio.AbstractEventLoop = create()
    return loop


def run(main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run a benchmark on Home Assistant's own event loop (as ``hass`` itself does)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for quiet in QUIET_LOGGERS:
        logging.getLogger(quiet).setLevel(logging.ERROR)
    loop = new_hass_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(main())
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def free_port() -> int:
    """A TCP port nobody listens on now (for ``http``, which ``websocket_api`` needs)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def config_dir() -> AsyncIterator[Path]:
    """A temporary Home Assistant config directory with an empty ``.storage``."""
    with tempfile.TemporaryDirectory(prefix="bellas-reef-bench-") as path:
        (Path(path) / ".storage").mkdir()
        yield Path(path)


@asynccontextmanager
async def real_hass(directory: Path, *, time_zone: str = "UTC") -> AsyncIterator[HomeAssistant]:
    """A started Home Assistant on the running loop, with real time and real stores in ``directory``.

    Mirrors Home Assistant's bootstrap (``async_from_config_dict``) without the default integrations: the
    registries, restore state and config entries load from ``directory``; ``http`` listens on 127.0.0.1 at a
    free port; custom integrations are enabled (they are, unless a test fixture disables them).
    """
    hass = HomeAssistant(str(directory))
    hass.config.skip_pip = True
    hass.config.skip_pip_packages = []
    loader.async_setup(hass)
    hass.config_entries = config_entries.ConfigEntries(hass, {})
    await loader.async_get_custom_components(hass)
    load_base: Callable[[HomeAssistant], Awaitable[object]] = bootstrap.async_load_base_functionality
    if await load_base(hass) is False:  # a bool on the latest track, None on the minimum one
        raise RuntimeError("Home Assistant's registries did not load")
    hass.auth = await auth.auth_manager_from_config(hass, [], [])
    await hass.config.async_set_time_zone(time_zone)
    http = {"http": {"server_host": ["127.0.0.1"], "server_port": free_port()}}
    if not await async_setup_component(hass, "http", http):
        raise RuntimeError("http did not set up")
    await hass.async_start()
    try:
        yield hass
    finally:
        await hass.async_stop()


async def setup_integration(hass: HomeAssistant) -> ScheduleEngine:
    """Set Bella's Reef up (engine, services, scheduler entry) and return the engine."""
    if not await async_setup_component(hass, DOMAIN, {}):
        raise RuntimeError("bellas_reef did not set up")
    await hass.async_block_till_done()
    return hass.data[ENGINE_KEY]


# -- boards and channels (as the config flow stores them: the tests' builders, tests/boards.py)
def light_subentry(number: int, name: str) -> ConfigSubentryData:
    """A perceptual light channel over the full duty window, no default transition."""
    return boards.light_subentry(number, name)


def switch_subentry(number: int, name: str) -> ConfigSubentryData:
    """An on/off channel (a pump), off at start-up."""
    return boards.switch_subentry(number, name, startup=STARTUP_OFF)


def mixed_channels() -> list[ConfigSubentryData]:
    """The board of the idle, scale and throughput benchmarks: two lights and two pumps."""
    return [
        light_subentry(0, "Light 0"),
        light_subentry(1, "Light 1"),
        switch_subentry(2, "Pump 2"),
        switch_subentry(3, "Pump 3"),
    ]


async def add_board(hass: HomeAssistant, *subentries: ConfigSubentryData) -> MockConfigEntry:
    """Add and set up a simulated board at 0x40 with the given channels."""
    entry = boards.make_board_entry(*subentries)
    entry.add_to_hass(hass)
    if not await hass.config_entries.async_setup(entry.entry_id):
        raise RuntimeError("the simulated board did not set up")
    await hass.async_block_till_done()
    return entry


def bus_of(hass: HomeAssistant) -> SimulatedI2cBus:
    """The simulated I2C bus of this instance."""
    return simulated_bus(hass)


def pump_channels(count: int) -> list[ConfigSubentryData]:
    """``count`` switch channels named Pump 0..n on channels 0..n."""
    return [switch_subentry(number, f"Pump {number}") for number in range(count)]


def light_channels(count: int) -> list[ConfigSubentryData]:
    """``count`` light channels named Light 0..n on channels 0..n."""
    return [light_subentry(number, f"Light {number}") for number in range(count)]


# -- schedules
def schedule_mix(
    count: int, now: datetime, lights: Sequence[str], pumps: Sequence[str]
) -> list[dict[str, Any]]:
    """``count`` enabled schedules of every timed type, none due within the next hours and no ramp running.

    A fifth each: one-offs a month ahead, daily intervals, cron on/off, weekly recurring, and cron ramps on
    the lights (level-type, so the engine evaluates them whenever a channel appears). The clock times are
    twelve hours from ``now``, so a benchmark window of minutes sees no run.
    """
    hour = (now.hour + 12) % 24
    result: list[dict[str, Any]] = []
    for index in range(count):
        minute = index % 60
        pump, light = pumps[index % len(pumps)], lights[index % len(lights)]
        base: dict[str, Any] = {"name": f"bench {index}", "timezone": "UTC"}
        match index % 5:
            case 0:
                run_at = now + timedelta(days=30, seconds=index)
                base |= {"schedule_type": "one_off", "run_at": run_at.isoformat()}
                base |= {"targets": [pump], "action_type": "on"}
            case 1:
                start = now - timedelta(hours=12) + timedelta(seconds=index)
                base |= {"schedule_type": "interval", "interval_seconds": 86_400}
                base |= {"start_time": start.isoformat()}
                base |= {"targets": [pump], "action_type": "toggle"}
            case 2:
                base |= {"schedule_type": "cron", "cron_expression": f"{minute} {hour} * * *"}
                base |= {"targets": [pump], "action_type": "off"}
            case 3:
                base |= {"schedule_type": "recurring", "frequency": "weekly", "weekdays": ["mon", "thu"]}
                base |= {"times": [f"{hour:02d}:{minute:02d}"], "targets": [light]}
                base |= {"action_type": "set_level", "action_params": {"level": 40}}
            case _:
                base |= {"schedule_type": "cron", "cron_expression": f"{minute} {hour} * * *"}
                base |= {"targets": [light], "action_type": "ramp"}
                base |= {"action_params": {"start_level": 0, "end_level": 80, "duration": 1800}}
        result.append(base)
    return result


def stored_schedules(data: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """Service-style schedule data in the stored form (``Schedule.to_dict``), validated, next run set."""
    stored = []
    for item in data:
        schedule = Schedule.from_dict(item, now=now)
        stored.append(replace(schedule, next_run=next_run(schedule, now)).to_dict())
    return stored


# -- schedules in storage
def write_schedule_store(directory: Path, schedules: list[dict[str, Any]]) -> Path:
    """Leave schedules in ``.storage`` as a previous run of Home Assistant would have (version 2)."""
    path = directory / ".storage" / SCHEDULES_KEY
    payload = {
        "version": SCHEDULES_VERSION,
        "minor_version": 1,
        "key": SCHEDULES_KEY,
        "data": {"schedules": schedules},
    }
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def read_schedule_store(directory: Path) -> list[dict[str, Any]]:
    """The schedules the store file holds now."""
    path = directory / ".storage" / SCHEDULES_KEY
    if not path.exists():
        return []
    return list(json.loads(path.read_text(encoding="utf-8"))["data"]["schedules"])


def process_cpu() -> float:
    """CPU seconds this process used so far (all threads)."""
    return time.process_time()
