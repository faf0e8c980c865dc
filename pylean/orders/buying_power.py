"""Margin buying power and SetHoldings sizing (Common/Securities/BuyingPowerModel.cs, SecurityMarginModel.cs)."""
from __future__ import annotations

from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from pylean.enums import OrderDirection
from pylean.naming import lean_api, user_method
from pylean.orders.fees import InteractiveBrokersFeeModel, order_fee
from pylean.orders.types import MarketOrder, Order, to_decimal
from pylean.statistics.dotnet import decimal_str, normalize, smart_round
from pylean.timeutil import local_to_utc

if TYPE_CHECKING:
    from pylean.portfolio import SecurityPortfolioManager
    from pylean.securities import Security

ZERO = Decimal(0)
MINIMUM_ORDER_MARGIN_PORTFOLIO_PERCENTAGE = Decimal("0.001")
# bumped whenever a default buying power model is made or its leverage changes: margin used may have moved
_MODEL_EPOCH = [0]


@lean_api
class HasSufficientBuyingPowerForOrderResult:
    """Whether an order fits the free margin, and why not (HasSufficientBuyingPowerForOrderResult.cs)."""

    def __init__(self, is_sufficient: bool, reason: str = "") -> None:
        self.is_sufficient = is_sufficient
        self.reason = reason or ""


BuyingPowerCheck = HasSufficientBuyingPowerForOrderResult


@lean_api
class HasSufficientBuyingPowerForOrderParameters:
    def __init__(self, portfolio: "SecurityPortfolioManager", security: "Security", order: Order) -> None:
        self.portfolio = portfolio
        self.security = security
        self.order = order

    def sufficient(self) -> HasSufficientBuyingPowerForOrderResult:
        return HasSufficientBuyingPowerForOrderResult(True)

    def insufficient(self, reason: str) -> HasSufficientBuyingPowerForOrderResult:
        return HasSufficientBuyingPowerForOrderResult(False, reason)


@lean_api
class BuyingPowerModel:
    """Initial = maintenance margin = 1 / leverage of the position value (BuyingPowerModel.cs)."""

    def __init__(self, leverage: float = 1.0, required_free_buying_power_percent: float = 0.0) -> None:
        self._leverage = to_decimal(leverage)
        self._free_percent = to_decimal(required_free_buying_power_percent)
        _MODEL_EPOCH[0] += 1

    def get_leverage(self, security: "Security") -> float:
        return float(self._leverage)

    def set_leverage(self, security: "Security", leverage: float) -> None:
        self._leverage = to_decimal(leverage)
        _MODEL_EPOCH[0] += 1

    def initial_margin_requirement(self, security: "Security") -> Decimal:
        return Decimal(1) / self._leverage

    maintenance_margin_requirement = initial_margin_requirement

    def get_initial_margin_requirement(self, security: "Security", quantity: Decimal) -> Decimal:
        """Margin to hold `quantity` more shares at the current price."""
        return (security.cache.trade_decimal() * security.symbol_properties.contract_multiplier * quantity
                * self.initial_margin_requirement(security))

    def get_maintenance_margin(self, security: "Security") -> Decimal:
        return abs(security.holdings.holdings_value_decimal()) * self.maintenance_margin_requirement(security)

    def get_initial_margin_required_for_order(self, security: "Security", order: Order) -> Decimal:
        """The order's margin plus its fee, the fee taking the margin's sign."""
        margin = self.get_initial_margin_requirement(security, order._quantity)
        fee = order_fee(security, order)
        return margin + fee if margin > 0 else margin - fee if margin < 0 else margin

    def get_margin_remaining(self, portfolio: "SecurityPortfolioManager", security: "Security",
                             direction: OrderDirection) -> Decimal:
        """Free margin for an order in this direction; reversing a position frees its margin twice."""
        tpv = portfolio.total_portfolio_value_decimal()
        result = tpv - portfolio.total_margin_used_decimal()
        held = security.holdings._quantity
        if (held > 0 and direction == OrderDirection.SELL) or (held < 0 and direction == OrderDirection.BUY):
            result += self.get_maintenance_margin(security) + self.get_initial_margin_requirement(security, abs(held))
        result -= tpv * self._free_percent
        return max(result, ZERO)

    def has_sufficient_buying_power_for_order(
            self, parameters: HasSufficientBuyingPowerForOrderParameters) -> HasSufficientBuyingPowerForOrderResult:
        """BuyingPowerModel.HasSufficientBuyingPowerForOrder."""
        order, security = parameters.order, parameters.security
        quantity = order._quantity
        if quantity == 0:
            return parameters.sufficient()
        held = security.holdings._quantity
        if held * quantity < 0 and abs(held) >= abs(quantity):
            return parameters.sufficient()  # only reduces or closes the position
        free = self.get_margin_remaining(parameters.portfolio, security, order.direction)
        required = self.get_initial_margin_required_for_order(security, order)
        # pro-rated by the part not filled yet
        remaining = (abs(quantity) - abs(order._quantity_filled)) / abs(quantity) * required
        if abs(remaining) > free:
            return parameters.insufficient(f"Id: {order.id}, Initial Margin: {decimal_str(normalize(remaining))}, "
                                           f"Free Margin: {decimal_str(normalize(free))}")
        return parameters.sufficient()

    def has_sufficient_buying_power(self, portfolio: "SecurityPortfolioManager", security: "Security",
                                    order: Order) -> HasSufficientBuyingPowerForOrderResult:
        return self.has_sufficient_buying_power_for_order(
            HasSufficientBuyingPowerForOrderParameters(portfolio, security, order))

    def margin_remaining(self, portfolio: "SecurityPortfolioManager", security: "Security", buying: bool) -> Decimal:
        return self.get_margin_remaining(portfolio, security, OrderDirection.BUY if buying else OrderDirection.SELL)

    def maximum_order_quantity_for_target(self, portfolio: "SecurityPortfolioManager", security: "Security",
                                          target: Decimal) -> tuple[Decimal, str]:
        """Quantity to order so the position's margin reaches `target` x TPV (spec §3.12 step 4).

        Returns (quantity, reason) where reason explains a zero.
        """
        tpv = portfolio.total_portfolio_value_decimal()
        price = security.cache.trade_decimal()
        if price == 0:
            return ZERO, "The price of the security is zero"
        held = security.holdings._quantity
        margin_fraction = target * self.initial_margin_requirement(security)
        target_margin = margin_fraction * tpv
        if target_margin == 0:
            return -held, ""
        unit_margin = price * security.symbol_properties.contract_multiplier * self.initial_margin_requirement(security)
        current_margin = held * unit_margin
        if (abs(target_margin - current_margin) < tpv * MINIMUM_ORDER_MARGIN_PORTFOLIO_PERCENTAGE
                and portfolio.margin_remaining_decimal() > 0):
            return ZERO, ("The order quantity is less than the minimum order margin portfolio percentage "
                          "(Settings.MinimumOrderMarginPortfolioPercentage)")
        lot = security.symbol_properties.lot_size
        rounding = ROUND_FLOOR if target_margin > 0 else ROUND_CEILING
        last = None
        while True:
            quantity = ((target_margin / unit_margin - held) / lot).to_integral_value(rounding) * lot
            step = lot if target_margin > 0 else -lot
            while quantity != 0 and abs((held + quantity) * unit_margin) > abs(target_margin):
                quantity -= step
            if quantity == 0:
                return ZERO, "The order quantity is zero after rounding"
            fee = order_fee(security, MarketOrder(security.symbol, quantity, _now(security)))
            target_margin = (tpv - fee) * margin_fraction
            if abs((held + quantity) * unit_margin) <= abs(target_margin):
                return quantity, ""
            if quantity == last:
                raise ValueError(f"SetHoldings sizing did not converge for {security.symbol} (quantity {quantity})")
            last = quantity


