"""InsightWeightingPortfolioConstructionModel and ConfidenceWeightedPortfolioConstructionModel
(Algorithm.Framework/Portfolio/*.cs): each symbol's last active insight is held at its weight (or confidence),
long or short by its direction; when the weights of the insights within the portfolio bias sum to more than 1
they are scaled down to sum to 1. Insights without the value are ignored."""
from __future__ import annotations

from typing import Any

from pylean.enums import Resolution
from pylean.framework.equal_weighting import EqualWeightingPortfolioConstructionModel
from pylean.framework.portfolio_bias import PortfolioBias
from pylean.naming import lean_api, user_method


@lean_api
class InsightWeightingPortfolioConstructionModel(EqualWeightingPortfolioConstructionModel):
    def __init__(self, rebalance: Any = Resolution.DAILY,
                 portfolio_bias: PortfolioBias = PortfolioBias.LONG_SHORT) -> None:
        super().__init__(rebalance, portfolio_bias)

    def should_create_target_for_insight(self, insight: Any) -> bool:
        return insight.weight is not None

    def determine_target_percent(self, active_insights: Any) -> dict[Any, float]:
        respects = user_method(self, "respect_portfolio_bias")
        value_of = user_method(self, "get_value")
        weight_sum = sum(value_of(insight) for insight in active_insights if respects(insight))
        factor = 1 / weight_sum if weight_sum > 1 else 1.0
        return {insight: (int(insight.direction) if respects(insight) else 0) * value_of(insight) * factor
                for insight in active_insights}

    def get_value(self, insight: Any) -> float:
        return abs(float(insight.weight)) if insight.weight is not None else 0.0


@lean_api
class ConfidenceWeightedPortfolioConstructionModel(InsightWeightingPortfolioConstructionModel):
    def should_create_target_for_insight(self, insight: Any) -> bool:
        return insight.confidence is not None

    def get_value(self, insight: Any) -> float:
        # Lean takes the confidence as it is (no absolute value), unlike the weight
        return float(insight.confidence) if insight.confidence is not None else 0.0
