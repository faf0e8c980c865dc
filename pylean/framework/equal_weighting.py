"""EqualWeightingPortfolioConstructionModel (Algorithm.Framework/Portfolio/EqualWeightingPortfolioConstructionModel
.cs): each symbol with an active non-flat insight gets 1/N of the portfolio, long or short by the insight's
direction, within the portfolio bias."""
from __future__ import annotations

from typing import Any

from pylean.enums import Resolution
from pylean.framework.insight import InsightDirection
from pylean.framework.portfolio_bias import PortfolioBias
from pylean.framework.portfolio_construction import PortfolioConstructionModel
from pylean.naming import lean_api, user_method


@lean_api
class EqualWeightingPortfolioConstructionModel(PortfolioConstructionModel):
    def __init__(self, rebalance: Any = Resolution.DAILY, portfolio_bias: PortfolioBias = PortfolioBias.LONG_SHORT
                 ) -> None:
        super().__init__(rebalance)
        self.__dict__["_pylean_portfolio_bias"] = PortfolioBias(portfolio_bias)

    def determine_target_percent(self, active_insights: Any) -> dict[Any, float]:
        respects = user_method(self, "respect_portfolio_bias")
        count = sum(1 for insight in active_insights
                    if insight.direction != InsightDirection.FLAT and respects(insight))
        percent = 0.0 if count == 0 else 1.0 / count
        return {insight: (int(insight.direction) if respects(insight) else 0) * percent
                for insight in active_insights}

    def respect_portfolio_bias(self, insight: Any) -> bool:
        bias = self.__dict__.get("_pylean_portfolio_bias", PortfolioBias.LONG_SHORT)
        return bias == PortfolioBias.LONG_SHORT or int(insight.direction) == int(bias)
