"""A register-faithful simulated PCA9685, and a simulated I2C bus that holds any number of them.

The bus implements the same calls as ``smbus2.SMBus`` (the driver's ``I2cBus`` protocol), so tests, the
benchmarks and ``scripts/develop`` run the real driver against it. What the model follows (NXP datasheet):

* a 256-byte register file with power-on values: MODE1 0x11, MODE2 0x04, PRE_SCALE 0x1E, subaddresses
  0xE2/0xE4/0xE8, All-Call 0xE0, every channel full off;
* PRE_SCALE takes a write only while SLEEP = 1; the register pointer auto-increments only with AI = 1
  (LED15_OFF_H rolls over to MODE1, ALL_LED_OFF_H to PRE_SCALE); reserved bits of ON_H/OFF_H and MODE2 read 0;
* ALL_LED_* writes go to every channel and read back 0;
* SLEEP stops the PWM; going to sleep with any channel not full off sets RESTART; after waking the outputs
  stay off until RESTART is written 1 (at least 500 us after waking) or a channel is written;
* the chip answers at its own address and, when enabled, at the All-Call and subaddresses; a general call
  SWRST (0x00, 0x06) resets every chip;
* MODE2.INVRT and OUTDRV change the pins: ``pin_high_fraction`` is the electrical waveform, ``output`` the
  duty the load sees when the polarity is set to match the wiring (which is what INVRT is for).

Faults can be injected per bus: the next N transactions, or a seeded random fraction, raise ``OSError`` with
a chosen errno and change nothing. Register 0xFF (test mode) must never be written: doing so raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import errno as errno_codes
import os
import random
import time
from typing import TYPE_CHECKING

from .pca9685 import (
    ALL_LED_ON_L,
    ALLCALLADR,
    CHANNELS,
    DEFAULT_OSCILLATOR_HZ,
    FULL_BIT,
    GENERAL_CALL_ADDRESS,
    I2C_FUNC_I2C,
    LED0_ON_L,
    MODE1,
    MODE1_ALLCALL,
    MODE1_EXTCLK,
    MODE1_RESTART,
    MODE1_SLEEP,
    MODE1_SUB1,
    MODE1_SUB2,
    MODE1_SUB3,
    MODE2,
    MODE2_INVRT,
    MODE2_OUTDRV,
    POWER_ON_MODE1,
    POWER_ON_MODE2,
    POWER_ON_PRESCALE,
    PRE_SCALE,
    RESOLUTION,
    SMBUS_BLOCK_MAX,
    SUBADR1,
    SWRST_BYTE,
    TEST_MODE,
    decode_duty,
    frequency_for,
    message_bytes,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from smbus2 import i2c_msg

I2C_M_RD = 0x0001
LAST_LED_REGISTER = LED0_ON_L + 4 * CHANNELS - 1  # 0x45
ALL_LED_OFF_H = ALL_LED_ON_L + 3
WAKE_TIME_S = 0.0005
OFF_H_OFFSET = 3  # LEDn_OFF_H is the fourth register of a channel
FAULT_ERRNOS = frozenset({errno_codes.EIO, errno_codes.ENXIO, errno_codes.EREMOTEIO, errno_codes.ETIMEDOUT})


class ForbiddenWriteError(AssertionError):
    """Something wrote register 0xFF, the factory test mode."""


def _power_on_registers() -> bytearray:
    regs = bytearray(256)
    regs[MODE1] = POWER_ON_MODE1
    regs[MODE2] = POWER_ON_MODE2
    regs[SUBADR1], regs[SUBADR1 + 1], regs[SUBADR1 + 2] = 0xE2, 0xE4, 0xE8
    regs[ALLCALLADR] = 0xE0
    for channel in range(CHANNELS):
        regs[LED0_ON_L + 4 * channel + 3] = FULL_BIT
    regs[PRE_SCALE] = POWER_ON_PRESCALE
    return regs


@dataclass
class ChipCounters:
    """What one chip saw: bytes written to and read from its registers, and datasheet violations."""

    bytes_written: int = 0
    bytes_read: int = 0
    restart_too_early: int = 0
    on_equals_off_writes: int = 0


class SimulatedPca9685:
    """The register model of one PCA9685."""

    def __init__(
        self,
        address: int = 0x40,
        *,
        oscillator_hz: float = DEFAULT_OSCILLATOR_HZ,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Create a chip in its power-on state."""
        self.address = address
        self.oscillator_hz = oscillator_hz
        self._clock = clock
        self.counters = ChipCounters()
        self.registers = _power_on_registers()
        self._pointer = 0
        self._halted = False  # PWM stopped by sleep until RESTART or a channel write
        self._woke_at: float | None = None
        self.power_cycles = 0

    # -- state the tests look at
    @property
    def mode1(self) -> int:
        """MODE1 as read."""
        return self.registers[MODE1]

    @property
    def mode2(self) -> int:
        """MODE2 as read."""
        return self.registers[MODE2]

    @property
    def prescale(self) -> int:
        """PRE_SCALE."""
        return self.registers[PRE_SCALE]

    @property
    def frequency_hz(self) -> float:
        """The PWM frequency the prescaler gives with this chip's oscillator."""
        return frequency_for(self.prescale, self.oscillator_hz)

    @property
    def running(self) -> bool:
        """Whether the PWM runs (awake and not waiting for a restart)."""
        return not self.mode1 & MODE1_SLEEP and not self._halted

    def duty(self, channel: int) -> int:
        """The duty (0..4096) the channel's registers hold."""
        base = LED0_ON_L + 4 * channel
        return decode_duty(*self.registers[base : base + 4])

    def edges(self, channel: int) -> tuple[int, int]:
        """The 12-bit ON and OFF counts of a channel (for checking stagger)."""
        base = LED0_ON_L + 4 * channel
        regs = self.registers
        return ((regs[base + 1] & 0x0F) << 8 | regs[base], (regs[base + 3] & 0x0F) << 8 | regs[base + 2])

    def output(self, channel: int) -> float:
        """The fraction of each period the channel is active, as the load wired for this polarity sees it."""
        if not self.running:
            return 0.0
        return self.duty(channel) / RESOLUTION

    def pin_high_fraction(self, channel: int) -> float:
        """The fraction of each period the pin is high (or released, with open drain), INVRT applied."""
        active = self.output(channel)
        return 1.0 - active if self.mode2 & MODE2_INVRT else active

    @property
    def open_drain(self) -> bool:
        """Whether the outputs are open drain (MODE2.OUTDRV = 0): a high pin is only released."""
        return not self.mode2 & MODE2_OUTDRV

    # -- what the bus calls
    def answers_to(self, address: int) -> bool:
        """Whether the chip acknowledges an address: its own, All-Call or an enabled subaddress."""
        if address == self.address:
            return True
        mode1 = self.registers[MODE1]
        for bit, register in (
            (MODE1_ALLCALL, ALLCALLADR),
            (MODE1_SUB1, SUBADR1),
            (MODE1_SUB2, SUBADR1 + 1),
            (MODE1_SUB3, SUBADR1 + 2),
        ):
            if mode1 & bit and self.registers[register] >> 1 == address:
                return True
        return False

    def power_cycle(self) -> None:
        """Lose power and come back: every register to its power-on value."""
        self.registers = _power_on_registers()
        self._pointer = 0
        self._halted = False
        self._woke_at = None
        self.power_cycles += 1

    def set_pointer(self, register: int) -> None:
        """Start a write or read at a register (the control byte of an I2C write)."""
        self._pointer = register & 0xFF

    def _advance(self) -> None:
        if not self.registers[MODE1] & 0x20:  # AI
            return
        if self._pointer == LAST_LED_REGISTER:
            self._pointer = MODE1
        elif self._pointer == ALL_LED_OFF_H:
            self._pointer = PRE_SCALE
        else:
            self._pointer = (self._pointer + 1) & 0xFF

    def read_next(self) -> int:
        """Read the register at the pointer and advance."""
        register = self._pointer
        if ALL_LED_ON_L <= register <= ALL_LED_OFF_H or LAST_LED_REGISTER < register < ALL_LED_ON_L:
            value = 0
        else:
            value = self.registers[register]
        self.counters.bytes_read += 1
        self._advance()
        return value

    def write_next(self, value: int) -> None:
        """Write the register at the pointer and advance."""
        register = self._pointer
        value &= 0xFF
        self.counters.bytes_written += 1
        if register == TEST_MODE:
            raise ForbiddenWriteError("register 0xff (test mode) was written")
        if register == MODE1:
            self._write_mode1(value)
        elif register == MODE2:
            self.registers[MODE2] = value & 0x1F
        elif register == PRE_SCALE:
            if self.registers[MODE1] & MODE1_SLEEP:
                self.registers[PRE_SCALE] = max(3, value)
        elif LED0_ON_L <= register <= LAST_LED_REGISTER:
            offset = (register - LED0_ON_L) % 4
            self.registers[register] = value & 0x1F if offset in (1, 3) else value
            self._channel_written(register)
        elif ALL_LED_ON_L <= register <= ALL_LED_OFF_H:
            offset = register - ALL_LED_ON_L
            for channel in range(CHANNELS):
                target = LED0_ON_L + 4 * channel + offset
                self.registers[target] = value & 0x1F if offset in (1, 3) else value
                self._channel_written(target)
        elif register <= ALLCALLADR:
            self.registers[register] = value
        # 0x46..0xF9 are reserved: writes are ignored
        self._advance()

    def _channel_written(self, register: int) -> None:
        # A write to a PWM register clears a pending RESTART and the chip takes the new values.
        self.registers[MODE1] &= ~MODE1_RESTART & 0xFF
        self._halted = False
        if (register - LED0_ON_L) % 4 == OFF_H_OFFSET:
            channel = (register - LED0_ON_L) // 4
            base = LED0_ON_L + 4 * channel
            on_h, off_h = self.registers[base + 1], self.registers[base + 3]
            if not (on_h | off_h) & FULL_BIT and self.edges(channel)[0] == self.edges(channel)[1]:
                self.counters.on_equals_off_writes += 1

    def _write_mode1(self, value: int) -> None:
        old = self.registers[MODE1]
        was_asleep = bool(old & MODE1_SLEEP)
        sleep = bool(value & MODE1_SLEEP)
        restart_pending = bool(old & MODE1_RESTART)
        new = value & ~MODE1_RESTART & 0xFF
        new |= old & MODE1_EXTCLK  # EXTCLK is sticky until a reset
        if not was_asleep and sleep:
            # Going to sleep while any channel drives its output makes RESTART read 1.
            if any(self.duty(ch) for ch in range(CHANNELS)):
                restart_pending = True
            self._halted = restart_pending
        if was_asleep and not sleep:
            self._woke_at = self._clock()
        if value & MODE1_RESTART and restart_pending and not sleep:
            if self._woke_at is not None and self._clock() - self._woke_at < WAKE_TIME_S:
                self.counters.restart_too_early += 1
            restart_pending = False
            self._halted = False
        if restart_pending:
            new |= MODE1_RESTART
        self.registers[MODE1] = new


