"""Order, its subtypes, OrderEvent, OrderFee and OrderProperties (Common/Orders/*.cs)."""
from __future__ import annotations

import copy
from datetime import datetime, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pylean.enums import OrderDirection, OrderStatus, OrderType, SecurityType
from pylean.naming import alias_attributes, lean_api
from pylean.orders.time_in_force import TimeInForce
from pylean.statistics.dotnet import decimal_str, smart_round
from pylean.symbols import Symbol

if TYPE_CHECKING:
    from pylean.orders.requests import UpdateOrderRequest
    from pylean.securities import Security

TIME_IN_FORCE = TimeInForce  # re-exported: AlgorithmImports takes TimeInForce from this module

ZERO = Decimal(0)


def to_decimal(value: Any) -> Decimal:
    """A Python number handed to Lean becomes a decimal through its shortest repr (pythonnet)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) or (hasattr(value, "__index__") and not isinstance(value, float)):
        return Decimal(int(value))
    return Decimal(repr(float(value)))


@lean_api
class OrderProperties:
    def __init__(self, time_in_force: TimeInForce | None = None) -> None:
        self.time_in_force = time_in_force or TimeInForce.GOOD_TIL_CANCELED

    def clone(self) -> "OrderProperties":
        return OrderProperties(self.time_in_force)


# ---------------------------------------------------------------- fees
@lean_api
class CashAmount:
    __slots__ = ("amount", "currency")

    def __init__(self, amount: Decimal, currency: str = "USD") -> None:
        self.amount = amount
        self.currency = currency


@lean_api
class OrderFee:
    __slots__ = ("value",)

    def __init__(self, value: CashAmount) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"{self.value.amount} {self.value.currency}"


ORDER_FEE_ZERO = OrderFee(CashAmount(ZERO, "USD"))
OrderFee.ZERO = ORDER_FEE_ZERO  # type: ignore[attr-defined]
OrderFee.Zero = ORDER_FEE_ZERO  # type: ignore[attr-defined]



# ---------------------------------------------------------------- orders
@lean_api
class Order:
    """Base order (Common/Orders/Order.cs); subclasses add their prices, value rule and update rule.

    Quantities and prices are kept as the decimals Lean keeps; times are aware UTC datetimes.
    """

    type = OrderType.MARKET

    def __init__(self, symbol: Symbol, quantity: Decimal, time: datetime, tag: str = "",
                 properties: OrderProperties | None = None) -> None:
        self.id = 0
        self.contingent_id = 0
        self.broker_id: list[str] = []
        self.symbol = symbol
        self.quantity = quantity
        self.price = ZERO            # average fill price
        self.price_currency = "USD"
        self.time = time             # submission UTC time (aware)
        self.created_time = time
        self.last_fill_time: datetime | None = None
        self.last_update_time: datetime | None = None
        self.canceled_time: datetime | None = None
        self.status = OrderStatus.NEW
        self.tag = tag or ""
        self.properties = properties or OrderProperties()
        self.submission_bid = ZERO
        self.submission_ask = ZERO
        self.submission_last = ZERO
        self.price_adjustment_mode = 1
        self.quantity_filled = ZERO
        self._event_count = 0

    @property
    def direction(self) -> OrderDirection:
        if self.quantity > 0:
            return OrderDirection.BUY
        return OrderDirection.SELL if self.quantity < 0 else OrderDirection.HOLD

    @property
    def absolute_quantity(self) -> Decimal:
        return abs(self.quantity)

    @property
    def time_in_force(self) -> TimeInForce:
        return self.properties.time_in_force

    @property
    def security_type(self) -> SecurityType:
        return self.symbol.security_type

    def value_price(self, security_price: Decimal) -> Decimal:
        """The price Lean's Order.GetValue uses (market-type orders: the security price)."""
        return security_price

    def get_value(self, security: "Security | Decimal") -> Decimal:
        """Order.GetValue: quantity x value price (x multiplier) in the account currency."""
        if isinstance(security, Decimal):
            return self.quantity * self.value_price(security)
        multiplier = security.symbol_properties.contract_multiplier
        return self.quantity * self.value_price(security.cache.trade_decimal()) * multiplier

    def price_fields(self) -> dict[str, Decimal | bool]:
        return {}

    def default_tag(self) -> str:
        return ""

    def apply_update(self, request: "UpdateOrderRequest") -> None:
        """Order.ApplyUpdateOrderRequest: quantity and tag; subclasses add their prices."""
        if request.quantity is not None:
            self.quantity = to_decimal(request.quantity)
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
        unit = "unit" if self.quantity == 1 else "units"
        return (f"OrderId: {self.id} (BrokerId: {','.join(self.broker_id)}) {self.status!s} {self.type!s} order "
                f"for {decimal_str(self.quantity)} {unit} of {self.symbol}{tag}")


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

    def __init__(self, symbol: Symbol, quantity: Decimal, limit_price: Decimal, time: datetime, tag: str = "",
                 properties: OrderProperties | None = None) -> None:
        super().__init__(symbol, quantity, time, tag, properties)
        self.limit_price = limit_price

    def value_price(self, security_price: Decimal) -> Decimal:
        return _lower_for_buys(self.quantity, self.limit_price, security_price)

    def apply_update(self, request: "UpdateOrderRequest") -> None:
        super().apply_update(request)
        if request.limit_price is not None:
            self.limit_price = to_decimal(request.limit_price)

    def price_fields(self) -> dict[str, Decimal | bool]:
        return {"limitPrice": self.limit_price}


