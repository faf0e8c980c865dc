"""RallyDetector: long/short 'rally' gates over 1-second price samples taken once per processed cycle.

A sample is the cycle's 1-second bar (quirk Q12: not the 15-s bar), kept only for 09:30:00-15:59:00, pruned
to today, the last 4 hours and 960 samples. The long gate looks for a low followed by a bounce whose size,
relative to today's range %, lies in [X_min, X_max], a pull-back of at least Y, and (on wide days) a
minimum duration; X above X_max asks the condition to reset. The short gate mirrors it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Protocol

import numpy as np

from config.parameters import TradingParameters
from core.numeric import Extremes, numpy_long_extremes, numpy_short_extremes
from core.utils import timed

SAMPLE_START = time(9, 30)
SAMPLE_END = time(15, 59)
MAX_SAMPLES = 960
MAX_AGE = timedelta(hours=4)
MIN_SAMPLES = 10

GateResult = tuple[bool, bool]  # (passes, reset the condition)


@dataclass(slots=True)
class RallySample:
    time: datetime
    high: float
    low: float
    close: float
    open: float


def long_gate(samples: list[RallySample], mrp: float | None, range_mult: float,
              params: TradingParameters) -> GateResult:
    if mrp is None or mrp <= 0 or len(samples) < MIN_SAMPLES:
        return False, False
    try:
        lo_index = min(range(len(samples)), key=lambda i: samples[i].low)
        after = samples[lo_index:]
        hi = after[max(range(len(after)), key=lambda i: after[i].high)]
        lo, last = samples[lo_index], samples[-1]
        x = ((hi.high - lo.low) * 100 / lo.low) / mrp
        y = abs(hi.high - last.low) * 100 / hi.high / mrp
        return _decide(x, y, last.time - lo.time, range_mult, params)
    except (ArithmeticError, ValueError):
        return False, True


def short_gate(samples: list[RallySample], mrp: float | None, range_mult: float,
               params: TradingParameters) -> GateResult:
    if mrp is None or mrp <= 0 or len(samples) < MIN_SAMPLES:
        return False, False
    try:
        hi_index = max(range(len(samples)), key=lambda i: samples[i].high)
        after = samples[hi_index:]
        lo = after[min(range(len(after)), key=lambda i: after[i].low)]
        hi, last = samples[hi_index], samples[-1]
        x = ((hi.high - lo.low) * 100 / hi.high) / mrp
        y = abs(last.high - lo.low) * 100 / lo.low / mrp
        return _decide(x, y, last.time - hi.time, range_mult, params)
    except (ArithmeticError, ValueError):
        return False, True


def _decide(x: float, y: float, duration: timedelta, range_mult: float, params: TradingParameters) -> GateResult:
    x_max = params.Rally_X_Max_PCT / 100
    x_ok = params.Rally_X_Min_PCT / 100 <= x <= x_max
    y_ok = y >= params.Rally_Y_PCT / 100
    duration_ok = True
    if range_mult > params.Rally_Time_Constraint_Threshold:
        duration_ok = duration >= timedelta(minutes=params.Rally_Time_Constraint)
    return x_ok and y_ok and duration_ok, x > x_max


class RallyGates(Protocol):
    """What the pipeline and the conditions use of a rally detector."""

    def add_sample(self, now: datetime, high: float, low: float, close: float, open_: float) -> None: ...

    def long_gate(self, mrp: float | None, range_mult: float) -> GateResult: ...

    def short_gate(self, mrp: float | None, range_mult: float) -> GateResult: ...

    def reset(self) -> None: ...


class RallyDetector:
    def __init__(self, params: TradingParameters, memoize: bool) -> None:
        self.params = params
        self.memoize = memoize
        self.samples: list[RallySample] = []
        self._memo: dict[tuple[str, float | None, float], GateResult] = {}

    @timed("rally_update")
    def add_sample(self, now: datetime, high: float, low: float, close: float, open_: float) -> None:
        if not (SAMPLE_START <= now.time() <= SAMPLE_END):
            return
        samples = self.samples
        samples.append(RallySample(now, high, low, close, open_))
        cutoff = max(datetime.combine(now.date(), SAMPLE_START), now - MAX_AGE)
        drop = 0
        while drop < len(samples) and (samples[drop].time < cutoff or samples[drop].time.date() != now.date()):
            drop += 1
        if drop:
            del samples[:drop]
        if len(samples) > MAX_SAMPLES:
            del samples[:len(samples) - MAX_SAMPLES]
        self._memo.clear()

    def long_gate(self, mrp: float | None, range_mult: float) -> GateResult:
        return self._gate("long", mrp, range_mult)

    def short_gate(self, mrp: float | None, range_mult: float) -> GateResult:
        return self._gate("short", mrp, range_mult)

    def _gate(self, side: str, mrp: float | None, range_mult: float) -> GateResult:
        if not self.memoize:
            gate = long_gate if side == "long" else short_gate
            return gate(self.samples, mrp, range_mult, self.params)
        key = (side, mrp, range_mult)
        found = self._memo.get(key)
        if found is None:
            gate = long_gate if side == "long" else short_gate
            found = self._memo[key] = gate(self.samples, mrp, range_mult, self.params)
        return found

    def reset(self) -> None:
        self.samples.clear()
        self._memo.clear()


class RingRallyDetector:
    """`RallyDetector` with memoized gates over ring buffers (the optimized path): same samples, same results.

    Samples live in preallocated float64 arrays between `start` and `end` (compacted when the end reaches
    the capacity), times in a parallel list. A gate is one argmin and one argmax over the live slice (numpy
    returns the first extreme, as Python's min/max with a key do) and Python float arithmetic on the picked
    values, so division by zero still raises where the legacy gate raises. Results are memoized per
    (side, mrp, range multiple) until the next sample.
    """

    CAPACITY = 4 * MAX_SAMPLES

    def __init__(self, params: TradingParameters,
                 extremes: tuple[Extremes, Extremes] = (numpy_long_extremes, numpy_short_extremes)) -> None:
        self.params = params
        self.long_extremes, self.short_extremes = extremes
        self.highs = np.zeros(self.CAPACITY)
        self.lows = np.zeros(self.CAPACITY)
        self.times: list[datetime] = [datetime.min] * self.CAPACITY
        self.start = 0
        self.end = 0
        self._memo: dict[tuple[bool, float | None, float], GateResult] = {}

    @property
    def samples(self) -> list[RallySample]:
        """The live samples (for inspection; close and open are not kept: the gates never read them)."""
        return [RallySample(self.times[i], float(self.highs[i]), float(self.lows[i]), 0.0, 0.0)
                for i in range(self.start, self.end)]

    @timed("rally_update")
    def add_sample(self, now: datetime, high: float, low: float, close: float, open_: float) -> None:
        if not (SAMPLE_START <= now.time() <= SAMPLE_END):
            return
        if self.end == self.CAPACITY:
            self._compact()
        end = self.end
        self.times[end] = now
        self.highs[end] = high
        self.lows[end] = low
        end += 1
        self.end = end
        cutoff = max(datetime.combine(now.date(), SAMPLE_START), now - MAX_AGE)
        today = now.date()
        times = self.times
        start = self.start
        while start < end and (times[start] < cutoff or times[start].date() != today):
            start += 1
        self.start = max(start, end - MAX_SAMPLES)
        self._memo.clear()

    def _compact(self) -> None:
        start, end = self.start, self.end
        n = end - start
        self.highs[:n] = self.highs[start:end]
        self.lows[:n] = self.lows[start:end]
        self.times[:n] = self.times[start:end]
        self.start, self.end = 0, n

    def long_gate(self, mrp: float | None, range_mult: float) -> GateResult:
        return self._gate(True, mrp, range_mult)

    def short_gate(self, mrp: float | None, range_mult: float) -> GateResult:
        return self._gate(False, mrp, range_mult)

    def _gate(self, long: bool, mrp: float | None, range_mult: float) -> GateResult:
        key = (long, mrp, range_mult)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._compute(long, mrp, range_mult)
        return found

    def _compute(self, long: bool, mrp: float | None, range_mult: float) -> GateResult:
        start, end = self.start, self.end
        if mrp is None or mrp <= 0 or end - start < MIN_SAMPLES:
            return False, False
        highs, lows, times = self.highs, self.lows, self.times
        last = end - 1
        try:
            if long:
                lo, hi = self.long_extremes(lows, highs, start, end)
                lo_low, hi_high = float(lows[lo]), float(highs[hi])
                x = ((hi_high - lo_low) * 100 / lo_low) / mrp
                y = abs(hi_high - float(lows[last])) * 100 / hi_high / mrp
                return _decide(x, y, times[last] - times[lo], range_mult, self.params)
            hi, lo = self.short_extremes(lows, highs, start, end)
            lo_low, hi_high = float(lows[lo]), float(highs[hi])
            x = ((hi_high - lo_low) * 100 / hi_high) / mrp
            y = abs(float(highs[last]) - lo_low) * 100 / lo_low / mrp
            return _decide(x, y, times[last] - times[hi], range_mult, self.params)
        except (ArithmeticError, ValueError):
            return False, True

    def reset(self) -> None:
        self.start = self.end = 0
        self._memo.clear()
