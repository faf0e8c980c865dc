"""TrailingStopRiskManagementModel (Algorithm.Framework/Risk/TrailingStopRiskManagementModel.cs): tracks each
position's best absolute holdings value since it was opened (starting from its cost) and liquidates it once the
value falls more than the given percent from there; a change of side restarts the tracking."""
from __future__ import annotations

from typing import Any

from pylean.algorithm_trading import PortfolioTarget
from pylean.close_profit import absolute_holdings_cost, absolute_holdings_value
from pylean.framework.risk import RiskManagementModel
from pylean.naming import lean_api
from pylean.numbers import to_decimal


@lean_api
class TrailingStopRiskManagementModel(RiskManagementModel):
    def __init__(self, maximum_drawdown_percent: float = 0.05) -> None:
        super().__init__()
        self.__dict__["_pylean_limit"] = abs(to_decimal(maximum_drawdown_percent))
        self.__dict__["_pylean_trailing"] = {}  # symbol -> [is_long, best absolute holdings value]

    def manage_risk(self, algorithm: Any, targets: Any) -> list[PortfolioTarget]:
        limit = self.__dict__["_pylean_limit"]
        trailing = self.__dict__["_pylean_trailing"]
        liquidations = []
        for security in list(algorithm.securities.values()):
            symbol = security.symbol
            if not security.holdings.invested:
                trailing.pop(symbol, None)
                continue
            is_long = security.holdings._quantity > 0
            value = absolute_holdings_value(security)
            state = trailing.get(symbol)
            if state is None or state[0] != is_long:
                state = trailing[symbol] = [is_long, absolute_holdings_cost(security)]
            best = state[1]
            if (best < value) if is_long else (best > value):
                state[1] = value
                continue
            drawdown = abs((best - value) / best)
            if limit < drawdown:
                algorithm.insights.cancel([symbol])
                del trailing[symbol]
                liquidations.append(PortfolioTarget(symbol, 0))
        return liquidations
