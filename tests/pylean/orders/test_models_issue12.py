"""Models and helpers that Lean's regression algorithms use, run inside small algorithms: volume-share
slippage, an indicator volatility model fed with the security's bars, consolidate(BarType, symbol, size)
and the trin helper."""
from __future__ import annotations

from orders_support import DAY1, OrderTestAlgorithm, algo, fills, run

from pylean.algorithm_imports import (IndicatorVolatilityModel, RangeBar, RangeConsolidator, RenkoBar,
                                      RenkoConsolidator, SimpleMovingAverage, TradeBar, TradeBarConsolidator,
                                      VolumeShareSlippageModel)


def test_volume_share_slippage_moves_the_fill_by_the_volume_share(data) -> None:
    class Slipped(OrderTestAlgorithm):
        def setup(self) -> None:
            self.securities[self.test].set_slippage_model(VolumeShareSlippageModel(0.025, 0.1))

        def on_data(self, _: object) -> None:
            if self.at("09:31"):
                self.market_order(self.test, 10)   # 10 of a 1000 volume bar: 1 % share
            if self.at("09:32"):
                self.market_order(self.test, -500)  # capped at the 2.5 % limit

    data.write(data.day(DAY1))
    out = run(data, Slipped)
    prices = [price for _, _, price, _ in fills(out)]
    assert prices[0] == 100.011                             # the ask plus 1 % squared x 0.1 of the close
    assert prices[1] == 99.98375                            # the bid minus the 2.5 % limit's share


def test_indicator_volatility_model_sees_each_bar_before_on_data(data) -> None:
    class Volatile(OrderTestAlgorithm):
        def setup(self) -> None:
            self.mean = SimpleMovingAverage(3)
            self.seen = []

            def update(security, bar, indicator):
                indicator.update(bar.end_time, bar.close)

            security = self.securities[self.test]
            security.set_volatility_model(IndicatorVolatilityModel(self.mean, update))

        def on_data(self, _: object) -> None:
            if self.at("09:35"):
                self.seen.append((self.mean.samples, self.securities[self.test].volatility_model.volatility))

    data.write(data.day(DAY1).set("09:33", 103, 103, 103, 103).set("09:34", 106, 106, 106, 106))
    out = run(data, Volatile)
    # the bars ending 09:31 .. 09:35 were given to the model before on_data at 09:35
    assert algo(out).seen == [(5, (100 + 103 + 106) / 3)]


def test_consolidate_with_a_bar_type_and_a_size(data) -> None:
    class Sized(OrderTestAlgorithm):
        def setup(self) -> None:
            self.bars = {"renko": [], "range": [], "count": []}
            self.made = [
                self.consolidate(RenkoBar, self.test, 1.0, None, lambda b: self.bars["renko"].append(b)),
                self.consolidate(RangeBar, self.test, 100, None, lambda b: self.bars["range"].append(b)),
                self.consolidate(TradeBar, self.test, 30, None, lambda b: self.bars["count"].append(b)),
            ]

    data.write(data.day(DAY1).fill("10:00", "11:00", 103.0))
    out = run(data, Sized)
    a = algo(out)
    assert [type(c) for c in a.made] == [RenkoConsolidator, RangeConsolidator, TradeBarConsolidator]
    assert len(a.bars["count"]) == 390 // 30
    assert [(b.open, b.close) for b in a.bars["renko"]] == [(100.0, 101.0), (101.0, 102.0)]
    # 100 -> 103 -> 100: each bar spans exactly the range, the jumps leaving bars of no volume between
    assert len(a.bars["range"]) == 4
    assert all(round(b.high - b.low, 2) == 1.0 for b in a.bars["range"])
    assert a.bars["range"][1].open == 101.01 and a.bars["range"][1].volume == 0


def test_trin_helper_and_unregister(data) -> None:
    class Breadth(OrderTestAlgorithm):
        def setup(self) -> None:
            self.trin = self.trin([self.test])
            self.samples_at_unregister = None

        def on_data(self, _: object) -> None:
            if self.at("10:00"):
                self.samples_at_unregister = self.trin.samples
                self.unregister_indicator(self.trin)

    data.write(data.day(DAY1))
    out = run(data, Breadth)
    a = algo(out)
    assert a.trin.name == "TRIN(min)"
    assert a.samples_at_unregister == 30 and a.trin.samples == 30


def test_lean_common_python_module_path_imports_pylean_model() -> None:
    from pylean.dotnet import dotnet_imports

    with dotnet_imports():  # as during a run
        from Orders.Slippage.VolumeShareSlippageModel import VolumeShareSlippageModel as FromPath
    assert FromPath is VolumeShareSlippageModel
