"""The nightly gate's decision rule on fixed samples: ratio beyond the factor AND Mann-Whitney p < alpha."""
from __future__ import annotations

import pytest

from zacperf.nightly.gate import decide

BASE = [1.00, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97]


def test_a_clear_regression_is_flagged_with_ratio_and_p_value():
    result = decide("cpu_norm", [1.10, 1.12, 1.09, 1.11, 1.13], BASE)
    assert result.verdict == "regression" and result.regression
    assert result.ratio == pytest.approx(1.11 / 1.00)
    assert result.p_value < 0.01
    assert "REGRESSION, ratio 1.110" in result.text() and "Mann-Whitney p=" in result.text()


def test_noise_with_a_high_median_is_not_flagged_when_the_samples_overlap():
    # median ratio 1.06 > factor, but the samples mix with the baseline's: not significant
    result = decide("cpu_norm", [1.06, 0.97, 1.12, 0.99, 1.08], BASE)
    assert result.ratio > 1.05 and result.p_value >= 0.05
    assert result.verdict == "unchanged" and not result.regression


def test_a_significant_but_small_shift_is_not_flagged():
    result = decide("cpu_norm", [1.035, 1.04, 1.045, 1.04, 1.038], BASE)
    assert result.p_value < 0.05 and result.ratio < 1.05
    assert result.verdict == "unchanged"


def test_a_clear_improvement_is_reported_as_such():
    result = decide("cpu_norm", [0.80, 0.82, 0.79, 0.81, 0.83], BASE)
    assert result.verdict == "improvement" and not result.regression and result.ratio < 1 / 1.05


def test_too_few_samples_is_insufficient_never_a_regression():
    result = decide("cpu_norm", [2.0, 2.1, 2.2], BASE)
    assert result.verdict == "insufficient" and result.ratio is None and not result.regression


def test_bad_factor_is_refused():
    with pytest.raises(ValueError):
        decide("cpu_norm", BASE, BASE, factor=1.0)
