"""From a channel's level (0-100 %) to a 12-bit duty and back, with the CIE 1976 lightness (L*) curve.

A level is a *perceptual* percentage: with the ``perceptual`` curve, 50 % looks half as bright, which takes
about 18 % of the light. CIE 1976 L*: luminance ``Y = L / 903.3`` for ``L <= 8``,
else ``((L + 16) / 116) ** 3``.
Every level above 0 maps into the channel's ``[minimum, maximum]`` duty window with the full 12-bit
resolution, because at the dark end one count more can double the light; 0 % is always full off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .pca9685 import RESOLUTION

Curve = Literal["perceptual", "linear"]

KAPPA = 903.3  # CIE: (29/3) ** 3, rounded as the standard gives it
LINEAR_LIGHTNESS_LIMIT = 8.0  # below L* = 8 the curve is a straight line
LINEAR_LUMINANCE_LIMIT = LINEAR_LIGHTNESS_LIMIT / KAPPA


def lightness_to_luminance(lightness: float) -> float:
    """CIE 1976 lightness L* (0-100) to relative luminance Y (0-1).

    Inputs are clamped to 0..100 so that float noise from interpolation (100.00000000001) cannot push a duty
    past full scale.
    """
    level = min(100.0, max(0.0, lightness))
    if level <= LINEAR_LIGHTNESS_LIMIT:
        return level / KAPPA
    root = (level + 16.0) / 116.0
    return root * root * root


def luminance_to_lightness(luminance: float) -> float:
    """Relative luminance Y (0-1) to CIE 1976 lightness L* (0-100), the inverse of the above.

    The two branches meet at Y = 8 / 903.3, so the round trip is exact to float precision on both sides.
    """
    value = min(1.0, max(0.0, luminance))
    if value <= LINEAR_LUMINANCE_LIMIT:
        return float(value * KAPPA)
    return min(100.0, max(0.0, 116.0 * float(value ** (1.0 / 3.0)) - 16.0))


@dataclass(frozen=True, slots=True)
class DutyMap:
    """How one channel turns levels into duties.

    ``min_duty`` and ``max_duty`` are percentages of the period: LED drivers that flicker below some duty
    get a minimum, and a maximum caps the current. ``invert`` is for drivers whose dimming input is
    active low.
    """

    min_duty: float = 0.0
    max_duty: float = 100.0
    curve: Curve = "perceptual"
    invert: bool = False

    @property
    def low(self) -> float:
        """The lowest duty (counts) a level above zero gets."""
        return self.min_duty * RESOLUTION / 100.0

    @property
    def high(self) -> float:
        """The duty (counts) at 100 %."""
        return self.max_duty * RESOLUTION / 100.0

    def _fraction(self, level: float) -> float:
        if self.curve == "linear":
            return level / 100.0
        return lightness_to_luminance(level)

    def exact_duty(self, level: float) -> float:
        """The unrounded duty (counts, before inversion) for a level above 0."""
        level = min(100.0, max(0.0, level))
        return self.low + self._fraction(level) * (self.high - self.low)

    def duty(self, level: float) -> int:
        """The duty (0..4096) written for a level: 0 % is full off, anything above at least one count."""
        logical = 0 if level <= 0 else max(1, min(RESOLUTION, round(self.exact_duty(level))))
        return RESOLUTION - logical if self.invert else logical

    def level_for(self, exact_duty: float) -> float:
        """The level at which ``exact_duty`` (counts, before inversion) is reached; the inverse of above."""
        span = self.high - self.low
        fraction = 0.0 if span <= 0 else min(1.0, max(0.0, (exact_duty - self.low) / span))
        if self.curve == "linear":
            return fraction * 100.0
        return luminance_to_lightness(fraction)

    def next_change(self, level: float, towards: float) -> float | None:
        """The level between ``level`` and ``towards`` where the written duty next changes, if any.

        From 0 upwards that is 0 itself: any level above it lights the channel.
        This is what lets a transition write only when the 12-bit duty actually changes: the caller turns
        the level into a time and sleeps until then.
        """
        if towards == level:
            return None
        current = self.duty(level)
        rising = towards > level
        if level <= 0:
            return 0.0 if rising else None  # any level above zero is at least one count
        logical = RESOLUTION - current if self.invert else current
        threshold = logical + 0.5 if rising else logical - 0.5
        target = self.level_for(threshold)
        if rising:
            return target if target <= towards else None
        # Going down, the last step is the jump from the minimum duty to off at level 0.
        if target <= max(towards, 0.0) or target >= level:
            return 0.0 if towards <= 0 else None
        return target
