"""Orders refused for exceeding the shortable quantity (Algorithm/QCAlgorithm.cs Shortable/ShortableQuantity,
Engine/TransactionHandlers/BrokerageTransactionHandler.cs AddOrder/UpdateOrder, backtest behaviour).

A short is allowed while holdings + open orders' remaining quantity + the new short stay at or above minus
the provider's shortable quantity for the security's local date; a provider answering None sets no limit.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pylean.models.shortable import NullShortableProvider
from pylean.orders.requests import OrderResponse, OrderResponseErrorCode


def _shortable_quantity(security: Any) -> Any:
    provider = security.shortable_provider
    if type(provider) is NullShortableProvider:
        return None  # (what it answers, without reading the clock: asked per short order)
    return provider.shortable_quantity(security.symbol, security.local_time)


def is_shortable(transactions: Any, security: Any, short_quantity: Decimal, ignore_order_id: int | None = None) -> bool:
    limit = _shortable_quantity(security)
    if limit is None:
        return True
    symbol = security.symbol
    open_quantity = sum((ticket.quantity_remaining_decimal() for order_id, ticket in transactions.tickets.items()
                         if order_id in transactions._open and ticket.symbol == symbol and order_id != ignore_order_id),
                        Decimal(0))
    held = security.holdings._quantity
    if held + open_quantity <= -limit:
        return False  # nothing left to short, whatever the new quantity
    return held - abs(short_quantity) + open_quantity >= -limit


def shortable_refusal(request: Any, security: Any, quantity: Decimal) -> OrderResponse:
    limit = _shortable_quantity(security) or 0
    message = (f"Order exceeds shortable quantity {limit} for Symbol {security.symbol} requested "
               f"{quantity})")
    return OrderResponse.error(request, OrderResponseErrorCode.EXCEEDS_SHORTABLE_QUANTITY, message)
