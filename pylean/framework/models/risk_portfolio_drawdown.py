"""MaximumDrawdownPercentPortfolio (Algorithm.Framework/Risk/MaximumDrawdownPercentPortfolio.cs): once the
portfolio value falls the given percent below its reference high (the value at the first check, or the trailing
high), every incoming target becomes a liquidation and its insights are cancelled; the reference then restarts."""
from __future__ import annotations

from typing import Any

from pylean.algorithm_trading import PortfolioTarget
from pylean.framework.risk import RiskManagementModel
from pylean.naming import lean_api
from pylean.numbers import to_decimal


@lean_api
class MaximumDrawdownPercentPortfolio(RiskManagementModel):
    def __init__(self, maximum_drawdown_percent: float = 0.05, is_trailing: bool = False) -> None:
        super().__init__()
        state = self.__dict__
        state["_pylean_limit"] = -abs(to_decimal(maximum_drawdown_percent))
        state["_pylean_trailing"] = bool(is_trailing)
        state["_pylean_high"] = None  # None until the first check (Lean's _initialised flag)

    def manage_risk(self, algorithm: Any, targets: Any) -> list[PortfolioTarget]:
        state = self.__dict__
        current = algorithm.portfolio.total_portfolio_value_decimal()
        if state["_pylean_high"] is None:
            state["_pylean_high"] = current
        if state["_pylean_trailing"] and state["_pylean_high"] < current:
            state["_pylean_high"] = current
            return []
        targets = list(targets)
        drawdown = current / state["_pylean_high"] - 1
        if drawdown >= state["_pylean_limit"] or not targets:
            return []
        state["_pylean_high"] = None  # start again from the value at the next check
        liquidations = []
        for target in targets:
            algorithm.insights.cancel([target.symbol])
            liquidations.append(PortfolioTarget(target.symbol, 0))
        return liquidations
