"""User fill and fee models (Security.set_fill_model / set_fee_model): overrides in PascalCase or snake_case
are used for their order types, Lean's defaults for the rest."""
from __future__ import annotations

from orders_support import DAY1, OrderTestAlgorithm, algo, fills, run

from pylean.enums import OrderStatus
from pylean.orders.fees import FeeModel
from pylean.orders.fills import EquityFillModel, FillModel
from pylean.orders.types import CashAmount, OrderFee


class PascalFillModel(FillModel):
    """Lean's base model with two PascalCase overrides."""

    def MarketFill(self, asset, order):  # noqa: N802 - Lean's spelling
        fill = super().MarketFill(asset, order)
        fill.FillPrice = 123.45
        return fill

    def StopMarketFill(self, asset, order):  # noqa: N802
        fill = super().StopMarketFill(asset, order)
        if fill.Status == OrderStatus.Filled:
            fill.FillPrice = float(order.StopPrice) - 1
            fill.Message = "custom stop"
        return fill


class SnakeFillModel(EquityFillModel):
    def limit_fill(self, asset, order):
        fill = super().limit_fill(asset, order)
        if fill.status == OrderStatus.FILLED:
            fill.fill_price = 42.0
        return fill


class DuckFillModel:
    """Not derived from FillModel: only its market fill exists."""

    def MarketFill(self, asset, order):  # noqa: N802
        fill = EquityFillModel().market_fill(asset, order)
        fill.fill_price = 7.0
        return fill


class FlatFee(FeeModel):
    def GetOrderFee(self, parameters):  # noqa: N802
        return OrderFee(CashAmount(2.5, "USD"))


class WithModel(OrderTestAlgorithm):
    MODEL: object = None

    def setup(self) -> None:
        self.securities[self.test].set_fill_model(self.MODEL)
        self.securities[self.test].set_fee_model(FlatFee())

    def on_data(self, data: object) -> None:
        if self.at("09:31"):
            self.market_order(self.test, 10)
            self.stop_market_order(self.test, -10, 99.5)
            self.limit_order(self.test, 10, 99.5)


def test_pascal_case_overrides_are_used_and_the_base_model_does_the_rest(data) -> None:
    class Algo(WithModel):
        MODEL = PascalFillModel()

    data.write(data.day(DAY1).set("09:40", 100, 100, 99.4, 99.8))
    out = run(data, Algo)
    # market: overridden price; stop (base model: strict touch on the bid bar): stop - 1; limit (base model):
    # min(bid high, limit) = 99.5
    assert fills(out) == [("09:31", 1, 123.45, 10.0), ("09:41", 2, 98.5, -10.0), ("09:41", 3, 99.5, 10.0)]
    assert [e[5] for e in algo(out).events if e[1] == 2][-1] == "custom stop"
    assert out.record.runtime.portfolio.total_fees == 7.5  # the user's fee model, per fill


def test_snake_case_override_on_the_equity_model(data) -> None:
    class Algo(WithModel):
        MODEL = SnakeFillModel()

    data.write(data.day(DAY1).set("09:40", 100, 100, 99.4, 99.8))
    out = run(data, Algo)
    assert fills(out) == [("09:31", 1, 100.01, 10.0), ("09:41", 2, 99.5, -10.0), ("09:41", 3, 42.0, 10.0)]


def test_a_duck_typed_model_falls_back_to_the_equity_model(data) -> None:
    class Algo(WithModel):
        MODEL = DuckFillModel()

    data.write(data.day(DAY1).set("09:40", 100, 100, 99.4, 99.8))
    out = run(data, Algo)
    assert fills(out) == [("09:31", 1, 7.0, 10.0), ("09:41", 2, 99.5, -10.0), ("09:41", 3, 99.5, 10.0)]


def test_a_failing_fill_model_is_reported_and_the_order_stays_open(data) -> None:
    class Broken(EquityFillModel):
        def limit_fill(self, asset, order):
            raise RuntimeError("boom")

    class Algo(WithModel):
        MODEL = Broken()

        def on_end_of_algorithm(self) -> None:
            self.open_at_end = [o.id for o in self.transactions.get_open_orders()]

    data.write(data.day(DAY1))
    out = run(data, Algo)
    assert algo(out).open_at_end == [2, 3]
    lines = out.record.runtime.results.log_lines
    assert any("Order Error: id: 3, Transaction model failed to fill for order type: Limit with error: boom" in line
               for line in lines)


def test_a_whole_fill_override_sees_every_order(data) -> None:
    class Tagging(EquityFillModel):
        def Fill(self, parameters):  # noqa: N802
            events = super().Fill(parameters)
            for event in events:
                if event.status == OrderStatus.FILLED:
                    event.message = f"via Fill for {parameters.order.type!s}"
            return events

    class Algo(WithModel):
        MODEL = Tagging()

    data.write(data.day(DAY1).set("09:40", 100, 100, 99.4, 99.8))
    out = run(data, Algo)
    assert [e[5] for e in algo(out).events if e[2] == OrderStatus.FILLED] == [
        "via Fill for Market", "via Fill for StopMarket", "via Fill for Limit"]
