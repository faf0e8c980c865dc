"""The transaction handler's and the brokerage's treatment of combo groups
(Engine/TransactionHandlers/BrokerageTransactionHandler.cs HandleSubmitOrderRequest,
Brokerages/Backtesting/BacktestingBrokerage.cs Scan).

Submission: a leg waits until the group's last leg is submitted; then every leg is checked and placed.
Scan: each pending leg (in id order) processes its whole group while the leg is open, so a group whose fills
are partial can fill again in the same scan when its next leg comes up, as in Lean."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pylean.enums import OrderStatus, OrderType
from pylean.naming import to_pascal, user_method
from pylean.orders.buying_power import check_buying_power, insufficient_buying_power_message
from pylean.orders.combo import (combo_leg_limit_fill, combo_limit_fill, combo_market_fill, group_orders,
                                 group_security, securities_for_orders)
from pylean.orders.fees import order_fee
from pylean.orders.requests import OrderResponse, OrderResponseErrorCode
from pylean.orders.types import CashAmount, OrderEvent, OrderFee

if TYPE_CHECKING:
    from pylean.orders.brokerage import BacktestingBrokerage
    from pylean.orders.transactions import TransactionHandler

_FILL_METHODS = {OrderType.COMBO_MARKET: ("combo_market_fill", combo_market_fill),
                 OrderType.COMBO_LIMIT: ("combo_limit_fill", combo_limit_fill),
                 OrderType.COMBO_LEG_LIMIT: ("combo_leg_limit_fill", combo_leg_limit_fill)}


def submit_combo_leg(handler: "TransactionHandler", request: Any, order: Any) -> OrderResponse:
    """The rest of HandleSubmitOrderRequest for a leg (tag, lot rounding and prices were done before)."""
    legs = group_orders(order, handler.orders.get)
    if legs is None:
        return OrderResponse.success(request)  # the group is placed with its last leg
    if any(leg._quantity == 0 for leg in legs):
        response = OrderResponse.zero_quantity(request)
        handler.error(response.error_message)
        for leg in legs:
            handler._invalidate(leg, response.error_message)
        return response
    securities = group_security(legs, handler.securities)
    if securities is None:
        message = f"Order Error: ids: [{','.join(str(leg.id) for leg in legs)}], the security no longer exists"
        for leg in legs:
            handler._invalidate(leg, message)
        return OrderResponse.error(request, OrderResponseErrorCode.MISSING_SECURITY, message)
    for leg in legs:
        check = check_buying_power(handler.portfolio, securities[leg.id], leg)
        if not check.is_sufficient:
            message = insufficient_buying_power_message(leg, securities[leg.id], check.reason)
            handler.error(message)
            for each in legs:
                handler._invalidate(each, message)
            return OrderResponse.error(request, OrderResponseErrorCode.INSUFFICIENT_BUYING_POWER, message)
    for leg in legs:
        handler.brokerage.place_order(leg)
    return OrderResponse.success(request)


def scan_combo_leg(brokerage: "BacktestingBrokerage", order: Any, now: Any) -> None:
    """One pass of BacktestingBrokerage.Scan for a pending leg: its group is tried as a whole."""
    handler = brokerage.handler
    if order._time == now and order.type != OrderType.COMBO_MARKET:
        return  # fills happen on the next bar, except market orders'
    legs = group_orders(order, brokerage._pending.get)
    if legs is None:
        return  # a leg of the group is missing
    securities = group_security(legs, handler.securities)
    if securities is None:
        for leg in legs:
            brokerage._remove(leg, OrderStatus.INVALID)
        return
    for leg in legs:
        if leg.time_in_force.is_order_expired(securities[leg.id], leg):
            for each in legs:
                brokerage._remove(each, OrderStatus.CANCELED, "The order has expired.")
            return
    for leg in legs:
        check = check_buying_power(handler.portfolio, securities[leg.id], leg)
        if not check.is_sufficient:
            if order.status == OrderStatus.CANCEL_PENDING:
                return
            message = insufficient_buying_power_message(leg, securities[leg.id], check.reason)
            for each in legs:
                brokerage._remove(each, OrderStatus.INVALID, message)
            handler.error(message)
            return
    try:
        fills = _fill_group(order, legs, handler.securities)
        for fill in fills:
            fill.status = OrderStatus(fill.status)
            if fill.status == OrderStatus.FILLED and not fill.order_fee.value._amount:
                leg = next(leg for leg in legs if leg.id == fill.order_id)
                fill.order_fee = OrderFee(CashAmount(order_fee(securities[leg.id], leg), "USD"))
    except Exception as err:  # a failing fill model is reported, the orders stay open
        handler.error(f"Order Error: id: {order.id}, Transaction model failed to fill for order type: "
                      f"{order.type!s} with error: {err}")
        return
    if not fills:
        return
    events = []
    for leg in legs:
        for fill in fills:
            if fill.order_id == leg.id and (leg.status != fill.status or fill._fill_quantity):
                leg.status = fill.status  # a leg scanned again in this pass sees its new status
                events.append(fill)
    if all(fill.status.is_closed for fill in fills):
        for leg in legs:
            brokerage._pending.pop(leg.id, None)
    if events:
        handler.handle_order_events(events)


def _fill_group(order: Any, legs: list[Any], securities: Any) -> list[OrderEvent]:
    from pylean.orders.brokerage import _DEFAULT_MODEL, FillModelParameters, _user_fill

    security = securities[order.symbol]
    model = security.fill_model
    parameters = FillModelParameters(security, order, securities_for_orders(legs, securities))
    whole = _user_fill(model)
    if whole is not None:
        result = whole(parameters)
        return list(result) if not isinstance(result, OrderEvent) else [result]
    name, _ = _FILL_METHODS[order.type]
    method = user_method(model, name) or getattr(_DEFAULT_MODEL, name)
    return list(method(order, parameters) or [])


def install_fill_methods(fill_model_class: type) -> None:
    """FillModel.ComboMarketFill, ComboLimitFill and ComboLegLimitFill (both spellings) on pylean's base model;
    the legs fill by the base model's own market and limit rules, as Lean's InternalMarketFill/LimitFill."""
    for name, base in _FILL_METHODS.values():
        def method(self: Any, order: Any, parameters: Any, _base: Any = base) -> list[OrderEvent]:
            return _base(_BaseRules(self, fill_model_class), order, parameters)
        method.__name__ = name
        setattr(fill_model_class, name, method)
        setattr(fill_model_class, to_pascal(name), method)


class _BaseRules:
    """The model seen through its base class's market and limit rules (not a user's overrides of them)."""

    def __init__(self, model: Any, base: type) -> None:
        self._model, self._base = model, base

    def market_fill(self, security: Any, order: Any) -> OrderEvent:
        return self._base.market_fill(self._model, security, order)

    def limit_fill(self, security: Any, order: Any) -> OrderEvent:
        return self._base.limit_fill(self._model, security, order)

    def get_prices(self, security: Any, direction: Any) -> Any:
        return user_method(self._model, "get_prices")(security, direction)
