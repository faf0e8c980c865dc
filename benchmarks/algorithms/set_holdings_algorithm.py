"""Benchmark: minute data, SetHoldings. Every minute each symbol is re-targeted between 20 % and
25 % of the portfolio in turn, so every step sizes and places (and fills) market orders."""
from AlgorithmImports import *
from bench_setup import configure


class SetHoldingsBenchmarkAlgorithm(QCAlgorithm):
    def initialize(self) -> None:
        self._symbols = configure(self, tickers="SPY,AIG,BAC,IBM", start="20131007", end="20131011",
                                  resolution="minute")
        self._step = 0

    def on_data(self, data: Slice) -> None:
        self._step += 1
        high = self._step % 2 == 0
        for i, symbol in enumerate(self._symbols):
            if data.contains_key(symbol):
                self.set_holdings(symbol, 0.25 if (i % 2 == 0) == high else 0.20)
