"""QCAlgorithm's combo order methods (Algorithm/QCAlgorithm.Trading.cs ComboMarketOrder, ComboLimitOrder,
ComboLegLimitOrder, SubmitComboOrder): one GroupOrderManager for the legs, every leg's request checked
before any is submitted."""
from __future__ import annotations

from typing import Any

from pylean.enums import OrderType
from pylean.orders.combo import GroupOrderManager
from pylean.orders.pre_checks import pre_order_checks
from pylean.orders.tickets import OrderTicket
from pylean.orders.types import to_decimal
from pylean.algorithm_state import ctx_of, symbol_for
from pylean.algorithm_trading import _order_request, _security_for, _transactions


def _next_group_id(handler: Any) -> int:
    """Transactions.GetIncrementGroupOrderManagerId (kept with the run's transaction handler)."""
    number = handler.__dict__.get("_last_group_order_id", 0) + 1
    handler.__dict__["_last_group_order_id"] = number
    return number


def submit_combo_order(algorithm: Any, legs: list[Any], quantity: Any, limit_price: Any, asynchronous: bool,
                       tag: str, properties: Any) -> list[OrderTicket]:
    legs = list(legs)
    if not legs:
        raise ValueError("Combo orders require at least one leg")
    quantity = to_decimal(quantity)
    limit = to_decimal(limit_price or 0)
    order_type = OrderType.COMBO_LIMIT if limit != 0 else OrderType.COMBO_MARKET
    handler = _transactions(algorithm)
    group = GroupOrderManager(_next_group_id(handler), len(legs), quantity, limit)
    tickets: list[OrderTicket] = []
    requests = []
    for leg in legs:
        symbol = symbol_for(algorithm, leg.symbol)
        security = _security_for(algorithm, symbol)
        if leg.order_price is not None:
            limit = to_decimal(leg.order_price)
            order_type = OrderType.COMBO_LEG_LIMIT
        request = _order_request(algorithm, order_type, symbol, to_decimal(leg.quantity) * quantity, tag,
                                           properties, asynchronous, limit_price=limit)
        request.group_order_manager = group
        response = pre_order_checks(request, security, ctx_of(algorithm).is_warming_up, algorithm.time)
        if response.is_error:
            algorithm.error(response.error_message)
            tickets.append(OrderTicket.invalid(handler, request, response))
            return tickets
        requests.append(request)
    for request in requests:
        tickets.append(handler.add_order(request))
    return tickets


class ComboOrdersMixin:
    """combo_market_order, combo_limit_order and combo_leg_limit_order (no private members: a user's attribute
    of any name must not hide them)."""

    __slots__ = ()

    def combo_market_order(self, legs: Any, quantity: Any, asynchronous: bool = False, tag: str = "",
                           order_properties: Any = None) -> list[OrderTicket]:
        return submit_combo_order(self, legs, quantity, 0, asynchronous, tag, order_properties)

    def combo_limit_order(self, legs: Any, quantity: Any, limit_price: Any, asynchronous: bool = False,
                          tag: str = "", order_properties: Any = None) -> list[OrderTicket]:
        if limit_price == 0:
            raise ValueError("ComboLimitOrder requires a limit price different from zero")
        return submit_combo_order(self, legs, quantity, limit_price, asynchronous, tag, order_properties)

    def combo_leg_limit_order(self, legs: Any, quantity: Any, asynchronous: bool = False, tag: str = "",
                              order_properties: Any = None) -> list[OrderTicket]:
        if any(leg.order_price is None for leg in legs):
            raise ValueError("ComboLegLimitOrder requires a limit price for each leg")
        return submit_combo_order(self, legs, quantity, 0, asynchronous, tag, order_properties)

    ComboMarketOrder, ComboLimitOrder, ComboLegLimitOrder = combo_market_order, combo_limit_order, \
        combo_leg_limit_order
