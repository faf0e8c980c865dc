"""Margin buying power and SetHoldings sizing (Common/Securities/BuyingPowerModel.cs, SecurityMarginModel.cs)."""
from __future__ import annotations

import math
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


# Sizing in doubles (see quick_target_quantity): each value there is within ~1e-15 of the size of the
# amounts it is made from, and the decimal model's within ~1e-27; a decision is taken from doubles only when
# it clears its boundary by 1e-9 of those amounts, so both land on the same side.
_SIZING_SLACK = 1e-9


def quick_target_quantity(portfolio: "SecurityPortfolioManager", security: "Security", target: Decimal,
                          free_percentage: Decimal) -> Decimal | None:
    """What _target_delta's maximum_order_quantity answers for the fraction `target` (the free portfolio value
    `free_percentage` of the total), worked out in doubles from the buying power check's double books: the
    same whole quantity, with its exponent 0, whenever every step of the decimal sizing is clear of its
    boundary and the answer needs no reason. None means "ask the decimal model": pylean's own margin and
    fee models only, a lot of 1, a positive total, and anything near a rounding edge, a zero order, the
    minimum-order-margin rule or a second fee round."""
    model = security.buying_power_model
    if type(model) not in DEFAULT_MARGIN_MODELS or len(model.__dict__) != 2 or not target or free_percentage >= 1:
        return None  # (anything set on the model's instance beyond its two fields: the model is asked)
    properties = security.symbol_properties
    lot, multiplier = properties.lot_size, properties.contract_multiplier
    if not (lot == 1 and lot.same_quantum(_ONE) and multiplier == 1):
        return None  # (the decimal quantity is a whole number times the lot: exponent 0 for this lot only)
    held_decimal = security.holdings._quantity
    if held_decimal and not held_decimal.same_quantum(_ONE):
        return None  # (a held quantity written with decimals or a positive exponent changes the exponent)
    books = double_books(portfolio, security.cache.cursor)
    if books.totals is None or books.totals[0] <= 0:
        return None
    tpv, _used, size = books.totals
    price = books.price(security)
    if price <= 0:
        return None
    leverage = _float(model._leverage)
    if leverage <= 0:
        return None
    held = float(held_decimal)
    requirement = 1.0 / leverage
    free = tpv * _float(free_percentage)
    margin_fraction = _float(target) * (tpv - free) / tpv * requirement
    target_margin = margin_fraction * tpv
    unit_margin = price * requirement
    slack = _SIZING_SLACK * (size + abs(held) * price + 1.0)  # in dollars
    slack_shares = slack / unit_margin + _SIZING_SLACK * (abs(held) + 1.0)
    if abs(target_margin - held * unit_margin) < tpv * 0.001 + slack:
        return None  # (possibly under the minimum order margin: the decimal model says why)
    buying = target_margin > 0
    ideal = target_margin / unit_margin - held
    if abs(ideal - round(ideal)) < slack_shares:
        return None
    quantity = math.floor(ideal) if buying else math.ceil(ideal)
    step = 1 if buying else -1
    while quantity:
        over = abs((held + quantity) * unit_margin) - abs(target_margin)
        if abs(over) < slack:
            return None
        if over < 0:
            break
        quantity -= step
    if not quantity:
        return None
    answer = Decimal(quantity)
    fee = market_order_fee(security, answer)
    if fee is None:
        return None
    over = abs((held + quantity) * unit_margin) - abs((tpv - float(fee)) * margin_fraction)
    if over <= -slack:
        return answer
    return None  # (the fee pushes it over, or nearly: the decimal model's next round)


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
    if held_quantity and held_quantity.is_signed() != quantity.is_signed() and abs(held_quantity) >= abs(quantity):
        return True  # only reduces or closes the position: the model's own first answer, in decimals
    books = double_books(portfolio, security.cache.cursor)
    if books.totals is None:
        return False
    tpv, used, size = books.totals
    last = books.price(security)
    multiplier = security.symbol_properties.contract_multiplier
    price = last if multiplier == 1 else last * _float(multiplier)
    leverage = _float(model._leverage)
    free = tpv - used
    if model._free_percent:
        free -= tpv * _float(model._free_percent)
    amount = float(quantity)
    if held_quantity and held_quantity.is_signed() != quantity.is_signed():
        # against the position: its maintenance margin and its initial margin come back
        held = float(held_quantity)
        free += (abs(held * last) + abs(held) * price) / leverage
        size += abs(held * last) + abs(held) * price
    fee = max(1.0, 0.005 * abs(amount))  # InteractiveBrokersFeeModel never charges more
    required = abs(price * amount) / leverage + fee
    filled = order._quantity_filled
    remaining = required if not filled else abs((abs(amount) - abs(float(filled))) / abs(amount) * required)
    slack = _SLACK * (size + required + 1.0)
    return remaining + slack < free - slack


class DoubleBooks:
    """The books of one step in doubles, for the shortcuts above: `totals` is the total portfolio value, the
    margin used and the sum of the amounts in them (None when a held security has a user margin model).
    Prices do not move within a step, so each security's price is made a double once, and after a fill
    only the filled position is valued again (a fill gives its holding a new quantity object)."""

    __slots__ = ("epoch", "cash", "fills", "totals", "positions", "prices")

    def __init__(self, epoch: int) -> None:
        self.epoch = epoch  # MARGIN_EPOCH when made: another margin model or leverage makes new books
        self.cash: Any = None  # the decimal cash object and the fill count the totals were made with
        self.fills = -1
        self.totals: tuple[float, float, float] | None = None
        # symbol -> (quantity object, value, its size, margin used)
        self.positions: dict[Any, tuple[Any, float, float, float]] = {}
        self.prices: dict[Any, float] = {}  # symbol -> the trade price's double

    def price(self, security: "Security") -> float:
        symbol = security.symbol
        price = self.prices.get(symbol)
        if price is None:
            price = self.prices[symbol] = float(security.cache.trade_decimal())
        return price

    def add_up(self, portfolio: "SecurityPortfolioManager") -> None:
        cash = portfolio._cash
        tpv = float(cash)
        used, size = 0.0, abs(tpv)
        positions = self.positions
        totals: tuple[float, float, float] | None = None
        for symbol, holding in portfolio._held.items():
            quantity = holding._quantity
            found = positions.get(symbol)
            if found is None or found[0] is not quantity:
                security = holding.security
                model = security.buying_power_model
                if type(model) not in DEFAULT_MARGIN_MODELS:
                    break
                value = float(quantity) * self.price(security)
                amount = abs(value)
                found = positions[symbol] = (quantity, value, amount, amount / _float(model._leverage))
            tpv += found[1]
            size += found[2]
            used += found[3]
        else:
            totals = (tpv, used, size)
        self.cash, self.fills, self.totals = cash, portfolio._fills, totals


def double_books(portfolio: "SecurityPortfolioManager", cursor: Any) -> DoubleBooks:
    """The step's DoubleBooks (in the portfolio's step memo) with totals for the portfolio as it is now."""
    memo = portfolio.step_memo(cursor)
    books = memo.get("double_books")
    epoch = MARGIN_EPOCH[0]
    if books is None or books.epoch != epoch:
        books = memo["double_books"] = DoubleBooks(epoch)
    if books.cash is not portfolio._cash or books.fills != portfolio._fills:
        books.add_up(portfolio)
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
