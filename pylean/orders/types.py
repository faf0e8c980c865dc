"""Order, its subtypes, OrderEvent, OrderFee and OrderProperties (Common/Orders/*.cs)."""
from __future__ import annotations

import copy
from datetime import datetime, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pylean.enums import OrderDirection, OrderStatus, OrderType, SecurityType
from pylean.naming import alias_attributes, lean_api
from pylean.orders.time_in_force import TimeInForce
from pylean.numbers import optional_decimal, optional_float, to_decimal, to_float  # noqa: F401 (re-exported)
from pylean.statistics.dotnet import decimal_str, smart_round
from pylean.symbols import Symbol
from pylean.timeutil import last_new_york_times

if TYPE_CHECKING:
    from pylean.orders.requests import UpdateOrderRequest
    from pylean.securities import Security

TIME_IN_FORCE = TimeInForce  # re-exported: AlgorithmImports takes TimeInForce from this module

ZERO = Decimal(0)
_BUY, _SELL, _HOLD = OrderDirection.BUY, OrderDirection.SELL, OrderDirection.HOLD  # (enum class look-ups are slow)



def utc_aware(value: datetime) -> datetime:
    """The aware UTC datetime pylean keeps (a naive time is UTC, as the algorithm's utc_time is)."""
    tz = value.tzinfo
    if tz is timezone.utc:
        return value  # already what pylean keeps (astimezone would hand back the same object)
    if tz is None:
        if value is last_new_york_times[2]:  # the step's `utc_time` (fill models stamp events with it)
            return last_new_york_times[1]  # type: ignore[no-any-return]
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def naive_utc(value: datetime | None) -> datetime | None:
    """What Python reads of a Lean UTC time: naive, like `algorithm.utc_time` and `ticket.time`."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def decimal_field(name: str, optional: bool = False) -> property:
    """A Lean decimal member seen from Python: kept exact in `_<name>`, read as a float, set from any number.

    pylean's own models read and write the private Decimal; user code only ever sees floats.
    """
    private = "_" + name
    convert, parse = (optional_float, optional_decimal) if optional else (to_float, to_decimal)

    def get(self: Any) -> float | None:
        return convert(getattr(self, private))

    def set_(self: Any, value: Any) -> None:
        setattr(self, private, parse(value))

    return property(get, set_, doc=f"{name} as Python sees it (float); `{private}` holds the decimal")


def utc_time_field(name: str) -> property:
    """A Lean UTC DateTime member: kept aware in `_<name>`, read as a naive UTC datetime."""
    private = "_" + name

    def get(self: Any) -> datetime | None:
        return naive_utc(getattr(self, private))

    def set_(self: Any, value: datetime | None) -> None:
        setattr(self, private, None if value is None else utc_aware(value))

    return property(get, set_, doc=f"{name} as Python sees it (naive UTC); `{private}` holds it aware")


@lean_api
class OrderProperties:
    def __init__(self, time_in_force: TimeInForce | None = None) -> None:
        self.time_in_force = time_in_force or TimeInForce.GOOD_TIL_CANCELED

    def clone(self) -> "OrderProperties":
        clone = _new(OrderProperties)  # (OrderProperties(self.time_in_force): one per order)
        clone.time_in_force = self.time_in_force or TimeInForce.GOOD_TIL_CANCELED
        return clone


# ---------------------------------------------------------------- fees
@lean_api
class CashAmount:
    """An amount in a currency; Python reads `amount` as a float, pylean keeps the decimal in `_amount`."""

    __slots__ = ("_amount", "currency")

    def __init__(self, amount: Any, currency: str = "USD") -> None:
        self._amount = to_decimal(amount)
        self.currency = currency

    amount = property(lambda self: to_float(self._amount),
                      lambda self, value: setattr(self, "_amount", to_decimal(value)))


@lean_api
class OrderFee:
    __slots__ = ("value",)

    def __init__(self, value: CashAmount) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"{self.value._amount} {self.value.currency}"


def usd_fee(amount: Decimal) -> OrderFee:
    """OrderFee(CashAmount(amount, "USD")) without the two __init__ frames (a fee per fill)."""
    cash = _new(CashAmount)
    cash._amount = amount if type(amount) is Decimal else to_decimal(amount)
    cash.currency = "USD"
    fee = _new(OrderFee)
    fee.value = cash
    return fee


_new = object.__new__  # (an instance without running __init__: the builders here store every field)
ORDER_FEE_ZERO = OrderFee(CashAmount(ZERO, "USD"))
OrderFee.ZERO = ORDER_FEE_ZERO  # type: ignore[attr-defined]
OrderFee.Zero = ORDER_FEE_ZERO  # type: ignore[attr-defined]



# ---------------------------------------------------------------- orders
@lean_api
class OrderSubmissionData:
    """Bid, ask and last price when the order was submitted (Common/Orders/OrderSubmissionData.cs)."""

    def __init__(self, bid_price: Any, ask_price: Any, last_price: Any) -> None:
        self._bid_price = to_decimal(bid_price)
        self._ask_price = to_decimal(ask_price)
        self._last_price = to_decimal(last_price)

    bid_price = decimal_field("bid_price")
    ask_price = decimal_field("ask_price")
    last_price = decimal_field("last_price")


@lean_api
class Order:
    """Base order (Common/Orders/Order.cs); subclasses add their prices, value rule and update rule.

    Quantities and prices are kept as the decimals Lean keeps, in `_quantity`, `_price`, `_stop_price`...;
    the public members are what Lean's Python API shows: floats (pythonnet's decimal.ToDouble) and naive
    UTC times. pylean's models, fees, buying power and writer use the private decimals and aware times.
    """

    type = OrderType.MARKET

    def __init__(self, symbol: Symbol, quantity: Any, time: datetime, tag: str = "",
                 properties: OrderProperties | None = None) -> None:
        self.id = 0
        self.contingent_id = 0
        self.broker_id: list[str] = []
        self.symbol = symbol
        self._quantity = to_decimal(quantity)
        self._price = ZERO            # average fill price
        self.price_currency = "USD"
        self._time = utc_aware(time)  # submission time, aware UTC
        self._created_time = self._time
        self._last_fill_time: datetime | None = None
        self._last_update_time: datetime | None = None
        self._canceled_time: datetime | None = None
        self.status = OrderStatus.NEW
        self.tag = tag or ""
        self.properties = properties or OrderProperties()
        self._submission_bid = ZERO
        self._submission_ask = ZERO
        self._submission_last = ZERO
        self._submission_recorded = False  # Lean's OrderSubmissionData is null until the order is accepted
        self.price_adjustment_mode = 1
        self._quantity_filled = ZERO
        self._event_count = 0

    quantity = decimal_field("quantity")
    price = decimal_field("price")
    quantity_filled = decimal_field("quantity_filled")
    time = utc_time_field("time")
    created_time = utc_time_field("created_time")
    last_fill_time = utc_time_field("last_fill_time")
    last_update_time = utc_time_field("last_update_time")
    canceled_time = utc_time_field("canceled_time")

    @property
    def direction(self) -> OrderDirection:
        if self._quantity > 0:
            return _BUY
        return _SELL if self._quantity < 0 else _HOLD

    @property
    def absolute_quantity(self) -> float:
        return to_float(abs(self._quantity))

    @property
    def value(self) -> float:
        """Order.Value: quantity x average fill price."""
        return to_float(self._quantity * self._price)

    @property
    def order_submission_data(self) -> OrderSubmissionData:
        return OrderSubmissionData(self._submission_bid, self._submission_ask, self._submission_last)

    @property
    def time_in_force(self) -> TimeInForce:
        return self.properties.time_in_force

    @property
    def security_type(self) -> SecurityType:
        return self.symbol.security_type

    def get_value(self, security: "Security") -> float:
        """Order.GetValue as Python sees it."""
        return to_float(self._value_decimal(security))

    def _value_decimal(self, security: "Security | Decimal") -> Decimal:
        """Order.GetValue: quantity x value price (x multiplier) in the account currency."""
        if isinstance(security, Decimal):
            return self._quantity * self._value_price(security)
        multiplier = security.symbol_properties.contract_multiplier
        return self._quantity * self._value_price(security.cache.trade_decimal()) * multiplier

    def _value_price(self, security_price: Decimal) -> Decimal:
        """The price Lean's Order.GetValue uses (market-type orders: the security price)."""
        return security_price

    def _price_fields(self) -> dict[str, Decimal | bool]:
        return {}

    def default_tag(self) -> str:
        return ""

    def apply_update(self, request: "UpdateOrderRequest") -> None:
        """Order.ApplyUpdateOrderRequest: quantity and tag; subclasses add their prices."""
        if request._quantity is not None:
            self._quantity = request._quantity
        if request.tag is not None:
            self.tag = request.tag

    def clone(self) -> "Order":
        """What `transactions.get_order_by_id` hands out: a snapshot, as Lean's Order.Clone."""
        return copy.copy(self)

    def next_event_id(self) -> int:
        self._event_count += 1
        return self._event_count

    def __repr__(self) -> str:
        tag = f": {self.tag}" if self.tag else ""
        unit = "unit" if self._quantity == 1 else "units"
        return (f"OrderId: {self.id} (BrokerId: {','.join(self.broker_id)}) {self.status!s} {self.type!s} order "
                f"for {decimal_str(self._quantity)} {unit} of {self.symbol}{tag}")

    def to_string(self) -> str:
        """ToString(), as Python code calls it on Lean's objects."""
        return repr(self)


