"""The Alpha Streams brokerage model (Common/Brokerages/AlphaStreamsBrokerageModel.cs): margin accounts only,
leverage 1, the Alpha Streams fee model (US equities: $0.005 a share, $1 minimum, at most 0.5 % of the value,
as Interactive Brokers) and 0.01 % slippage on equities."""
from __future__ import annotations

from typing import Any

from pylean.brokerages import DefaultBrokerageModel
from pylean.enums import AccountType
from pylean.naming import lean_api
from pylean.orders.fees import ConstantSlippageModel, InteractiveBrokersFeeModel


@lean_api
class AlphaStreamsFeeModel(InteractiveBrokersFeeModel):
    """For US equities the same fee as Interactive Brokers' (AlphaStreamsFeeModel.cs)."""


@lean_api
class AlphaStreamsSlippageModel(ConstantSlippageModel):
    """0.01 % of the last price (AlphaStreamsSlippageModel.cs; pylean trades equities only)."""

    def __init__(self) -> None:
        super().__init__(0.0001)


@lean_api
class AlphaStreamsBrokerageModel(DefaultBrokerageModel):
    def __init__(self, account_type: Any = None) -> None:
        if account_type is not None and int(account_type) == int(AccountType.CASH):
            raise ValueError("The Alpha Streams brokerage does not currently support Cash trading.")
        super().__init__(AccountType.MARGIN)

    def get_fee_model(self, security: Any) -> Any:
        return AlphaStreamsFeeModel()

    def get_slippage_model(self, security: Any) -> Any:
        return AlphaStreamsSlippageModel()

    def get_leverage(self, security: Any) -> float:
        return 1.0
