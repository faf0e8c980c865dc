"""PortfolioTargetCollection (the latest target per symbol) and OrderSizing's lot rounding."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from pylean.algorithm_trading import PortfolioTarget
from pylean.framework.order_sizing import OrderSizing
from pylean.framework.targets import PortfolioTargetCollection
from pylean.symbols import Symbol

ABC, XYZ = Symbol.create("ABC"), Symbol.create("XYZ")


def _security(lot: float, quantity: float = 0) -> SimpleNamespace:
    return SimpleNamespace(symbol_properties=SimpleNamespace(lot_size=lot),
                           holdings=SimpleNamespace(quantity=quantity))


def test_the_collection_keeps_the_latest_target_per_symbol() -> None:
    collection = PortfolioTargetCollection()
    first, latest, other = PortfolioTarget(ABC, 5), PortfolioTarget(ABC, 7), PortfolioTarget(XYZ, 1)
    collection.add_range([first, other, latest])
    assert collection.count == 2 and collection[ABC] is latest and not collection.is_empty
    assert not collection.remove(first)  # not the target held for ABC
    assert collection.remove(latest) and collection.remove(XYZ) and collection.is_empty


def test_fulfilled_targets_are_cleared_within_a_lot() -> None:
    collection = PortfolioTargetCollection()
    collection.add_range([PortfolioTarget(ABC, 100), PortfolioTarget(XYZ, 100)])
    securities = {ABC: _security(1, 99.5), XYZ: _security(1, 99)}
    collection.clear_fulfilled(SimpleNamespace(securities=securities))
    assert collection.keys == [XYZ]


def test_quantities_are_truncated_to_whole_lots_towards_zero() -> None:
    assert OrderSizing.adjust_by_lot_size(_security(1), 10.9) == Decimal(10)
    assert OrderSizing.adjust_by_lot_size(_security(1), -10.9) == Decimal(-10)
    assert OrderSizing.adjust_by_lot_size(_security(100), 250) == Decimal(200)
    # a shortfall of under a millionth of a lot is a floating-point artefact: rounded up to the lot
    assert OrderSizing.adjust_by_lot_size(_security(1), Decimal("9.9999999")) == Decimal(10)
