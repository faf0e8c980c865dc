"""Benchmark: consolidator- and indicator-heavy, on second data. Per symbol: an SMA(60) and an
EMA(30) updated by every second bar, 1-minute and 5-minute consolidators each feeding their own
indicators (SMA, EMA, RSI, Bollinger Bands; ATR on the 5-minute bars), a 30-second
TradeBarConsolidator with a RollingWindow, and on_data reading the indicators every step."""
from datetime import timedelta

from AlgorithmImports import *
from bench_setup import configure


class ConsolidatorsBenchmarkAlgorithm(QCAlgorithm):
    def initialize(self) -> None:
        self._symbols = configure(self)
        self._fast = {}
        self._slow = {}
        self._windows = {}
        self._minute_bars = 0
        for symbol in self._symbols:
            self._fast[symbol] = self.sma(symbol, 60, Resolution.SECOND)
            self._slow[symbol] = self.ema(symbol, 30, Resolution.SECOND)

            minute = TradeBarConsolidator(timedelta(minutes=1))
            minute.data_consolidated += self._on_minute
            self.subscription_manager.add_consolidator(symbol, minute)
            for indicator in (SimpleMovingAverage(20), ExponentialMovingAverage(20), RelativeStrengthIndex(14),
                              BollingerBands(20, 2)):
                self.register_indicator(symbol, indicator, minute)

            five = TradeBarConsolidator(timedelta(minutes=5))
            self.subscription_manager.add_consolidator(symbol, five)
            for indicator in (SimpleMovingAverage(10), RelativeStrengthIndex(14), AverageTrueRange(14)):
                self.register_indicator(symbol, indicator, five)

            window = RollingWindow[TradeBar](10)
            self._windows[symbol] = window
            half = TradeBarConsolidator(timedelta(seconds=30))
            half.data_consolidated += lambda sender, bar, window=window: window.add(bar)
            self.subscription_manager.add_consolidator(symbol, half)

    def _on_minute(self, sender: object, bar: TradeBar) -> None:
        self._minute_bars += 1

    def on_data(self, data: Slice) -> None:
        fast, slow = self._fast, self._slow
        above = 0
        for symbol in self._symbols:
            above += fast[symbol].current.value > slow[symbol].current.value
        self._above = above