@dataclass
class BusCounters:
    """Transactions on a simulated bus (a combined ``i2c_rdwr`` is one) and the bytes they carried."""

    transactions: int = 0
    bytes_written: int = 0
    bytes_read: int = 0
    failed: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


class SimulatedI2cBus:
    """An I2C bus holding simulated PCA9685 chips, with the ``smbus2.SMBus`` calls the driver uses.

    Every call is one bus transaction. A missing device raises ``OSError(EREMOTEIO)`` as Linux adapters do
    when no one acknowledges the address.
    """

    funcs = I2C_FUNC_I2C

    def __init__(self, *, combined: bool = True) -> None:
        """Create an empty bus; ``combined=False`` models an SMBus-only adapter (no ``i2c_rdwr``)."""
        self.chips: dict[int, SimulatedPca9685] = {}
        self.counters = BusCounters()
        if not combined:
            self.funcs = 0
        self._fail_next = 0
        self._fail_errno = errno_codes.EIO
        self._fail_fraction = 0.0
        self._random = random.Random(0)

    def add_chip(self, address: int = 0x40, **kwargs: object) -> SimulatedPca9685:
        """Put a chip at an address and return it."""
        if address in self.chips:
            raise ValueError(f"a chip already sits at {address:#04x}")
        chip = SimulatedPca9685(address, **kwargs)  # type: ignore[arg-type]
        self.chips[address] = chip
        return chip

    # -- fault injection
    def fail_next(self, count: int, errno: int = errno_codes.EIO) -> None:
        """Make the next ``count`` transactions fail with ``errno``, changing nothing."""
        self._check_errno(errno)
        self._fail_next = count
        self._fail_errno = errno

    def fail_randomly(self, fraction: float, *, seed: int = 0, errno: int = errno_codes.EIO) -> None:
        """Make a seeded random fraction of transactions fail with ``errno``; 0 stops it."""
        self._check_errno(errno)
        self._fail_fraction = fraction
        self._fail_errno = errno
        self._random = random.Random(seed)

    @staticmethod
    def _check_errno(errno: int) -> None:
        if errno not in FAULT_ERRNOS:
            raise ValueError(f"errno {errno} is not one an I2C adapter reports")

    def _begin(self, kind: str) -> None:
        self.counters.transactions += 1
        self.counters.by_kind[kind] = self.counters.by_kind.get(kind, 0) + 1
        fail = False
        if self._fail_next > 0:
            self._fail_next -= 1
            fail = True
        elif self._fail_fraction and self._random.random() < self._fail_fraction:
            fail = True
        if fail:
            self.counters.failed += 1
            raise OSError(self._fail_errno, os.strerror(self._fail_errno))

    def _targets(self, address: int) -> list[SimulatedPca9685]:
        targets = [chip for chip in self.chips.values() if chip.answers_to(address)]
        if not targets:
            raise OSError(errno_codes.EREMOTEIO, os.strerror(errno_codes.EREMOTEIO))
        return targets

    def _read_chip(self, address: int) -> SimulatedPca9685:
        chip = self.chips.get(address)
        if chip is None:
            raise OSError(errno_codes.EREMOTEIO, os.strerror(errno_codes.EREMOTEIO))
        return chip

    def _write(self, address: int, data: Sequence[int]) -> None:
        if address == GENERAL_CALL_ADDRESS:
            if list(data) == [SWRST_BYTE]:
                for chip in self.chips.values():
                    chip.power_cycle()
            self.counters.bytes_written += len(data)
            return
        targets = self._targets(address)
        self.counters.bytes_written += len(data)
        for chip in targets:
            chip.set_pointer(data[0])
            for value in data[1:]:
                chip.write_next(value)

    def _read(self, address: int, register: int | None, length: int) -> list[int]:
        chip = self._read_chip(address)
        if register is not None:
            chip.set_pointer(register)
        self.counters.bytes_read += length
        return [chip.read_next() for _ in range(length)]

    # -- the smbus2 calls
    def read_byte_data(self, i2c_addr: int, register: int, force: bool | None = None) -> int:
        """Read one register."""
        self._begin("read_byte_data")
        return self._read(i2c_addr, register, 1)[0]

    def write_byte_data(
        self,
        i2c_addr: int,
        register: int,
        value: int,
        force: bool | None = None,
    ) -> None:
        """Write one register."""
        self._begin("write_byte_data")
        self._write(i2c_addr, [register, value])

    def read_i2c_block_data(
        self,
        i2c_addr: int,
        register: int,
        length: int,
        force: bool | None = None,
    ) -> list[int]:
        """Read up to 32 registers."""
        if length > SMBUS_BLOCK_MAX:
            raise ValueError("Desired block length over 32 bytes")
        self._begin("read_i2c_block_data")
        return self._read(i2c_addr, register, length)

    def write_i2c_block_data(
        self,
        i2c_addr: int,
        register: int,
        data: Sequence[int],
        force: bool | None = None,
    ) -> None:
        """Write up to 32 registers."""
        if len(data) > SMBUS_BLOCK_MAX:
            raise ValueError("Data length cannot exceed 32 bytes")
        self._begin("write_i2c_block_data")
        self._write(i2c_addr, [register, *data])

    def write_byte(self, i2c_addr: int, value: int, force: bool | None = None) -> None:
        """Send one byte with no register."""
        self._begin("write_byte")
        self._write(i2c_addr, [value])

    def i2c_rdwr(self, *i2c_msgs: i2c_msg) -> None:
        """Run messages as one combined transaction (repeated starts between them)."""
        if not self.funcs & I2C_FUNC_I2C:
            raise OSError(errno_codes.EOPNOTSUPP, os.strerror(errno_codes.EOPNOTSUPP))
        self._begin("i2c_rdwr")
        for msg in i2c_msgs:
            if msg.flags & I2C_M_RD:
                values = self._read(msg.addr, None, msg.len)
                for index, value in enumerate(values):
                    msg.buf[index] = bytes([value])
            else:
                self._write(msg.addr, message_bytes(msg))

    def close(self) -> None:
        """Nothing to release; present because ``smbus2.SMBus`` has it."""
