"""Level math for ramps and light curves.

**A level is a perceptual percentage**: 0-100 on the CIE 1976 lightness scale L*, so 50 % looks half as bright
as 100 % to the eye. Schedules, presets and ramps all speak in levels; the channel layer maps a level to a PWM
duty through the channel's curve (for a perceptual channel ``duty = lightness_to_luminance(level)``). The
``set_pwm`` action is the one escape hatch that talks raw duty.

Ramps come in three shapes (``RampCurve``):

* ``perceptual`` (the default): the level moves linearly in time, so the light *looks* like it changes at a
  steady pace - what a reef sunrise should look like;
* ``linear``: the light *output* (luminance, i.e. duty on a perceptual channel) moves linearly in time, which
  looks fast at the dark end; the level returned is still on the perceptual scale;
* ``smooth``: the level eases in and out on the perceptual scale, ``a + (b - a) * s(t)`` with the smoothstep
  ``s(t) = 3t² - 2t³``: no change of pace at either end, so a profile's points join without a kink.

Either way ``ramp_level_at`` returns a level, so the channel layer never needs to know how a ramp was shaped.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..driver.dimming import lightness_to_luminance, luminance_to_lightness
from .const import RampCurve

if TYPE_CHECKING:
    from datetime import datetime

# The CIE curve is the channel layer's (driver.dimming); schedules use the same one.
__all__ = [
    "lightness_to_luminance",
    "luminance_to_lightness",
    "ramp_fraction_at",
    "ramp_level_at",
    "smoothstep",
    "smoothstep_inverse",
]


def smoothstep(fraction: float) -> float:
    """``3t² - 2t³`` on [0, 1]: from 0 to 1 with zero slope at both ends."""
    return fraction * fraction * (3.0 - 2.0 * fraction)


def smoothstep_inverse(value: float) -> float:
    """The ``t`` in [0, 1] with ``smoothstep(t) == value`` (the cubic's root in closed form)."""
    value = min(1.0, max(0.0, value))
    return 0.5 - math.sin(math.asin(1.0 - 2.0 * value) / 3.0)


def ramp_fraction_at(fraction: float, curve: RampCurve | str) -> float:
    """How far along its levels (0..1) a perceptual or smooth ramp is at ``fraction`` of its time."""
    return smoothstep(fraction) if RampCurve(curve) is RampCurve.SMOOTH else fraction


def ramp_level_at(
    start_level: float,
    end_level: float,
    start: datetime,
    duration: float,
    instant: datetime,
    *,
    curve: RampCurve | str = RampCurve.PERCEPTUAL,
) -> float:
    """Return the level (perceptual %) of a ramp at ``instant``.

    The ramp leaves ``start_level`` at ``start`` and reaches ``end_level`` after ``duration`` seconds (real
    time, so a DST jump in the middle does not bend it). Before ``start`` it is at ``start_level``, after the
    end at ``end_level``; a duration of 0 or less is a step at ``start``. ``curve`` picks the shape (module
    docstring): perceptual is ``a + (b - a) * t``, smooth ``a + (b - a) * s(t)``, linear interpolates
    luminance and converts back.
    """
    elapsed = (instant - start).total_seconds()
    if elapsed < 0:
        return start_level
    if duration <= 0 or elapsed >= duration:
        return end_level
    fraction = elapsed / duration
    if RampCurve(curve) is RampCurve.LINEAR:
        low = lightness_to_luminance(start_level)
        high = lightness_to_luminance(end_level)
        return luminance_to_lightness(low + (high - low) * fraction)
    return start_level + (end_level - start_level) * ramp_fraction_at(fraction, curve)
