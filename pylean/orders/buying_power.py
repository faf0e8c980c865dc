"""Margin buying power and SetHoldings sizing (Common/Securities/BuyingPowerModel.cs, SecurityMarginModel.cs)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from pylean.naming import lean_api
from pylean.orders.fees import order_fee
from pylean.orders.types import MarketOrder, Order

if TYPE_CHECKING:
    from pylean.portfolio import SecurityPortfolioManager
    from pylean.securities import Security

ZERO = Decimal(0)
MINIMUM_ORDER_MARGIN_PORTFOLIO_PERCENTAGE = Decimal("0.001")


@dataclass
class BuyingPowerCheck:
    is_sufficient: bool
    reason: str = ""


@lean_api
class SecurityMarginModel:
    """Initial = maintenance margin = 1 / leverage of the position value (leverage 2 for equities)."""

    def __init__(self, leverage: float = 2.0, required_free_buying_power_percent: float = 0.0) -> None:
        self._leverage = Decimal(repr(float(leverage)))
        self._free_percent = Decimal(repr(float(required_free_buying_power_percent)))

    def get_leverage(self, security: "Security") -> float:
        return float(self._leverage)

    def set_leverage(self, security: "Security", leverage: float) -> None:
        self._leverage = Decimal(repr(float(leverage)))

    def initial_margin_requirement(self, security: "Security") -> Decimal:
        return Decimal(1) / self._leverage

    maintenance_margin_requirement = initial_margin_requirement

    def margin_remaining(self, portfolio: "SecurityPortfolioManager", security: "Security", buying: bool) -> Decimal:
        """Free margin for an order in this direction; closing an opposite position frees its margin."""
        tpv = portfolio.total_portfolio_value_decimal()
        result = tpv - portfolio.total_margin_used_decimal()
        quantity = security.holdings._quantity
        if (quantity > 0 and not buying) or (quantity < 0 and buying):
            value = abs(security.holdings.holdings_value_decimal())
            result += value * self.maintenance_margin_requirement(security) + value * self.initial_margin_requirement(security)
        result -= tpv * self._free_percent
        return max(result, ZERO)

    def has_sufficient_buying_power(self, portfolio: "SecurityPortfolioManager", security: "Security",
                                    order: Order) -> BuyingPowerCheck:
        """BuyingPowerModel.HasSufficientBuyingPowerForOrder for one order."""
        quantity = order.quantity - order.quantity_filled
        if quantity == 0:
            return BuyingPowerCheck(True)
        held = security.holdings._quantity
        if held != 0 and (held > 0) != (quantity > 0) and abs(quantity) <= abs(held):
            return BuyingPowerCheck(True)  # reduces or closes a position
        price = security.cache.trade_decimal()
        fee = order_fee(security, order)
        value_price = order.value_price(price)
        order_value = quantity * value_price
        margin = abs(order_value) * self.initial_margin_requirement(security) + fee
        if held != 0 and (held > 0) != (quantity > 0):
            # a reversal only needs margin for the part beyond the close
            margin = abs((quantity + held) * value_price) * self.initial_margin_requirement(security) + fee
        free = self.margin_remaining(portfolio, security, quantity > 0)
        if margin > free:
            return BuyingPowerCheck(False, (
                f"Id: {order.id}, Initial Margin: {_fmt(margin)}, Free Margin: {_fmt(free)}"))
        return BuyingPowerCheck(True)

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


def _fmt(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


def _now(security: "Security"):  # type: ignore[no-untyped-def]
    from pylean.timeutil import local_to_utc

    now = security.cache.cursor.time
    return local_to_utc(now) if now is not None else None
