"""Combo orders (Common/Orders/Leg.cs, GroupOrderManager.cs, ComboOrder.cs, ComboMarketOrder.cs,
ComboLimitOrder.cs, ComboLegLimitOrder.cs): several legs submitted, accepted and filled as one group.

A group is placed with the brokerage once its last leg is submitted; the brokerage asks the fill model for
all legs at once (FillModel.ComboMarketFill, ComboLimitFill, ComboLegLimitFill) with the legs' securities
in `parameters.securities_for_orders`."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pylean.enums import OrderDirection, OrderStatus, OrderType, SecurityType
from pylean.naming import lean_api
from pylean.orders.types import Order, OrderEvent, OrderProperties, _lower_for_buys, to_decimal

if TYPE_CHECKING:
    from pylean.securities import Security

ZERO = Decimal(0)
COMBO_TYPES = frozenset((OrderType.COMBO_MARKET, OrderType.COMBO_LIMIT, OrderType.COMBO_LEG_LIMIT))


@lean_api
class Leg:
    """One leg of a combo order: a symbol, its ratio (an integer) and, for leg-limit combos, its limit price."""

    def __init__(self, symbol: Any = None, quantity: int = 0, order_price: Any = None) -> None:
        self.symbol = symbol
        self.quantity = int(quantity)
        self.order_price = order_price

    @staticmethod
    def create(symbol: Any, quantity: int, limit_price: Any = None) -> "Leg":
        return Leg(symbol, quantity, limit_price)


@lean_api
class GroupOrderManager:
    """What the legs of one combo share: the group id, the group quantity, the limit price and the leg ids."""

    def __init__(self, id: int = 0, count: int = 0, quantity: Any = 0, limit_price: Any = 0) -> None:
        self.id = int(id)
        self.count = int(count)
        self._quantity = to_decimal(quantity)
        self._limit_price = to_decimal(limit_price)
        self.order_ids: list[int] = []  # a HashSet in Lean, enumerated in insertion order

    quantity = property(lambda self: float(self._quantity))
    limit_price = property(lambda self: float(self._limit_price))
    absolute_quantity = property(lambda self: float(abs(self._quantity)))

    @property
    def direction(self) -> OrderDirection:
        if self._quantity > 0:
            return OrderDirection.BUY
        return OrderDirection.SELL if self._quantity < 0 else OrderDirection.HOLD

    def add_order_id(self, order_id: int) -> None:
        if order_id and order_id not in self.order_ids:
            self.order_ids.append(order_id)


class ComboOrder(Order):
    """A leg: its quantity is the leg ratio times the group quantity (kept multiplied out)."""

    def __init__(self, symbol: Any, quantity: Any, time: datetime, group_order_manager: GroupOrderManager,
                 tag: str = "", properties: OrderProperties | None = None) -> None:
        Order.__init__(self, symbol, quantity, time, tag, properties)
        self.group_order_manager = group_order_manager

    def leg_ratio(self) -> Decimal:
        """GetOrderLegRatio: the leg quantity over the group quantity."""
        group = self.group_order_manager._quantity
        return self._quantity / group if group else ZERO

    def apply_update(self, request: Any) -> None:
        if request.tag is not None:
            self.tag = request.tag
        if request._quantity is not None:  # the group's quantity, the leg keeps its ratio
            ratio = self.leg_ratio()
            self.group_order_manager._quantity = request._quantity
            self._quantity = ratio * request._quantity


class ComboMarketOrder(ComboOrder):
    type = OrderType.COMBO_MARKET


class ComboLimitOrder(ComboOrder):
    type = OrderType.COMBO_LIMIT

    def _value_price(self, security_price: Decimal) -> Decimal:
        return _lower_for_buys(self._quantity, self.group_order_manager._limit_price, security_price)


class ComboLegLimitOrder(ComboOrder):
    type = OrderType.COMBO_LEG_LIMIT

    def __init__(self, symbol: Any, quantity: Any, limit_price: Any, time: datetime,
                 group_order_manager: GroupOrderManager, tag: str = "",
                 properties: OrderProperties | None = None) -> None:
        ComboOrder.__init__(self, symbol, quantity, time, group_order_manager, tag, properties)
        self._limit_price = to_decimal(limit_price)

    limit_price = property(lambda self: float(self._limit_price))

    def _value_price(self, security_price: Decimal) -> Decimal:
        return _lower_for_buys(self._quantity, self._limit_price, security_price)


def combo_order_from_request(request: Any, time: datetime) -> ComboOrder:
    """Order.CreateOrder for the combo types; the leg joins its group's ids."""
    group = request.group_order_manager
    kind = OrderType(request.order_type)
    props = request.order_properties or OrderProperties()
    tag = request.tag or ""
    order: ComboOrder
    if kind == OrderType.COMBO_MARKET:
        order = ComboMarketOrder(request.symbol, request._quantity, time, group, tag, props)
    elif kind == OrderType.COMBO_LIMIT:
        order = ComboLimitOrder(request.symbol, request._quantity, time, group, tag, props)
    else:
        order = ComboLegLimitOrder(request.symbol, request._quantity, request._limit_price, time, group, tag, props)
    order.id = request.order_id
    group.add_order_id(order.id)
    return order


