"""History requests (Engine/HistoricalData/SubscriptionDataReaderHistoryProvider.cs) as pandas DataFrames.

The same files, factors and market-hours filter as the live feed; pandas is imported only here, on
the first request, so algorithms that never ask for history never pay for it.
"""
from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from pylean.data.market_hours import ExchangeHours
from pylean.data.subscription import RawDataSource, SubscriptionDataConfig
from pylean.timeutil import local_to_ms, ms_to_local

_MAX_LOOKBACK_DAYS = 4000


class HistoryProvider:
    def __init__(self, source: RawDataSource, hours: ExchangeHours) -> None:
        self.source = source
        self.hours = hours
        self.data_point_count = 0
        self.request_count = 0
        self.seconds = 0.0

    def _day_rows(self, config: SubscriptionDataConfig, d: date) -> dict[str, np.ndarray] | None:
        open_dt, close_dt = self.hours.market_open(d), self.hours.market_close(d)
        if open_dt is None or close_dt is None:
            return None
        open_ms, close_ms = local_to_ms(open_dt), local_to_ms(close_dt)
        raw = self.source.read_day(config, d, open_ms, close_ms)
        if raw is None or not len(raw):
            return None
        mask = np.ones(len(raw), dtype=bool) if config.extended_hours else (
            (raw.time_ms < close_ms) & (raw.end_ms > open_ms))
        out = {"time": raw.end_ms[mask]}
        for name, values in raw.prices.items():
            out[name] = values[mask]
        for name, values in raw.sizes.items():
            out[name] = values[mask]
        return out

    def bars(self, config: SubscriptionDataConfig, end: datetime, count: int | None = None,
             start: datetime | None = None) -> dict[str, np.ndarray]:
        """Bars whose end time is <= `end` (and > `start`), newest `count` of them when given."""
        began = time.perf_counter()
        try:
            return self._bars(config, end, count, start)
        finally:
            self.seconds += time.perf_counter() - began

    def _bars(self, config: SubscriptionDataConfig, end: datetime, count: int | None,
              start: datetime | None) -> dict[str, np.ndarray]:
        end_ms = local_to_ms(end)
        start_ms = local_to_ms(start) if start is not None else None
        chunks: list[dict[str, np.ndarray]] = []
        total = 0
        d = end.date()
        for _ in range(_MAX_LOOKBACK_DAYS):
            if start is not None and d < start.date():
                break
            if count is not None and total >= count:
                break
            if self.hours.is_trading_day(d):
                rows = self._day_rows(config, d)
                if rows is not None:
                    keep = rows["time"] <= end_ms
                    if start_ms is not None:
                        keep &= rows["time"] > start_ms
                    rows = {k: v[keep] for k, v in rows.items()}
                    if len(rows["time"]):
                        chunks.append(rows)
                        total += len(rows["time"])
            d -= timedelta(days=1)
        if not chunks:
            return {}
        chunks.reverse()
        merged = {k: np.concatenate([c[k] for c in chunks]) for k in chunks[0]}
        if count is not None:
            merged = {k: v[-count:] for k, v in merged.items()}
        return merged

    def count_request(self, requests: list[tuple[SubscriptionDataConfig, dict[str, np.ndarray]]]) -> None:
        """One history request and the data points it returned (reported in the run's statistics)."""
        self.request_count += 1
        self.data_point_count += sum(len(bars["time"]) for _, bars in requests if bars)

    def frame(self, requests: list[tuple[SubscriptionDataConfig, dict[str, np.ndarray]]]) -> Any:
        """A DataFrame indexed (symbol, time) with Lean's lower-case columns."""
        began = time.perf_counter()
        import pandas as pd

        frames = []
        for config, bars in requests:
            if not bars:
                continue
            n = len(bars["time"])
            times = [ms_to_local(t) for t in bars["time"]]
            columns = {name: bars[name] for name in ("open", "high", "low", "close") if name in bars}
            if "volume" in bars:
                columns["volume"] = bars["volume"]
            for name in ("bid_open", "bid_high", "bid_low", "bid_close", "ask_open", "ask_high", "ask_low",
                         "ask_close"):
                if name in bars:
                    columns[name.replace("_", "")] = bars[name]
            index = pd.MultiIndex.from_arrays([[config.symbol] * n, times], names=["symbol", "time"])
            frames.append(pd.DataFrame(columns, index=index))
        self.count_request(requests)
        result = pd.concat(frames).sort_index(level=0, sort_remaining=False) if frames else pd.DataFrame()
        self.seconds += time.perf_counter() - began
        return result
