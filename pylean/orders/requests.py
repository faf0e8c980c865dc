"""Order requests and responses (Common/Orders/OrderRequest.cs, SubmitOrderRequest.cs, UpdateOrderRequest.cs,
CancelOrderRequest.cs, UpdateOrderFields.cs, OrderResponse.cs, OrderResponseErrorCode.cs)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import IntEnum
from typing import Any

from pylean.enums import OrderType
from pylean.naming import lean_api, to_pascal
from pylean.orders.types import decimal_field, optional_decimal, to_decimal


class OrderResponseErrorCode(IntEnum):
    NONE = 0
    PROCESSING_ERROR = -1
    ORDER_ALREADY_EXISTS = -2
    INSUFFICIENT_BUYING_POWER = -3
    BROKERAGE_MODEL_REFUSED_TO_SUBMIT_ORDER = -4
    BROKERAGE_FAILED_TO_SUBMIT_ORDER = -5
    BROKERAGE_FAILED_TO_UPDATE_ORDER = -6
    BROKERAGE_HANDLER_REFUSED_TO_UPDATE_ORDER = -7
    BROKERAGE_FAILED_TO_CANCEL_ORDER = -8
    INVALID_ORDER_STATUS = -9
    UNABLE_TO_FIND_ORDER = -10
    ORDER_QUANTITY_ZERO = -11
    UNSUPPORTED_REQUEST_TYPE = -12
    PRE_ORDER_CHECKS_ERROR = -13
    MISSING_SECURITY = -14
    EXCHANGE_NOT_OPEN = -15
    SECURITY_PRICE_ZERO = -16
    FOREX_BASE_AND_QUOTE_CURRENCIES_REQUIRED = -17
    FOREX_CONVERSION_RATE_ZERO = -18
    SECURITY_HAS_NO_DATA = -19
    EXCEEDED_MAXIMUM_ORDERS = -20
    MARKET_ON_CLOSE_ORDER_TOO_LATE = -21
    INVALID_REQUEST = -22
    REQUEST_CANCELED = -23
    ALGORITHM_WARMING_UP = -24
    BROKERAGE_MODEL_REFUSED_TO_UPDATE_ORDER = -25
    QUOTE_CURRENCY_REQUIRED = -26
    CONVERSION_RATE_ZERO = -27
    NON_TRADABLE_SECURITY = -28
    NON_EXERCISABLE_SECURITY = -29
    ORDER_QUANTITY_LESS_THAN_LOT_SIZE = -30
    EXCEEDS_SHORTABLE_QUANTITY = -31
    INVALID_NEW_ORDER_STATUS = -32
    EUROPEAN_OPTION_NOT_EXPIRED_ON_EXERCISE = -33
    OPTION_ORDER_ON_STOCK_SPLIT = -34
    MARKET_ON_OPEN_NOT_ALLOWED_DURING_REGULAR_HOURS = -35

    def __str__(self) -> str:  # Lean prints enum names: "InvalidOrderStatus"
        return to_pascal(self.name.lower())


for _code in list(OrderResponseErrorCode):
    type.__setattr__(OrderResponseErrorCode, to_pascal(_code.name.lower()), _code)


_NO_ERROR = OrderResponseErrorCode.NONE
_NO_ORDER_ID = int(OrderResponseErrorCode.UNABLE_TO_FIND_ORDER)  # a request's id until the handler gives one
_ZERO = Decimal(0)


class OrderRequestStatus(IntEnum):
    UNPROCESSED = 0
    PROCESSING = 1
    PROCESSED = 2
    ERROR = 3

    def __str__(self) -> str:
        return to_pascal(self.name.lower())


@lean_api
class OrderResponse:
    """The outcome of one request; `OrderResponse.UNPROCESSED` until the request is handled."""

    UNPROCESSED: "OrderResponse"

    def __init__(self, order_id: int, error_code: OrderResponseErrorCode = OrderResponseErrorCode.NONE,
                 error_message: str | None = None) -> None:
        self.order_id = order_id
        # (a member already: skip the enum's look-up, every request gets a response or two)
        self.error_code = (error_code if type(error_code) is OrderResponseErrorCode
                           else OrderResponseErrorCode(error_code))
        self.error_message = (error_message or "An unexpected error occurred.") if error_code else ""

    is_processed = property(lambda self: self is not OrderResponse.UNPROCESSED)
    # (UNPROCESSED's code is NONE: no need to ask is_processed first)
    is_error = property(lambda self: self.error_code != _NO_ERROR and self is not OrderResponse.UNPROCESSED)
    is_success = property(lambda self: self.is_processed and not self.is_error)

    @staticmethod
    def success(request: "OrderRequest") -> "OrderResponse":
        return OrderResponse(request.order_id)

    @staticmethod
    def error(request: "OrderRequest", code: OrderResponseErrorCode, message: str) -> "OrderResponse":
        return OrderResponse(request.order_id, code, message)

    @staticmethod
    def invalid_status(request: "OrderRequest", order: Any) -> "OrderResponse":
        return OrderResponse(request.order_id, OrderResponseErrorCode.INVALID_ORDER_STATUS,
                             f"Unable to update order with id {request.order_id} because it already has "
                             f"{order.status!s} status.")

    @staticmethod
    def unable_to_find_order(request: "OrderRequest") -> "OrderResponse":
        return OrderResponse(request.order_id, OrderResponseErrorCode.UNABLE_TO_FIND_ORDER,
                             f"Unable to locate order with id {request.order_id}.")

    @staticmethod
    def zero_quantity(request: "OrderRequest") -> "OrderResponse":
        return OrderResponse(request.order_id, OrderResponseErrorCode.ORDER_QUANTITY_ZERO,
                             f"Unable to {request.order_request_type.lower()} order with id {request.order_id} "
                             "that has zero quantity.")

    @staticmethod
    def warming_up(request: "OrderRequest") -> "OrderResponse":
        # Lean formats code names for the algorithm's language: snake_case for Python
        return OrderResponse(request.order_id, OrderResponseErrorCode.ALGORITHM_WARMING_UP,
                             "This operation is not allowed in initialize or during warm up: "
                             f"OrderRequest.{request.order_request_type.lower()}. Please move this code to the "
                             "on_warmup_finished() method.")

    def __repr__(self) -> str:
        if not self.is_processed:
            return "Unprocessed"
        return f"Error: {self.error_code!s} - {self.error_message}" if self.is_error else "Success"

    __str__ = __repr__


OrderResponse.UNPROCESSED = OrderResponse(-2**31)
OrderResponse.Unprocessed = OrderResponse.UNPROCESSED  # type: ignore[attr-defined]


@lean_api
class OrderRequest:
    """Base of submit/update/cancel requests: time, order id, tag, response and status."""

    order_request_type = "Submit"

    def __init__(self, time: datetime | None, order_id: int, tag: str | None) -> None:
        self.time = time
        self.order_id = order_id
        self.tag = tag
        self.response = OrderResponse.UNPROCESSED
        self.status = OrderRequestStatus.UNPROCESSED

    def set_response(self, response: OrderResponse,
                     status: OrderRequestStatus = OrderRequestStatus.ERROR) -> None:
        # an error response always marks the request as an error, whatever status was asked for
        self.status = (status if response.error_code == _NO_ERROR or response is OrderResponse.UNPROCESSED
                       else OrderRequestStatus.ERROR)
        self.response = response


_UPDATE_NUMBERS = ("quantity", "limit_price", "stop_price", "trigger_price", "trailing_amount")


@lean_api
class UpdateOrderFields:
    """The values an update changes; None leaves a field as it is.

    Lean's `decimal?` members: kept as Decimal (or None) in `_quantity`, `_limit_price`...; Python sets
    any number and reads floats.
    """

    def __init__(self, quantity: float | None = None, limit_price: float | None = None,
                 stop_price: float | None = None, trigger_price: float | None = None,
                 trailing_amount: float | None = None, tag: str | None = None) -> None:
        self._quantity = optional_decimal(quantity)
        self._limit_price = optional_decimal(limit_price)
        self._stop_price = optional_decimal(stop_price)
        self._trigger_price = optional_decimal(trigger_price)
        self._trailing_amount = optional_decimal(trailing_amount)
        self.tag = tag

    quantity = decimal_field("quantity", optional=True)
    limit_price = decimal_field("limit_price", optional=True)
    stop_price = decimal_field("stop_price", optional=True)
    trigger_price = decimal_field("trigger_price", optional=True)
    trailing_amount = decimal_field("trailing_amount", optional=True)


@lean_api
class UpdateOrderRequest(OrderRequest):
    order_request_type = "Update"

    def __init__(self, time: datetime | None, order_id: int, fields: UpdateOrderFields) -> None:
        super().__init__(time, order_id, fields.tag)
        self._quantity: Decimal | None = fields._quantity
        self._limit_price: Decimal | None = fields._limit_price
        self._stop_price: Decimal | None = fields._stop_price
        self._trigger_price: Decimal | None = fields._trigger_price
        self._trailing_amount: Decimal | None = fields._trailing_amount

    quantity = decimal_field("quantity", optional=True)
    limit_price = decimal_field("limit_price", optional=True)
    stop_price = decimal_field("stop_price", optional=True)
    trigger_price = decimal_field("trigger_price", optional=True)
    trailing_amount = decimal_field("trailing_amount", optional=True)

    def is_allowed_for_closed_order(self) -> bool:
        # only a tag change may touch a closed order
        return self.tag is not None and all(getattr(self, "_" + name) is None for name in _UPDATE_NUMBERS)


@lean_api
class CancelOrderRequest(OrderRequest):
    order_request_type = "Cancel"


@lean_api
class SubmitOrderRequest(OrderRequest):
    """A request to place an order; `transactions.add_order` takes one.

    Lean's three constructors are told apart by the position of the `time` argument:
    (type, security_type, symbol, quantity, stop, limit[, trigger[, trailing_amount, as_percentage]],
    time, tag[, properties[, group_order_manager[, asynchronous]]]).
    """

    order_request_type = "Submit"

    def __init__(self, order_type: OrderType, security_type: Any, symbol: Any, quantity: float, stop_price: float,
                 limit_price: float, *args: Any, **kwargs: Any) -> None:
        values = _submit_overload(args, kwargs)
        super().__init__(values["time"], int(OrderResponseErrorCode.UNABLE_TO_FIND_ORDER), values["tag"])
        self.order_type = OrderType(order_type)
        self.security_type = security_type
        self.symbol = symbol
        self._quantity = to_decimal(quantity or 0)
        self._stop_price = to_decimal(stop_price or 0)
        self._limit_price = to_decimal(limit_price or 0)
        self._trigger_price = to_decimal(values["trigger_price"] or 0)
        self._trailing_amount = to_decimal(values["trailing_amount"] or 0)
        self.trailing_as_percentage = bool(values["trailing_as_percentage"])
        self.order_properties = values["properties"]
        self.group_order_manager = values["group_order_manager"]
        self.asynchronous = bool(values["asynchronous"])

    @classmethod
    def of(cls, order_type: OrderType, security_type: Any, symbol: Any, quantity: Any, stop_price: Any,
           limit_price: Any, trigger_price: Any, trailing_amount: Any, trailing_as_percentage: bool,
           time: datetime | None, tag: str, properties: Any, asynchronous: bool) -> "SubmitOrderRequest":
        """The trigger/trailing constructor without telling overloads apart: pylean's own order methods
        pass every field by position, so each order skips the argument matching."""
        request = cls.__new__(cls)
        request.time, request.order_id, request.tag = time, _NO_ORDER_ID, tag  # (OrderRequest.__init__)
        request.response, request.status = OrderResponse.UNPROCESSED, OrderRequestStatus.UNPROCESSED
        request.order_type = order_type
        request.security_type = security_type
        request.symbol = symbol
        # (to_decimal(x or 0): most of these are 0, whose decimal is shared)
        request._quantity = (quantity if type(quantity) is Decimal else to_decimal(quantity)) if quantity else _ZERO
        request._stop_price = to_decimal(stop_price) if stop_price else _ZERO
        request._limit_price = to_decimal(limit_price) if limit_price else _ZERO
        request._trigger_price = to_decimal(trigger_price) if trigger_price else _ZERO
        request._trailing_amount = to_decimal(trailing_amount) if trailing_amount else _ZERO
        request.trailing_as_percentage = trailing_as_percentage is True or bool(trailing_as_percentage)
        request.order_properties = properties
        request.group_order_manager = None
        request.asynchronous = asynchronous is True or bool(asynchronous)
        return request

    quantity = decimal_field("quantity")
    stop_price = decimal_field("stop_price")
    limit_price = decimal_field("limit_price")
    trigger_price = decimal_field("trigger_price")
    trailing_amount = decimal_field("trailing_amount")

    def set_order_id(self, order_id: int) -> None:
        self.order_id = order_id


_HEADS = {0: (), 1: ("trigger_price",), 3: ("trigger_price", "trailing_amount", "trailing_as_percentage")}
_TAIL = ("time", "tag", "properties", "group_order_manager", "asynchronous")


def _submit_overload(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Map the arguments after limit_price onto the overload they belong to."""
    position = next((i for i, a in enumerate(args) if isinstance(a, datetime) or a is None), None)
    if position is None or position not in _HEADS:
        position = min(len(args), 3) if "time" in kwargs else len(args)
    if position not in _HEADS:
        raise TypeError("SubmitOrderRequest: cannot tell which constructor the arguments belong to")
    names = _HEADS[position] + _TAIL
    if len(args) > len(names):
        raise TypeError(f"SubmitOrderRequest takes at most {6 + len(names)} arguments")
    values: dict[str, Any] = {"trigger_price": 0, "trailing_amount": 0, "trailing_as_percentage": False,
                              "time": None, "tag": "", "properties": None, "group_order_manager": None,
                              "asynchronous": False}
    values.update(zip(names, args))
    aliases = {"order_properties": "properties", "trigger_price": "trigger_price"}
    for key, value in kwargs.items():
        values[aliases.get(key, key)] = value
    return values
