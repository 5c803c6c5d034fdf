"""Register-level driver for the NXP PCA9685 16-channel, 12-bit PWM controller.

Facts from the NXP datasheet (rev. 4) that the code relies on:

* LEDn_ON_L/ON_H/OFF_L/OFF_H sit at 0x06 + 4n. Bit 4 of ON_H is "full on", bit 4 of OFF_H is "full off" and
  wins over full on. The power-on state of every channel is full off.
* PRE_SCALE (0xFE) only takes a write while MODE1.SLEEP is set; ``prescale = round(osc / (4096 f)) - 1``,
  3..255 (about 1526 Hz .. 24 Hz with the 25 MHz internal oscillator, which varies 23-27 MHz per chip).
* With MODE1.AI set, the register pointer increments after every byte, so one bus transaction writes many
  adjacent channels. An SMBus block carries at most 32 bytes (8 channels); one ``i2c_rdwr`` message has no
  such limit and several messages go out in one combined transaction.
* Register 0xFF is the factory test mode and is never written.

The driver never blocks on its own: every method does bus I/O and must run outside the event loop.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
import errno as errno_codes
import time
from typing import TYPE_CHECKING, Protocol

from smbus2 import i2c_msg

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from smbus2 import SMBus

# Registers
MODE1 = 0x00
MODE2 = 0x01
SUBADR1 = 0x02
ALLCALLADR = 0x05
LED0_ON_L = 0x06
ALL_LED_ON_L = 0xFA
PRE_SCALE = 0xFE
TEST_MODE = 0xFF

# MODE1 bits
MODE1_RESTART = 0x80
MODE1_EXTCLK = 0x40
MODE1_AI = 0x20
MODE1_SLEEP = 0x10
MODE1_SUB1 = 0x08
MODE1_SUB2 = 0x04
MODE1_SUB3 = 0x02
MODE1_ALLCALL = 0x01

# MODE2 bits
MODE2_INVRT = 0x10
MODE2_OCH = 0x08
MODE2_OUTDRV = 0x04
MODE2_OUTNE_MASK = 0x03

FULL_BIT = 0x10  # bit 4 of ON_H (full on) and OFF_H (full off)

CHANNELS = 16
RESOLUTION = 4096  # counts per PWM period; a duty of 4096 means the full-on bit
MAX_DUTY = RESOLUTION
STAGGER_STEP = 256  # ON offset per channel when outputs are staggered

POWER_ON_MODE1 = MODE1_SLEEP | MODE1_ALLCALL  # 0x11
POWER_ON_MODE2 = MODE2_OUTDRV  # 0x04
POWER_ON_PRESCALE = 0x1E  # about 200 Hz

PRESCALE_MIN = 3
PRESCALE_MAX = 255
DEFAULT_OSCILLATOR_HZ = 25_000_000
OSCILLATOR_MIN_HZ = 20_000_000
OSCILLATOR_MAX_HZ = 30_000_000
WAKE_DELAY_S = 0.0006  # the datasheet asks for at least 500 us between waking and RESTART

GENERAL_CALL_ADDRESS = 0x00
SWRST_BYTE = 0x06
ALL_CALL_DEFAULT_ADDRESS = 0x70
ADDRESS_MIN = 0x40
ADDRESS_MAX = 0x7F

SMBUS_BLOCK_MAX = 32
I2C_FUNC_I2C = 0x00000001  # smbus2.I2cFunc.I2C: the adapter takes plain (combined) I2C messages

# errnos with which Linux I2C adapters report that no device acknowledged its address
NO_DEVICE_ERRNOS = frozenset({errno_codes.ENXIO, errno_codes.EREMOTEIO, errno_codes.ENODEV})


class Pca9685Error(Exception):
    """A PCA9685 or its bus failed; ``errno`` keeps the OS error number when there was one."""

    def __init__(self, message: str, errno: int | None = None) -> None:
        """Keep the message and the errno."""
        super().__init__(message)
        self.errno = errno


class BusNotFoundError(Pca9685Error):
    """The I2C bus device (``/dev/i2c-N``) does not exist."""


class BusPermissionError(Pca9685Error):
    """The I2C bus exists but this process may not open it."""


class BusIOError(Pca9685Error):
    """A bus transaction failed (the board stopped answering, a glitch, a timeout)."""


class DeviceNotFoundError(BusIOError):
    """Nothing acknowledged the address."""


class NotPca9685Error(Pca9685Error):
    """Something answered at the address, but its registers are not those of a PCA9685."""


class FrequencyOutOfRangeError(ValueError):
    """The PWM frequency cannot be reached with a prescale of 3..255."""


class I2cBus(Protocol):
    """The part of ``smbus2.SMBus`` the driver uses; the simulator implements the same calls."""

    def read_byte_data(self, i2c_addr: int, register: int, force: bool | None = None) -> int:
        """Read one register."""

    def write_byte_data(self, i2c_addr: int, register: int, value: int, force: bool | None = None) -> None:
        """Write one register."""

    def read_i2c_block_data(
        self, i2c_addr: int, register: int, length: int, force: bool | None = None
    ) -> list[int]:
        """Read up to 32 registers from ``register`` on."""

    def write_i2c_block_data(
        self, i2c_addr: int, register: int, data: Sequence[int], force: bool | None = None
    ) -> None:
        """Write up to 32 registers from ``register`` on."""

    def write_byte(self, i2c_addr: int, value: int, force: bool | None = None) -> None:
        """Send one byte with no register (used for the general-call software reset)."""

    def i2c_rdwr(self, *i2c_msgs: i2c_msg) -> None:
        """Run several messages as one combined transaction."""


@dataclass(frozen=True, slots=True)
class ChipState:
    """The configuration registers of a chip, as read back."""

    mode1: int
    mode2: int
    prescale: int

    @property
    def sleeping(self) -> bool:
        """Whether the oscillator is off (MODE1.SLEEP)."""
        return bool(self.mode1 & MODE1_SLEEP)


def prescale_for(frequency_hz: float, oscillator_hz: float = DEFAULT_OSCILLATOR_HZ) -> int:
    """Return the PRE_SCALE value for a PWM frequency, or raise ``FrequencyOutOfRangeError``.

    The accepted range is what prescale 3..255 reaches, widened by half a hertz so that the round figures a
    user types at the ends (24 Hz and 1526 Hz at 25 MHz) are taken.
    """
    low, high = frequency_range(oscillator_hz)
    if not low - 0.5 <= frequency_hz <= high + 0.5:
        raise FrequencyOutOfRangeError(
            f"{frequency_hz} Hz is outside {low:.2f}..{high:.2f} Hz "
            f"for a {oscillator_hz / 1e6:g} MHz oscillator"
        )
    prescale = round(oscillator_hz / (RESOLUTION * frequency_hz)) - 1
    return min(PRESCALE_MAX, max(PRESCALE_MIN, prescale))


def frequency_range(oscillator_hz: float = DEFAULT_OSCILLATOR_HZ) -> tuple[float, float]:
    """Return the lowest and highest PWM frequency the prescaler reaches."""
    return (
        oscillator_hz / (RESOLUTION * (PRESCALE_MAX + 1)),
        oscillator_hz / (RESOLUTION * (PRESCALE_MIN + 1)),
    )


def frequency_for(prescale: int, oscillator_hz: float = DEFAULT_OSCILLATOR_HZ) -> float:
    """Return the PWM frequency a prescale value gives."""
    return oscillator_hz / (RESOLUTION * (prescale + 1))


def encode_duty(channel: int, duty: int, *, stagger: bool = True) -> tuple[int, int, int, int]:
    """Return the four LEDn register bytes (ON_L, ON_H, OFF_L, OFF_H) for a duty of 0..4096.

    0 sets the full-off bit and 4096 the full-on bit, so both ends are exact. Any other duty is that many
    counts high per period, starting at ``channel * 256`` when staggered, so that the channels' switching
    edges spread over the period (less inrush and EMI). ON never equals OFF.
    """
    if duty <= 0:
        return (0, 0, 0, FULL_BIT)
    if duty >= RESOLUTION:
        return (0, FULL_BIT, 0, 0)
    on = (channel * STAGGER_STEP) % RESOLUTION if stagger else 0
    off = (on + duty) % RESOLUTION
    return (on & 0xFF, on >> 8, off & 0xFF, off >> 8)


def decode_duty(on_l: int, on_h: int, off_l: int, off_h: int) -> int:
    """Return the duty (0..4096) four LEDn register bytes give, the inverse of ``encode_duty``."""
    if off_h & FULL_BIT:
        return 0
    if on_h & FULL_BIT:
        return RESOLUTION
    on = ((on_h & 0x0F) << 8) | on_l
    off = ((off_h & 0x0F) << 8) | off_l
    return (off - on) % RESOLUTION


def message_bytes(msg: i2c_msg) -> list[int]:
    """Return the bytes an ``i2c_msg`` carries (smbus2's stubs mistype its iterator)."""
    return list(ctypes.string_at(msg.buf, msg.len))


def _runs(channels: Iterable[int]) -> list[list[int]]:
    """Group sorted channel numbers into runs of adjacent channels."""
    runs: list[list[int]] = []
    for channel in sorted(channels):
        if runs and runs[-1][-1] == channel - 1:
            runs[-1].append(channel)
        else:
            runs.append([channel])
    return runs


class Pca9685:
    """One PCA9685 on an I2C bus.

    ``combined`` chooses how many channels go out at once: ``True`` sends every run of adjacent channels
    as one ``i2c_rdwr`` message and all of them in one combined transaction; ``False`` uses SMBus block
    writes of at most 32 bytes (8 channels each); ``None`` asks the adapter (``bus.funcs``) whether it
    takes plain I2C.
    """

    def __init__(
        self,
        bus: I2cBus,
        address: int = ADDRESS_MIN,
        *,
        oscillator_hz: float = DEFAULT_OSCILLATOR_HZ,
        stagger: bool = True,
        combined: bool | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Bind the driver to a bus and address; nothing is sent until a method is called."""
        if not ADDRESS_MIN <= address <= ADDRESS_MAX:
            raise ValueError(f"address {address:#04x} is outside 0x40..0x7f")
        if not OSCILLATOR_MIN_HZ <= oscillator_hz <= OSCILLATOR_MAX_HZ:
            raise ValueError(f"oscillator {oscillator_hz} Hz is outside 20..30 MHz")
        self.bus = bus
        self.address = address
        self.oscillator_hz = oscillator_hz
        self.stagger = stagger
        if combined is None:
            combined = bool(getattr(bus, "funcs", 0) & I2C_FUNC_I2C)
        self.combined = combined
        self._sleep = sleep
        self.prescale: int | None = None
        self.mode2: int | None = None

    # -- bus helpers
    def _io_error(self, err: OSError, doing: str) -> BusIOError:
        code = err.errno
        if code in NO_DEVICE_ERRNOS:
            return DeviceNotFoundError(
                f"no device acknowledged address {self.address:#04x} while {doing} ({err})", code
            )
        return BusIOError(f"bus error at {self.address:#04x} while {doing} ({err})", code)

    def _read(self, register: int) -> int:
        try:
            return self.bus.read_byte_data(self.address, register)
        except OSError as err:
            raise self._io_error(err, f"reading register {register:#04x}") from err

    def _write(self, register: int, value: int) -> None:
        if register == TEST_MODE:  # pragma: no cover - guarded by construction
            raise ValueError("register 0xff (test mode) is never written")
        try:
            self.bus.write_byte_data(self.address, register, value)
        except OSError as err:
            raise self._io_error(err, f"writing register {register:#04x}") from err

    def _read_block(self, register: int, length: int) -> list[int]:
        data: list[int] = []
        try:
            if self.combined:
                write = i2c_msg.write(self.address, [register])
                read = i2c_msg.read(self.address, length)
                self.bus.i2c_rdwr(write, read)
                data = message_bytes(read)
            else:
                while len(data) < length:
                    chunk = min(SMBUS_BLOCK_MAX, length - len(data))
                    data += self.bus.read_i2c_block_data(self.address, register + len(data), chunk)
        except OSError as err:
            raise self._io_error(err, f"reading {length} registers from {register:#04x}") from err
        return data

    # -- public API
    @property
    def frequency_hz(self) -> float | None:
        """The PWM frequency configured by this driver, if any."""
        return None if self.prescale is None else frequency_for(self.prescale, self.oscillator_hz)

    def probe(self) -> ChipState:
        """Confirm a PCA9685 answers at the address, without changing anything on it.

        Reads the configuration and every LED register: the reserved bits 7-5 of MODE2 and of each
        ON_H/OFF_H read 0 on a PCA9685, the write-only ALL_LED registers read 0, and PRE_SCALE is at least 3.
        Another kind of chip (an EEPROM, a sensor) almost never matches all of that.
        """
        state = self.read_state()
        leds = self._read_block(LED0_ON_L, 4 * CHANNELS)
        all_led = self._read_block(ALL_LED_ON_L, 4)
        high_bytes = leds[1::2]
        if (
            state.mode2 & 0xE0
            or state.prescale < PRESCALE_MIN
            or any(b & 0xE0 for b in high_bytes)
            or any(all_led)
        ):
            raise NotPca9685Error(
                f"the device at {self.address:#04x} does not look like a PCA9685 "
                f"(MODE1={state.mode1:#04x} MODE2={state.mode2:#04x} PRE_SCALE={state.prescale:#04x})"
            )
        return state

    def read_state(self) -> ChipState:
        """Read MODE1, MODE2 and PRE_SCALE."""
        mode1 = self._read(MODE1)
        mode2 = self._read(MODE2)
        prescale = self._read(PRE_SCALE)
        return ChipState(mode1, mode2, prescale)

    def configure(self, frequency_hz: float, *, invert: bool = False, open_drain: bool = False) -> bool:
        """Set frequency and output mode, enable auto-increment and disable All-Call.

        Follows the datasheet: sleep, write PRE_SCALE, wake, wait at least 500 us, then RESTART so that the
        channels carry on with the duties they held. A chip already configured this way is left alone, so that
        reconnecting (a Home Assistant restart) never blinks the lights. Returns whether anything was written.
        """
        prescale = prescale_for(frequency_hz, self.oscillator_hz)
        mode2 = (MODE2_INVRT if invert else 0) | (0 if open_drain else MODE2_OUTDRV)
        state = self.read_state()
        awake_mode1 = (state.mode1 & ~(MODE1_RESTART | MODE1_SLEEP | MODE1_ALLCALL)) | MODE1_AI
        self.prescale = prescale
        self.mode2 = mode2
        if state.prescale == prescale and state.mode1 == awake_mode1 and state.mode2 == mode2:
            return False
        if state.prescale != prescale:
            self._write(MODE1, (state.mode1 & ~MODE1_RESTART) | MODE1_SLEEP)
            self._write(PRE_SCALE, prescale)
        if state.mode2 != mode2:
            self._write(MODE2, mode2)
        self._write(MODE1, awake_mode1)
        self._sleep(WAKE_DELAY_S)
        if self._read(MODE1) & MODE1_RESTART:
            self._write(MODE1, awake_mode1 | MODE1_RESTART)
        return True

    def write_duties(self, duties: Mapping[int, int]) -> int:
        """Write duties (0..4096) to channels (0..15) in as few bus transactions as the adapter allows.

        Every value is checked before anything is sent. Returns the number of transactions used: one for any
        set of channels with combined transactions; with SMBus blocks one per run of up to 8 adjacent
        channels (16 channels: 2).
        """
        for channel, duty in duties.items():
            if not 0 <= channel < CHANNELS:
                raise ValueError(f"channel {channel} is outside 0..15")
            if not 0 <= duty <= MAX_DUTY:
                raise ValueError(f"duty {duty} on channel {channel} is outside 0..4096")
        if not duties:
            return 0
        messages: list[tuple[int, list[int]]] = []
        limit = CHANNELS if self.combined else SMBUS_BLOCK_MAX // 4
        for run in _runs(duties):
            for start in range(0, len(run), limit):
                chunk = run[start : start + limit]
                data = [b for ch in chunk for b in encode_duty(ch, duties[ch], stagger=self.stagger)]
                messages.append((LED0_ON_L + 4 * chunk[0], data))
        try:
            if self.combined:
                self.bus.i2c_rdwr(*(i2c_msg.write(self.address, [reg, *data]) for reg, data in messages))
                return 1
            for reg, data in messages:
                self.bus.write_i2c_block_data(self.address, reg, data)
        except OSError as err:
            raise self._io_error(err, f"writing channels {sorted(duties)}") from err
        return len(messages)

    def read_duties(self) -> dict[int, int]:
        """Read back every channel's duty (0..4096)."""
        raw = self._read_block(LED0_ON_L, 4 * CHANNELS)
        return {ch: decode_duty(*raw[4 * ch : 4 * ch + 4]) for ch in range(CHANNELS)}

    def is_reset(self) -> bool:
        """Whether the chip lost its configuration (a power cut or a reset) since ``configure``.

        A chip that powered up again reads MODE1 = 0x11 (asleep, no auto-increment) and PRE_SCALE = 0x1E, with
        every channel full off.
        """
        state = self.read_state()
        if state.sleeping or not state.mode1 & MODE1_AI:
            return True
        if self.prescale is not None and state.prescale != self.prescale:
            return True
        return self.mode2 is not None and state.mode2 != self.mode2

    def sleep(self) -> None:
        """Stop the oscillator; every output goes off until the next ``configure``."""
        self._write(MODE1, (self._read(MODE1) & ~MODE1_RESTART) | MODE1_SLEEP)

    def software_reset(self) -> None:
        """Send the general-call SWRST: every PCA9685 on this bus returns to its power-on state."""
        try:
            self.bus.write_byte(GENERAL_CALL_ADDRESS, SWRST_BYTE)
        except OSError as err:
            raise self._io_error(err, "sending the software reset") from err
        self.prescale = None
        self.mode2 = None


def open_bus(bus_number: int) -> SMBus:
    """Open ``/dev/i2c-<bus_number>`` through smbus2, with errors a user can act on."""
    from smbus2 import SMBus  # noqa: PLC0415 - only hardware set-ups open a real bus

    path = f"/dev/i2c-{bus_number}"
    try:
        return SMBus(bus_number)
    except FileNotFoundError as err:
        raise BusNotFoundError(
            f"{path} does not exist: enable I2C (raspi-config, or the HassOS I2C configurator) "
            "and check the bus number",
            err.errno,
        ) from err
    except PermissionError as err:
        raise BusPermissionError(
            f"no permission to open {path}: add the Home Assistant user to the i2c group "
            "or pass the device into the container",
            err.errno,
        ) from err
    except OSError as err:
        raise BusIOError(f"cannot open {path} ({err})", err.errno) from err
