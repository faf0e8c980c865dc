"""Risk parity: the optimizer's weights give each asset the same share of risk; the model's returns matrix."""
from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from pylean.framework.models.risk_parity import (ReturnsSymbolData, RiskParityPortfolioConstructionModel,
                                                 RiskParityPortfolioOptimizer, returns_matrix)
from pylean.framework.portfolio_bias import PortfolioBias


def test_uncorrelated_assets_are_weighted_by_inverse_volatility() -> None:
    weights = RiskParityPortfolioOptimizer().optimize(None, covariance=np.diag([0.04, 0.01, 0.0025]))
    # volatilities 0.2, 0.1, 0.05: weights proportional to 5, 10, 20
    assert weights == pytest.approx([5 / 35, 10 / 35, 20 / 35], rel=1e-9)


def test_each_asset_contributes_the_same_risk() -> None:
    covariance = np.array([[0.04, 0.006, 0.0], [0.006, 0.01, 0.002], [0.0, 0.002, 0.09]])
    weights = RiskParityPortfolioOptimizer().optimize(None, covariance=covariance)
    contributions = weights * (covariance @ weights)
    assert weights.sum() == pytest.approx(1)
    assert contributions == pytest.approx(np.full(3, contributions.mean()), rel=1e-8)


def test_the_covariance_comes_from_the_returns_and_bounds_clamp_the_weights() -> None:
    returns = np.array([[0.01, 0.02], [-0.01, -0.02], [0.02, 0.04], [-0.02, -0.04]])
    # the second asset is twice as volatile
    assert RiskParityPortfolioOptimizer().optimize(returns) == pytest.approx([2 / 3, 1 / 3], rel=1e-6)
    assert RiskParityPortfolioOptimizer(upper=0.5).optimize(returns) == pytest.approx([0.5, 1 / 3], rel=1e-6)
    assert list(RiskParityPortfolioOptimizer().optimize(np.array([[0.01], [0.02]]))) == [1.0]


def test_returns_are_rolling_rates_of_change_aligned_by_date() -> None:
    start = datetime(2020, 1, 1)
    a, b = ReturnsSymbolData("A", 1, 3), ReturnsSymbolData("B", 1, 3)
    for day, (price_a, price_b) in enumerate([(100, 50), (110, 50), (99, 55), (99, 66)]):
        a.update(start + timedelta(days=day), price_a)
        b.update(start + timedelta(days=day), price_b)
    matrix = returns_matrix({"A": a, "B": b}, ["A", "B"])
    # newest first; the day both returns are zero would be dropped, none is here
    assert np.allclose(matrix, [[0.0, 0.2], [-0.1, 0.1], [0.1, 0.0]])


def test_the_model_must_allow_long_positions() -> None:
    with pytest.raises(ValueError):
        RiskParityPortfolioConstructionModel(portfolio_bias=PortfolioBias.SHORT)
