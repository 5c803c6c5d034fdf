"""The driver against the simulated chip: frequencies, duties, transactions, faults."""

from __future__ import annotations

import errno

import pytest

from custom_components.bellas_reef.driver import pca9685
from custom_components.bellas_reef.driver.pca9685 import (
    BusIOError,
    DeviceNotFoundError,
    FrequencyOutOfRangeError,
    NotPca9685Error,
    Pca9685,
    decode_duty,
    encode_duty,
    frequency_range,
    prescale_for,
)
from custom_components.bellas_reef.driver.simulator import SimulatedI2cBus


class FakeClock:
    """Time for the chip that only the driver's waits move."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def make(*, combined: bool = True, stagger: bool = True, address: int = 0x40):
    bus = SimulatedI2cBus(combined=combined)
    clock = FakeClock()
    chip = bus.add_chip(address, clock=clock)
    driver = Pca9685(bus, address, stagger=stagger, sleep=clock.sleep)
    return bus, chip, driver


@pytest.mark.parametrize(
    ("frequency", "prescale"),
    [(24, 253), (50, 121), (100, 60), (200, 30), (500, 11), (1000, 5), (1526, 3)],
)
def test_prescale_table(frequency: int, prescale: int) -> None:
    assert prescale_for(frequency) == prescale
    assert prescale == round(25_000_000 / (4096 * frequency)) - 1


@pytest.mark.parametrize("frequency", [0, 10, 23, 1527, 2000, -5])
def test_prescale_rejects_out_of_range(frequency: float) -> None:
    with pytest.raises(FrequencyOutOfRangeError, match="outside"):
        prescale_for(frequency)


def test_calibrated_oscillator_moves_prescale_and_range() -> None:
    assert prescale_for(200, 27_000_000) == round(27_000_000 / (4096 * 200)) - 1
    low, high = frequency_range(27_000_000)
    assert low == pytest.approx(25.75, abs=0.01)
    assert high == pytest.approx(1647.95, abs=0.01)


def test_constructor_validation() -> None:
    bus = SimulatedI2cBus()
    with pytest.raises(ValueError, match="address"):
        Pca9685(bus, 0x20)
    with pytest.raises(ValueError, match="oscillator"):
        Pca9685(bus, 0x40, oscillator_hz=1_000_000)


@pytest.mark.parametrize("frequency", [24, 50, 100, 200, 500, 1000, 1526])
def test_configure_sets_frequency_through_sleep(frequency: int) -> None:
    _bus, chip, driver = make()
    assert driver.configure(frequency) is True
    assert chip.prescale == prescale_for(frequency)
    assert chip.frequency_hz == pytest.approx(frequency, rel=0.03)
    assert driver.frequency_hz == pytest.approx(chip.frequency_hz)
    assert chip.mode1 == pca9685.MODE1_AI  # awake, auto-increment, All-Call off
    assert chip.mode2 == pca9685.MODE2_OUTDRV
    assert chip.running


def test_configure_is_a_no_op_when_already_configured() -> None:
    bus, chip, driver = make()
    driver.configure(500)
    driver.write_duties({0: 1000})
    before = bus.counters.bytes_written
    again = Pca9685(bus, 0x40, sleep=lambda _s: None)
    assert again.configure(500) is False
    assert bus.counters.bytes_written == before  # no writes: the lights do not blink on reconnect
    assert chip.output(0) == 1000 / 4096


def test_reconfigure_keeps_duties_via_restart() -> None:
    _bus, chip, driver = make()
    driver.configure(200)
    driver.write_duties({3: 2048})
    driver.configure(1000)
    assert chip.prescale == 5
    assert chip.output(3) == 0.5  # restarted with the old duty
    assert not chip.mode1 & pca9685.MODE1_RESTART
    assert chip.counters.restart_too_early == 0


def test_invert_and_open_drain() -> None:
    _bus, chip, driver = make()
    driver.configure(200, invert=True, open_drain=True)
    assert chip.mode2 == pca9685.MODE2_INVRT
    assert chip.open_drain
    driver.write_duties({0: 1024})
    assert chip.output(0) == 0.25
    assert chip.pin_high_fraction(0) == 0.75
    driver.configure(200)
    assert chip.pin_high_fraction(0) == 0.25
    assert not chip.open_drain


def test_encode_decode_extremes() -> None:
    assert encode_duty(5, 0) == (0, 0, 0, 0x10)
    assert encode_duty(5, 4096) == (0, 0x10, 0, 0)
    assert encode_duty(1, 4095) == (0, 1, 0xFF, 0)  # ON 256, OFF wraps to 255
    assert decode_duty(*encode_duty(1, 4095)) == 4095
    assert encode_duty(1, 10, stagger=False) == (0, 0, 10, 0)
    # full off wins over full on
    assert decode_duty(0, 0x10, 0, 0x10) == 0


@pytest.mark.parametrize("stagger", [True, False])
@pytest.mark.parametrize("invert", [False, True])
def test_every_duty_round_trips_on_every_channel(stagger: bool, invert: bool) -> None:
    _bus, chip, driver = make(stagger=stagger)
    driver.configure(1000, invert=invert)
    for duty in range(4097):
        driver.write_duties(dict.fromkeys(range(16), duty))
        for channel in range(16):
            assert chip.output(channel) == duty / 4096
            on, off = chip.edges(channel)
            if 0 < duty < 4096:
                assert on != off
                assert on == ((channel * 256) % 4096 if stagger else 0)
    assert chip.counters.on_equals_off_writes == 0
    assert driver.read_duties() == dict.fromkeys(range(16), 4096)


@pytest.mark.parametrize(
    ("combined", "channels", "transactions"),
    [
        (True, [5], 1),
        (True, [5, 6], 1),
        (True, [0, 15], 1),
        (True, list(range(16)), 1),
        (False, [5], 1),
        (False, [5, 6], 1),
        (False, [0, 15], 2),
        (False, list(range(16)), 2),
    ],
)
def test_transaction_counts(combined: bool, channels: list[int], transactions: int) -> None:
    bus, chip, driver = make(combined=combined)
    driver.configure(200)
    before = bus.counters.transactions
    used = driver.write_duties(dict.fromkeys(channels, 100))
    assert used == transactions
    assert bus.counters.transactions - before == transactions
    for channel in range(16):
        assert chip.duty(channel) == (100 if channel in channels else 0)


def test_sixteen_channels_bytes_on_the_wire() -> None:
    bus, _chip, driver = make(combined=True)
    driver.configure(200)
    before = bus.counters.bytes_written
    driver.write_duties(dict.fromkeys(range(16), 7))
    assert bus.counters.bytes_written - before == 1 + 64  # one register byte, four per channel


@pytest.mark.parametrize("bad", [{16: 0}, {-1: 0}, {0: 4097}, {0: -1}, {0: 5, 3: 5000}])
def test_bad_values_write_nothing(bad: dict[int, int]) -> None:
    bus, _chip, driver = make()
    driver.configure(200)
    before = bus.counters.transactions
    with pytest.raises(ValueError, match="outside"):
        driver.write_duties(bad)
    assert bus.counters.transactions == before
    assert driver.write_duties({}) == 0


def test_probe_distinguishes_absent_and_foreign_devices() -> None:
    bus, chip, driver = make()
    state = driver.probe()
    assert state.mode1 == pca9685.POWER_ON_MODE1
    assert state.sleeping
    with pytest.raises(DeviceNotFoundError) as absent:
        Pca9685(bus, 0x41).probe()
    assert absent.value.errno == errno.EREMOTEIO
    chip.registers[pca9685.MODE2] = 0xFF  # reserved bits set: not a PCA9685
    with pytest.raises(NotPca9685Error):
        driver.probe()


def test_probe_over_smbus_blocks() -> None:
    _bus, _chip, driver = make(combined=False)
    driver.configure(200)
    driver.write_duties({15: 4096})
    assert driver.probe().mode1 == pca9685.MODE1_AI
    assert driver.read_duties()[15] == 4096


@pytest.mark.parametrize("code", [errno.EIO, errno.ETIMEDOUT, errno.ENXIO, errno.EREMOTEIO])
def test_faults_surface_with_errno_and_change_nothing(code: int) -> None:
    bus, chip, driver = make()
    driver.configure(200)
    driver.write_duties({0: 100})
    bus.fail_next(1, code)
    expected = DeviceNotFoundError if code in (errno.ENXIO, errno.EREMOTEIO) else BusIOError
    with pytest.raises(expected) as failure:
        driver.write_duties({0: 200, 1: 300})
    assert failure.value.errno == code
    assert chip.duty(0) == 100
    assert chip.duty(1) == 0
    assert driver.write_duties({0: 200}) == 1  # the next transaction goes through
    assert chip.duty(0) == 200
    for call in (driver.read_state, driver.read_duties, driver.software_reset, driver.sleep):
        bus.fail_next(1, code)
        with pytest.raises(expected):
            call()


def test_faults_on_smbus_block_writes() -> None:
    bus, _chip, driver = make(combined=False)
    bus.fail_next(1, errno.EIO)
    with pytest.raises(BusIOError):
        driver.write_duties({0: 1})
    bus.fail_next(1, errno.EIO)
    with pytest.raises(BusIOError):
        driver.read_duties()


def test_reset_detection_after_power_cycle() -> None:
    _bus, chip, driver = make()
    driver.configure(500)
    driver.write_duties({2: 3000})
    assert not driver.is_reset()
    chip.power_cycle()
    assert driver.is_reset()
    assert chip.output(2) == 0.0
    driver.configure(500)
    driver.write_duties({2: 3000})
    assert not driver.is_reset()
    assert chip.output(2) == pytest.approx(3000 / 4096)


def test_reset_detection_of_a_changed_prescale_or_mode2() -> None:
    _bus, chip, driver = make()
    driver.configure(500)
    chip.registers[pca9685.PRE_SCALE] = 30
    assert driver.is_reset()
    driver.configure(500)
    chip.registers[pca9685.MODE2] = 0
    assert driver.is_reset()


def test_software_reset_and_sleep() -> None:
    bus = SimulatedI2cBus()
    first, second = bus.add_chip(0x40), bus.add_chip(0x41)
    a = Pca9685(bus, 0x40, sleep=lambda _s: None)
    b = Pca9685(bus, 0x41, sleep=lambda _s: None)
    a.configure(200)
    b.configure(300)
    a.write_duties({0: 50})
    b.write_duties({0: 60})
    a.sleep()
    assert first.mode1 & pca9685.MODE1_SLEEP
    assert first.mode1 & pca9685.MODE1_RESTART  # slept with an active channel
    assert first.output(0) == 0
    assert second.output(0) == 60 / 4096  # the other board is not affected
    a.software_reset()
    assert a.prescale is None
    assert first.mode1 == second.mode1 == pca9685.POWER_ON_MODE1  # general call resets every chip
    assert first.duty(0) == second.duty(0) == 0


def test_open_bus_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    import smbus2

    def raiser(exc: OSError):
        def fake(_bus: int) -> None:
            raise exc

        return fake

    monkeypatch.setattr(smbus2, "SMBus", raiser(FileNotFoundError(errno.ENOENT, "no")))
    with pytest.raises(pca9685.BusNotFoundError, match="/dev/i2c-7 does not exist"):
        pca9685.open_bus(7)
    monkeypatch.setattr(smbus2, "SMBus", raiser(PermissionError(errno.EACCES, "no")))
    with pytest.raises(pca9685.BusPermissionError, match="i2c group"):
        pca9685.open_bus(1)
    monkeypatch.setattr(smbus2, "SMBus", raiser(OSError(errno.EIO, "io")))
    with pytest.raises(BusIOError) as failure:
        pca9685.open_bus(1)
    assert failure.value.errno == errno.EIO
    monkeypatch.setattr(smbus2, "SMBus", lambda bus: ("opened", bus))
    assert pca9685.open_bus(3) == ("opened", 3)
