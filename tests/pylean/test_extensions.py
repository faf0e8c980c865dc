"""Extensions.RoundToSignificantDigits as Python calls it (Common/Extensions.cs): scale to the leading
digit, decimal banker's rounding, back to a float."""
from __future__ import annotations

from pylean.algorithm_imports import Extensions


def test_round_to_significant_digits_rounds_half_to_even_in_decimal() -> None:
    assert Extensions.round_to_significant_digits(143.6149, 5) == 143.61
    assert Extensions.RoundToSignificantDigits(143.6151, 5) == 143.62
    assert Extensions.round_to_significant_digits(0.125, 2) == 0.12     # half to even, not away from zero
    assert Extensions.round_to_significant_digits(0.135, 2) == 0.14
    assert Extensions.round_to_significant_digits(-1234.5, 3) == -1230.0
    assert Extensions.round_to_significant_digits(0, 3) == 0.0
