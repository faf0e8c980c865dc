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


def test_convert_between_utc_and_an_exchange_zone() -> None:
    from datetime import datetime

    summer, winter = datetime(2013, 10, 7, 13, 30), datetime(2013, 12, 2, 14, 30)
    assert Extensions.convert_from_utc(summer, "America/New_York") == datetime(2013, 10, 7, 9, 30)
    assert Extensions.ConvertFromUtc(winter, "America/New_York") == datetime(2013, 12, 2, 9, 30)
    assert Extensions.convert_to_utc(datetime(2013, 10, 7, 9, 30), "America/New_York") == summer
