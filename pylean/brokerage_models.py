"""The rest of Lean's BrokerageModelSecurityInitializer for a new security: the brokerage model's slippage model
and, unless the security was added with its own leverage, the brokerage's leverage (when the model has them)."""
from __future__ import annotations

from typing import Any


def apply_brokerage_models(brokerage_model: Any, security: Any, requested_leverage: float) -> None:
    slippage_model = getattr(brokerage_model, "get_slippage_model", None)
    if slippage_model is not None:
        security.set_slippage_model(slippage_model(security))
    leverage = getattr(brokerage_model, "get_leverage", None)
    if leverage is not None and not requested_leverage:
        security.set_leverage(leverage(security))