class StopMarketOrder(Order):
    type = OrderType.STOP_MARKET

    def __init__(self, symbol: Symbol, quantity: Decimal, stop_price: Decimal, time: datetime, tag: str = "",
                 properties: OrderProperties | None = None) -> None:
        super().__init__(symbol, quantity, time, tag, properties)
        self.stop_price = stop_price

    def value_price(self, security_price: Decimal) -> Decimal:
        return _lower_for_buys(self.quantity, self.stop_price, security_price)

    def apply_update(self, request: "UpdateOrderRequest") -> None:
        super().apply_update(request)
        if request.stop_price is not None:
            self.stop_price = to_decimal(request.stop_price)

    def price_fields(self) -> dict[str, Decimal | bool]:
        return {"stopPrice": self.stop_price}


class StopLimitOrder(Order):
    type = OrderType.STOP_LIMIT

    def __init__(self, symbol: Symbol, quantity: Decimal, stop_price: Decimal, limit_price: Decimal,
                 time: datetime, tag: str = "", properties: OrderProperties | None = None) -> None:
        super().__init__(symbol, quantity, time, tag, properties)
        self.stop_price = stop_price
        self.limit_price = limit_price
        self.stop_triggered = False

    def value_price(self, security_price: Decimal) -> Decimal:
        return _lower_for_buys(self.quantity, self.limit_price, security_price)

    def apply_update(self, request: "UpdateOrderRequest") -> None:
        super().apply_update(request)
        if request.stop_price is not None:
            self.stop_price = to_decimal(request.stop_price)
        if request.limit_price is not None:
            self.limit_price = to_decimal(request.limit_price)

    def price_fields(self) -> dict[str, Decimal | bool]:
        return {"stopPrice": self.stop_price, "limitPrice": self.limit_price, "stopTriggered": self.stop_triggered}


class LimitIfTouchedOrder(Order):
    type = OrderType.LIMIT_IF_TOUCHED

    def __init__(self, symbol: Symbol, quantity: Decimal, trigger_price: Decimal, limit_price: Decimal,
                 time: datetime, tag: str = "", properties: OrderProperties | None = None) -> None:
        super().__init__(symbol, quantity, time, tag, properties)
        self.trigger_price = trigger_price
        self.limit_price = limit_price
        self.trigger_touched = False

    def value_price(self, security_price: Decimal) -> Decimal:
        return _lower_for_buys(self.quantity, self.limit_price, security_price)

    def apply_update(self, request: "UpdateOrderRequest") -> None:
        super().apply_update(request)
        if request.trigger_price is not None:
            self.trigger_price = to_decimal(request.trigger_price)
        if request.limit_price is not None:
            self.limit_price = to_decimal(request.limit_price)

    def price_fields(self) -> dict[str, Decimal | bool]:
        return {"triggerPrice": self.trigger_price, "limitPrice": self.limit_price,
                "triggerTouched": self.trigger_touched}


