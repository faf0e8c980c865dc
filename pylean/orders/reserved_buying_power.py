"""The buying power a position holds (Common/Securities/ReservedBuyingPowerForPosition*.cs): the maintenance margin
of the security's holdings; Python sees the amount as a float, as through pythonnet."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pylean.naming import lean_api
from pylean.numbers import to_float


@lean_api
class ReservedBuyingPowerForPositionParameters:
    def __init__(self, security: Any) -> None:
        self.security = security

    def result_in_account_currency(self, reserved_buying_power: Any) -> "ReservedBuyingPowerForPosition":
        return ReservedBuyingPowerForPosition(reserved_buying_power)


@lean_api
class ReservedBuyingPowerForPosition:
    def __init__(self, reserved_buying_power_for_position: Any) -> None:
        self._amount = reserved_buying_power_for_position

    @property
    def absolute_used_buying_power(self) -> float:
        amount = self._amount
        return to_float(amount) if isinstance(amount, Decimal) else float(amount)


def reserved_buying_power_for_position(model: Any, parameters: Any) -> ReservedBuyingPowerForPosition:
    """Lean's default: the maintenance margin of the position."""
    return parameters.result_in_account_currency(model.get_maintenance_margin(parameters.security))
