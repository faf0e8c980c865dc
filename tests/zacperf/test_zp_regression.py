from __future__ import annotations

import pytest

from zacperf import regression


def test_mann_whitney_exact_small_samples():
    assert regression.mann_whitney_p([1, 2, 3], [4, 5, 6]) == pytest.approx(0.1)        # 2 of 20 orderings
    assert regression.mann_whitney_p([1, 2, 3, 4], [5, 6, 7, 8]) == pytest.approx(2 / 70)
    assert regression.mann_whitney_p([1, 3, 5], [2, 4, 6]) > 0.5
    assert regression.mann_whitney_p([], [1]) == 1.0
    assert regression.mann_whitney_p([10.1, 10.3, 9.9, 10.2, 10.0], [10.9, 11.2, 10.8, 11.0, 11.1]) == \
        pytest.approx(2 / 252)                                                          # fully separated
    assert regression.mann_whitney_p([1.0, 1.0, 2.0], [1.0, 2.0, 2.0]) > 0.3             # ties: no false alarm


def test_regression_gate_needs_factor_and_significance():
    base = [10.0, 10.1, 9.9, 10.05, 9.95]
    slower = regression.check_regression([11.5, 11.6, 11.4, 11.55, 11.45], base, 10, "engine_s")
    assert slower.slower and slower.p_value < 0.05 and "SLOWER" in slower.message
    noisy = regression.check_regression([11.5, 9.0, 12.5], [10.0, 11.9, 9.2], 10, "engine_s")
    assert not noisy.slower                                             # median +15 % but not significant
    within = regression.check_regression([10.5], [10.0], 10, "wall_s")
    assert not within.slower and within.p_value is None and "factor only" in within.message
    assert regression.check_regression([12.0], [10.0], 10, "wall_s").slower
    assert not regression.check_regression([12.0], [], 10, "wall_s").slower


def test_paired_speedup_and_timing_choice():
    result = regression.paired_speedup([2.0, 2.2, 1.8], [1.0, 1.0, 1.0])
    assert result["median_speedup"] == 2.0 and result["pairs"] == 3
    assert regression.paired_speedup([], [])["median_speedup"] is None
    assert regression.timing_samples([{"engine_s": 1.0, "wall_s": 2.0}, {"engine_s": 1.5, "wall_s": 2.5}]) == \
        ("engine_s", [1.0, 1.5])
    assert regression.timing_samples([{"engine_s": None, "wall_s": 2.0}]) == ("wall_s", [2.0])
