"""The sector exposure limit on securities of our own: a sector over its share of the portfolio is scaled down."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from pylean.algorithm_trading import PortfolioTarget
from pylean.framework.models import MaximumSectorExposureRiskManagementModel


def security(symbol: str, sector: str | None, price: float, quantity: int) -> Any:
    fundamentals = None if sector is None else SimpleNamespace(
        has_fundamental_data=True, company_reference=SimpleNamespace(industry_template_code=sector))
    holdings = SimpleNamespace(_quantity=Decimal(quantity),
                               holdings_value_decimal=lambda: Decimal(quantity) * Decimal(str(price)))
    return SimpleNamespace(symbol=symbol, price=price, fundamentals=fundamentals, holdings=holdings,
                           symbol_properties=SimpleNamespace(contract_multiplier=1))


class Algorithm:
    def __init__(self, *securities: Any) -> None:
        self.active_securities = {s.symbol: s for s in securities}
        self.portfolio = SimpleNamespace(total_portfolio_value_decimal=lambda: Decimal(100000))


def quantities(targets: list[Any]) -> dict[str, float]:
    return {t.symbol: float(t.quantity) for t in targets}


def test_a_sector_over_its_share_is_scaled_by_the_excess() -> None:
    # sector T holds 150 x 100 + 50 x 100 = 20000, twice its 10 % share: both halve; sector E is within
    algorithm = Algorithm(security("A", "T", 100, 150), security("B", "T", 100, 50), security("C", "E", 50, 100),
                          security("D", None, 100, 900))
    model = MaximumSectorExposureRiskManagementModel(0.10)
    assert quantities(model.manage_risk(algorithm, [])) == {"A": 75, "B": 25}


def test_targets_count_instead_of_the_holdings_and_are_remembered() -> None:
    algorithm = Algorithm(security("A", "T", 100, 0), security("B", "T", 100, 50))
    model = MaximumSectorExposureRiskManagementModel(0.10)
    # the target of A (250 shares) makes the sector 30000: a ratio of 3
    assert quantities(model.manage_risk(algorithm, [PortfolioTarget("A", 250)])) == \
        pytest.approx({"A": 250 / 3, "B": 50 / 3})
    assert quantities(model.manage_risk(algorithm, [])) == pytest.approx({"A": 250 / 3, "B": 50 / 3})


def test_it_needs_fundamental_data_and_a_positive_limit() -> None:
    with pytest.raises(ValueError):
        MaximumSectorExposureRiskManagementModel(0)
    with pytest.raises(RuntimeError):
        MaximumSectorExposureRiskManagementModel().on_securities_changed(Algorithm(security("A", None, 1, 1)), None)
