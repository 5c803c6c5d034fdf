"""One output of a board: its level, the duty that level needs, and transitions between levels.

Transitions are event driven. The level moves linearly in time on the perceptual scale, and the next timer is
set for the instant the 12-bit duty actually changes (at most 50 times a second), so a ten-second fade writes
every step it can show and a half-hour sunrise walks through every count of 4096 without a fixed tick. A new
command cancels the running transition and starts from the level reached. Scheduled ramps (``async_ramp``)
use the same mechanism, and may start in the past: after a restart a ramp resumes where it should be now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .const import (
    CONF_CHANNEL,
    CONF_CURVE,
    CONF_INVERT,
    CONF_KIND,
    CONF_MAX_DUTY,
    CONF_MIN_DUTY,
    CONF_ON_DUTY,
    CONF_STARTUP,
    CONF_TRANSITION,
    CURVE_PERCEPTUAL,
    DEFAULT_TRANSITION,
    KIND_LIGHT,
    STARTUP_RESTORE,
    TRANSITION_MIN_STEP,
)
from .driver.dimming import Curve, DutyMap, lightness_to_luminance
from .driver.pca9685 import RESOLUTION
from .scheduling.const import RampCurve
from .scheduling.curves import ramp_level_at, smoothstep_inverse

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .board import Board


@dataclass(frozen=True, slots=True)
class ChannelConfig:
    """A channel as its subentry describes it."""

    subentry_id: str
    name: str
    number: int
    kind: str
    invert: bool = False
    min_duty: float = 0.0
    max_duty: float = 100.0
    curve: Curve = "perceptual"
    transition: float = DEFAULT_TRANSITION
    on_duty: float = 100.0
    startup: str = STARTUP_RESTORE

    @classmethod
    def from_subentry(cls, subentry_id: str, title: str, data: Mapping[str, Any]) -> ChannelConfig:
        """Build from subentry data (the config flow guarantees the fields)."""
        return cls(
            subentry_id=subentry_id,
            name=title,
            number=int(data[CONF_CHANNEL]),
            kind=str(data[CONF_KIND]),
            invert=bool(data.get(CONF_INVERT, False)),
            min_duty=float(data.get(CONF_MIN_DUTY, 0.0)),
            max_duty=float(data.get(CONF_MAX_DUTY, 100.0)),
            curve="linear" if data.get(CONF_CURVE, CURVE_PERCEPTUAL) == "linear" else "perceptual",
            transition=float(data.get(CONF_TRANSITION, DEFAULT_TRANSITION)),
            on_duty=float(data.get(CONF_ON_DUTY, 100.0)),
            startup=str(data.get(CONF_STARTUP, STARTUP_RESTORE)),
        )

    @property
    def duty_map(self) -> DutyMap:
        """Levels to duties: a light's curve and window; a switch is linear, its on level is ``on_duty``."""
        if self.kind == KIND_LIGHT:
            return DutyMap(self.min_duty, self.max_duty, self.curve, self.invert)
        return DutyMap(0.0, 100.0, "linear", self.invert)


@dataclass(slots=True)
class _Ramp:
    """A ramp in time: linear in level (``perceptual``), eased in level (``smooth``) or linear in output."""

    start_level: float
    end_level: float
    start: datetime
    duration: float
    curve: RampCurve = RampCurve.PERCEPTUAL

    def level_at(self, when: datetime) -> float:
        return ramp_level_at(
            self.start_level, self.end_level, self.start, self.duration, when, curve=self.curve
        )

    def time_of(self, level: float) -> datetime:
        if self.curve is RampCurve.LINEAR:
            low, high = lightness_to_luminance(self.start_level), lightness_to_luminance(self.end_level)
            fraction = (lightness_to_luminance(level) - low) / (high - low)
        else:
            fraction = (level - self.start_level) / (self.end_level - self.start_level)
            if self.curve is RampCurve.SMOOTH:
                fraction = smoothstep_inverse(fraction)
        return self.start + timedelta(seconds=fraction * self.duration)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.duration)


