"""Lean's SecurityHolding.TotalCloseProfit / UnrealizedProfit(Percent): the profit of closing the position now at
the bid (long) or ask (short), less the fee of that closing market order (over the absolute holdings cost)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pylean.numbers import to_decimal

ZERO = Decimal(0)


def close_profit(security: Any, utc_time: Any = None) -> Decimal:
    """TotalCloseProfit(): exit value at the closing side's quote (the last price when it has none) minus fees."""
    from pylean.orders.fees import order_fee
    from pylean.orders.types import MarketOrder

    holdings = security.holdings
    quantity = holdings._quantity
    if quantity == 0:
        return ZERO
    price = to_decimal(security.bid_price if quantity > 0 else security.ask_price)
    if price == 0:
        price = security.cache.trade_decimal()
    multiplier = to_decimal(security.symbol_properties.contract_multiplier)
    if utc_time is None:  # the order is only priced for its fee: its time is the exchange's, as Lean's
        from pylean.extensions import Extensions
        local = security.exchange.local_time
        utc_time = Extensions.convert_to_utc(local, security.exchange.time_zone) if local else datetime(2000, 1, 1)
    fee = order_fee(security, MarketOrder(security.symbol, -quantity, utc_time))
    return (price - holdings._average_price) * quantity * multiplier - fee


def unrealized_profit_percent(security: Any, utc_time: Any = None) -> Decimal:
    holdings = security.holdings
    multiplier = to_decimal(security.symbol_properties.contract_multiplier)
    cost = abs(holdings._average_price * holdings._quantity) * multiplier
    if cost == 0:
        return ZERO
    return close_profit(security, utc_time) / cost


def absolute_holdings_value(security: Any) -> Decimal:
    holdings = security.holdings
    multiplier = to_decimal(security.symbol_properties.contract_multiplier)
    return abs(holdings._quantity * security.cache.trade_decimal()) * multiplier


def absolute_holdings_cost(security: Any) -> Decimal:
    holdings = security.holdings
    multiplier = to_decimal(security.symbol_properties.contract_multiplier)
    return abs(holdings._quantity * holdings._average_price) * multiplier
