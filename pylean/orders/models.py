"""The reality models a new equity security starts with (Common/Brokerages/DefaultBrokerageModel.cs)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pylean.orders.buying_power import SecurityMarginModel
from pylean.orders.fees import InteractiveBrokersFeeModel, NullSlippageModel
from pylean.orders.fills import EquityFillModel

if TYPE_CHECKING:
    from pylean.securities import Security


def default_models(security: "Security") -> tuple[Any, Any, Any, Any]:
    """Equity fill model, IB fees, no slippage, margin account with the security's leverage."""
    return (EquityFillModel(), InteractiveBrokersFeeModel(), NullSlippageModel(),
            SecurityMarginModel(security.leverage))
