"""Time.multiply, Extensions.to_time_span and Math: the helpers Lean's Python framework modules call."""
from __future__ import annotations

from datetime import timedelta

import pytest

from pylean.algorithm_imports import Extensions, Math, Resolution, Time


def test_to_time_span_is_the_bar_length_of_a_resolution() -> None:
    assert Extensions.to_time_span(Resolution.HOUR) == timedelta(hours=1)
    assert Extensions.ToTimeSpan(Resolution.DAILY) == timedelta(days=1)
    assert Extensions.to_time_span(Resolution.TICK) == timedelta(0)


def test_time_multiply_scales_and_truncates_to_a_whole_tick() -> None:
    assert Time.multiply(timedelta(hours=1), 14) == timedelta(hours=14)
    assert Time.Multiply(timedelta(minutes=1), 2.5) == timedelta(minutes=2, seconds=30)
    assert Time.multiply(timedelta(microseconds=3), 0.5) == timedelta(microseconds=1)


def test_math_spells_system_math() -> None:
    assert Math.abs(-0.005) == 0.005 and Math.Abs(-2) == 2
    assert Math.round(2.5) == 2 and Math.round(3.5) == 4  # to even, as .NET
    assert Math.sign(-3.0) == -1 and Math.max(1, 4) == 4
    with pytest.raises(ArithmeticError):
        Math.sign(float("nan"))
