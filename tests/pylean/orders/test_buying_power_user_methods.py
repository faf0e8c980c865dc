"""A user BuyingPowerModel's parameter-object overrides (Lean's IBuyingPowerModel): SetHoldings and
calculate_order_quantity size with the user's get_maximum_order_quantity_for_target_buying_power, and the
portfolio's margin used is the user's get_reserved_buying_power_for_position."""
from __future__ import annotations

import math

from orders_support import DAY1, OrderTestAlgorithm, algo, fills, run

from pylean.algorithm_imports import (BuyingPowerModel, GetMaximumOrderQuantityResult,
                                      HasSufficientBuyingPowerForOrderResult)


class RoundToHundreds(BuyingPowerModel):
    def get_maximum_order_quantity_for_target_buying_power(self, parameters):
        quantity = super().get_maximum_order_quantity_for_target_buying_power(parameters).quantity
        return GetMaximumOrderQuantityResult(math.floor(quantity / 100) * 100)

    def has_sufficient_buying_power_for_order(self, parameters):
        return HasSufficientBuyingPowerForOrderResult(True)

    def get_reserved_buying_power_for_position(self, parameters):
        return parameters.result_in_account_currency(0)


def test_set_holdings_uses_the_users_maximum_quantity(data) -> None:
    class Sized(OrderTestAlgorithm):
        def setup(self) -> None:
            self.securities[self.test].set_buying_power_model(RoundToHundreds())

        def on_data(self, _: object) -> None:
            if self.at("09:31"):
                self.quantity = self.calculate_order_quantity(self.test, 0.5)
                self.set_holdings(self.test, 0.5)
            if self.at("09:40"):
                self.margin_used = self.portfolio.total_margin_used

    data.write(data.day(DAY1, price=30.0))
    out = run(data, Sized)
    # 0.5 x 100000 / 30 = 1666 shares before the user's rounding
    assert algo(out).quantity == 1600
    assert fills(out)[0][3] == 1600
    assert algo(out).margin_used == 0  # the user's reserved buying power, not 1600 x 30 / 1


def test_default_model_answers_in_lean_objects() -> None:
    model = BuyingPowerModel()
    assert hasattr(model, "GetMaximumOrderQuantityForTargetBuyingPower")
    assert GetMaximumOrderQuantityResult(5, "why").is_error
