"""MetricsCalculator: the per-cycle metrics of one symbol (range %, % from open, gap, liquidity, sharp move).

Computed once per processed 15-s cycle from the data manager's day values and windows and the 1-second
price `P` of that cycle. Names follow the original's metric names in comments so its logs can be read
against ours. Between processed cycles the values keep their last state.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from itertools import islice

from config.parameters import TradingParameters
from core.utils import timed
from data.data_manager import DataManager

SECONDS_PER_SESSION = 23_400
SESSION_OPEN = time(9, 30)
SESSION_CLOSE = time(16, 0)


@dataclass(slots=True)
class Metrics:
    range30: float | None = None      # metric_range_price30DMA; None until the first processed cycle
    price: float = 0.0                # P, close of the cycle's 1-s bar
    vwap_price: float = 0.0           # metric_vwap_price: % from the day's open of P ("VWAP", quirk Q9)
    range_attr: float = 1.0           # attribute metric_range_price: (H - L) / O x 100, 1.0 if unknown
    range_mult: float = 0.0           # metric_range_multiplier: range_attr / range30
    percfromopen: float = 0.0         # metric_range_percfromopen: (C - O) x 100 / O
    range_price: float = 0.0          # dict metric_range_price: (H - L) x 100 / O, 0 if unknown
    gap: float = 0.0                  # % from the session-before-previous close (quirk Q1), 2 dp
    liquidity: float = 0.0            # Vol7 / 23,400 x P (USD per second)
    liq_millions: float = 0.0
    sharp_movement: float = 0.0       # high-low % over the last SharpMovement_Minutes of 15-s bars
    sharp_exceeded: bool = False
    vwap: float = 0.0                 # true typical-price VWAP of the day (informational, unused)


def vwap_metrics(price: float, o: float, h: float, low: float, range30: float) -> tuple[float, float, float]:
    """(vwap_price, range_attr, range_mult) of the original's 'VWAP' step."""
    vwap_price = (price - o) / o * 100 if o > 0 else 0.0
    range_attr = (h - low) / o * 100 if (h and low and o) else 1.0
    return vwap_price, range_attr, range_attr / range30


def gap_pct(day_open: float, close_before_previous: float | None) -> float:
    if close_before_previous is None or close_before_previous == 0:
        return 0.0
    return round((day_open - close_before_previous) * 100 / close_before_previous, 2)


def liquidity(volume7: float, price: float) -> tuple[float, float]:
    if not volume7 or not price:
        return 0.0, 0.0
    value = volume7 / SECONDS_PER_SESSION * price
    return value, value / 1e6


def sharp_movement(highs: list[float], lows: list[float]) -> float:
    low = min(lows)
    return (max(highs) - low) / low * 100 if low else 0.0


class MetricsCalculator:
    def __init__(self, data: DataManager, params: TradingParameters) -> None:
        self.data = data
        self.params = params
        self.metrics = Metrics()

    @timed("metrics")
    def calculate_all(self, now: datetime, price: float) -> Metrics:
        m = self.metrics
        dm = self.data
        day = dm.day
        range30 = dm.range30_pct()
        m.range30 = range30
        m.price = price
        m.vwap_price, m.range_attr, m.range_mult = vwap_metrics(price, day.open, day.high, day.low, range30)
        if day.open:
            m.percfromopen = (day.close - day.open) * 100 / day.open
            m.range_price = (day.high - day.low) * 100 / day.open
        else:
            m.percfromopen = 0.0
            m.range_price = 0.0
        m.vwap = dm.vwap
        m.gap = gap_pct(day.open, dm.daily[1].close) if len(dm.daily) >= 2 else 0.0
        m.liquidity, m.liq_millions = liquidity(dm.volume7(), price)
        self._sharp(now, range30)
        return m

    def _sharp(self, now: datetime, range30: float) -> None:
        m = self.metrics
        count = 4 * self.params.SharpMovement_Minutes
        window = self.data.window
        if count <= 0 or not (SESSION_OPEN <= now.time() < SESSION_CLOSE) or len(window) < count:
            m.sharp_movement, m.sharp_exceeded = 0.0, False
            return
        highs, lows = self.data.recent_extremes(count)
        m.sharp_movement = sharp_movement(highs, lows)
        m.sharp_exceeded = m.sharp_movement / range30 > self.params.SharpMovement_Threshold / 100


class StreamingMetricsCalculator(MetricsCalculator):
    """`calculate_all` with the helpers inlined (same expressions, same order), the gap rounded only when its
    inputs change, and the sharp-move check read off the streaming data manager's float columns."""

    def __init__(self, data: DataManager, params: TradingParameters) -> None:
        super().__init__(data, params)
        self.sharp_count = 4 * params.SharpMovement_Minutes
        self.sharp_limit = params.SharpMovement_Threshold / 100
        self.gap_inputs: tuple[float, object] | None = None   # (day open, the daily record before last)

    @timed("metrics")
    def calculate_all(self, now: datetime, price: float) -> Metrics:
        m = self.metrics
        dm = self.data
        day = dm.day
        o, h, low = day.open, day.high, day.low
        ranges = dm.range30
        mean = ranges.total / len(ranges.values) if ranges.values else None
        range30 = mean if mean is not None and mean > 0 else 1.0
        m.range30 = range30
        m.price = price
        m.vwap_price = (price - o) / o * 100 if o > 0 else 0.0
        range_attr = (h - low) / o * 100 if (h and low and o) else 1.0
        m.range_attr, m.range_mult = range_attr, range_attr / range30
        if o:
            m.percfromopen = (day.close - o) * 100 / o
            m.range_price = (h - low) * 100 / o
        else:
            m.percfromopen = 0.0
            m.range_price = 0.0
        m.vwap = dm.vwap_pv / dm.vwap_volume if dm.vwap_volume else 0.0
        daily = dm.daily
        if len(daily) >= 2:
            before_last = daily[1]
            if self.gap_inputs is None or self.gap_inputs[0] != o or self.gap_inputs[1] is not before_last:
                self.gap_inputs = (o, before_last)
                m.gap = gap_pct(o, before_last.close)
        else:
            self.gap_inputs = None
            m.gap = 0.0
        m.liquidity, m.liq_millions = liquidity(dm.volume7(), price)
        self._sharp(now, range30)
        return m

    def _sharp(self, now: datetime, range30: float) -> None:
        m = self.metrics
        count = self.sharp_count
        data = self.data
        if count <= 0 or not (SESSION_OPEN <= now.time() < SESSION_CLOSE) or len(data.window) < count:
            m.sharp_movement, m.sharp_exceeded = 0.0, False
            return
        low = min(islice(data.lows, count))
        m.sharp_movement = (max(islice(data.highs, count)) - low) / low * 100 if low else 0.0
        m.sharp_exceeded = m.sharp_movement / range30 > self.sharp_limit
