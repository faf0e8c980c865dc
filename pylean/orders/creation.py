"""Orders from requests and their price rounding (Common/Orders/Order.cs CreateOrder,
BrokerageTransactionHandler.RoundOrderPrices, Common/Securities/EquityPriceVariationModel.cs)."""
from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any

from pylean.enums import DataNormalizationMode, OrderStatus, OrderType
from pylean.orders.combo import COMBO_TYPES, combo_order_from_request
from pylean.orders.requests import SubmitOrderRequest
from pylean.orders.types import (LimitIfTouchedOrder, LimitOrder, MarketOnCloseOrder, MarketOnOpenOrder, MarketOrder,
                                 Order, OrderProperties, StopLimitOrder, StopMarketOrder, TrailingStopOrder)
from pylean.statistics.dotnet import decimal_str

if TYPE_CHECKING:
    from pylean.securities import Security

_SIMPLE = {OrderType.MARKET: MarketOrder, OrderType.MARKET_ON_OPEN: MarketOnOpenOrder,
           OrderType.MARKET_ON_CLOSE: MarketOnCloseOrder}
# the price fields each order type rounds, in Lean's order
_PRICE_FIELDS = {
    OrderType.LIMIT: (("limit_price", "LimitPrice"),),
    OrderType.STOP_MARKET: (("stop_price", "StopPrice"),),
    OrderType.STOP_LIMIT: (("limit_price", "LimitPrice"), ("stop_price", "StopPrice")),
    OrderType.TRAILING_STOP: (("stop_price", "StopPrice"),),
    OrderType.LIMIT_IF_TOUCHED: (("limit_price", "LimitPrice"), ("trigger_price", "TriggerPrice")),
}


def order_from_request(request: SubmitOrderRequest, utc_now: datetime) -> Order:
    """Order.CreateOrder: the order the request describes, status New, time = the request's time."""
    time = utc_now if request.time is None else request.time  # naive request times are UTC
    quantity = request._quantity
    props = request.order_properties or OrderProperties()
    kind = request.order_type if type(request.order_type) is OrderType else OrderType(request.order_type)
    stop, limit = request._stop_price, request._limit_price
    tag = request.tag or ""
    order: Order
    if kind in COMBO_TYPES:
        return combo_order_from_request(request, time)
    if kind in _SIMPLE:
        order = _SIMPLE[kind](request.symbol, quantity, time, tag, props)
    elif kind == OrderType.LIMIT:
        order = LimitOrder(request.symbol, quantity, limit, time, tag, props)
    elif kind == OrderType.STOP_MARKET:
        order = StopMarketOrder(request.symbol, quantity, stop, time, tag, props)
    elif kind == OrderType.STOP_LIMIT:
        order = StopLimitOrder(request.symbol, quantity, stop, limit, time, tag, props)
    elif kind == OrderType.LIMIT_IF_TOUCHED:
        order = LimitIfTouchedOrder(request.symbol, quantity, request._trigger_price, limit, time,
                                    tag, props)
    elif kind == OrderType.TRAILING_STOP:
        order = TrailingStopOrder(request.symbol, quantity, stop, request._trailing_amount,
                                  bool(request.trailing_as_percentage), time, tag, props)
    else:
        raise ValueError(f"order type {kind!s} is not supported for US equities")
    order.id = request.order_id
    return order


def new_market_order(request: SubmitOrderRequest, time: datetime) -> MarketOrder:
    """order_from_request of a market request whose time (aware UTC) is known: MarketOrder's __init__ fields
    stored in one frame, in its order (the same instance dictionary), then the id."""
    order = _new(MarketOrder)
    order.id = 0
    order.contingent_id = 0
    order.broker_id = []
    order.symbol = request.symbol
    order._quantity = request._quantity
    order._price = _ZERO
    order.price_currency = "USD"
    order._time = order._created_time = time
    order._last_fill_time = order._last_update_time = order._canceled_time = None
    order.status = _NEW
    order.tag = request.tag or ""
    order.properties = request.order_properties or OrderProperties()
    order._submission_bid = order._submission_ask = order._submission_last = _ZERO
    order._submission_recorded = False
    order.price_adjustment_mode = 1
    order._quantity_filled = _ZERO
    order._event_count = 0
    order.id = request.order_id
    return order


_new = object.__new__
_ZERO = Decimal(0)
_NEW = OrderStatus.NEW


def minimum_price_variation(security: "Security", reference_price: Decimal) -> Decimal:
    """0 in Adjusted mode (AdjustedPriceVariationModel); otherwise 0.0001 below $1, else the tick size."""
    if security.data_normalization_mode == DataNormalizationMode.ADJUSTED:
        return Decimal(0)
    if reference_price < 1:
        return Decimal("0.0001")
    return security.symbol_properties.minimum_price_variation


def round_order_prices(order: Order, security: "Security", handler: Any = None) -> None:
    """Round the order's prices (and an absolute trailing amount) to the price variation, banker's style."""
    if order.type not in _PRICE_FIELDS:
        return  # (market orders: no price to round)
    fields = list(_PRICE_FIELDS[order.type])
    if order.type == OrderType.TRAILING_STOP and not getattr(order, "trailing_as_percentage", False):
        fields.append(("trailing_amount", "TrailingAmount"))
    for name, label in fields:
        price = getattr(order, "_" + name)
        increment = minimum_price_variation(security, price)
        if increment <= 0:
            continue
        rounded = (price / increment).to_integral_value(ROUND_HALF_EVEN) * increment
        setattr(order, "_" + name, rounded)
        if rounded != price and handler is not None:
            handler.error_once("price-rounding", f"Warning: To meet brokerage precision requirements, order {label} "
                                                 f"was rounded to {decimal_str(rounded)} from {decimal_str(price)}")
