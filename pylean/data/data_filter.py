"""Security data filters (Common/Securities/SecurityDataFilter.cs, Engine/DataFeeds/Enumerators/
SubscriptionFilterEnumerator.cs): a data point the security's filter rejects never reaches the algorithm.

Lean filters after fill-forward, so a rejected fill-forward copy is dropped too. The feed asks the filter once
per emitted bar of the subscriptions of a security that has one; other subscriptions pay nothing.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from pylean.data.market_data import Bar, QuoteBar, TradeBar
from pylean.naming import lean_api
from pylean.timeutil import ms_to_local

if TYPE_CHECKING:
    from pylean.data.subscription import RawDay, SubscriptionDataConfig


@lean_api
class SecurityDataFilter:
    """The default filter: every data point passes. Subclasses override `filter(vehicle, data)`."""

    def filter(self, vehicle: Any, data: Any) -> bool:
        return True


def set_data_filter(security: Any, data_filter: Any) -> None:
    """Security.SetDataFilter: the feed reads the filter from each of the security's subscriptions."""
    security._data_filter = data_filter
    for config in security.subscriptions:
        config.data_filter = (security, data_filter)


def filter_emitted(config: "SubscriptionDataConfig", rows: "RawDay", ends: np.ndarray, rows_idx: np.ndarray,
                   ff: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keep the emitted bars (end, row, fill-forward flag) the security's filter accepts."""
    security, data_filter = config.data_filter  # type: ignore[misc]
    period_ms = int(config.increment.total_seconds() * 1000)
    keep = np.ones(len(ends), dtype=bool)
    for i, (end_ms, row, copied) in enumerate(zip(ends.tolist(), rows_idx.tolist(), ff.tolist())):
        start_ms = end_ms - period_ms if copied else int(rows.time_ms[row])
        bar = _bar(config, rows, row, start_ms, end_ms, copied)
        keep[i] = bool(data_filter.filter(security, bar))
    return ends[keep], rows_idx[keep], ff[keep]


def _bar(config: "SubscriptionDataConfig", rows: "RawDay", row: int, start_ms: int, end_ms: int,
         fill_forward: bool) -> Any:
    prices, sizes = rows.prices, rows.sizes
    start, end = ms_to_local(start_ms), ms_to_local(end_ms)
    if config.kind == "trade":
        return TradeBar(start, config.symbol, float(prices["open"][row]), float(prices["high"][row]),
                        float(prices["low"][row]), float(prices["close"][row]),
                        0.0 if fill_forward else float(sizes["volume"][row]), end_time=end,
                        is_fill_forward=fill_forward)
    bid = Bar(*(float(prices[f"bid_{name}"][row]) for name in ("open", "high", "low", "close")))
    ask = Bar(*(float(prices[f"ask_{name}"][row]) for name in ("open", "high", "low", "close")))
    return QuoteBar(start, config.symbol, bid, float(sizes["bid_size"][row]), ask, float(sizes["ask_size"][row]),
                    period=end - start, end_time=end, is_fill_forward=fill_forward)