_DIRECTION = Order.direction  # (an order class that overrides it is asked)


def _lower_for_buys(quantity: Decimal, price: Decimal, security_price: Decimal) -> Decimal:
    """Lean's value rule of priced orders: buys at the lower, sells at the higher of the two prices."""
    if quantity > 0:
        return min(price, security_price)
    return max(price, security_price) if quantity < 0 else ZERO


class MarketOrder(Order):
    type = OrderType.MARKET


class MarketOnOpenOrder(Order):
    type = OrderType.MARKET_ON_OPEN


class MarketOnCloseOrder(Order):
    type = OrderType.MARKET_ON_CLOSE


class LimitOrder(Order):
    type = OrderType.LIMIT

    def __init__(self, symbol: Symbol, quantity: Any, limit_price: Any, time: datetime, tag: str = "",
                 properties: OrderProperties | None = None) -> None:
        super().__init__(symbol, quantity, time, tag, properties)
        self._limit_price = to_decimal(limit_price)

    limit_price = decimal_field("limit_price")

    def _value_price(self, security_price: Decimal) -> Decimal:
        return _lower_for_buys(self._quantity, self._limit_price, security_price)

    def apply_update(self, request: "UpdateOrderRequest") -> None:
        super().apply_update(request)
        if request._limit_price is not None:
            self._limit_price = request._limit_price

    def _price_fields(self) -> dict[str, Decimal | bool]:
        return {"limitPrice": self._limit_price}