class ChannelController:
    """The desired level of one output and the duty written for it."""

    def __init__(self, hass: HomeAssistant, board: Board, config: ChannelConfig) -> None:
        """Attach to a board; the level starts at 0 until the entity restores or sets it."""
        self.hass = hass
        self.board = board
        self.config = config
        self.map = config.duty_map
        self.level = 0.0
        self.target_level = 0.0
        self.last_on_level = 100.0
        self.duty = self.map.duty(0.0)
        self._synced = False  # the first level set is always written: the chip may hold anything
        self._ramp: _Ramp | None = None
        self._timer: CALLBACK_TYPE | None = None
        self._generation = 0  # bumped by every new command: a timer of an earlier one does nothing
        self._listeners: list[Callable[[], None]] = []

    @property
    def is_on(self) -> bool:
        """Whether the channel is (or is heading) above zero."""
        return self.target_level > 0

    @property
    def on_level(self) -> float:
        """The level ``on`` goes to: a light's last level above zero, a switch's on duty."""
        return self.last_on_level if self.config.kind == KIND_LIGHT else self.config.on_duty

    @property
    def in_transition(self) -> bool:
        """Whether a transition or ramp is running."""
        return self._ramp is not None

    @callback
    def async_add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call ``listener`` when a command changes the target, and when a transition ends."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @callback
    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()

    @callback
    def _apply(self, level: float) -> None:
        self.level = level
        duty = self.map.duty(level)
        if duty != self.duty or not self._synced:
            self.duty = duty
            self._synced = True
            self.board.async_set_duty(self.config.number, duty)

    @callback
    def async_cancel_transition(self) -> None:
        """Stop a running transition where it is."""
        self._generation += 1
        if self._timer is not None:
            self._timer()
            self._timer = None
        self._ramp = None

    @callback
    def async_set_level(self, level: float, transition: float = 0.0) -> None:
        """Go to ``level`` (0-100) now or over ``transition`` seconds, from the level reached so far."""
        self.async_ramp(self.level, level, transition, dt_util.utcnow())

    @callback
    def async_force_duty(self, duty: int) -> None:
        """Write a raw duty (0..4096, before inversion) and take the level that matches it."""
        self.async_cancel_transition()
        level = 0.0 if duty <= 0 else self.map.level_for(float(duty))
        self.level = self.target_level = level
        if level > 0:
            self.last_on_level = level
        written = RESOLUTION - duty if self.map.invert else duty
        if written != self.duty or not self._synced:
            self.duty = written
            self._synced = True
            self.board.async_set_duty(self.config.number, written)
        self._notify()

    @callback
    def async_ramp(
        self,
        start_level: float,
        end_level: float,
        duration: float,
        started: datetime,
        curve: RampCurve = RampCurve.PERCEPTUAL,
    ) -> None:
        """Move from ``start_level`` to ``end_level`` over ``duration`` seconds counted from ``started``.

        A ``started`` in the past resumes a ramp where it should be now (after a restart).
        """
        self.async_cancel_transition()
        end_level = min(100.0, max(0.0, end_level))
        start_level = min(100.0, max(0.0, start_level))
        self.target_level = end_level
        if end_level > 0:
            self.last_on_level = end_level
        if duration <= 0 or start_level == end_level:
            self._apply(end_level)
            self._notify()
            return
        self._ramp = _Ramp(start_level, end_level, started, duration, RampCurve(curve))
        self._notify()
        self._step()

    @callback
    def _step(self, _scheduled: datetime | None = None) -> None:
        # The clock, not the instant the timer was set for: a late timer must not leave the ramp behind.
        now = dt_util.utcnow()
        self._timer = None
        ramp = self._ramp
        if ramp is None:  # cancelled while the timer was already due
            return
        if now >= ramp.end:
            self._ramp = None
            self._apply(ramp.end_level)
            self._notify()
            return
        self._apply(ramp.level_at(now))
        change = self.map.next_change(self.level, ramp.end_level)
        when = ramp.end if change is None else min(ramp.end, ramp.time_of(change))
        when = max(when, now + timedelta(seconds=TRANSITION_MIN_STEP))
        self._timer = async_track_point_in_utc_time(
            self.hass, partial(self._timed_step, self._generation), when
        )

    @callback
    def _timed_step(self, generation: int, _now: datetime) -> None:
        """A ramp's timer: it steps only the ramp it was set for (a newer command may have replaced it)."""
        if generation == self._generation:
            self._step()
