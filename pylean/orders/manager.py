"""`algorithm.transactions` (Common/Securities/SecurityTransactionManager.cs): order queries and raw requests.

Orders handed out are snapshots (Lean clones them); tickets are the live objects. Filters take a
Symbol or a callable; order filters receive orders, ticket filters receive tickets.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable

from pylean.enums import OrderType, SecurityType
from pylean.naming import lean_api
from pylean.orders.requests import (CancelOrderRequest, OrderRequest, OrderResponse, SubmitOrderRequest,
                                    UpdateOrderRequest)
from pylean.orders.tickets import OrderTicket
from pylean.orders.types import Order, to_float
from pylean.symbols import Symbol

if TYPE_CHECKING:
    from pylean.orders.transactions import TransactionHandler

WARM_UP_CANCEL = ("This operation is not allowed in Initialize or during warm up: CancelOpenOrders. Please move "
                  "this code to the OnWarmupFinished() method.")


def _selector(selector: Any) -> Callable[[Any], bool]:
    """A Symbol selects by symbol; a callable is the filter itself; None selects everything."""
    if selector is None:
        return lambda _: True
    if isinstance(selector, Symbol):
        return lambda item: item.symbol == selector
    if callable(selector):
        return lambda item: bool(selector(item))
    return lambda item: item.symbol == selector or item.symbol.value == str(selector).upper()


@lean_api
class SecurityTransactionManager:
    def __init__(self, handler: "TransactionHandler", utc_now: Callable[[], Any]) -> None:
        self._handler = handler
        self._utc_now = utc_now

    @property
    def utc_time(self) -> Any:
        return self._utc_now().replace(tzinfo=None)

    @property
    def orders_count(self) -> int:
        return len(self._handler.orders)

    @property
    def last_order_id(self) -> int:
        return max(self._handler.orders, default=0)

    @property
    def market_order_fill_timeout(self) -> timedelta:
        return timedelta(0)  # fills are synchronous in backtests

    # ------------------------------------------------------------ orders
    def get_order_by_id(self, order_id: int) -> Order | None:
        order = self._handler.orders.get(order_id)
        return order.clone() if order is not None else None

    def get_orders(self, selector: Any = None) -> list[Order]:
        keep = _selector(selector)
        return [o.clone() for o in self._handler.orders.values() if keep(o)]

    def get_open_orders(self, selector: Any = None) -> list[Order]:
        keep = _selector(selector)
        return [o.clone() for o in self._handler.open_orders() if keep(o)]

    # ------------------------------------------------------------ tickets
    def get_order_ticket(self, order_id: int) -> OrderTicket | None:
        return self._handler.tickets.get(order_id)

    def get_order_tickets(self, selector: Any = None) -> list[OrderTicket]:
        keep = _selector(selector)
        return [t for t in self._handler.tickets.values() if keep(t)]

    def get_open_order_tickets(self, selector: Any = None) -> list[OrderTicket]:
        keep = _selector(selector)
        return [t for t in self._handler.open_tickets() if keep(t)]

    def get_open_orders_remaining_quantity(self, selector: Any = None) -> float:
        return to_float(sum((t.quantity_remaining_decimal() for t in self.get_open_order_tickets(selector)),
                            Decimal(0)))

    # ------------------------------------------------------------ requests
    def process_request(self, request: OrderRequest) -> OrderTicket:
        if self._handler.is_warming_up():
            raise RuntimeError(str(OrderResponse.warming_up(request)))
        if isinstance(request, SubmitOrderRequest):
            return self._handler.add_order(request)
        ticket = self._handler.tickets.get(request.order_id)
        if ticket is None:
            request.set_response(OrderResponse.unable_to_find_order(request))
            invalid = OrderTicket.invalid(self._handler, _placeholder(request),
                                          OrderResponse.unable_to_find_order(request))
            if isinstance(request, CancelOrderRequest):
                invalid.try_set_cancel_request(request)
            else:
                invalid.add_update_request(request)  # type: ignore[arg-type]
            return invalid
        if isinstance(request, UpdateOrderRequest):
            self._handler.update_order(request)
        else:
            self._handler.cancel_order(request)  # type: ignore[arg-type]
        return ticket

    def add_order(self, request: SubmitOrderRequest) -> OrderTicket:
        """Submit a request directly: no pre-order checks and no market-order conversions (spec §3.7)."""
        return self.process_request(request)

    def update_order(self, request: UpdateOrderRequest) -> OrderTicket:
        return self.process_request(request)

    def cancel_order(self, order_id: int, order_tag: str | None = None) -> OrderTicket:
        return self.remove_order(order_id, order_tag)

    def remove_order(self, order_id: int, tag: str | None = None) -> OrderTicket:
        return self.process_request(CancelOrderRequest(self.utc_time, order_id, tag or ""))

    def cancel_open_orders(self, symbol: Any = None, tag: str | None = None) -> list[OrderTicket]:
        if self._handler.is_warming_up():
            raise RuntimeError(WARM_UP_CANCEL)
        if symbol is None and tag is None:
            tag = f"Canceled by CancelOpenOrders() at {self._utc_now():%Y-%m-%dT%H:%M:%S.0000000Z}"
        tickets = self.get_open_order_tickets(symbol)
        for ticket in tickets:
            ticket.cancel(tag)
        return tickets


def _placeholder(request: OrderRequest) -> SubmitOrderRequest:
    """The submit request behind the invalid ticket Lean returns for an unknown order id."""
    submit = SubmitOrderRequest(OrderType.MARKET, SecurityType.BASE, None, 0, 0, 0, None, request.tag)
    submit.set_order_id(request.order_id)
    return submit
