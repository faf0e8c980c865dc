"""Tests for pylean/data/interest_rate.py (Lean InterestRateProvider, spec 4.4)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from pylean.data.interest_rate import InterestRateProvider


def test_rates_from_the_data_folder(lean_data: Path) -> None:
    rates = InterestRateProvider.from_data_folder(lean_data)
    assert rates.rate(date(2013, 10, 7)) == Decimal("0.0075")
    assert rates.rate(date(2010, 2, 19)) == Decimal("0.0075")
    assert rates.rate(date(2015, 12, 17)) == Decimal("0.01")
    assert rates.rate(date(2023, 7, 26)) == Decimal("0.0525")
    assert rates.rate(date(2023, 7, 27)) == Decimal("0.055")
    assert rates.rate(date(2025, 10, 1)) == Decimal("0.055")  # the last row carries forward
    assert rates.rate(date(1998, 1, 2)) == Decimal("0.0225")  # before the first row: its value


def test_missing_file_defaults_to_one_percent(tmp_path: Path) -> None:
    assert InterestRateProvider.from_data_folder(tmp_path).rate(date(2013, 10, 7)) == Decimal("0.01")
