"""Order, its subtypes, OrderEvent, OrderFee and TimeInForce (Common/Orders/*.cs)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pylean.enums import OrderDirection, OrderStatus, OrderType
from pylean.naming import lean_api
from pylean.symbols import Symbol

ZERO = Decimal(0)


def to_decimal(value: Any) -> Decimal:
    """A Python number handed to Lean becomes a decimal through its shortest repr (pythonnet)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) or (hasattr(value, "__index__") and not isinstance(value, float)):
        return Decimal(int(value))
    return Decimal(repr(float(value)))


# ---------------------------------------------------------------- time in force
@lean_api
class TimeInForce:
    """GTC / DAY / GoodTilDate(expiry) (Common/Orders/TimeInForce.cs)."""

    GOOD_TIL_CANCELED: "TimeInForce"
    DAY: "TimeInForce"

    def __init__(self, kind: str, expiry: date | None = None) -> None:
        self.kind = kind
        self.expiry = expiry

    @staticmethod
    def good_til_date(expiry: datetime | date) -> "TimeInForce":
        return TimeInForce("gtd", expiry.date() if isinstance(expiry, datetime) else expiry)

    def to_json(self) -> dict[str, Any]:
        if self.kind == "gtd":
            assert self.expiry is not None
            return {"expiry": f"{self.expiry.isoformat()}T00:00:00"}
        return {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TimeInForce) and (self.kind, self.expiry) == (other.kind, other.expiry)

    def __hash__(self) -> int:
        return hash((self.kind, self.expiry))

    def __repr__(self) -> str:
        return {"gtc": "GoodTilCanceled", "day": "Day"}.get(self.kind, f"GoodTilDate({self.expiry})")


TimeInForce.GOOD_TIL_CANCELED = TimeInForce("gtc")
TimeInForce.DAY = TimeInForce("day")
TimeInForce.GoodTilCanceled = TimeInForce.GOOD_TIL_CANCELED  # type: ignore[attr-defined]
TimeInForce.Day = TimeInForce.DAY  # type: ignore[attr-defined]
TimeInForce.GoodTilDate = TimeInForce.good_til_date  # type: ignore[attr-defined]


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
    """Base order; the subclasses below only add their price fields and type."""

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

    def value_price(self, security_price: Decimal) -> Decimal:
        """The price Lean's Order.GetValue uses (market-type orders: the security price)."""
        return security_price

    def get_value(self, security_price: Decimal) -> Decimal:
        return self.quantity * self.value_price(security_price)

    def price_fields(self) -> dict[str, Decimal | bool]:
        return {}

    def __repr__(self) -> str:
        return (f"OrderId: {self.id} {self.status!s} {type(self).__name__} order for {self.quantity} unit(s) "
                f"of {self.symbol}")


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
        return min(self.limit_price, security_price) if self.quantity > 0 else max(self.limit_price, security_price)

    def price_fields(self) -> dict[str, Decimal | bool]:
        return {"limitPrice": self.limit_price}


class StopMarketOrder(Order):
    type = OrderType.STOP_MARKET

    def __init__(self, symbol: Symbol, quantity: Decimal, stop_price: Decimal, time: datetime, tag: str = "",
                 properties: OrderProperties | None = None) -> None:
        super().__init__(symbol, quantity, time, tag, properties)
        self.stop_price = stop_price

    def value_price(self, security_price: Decimal) -> Decimal:
        return max(self.stop_price, security_price) if self.quantity > 0 else min(self.stop_price, security_price)

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
        return self.limit_price

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
        return self.limit_price

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

    def price_fields(self) -> dict[str, Decimal | bool]:
        return {"stopPrice": self.stop_price, "trailingAmount": self.trailing_amount,
                "trailingAsPercentage": self.trailing_as_percentage}


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
        self.limit_price = _float_or_none(getattr(order, "limit_price", None))
        self.stop_price = _float_or_none(getattr(order, "stop_price", None))
        self.trigger_price = _float_or_none(getattr(order, "trigger_price", None))
        self.ticket: Any = None

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
        text = (f"Time: {self.utc_time} OrderID: {self.order_id} EventID: {self.id} Symbol: {self.symbol} "
                f"Status: {self.status!s} Quantity: {self.quantity}")
        if self._fill_quantity:
            text += f" FillQuantity: {self.fill_quantity} FillPrice: {self.fill_price} USD"
        if self.order_fee.value.amount:
            text += f" OrderFee: {self.order_fee}"
        if self.message:
            text += f" Message: {self.message}"
        return text


def _float_or_none(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass
class Fill:
    """What a fill model decides for one order at one scan."""

    price: Decimal
    quantity: Decimal
    status: OrderStatus
    message: str = ""
