"""Margin buying power and SetHoldings sizing (Common/Securities/BuyingPowerModel.cs, SecurityMarginModel.cs)."""
from __future__ import annotations

import weakref
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any

from pylean.enums import OrderDirection
from pylean.orders.buying_power_api import (OWN_MODEL_CLASSES,
                                            GetMaximumOrderQuantityForTargetBuyingPowerParameters,
                                            GetMaximumOrderQuantityResult, ReservedBuyingPowerForPosition,
                                            ReservedBuyingPowerForPositionParameters)
from pylean.memo import BoundedMemo
from pylean.naming import lean_api, user_method
from pylean.orders.fees import InteractiveBrokersFeeModel, market_order_fee, order_fee
from pylean.orders.types import MarketOrder, Order, to_decimal
from pylean.securities import MARGIN_EPOCH
from pylean.statistics.dotnet import decimal_str, normalize, smart_round
from pylean.timeutil import local_to_utc

if TYPE_CHECKING:
    from pylean.portfolio import SecurityPortfolioManager
    from pylean.securities import Security

ZERO = Decimal(0)
MINIMUM_ORDER_MARGIN_PORTFOLIO_PERCENTAGE = Decimal("0.001")


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


_ONE = Decimal(1)
# the leverage last asked about (kept alive, so `is` cannot meet a new object at its address) and 1 / it
_LAST_REQUIREMENT: list[Any] = [None, None]


