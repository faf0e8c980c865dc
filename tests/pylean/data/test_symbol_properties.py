"""Tests for pylean/data/symbol_properties.py (Lean SymbolPropertiesDatabase)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pylean.data.symbol_properties import SymbolPropertiesDatabase, default_properties


def test_equity_row_and_fallback(lean_data: Path) -> None:
    database = SymbolPropertiesDatabase.from_data_folder(lean_data)
    spy = database.get("usa", "SPY")
    assert spy == database.get("USA", "spy", "Equity") == database.get("usa", "[*]", "equity")
    assert (spy.quote_currency, spy.contract_multiplier, spy.minimum_price_variation, spy.lot_size) == (
        "USD", Decimal(1), Decimal("0.01"), Decimal(1))
    assert spy.minimum_order_size is None and spy.price_magnifier == 1 and spy.description == ""


def test_specific_rows(lean_data: Path) -> None:
    database = SymbolPropertiesDatabase.from_data_folder(lean_data)
    canadian_dollar = database.get("cme", "6C", "future")
    assert canadian_dollar.minimum_price_variation == Decimal("0.00005")
    assert canadian_dollar.contract_multiplier == Decimal(100000)
    assert database.get("usa", "SPY", "option").contract_multiplier == 100
    assert database.get("usa", "NQX", "indexoption").strike_multiplier == 5


def test_missing_file_uses_lean_defaults(tmp_path: Path) -> None:
    props = SymbolPropertiesDatabase.from_data_folder(tmp_path).get("usa", "SPY")
    assert props == default_properties()
    assert (props.quote_currency, props.contract_multiplier, props.minimum_price_variation, props.lot_size) == (
        "USD", 1, Decimal("0.01"), 1)
