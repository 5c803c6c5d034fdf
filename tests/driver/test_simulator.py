"""The simulated chip's register semantics, and property tests of the driver against a plain model."""

from __future__ import annotations

import errno

from hypothesis import given, settings, strategies as st
import pytest
from smbus2 import i2c_msg

from custom_components.bellas_reef.driver import pca9685
from custom_components.bellas_reef.driver.pca9685 import Pca9685, prescale_for
from custom_components.bellas_reef.driver.simulator import (
    ForbiddenWriteError,
    SimulatedI2cBus,
    SimulatedPca9685,
)

ADDR = 0x40


def test_power_on_values() -> None:
    chip = SimulatedPca9685()
    assert chip.mode1 == 0x11
    assert chip.mode2 == 0x04
    assert chip.prescale == 0x1E
    assert chip.frequency_hz == pytest.approx(196.9, abs=0.1)
    assert all(chip.duty(ch) == 0 for ch in range(16))
    assert not chip.running


def test_prescale_only_written_while_asleep() -> None:
    bus = SimulatedI2cBus()
    chip = bus.add_chip(ADDR)
    bus.write_byte_data(ADDR, pca9685.PRE_SCALE, 100)  # asleep at power-on: taken
    assert chip.prescale == 100
    bus.write_byte_data(ADDR, pca9685.MODE1, 0x00)  # wake
    bus.write_byte_data(ADDR, pca9685.PRE_SCALE, 5)  # awake: ignored
    assert chip.prescale == 100
    bus.write_byte_data(ADDR, pca9685.MODE1, pca9685.MODE1_SLEEP)
    bus.write_byte_data(ADDR, pca9685.PRE_SCALE, 1)  # below 3 reads as 3
    assert chip.prescale == 3


def test_auto_increment_only_with_ai() -> None:
    bus = SimulatedI2cBus()
    chip = bus.add_chip(ADDR)
    bus.write_i2c_block_data(ADDR, pca9685.LED0_ON_L, [1, 2, 3, 4])  # AI = 0: all land in LED0_ON_L
    assert chip.registers[pca9685.LED0_ON_L : pca9685.LED0_ON_L + 4] == bytearray([4, 0, 0, 0x10])
    bus.write_byte_data(ADDR, pca9685.MODE1, pca9685.MODE1_AI)
    bus.write_i2c_block_data(ADDR, pca9685.LED0_ON_L, [1, 0xF2, 3, 0xE4])  # reserved bits dropped
    assert chip.registers[pca9685.LED0_ON_L : pca9685.LED0_ON_L + 4] == bytearray([1, 0x12, 3, 0x04])
    assert bus.read_i2c_block_data(ADDR, pca9685.LED0_ON_L, 4) == [1, 0x12, 3, 0x04]


def test_auto_increment_rolls_over_and_skips_reserved() -> None:
    bus = SimulatedI2cBus()
    chip = bus.add_chip(ADDR)
    bus.write_byte_data(ADDR, pca9685.MODE1, pca9685.MODE1_AI)
    last = pca9685.LED0_ON_L + 63
    bus.write_i2c_block_data(ADDR, last, [0x10, pca9685.MODE1_AI | pca9685.MODE1_SLEEP])
    assert chip.duty(15) == 0  # full off kept
    assert chip.mode1 & pca9685.MODE1_SLEEP  # rolled over to MODE1
    bus.write_byte_data(ADDR, 0x50, 0xAA)  # reserved: ignored
    assert bus.read_byte_data(ADDR, 0x50) == 0
    assert bus.read_i2c_block_data(ADDR, 0xFD, 2) == [0, chip.prescale]  # ALL_LED_OFF_H then PRE_SCALE