@lean_api
class BuyingPowerModel:
    """Initial = maintenance margin = 1 / leverage of the position value (BuyingPowerModel.cs)."""

    def __init__(self, leverage: float = 1.0, required_free_buying_power_percent: float = 0.0) -> None:
        self._leverage = to_decimal(leverage)
        self._free_percent = to_decimal(required_free_buying_power_percent)

    def get_leverage(self, security: "Security") -> float:
        return float(self._leverage)

    def set_leverage(self, security: "Security", leverage: float) -> None:
        self._leverage = to_decimal(leverage)
        MARGIN_EPOCH[0] += 1

    def initial_margin_requirement(self, security: "Security") -> Decimal:
        last = _LAST_REQUIREMENT  # (sizing asks per order; a model keeps its leverage object)
        leverage = self._leverage
        if last[0] is not leverage:
            last[0], last[1] = leverage, _ONE / leverage
        return last[1]  # type: ignore[no-any-return]

    maintenance_margin_requirement = initial_margin_requirement

    def get_initial_margin_requirement(self, security: "Security", quantity: Decimal) -> Decimal:
        """Margin to hold `quantity` more shares at the current price."""
        return (security.cache.trade_decimal() * security.symbol_properties.contract_multiplier * quantity
                * self.initial_margin_requirement(security))

    def get_maintenance_margin(self, security: "Security") -> Decimal:
        return abs(security.holdings.holdings_value_decimal()) * self.maintenance_margin_requirement(security)

    def get_reserved_buying_power_for_position(self, parameters: Any) -> Any:
        from pylean.orders.reserved_buying_power import reserved_buying_power_for_position
        return reserved_buying_power_for_position(self, parameters)

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

    def get_maximum_order_quantity_for_target_buying_power(
            self, parameters: GetMaximumOrderQuantityForTargetBuyingPowerParameters) -> GetMaximumOrderQuantityResult:
        """Lean's parameter-object form of maximum_order_quantity_for_target (what user subclasses call)."""
        quantity, reason = self.maximum_order_quantity_for_target(
            parameters.portfolio, parameters.security, to_decimal(parameters.target_buying_power))
        return GetMaximumOrderQuantityResult(quantity, reason, False)

    def maximum_order_quantity_for_target(self, portfolio: "SecurityPortfolioManager", security: "Security",
                                          target: Decimal,
                                          minimum_order_margin: Decimal = MINIMUM_ORDER_MARGIN_PORTFOLIO_PERCENTAGE
                                          ) -> tuple[Decimal, str]:
        """Quantity to order so the position's margin reaches `target` x TPV (spec §3.12 step 4).

        Returns (quantity, reason) where reason explains a zero.
        """
        tpv = portfolio.total_portfolio_value_decimal()
        price = security.cache.trade_decimal()
        if price == 0:
            return ZERO, "The price of the security is zero"
        held = security.holdings._quantity
        requirement = self.initial_margin_requirement(security)
        margin_fraction = target * requirement
        target_margin = margin_fraction * tpv
        if target_margin == 0:
            return -held, ""
        unit_margin = price * security.symbol_properties.contract_multiplier * requirement
        current_margin = held * unit_margin
        if (abs(target_margin - current_margin) < tpv * minimum_order_margin
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
            fee = market_order_fee(security, quantity)
            if fee is None:  # a user fee model sees the order
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


DEFAULT_MARGIN_MODELS = (BuyingPowerModel, SecurityMarginModel)
OWN_MODEL_CLASSES.update(DEFAULT_MARGIN_MODELS)


def _now(security: "Security") -> datetime | None:
    now = security.cache.cursor.time
    return local_to_utc(now) if now is not None else None


def check_buying_power(portfolio: "SecurityPortfolioManager", security: "Security",
                       order: Order) -> HasSufficientBuyingPowerForOrderResult:
    """Ask the security's buying power model (user models may spell the method either way).

    The brokerage asks again for every resting order at every scan. With pylean's own models, an order
    whose margin is far inside the free margin is answered from doubles (`_clearly_sufficient`); every
    other answer, and every message, comes from the exact decimal model."""
    if _clearly_sufficient(portfolio, security, order):
        return CLEARLY_SUFFICIENT
    return _ask_model(portfolio, security, order)


# one shared answer: the engine's callers only read it (user models never see it), and the brokerage asks per
# resting order per step
CLEARLY_SUFFICIENT = HasSufficientBuyingPowerForOrderResult(True)


# The double estimate below is off from the decimal values by far less than 1e-12 of the amounts involved
# (a few roundings of 1.1e-16 each); it decides only when the margin clears the free margin by 1e-9 of them.
_SLACK = 1e-9
# float(value), remembered by value (float() of a decimal depends on its value only; it costs ~5 products)
_float = BoundedMemo(float, 50_000).__getitem__


def _clearly_sufficient(portfolio: "SecurityPortfolioManager", security: "Security", order: Order) -> bool:
    """True only when BuyingPowerModel.HasSufficientBuyingPowerForOrder (pylean's own margin and fee models)
    would surely say sufficient: an upper bound of the order's margin, fee included, under a lower bound
    of the free margin, each bound widened by the double rounding error. False means "ask the model"."""
    model = security.buying_power_model
    if type(model) not in DEFAULT_MARGIN_MODELS or type(security.fee_model) is not InteractiveBrokersFeeModel:
        return False
    quantity = order._quantity
    if not quantity:
        return False
    held_quantity = security.holdings._quantity
    if held_quantity * quantity < 0 and abs(held_quantity) >= abs(quantity):
        return True  # only reduces or closes the position: the model's own first answer, in decimals
    books = _float_books(portfolio, security.cache.cursor)
    if books is None:
        return False
    tpv, used, size = books
    last = _float(security.cache.trade_decimal())
    multiplier = security.symbol_properties.contract_multiplier
    price = last if multiplier == 1 else last * _float(multiplier)
    leverage = _float(model._leverage)
    free = tpv - used
    if model._free_percent:
        free -= tpv * _float(model._free_percent)
    amount = _float(quantity)
    if held_quantity and (held_quantity > 0) != (quantity > 0):
        # against the position: its maintenance margin and its initial margin come back
        held = _float(held_quantity)
        free += (abs(held * last) + abs(held) * price) / leverage
        size += abs(held * last) + abs(held) * price
    fee = max(1.0, 0.005 * abs(amount))  # InteractiveBrokersFeeModel never charges more
    required = abs(price * amount) / leverage + fee
    filled = order._quantity_filled
    remaining = required if not filled else abs((abs(amount) - abs(_float(filled))) / abs(amount) * required)
    slack = _SLACK * (size + required + 1.0)
    return remaining + slack < free - slack


def _float_books(portfolio: "SecurityPortfolioManager", cursor: Any) -> tuple[float, float, float] | None:
    """Total portfolio value, margin used and the sum of the amounts in them, in doubles; None when a held
    security has a user margin model. Kept for the step while no fill, cash or margin model changes."""
    memo = portfolio.__dict__.get("_float_books_memo")
    if (memo is not None and cursor.block is not None and memo[0]() is cursor.block and memo[1] == cursor.k
            and memo[2] is portfolio._cash and memo[3] == portfolio._fills and memo[4] == MARGIN_EPOCH[0]):
        return memo[5]
    cash = float(portfolio._cash)  # (a new amount after every fill: not worth remembering)
    tpv, used, size = cash, 0.0, abs(cash)
    books: tuple[float, float, float] | None = None
    values = portfolio.step_values(cursor, "float")  # after a fill only the filled position is valued again
    for symbol, holding in portfolio._held.items():
        held_model = holding.security.buying_power_model
        if type(held_model) not in DEFAULT_MARGIN_MODELS:
            break
        quantity = holding._quantity
        found = values.get(symbol)
        if found is not None and found[0] is quantity:
            value = found[1]
        else:
            value = _float(quantity) * _float(holding.security.cache.trade_decimal())
            values[symbol] = (quantity, value)
        tpv += value
        used += abs(value) / _float(held_model._leverage)
        size += abs(value)
    else:
        books = (tpv, used, size)
    if cursor.block is not None:  # the day's block held weakly: an old day must not stay alive
        portfolio.__dict__["_float_books_memo"] = (weakref.ref(cursor.block), cursor.k, portfolio._cash,
                                                   portfolio._fills, MARGIN_EPOCH[0], books)
    return books


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