@lean_api
class SecurityMarginModel(BuyingPowerModel):
    """The equity margin model (SecurityMarginModel.cs): the base rules (DefaultBrokerageModel gives leverage 2)."""


_DEFAULT_MODELS = (BuyingPowerModel, SecurityMarginModel)


def _now(security: "Security") -> datetime | None:
    now = security.cache.cursor.time
    return local_to_utc(now) if now is not None else None


def check_buying_power(portfolio: "SecurityPortfolioManager", security: "Security",
                       order: Order) -> HasSufficientBuyingPowerForOrderResult:
    """Ask the security's buying power model (user models may spell the method either way).

    The brokerage asks again for every resting order at every scan; with pylean's own models a
    "sufficient" answer is kept on the order with everything it was computed from (the step's prices,
    the books, the models, the order's own numbers) and given again while none of that moved."""
    key = _sufficient_key(portfolio, security, order)
    if key is not None:
        if order.__dict__.get("_sufficient_key") == key:
            return HasSufficientBuyingPowerForOrderResult(True)
        result = security.buying_power_model.has_sufficient_buying_power(portfolio, security, order)
        if result.is_sufficient:
            order.__dict__["_sufficient_key"] = key
        return result
    return _ask_model(portfolio, security, order)


def _sufficient_key(portfolio: "SecurityPortfolioManager", security: "Security", order: Order) -> tuple | None:
    """What the default check of `order` reads, or None when a user model (buying power or fee) takes part."""
    cursor = security.cache.cursor
    if (cursor.block is None or type(security.buying_power_model) not in _DEFAULT_MODELS
            or type(security.fee_model) is not InteractiveBrokersFeeModel):
        return None
    for holding in portfolio._held.values():
        if type(holding.security.buying_power_model) not in _DEFAULT_MODELS:
            return None
    d = order.__dict__
    return (id(cursor.block), cursor.k, cursor.time, portfolio._fill_count, portfolio._cash, _MODEL_EPOCH[0],
            security.holdings._quantity, order.type, order._quantity, order._quantity_filled,
            d.get("_limit_price"), d.get("_stop_price"), d.get("_trigger_price"),
            security.symbol_properties.contract_multiplier)


def _ask_model(portfolio: "SecurityPortfolioManager", security: "Security",
               order: Order) -> HasSufficientBuyingPowerForOrderResult:
    model = security.buying_power_model
    method = user_method(model, "has_sufficient_buying_power_for_order")
    if method is not None:
        result = method(HasSufficientBuyingPowerForOrderParameters(portfolio, security, order))
    elif hasattr(model, "has_sufficient_buying_power"):
        result = model.has_sufficient_buying_power(portfolio, security, order)
    else:
        return HasSufficientBuyingPowerForOrderResult(True)
    if isinstance(result, HasSufficientBuyingPowerForOrderResult):
        return result
    sufficient = getattr(result, "is_sufficient", getattr(result, "IsSufficient", True))
    return HasSufficientBuyingPowerForOrderResult(bool(sufficient),
                                                  str(getattr(result, "reason", getattr(result, "Reason", ""))))


def insufficient_buying_power_message(order: Order, security: "Security", reason: str) -> str:
    """Messages.GroupOrderExtensions.InsufficientBuyingPowerForOrders, for one order."""
    value = decimal_str(smart_round(order._value_decimal(security)))
    return (f"Order Error: ids: [{order.id}], Insufficient buying power to complete orders (Value:[{value}]), "
            f"Reason: {reason}.")