class StopMarketOrder(Order):
    type = OrderType.STOP_MARKET

    def __init__(self, symbol: Symbol, quantity: Any, stop_price: Any, time: datetime, tag: str = "",
                 properties: OrderProperties | None = None) -> None:
        super().__init__(symbol, quantity, time, tag, properties)
        self._stop_price = to_decimal(stop_price)

    stop_price = decimal_field("stop_price")

    def _value_price(self, security_price: Decimal) -> Decimal:
        return _lower_for_buys(self._quantity, self._stop_price, security_price)

    def apply_update(self, request: "UpdateOrderRequest") -> None:
        super().apply_update(request)
        if request._stop_price is not None:
            self._stop_price = request._stop_price

    def _price_fields(self) -> dict[str, Decimal | bool]:
        return {"stopPrice": self._stop_price}


class StopLimitOrder(Order):
    type = OrderType.STOP_LIMIT

    def __init__(self, symbol: Symbol, quantity: Any, stop_price: Any, limit_price: Any,
                 time: datetime, tag: str = "", properties: OrderProperties | None = None) -> None:
        super().__init__(symbol, quantity, time, tag, properties)
        self._stop_price = to_decimal(stop_price)
        self._limit_price = to_decimal(limit_price)
        self.stop_triggered = False

    stop_price = decimal_field("stop_price")
    limit_price = decimal_field("limit_price")

    def _value_price(self, security_price: Decimal) -> Decimal:
        return _lower_for_buys(self._quantity, self._limit_price, security_price)

    def apply_update(self, request: "UpdateOrderRequest") -> None:
        super().apply_update(request)
        if request._stop_price is not None:
            self._stop_price = request._stop_price
        if request._limit_price is not None:
            self._limit_price = request._limit_price

    def _price_fields(self) -> dict[str, Decimal | bool]:
        return {"stopPrice": self._stop_price, "limitPrice": self._limit_price, "stopTriggered": self.stop_triggered}


