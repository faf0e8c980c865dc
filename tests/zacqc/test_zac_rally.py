"""RallyDetector on hand-made 1-second samples."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from config.parameters import TradingParameters
from management.rally_detector import MAX_SAMPLES, RallyDetector, RallySample, long_gate, short_gate

T0 = datetime(2025, 10, 1, 11, 0)
P = TradingParameters()


def samples(prices: list[tuple[float, float]], start: datetime = T0, step: int = 15) -> list[RallySample]:
    """(high, low) pairs, one sample every `step` seconds."""
    return [RallySample(start + timedelta(seconds=step * i), h, lo, (h + lo) / 2, (h + lo) / 2)
            for i, (h, lo) in enumerate(prices)]


def long_shape(bounce: float, pullback: float, n_down: int = 6, n_up: int = 6) -> list[tuple[float, float]]:
    """Down to a low of 100, up to 100 + bounce, last sample pulled back by `pullback`."""
    down = [(101.0 - i * 0.1, 100.9 - i * 0.15) for i in range(n_down - 1)] + [(100.01, 100.0)]
    up = [(100.0 + bounce * (i + 1) / n_up, 100.05 + bounce * i / n_up) for i in range(n_up)]
    top = 100.0 + bounce
    return down + up + [(top - pullback + 0.01, top - pullback)]


def test_long_gate_passes_inside_the_band() -> None:
    # today's range 2 % (mrp): a 0.2 % bounce is X = 0.1; a 0.1 % pull-back is Y = 0.05
    s = samples(long_shape(bounce=0.2, pullback=0.1))
    assert long_gate(s, mrp=2.0, range_mult=1.0, params=P) == (True, False)


def test_long_gate_resets_above_x_max_and_fails_below_x_min() -> None:
    assert long_gate(samples(long_shape(bounce=0.5, pullback=0.1)), 2.0, 1.0, P) == (False, True)
    assert long_gate(samples(long_shape(bounce=0.05, pullback=0.04)), 2.0, 1.0, P) == (False, False)


def test_long_gate_needs_a_pullback() -> None:
    assert long_gate(samples(long_shape(bounce=0.2, pullback=0.01)), 2.0, 1.0, P)[0] is False


def test_duration_rule_applies_only_on_wide_days() -> None:
    s = samples(long_shape(bounce=0.2, pullback=0.1))  # low at sample 5, last at 12: 105 s
    assert long_gate(s, 2.0, 1.3, P)[0] is True       # not above the 1.3 threshold
    assert long_gate(s, 2.0, 1.31, P)[0] is False
    slow = samples(long_shape(bounce=0.2, pullback=0.1), step=60)  # 7 minutes exactly
    assert long_gate(slow, 2.0, 2.0, P)[0] is True


def test_too_few_samples_or_no_range() -> None:
    s = samples(long_shape(bounce=0.2, pullback=0.1))
    assert long_gate(s[:9], 2.0, 1.0, P) == (False, False)
    assert long_gate(s, 0.0, 1.0, P) == (False, False) and long_gate(s, None, 1.0, P) == (False, False)


def test_arithmetic_failure_resets() -> None:
    s = samples([(1.0, 0.0)] * 12)
    assert long_gate(s, 2.0, 1.0, P) == (False, True)


def test_short_gate_mirrors_long() -> None:
    mirrored = [(200.0 - lo, 200.0 - h) for h, lo in long_shape(bounce=0.2, pullback=0.1)]
    assert short_gate(samples(mirrored), 2.0, 1.0, P) == (True, False)
    mirrored_far = [(200.0 - lo, 200.0 - h) for h, lo in long_shape(bounce=0.5, pullback=0.1)]
    assert short_gate(samples(mirrored_far), 2.0, 1.0, P) == (False, True)


def test_first_extremes_are_used() -> None:
    # two equal lows: the first one anchors the rally (and its duration)
    shape = [(100.05, 100.0)] + [(100.08, 100.05)] * 4 + [(100.05, 100.0)] + [(100.1, 100.08)] * 5 \
        + [(100.1, 100.07)]
    s = samples(shape, step=60)
    assert long_gate(s, 1.0, 2.0, P) == (True, False)  # 11 minutes from the first low; 6 from the second


def test_add_sample_session_bounds_and_pruning() -> None:
    rally = RallyDetector(P, memoize=False)
    rally.add_sample(datetime(2025, 10, 1, 9, 29, 59), 1, 1, 1, 1)
    rally.add_sample(datetime(2025, 10, 1, 15, 59, 1), 1, 1, 1, 1)
    assert rally.samples == []
    rally.add_sample(datetime(2025, 10, 1, 9, 30), 1, 1, 1, 1)
    rally.add_sample(datetime(2025, 10, 1, 13, 30), 1, 1, 1, 1)
    rally.add_sample(datetime(2025, 10, 1, 13, 31), 1, 1, 1, 1)
    assert [s.time.hour for s in rally.samples] == [13, 13]  # older than 4 hours dropped
    rally.add_sample(datetime(2025, 10, 2, 9, 30), 1, 1, 1, 1)
    assert len(rally.samples) == 1  # another day
    for i in range(MAX_SAMPLES + 5):
        rally.add_sample(datetime(2025, 10, 2, 10, 0) + timedelta(seconds=i), 1, 1, 1, 1)
    assert len(rally.samples) == MAX_SAMPLES
    rally.reset()
    assert rally.samples == []


@pytest.mark.parametrize("memoize", [False, True])
def test_detector_gates_same_with_or_without_memo(memoize: bool) -> None:
    rally = RallyDetector(P, memoize=memoize)
    for sample in samples(long_shape(bounce=0.2, pullback=0.1)):
        rally.add_sample(sample.time, sample.high, sample.low, sample.close, sample.open)
        assert rally.long_gate(2.0, 1.0) == long_gate(rally.samples, 2.0, 1.0, P)
        assert rally.short_gate(2.0, 1.0) == short_gate(rally.samples, 2.0, 1.0, P)
    assert rally.long_gate(2.0, 1.0) == (True, False)