def group_orders(order: Any, find: Any) -> list[Any] | None:
    """TryGetGroupOrders: the group's legs in id order (the order alone when it is no combo); None while a
    leg is missing."""
    group = getattr(order, "group_order_manager", None)
    if group is None:
        return [order]
    if len(group.order_ids) != group.count:
        return None
    legs = [find(order_id) for order_id in group.order_ids]
    return None if any(leg is None for leg in legs) else legs


# ------------------------------------------------------------ the fill model's combo methods
@lean_api
class SecurityForOrder:
    """One entry of FillModelParameters.SecuritiesForOrders (a Dictionary<Order, Security> pair)."""

    __slots__ = ("key", "value")

    def __init__(self, key: Any, value: Any) -> None:
        self.key, self.value = key, value


def _by_id(parameters: Any) -> list[SecurityForOrder]:
    return sorted(parameters.securities_for_orders, key=lambda pair: pair.key.id)


def _every_leg(fill_leg: Any, parameters: Any) -> list[OrderEvent]:
    """Each leg filled by `fill_leg(security, order)`; nothing unless every leg fills."""
    fills = []
    for pair in _by_id(parameters):
        fill = fill_leg(pair.value, pair.key)
        if fill.status != OrderStatus.FILLED:
            return []
        fills.append(fill)
    return fills


def combo_market_fill(model: Any, order: Any, parameters: Any) -> list[OrderEvent]:
    """Each leg filled as a market order for its whole quantity."""
    return _every_leg(model.market_fill, parameters)


def combo_leg_limit_fill(model: Any, order: Any, parameters: Any) -> list[OrderEvent]:
    """Each leg filled against its own limit price."""
    return _every_leg(model.limit_fill, parameters)


def combo_limit_fill(model: Any, order: Any, parameters: Any) -> list[OrderEvent]:
    """The legs' prices, weighted by their ratios (equity ratios per 100 shares), against the group limit:
    a buy fills below it at each leg's low, a sell above it at each leg's high."""
    from pylean.orders.fill_model import new_event, order_local_ms

    legs = []
    for pair in _by_id(parameters):
        prices = model.get_prices(pair.value, pair.key.direction)
        if prices.end_ms < order_local_ms(pair.key):
            return []  # no fills on stale data
        legs.append((pair, prices))
    group = order.group_order_manager
    buying = group.direction == OrderDirection.BUY
    current = ZERO
    for pair, prices in legs:
        ratio = pair.key.leg_ratio()
        if pair.value.symbol.security_type == SecurityType.EQUITY:
            ratio /= 100
        current += (prices._low if buying else prices._high) * ratio
    if group.direction == OrderDirection.BUY and not current < group._limit_price:
        return []
    if group.direction == OrderDirection.SELL and not current > group._limit_price:
        return []
    if group.direction == OrderDirection.HOLD:
        return []
    fills = []
    for pair, prices in legs:
        fill = new_event(pair.value, pair.key)
        fill.status = OrderStatus.FILLED
        fill._fill_price = prices._low if buying else prices._high
        fill._fill_quantity = pair.key._quantity
        fills.append(fill)
    return fills


def securities_for_orders(orders: list[Any], securities: Any) -> list[SecurityForOrder]:
    return [SecurityForOrder(leg, securities[leg.symbol]) for leg in orders]


def group_security(orders: list[Any], securities: Any) -> dict[int, "Security"] | None:
    """TryGetGroupOrdersSecurities: each leg's security, None when one no longer exists."""
    found = {}
    for leg in orders:
        if leg.symbol not in securities:
            return None
        found[leg.id] = securities[leg.symbol]
    return found