class LimitIfTouchedOrder(Order):
    type = OrderType.LIMIT_IF_TOUCHED

    def __init__(self, symbol: Symbol, quantity: Any, trigger_price: Any, limit_price: Any,
                 time: datetime, tag: str = "", properties: OrderProperties | None = None) -> None:
        super().__init__(symbol, quantity, time, tag, properties)
        self._trigger_price = to_decimal(trigger_price)
        self._limit_price = to_decimal(limit_price)
        self.trigger_touched = False

    trigger_price = decimal_field("trigger_price")
    limit_price = decimal_field("limit_price")

    def _value_price(self, security_price: Decimal) -> Decimal:
        return _lower_for_buys(self._quantity, self._limit_price, security_price)

    def apply_update(self, request: "UpdateOrderRequest") -> None:
        super().apply_update(request)
        if request._trigger_price is not None:
            self._trigger_price = request._trigger_price
        if request._limit_price is not None:
            self._limit_price = request._limit_price

    def _price_fields(self) -> dict[str, Decimal | bool]:
        return {"triggerPrice": self._trigger_price, "limitPrice": self._limit_price,
                "triggerTouched": self.trigger_touched}


class TrailingStopOrder(StopMarketOrder):
    type = OrderType.TRAILING_STOP

    def __init__(self, symbol: Symbol, quantity: Any, stop_price: Any, trailing_amount: Any,
                 trailing_as_percentage: bool, time: datetime, tag: str = "",
                 properties: OrderProperties | None = None) -> None:
        super().__init__(symbol, quantity, stop_price, time, tag, properties)
        self._trailing_amount = to_decimal(trailing_amount)
        self.trailing_as_percentage = trailing_as_percentage

    trailing_amount = decimal_field("trailing_amount")

    def default_tag(self) -> str:
        return f"Trailing Amount: {trailing_amount_text(self._trailing_amount, self.trailing_as_percentage)}"

    def apply_update(self, request: "UpdateOrderRequest") -> None:
        super().apply_update(request)
        if request._trailing_amount is not None:
            self._trailing_amount = request._trailing_amount

    def _price_fields(self) -> dict[str, Decimal | bool]:
        return {"stopPrice": self._stop_price, "trailingAmount": self._trailing_amount,
                "trailingAsPercentage": self.trailing_as_percentage}


def trailing_amount_text(amount: Decimal, as_percentage: bool) -> str:
    """Messages.TrailingStopOrder.TrailingAmount: "0.2500%" (decimal x 100 keeps its scale) or "$0.5"."""
    return f"{decimal_str(amount * 100)}%" if as_percentage else f"${decimal_str(amount)}"