class TrailingStopOrder(StopMarketOrder):
    type = OrderType.TRAILING_STOP

    def __init__(self, symbol: Symbol, quantity: Decimal, stop_price: Decimal, trailing_amount: Decimal,
                 trailing_as_percentage: bool, time: datetime, tag: str = "",
                 properties: OrderProperties | None = None) -> None:
        super().__init__(symbol, quantity, stop_price, time, tag, properties)
        self.trailing_amount = trailing_amount
        self.trailing_as_percentage = trailing_as_percentage

    def default_tag(self) -> str:
        return f"Trailing Amount: {trailing_amount_text(self.trailing_amount, self.trailing_as_percentage)}"

    def apply_update(self, request: "UpdateOrderRequest") -> None:
        super().apply_update(request)
        if request.trailing_amount is not None:
            self.trailing_amount = to_decimal(request.trailing_amount)

    def price_fields(self) -> dict[str, Decimal | bool]:
        return {"stopPrice": self.stop_price, "trailingAmount": self.trailing_amount,
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
    """

    def __init__(self, order: Order, utc_time: datetime, order_fee: OrderFee | None = None, message: str = "") -> None:
        self.order_id = order.id
        self.id = 0
        self.symbol = order.symbol
        self.utc_time = utc_time
        self.status = order.status
        self._fill_price = ZERO
        self.fill_price_currency = "USD"
        self._fill_quantity = ZERO
        self.direction = order.direction
        self.order_fee = order_fee or ORDER_FEE_ZERO
        self.message = message
        self.is_assignment = False
        self.is_in_the_money = False
        self._quantity = order.quantity
        self.limit_price: float | None = None
        self.stop_price: float | None = None
        self.trigger_price: float | None = None
        self.trailing_amount: float | None = None
        self.trailing_as_percentage: bool | None = None
        self.copy_prices(order)
        self.ticket: Any = None

    def copy_prices(self, order: Order) -> None:
        """The order's current quantity and prices, as the transaction handler stamps every event."""
        self._quantity = order.quantity
        self.limit_price = _float_or_none(getattr(order, "limit_price", None))
        self.stop_price = _float_or_none(getattr(order, "stop_price", None))
        self.trigger_price = _float_or_none(getattr(order, "trigger_price", None))
        amount = getattr(order, "trailing_amount", None)
        self.trailing_amount = _float_or_none(amount)
        self.trailing_as_percentage = getattr(order, "trailing_as_percentage", None) if amount is not None else None

    # Python sees Lean's decimals as floats; values set from Python become decimals again
    fill_price = property(lambda self: float(self._fill_price),
                          lambda self, v: setattr(self, "_fill_price", to_decimal(v)))
    fill_quantity = property(lambda self: float(self._fill_quantity),
                             lambda self, v: setattr(self, "_fill_quantity", to_decimal(v)))
    quantity = property(lambda self: float(self._quantity),
                        lambda self, v: setattr(self, "_quantity", to_decimal(v)))
    absolute_fill_quantity = property(lambda self: abs(float(self._fill_quantity)))
    is_fill = property(lambda self: self.status in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED))

    def __repr__(self) -> str:
        when = self.utc_time.astimezone(timezone.utc) if self.utc_time.tzinfo else self.utc_time
        text = (f"Time: {when:%m/%d/%Y %H:%M:%S} OrderID: {self.order_id} EventID: {self.id} "
                f"Symbol: {self.symbol.value} Status: {self.status!s} Quantity: {decimal_str(self._quantity)}")
        if self._fill_quantity:
            text += (f" FillQuantity: {decimal_str(self._fill_quantity)} "
                     f"FillPrice: ${decimal_str(smart_round(self._fill_price))}")
        for label, value in (("LimitPrice", self.limit_price), ("StopPrice", self.stop_price)):
            if value is not None:
                text += f" {label}: ${decimal_str(smart_round(to_decimal(value)))}"
        if self.trailing_amount is not None:
            text += " TrailingAmount: " + trailing_amount_text(to_decimal(self.trailing_amount),
                                                               bool(self.trailing_as_percentage))
        if self.trigger_price is not None:
            text += f" TriggerPrice: ${decimal_str(smart_round(to_decimal(self.trigger_price)))}"
        if self.order_fee.value.amount:
            text += f" OrderFee: {self.order_fee}"
        if self.message:
            text += f" Message: {self.message}"
        return text


# Lean's PascalCase spelling for the instance attributes user models read and write (fill.Status = ...)
alias_attributes(Order, ["id", "contingent_id", "broker_id", "symbol", "quantity", "price", "price_currency", "time",
                         "created_time", "last_fill_time", "last_update_time", "canceled_time", "status", "tag",
                         "properties"])
alias_attributes(LimitOrder, ["limit_price"])
alias_attributes(StopMarketOrder, ["stop_price"])
alias_attributes(StopLimitOrder, ["stop_price", "limit_price", "stop_triggered"])
alias_attributes(LimitIfTouchedOrder, ["trigger_price", "limit_price", "trigger_touched"])
alias_attributes(TrailingStopOrder, ["trailing_amount", "trailing_as_percentage"])
alias_attributes(OrderEvent, ["order_id", "id", "symbol", "utc_time", "status", "fill_price_currency", "direction",
                              "order_fee", "message", "is_assignment", "limit_price", "stop_price", "trigger_price",
                              "trailing_amount", "trailing_as_percentage", "ticket"])
alias_attributes(OrderProperties, ["time_in_force"])


def _float_or_none(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
