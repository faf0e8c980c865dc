"""Benchmark: order-heavy. At every step, per symbol: a market order alternating buy/sell, a
fresh limit order far from the market (the previous one is cancelled), and the stop price of a
standing stop-market order moved to track the price. Exercises submit, update, cancel and fills."""
from AlgorithmImports import *
from bench_setup import configure


class OrdersBenchmarkAlgorithm(QCAlgorithm):
    def initialize(self) -> None:
        self._symbols = configure(self, tickers="SPY,AIG,BAC,IBM", start="20131007", end="20131011",
                                  resolution="minute")
        self._step = 0
        self._limits = {}
        self._stops = {}

    def on_data(self, data: Slice) -> None:
        self._step += 1
        bars = data.bars
        for symbol in self._symbols:
            bar = bars.get(symbol)
            if bar is None:
                continue
            price = bar.close
            self.market_order(symbol, 10 if self._step % 2 else -10)
            previous = self._limits.get(symbol)
            if previous is not None:
                previous.cancel()
            self._limits[symbol] = self.limit_order(symbol, 10, round(price * 0.9, 2))
            stop = self._stops.get(symbol)
            if stop is None:
                self._stops[symbol] = self.stop_market_order(symbol, -5, round(price * 0.8, 2))
            else:
                fields = UpdateOrderFields()
                fields.stop_price = round(price * 0.8, 2)
                stop.update(fields)
