"""Tests for pylean/data/factors.py (Lean MapFile, CorporateFactorProvider, Extensions.Scale)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from pylean.data.factors import FactorFile, load_factor_file, load_map_file, parse_factor_file
from pylean.data.subscription import scaled_sizes


def test_bac_map_file(lean_data: Path) -> None:
    bac = load_map_file(lean_data, "BAC")
    assert bac.has_file and bac.first_ticker == "NB" and bac.first_date == date(1998, 1, 2)
    assert bac.delisting_date == date(2050, 12, 31)
    assert bac.mapped_ticker(date(2013, 10, 7)) == "BAC"
    assert bac.mapped_ticker(date(1998, 9, 30)) == "NB" and bac.mapped_ticker(date(1998, 10, 1)) == "BAC"
    assert bac.mapped_ticker(date(1998, 1, 1)) is None and bac.mapped_ticker(date(2051, 1, 1)) is None
    assert [row.exchange for row in bac.rows] == ["N", "N", "N"]


def test_missing_map_file_maps_the_ticker_to_itself(lean_data: Path) -> None:
    aapl = load_map_file(lean_data, "aapl")  # the 2025 tickers have no map files
    assert not aapl.has_file and aapl.first_ticker == "AAPL" and aapl.first_date == date(1899, 12, 30)
    assert aapl.mapped_ticker(date(2025, 10, 1)) == "AAPL" and aapl.mapped_ticker(date(1800, 1, 1)) == "AAPL"


def test_spy_factors(lean_data: Path) -> None:
    spy = load_factor_file(lean_data, "SPY")
    assert spy.price_scale_factor(date(2013, 10, 7), "adjusted") == Decimal("0.8646266")
    assert spy.price_scale_factor(date(2013, 9, 20), "adjusted") == Decimal("0.8646266")
    assert spy.price_scale_factor(date(2013, 9, 19), "adjusted") == Decimal("0.8604238")
    assert spy.price_scale_factor(date(2013, 12, 19), "adjusted") == Decimal("0.8646266")
    assert spy.price_scale_factor(date(2021, 3, 18), "adjusted") == Decimal("0.9967360")
    assert spy.price_scale_factor(date(2021, 3, 19), "adjusted") == 1  # after the last dividend: raw
    assert spy.price_scale_factor(date(2060, 1, 1), "adjusted") == 1
    assert spy.price_scale_factor(date(2013, 10, 7), "raw") == 1
    assert spy.price_scale_factor(date(2013, 10, 7), "scaled_raw") == Decimal("0.8646266")
    with pytest.raises(ValueError):
        spy.price_scale_factor(date(2013, 10, 7), "total_return")


def test_split_adjusted_uses_the_split_factor_only(lean_data: Path) -> None:
    aig = load_factor_file(lean_data, "aig")
    assert aig.price_scale_factor(date(2000, 9, 1), "split_adjusted") == Decimal(20)
    assert aig.price_scale_factor(date(2000, 9, 1), "adjusted") == Decimal("0.6617877") * 20
    assert aig.price_scale_factor(date(2013, 10, 7), "SplitAdjusted") == 1


def test_missing_factor_file_means_one(lean_data: Path) -> None:
    nvda = load_factor_file(lean_data, "nvda")
    assert not nvda.has_file and nvda.rows == []
    assert nvda.price_scale_factor(date(2025, 10, 1), "adjusted") == 1


def test_factor_rows_lean_skips() -> None:
    rows = parse_factor_file("20010101,inf,1,5\n20020101,1.6e+6,1,5\n20030101,0,1,5\n"
                             "20040101,-1,1,5\n20050101,0.5,2,10.5\n20501231,1,1,0\n")
    assert [(r.date, r.price_factor, r.split_factor) for r in rows] == [
        (date(2005, 1, 1), Decimal("0.5"), Decimal(2)), (date(2050, 12, 31), Decimal(1), Decimal(1))]
    assert FactorFile(rows).price_scale_factor(date(2000, 6, 1), "adjusted") == Decimal("1.0")


def scale_volume(volume: int, factor: Decimal) -> int:
    """One volume through the engine's vectorised Extensions.Scale."""
    return int(scaled_sizes(np.array([volume], dtype=np.int64), factor)[0])


def test_scale_volume_bankers_rounding() -> None:
    assert scale_volume(5, Decimal(2)) == 2  # 2.5 -> 2
    assert scale_volume(7, Decimal(2)) == 4  # 3.5 -> 4
    assert scale_volume(3, Decimal(2)) == 2  # 1.5 -> 2
    assert scale_volume(2, Decimal(4)) == 0  # 0.5 -> 0
    assert scale_volume(6, Decimal(4)) == 2  # 1.5 -> 2
    assert scale_volume(123, Decimal(1)) == 123
    # SPY's 09:30 bar on 2013-10-07: 816453 x (1 / 0.8646266) = 944284.04...
    assert scale_volume(816453, Decimal("0.8646266")) == 944284
    assert scale_volume(100, Decimal("0.03571430")) == 2800  # AAPL's 7:1 split era


def test_scale_volume_inexact_reciprocals() -> None:
    # 1/3, 1/0.3 and 1/10 are not exact: the products still round as Lean's Math.Round does.
    assert scale_volume(1, Decimal(3)) == 0 and scale_volume(3, Decimal("0.3")) == 10
    assert scale_volume(15, Decimal(10)) == 2 and scale_volume(25, Decimal(10)) == 2
