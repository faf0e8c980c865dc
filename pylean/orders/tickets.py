"""OrderTicket and OrderField (Common/Orders/OrderTicket.cs, OrderField.cs): the algorithm's handle on an order."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from pylean.enums import OrderStatus, OrderType
from pylean.naming import lean_api
from pylean.orders.requests import (CancelOrderRequest, OrderRequest, OrderRequestStatus, OrderResponse,
                                    OrderResponseErrorCode, SubmitOrderRequest, UpdateOrderFields,
                                    UpdateOrderRequest)
from pylean.orders.types import Order, OrderEvent, to_float

if TYPE_CHECKING:
    from pylean.orders.transactions import TransactionHandler

# AlgorithmImports takes these from this module
__all__ = ["OrderField", "OrderTicket", "OrderResponse", "SubmitOrderRequest", "UpdateOrderFields"]

ZERO = Decimal(0)
_FILLS = (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED)


class OrderField(IntEnum):
    LIMIT_PRICE = 0
    STOP_PRICE = 1
    TRIGGER_PRICE = 2
    TRAILING_AMOUNT = 3
    TRAILING_AS_PERCENTAGE = 4

    def __str__(self) -> str:
        return "".join(p.capitalize() for p in self.name.split("_"))


for _member in list(OrderField):
    type.__setattr__(OrderField, str(_member), _member)

# which order types carry each field (OrderTicket.Get)
_FIELD_TYPES = {
    OrderField.LIMIT_PRICE: ("limit_price", (OrderType.LIMIT, OrderType.STOP_LIMIT, OrderType.LIMIT_IF_TOUCHED)),
    OrderField.STOP_PRICE: ("stop_price", (OrderType.STOP_MARKET, OrderType.STOP_LIMIT, OrderType.TRAILING_STOP)),
    OrderField.TRIGGER_PRICE: ("trigger_price", (OrderType.LIMIT_IF_TOUCHED,)),
    OrderField.TRAILING_AMOUNT: ("trailing_amount", (OrderType.TRAILING_STOP,)),
    OrderField.TRAILING_AS_PERCENTAGE: ("trailing_as_percentage", (OrderType.TRAILING_STOP,)),
}


@lean_api
class OrderTicket:
    """Submit/update/cancel requests of one order and the events it produced.

    Prices, quantities and times come out as Python floats and naive UTC datetimes, as Lean hands
    them to Python.
    """

    def __init__(self, handler: "TransactionHandler | None", submit_request: SubmitOrderRequest) -> None:
        self._handler = handler
        self._submit_request = submit_request
        self._order: Order | None = None
        self._status_override: OrderStatus | None = None
        self._update_requests: list[UpdateOrderRequest] = []
        self._cancel_request: CancelOrderRequest | None = None
        self._order_events: list[OrderEvent] = []
        self._quantity_filled = ZERO
        self._average_fill_price = ZERO

    # ------------------------------------------------------------ state
    order_id = property(lambda self: self._submit_request.order_id)
    symbol = property(lambda self: self._submit_request.symbol)
    security_type = property(lambda self: self._submit_request.security_type)
    order_type = property(lambda self: self._submit_request.order_type)
    submit_request = property(lambda self: self._submit_request)
    cancel_request = property(lambda self: self._cancel_request)
    has_order = property(lambda self: self._order is not None)
    update_requests = property(lambda self: list(self._update_requests))
    order_events = property(lambda self: list(self._order_events))
    quantity_filled = property(lambda self: to_float(self._quantity_filled))
    average_fill_price = property(lambda self: to_float(self._average_fill_price))

    @property
    def status(self) -> OrderStatus:
        if self._status_override is not None:
            return self._status_override
        return self._order.status if self._order is not None else OrderStatus.NEW

    def _quantity(self) -> Decimal:
        return self._order._quantity if self._order is not None else self._submit_request._quantity

    @property
    def quantity(self) -> float:
        return to_float(self._quantity())

    @property
    def quantity_remaining(self) -> float:
        return to_float(self.quantity_remaining_decimal())

    def quantity_remaining_decimal(self) -> Decimal:
        return self._quantity() - self._quantity_filled

    @property
    def tag(self) -> str:
        return self._order.tag if self._order is not None else (self._submit_request.tag or "")

    @property
    def time(self) -> datetime | None:
        """The time of the most recent request (submit, update or cancel), naive UTC."""
        return self.get_most_recent_order_request().time

    def get(self, field: OrderField) -> float | bool:
        name, types = _FIELD_TYPES[OrderField(field)]
        if self.order_type not in types:
            raise ValueError(f"Unable to get field {OrderField(field)!s} on order of type {self.order_type!s}")
        source: Any = self._order if self._order is not None else self._submit_request
        if field == OrderField.TRAILING_AS_PERCENTAGE:
            return bool(getattr(source, name))
        return to_float(getattr(source, "_" + name))

    # ------------------------------------------------------------ requests
    def update(self, fields: UpdateOrderFields) -> OrderResponse:
        request = UpdateOrderRequest(self._now(), self.order_id, fields)
        if self._handler is None:
            request.set_response(OrderResponse.unable_to_find_order(request))
            self._update_requests.append(request)
            return request.response
        self._handler.update_order(request)
        return request.response

    def update_tag(self, tag: str) -> OrderResponse:
        return self.update(UpdateOrderFields(tag=tag))

    def update_quantity(self, quantity: float, tag: str | None = None) -> OrderResponse:
        return self.update(UpdateOrderFields(quantity=quantity, tag=tag))

    def update_limit_price(self, limit_price: float, tag: str | None = None) -> OrderResponse:
        return self.update(UpdateOrderFields(limit_price=limit_price, tag=tag))

    def update_stop_price(self, stop_price: float, tag: str | None = None) -> OrderResponse:
        return self.update(UpdateOrderFields(stop_price=stop_price, tag=tag))

    def update_trigger_price(self, trigger_price: float, tag: str | None = None) -> OrderResponse:
        return self.update(UpdateOrderFields(trigger_price=trigger_price, tag=tag))

    def update_stop_trailing_amount(self, trailing_amount: float, tag: str | None = None) -> OrderResponse:
        return self.update(UpdateOrderFields(trailing_amount=trailing_amount, tag=tag))

    def cancel(self, tag: str | None = None) -> OrderResponse:
        request = CancelOrderRequest(self._now(), self.order_id, tag)
        if self._cancel_request is not None and self._cancel_request.status != OrderRequestStatus.ERROR:
            return OrderResponse.error(request, OrderResponseErrorCode.REQUEST_CANCELED,
                                       f"Order {self.order_id} has already received a cancellation request.")
        if self._handler is None:
            request.set_response(OrderResponse.unable_to_find_order(request))
            self._cancel_request = request
            return request.response
        self._handler.cancel_order(request)
        return request.response

    def get_most_recent_order_request(self) -> OrderRequest:
        if self._cancel_request is not None:
            return self._cancel_request
        if self._update_requests:
            return self._update_requests[-1]
        return self._submit_request

    def get_most_recent_order_response(self) -> OrderResponse:
        return self.get_most_recent_order_request().response

    @property
    def submit_order_response(self) -> OrderResponse:
        return self._submit_request.response

    def _now(self) -> datetime | None:
        return self._handler.utc_now().replace(tzinfo=None) if self._handler is not None else None

    # ------------------------------------------------------------ transaction-handler side
    def set_order(self, order: Order) -> None:
        self._order = order

    def add_update_request(self, request: UpdateOrderRequest) -> None:
        self._update_requests.append(request)

    def try_set_cancel_request(self, request: CancelOrderRequest) -> bool:
        if self._cancel_request is not None and self._cancel_request.status != OrderRequestStatus.ERROR:
            return False
        self._cancel_request = request
        return True

    def add_order_event(self, event: OrderEvent) -> None:
        """Keep the running fill totals; the order's price becomes the average fill price."""
        self._order_events.append(event)
        if not event._fill_quantity:
            return
        self._quantity_filled += event._fill_quantity
        events = self._order_events
        if len(events) == 2 and events[0].status not in _FILLS and event.status in _FILLS:
            # the sum below for its usual case, Submitted then this one fill (ZERO + is what sum() adds)
            weighted = ZERO + abs(event._fill_quantity) * event._fill_price
        else:
            weighted = sum((abs(e._fill_quantity) * e._fill_price for e in events if e.status in _FILLS),
                           ZERO)  # (e.is_fill)
        self._average_fill_price = weighted / abs(self._quantity_filled) if self._quantity_filled else ZERO
        if self._order is not None:
            self._order._price = self._average_fill_price
            self._order._quantity_filled = self._quantity_filled

    @staticmethod
    def invalid(handler: "TransactionHandler | None", request: SubmitOrderRequest,
                response: OrderResponse) -> "OrderTicket":
        """A ticket for a request the pre-order checks refused: no order exists behind it."""
        request.set_response(response)
        ticket = OrderTicket(handler, request)
        ticket._status_override = OrderStatus.INVALID
        return ticket

    def __int__(self) -> int:
        response = self.get_most_recent_order_response()
        return int(response.error_code) if response.is_error else self.order_id

    def __repr__(self) -> str:
        requests = 1 + len(self._update_requests) + (self._cancel_request is not None)
        responses = sum(r.response is not OrderResponse.UNPROCESSED for r in
                        [self._submit_request, *self._update_requests,
                         *([self._cancel_request] if self._cancel_request else [])])
        counts = f"Request Count: {requests} Response Count: {responses}"
        return f"{self.order_id}: {self._order} {counts}" if self._order is not None else f"{self.order_id}: {counts}"

    def to_string(self) -> str:
        """ToString(), as Python code calls it on Lean's objects."""
        return repr(self)
