"""Deterministic synthetic US-equity bars (the price process; `synth_files` writes Lean-format files).

Every number comes from integer arithmetic on the raw 64-bit output of numpy's PCG64 bit
generator (`random_raw`), seeded through SeedSequence with integer keys. No floating point is
involved, so the bars are identical across numpy versions, CPUs and platforms (a test pins the
fingerprint). Prices are Lean deci-cents (dollars x 10,000) rounded to whole cents.

The process, per symbol and trading day:
* an overnight gap from the previous close (occasionally a large one);
* a day regime (quiet .. wild) that scales volatility and volume;
* 4-10 intraday segments with their own drift: trends, rallies and retracements;
* a random walk whose volatility and volume follow the intraday U shape (busy open and close);
* bar wicks and per-bar volume noise.
Per-day streams are keyed by (seed, ticker, date), so a day's shocks do not depend on which
other symbols or days are generated.
"""
from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from zacperf import calendar

GENERATOR_VERSION = 1
_IH_MEAN = 2 * 0xFFFF            # mean of the sum of four 16-bit uniforms (Irwin-Hall, n=4)
_IH_STD = 37837                  # its standard deviation, rounded
_FIX = 8                         # fixed point: prices carry 8 extra bits below one deci-cent
_CENT = 100                      # one cent in deci-cents
_MASK16 = np.uint64(0xFFFF)


@dataclass(frozen=True)
class SymbolProfile:
    """Static character of a synthetic stock."""

    price_dc: int          # starting price, deci-cents
    vol_bp: int            # typical daily volatility, basis points
    dollar_volume: int     # typical daily dollar volume, dollars


@dataclass
class Bars:
    """One day of bars (int64 columns): ms after midnight (bar start), OHLC in deci-cents, volume."""

    ms: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray

    def __len__(self) -> int:
        return len(self.ms)


# ----------------------------------------------------------------------------- random streams

def ticker_key(ticker: str) -> int:
    return zlib.crc32(ticker.upper().encode()) | (len(ticker) << 32)


def raw_stream(seed: int, ticker: str, day: date | None, purpose: int, count: int) -> np.ndarray:
    """`count` raw uint64 words of the stream for (seed, ticker, day, purpose)."""
    ordinal = day.toordinal() if day is not None else 0
    sequence = np.random.SeedSequence([seed, ticker_key(ticker), ordinal, purpose])
    return np.random.PCG64(sequence).random_raw(count)


def _normals(raw: np.ndarray) -> np.ndarray:
    """Approximately normal integers (mean 0, std _IH_STD) from uint64 words: sum of four 16-bit parts."""
    total = (raw & _MASK16) + ((raw >> np.uint64(16)) & _MASK16) + ((raw >> np.uint64(32)) & _MASK16) \
        + (raw >> np.uint64(48))
    return total.astype(np.int64) - _IH_MEAN


def _scalar_normal(word: int) -> int:
    return sum((int(word) >> shift) & 0xFFFF for shift in (0, 16, 32, 48)) - _IH_MEAN


def profile(seed: int, ticker: str) -> SymbolProfile:
    words = [int(w) for w in raw_stream(seed, ticker, None, 0, 3)]
    price_cents = (2000, 3500, 6000, 9000, 14000, 20000, 30000, 45000)[words[0] % 8] + int(words[0] >> 8) % 2000
    vol_bp = 90 + int(words[1] % 150)                        # 0.9 % .. 2.4 % a day (one sigma)
    dollar_volume = 600_000_000 + int(words[2] % 6_000_000_000)
    return SymbolProfile(price_dc=price_cents * _CENT, vol_bp=vol_bp, dollar_volume=dollar_volume)


# ----------------------------------------------------------------------------- intraday shapes

@lru_cache(maxsize=32)
def _u_shape(steps: int, depth: int) -> np.ndarray:
    """256 * (1 + depth/16 * x^2), x in [-1, 1] across the session, renormalized to mean ~256."""
    x = np.arange(steps, dtype=np.int64) * 2 - (steps - 1)          # -(n-1) .. (n-1), step 2
    half = max(steps - 1, 1)
    curve = 256 * 16 + (depth * 256 * x * x) // (half * half)       # 256*16 * (1 + depth/16 x^2)
    mean = int(curve.sum()) // steps
    shaped = (curve * 256) // mean
    shaped.setflags(write=False)
    return shaped


_REGIMES = (10, 11, 12, 13, 14, 16, 16, 18, 20, 22, 26, 32)   # volatility multiplier in 1/16