def test_all_led_writes_every_channel_and_reads_zero() -> None:
    bus = SimulatedI2cBus()
    chip = bus.add_chip(ADDR)
    bus.write_byte_data(ADDR, pca9685.MODE1, pca9685.MODE1_AI)
    bus.write_i2c_block_data(ADDR, pca9685.ALL_LED_ON_L, [0, 0, 0x00, 0x08])
    assert all(chip.duty(ch) == 2048 for ch in range(16))
    assert all(chip.output(ch) == 0.5 for ch in range(16))
    assert bus.read_i2c_block_data(ADDR, pca9685.ALL_LED_ON_L, 4) == [0, 0, 0, 0]


def test_sleep_sets_restart_and_restart_resumes() -> None:
    now = [0.0]
    bus = SimulatedI2cBus()
    chip = bus.add_chip(ADDR, clock=lambda: now[0])
    bus.write_byte_data(ADDR, pca9685.MODE1, pca9685.MODE1_AI)
    bus.write_i2c_block_data(ADDR, pca9685.LED0_ON_L, [0, 0, 0, 4])
    assert chip.output(0) == 0.25
    bus.write_byte_data(ADDR, pca9685.MODE1, pca9685.MODE1_AI | pca9685.MODE1_SLEEP)
    assert chip.mode1 & pca9685.MODE1_RESTART
    assert chip.output(0) == 0
    bus.write_byte_data(ADDR, pca9685.MODE1, pca9685.MODE1_AI)  # wake: still halted
    assert chip.mode1 & pca9685.MODE1_RESTART
    assert chip.output(0) == 0
    now[0] += 0.0001
    bus.write_byte_data(ADDR, pca9685.MODE1, pca9685.MODE1_AI | pca9685.MODE1_RESTART)  # too early
    assert chip.counters.restart_too_early == 1
    assert chip.output(0) == 0.25
    assert not chip.mode1 & pca9685.MODE1_RESTART
    # a channel write also clears a pending restart
    bus.write_byte_data(ADDR, pca9685.MODE1, pca9685.MODE1_AI | pca9685.MODE1_SLEEP)
    bus.write_byte_data(ADDR, pca9685.MODE1, pca9685.MODE1_AI)
    bus.write_i2c_block_data(ADDR, pca9685.LED0_ON_L + 4, [0, 0, 0, 8])
    assert not chip.mode1 & pca9685.MODE1_RESTART
    assert chip.output(1) == 0.5
    assert chip.output(0) == 0.25


def test_all_call_and_subaddress() -> None:
    bus = SimulatedI2cBus()
    first, second = bus.add_chip(0x40), bus.add_chip(0x41)
    bus.write_byte_data(0x70, pca9685.MODE1, pca9685.MODE1_AI | pca9685.MODE1_ALLCALL)  # both answer 0x70
    assert first.mode1 == second.mode1 == pca9685.MODE1_AI | pca9685.MODE1_ALLCALL
    bus.write_byte_data(0x40, pca9685.MODE1, pca9685.MODE1_AI | pca9685.MODE1_SUB1)
    assert first.answers_to(0x71)
    assert not second.answers_to(0x71)
    with pytest.raises(OSError) as missing:
        bus.read_byte_data(0x70, pca9685.MODE1)  # All-Call is write-only here
    assert missing.value.errno == errno.EREMOTEIO
    with pytest.raises(ValueError, match="already"):
        bus.add_chip(0x40)


def test_test_mode_register_is_guarded() -> None:
    bus = SimulatedI2cBus()
    bus.add_chip(ADDR)
    with pytest.raises(ForbiddenWriteError):
        bus.write_byte_data(ADDR, pca9685.TEST_MODE, 0)


def test_counters_and_block_limits() -> None:
    bus = SimulatedI2cBus()
    bus.add_chip(ADDR)
    bus.write_byte_data(ADDR, pca9685.MODE1, 0)
    assert bus.read_byte_data(ADDR, pca9685.MODE1) == 0
    assert bus.counters.transactions == 2
    assert bus.counters.bytes_written == 2
    assert bus.counters.bytes_read == 1
    assert bus.counters.by_kind == {"write_byte_data": 1, "read_byte_data": 1}
    with pytest.raises(ValueError, match="32"):
        bus.write_i2c_block_data(ADDR, 0, [0] * 33)
    with pytest.raises(ValueError, match="32"):
        bus.read_i2c_block_data(ADDR, 0, 33)
    bus.write_byte(0x00, 0x01)  # a general call that is not SWRST does nothing
    bus.close()


