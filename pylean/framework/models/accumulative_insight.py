"""AccumulativeInsightPortfolioConstructionModel (Algorithm.Framework/Portfolio/
AccumulativeInsightPortfolioConstructionModel.cs): every active insight, oldest first, moves its symbol's target
by a fixed percent in its direction; a flat insight first takes the target one step back towards zero (to zero
when it is closer than a step). A target against the portfolio bias becomes zero."""
from __future__ import annotations

from typing import Any

from pylean.framework.portfolio_bias import PortfolioBias
from pylean.framework.portfolio_construction import PortfolioConstructionModel
from pylean.naming import lean_api, user_method


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


@lean_api
class AccumulativeInsightPortfolioConstructionModel(PortfolioConstructionModel):
    def __init__(self, rebalance: Any = None, portfolio_bias: PortfolioBias = PortfolioBias.LONG_SHORT,
                 percent: float = 0.03) -> None:
        super().__init__(rebalance)
        self.__dict__["_pylean_portfolio_bias"] = PortfolioBias(portfolio_bias)
        self.__dict__["_pylean_percent"] = abs(float(percent))

    def get_target_insights(self) -> list[Any]:
        algorithm = self.algorithm
        should_create = user_method(self, "should_create_target_for_insight")
        active = [insight for insight in algorithm.insights.get_active_insights(algorithm.utc_time)
                  if should_create(insight)]
        return sorted(active, key=lambda insight: insight.generated_time_utc)  # stable, as Lean's OrderBy

    def determine_target_percent(self, active_insights: Any) -> dict[Any, float]:
        step = self.__dict__["_pylean_percent"]
        bias = self.__dict__["_pylean_portfolio_bias"]
        percent_by_symbol: dict[Any, float] = {}
        first_by_symbol: dict[Any, Any] = {}
        for insight in active_insights:
            symbol = insight.symbol
            percent = percent_by_symbol.get(symbol, 0.0)
            if symbol in percent_by_symbol and int(insight.direction) == 0:
                percent = 0.0 if abs(percent) < step else percent + (-step if percent > 0 else step)
            percent += step * int(insight.direction)
            if bias != PortfolioBias.LONG_SHORT and _sign(percent) != int(bias):
                percent = 0.0
            percent_by_symbol[symbol] = percent
            first_by_symbol.setdefault(symbol, insight)
        # one entry per symbol, keyed by its first insight (Lean's DistinctBy)
        return {insight: percent_by_symbol[symbol] for symbol, insight in first_by_symbol.items()}
