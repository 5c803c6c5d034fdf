"""Bus efficiency: 16 light channels in a 30-minute perceptual ramp 0 -> 100 %, against the reef-pi way.

Ours: the real ``ChannelController`` ramp logic (``async_ramp`` / ``_step``: ``DutyMap.next_change``, the
ramp's ``time_of``, the 50 Hz cap ``TRANSITION_MIN_STEP``) runs in simulated time - its clock and its timer
are replaced by a discrete-event scheduler, so 1800 s take a second or two. Channels whose timers fall due at
the same instant hand their duties over together, and each such batch goes out in one real
``Pca9685.write_duties`` call on a ``SimulatedI2cBus`` (what ``Board`` does per loop iteration).

Reference, the naive way (reef-pi): a 15 s tick; at each tick every channel is written at a whole-percent
level (linear ramp in duty, no gamma) with four single-byte ``write_byte_data`` calls (ON_L, ON_H, OFF_L,
OFF_H), changed or not.

Printed for both: transactions, bytes written, transactions/s, bytes/s, bus time at 400 kHz, and the duty
steps each channel takes. Ours must write every distinct 12-bit duty the ramp passes through, each once;
the ratios compare what the bus carries with what the eye gets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
import heapq
import itertools
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from common import light_subentry, verdict, write_result

from custom_components.bellas_reef import channel as channel_module
from custom_components.bellas_reef.channel import ChannelConfig, ChannelController
from custom_components.bellas_reef.const import TRANSITION_MIN_STEP
from custom_components.bellas_reef.driver.pca9685 import CHANNELS, LED0_ON_L, Pca9685, encode_duty
from custom_components.bellas_reef.driver.simulator import SimulatedI2cBus
from custom_components.bellas_reef.scheduling.const import RampCurve

if TYPE_CHECKING:
    from collections.abc import Callable

    from custom_components.bellas_reef.driver.dimming import DutyMap

DURATION_S = 1800.0
NAIVE_TICK_S = 15.0
ADDRESS = 0x40
I2C_HZ = 400_000
BITS_PER_BYTE = 9  # eight data bits and the acknowledge
START = datetime(2027, 1, 15, 6, 0, tzinfo=UTC)


@dataclass
class SimClock:
    """Simulated time and a timer queue, standing in for ``utcnow`` and ``async_track_point_in_utc_time``."""

    now: datetime = START
    queue: list[tuple[datetime, int, Callable[[datetime], None], list[bool]]] = field(default_factory=list)
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def utcnow(self) -> datetime:
        return self.now

    def track_point(
        self, _hass: Any, action: Callable[[datetime], None], when: datetime
    ) -> Callable[[], None]:
        cancelled = [False]
        heapq.heappush(self.queue, (when, next(self.counter), action, cancelled))

        def cancel() -> None:
            cancelled[0] = True

        return cancel

    def due_batch(self) -> list[tuple[datetime, Callable[[datetime], None]]]:
        """Every live timer at the earliest instant (the ones a loop iteration runs together).

        As in asyncio, a timer cancelled by one that runs before it in the same batch does not run.
        """
        while self.queue and self.queue[0][3][0]:
            heapq.heappop(self.queue)
        if not self.queue:
            return []
        first = self.queue[0][0]
        batch = []
        while self.queue and self.queue[0][0] == first:
            when, _, action, cancelled = heapq.heappop(self.queue)
            if not cancelled[0]:
                batch.append((when, partial(_unless_cancelled, action, cancelled)))
        return batch


def _unless_cancelled(action: Callable[[datetime], None], cancelled: list[bool], when: datetime) -> None:
    if not cancelled[0]:
        action(when)


@dataclass
class BatchingBoard:
    """Collects the duties handed over in one loop iteration and writes them with one ``write_duties``."""

    driver: Pca9685
    pending: dict[int, int] = field(default_factory=dict)
    writes: dict[int, list[tuple[float, int]]] = field(default_factory=dict)  # channel: (seconds, duty)
    calls: int = 0

    def async_set_duty(self, number: int, duty: int) -> None:
        self.pending[number] = duty

    def flush(self, seconds: float) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, {}
        self.driver.write_duties(batch)
        self.calls += 1
        for number, duty in batch.items():
            self.writes.setdefault(number, []).append((seconds, duty))


def expected_steps(duty_map: DutyMap, samples: int = 400_000) -> int:
    """Distinct duties a 0 -> 100 % ramp passes through, after its starting duty (dense sampling)."""
    duties = {duty_map.duty(100.0 * i / samples) for i in range(samples + 1)}
    return len(duties) - 1


def ours() -> dict[str, Any]:
    clock = SimClock()
    # the controller's clock and timer become the simulation's (module globals that channel.py looks up)
    patches = {
        "dt_util": SimpleNamespace(utcnow=clock.utcnow),
        "async_track_point_in_utc_time": clock.track_point,
    }
    for name, value in patches.items():
        setattr(channel_module, name, value)
    bus = SimulatedI2cBus()
    chip = bus.add_chip(ADDRESS)
    driver = Pca9685(bus, ADDRESS, sleep=lambda _s: None)
    driver.configure(1000)
    board = BatchingBoard(driver)
    controllers = []
    for number in range(CHANNELS):
        sub = light_subentry(number, f"Light {number}")
        config = ChannelConfig.from_subentry(f"sub-light-{number}", sub["title"], sub["data"])
        controllers.append(ChannelController(SimpleNamespace(), board, config))  # type: ignore[arg-type]
    for controller in controllers:  # start-up: every channel written once at 0 %
        controller.async_set_level(0.0)
    board.flush(0.0)
    board.writes.clear()
    board.calls = 0
    before = (bus.counters.transactions, bus.counters.bytes_written)

    for controller in controllers:
        controller.async_ramp(0.0, 100.0, DURATION_S, START, RampCurve.PERCEPTUAL)
    board.flush(0.0)
    while batch := clock.due_batch():
        clock.now = batch[0][0]
        for when, action in batch:
            action(when)
        board.flush((clock.now - START).total_seconds())

    transactions = bus.counters.transactions - before[0]
    written = bus.counters.bytes_written - before[1]
    steps = [len(board.writes.get(number, [])) for number in range(CHANNELS)]
    repeats = sum(1 for log in board.writes.values() for (_, a), (_, b) in itertools.pairwise(log) if a == b)
    gaps = [b - a for log in board.writes.values() for (a, _), (b, _) in itertools.pairwise(log)]
    distinct = [len({duty for _, duty in board.writes.get(number, [])}) for number in range(CHANNELS)]
    return {
        "transactions": transactions,
        "bytes_written": written,
        "write_calls": board.calls,
        "steps_per_channel": steps,
        "distinct_duties_per_channel": distinct,
        "expected_steps": expected_steps(controllers[0].map),
        "repeated_duty_writes": repeats,
        "min_gap_s": min(gaps) if gaps else float("nan"),
        "final_duties": [chip.duty(number) for number in range(CHANNELS)],
        "on_equals_off_writes": chip.counters.on_equals_off_writes,
    }


def naive() -> dict[str, Any]:
    bus = SimulatedI2cBus()
    chip = bus.add_chip(ADDRESS)
    Pca9685(bus, ADDRESS, sleep=lambda _s: None).configure(1000)
    before = (bus.counters.transactions, bus.counters.bytes_written)
    seen: list[list[int]] = [[] for _ in range(CHANNELS)]
    ticks = int(DURATION_S // NAIVE_TICK_S) + 1
    for tick in range(ticks):
        percent = round(100 * min(1.0, tick * NAIVE_TICK_S / DURATION_S))
        duty = round(percent * 4095 / 100)
        for number in range(CHANNELS):
            register = LED0_ON_L + 4 * number
            for offset, value in enumerate(encode_duty(number, duty, stagger=False)):
                bus.write_byte_data(ADDRESS, register + offset, value)
            if not seen[number] or seen[number][-1] != duty:
                seen[number].append(duty)
    return {
        "ticks": ticks,
        "transactions": bus.counters.transactions - before[0],
        "bytes_written": bus.counters.bytes_written - before[1],
        "steps_per_channel": [len(values) - 1 for values in seen],  # changes after the first write
        "final_duties": [chip.duty(number) for number in range(CHANNELS)],
    }


def rates(result: dict[str, Any]) -> None:
    result["transactions_per_s"] = result["transactions"] / DURATION_S
    result["bytes_per_s"] = result["bytes_written"] / DURATION_S
    # each transaction: start, address byte, its bytes, stop; a combined one has one address per message
    result["bus_busy_s"] = (result["bytes_written"] + result["transactions"]) * BITS_PER_BYTE / I2C_HZ
    result["bytes_per_step"] = result["bytes_written"] / max(1, sum(result["steps_per_channel"]))


def main() -> None:
    mine, theirs = ours(), naive()
    rates(mine)
    rates(theirs)
    print(f"16 light channels, perceptual ramp 0 -> 100 % over {DURATION_S:g} s")
    print(f"{'':26}{'ours':>12}{'naive 15 s':>12}{'ours/naive':>12}")
    rows = [
        ("transactions", "transactions", "{:.0f}"),
        ("bytes written", "bytes_written", "{:.0f}"),
        ("transactions/s", "transactions_per_s", "{:.2f}"),
        ("bytes/s", "bytes_per_s", "{:.1f}"),
        ("bus busy at 400 kHz (s)", "bus_busy_s", "{:.2f}"),
        ("bytes per duty step", "bytes_per_step", "{:.2f}"),
    ]
    ratios: dict[str, float] = {}
    for label, key, fmt in rows:
        ratios[key] = mine[key] / theirs[key]
        print(f"{label:26}{fmt.format(mine[key]):>12}{fmt.format(theirs[key]):>12}{ratios[key]:>12.2f}")
    our_steps, their_steps = mine["steps_per_channel"][0], theirs["steps_per_channel"][0]
    ratios["steps_per_channel"] = our_steps / their_steps
    label = "duty steps per channel"
    print(f"{label:26}{our_steps:>12}{their_steps:>12}{ratios['steps_per_channel']:>12.2f}")
    every = all(steps == mine["expected_steps"] for steps in mine["steps_per_channel"])
    once = mine["repeated_duty_writes"] == 0 and all(
        d == s for d, s in zip(mine["distinct_duties_per_channel"], mine["steps_per_channel"], strict=True)
    )
    capped = mine["min_gap_s"] >= TRANSITION_MIN_STEP - 1e-6
    print(
        f"\nours: {mine['write_calls']} write_duties calls for {sum(mine['steps_per_channel'])} channel "
        f"steps; distinct duties the ramp passes through: {mine['expected_steps']}; shortest gap between two "
        f"writes of a channel: {mine['min_gap_s'] * 1000:.1f} ms; final duties {set(mine['final_duties'])}"
    )
    print(f"every distinct duty written ({our_steps} of {mine['expected_steps']}): {verdict(every)}")
    print(f"no duty written twice: {verdict(once)}; 50 Hz cap kept: {verdict(capped)}")
    write_result(
        "bus",
        {
            "duration_s": DURATION_S,
            "channels": CHANNELS,
            "ours": mine,
            "naive": theirs,
            "ratios_ours_over_naive": ratios,
            "pass_every_duty": every,
            "pass_no_repeat": once,
            "pass_rate_cap": capped,
        },
    )


if __name__ == "__main__":
    main()