def test_smbus_only_adapter_refuses_rdwr() -> None:
    bus = SimulatedI2cBus(combined=False)
    bus.add_chip(ADDR)
    assert Pca9685(bus, ADDR).combined is False
    with pytest.raises(OSError) as refused:
        bus.i2c_rdwr(i2c_msg.write(ADDR, [0, 0]))
    assert refused.value.errno == errno.EOPNOTSUPP


def test_fault_injection() -> None:
    bus = SimulatedI2cBus()
    chip = bus.add_chip(ADDR)
    with pytest.raises(ValueError, match="errno"):
        bus.fail_next(1, errno.EPERM)
    bus.fail_next(2, errno.ETIMEDOUT)
    for _ in range(2):
        with pytest.raises(OSError) as failure:
            bus.write_byte_data(ADDR, pca9685.MODE1, 0)
        assert failure.value.errno == errno.ETIMEDOUT
    assert chip.mode1 == 0x11  # failed transactions changed nothing
    bus.write_byte_data(ADDR, pca9685.MODE1, 0)
    assert chip.mode1 == 0
    bus.fail_randomly(0.5, seed=3)
    outcomes = []
    for _ in range(200):
        try:
            bus.read_byte_data(ADDR, 0)
            outcomes.append(True)
        except OSError:
            outcomes.append(False)
    assert 60 < outcomes.count(False) < 140
    assert bus.counters.failed == 2 + outcomes.count(False)
    bus.fail_randomly(0)
    assert bus.read_byte_data(ADDR, 0) == 0


# -- property tests: the driver against a plain model of what the pins should show

write_op = st.tuples(
    st.just("write"),
    st.dictionaries(st.integers(0, 15), st.integers(0, 4096), max_size=16),
)
configure_op = st.tuples(st.just("configure"), st.sampled_from([24, 60, 200, 500, 1000, 1526]), st.booleans())
power_op = st.tuples(st.just("power_cycle"))


@settings(max_examples=150, deadline=None)
@given(
    first=configure_op,
    ops=st.lists(st.one_of(write_op, configure_op, power_op), max_size=25),
    combined=st.booleans(),
    stagger=st.booleans(),
)
def test_driver_matches_plain_model(first: tuple, ops: list[tuple], combined: bool, stagger: bool) -> None:
    """Any sequence of configure / write / power loss (noticed and recovered, as the HA layer does)."""
    bus = SimulatedI2cBus(combined=combined)
    now = [0.0]
    chip = bus.add_chip(ADDR, clock=lambda: now[0])
    driver = Pca9685(bus, ADDR, stagger=stagger, sleep=lambda s: now.__setitem__(0, now[0] + s))
    model: dict[int, int] = dict.fromkeys(range(16), 0)
    _, frequency, invert = first
    driver.configure(frequency, invert=invert)
    for op in ops:
        if op[0] == "write":
            driver.write_duties(op[1])
            model.update(op[1])
        elif op[0] == "configure":
            frequency, invert = op[1], op[2]
            driver.configure(frequency, invert=invert)
        else:
            chip.power_cycle()
            assert driver.is_reset()
            assert chip.output(0) == 0.0
            driver.configure(frequency, invert=invert)
            driver.write_duties(model)
    for channel in range(16):
        assert chip.duty(channel) == model[channel]
        assert chip.output(channel) == model[channel] / 4096
        expected_pin = chip.output(channel)
        assert chip.pin_high_fraction(channel) == (1 - expected_pin if invert else expected_pin)
    assert chip.prescale == prescale_for(frequency)
    assert not driver.is_reset()
    assert chip.counters.on_equals_off_writes == 0
    assert chip.counters.restart_too_early == 0
