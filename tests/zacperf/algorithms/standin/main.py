# A small stand-in for ZacQC (tests only): same parameter contract (symbols, start_date, end_date,
# starting_cash, enable_perf_opt, perf_instrumentation) and the same PERF_JSON line, trading with
# market orders / set_holdings only. Trades depend on `threshold_bp` and `trade_every`, never on
# enable_perf_opt (the flag only changes how the day's open is looked up).
import json
from datetime import date
from time import (
    perf_counter_ns,  # after AlgorithmImports, which exports datetime's `time`
)

from AlgorithmImports import *


class StandInAlgorithm(QCAlgorithm):
    def initialize(self):
        start = date.fromisoformat(self.get_parameter("start_date", "2025-10-01"))
        end = date.fromisoformat(self.get_parameter("end_date", "2025-10-01"))
        self.set_start_date(start.year, start.month, start.day)
        self.set_end_date(end.year, end.month, end.day)
        self.set_cash(float(self.get_parameter("starting_cash", "100000")))
        resolution = {"second": Resolution.SECOND, "minute": Resolution.MINUTE}[self.get_parameter("resolution", "minute")]
        self.threshold = float(self.get_parameter("threshold_bp", "20")) / 10000.0
        self.every = int(self.get_parameter("trade_every", "15"))
        self.fast = self.get_parameter("enable_perf_opt", "false").lower() == "true"
        self.instrument = self.get_parameter("perf_instrumentation", "false").lower() == "true"
        self.tickers = [t.strip() for t in self.get_parameter("symbols", "AAPL").split(",") if t.strip()]
        self.symbols = [self.add_equity(t, resolution).symbol for t in self.tickers]
        self.opens = {}
        self.open_list = []
        self.bars_seen = 0
        self.samples = {t: [] for t in self.tickers}

    def _day_open(self, symbol, bar):
        key = (symbol, self.time.date())
        if self.fast:
            value = self.opens.get(key)
            if value is None:
                value = self.opens[key] = bar.open
            return value
        for k, v in self.open_list:          # the slow way: a linear scan
            if k == key:
                return v
        self.open_list.append((key, bar.open))
        return bar.open

    def on_data(self, data):
        self.bars_seen += 1
        for symbol, ticker in zip(self.symbols, self.tickers):
            if not data.contains_key(symbol) or data[symbol] is None:
                continue
            started = perf_counter_ns() if self.instrument else 0
            bar = data[symbol]
            day_open = self._day_open(symbol, bar)
            if self.bars_seen % self.every == 0:
                invested = self.portfolio[symbol].invested
                if not invested and bar.close > day_open * (1 + self.threshold):
                    self.set_holdings(symbol, 0.4)
                elif invested and bar.close < day_open * (1 - self.threshold):
                    self.set_holdings(symbol, 0)
            if self.instrument:
                self.samples[ticker].append((perf_counter_ns() - started) / 1000.0)

    def on_end_of_algorithm(self):
        if not self.instrument:
            return
        def table(values):
            values = sorted(values)
            if not values:
                return {"count": 0, "total": 0.0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
            pick = lambda q: values[max(0, -(-len(values) * q // 100) - 1)]
            return {"count": len(values), "total": round(sum(values), 3), "p50": pick(50), "p95": pick(95),
                    "p99": pick(99), "max": values[-1]}
        everything = [v for vs in self.samples.values() for v in vs]
        report = {"schema": "zacqc.perf", "version": 1, "unit": "us",
                  "symbols": {t: {"strategy_logic": table(v)} for t, v in self.samples.items()},
                  "aggregate": {"strategy_logic": table(everything), "total": table(everything)}}
        self.log("PERF_JSON " + json.dumps(report, separators=(",", ":")))
