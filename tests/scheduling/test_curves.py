"""Level math: CIE lightness <-> luminance, and ramps."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, strategies as st
import pytest

from custom_components.bellas_reef.scheduling import (
    RampCurve,
    lightness_to_luminance,
    luminance_to_lightness,
    ramp_level_at,
)

from .factory import utc


@pytest.mark.parametrize(
    ("lightness", "luminance"),
    [
        (0, 0.0),
        (4, 4 / 903.3),
        (8, 8 / 903.3),
        (50, (66 / 116) ** 3),  # 0.1842: half lightness is under a fifth of the light
        (100, 1.0),
        (-3, 0.0),  # clamped
        (100.000001, 1.0),
    ],
)
def test_lightness_to_luminance(lightness, luminance):
    assert lightness_to_luminance(lightness) == pytest.approx(luminance)


def test_the_two_branches_meet_at_eight():
    assert pytest.approx(8 / 903.3, rel=1e-4) == ((8 + 16) / 116) ** 3
    assert luminance_to_lightness(8 / 903.3) == pytest.approx(8)


@pytest.mark.parametrize(
    ("luminance", "lightness"), [(0, 0), (1, 100), (-0.5, 0), (2, 100), ((66 / 116) ** 3, 50)]
)
def test_luminance_to_lightness(luminance, lightness):
    assert luminance_to_lightness(luminance) == pytest.approx(lightness)


@given(st.floats(0, 100))
def test_lightness_round_trip(lightness):
    assert luminance_to_lightness(lightness_to_luminance(lightness)) == pytest.approx(lightness, abs=1e-9)


@given(st.floats(0, 1))
def test_luminance_round_trip(luminance):
    assert lightness_to_luminance(luminance_to_lightness(luminance)) == pytest.approx(luminance, abs=1e-12)


@given(st.floats(0, 100), st.floats(0, 100))
def test_luminance_is_monotonic(low, high):
    low, high = sorted((low, high))
    assert lightness_to_luminance(low) <= lightness_to_luminance(high)


START = utc(2027, 6, 1, 7)


@pytest.mark.parametrize(
    ("seconds", "level"),
    [(-1, 10), (0, 10), (900, 27.5), (1800, 45), (3599, 10 + 70 * 3599 / 3600), (3600, 80), (99999, 80)],
)
def test_perceptual_ramp(seconds, level):
    assert ramp_level_at(10, 80, START, 3600, START + timedelta(seconds=seconds)) == pytest.approx(level)


def test_ramp_down_and_zero_duration():
    assert ramp_level_at(80, 0, START, 100, START + timedelta(seconds=25)) == pytest.approx(60)
    assert ramp_level_at(80, 0, START, 0, START) == 0
    assert ramp_level_at(80, 0, START, 0, START - timedelta(microseconds=1)) == 80


def test_linear_ramp_is_linear_in_light_output():
    middle = START + timedelta(seconds=50)
    level = ramp_level_at(0, 100, START, 100, middle, curve=RampCurve.LINEAR)
    assert lightness_to_luminance(level) == pytest.approx(0.5)
    assert level == pytest.approx(76.07, abs=0.01)  # half the light looks three quarters bright
    assert ramp_level_at(0, 100, START, 100, middle, curve="linear") == level
    assert ramp_level_at(0, 100, START, 100, middle, curve="perceptual") == pytest.approx(50)
    quarter = ramp_level_at(100, 20, START, 100, START + timedelta(seconds=25), curve=RampCurve.LINEAR)
    expected = 0.75 * 1.0 + 0.25 * lightness_to_luminance(20)
    assert lightness_to_luminance(quarter) == pytest.approx(expected)


def test_unknown_curve_is_refused():
    with pytest.raises(ValueError, match="cubic"):
        ramp_level_at(0, 100, START, 100, START + timedelta(seconds=1), curve="cubic")


@given(
    st.floats(0, 100),
    st.floats(0, 100),
    st.floats(1, 86_400),
    st.floats(-10, 90_000),
    st.sampled_from(list(RampCurve)),
)
def test_ramp_stays_between_its_ends(start_level, end_level, duration, offset, curve):
    level = ramp_level_at(
        start_level, end_level, START, duration, START + timedelta(seconds=offset), curve=curve
    )
    low, high = sorted((start_level, end_level))
    assert low - 1e-9 <= level <= high + 1e-9
