"""Fee and slippage models (Common/Orders/Fees/InteractiveBrokersFeeModel.cs, Common/Orders/Slippage/)."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pylean.naming import lean_api, user_method
from pylean.orders.types import CashAmount, Order, OrderFee, to_decimal, to_float

if TYPE_CHECKING:
    from pylean.securities import Security

_PER_SHARE = Decimal("0.005")
_MINIMUM = Decimal(1)
_MAX_FRACTION = Decimal("0.005")
_ZERO = Decimal(0)


@lean_api
class OrderFeeParameters:
    def __init__(self, security: "Security", order: Order) -> None:
        self.security = security
        self.order = order


@lean_api
class FeeModel:
    """Base fee model: no fee. Users subclass it and override get_order_fee."""

    def get_order_fee(self, parameters: OrderFeeParameters) -> OrderFee:
        return OrderFee(CashAmount(Decimal(0), "USD"))


@lean_api
class InteractiveBrokersFeeModel(FeeModel):
    """US equities: $0.005 a share, $1 minimum, capped at 0.5 % of the order value (spec §3.10).

    The minimum and the cap are exclusive: a per-share fee below $1 becomes $1 without the cap
    check; otherwise it is capped at 0.5 % of |quantity| x the order's value price.
    """

    def get_order_fee(self, parameters: OrderFeeParameters) -> OrderFee:
        order = parameters.order
        quantity = abs(order._quantity)
        fee = _PER_SHARE * quantity
        if fee < _MINIMUM:
            fee = _MINIMUM
        else:
            fee = _capped(fee, quantity, order._value_price(parameters.security.cache.trade_decimal()))
        return OrderFee(CashAmount(fee, "USD"))


def _capped(fee: Decimal, quantity: Decimal, price: Decimal) -> Decimal:
    cap = _MAX_FRACTION * quantity * price
    return cap if fee > cap else fee


@lean_api
class ConstantFeeModel(FeeModel):
    def __init__(self, fee: float, currency: str = "USD") -> None:
        self._fee = to_decimal(fee)
        self._currency = currency

    def get_order_fee(self, parameters: OrderFeeParameters) -> OrderFee:
        return OrderFee(CashAmount(self._fee, self._currency))


@lean_api
class NullSlippageModel:
    def get_slippage_approximation(self, asset: Any, order: Order) -> float:
        return 0.0

    def _slippage_decimal(self, asset: Any, order: Order) -> Decimal:
        return _ZERO


@lean_api
class ConstantSlippageModel:
    """Slippage = last price x a constant percentage, in decimals (ConstantSlippageModel.cs)."""

    def __init__(self, slippage_percent: float) -> None:
        self._percent = to_decimal(slippage_percent)

    def get_slippage_approximation(self, asset: Any, order: Order) -> float:
        return to_float(self._slippage_decimal(asset, order))

    def _slippage_decimal(self, asset: Any, order: Order) -> Decimal:
        return asset.cache.trade_decimal() * self._percent


def order_fee(security: "Security", order: Order) -> Decimal:
    """The fee the security's fee model charges (user models may spell the method either way)."""
    fee = user_method(security.fee_model, "get_order_fee")(OrderFeeParameters(security, order))
    return fee.value._amount  # CashAmount keeps its amount as a decimal


def market_order_fee(security: "Security", quantity: Decimal) -> Decimal | None:
    """order_fee of a market order for `quantity` now, worked out without making the order when the
    security has one of pylean's own fee models (SetHoldings sizing asks per target); None otherwise."""
    model = security.fee_model
    # pylean's own IB model with nothing set on the instance: its method is the class's (no look-up needed)
    method = (InteractiveBrokersFeeModel.get_order_fee if type(model) is _PLAIN_FEE_MODEL and not model.__dict__
              else getattr(user_method(model, "get_order_fee"), "__func__", None))
    if method is InteractiveBrokersFeeModel.get_order_fee:
        quantity = abs(quantity)
        fee = _PER_SHARE * quantity
        return _MINIMUM if fee < _MINIMUM else _capped(fee, quantity, security.cache.trade_decimal())
    if method is FeeModel.get_order_fee:
        return _ZERO
    return None


def slippage(security: "Security", order: Order) -> Decimal:
    """The security's slippage: pylean's own models in decimals, a user model's float made a decimal."""
    model = security.slippage_model
    if type(model) is _PLAIN_SLIPPAGE_MODEL and not model.__dict__:
        return _ZERO  # (the default model: nothing on the instance can change its answer)
    method = user_method(model, "get_slippage_approximation")
    if getattr(getattr(method, "__func__", None), "__module__", None) == __name__:
        return model._slippage_decimal(security, order)
    return to_decimal(method(security, order))


# the default models whose answers the two functions above give without looking their methods up (tests
# patch these to compare with the look-ups)
_PLAIN_FEE_MODEL: type = InteractiveBrokersFeeModel
_PLAIN_SLIPPAGE_MODEL: type = NullSlippageModel
