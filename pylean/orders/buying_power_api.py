"""The parameter and result objects of Lean's IBuyingPowerModel methods, and the engine's calls into a user's
overrides of them (Common/Securities/GetMaximumOrderQuantity*.cs, MaintenanceMargin.cs,
ReservedBuyingPowerForPosition*.cs).

pylean's own margin model works on (portfolio, security, ...) arguments; a user's BuyingPowerModel subclass
overrides Lean's parameter-object methods. The engine asks the user's method only when one is defined."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pylean.naming import lean_api, to_pascal, user_method
from pylean.numbers import to_float
from pylean.orders.reserved_buying_power import (ReservedBuyingPowerForPosition,
                                                ReservedBuyingPowerForPositionParameters)
from pylean.orders.types import to_decimal

if TYPE_CHECKING:
    from pylean.portfolio import SecurityPortfolioManager
    from pylean.securities import Security


@lean_api
class GetMaximumOrderQuantityResult:
    """A quantity, and the reason when it is not what was asked (GetMaximumOrderQuantityResult.cs)."""

    def __init__(self, quantity: Any, reason: str | None = None, is_error: bool | None = None) -> None:
        self.quantity = to_float(to_decimal(quantity))
        self.reason = reason or ""
        self.is_error = bool(self.reason) if is_error is None else is_error


@lean_api
class GetMaximumOrderQuantityForTargetBuyingPowerParameters:
    def __init__(self, portfolio: "SecurityPortfolioManager", security: "Security", target_buying_power: Any,
                 minimum_order_margin_portfolio_percentage: Any = 0, silence_non_error_reasons: bool = False) -> None:
        self.portfolio = portfolio
        self.security = security
        self.target_buying_power = target_buying_power
        self.minimum_order_margin_portfolio_percentage = minimum_order_margin_portfolio_percentage
        self.silence_non_error_reasons = silence_non_error_reasons


@lean_api
class MaintenanceMargin:
    def __init__(self, value: Any) -> None:
        self.value = to_float(to_decimal(value))


@lean_api
class MaintenanceMarginParameters:
    def __init__(self, security: "Security", quantity: Any) -> None:
        self.security = security
        self.quantity = quantity


def _user_override(model: Any, snake: str) -> Any:
    """The user's method for `snake`, None when the model's class takes it from pylean's own classes."""
    if type(model) in OWN_MODEL_CLASSES and _SPELLINGS[snake].isdisjoint(model.__dict__):
        return None  # pylean's own model, nothing set on the instance: every method is pylean's (asked per order)
    method = user_method(model, snake)
    function = getattr(method, "__func__", None)
    if function is None or getattr(function, "__module__", "").startswith("pylean."):
        return None
    return method


# the names _user_override is asked about, in both spellings; pylean's own model classes (filled by
# pylean.orders.buying_power, which imports this module)
_SPELLINGS = {snake: frozenset((snake, to_pascal(snake))) for snake in (
    "get_maximum_order_quantity_for_target_buying_power", "get_reserved_buying_power_for_position")}
OWN_MODEL_CLASSES: set[type] = set()
_TARGET_SPELLINGS = _SPELLINGS["get_maximum_order_quantity_for_target_buying_power"]


def maximum_order_quantity(model: Any, portfolio: "SecurityPortfolioManager", security: "Security",
                           target: Decimal) -> tuple[Decimal, str]:
    """The quantity SetHoldings orders: the user's override when the model has one (Lean calls it)."""
    if type(model) in OWN_MODEL_CLASSES and _TARGET_SPELLINGS.isdisjoint(model.__dict__):
        return model.maximum_order_quantity_for_target(portfolio, security, target)  # (_user_override's first test)
    method = _user_override(model, "get_maximum_order_quantity_for_target_buying_power")
    if method is None:
        return model.maximum_order_quantity_for_target(portfolio, security, target)
    result = method(GetMaximumOrderQuantityForTargetBuyingPowerParameters(portfolio, security, target))
    quantity = getattr(result, "quantity", None)
    if quantity is None:
        quantity = getattr(result, "Quantity", 0)
    return to_decimal(quantity), str(getattr(result, "reason", getattr(result, "Reason", "")) or "")


def reserved_buying_power(model: Any, security: "Security") -> Decimal | None:
    """The margin a user's model reserves for the security's position; None when it has no override."""
    method = _user_override(model, "get_reserved_buying_power_for_position")
    if method is None:
        return None
    result = method(ReservedBuyingPowerForPositionParameters(security))
    amount = getattr(result, "absolute_used_buying_power", None)
    if amount is None:
        amount = getattr(result, "AbsoluteUsedBuyingPower", result)  # a plain number from a duck-typed model
    return to_decimal(amount)


def buying_power_used(security: "Security") -> Decimal:
    """Reserved buying power x leverage (CapacityEstimate): the holdings value, or a user model's reservation."""
    model = security.buying_power_model
    reserved = reserved_buying_power(model, security)
    if reserved is None:
        return security.holdings.holdings_value_decimal()
    return abs(reserved) * to_decimal(model.get_leverage(security))
