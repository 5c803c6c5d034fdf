"""One PCA9685 board in Home Assistant: the single writer of its registers, its health and its recovery.

Every channel of a board hands its duty to the board; duties handed over in the same loop iteration go out
together in one ``write_duties`` call (one bus transaction with combined I2C), in the executor, one at a time.
A failed write is retried with back-off; after a few failures in a row the board is unavailable, which is
logged once, and when it answers again its configuration and every channel's duty are written anew. A
read-back every 30 s notices a board that lost power (it comes back asleep, with every output off) and
restores it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_call_later, async_track_time_interval
from homeassistant.util import dt as dt_util

from .const import FAILURES_BEFORE_UNAVAILABLE, LOGGER, READBACK_INTERVAL, RETRY_BACKOFF_MAX, SIGNAL_BOARDS
from .driver.pca9685 import Pca9685, Pca9685Error

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime


@dataclass
class BoardStats:
    """Counters for diagnostics and the health entities."""

    writes: int = 0
    transactions: int = 0
    failures: int = 0
    retries: int = 0
    resets_detected: int = 0
    recoveries: int = 0
    last_error: str | None = None
    last_reset: datetime | None = None


class Board:
    """A configured PCA9685 and the channels wired to it."""

    def __init__(
        self,
        hass: HomeAssistant,
        name: str,
        driver: Pca9685,
        *,
        frequency: float,
        open_drain: bool,
        close: Callable[[], None] | None = None,
    ) -> None:
        """Wrap a driver that ``async_connect`` will configure."""
        self.hass = hass
        self.name = name
        self.driver = driver
        self.frequency = frequency
        self.open_drain = open_drain
        self._close = close
        self.duties: dict[int, int] = {}  # the last duty handed over, by channel number
        self.available = True
        self.stats = BoardStats()
        self._pending: dict[int, int] = {}
        self._flush_scheduled = False
        self._write_task: asyncio.Task[None] | None = None
        self._retry_cancel: CALLBACK_TYPE | None = None
        self._readback_cancel: CALLBACK_TYPE | None = None
        self._consecutive_failures = 0
        self._lock = asyncio.Lock()
        self._listeners: list[Callable[[], None]] = []
        self._closed = False

    # -- set-up and tear-down
    async def async_connect(self) -> None:
        """Probe and configure the chip (raises ``Pca9685Error``); then start the read-back."""
        async with self._lock:
            await self.hass.async_add_executor_job(self._connect)
        self._readback_cancel = async_track_time_interval(
            self.hass, self._async_readback, READBACK_INTERVAL, name=f"bellas_reef readback {self.name}"
        )

    def _connect(self) -> None:
        self.driver.probe()
        self.driver.configure(self.frequency, open_drain=self.open_drain)

    async def async_close(self) -> None:
        """Stop timers, let a write in flight finish, and release the bus. The outputs stay as they are."""
        self._closed = True
        for cancel in (self._retry_cancel, self._readback_cancel):
            if cancel is not None:
                cancel()
        self._retry_cancel = self._readback_cancel = None
        if self._write_task is not None:
            await self._write_task
        if self._close is not None:
            await self.hass.async_add_executor_job(self._close)

    # -- listeners
    @callback
    def async_add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call ``listener`` when the board's availability changes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @callback
    def _set_available(self, *, available: bool) -> None:
        if available == self.available:
            return
        self.available = available
        if available:
            LOGGER.info("Board %s answers again; its outputs were restored", self.name)
        else:
            LOGGER.warning("Board %s stopped answering: %s", self.name, self.stats.last_error)
        for listener in list(self._listeners):
            listener()
        async_dispatcher_send(self.hass, SIGNAL_BOARDS)

    # -- writing
    @callback
    def async_set_duty(self, channel: int, duty: int) -> None:
        """Queue a channel's duty; the queue goes out once this loop iteration is done."""
        self.duties[channel] = duty
        self._pending[channel] = duty
        if self._flush_scheduled or self._write_task is not None or self._retry_cancel is not None:
            return
        self._flush_scheduled = True
        self.hass.loop.call_soon(self._async_start_flush)

    @callback
    def _async_start_flush(self) -> None:
        self._flush_scheduled = False
        if self._closed or not self._pending or self._write_task is not None:
            return
        batch, self._pending = self._pending, {}
        self._write_task = self.hass.async_create_task(
            self._async_write(batch), f"bellas_reef write {self.name}", eager_start=False
        )

    async def _async_write(self, batch: dict[int, int]) -> None:
        try:
            async with self._lock:
                if self.available:
                    used = await self.hass.async_add_executor_job(self.driver.write_duties, batch)
                else:
                    used = await self.hass.async_add_executor_job(self._resync, self._all_duties(batch))
        except Pca9685Error as err:
            self._write_task = None
            for channel, duty in batch.items():
                self._pending.setdefault(channel, duty)
            self._async_failed(err)
            return
        self._write_task = None
        self.stats.writes += 1
        self.stats.transactions += used
        self._async_succeeded()
        if self._pending:
            self._async_start_flush()

    async def async_wait_written(self) -> None:
        """Wait until every queued duty is on the board; raise ``Pca9685Error`` if the board refused it.

        Actions use this to report success only once the chip holds the new duty. A failed write stays
        queued and is retried in the background, whatever the caller does with the error.
        """
        while self._flush_scheduled or self._write_task is not None:
            if self._write_task is not None:
                await asyncio.shield(self._write_task)
            else:
                await asyncio.sleep(0)
        if self._retry_cancel is not None or not self.available:
            raise Pca9685Error(self.stats.last_error or f"board {self.name} is not answering")

    def _all_duties(self, batch: dict[int, int] | None = None) -> dict[int, int]:
        return {**self.duties, **(batch or {})}

    def _resync(self, duties: dict[int, int]) -> int:
        """Configure the chip again and write every channel: after a fault or a power loss."""
        self.driver.configure(self.frequency, open_drain=self.open_drain)
        return self.driver.write_duties(duties)

    @callback
    def _async_succeeded(self) -> None:
        if self._consecutive_failures:
            self._consecutive_failures = 0
        if not self.available:
            self.stats.recoveries += 1
            self._set_available(available=True)

    @callback
    def _async_failed(self, err: Pca9685Error) -> None:
        self.stats.failures += 1
        self.stats.last_error = str(err)
        self._consecutive_failures += 1
        if self._consecutive_failures >= FAILURES_BEFORE_UNAVAILABLE:
            self._set_available(available=False)
        if self._closed or self._retry_cancel is not None:
            return
        delay = min(RETRY_BACKOFF_MAX, 0.5 * 2 ** (self._consecutive_failures - 1))
        self._retry_cancel = async_call_later(self.hass, delay, self._async_retry)

    @callback
    def _async_retry(self, _now: datetime) -> None:
        self._retry_cancel = None
        self.stats.retries += 1
        if not self._pending:
            self._pending = self._all_duties()
        self._async_start_flush()

    # -- read-back
    async def _async_readback(self, _now: datetime | None = None) -> None:
        """Notice a board that lost power or stopped answering, and restore it."""
        if self._closed or self._write_task is not None or self._retry_cancel is not None:
            return
        try:
            async with self._lock:
                reset = await self.hass.async_add_executor_job(self.driver.is_reset)
                if reset:
                    self.stats.resets_detected += 1
                    self.stats.last_reset = dt_util.utcnow()
                    LOGGER.warning(
                        "Board %s lost its configuration (power cut or reset); restoring every output",
                        self.name,
                    )
                    await self.hass.async_add_executor_job(self._resync, self._all_duties())
        except Pca9685Error as err:
            self._async_failed(err)
            return
        self._async_succeeded()

    async def async_read_registers(self) -> dict[str, Any]:
        """Read the configuration and every duty back, for diagnostics."""
        async with self._lock:
            state = await self.hass.async_add_executor_job(self.driver.read_state)
            duties = await self.hass.async_add_executor_job(self.driver.read_duties)
        return {
            "mode1": f"{state.mode1:#04x}",
            "mode2": f"{state.mode2:#04x}",
            "prescale": state.prescale,
            "duties": duties,
        }
