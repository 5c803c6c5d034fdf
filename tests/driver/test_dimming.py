"""Levels to 12-bit duties: the CIE curve, the duty window, inversion, and where the duty changes next."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.bellas_reef.driver.dimming import (
    DutyMap,
    lightness_to_luminance,
    luminance_to_lightness,
)


@pytest.mark.parametrize(
    ("lightness", "luminance"),
    [(0, 0.0), (8, 8 / 903.3), (50, ((50 + 16) / 116) ** 3), (100, 1.0)],
)
def test_cie_curve(lightness: float, luminance: float) -> None:
    assert lightness_to_luminance(lightness) == pytest.approx(luminance)
    assert luminance_to_lightness(luminance) == pytest.approx(lightness)


def test_duty_ends_and_window() -> None:
    plain = DutyMap()
    assert plain.duty(0) == 0
    assert plain.duty(100) == 4096
    assert plain.duty(0.001) == 1  # above zero is never off
    assert plain.duty(50) == round(lightness_to_luminance(50) * 4096)
    window = DutyMap(min_duty=10, max_duty=50, curve="linear")
    assert window.duty(0) == 0
    assert window.duty(0.01) == round(409.6 + 0.0001 * 1638.4)
    assert window.duty(100) == 2048
    inverted = DutyMap(invert=True)
    assert inverted.duty(0) == 4096
    assert inverted.duty(100) == 0
    assert DutyMap(min_duty=50, max_duty=50).level_for(2048) == 0.0  # no span: everything is the one duty


levels = st.floats(min_value=0, max_value=100, allow_nan=False)
maps = st.builds(
    DutyMap,
    min_duty=st.sampled_from([0.0, 0.5, 5.0]),
    max_duty=st.sampled_from([100.0, 60.0]),
    curve=st.sampled_from(["perceptual", "linear"]),
    invert=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(duty_map=maps, a=levels, b=levels)
def test_duty_is_monotonic(duty_map: DutyMap, a: float, b: float) -> None:
    low, high = sorted((a, b))
    logical = (lambda d: 4096 - d) if duty_map.invert else (lambda d: d)
    assert logical(duty_map.duty(low)) <= logical(duty_map.duty(high))


@settings(max_examples=300, deadline=None)
@given(duty_map=maps, level=levels, towards=levels)
def test_next_change_is_where_the_duty_changes(duty_map: DutyMap, level: float, towards: float) -> None:
    change = duty_map.next_change(level, towards)
    current = duty_map.duty(level)
    if change is None:
        # nothing changes on the way (or only at the very end, which the ramp writes itself)
        for step in range(1, 20):
            probe = level + (towards - level) * step / 20
            assert duty_map.duty(probe) == current
        return
    low, high = sorted((level, towards))
    assert low <= change <= high
    # just past the change point (in the direction of travel) the duty differs ...
    direction = 1 if towards > level else -1
    past = change + direction * 1e-6
    if low <= past <= high:
        assert duty_map.duty(past) != current or change == 0.0
    # ... and before it, it does not
    if change == level == 0.0:
        return
    for step in range(1, 10):
        probe = level + (change - level) * step / 10 * 0.999
        assert duty_map.duty(probe) == current


def test_next_change_edges() -> None:
    plain = DutyMap()
    assert plain.next_change(10, 10) is None
    assert plain.next_change(0, 0) is None
    assert plain.next_change(0, 50) == 0.0
    assert plain.next_change(0.05, 0) == 0.0  # at the minimum duty the next step down is off
    assert plain.next_change(0.05, 0.01) is None
    assert plain.next_change(100, 99.999) is None or plain.duty(99.999) != 4096
