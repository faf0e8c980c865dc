"""Per-security risk models (Algorithm.Framework/Risk/MaximumDrawdownPercentPerSecurity.cs,
MaximumUnrealizedProfitPercentPerSecurity.cs): liquidate an invested security, and cancel its insights, once its
unrealized profit percent falls below a drawdown limit or rises above a profit limit."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from pylean.algorithm_trading import PortfolioTarget
from pylean.close_profit import unrealized_profit_percent
from pylean.framework.risk import RiskManagementModel
from pylean.naming import lean_api
from pylean.numbers import to_decimal


def _liquidate_where(algorithm: Any, breached: Callable[[Decimal], bool]) -> list[PortfolioTarget]:
    """Zero targets, in the algorithm's security order, for the invested securities whose pnl percent breaches."""
    targets = []
    utc = algorithm.utc_time
    for security in list(algorithm.securities.values()):
        if not security.holdings.invested:
            continue
        if breached(unrealized_profit_percent(security, utc)):
            symbol = security.symbol
            algorithm.insights.cancel([symbol])
            targets.append(PortfolioTarget(symbol, 0))
    return targets


@lean_api
class MaximumDrawdownPercentPerSecurity(RiskManagementModel):
    def __init__(self, maximum_drawdown_percent: float = 0.05) -> None:
        super().__init__()
        self.__dict__["_pylean_limit"] = -abs(to_decimal(maximum_drawdown_percent))

    def manage_risk(self, algorithm: Any, targets: Any) -> list[PortfolioTarget]:
        limit = self.__dict__["_pylean_limit"]
        return _liquidate_where(algorithm, lambda pnl: pnl < limit)


@lean_api
class MaximumUnrealizedProfitPercentPerSecurity(RiskManagementModel):
    def __init__(self, maximum_unrealized_profit_percent: float = 0.05) -> None:
        super().__init__()
        self.__dict__["_pylean_limit"] = abs(to_decimal(maximum_unrealized_profit_percent))

    def manage_risk(self, algorithm: Any, targets: Any) -> list[PortfolioTarget]:
        limit = self.__dict__["_pylean_limit"]
        return _liquidate_where(algorithm, lambda pnl: pnl > limit)