def day_bars(seed: int, ticker: str, day: date, prev_close_dc: int, prof: SymbolProfile,
             step_seconds: int = 1) -> Bars:
    """The bars of one regular session at `step_seconds` resolution (1 = second bars)."""
    session = calendar.close_second(day) - calendar.OPEN_SECOND
    steps = session // step_seconds
    head = [int(w) for w in raw_stream(seed, ticker, day, 1, 16)]
    gap_bp = (_scalar_normal(head[0]) * prof.vol_bp) // (_IH_STD * 2)
    if head[1] % 16 == 0:
        gap_bp *= 3                                                     # a news gap
    regime = _REGIMES[head[2] % len(_REGIMES)]
    open_dc = max(_CENT, (prev_close_dc * (10_000 + gap_bp)) // 10_000 // _CENT * _CENT)

    # sigma of one step, in fixed-point deci-cents: daily vol / sqrt(23400) * sqrt(step) * regime
    sigma = (open_dc << _FIX) * prof.vol_bp * regime * _isqrt(step_seconds) // (10_000 * 153 * 16)
    drift = _segment_drift(head[3:], steps, (open_dc << _FIX) * prof.vol_bp * regime // (10_000 * 16))

    raw = raw_stream(seed, ticker, day, 2, 2 * steps)
    shocks = _normals(raw[:steps])
    vol_shape = _u_shape(steps, 24)
    steps_fixed = (shocks * ((sigma * vol_shape) >> 8)) // _IH_STD + drift
    path = (open_dc << _FIX) + np.cumsum(steps_fixed)
    floor = (open_dc << _FIX) // 20
    np.maximum(path, floor, out=path)
    close = (path >> _FIX) // _CENT * _CENT
    np.maximum(close, _CENT, out=close)
    opens = np.empty_like(close)
    opens[0] = open_dc
    opens[1:] = close[:-1]

    wick_words = raw[steps:]
    wick_scale = (sigma * vol_shape) >> (8 + _FIX)                    # deci-cents
    up = ((wick_words & _MASK16).astype(np.int64) * wick_scale) >> 17
    down = (((wick_words >> np.uint64(16)) & _MASK16).astype(np.int64) * wick_scale) >> 17
    high = (np.maximum(opens, close) + up) // _CENT * _CENT
    low = np.maximum((np.minimum(opens, close) - down + _CENT - 1) // _CENT * _CENT, _CENT)

    per_step = prof.dollar_volume * step_seconds * regime // (16 * 23_400) * 10_000 // open_dc   # shares
    noise = 64 + ((wick_words >> np.uint64(32)) & np.uint64(0xFF)).astype(np.int64)            # 64..319, mean ~192
    volume = (per_step * _u_shape(steps, 40) * noise) // (256 * 192)
    ms = (calendar.OPEN_SECOND + np.arange(steps, dtype=np.int64) * step_seconds) * 1000
    return Bars(ms, opens, high, low, close, volume)


def _segment_drift(words: list[int], steps: int, day_sigma_fixed: int) -> np.ndarray:
    """Per-step drift (fixed point): the day's trend plus 4-10 segments (rallies, pullbacks, retracements).

    The trend moves the day by -1..+1 day-sigma; each segment adds -0.6..+0.6 day-sigma, and
    one segment in five retraces the one before it.
    """
    count = 4 + words[0] % 7
    cuts = sorted({1 + (w >> 8) % max(steps - 1, 1) for w in words[1:count]})
    bounds = [0, *cuts, steps]
    trend16 = (_scalar_normal(words[-1]) * 8) // _IH_STD                # ~N(0, 0.5) day-sigma, in 1/16
    drift = np.full(steps, (day_sigma_fixed * trend16) // (16 * steps), dtype=np.int64)
    previous = 0
    for index, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        if hi <= lo:
            continue
        word = words[(index + 1) % len(words)] >> 24
        move16 = int(word % 21) - 10                                     # -10..10, in 1/16 day-sigma
        if index > 0 and word % 5 == 0:
            move16 = -previous                                           # retrace the previous segment
        previous = move16
        drift[lo:hi] += (day_sigma_fixed * move16) // (16 * (hi - lo))
    return drift


def _isqrt(n: int) -> int:
    from math import isqrt
    return isqrt(n)


# ----------------------------------------------------------------------------- aggregation

def aggregate(bars: Bars, width: int) -> Bars:
    """Consecutive groups of `width` bars -> one bar each (second -> minute: width 60)."""
    n = len(bars) // width
    shape = (n, width)
    return Bars(bars.ms[: n * width: width].copy(), bars.open[: n * width: width].copy(),
                bars.high[: n * width].reshape(shape).max(axis=1), bars.low[: n * width].reshape(shape).min(axis=1),
                bars.close[width - 1: n * width: width].copy(), bars.volume[: n * width].reshape(shape).sum(axis=1))


def daily_row(bars: Bars) -> tuple[int, int, int, int, int]:
    """(open, high, low, close, volume) of a whole session."""
    return (int(bars.open[0]), int(bars.high.max()), int(bars.low.min()), int(bars.close[-1]), int(bars.volume.sum()))


def symbol_days(seed: int, ticker: str, history: list[date], days: list[date], step_seconds: int):  # type: ignore[no-untyped-def]
    """Yield (day, Bars | None, daily row) over history days (5-minute paths, bars None) then scenario days."""
    prof = profile(seed, ticker)
    close = prof.price_dc
    for day in history:
        coarse = day_bars(seed, ticker, day, close, prof, step_seconds=300)
        row = daily_row(coarse)
        close = row[3]
        yield day, None, row
    for day in days:
        bars = day_bars(seed, ticker, day, close, prof, step_seconds=step_seconds)
        row = daily_row(bars)
        close = row[3]
        yield day, bars, row
