"""OrderTicket, UpdateOrderFields and order requests (Common/Orders/OrderTicket.cs, *OrderRequest.cs)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from pylean.enums import OrderStatus, OrderType
from pylean.naming import lean_api
from pylean.orders.types import Order, OrderEvent, to_decimal

if TYPE_CHECKING:
    from pylean.orders.transactions import TransactionHandler


class OrderField(IntEnum):
    LIMIT_PRICE = 0
    STOP_PRICE = 1
    TRIGGER_PRICE = 2
    TRAILING_AMOUNT = 3
    TRAILING_AS_PERCENTAGE = 4


for _member in list(OrderField):
    type.__setattr__(OrderField, "".join(p.capitalize() for p in _member.name.split("_")), _member)


@lean_api
class UpdateOrderFields:
    def __init__(self, quantity: float | None = None, limit_price: float | None = None,
                 stop_price: float | None = None, trigger_price: float | None = None,
                 trailing_amount: float | None = None, tag: str | None = None) -> None:
        self.quantity = quantity
        self.limit_price = limit_price
        self.stop_price = stop_price
        self.trigger_price = trigger_price
        self.trailing_amount = trailing_amount
        self.tag = tag


@dataclass
class OrderResponse:
    """Outcome of a request (Common/Orders/OrderResponse.cs)."""

    order_id: int
    is_success: bool = True
    error_message: str = ""

    @property
    def is_error(self) -> bool:
        return not self.is_success


@lean_api
class OrderTicket:
    """The algorithm's handle on one order."""

    def __init__(self, handler: "TransactionHandler | None", order: Order | None, *, order_id: int = 0,
                 symbol: Any = None, quantity: Decimal = Decimal(0), order_type: OrderType = OrderType.MARKET,
                 tag: str = "", invalid_message: str = "") -> None:
        self._handler = handler
        self._order = order
        self._order_id = order.id if order is not None else order_id
        self._symbol = order.symbol if order is not None else symbol
        self._quantity = order.quantity if order is not None else quantity
        self._order_type = order.type if order is not None else order_type
        self._tag = order.tag if order is not None else tag
        self._status = OrderStatus.NEW if order is not None else OrderStatus.INVALID
        self.order_events: list[OrderEvent] = []
        self.update_requests: list[UpdateOrderFields] = []
        self.cancel_request: Any = None
        self.submit_request: Any = None
        self._invalid_message = invalid_message
        self._response = OrderResponse(self._order_id, order is not None, invalid_message)

    order_id = property(lambda self: self._order_id)
    symbol = property(lambda self: self._symbol)
    order_type = property(lambda self: self._order_type)
    tag = property(lambda self: self._order.tag if self._order is not None else self._tag)
    quantity = property(lambda self: float(self._order.quantity if self._order is not None else self._quantity))
    time = property(lambda self: self._order.time if self._order is not None else None)

    @property
    def status(self) -> OrderStatus:
        return self._order.status if self._order is not None else self._status

    @property
    def quantity_filled(self) -> float:
        return float(self._order.quantity_filled) if self._order is not None else 0.0

    @property
    def average_fill_price(self) -> float:
        return float(self._order.price) if self._order is not None else 0.0

    @property
    def submit_order_response(self) -> OrderResponse:
        return self._response

    def get(self, field: OrderField) -> float:
        order = self._order
        if order is None:
            return 0.0
        name = {OrderField.LIMIT_PRICE: "limit_price", OrderField.STOP_PRICE: "stop_price",
                OrderField.TRIGGER_PRICE: "trigger_price", OrderField.TRAILING_AMOUNT: "trailing_amount",
                OrderField.TRAILING_AS_PERCENTAGE: "trailing_as_percentage"}[OrderField(field)]
        if not hasattr(order, name):
            raise ValueError(f"Unable to get field {OrderField(field).name} on order of type {order.type!s}")
        return float(getattr(order, name))

    def update(self, fields: UpdateOrderFields) -> OrderResponse:
        if self._handler is None or self._order is None:
            return OrderResponse(self._order_id, False, "order is invalid")
        self.update_requests.append(fields)
        return self._handler.request_update(self, fields)

    def update_quantity(self, quantity: float, tag: str | None = None) -> OrderResponse:
        return self.update(UpdateOrderFields(quantity=quantity, tag=tag))

    def update_limit_price(self, limit_price: float, tag: str | None = None) -> OrderResponse:
        return self.update(UpdateOrderFields(limit_price=limit_price, tag=tag))

    def update_stop_price(self, stop_price: float, tag: str | None = None) -> OrderResponse:
        return self.update(UpdateOrderFields(stop_price=stop_price, tag=tag))

    def update_trigger_price(self, trigger_price: float, tag: str | None = None) -> OrderResponse:
        return self.update(UpdateOrderFields(trigger_price=trigger_price, tag=tag))

    def update_tag(self, tag: str) -> OrderResponse:
        return self.update(UpdateOrderFields(tag=tag))

    def cancel(self, tag: str | None = None) -> OrderResponse:
        if self._handler is None or self._order is None:
            return OrderResponse(self._order_id, False, "order is invalid")
        return self._handler.request_cancel(self, tag)

    def _add_event(self, event: OrderEvent) -> None:
        event.ticket = self
        self.order_events.append(event)

    def __repr__(self) -> str:
        return f"{self._order_id}: {self._symbol} {self.status!s} {self.quantity}"


def quantity_decimal(value: Any) -> Decimal:
    return to_decimal(value)


@lean_api
class SubmitOrderRequest:
    """A request to place an order (Common/Orders/SubmitOrderRequest.cs); `transactions.add_order` takes one."""

    def __init__(self, order_type: OrderType, security_type: Any, symbol: Any, quantity: float, stop_price: float,
                 limit_price: float, trigger_price_or_time: Any = 0, trailing_amount: float = 0,
                 trailing_as_percentage: bool = False, time: Any = None, tag: str = "",
                 properties: Any = None, asynchronous: bool = False) -> None:
        # Lean has two overloads: (..., limit, time, tag, properties) and (..., limit, trigger, trailing,
        # as_percentage, time, tag, properties); tell them apart by the 7th argument's type.
        if not isinstance(trigger_price_or_time, (int, float, Decimal)):
            time, tag, properties = trigger_price_or_time, (trailing_amount or "") if isinstance(trailing_amount, str) else tag, properties
            trigger_price_or_time, trailing_amount, trailing_as_percentage = 0, 0, False
        self.order_type = order_type
        self.security_type = security_type
        self.symbol = symbol
        self.quantity = quantity
        self.stop_price = stop_price
        self.limit_price = limit_price
        self.trigger_price = trigger_price_or_time
        self.trailing_amount = trailing_amount
        self.trailing_as_percentage = trailing_as_percentage
        self.time = time
        self.tag = tag
        self.order_properties = properties
        self.asynchronous = asynchronous
        self.order_id = 0
        self.response = OrderResponse(0)
