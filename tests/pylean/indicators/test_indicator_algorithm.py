"""The algorithm helpers end to end on Lean's SPY sample data (QCAlgorithm.Indicators.cs, Consolidate, Plot)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

import pytest

from indicators_support import run_class, run_file, wire, wired_bases
from pylean.algorithm import QCAlgorithm
from pylean.consolidators import TradeBarConsolidator
from pylean.enums import Resolution
from pylean.indicators import Field, IndicatorExtensions, MovingAverageType, SimpleMovingAverage

REGRESSION = Path(__file__).resolve().parents[2] / "regression" / "algorithms"


@pytest.fixture
def wired(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with wired_bases():
        wire(monkeypatch)
        yield


class HelpersProbe(QCAlgorithm):
    """SPY minute bars, two days: records what the helpers deliver and when."""

    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.daily: list[tuple[datetime, datetime, datetime, float, float]] = []
        self.half_hours: list[tuple[datetime, datetime]] = []
        self.consolidate(self.spy, Resolution.DAILY, lambda bar: self.daily.append(
            (self.time, bar.time, bar.end_time, bar.open, bar.volume)))
        self.Consolidate(self.spy, timedelta(minutes=30), lambda bar: self.half_hours.append((self.time, bar.time)))
        self.sma10 = self.sma(self.spy, 10)
        self.ema_daily = self.EMA(self.spy, 2, Resolution.DAILY)
        self.high5 = self.max(self.spy, 5)
        self.macd_line = self.macd(self.spy, 3, 6, 2, MovingAverageType.EXPONENTIAL, Resolution.MINUTE)
        self.bands = self.bb(self.spy, 20, 2)
        self.range = self.atr(self.spy, 14)
        self.strength = self.rsi(self.spy, 14, MovingAverageType.WILDERS)
        self.ask = self.sma(self.spy, 3, selector=Field.ASK_CLOSE)
        self.smoothed = IndicatorExtensions.SMA(self.sma10, 2)
        self.custom = TradeBarConsolidator(timedelta(minutes=15))
        self.vol15 = SimpleMovingAverage("vol15", 2)
        self.register_indicator(self.spy, self.vol15, self.custom, Field.VOLUME)
        self.plot_indicator("Averages", self.sma10)
        self.closes: list[Any] = []
        self.minute_volumes: list[float] = []
        self.asks: list[Any] = []
        self.checked: list[bool] = []

    def on_data(self, data: Any) -> None:
        bar = data[self.spy]
        self.closes.append(bar.close)
        self.minute_volumes.append(bar.volume)
        self.asks.append(data.quote_bars[self.spy].ask.close)
        if len(self.closes) >= 10:
            window = [Decimal(repr(c)) for c in self.closes[-10:]]
            self.checked.append(abs(self.sma10.current.value - float(sum(window) / 10)) < 1e-9)
        self.plot("Prices", "close", bar.close)


def test_helpers_consolidate_and_feed_indicators(wired: None, lean_data: Path, tmp_path: Path) -> None:
    outcome = run_class(HelpersProbe, lean_data, tmp_path)
    algo = outcome.record.algorithm  # type: ignore[union-attr]
    assert [(a, b, c) for a, b, c, _, _ in algo.daily] == [
        (datetime(2013, 10, d, 16), datetime(2013, 10, d, 9, 30), datetime(2013, 10, d, 16)) for d in (7, 8)]
    assert algo.daily[0][4] == sum(b for b in algo.minute_volumes[:390])
    # 30-minute bars start on the half hour and are emitted when they end
    assert algo.half_hours[0] == (datetime(2013, 10, 7, 10), datetime(2013, 10, 7, 9, 30))
    assert len(algo.half_hours) == 2 * 13
    assert all(algo.checked) and len(algo.checked) == 2 * 390 - 9
    assert algo.sma10.name == "SMA(10,SPY_min)" and algo.ema_daily.name == "EMA(2,SPY_day)"
    # two session bars: the EMA(2) is their average
    assert algo.ema_daily.is_ready and algo.ema_daily.samples == 2
    assert algo.ema_daily.current.time == datetime(2013, 10, 8, 16)
    assert algo.high5.current.value >= max(algo.closes[-5:])
    assert algo.macd_line.is_ready and algo.bands.is_ready and algo.range.is_ready and algo.strength.is_ready
    assert algo.range.name == "ATR(14,SPY_min)" and "Simple" in algo.range._smoother.name
    assert algo.strength.name == "RSI(14,Wilders,SPY_min)"
    assert algo.ask.current.value == pytest.approx(sum(algo.asks[-3:]) / 3, rel=1e-12)
    assert algo.vol15.samples == 2 * 26 and algo.vol15.is_ready and algo.smoothed.is_ready
    charts = outcome.record.runtime.results.charts  # type: ignore[union-attr]
    assert len(charts["Prices"].series["close"].points) == 2 * 390
    assert len(charts["Averages"].series["SMA(10,SPY_min)"].points) == 2 * 390


class WarmUpProbe(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 8)
        self.spy = self.add_equity("SPY", Resolution.DAILY).symbol
        self.ema5 = self.ema(self.spy, 5)
        self.warm_up_indicator(self.spy, self.ema5)
        self.ready_at_start = self.ema5.is_ready
        self.value_at_start = self.ema5.current.value
        history = self.history(self.spy, 5, Resolution.DAILY)
        self.history_closes = list(history["close"])
        self.history_ends = [t for _, t in history.index]


def test_warm_up_indicator_from_history(wired: None, lean_data: Path, tmp_path: Path) -> None:
    algo = run_class(WarmUpProbe, lean_data, tmp_path).record.algorithm  # type: ignore[union-attr]
    assert algo.ready_at_start and algo.ema5.current.time != datetime.min
    closes = [Decimal(repr(c)) for c in algo.history_closes]
    assert algo.value_at_start == float(sum(closes) / 5)  # an EMA's first value is the SMA of its period
    assert algo.ema5.samples == 6  # then the run's own daily bar


@pytest.mark.parametrize("name", ["ConsolidatorRollingWindowRegressionAlgorithm", "StopLimitOrderRegressionAlgorithm"])
def test_regression_algorithms_match_lean(name: str, wired: None, lean_data: Path, tmp_path: Path,
                                          shared: Path) -> None:
    """The two oracle algorithms that need consolidators (a 10-minute window; EMA(30)/EMA(60) on daily bars)."""
    outcome, summary = run_file(REGRESSION / f"{name}.py", lean_data, tmp_path, name)
    oracle = json.loads((shared / "oracle" / "lean-regression.json").read_text())["algorithms"][name]
    assert outcome.data_points == oracle["data_points"]
    expected = {k: v for k, v in oracle["expected_statistics"].items() if k != "OrderListHash"}
    assert {k: summary["statistics"].get(k) for k in expected} == expected
    algo = outcome.record.algorithm  # type: ignore[union-attr]
    if name.startswith("Consolidator"):
        assert algo._bars_seen == 5 * 39 and algo._ten_minute.window.count == 2


class EngineWarmUpProbe(QCAlgorithm):
    """set_warm_up: the warm-up days' bars reach consolidators and indicators like any other."""

    def initialize(self) -> None:
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 8)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.set_warm_up(timedelta(days=1))
        self.fast = self.sma(self.spy, 30)
        self.sessions: list[tuple[datetime, bool]] = []
        self.consolidate(self.spy, Resolution.DAILY, lambda bar: self.sessions.append((bar.end_time, self.is_warming_up)))
        self.first: tuple[datetime, bool, int] | None = None

    def on_data(self, data: Any) -> None:
        if self.first is None and not self.is_warming_up:
            self.first = (self.time, self.fast.is_ready, self.fast.samples)


def test_indicators_and_consolidators_are_fed_during_warm_up(wired: None, lean_data: Path, tmp_path: Path) -> None:
    algo = run_class(EngineWarmUpProbe, lean_data, tmp_path).record.algorithm  # type: ignore[union-attr]
    assert algo.sessions == [(datetime(2013, 10, 7, 16), True), (datetime(2013, 10, 8, 16), False)]
    assert algo.first == (datetime(2013, 10, 8, 9, 31), True, 391)


class SpanWarmUpProbe(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 8)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.average = SimpleMovingAverage("sma30m", 3)
        self.register_indicator(self.spy, self.average, timedelta(minutes=30))
        self.warm_up_indicator(self.spy, self.average, timedelta(minutes=30))
        self.at_start = (self.average.is_ready, self.average.samples, self.average.current.time)


def test_warm_up_with_a_period_consolidates_history(wired: None, lean_data: Path, tmp_path: Path) -> None:
    algo = run_class(SpanWarmUpProbe, lean_data, tmp_path).record.algorithm  # type: ignore[union-attr]
    # 3 x 30 minute bars from the last 90 minute bars of the previous session (the last one scanned out)
    assert algo.at_start == (True, 3, datetime(2013, 10, 7, 16))
