"""Brokerage models as far as pylean uses them (Common/Brokerages/DefaultBrokerageModel.cs, Common/Benchmarks/):
the model chosen by set_brokerage_model and the benchmark it supplies when the algorithm sets none.
The default model's reality models are the ones pylean gives every equity already."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from pylean.enums import BrokerageName
from pylean.naming import lean_api
from pylean.numbers import to_decimal
from pylean.orders.fees import FeeModel
from pylean.orders.types import CashAmount, OrderFee
from pylean.symbols import Symbol


@lean_api
class FuncBenchmark:
    """A benchmark whose value at a time is the function's (FuncBenchmark.cs)."""

    def __init__(self, func: Callable[[datetime], Any]) -> None:
        self._func = func

    def evaluate(self, time: datetime) -> Any:
        return to_decimal(self._func(time))


@lean_api
class SecurityBenchmark:
    """The benchmark is a security's price (SecurityBenchmark.cs); pylean subscribes it internally."""

    def __init__(self, symbol: Symbol) -> None:
        self.symbol = symbol


@lean_api
class DefaultBrokerageModel:
    def __init__(self, account_type: Any = None) -> None:
        self.account_type = account_type

    def get_benchmark(self, securities: Any) -> Any:
        return SecurityBenchmark(Symbol.create("SPY"))


@lean_api
class AxosFeeModel(FeeModel):
    """A fee per share, $0.0035 by default (AxosFeeModel.cs)."""

    def __init__(self, fees_per_share: Any = None) -> None:
        self._per_share = to_decimal(fees_per_share) if fees_per_share is not None else to_decimal("0.0035")

    def get_order_fee(self, parameters: Any) -> OrderFee:
        return OrderFee(CashAmount(self._per_share * abs(parameters.order._quantity), "USD"))


@lean_api
class AxosClearingBrokerageModel(DefaultBrokerageModel):
    """Axos: its per-share fee and no benchmark (a zero function). Its order-type and short-quantity
    checks are not modelled."""

    def get_fee_model(self, security: Any) -> Any:
        return AxosFeeModel()

    def get_benchmark(self, securities: Any) -> Any:
        return FuncBenchmark(lambda _: 0)


_BY_NAME = {int(BrokerageName.AXOS): AxosClearingBrokerageModel}


def brokerage_model_for(name_or_model: Any, account_type: Any = None) -> Any:
    """SetBrokerageModel(model) keeps the model; SetBrokerageModel(BrokerageName[, AccountType]) builds it."""
    if hasattr(name_or_model, "get_benchmark"):
        return name_or_model
    return _BY_NAME.get(int(name_or_model), DefaultBrokerageModel)(account_type)


from pylean.brokerage_alpha_streams import AlphaStreamsBrokerageModel  # noqa: E402  (it builds on the above)

_BY_NAME[int(BrokerageName.ALPHA_STREAMS)] = AlphaStreamsBrokerageModel