# ---------------------------------------------------------------- events
@lean_api
class OrderEvent:
    """One change of an order's state (Common/Orders/OrderEvent.cs).

    Built like Lean's `OrderEvent(order, utc_time, order_fee, message)`: it copies the order's
    status, direction and prices; fill models then set `status`, `fill_price` and `fill_quantity`.
    Numbers are decimals in `_fill_price`, `_fill_quantity`, `_quantity`, `_limit_price`...; Python
    reads floats and sets any number (made a decimal through its repr, as pythonnet does).
    """

    def __init__(self, order: Order, utc_time: datetime, order_fee: OrderFee | None = None, message: str = "") -> None:
        self.order_id = order.id
        self.id = 0
        self.symbol = order.symbol
        self._utc_time = utc_aware(utc_time)
        self.status = order.status
        self._fill_price = ZERO
        self.fill_price_currency = "USD"
        self._fill_quantity = ZERO
        self.direction = order.direction
        self.order_fee = order_fee or ORDER_FEE_ZERO
        self.message = message
        self.is_assignment = False
        self.is_in_the_money = False
        self.copy_prices(order)
        self.ticket: Any = None

    def copy_prices(self, order: Order) -> None:
        """The order's current quantity and prices, as the transaction handler stamps every event."""
        self._quantity = order._quantity
        fields = order.__dict__  # an order's prices are instance fields (a miss costs getattr an exception)
        self._limit_price: Decimal | None = fields.get("_limit_price")
        self._stop_price: Decimal | None = fields.get("_stop_price")
        self._trigger_price: Decimal | None = fields.get("_trigger_price")
        self._trailing_amount: Decimal | None = fields.get("_trailing_amount")
        self.trailing_as_percentage: bool | None = (fields.get("trailing_as_percentage")
                                                    if self._trailing_amount is not None else None)

    utc_time = utc_time_field("utc_time")
    fill_price = decimal_field("fill_price")
    fill_quantity = decimal_field("fill_quantity")
    quantity = decimal_field("quantity")
    limit_price = decimal_field("limit_price", optional=True)
    stop_price = decimal_field("stop_price", optional=True)
    trigger_price = decimal_field("trigger_price", optional=True)
    trailing_amount = decimal_field("trailing_amount", optional=True)
    absolute_fill_quantity = property(lambda self: to_float(abs(self._fill_quantity)))
    is_fill = property(lambda self: self.status in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED))

    def to_string(self) -> str:
        """ToString(), as Python code calls it on Lean's objects."""
        return repr(self)

    def __repr__(self) -> str:
        text = (f"Time: {self._utc_time:%m/%d/%Y %H:%M:%S} OrderID: {self.order_id} EventID: {self.id} "
                f"Symbol: {self.symbol.value} Status: {self.status!s} Quantity: {decimal_str(self._quantity)}")
        if self._fill_quantity:
            text += (f" FillQuantity: {decimal_str(self._fill_quantity)} "
                     f"FillPrice: ${decimal_str(smart_round(self._fill_price))}")
        for label, value in (("LimitPrice", self._limit_price), ("StopPrice", self._stop_price)):
            if value is not None:
                text += f" {label}: ${decimal_str(smart_round(value))}"
        if self._trailing_amount is not None:
            text += " TrailingAmount: " + trailing_amount_text(self._trailing_amount,
                                                               bool(self.trailing_as_percentage))
        if self._trigger_price is not None:
            text += f" TriggerPrice: ${decimal_str(smart_round(self._trigger_price))}"
        if self.order_fee.value._amount:
            text += f" OrderFee: {self.order_fee}"
        if self.message:
            text += f" Message: {self.message}"
        return text


def stamped_event(order: Order, utc_time: datetime, status: OrderStatus, fee: OrderFee = ORDER_FEE_ZERO,
                  message: str = "") -> OrderEvent:
    """`OrderEvent(order, utc_time, fee, message)` with `status` set, in one frame (a Submitted and a
    fill event per order): the same fields stored in the same order as __init__ and copy_prices."""
    event = _new(OrderEvent)
    event.order_id = order.id
    event.id = 0
    event.symbol = order.symbol
    event._utc_time = utc_time if utc_time.tzinfo is timezone.utc else utc_aware(utc_time)
    event.status = status
    event._fill_price = ZERO
    event.fill_price_currency = "USD"
    event._fill_quantity = ZERO
    quantity = order._quantity
    event.direction = order.direction if type(order).direction is not _DIRECTION else (
        _BUY if quantity > 0 else _SELL if quantity < 0 else _HOLD)
    event.order_fee = fee
    event.message = message
    event.is_assignment = False
    event.is_in_the_money = False
    event._quantity = quantity
    fields = order.__dict__
    event._limit_price = fields.get("_limit_price")
    event._stop_price = fields.get("_stop_price")
    event._trigger_price = fields.get("_trigger_price")
    trailing = event._trailing_amount = fields.get("_trailing_amount")
    event.trailing_as_percentage = fields.get("trailing_as_percentage") if trailing is not None else None
    event.ticket = None
    return event


# Lean's PascalCase spelling for the instance attributes user models read and write (fill.Status = ...)
alias_attributes(Order, ["id", "contingent_id", "broker_id", "symbol", "price_currency", "status", "tag",
                         "properties"])
alias_attributes(LimitOrder, ["limit_price"])
alias_attributes(StopMarketOrder, ["stop_price"])
alias_attributes(StopLimitOrder, ["stop_price", "limit_price", "stop_triggered"])
alias_attributes(LimitIfTouchedOrder, ["trigger_price", "limit_price", "trigger_touched"])
alias_attributes(TrailingStopOrder, ["trailing_amount", "trailing_as_percentage"])
alias_attributes(OrderEvent, ["order_id", "id", "symbol", "status", "fill_price_currency", "direction",
                              "order_fee", "message", "is_assignment", "trailing_as_percentage", "ticket"])
alias_attributes(OrderProperties, ["time_in_force"])
