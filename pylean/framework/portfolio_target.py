"""PortfolioTarget.Percent (Common/Algorithm/Framework/Portfolio/PortfolioTarget.cs): the quantity that makes a
security `percent` of the portfolio's value (less the free buffer), at its leverage, in whole lots."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pylean.algorithm_trading import PortfolioTarget
from pylean.numbers import to_decimal
from pylean.symbols import symbol_of

__all__ = ["PortfolioTarget", "percent_target", "double_to_decimal"]


def double_to_decimal(value: Any) -> Decimal:
    """C#'s (decimal)double: at most 15 significant digits (Python's repr keeps up to 17)."""
    if isinstance(value, (Decimal, int)):
        return to_decimal(value)
    return Decimal(format(float(value), ".15g"))


def percent_target(algorithm: Any, symbol: Any, percent: Any, return_delta_quantity: Any = False,
                   tag: str = "") -> PortfolioTarget | None:
    """None (after an algorithm error) when the percent is out of the settings' bounds, the symbol is not in the
    algorithm or its price is zero. Lean's Percent(algorithm, symbol, percent, tag) overload is accepted too."""
    if isinstance(return_delta_quantity, str):
        return_delta_quantity, tag = False, return_delta_quantity
    percent = double_to_decimal(percent)
    settings = algorithm.settings
    absolute = abs(percent)
    if (absolute > to_decimal(settings.max_absolute_portfolio_target_percentage)
            or (absolute != 0 and absolute < to_decimal(settings.min_absolute_portfolio_target_percentage))):
        algorithm.error(f"The portfolio target percent: {percent}, does not comply with the current "
                        "'Algorithm.Settings' 'MaxAbsolutePortfolioTargetPercentage': "
                        f"{settings.max_absolute_portfolio_target_percentage} or "
                        f"'MinAbsolutePortfolioTargetPercentage': {settings.min_absolute_portfolio_target_percentage}. "
                        "Skipping")
        return None
    securities = algorithm.securities
    symbol = symbol_of(symbol, securities)
    if symbol not in securities:
        algorithm.error(f"{symbol} not found in portfolio. Request this data when initializing the algorithm.")
        return None
    security = securities[symbol]
    if security.price == 0:
        algorithm.error(f"{symbol}: The security does not have an accurate price as it has not yet received "
                        "a bar of data. Before placing a trade (or using SetHoldings) warm up your algorithm "
                        "with SetWarmup, or use slice.Contains(symbol) to confirm the Slice object has price "
                        "before using the data. Data does not necessarily all arrive at the same time so your "
                        "algorithm should confirm the data is ready before using it. In live trading this can "
                        "mean you do not have an active subscription to the asset class you're trying to trade. "
                        "If using custom data make sure you've set the 'Value' property.")
        return None
    portfolio = algorithm.portfolio
    tpv = portfolio.total_portfolio_value_decimal()
    free = (to_decimal(settings.free_portfolio_value) if settings.free_portfolio_value is not None
            else tpv * to_decimal(settings.free_portfolio_value_percentage))
    adjusted = percent * (tpv - free) / tpv if tpv else Decimal(0)
    minimum = to_decimal(settings.minimum_order_margin_portfolio_percentage)
    delta, _reason = security.buying_power_model.maximum_order_quantity_for_target(portfolio, security, adjusted,
                                                                                   minimum)
    quantity = delta + (0 if return_delta_quantity else security.holdings._quantity)
    return PortfolioTarget(symbol, quantity, tag)
