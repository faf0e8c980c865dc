"""Combo orders (Lean's ComboMarketOrder, ComboLimitOrder, ComboLegLimitOrder): the legs share a
GroupOrderManager, are placed together with the last leg, and fill through the fill model's combo methods."""
from __future__ import annotations

from orders_support import DAY1, OrderTestAlgorithm, algo, fills, run, statuses

from pylean.algorithm_imports import FillModel, Leg, OrderStatus, OrderType
from pylean.results.order_list_hash import order_json_text


def test_combo_market_and_leg_limit_orders_fill_as_groups(data) -> None:
    class Combos(OrderTestAlgorithm):
        def on_data(self, _: object) -> None:
            if self.at("09:31"):
                self.market = self.combo_market_order([Leg.create(self.test, 2)], 5)
                self.leg_limit = self.combo_leg_limit_order([Leg.create(self.test, -1, 101.0)], 3)

    data.write(data.day(DAY1).set("09:35", 100, 101.5, 100, 101))
    out = run(data, Combos)
    a = algo(out)
    # the market leg fills at once (2 x 5 at the ask); the sell leg when the high passes its limit
    assert fills(out) == [("09:31", 1, 100.01, 10.0), ("09:36", 2, 101.0, -3.0)]
    order = out.record.runtime.transactions.orders[1]
    assert order.type == OrderType.COMBO_MARKET and order.group_order_manager.order_ids == [1]
    assert a.leg_limit[0].order_type == OrderType.COMBO_LEG_LIMIT
    text = order_json_text(out.record.runtime.transactions.orders[2])
    assert text.startswith('{"type":10,"limitPrice":101.0,"quantity":-3.0,"id":2,')
    assert '"groupOrderManager":{"id":2,"quantity":3.0,"count":1,"limitPrice":0.0,"orderIds":[2],"direction":0}' \
        in text


def test_combo_limit_compares_the_legs_price_per_hundred_shares(data) -> None:
    class ComboLimit(OrderTestAlgorithm):
        def on_data(self, _: object) -> None:
            if self.at("09:31"):
                # one leg of ratio 1: the combo price is low x 1 / 100 = 1.00 until the low falls to 90
                self.combo_limit_order([Leg.create(self.test, 1)], 4, 0.95)

    data.write(data.day(DAY1).set("09:40", 100, 100, 90, 95))
    out = run(data, ComboLimit)
    assert fills(out) == [("09:41", 1, 90.01, 4.0)]   # a buy group fills at each leg's low (the ask's here)


def test_user_fill_model_fills_combo_legs_partially(data) -> None:
    class HalfFill(FillModel):
        def combo_market_fill(self, order, parameters):
            events = super().combo_market_fill(order, parameters)
            for event in events:
                remaining = order.absolute_quantity - sum(abs(e.fill_quantity) for e in self.done)
                event.fill_quantity = min(remaining, 5)
                event.status = OrderStatus.FILLED if remaining <= 5 else OrderStatus.PARTIALLY_FILLED
                self.done.append(event)
            return events

    class Partial(OrderTestAlgorithm):
        def setup(self) -> None:
            model = HalfFill()
            model.done = []
            self.securities[self.test].set_fill_model(model)

        def on_data(self, _: object) -> None:
            if self.at("09:31"):
                self.combo_market_order([Leg.create(self.test, 1)], 10)

    data.write(data.day(DAY1))
    out = run(data, Partial)
    # the scan after the submission fills half; the one after on_data (the same step) the rest
    assert statuses(out, 1) == ["09:31 Submitted", "09:31 PartiallyFilled", "09:31 Filled"]
    assert [q for *_, q in fills(out)] == [5.0, 5.0]
