"""DataManager: a symbol's consolidated bars, day values and daily-history metrics.

Three consolidators feed it (15 s, 1 min, daily). It keeps the 15-s window (45 bars, index 0 newest), the
day's open/high/low/close/volume accumulated from 15-s bars (reset only by the 15:59 end-of-day routine),
the 30-day rolling mean of the daily range % (a running sum, as the original keeps it), the 7-day volume
list, and the `has_new_bar` flag that lets the per-second dispatch skip 14 of 15 seconds.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable

from AlgorithmImports import QCAlgorithm, Resolution, Symbol, TradeBar

from core.kernels import DailyRecord, Kernels
from core.utils import timed

WINDOW_15S = 45
WINDOW_1M = 5
WINDOW_DAILY = 35
RANGE_DAYS = 30
VOLUME_DAYS = 7
HISTORY_DAYS = 50
STALE_BAR_SECONDS = 300
SESSION_OPEN = time(9, 30)
SESSION_CLOSE = time(16, 0)


class RollingRangeMean:
    """Mean of the last `size` daily range % values, kept as a running sum (add new, subtract evicted).

    The running sum drifts from an exact mean in the last bits over a long backtest; the original keeps it
    this way and its SL/TP/trigger prices depend on it, so we do too.
    """

    __slots__ = ("values", "total", "size")

    def __init__(self, size: int = RANGE_DAYS) -> None:
        self.values: deque[float] = deque()
        self.total = 0.0
        self.size = size

    def push(self, value: float) -> None:
        self.values.append(value)
        self.total += value
        if len(self.values) > self.size:
            self.total -= self.values.popleft()

    @property
    def mean(self) -> float | None:
        return self.total / len(self.values) if self.values else None


@dataclass(slots=True)
class DayValues:
    """The 'day' as the original sees it: accumulated from 15-s bars since the last 15:59 reset (quirk Q1)."""

    open: float = 0.0
    high: float = 0.0
    low: float = 0.0
    close: float = 0.0
    volume: float = 0.0

    def update(self, bar: TradeBar) -> None:
        self.add(bar.open, bar.high, bar.low, bar.close, bar.volume)

    def add(self, o: float, h: float, low: float, c: float, v: float) -> None:
        if self.open == 0:
            self.open = o
        if h > self.high:
            self.high = h
        if self.low == 0 or low < self.low:
            self.low = low
        self.close = c
        self.volume += v


def daily_range_pct(high: float, low: float, open_: float) -> float:
    return (high - low) * 100 / open_ if open_ else 0.0


class DataManager:
    FIFTEEN_SECONDS = timedelta(seconds=15)

    def __init__(self, algorithm: QCAlgorithm, symbol: Symbol, kernels: Kernels) -> None:
        self.algorithm = algorithm
        self.symbol = symbol
        self.kernels = kernels
        self.window: deque[TradeBar] = deque(maxlen=WINDOW_15S)
        # the window's highs and lows as floats, newest first: kept by the streaming data manager only
        self.highs: deque[float] = deque(maxlen=WINDOW_15S)
        self.lows: deque[float] = deque(maxlen=WINDOW_15S)
        self.extremes_key: tuple[datetime | None, date] | None = None   # the fast kernels' memo
        self.extremes = (False, False)
        self.minute_window: deque[TradeBar] = deque(maxlen=WINDOW_1M)
        self.daily: deque[DailyRecord] = deque(maxlen=WINDOW_DAILY)
        self.day = DayValues()
        self.vwap_pv = 0.0
        self.vwap_volume = 0.0
        self.range30 = RollingRangeMean()
        self.volumes7: list[float] = []
        self.has_new_bar = False
        self.last_bar_time: datetime | None = None
        self.history_loaded = False
        self.on_new_15s_bar: Callable[[], None] | None = None  # the strategy's trailing-entry update

    # ------------------------------------------------------------ wiring
    def register_consolidators(self) -> None:
        algorithm = self.algorithm
        algorithm.consolidate(self.symbol, self.FIFTEEN_SECONDS, self.on_15s_bar)
        algorithm.consolidate(self.symbol, Resolution.MINUTE, self.on_minute_bar)
        algorithm.consolidate(self.symbol, Resolution.DAILY, self.on_daily_bar)

    def load_history(self) -> None:
        """50 daily bars before the start; a failure is reported and retried on the next processed cycle."""
        try:
            frame = self.algorithm.history(self.symbol, HISTORY_DAYS, Resolution.DAILY)
            records = self.kernels.history_records(frame)
        except Exception as exc:  # the original retries until a load succeeds
            self.algorithm.error(f"{self.symbol.value}: daily history failed: {exc}")
            return
        self.accept_history(records)

    def accept_history(self, records: list[DailyRecord]) -> None:
        """The daily history of this symbol, loaded here or by a batched request for many symbols."""
        self.history_loaded = True
        for record in records:
            self.add_daily(record)

    # ------------------------------------------------------------ consolidator handlers
    def on_15s_bar(self, bar: TradeBar) -> None:
        self.window.appendleft(bar)
        if SESSION_OPEN <= bar.time.time() <= SESSION_CLOSE:
            typical = (bar.high + bar.low + bar.close) / 3
            self.vwap_pv += typical * bar.volume
            self.vwap_volume += bar.volume
        self.day.update(bar)
        if self.on_new_15s_bar is not None:
            self.on_new_15s_bar()
        self.has_new_bar = True
        self.last_bar_time = bar.time

    def on_minute_bar(self, bar: TradeBar) -> None:
        self.minute_window.appendleft(bar)

    def on_daily_bar(self, bar: TradeBar) -> None:
        if self.daily and self.daily[0].time.date() == bar.time.date():
            return
        self.add_daily(DailyRecord(bar.time, bar.open, bar.high, bar.low, bar.close, bar.volume))
        self.keep_todays_15s_bars(bar.time)

    def add_daily(self, record: DailyRecord) -> None:
        self.daily.appendleft(record)
        self.volumes7.append(record.volume)
        if len(self.volumes7) > VOLUME_DAYS:
            self.volumes7.pop(0)
        self.range30.push(daily_range_pct(record.high, record.low, record.open))

    def keep_todays_15s_bars(self, today: datetime) -> None:
        """The 16:00 clean-up: keep today's 15-s bars, newest first (the original re-added them reversed, Q2)."""
        kept = [b for b in self.window if b.time.date() == today.date()]
        self.window.clear()
        self.window.extend(kept)

    # ------------------------------------------------------------ pipeline step c
    @timed("data_manager")
    def on_data(self, now: datetime) -> bool:
        """Consume the new-bar flag; True when the window is usable for this cycle."""
        if not self.history_loaded:
            self.load_history()
        self.has_new_bar = False
        if len(self.window) < 2 or self.last_bar_time is None:
            return False
        return (now - self.last_bar_time).total_seconds() <= STALE_BAR_SECONDS

    # ------------------------------------------------------------ derived values
    @property
    def vwap(self) -> float:
        return self.vwap_pv / self.vwap_volume if self.vwap_volume else 0.0

    def range30_pct(self) -> float:
        """30-day mean daily range %; 1.0 when unknown or not positive."""
        mean = self.range30.mean
        return mean if mean is not None and mean > 0 else 1.0

    def volume7(self) -> float:
        mean = sum(self.volumes7) / len(self.volumes7) if self.volumes7 else 0.0
        if mean == 0 and self.daily:
            recent = list(self.daily)[:VOLUME_DAYS]
            mean = sum(r.volume for r in recent) / len(recent)
        return mean

    def recent_extremes(self, count: int) -> tuple[list[float], list[float]]:
        """Highs and lows of the `count` newest 15-s bars (the sharp-move check)."""
        window = self.window
        return [window[i].high for i in range(count)], [window[i].low for i in range(count)]

    def reset_day(self) -> None:
        self.day = DayValues()
        self.vwap_pv = 0.0
        self.vwap_volume = 0.0
        self.has_new_bar = False
