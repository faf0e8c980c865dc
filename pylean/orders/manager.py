"""`algorithm.transactions` (Common/Securities/SecurityTransactionManager.cs): queries over the run's orders."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable

from pylean.naming import lean_api
from pylean.orders.tickets import OrderResponse, OrderTicket, SubmitOrderRequest
from pylean.orders.types import (LimitIfTouchedOrder, LimitOrder, MarketOnCloseOrder, MarketOnOpenOrder, MarketOrder,
                                 Order, OrderProperties, StopLimitOrder, StopMarketOrder, TrailingStopOrder,
                                 to_decimal)
from pylean.enums import OrderType

if TYPE_CHECKING:
    from pylean.orders.transactions import TransactionHandler


def _matches(order: Order, selector: Any) -> bool:
    if selector is None:
        return True
    if callable(selector):
        return bool(selector(order))
    return order.symbol == selector


@lean_api
class SecurityTransactionManager:
    def __init__(self, handler: "TransactionHandler", utc_now: Callable[[], Any]) -> None:
        self._handler = handler
        self._utc_now = utc_now

    @property
    def orders_count(self) -> int:
        return len(self._handler.orders)

    def get_order_by_id(self, order_id: int) -> Order | None:
        return self._handler.orders.get(order_id)

    def get_orders(self, selector: Any = None) -> list[Order]:
        return [o for o in self._handler.orders.values() if _matches(o, selector)]

    def get_open_orders(self, selector: Any = None) -> list[Order]:
        return [o for o in self._handler.open_orders() if _matches(o, selector)]

    def get_order_tickets(self, selector: Any = None) -> list[OrderTicket]:
        handler = self._handler
        return [t for i, t in handler.tickets.items() if _matches_ticket(t, selector)]

    def get_open_order_tickets(self, selector: Any = None) -> list[OrderTicket]:
        handler = self._handler
        return [handler.tickets[o.id] for o in handler.open_orders() if _matches_ticket(handler.tickets[o.id], selector)]

    def get_order_ticket(self, order_id: int) -> OrderTicket | None:
        return self._handler.tickets.get(order_id)

    def get_open_orders_remaining_quantity(self, selector: Any = None) -> float:
        return float(sum((o.quantity - o.quantity_filled for o in self.get_open_orders(selector)), Decimal(0)))

    def cancel_order(self, order_id: int, tag: str | None = None) -> OrderResponse:
        ticket = self._handler.tickets.get(order_id)
        if ticket is None:
            return OrderResponse(order_id, False, f"Unable to locate order with id {order_id}")
        return ticket.cancel(tag)

    def cancel_open_orders(self, symbol: Any = None, tag: str | None = None) -> list[OrderTicket]:
        tickets = self.get_open_order_tickets(symbol)
        for ticket in tickets:
            ticket.cancel(tag)
        return tickets

    def add_order(self, request: SubmitOrderRequest) -> OrderTicket:
        """Submit a request directly: no pre-order checks and no market-order conversions (spec §3.7)."""
        order = order_from_request(request, self._utc_now())
        ticket = self._handler.submit(order)
        ticket.submit_request = request
        request.order_id = order.id
        return ticket


def _matches_ticket(ticket: OrderTicket, selector: Any) -> bool:
    if selector is None:
        return True
    if callable(selector):
        return bool(selector(ticket))
    return ticket.symbol == selector


def order_from_request(request: SubmitOrderRequest, utc_now: Any) -> Order:
    quantity = to_decimal(request.quantity)
    props = request.order_properties or OrderProperties()
    args = (request.symbol, quantity)
    kind = OrderType(request.order_type)
    stop, limit = to_decimal(request.stop_price or 0), to_decimal(request.limit_price or 0)
    tag = request.tag or ""
    if kind == OrderType.MARKET:
        return MarketOrder(*args, utc_now, tag, props)
    if kind == OrderType.MARKET_ON_OPEN:
        return MarketOnOpenOrder(*args, utc_now, tag, props)
    if kind == OrderType.MARKET_ON_CLOSE:
        return MarketOnCloseOrder(*args, utc_now, tag, props)
    if kind == OrderType.LIMIT:
        return LimitOrder(*args, limit, utc_now, tag, props)
    if kind == OrderType.STOP_MARKET:
        return StopMarketOrder(*args, stop, utc_now, tag, props)
    if kind == OrderType.STOP_LIMIT:
        return StopLimitOrder(*args, stop, limit, utc_now, tag, props)
    if kind == OrderType.LIMIT_IF_TOUCHED:
        return LimitIfTouchedOrder(*args, to_decimal(request.trigger_price or 0), limit, utc_now, tag, props)
    if kind == OrderType.TRAILING_STOP:
        return TrailingStopOrder(*args, stop, to_decimal(request.trailing_amount or 0),
                                 bool(request.trailing_as_percentage), utc_now, tag, props)
    raise ValueError(f"order type {kind!s} is not supported for US equities")
