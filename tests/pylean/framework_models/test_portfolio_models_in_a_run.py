"""The weighting portfolio construction models inside a framework run of our own: a constant alpha's insight
value (confidence, weight or the accumulative step) becomes the share of the portfolio the position holds."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from orders_support import DAY1, MiniData, OrderTestAlgorithm, algo, run

from pylean.algorithm_imports import (AccumulativeInsightPortfolioConstructionModel, ConstantAlphaModel,
                                      ConfidenceWeightedPortfolioConstructionModel, ImmediateExecutionModel,
                                      InsightDirection, InsightType, InsightWeightingPortfolioConstructionModel)


def holding_share(data: MiniData, alpha: Any, construction: Any) -> float:
    class FrameworkRun(OrderTestAlgorithm):
        def setup(self) -> None:
            self.set_alpha(alpha)
            self.set_portfolio_construction(construction)
            self.set_execution(ImmediateExecutionModel())

    data.write(data.day(DAY1))
    finished = algo(run(data, FrameworkRun))
    return float(finished.portfolio.total_holdings_value) / float(finished.portfolio.total_portfolio_value)


def up(confidence: float | None = None, weight: float | None = None) -> ConstantAlphaModel:
    return ConstantAlphaModel(InsightType.PRICE, InsightDirection.UP, timedelta(minutes=20), None, confidence, weight)


def test_confidence_weighting_holds_the_confidence(data: MiniData) -> None:
    assert holding_share(data, up(confidence=0.25), ConfidenceWeightedPortfolioConstructionModel()) == \
        pytest.approx(0.25, abs=0.005)


def test_insight_weighting_holds_the_weight_and_ignores_the_confidence(data: MiniData) -> None:
    assert holding_share(data, up(confidence=0.9, weight=0.4), InsightWeightingPortfolioConstructionModel()) == \
        pytest.approx(0.4, abs=0.005)


def test_insight_weighting_holds_nothing_for_insights_without_a_weight(data: MiniData) -> None:
    assert holding_share(data, up(confidence=0.9), InsightWeightingPortfolioConstructionModel()) == 0


def test_accumulative_holds_one_step_per_active_insight(data: MiniData) -> None:
    assert holding_share(data, up(), AccumulativeInsightPortfolioConstructionModel(percent=0.1)) == \
        pytest.approx(0.1, abs=0.005)
