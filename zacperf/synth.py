"""Deterministic synthetic US-equity bars shaped so that ZacQC trades (`synth_files` writes the Lean files).

Determinism: every number comes from integer arithmetic on the raw 64-bit output of numpy's PCG64 bit
generator (`random_raw`), seeded through SeedSequence with integer keys. No floating point, no wall clock
and no hash order are involved, so the same seed gives the same bars on every numpy version, CPU and
platform (tests pin the digest). Prices are Lean deci-cents (dollars x 10,000) on a whole-cent grid,
volumes whole shares. Per-day streams are keyed by (seed, ticker, date): a day does not depend on which
other symbols or later days are generated (it does depend on the earlier days of its own symbol, whose
bars set its price level and its unit).

The unit: ZacQC sizes everything from `range30`, the mean high-low range (% of the open) of the last 30
daily bars. The generator keeps the same mean over the daily rows it has produced (in bp, integers) and
draws each day in thousandths of that unit ("milli-units"), so a shape means the same thing to the
strategy whatever the symbol's price or volatility.

A day is a *shape*: a few anchor points (seconds after the open, level in milli-units from the previous
close) joined by straight lines, plus a random walk pinned to zero at every anchor (a Brownian bridge).
The anchors are hit exactly; each segment says how loud its noise is (quiet where the pattern is
delicate). History days (before the scenario starts) are ordinary days that set the unit; scenario days
walk through a fixed rotation of shapes (`DECK`) from a seeded per-symbol starting point, so every symbol
meets every shape, and the two shapes that close far from the open (ZacQC's gap filter then skips that
symbol the next day) are followed by a non-trading shape. Trading shapes dip (long entries) or, mirrored,
spike (short entries), chosen per (symbol, day) by the seeded stream.

The entry pattern of the trading shapes (long side; levels in units from the previous close), built for
ZacQC's defaults (ZacQC/README.md, ../shared/specs/zacqc-original-behaviour.md):
* morning pop to +u (0.15..0.45), then a selloff to the low -D (1.32..1.45) at `t_low`: % from open
  <= -1.2 units sets c1, a new 11-minute low on a day range >= 1.3 units sets c2;
* the last ten minutes into the low are a slow grind (the range monitor cancels a resting entry when the
  low 11 minutes back is more than $0.50 from the newest lows);
* a bounce of 12 % of the day's range (rally X in [4 %, 20 %]), a pull-back of 7 % (Y >= 2 %) held until
  7 minutes after the low (the rally duration rule), where ZacQC places its buy stop 8 % of the range up;
* at `t_low` + 11 min a breakout of 12 % of the range through the stop (and through its one trailing
  replacement), stopping short of the ratchet threshold (+0.1 unit from the fill).
Then the exit that names the shape: on to the take-profit (+0.2 unit), down through the stop-loss
(-1.25 units), up past the ratchet threshold and back through the break-even-plus stop, a 30-minute sag
that Action1 turns into a break-even take-profit, a 150-minute sag that Action2 closes at market (then a
second low and entry, held to the 15:59 flatten because it inherits the first trade's actions), or a late
entry whose Action2 would fall after the close (held to the 15:59 flatten).
"""
from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from math import isqrt

import numpy as np

from zacperf import calendar

GENERATOR_VERSION = 2
_IH_MEAN = 2 * 0xFFFF            # mean of the sum of four 16-bit uniforms (Irwin-Hall, n=4)
_IH_STD = 37837                  # its standard deviation, rounded
_FIX = 8                         # fixed point: prices carry 8 extra bits below one deci-cent
_CENT = 100                      # one cent in deci-cents
_MASK16 = np.uint64(0xFFFF)
_MILLI = 1000                    # levels are in thousandths of the unit
_RANGE_DAYS = 30                 # ZacQC's range30 window
_NOISE = 35                      # random-walk step of a loud segment: 0.0035 unit per sqrt(second)
LOUD, NORMAL, CALM = 20, 16, 4   # noise of a segment, in sixteenths of _NOISE

TRADING_SHAPES = ("take_profit", "stop_loss", "ratchet", "break_even", "time_exit", "end_of_day")
QUIET_SHAPES = ("quiet", "swing")
SHAPES = QUIET_SHAPES + TRADING_SHAPES
HISTORY_DECK = ("quiet", "swing", "quiet")            # ordinary days: they set the unit
DECK = ("take_profit", "break_even", "time_exit", "quiet", "stop_loss", "end_of_day", "swing", "take_profit",
        "break_even", "ratchet", "take_profit")


@dataclass(frozen=True)
class SymbolProfile:
    """Static character of a synthetic stock."""

    price_dc: int          # starting price, deci-cents
    range_bp: int          # typical daily high-low range, bp: the unit until daily rows exist
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


@dataclass(frozen=True)
class DayPlan:
    """A day's shape: anchors (seconds after the open, level in milli-units, noise of the segment ending there)."""

    shape: str
    side: int                                   # +1 dips (long entries), -1 mirrored (short entries)
    anchors: tuple[tuple[int, int, int], ...]
    activity: int                               # volume multiplier, sixteenths


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


class _Draws:
    """Bounded integers from a list of raw words, one word per draw."""

    def __init__(self, words: np.ndarray) -> None:
        self._words = iter([int(w) >> 16 for w in words])

    def between(self, low: int, high: int) -> int:
        """Uniform in [low, high] (up to a negligible modulo bias)."""
        return low + next(self._words) % (high - low + 1)

    def sign(self) -> int:
        return 1 if next(self._words) % 2 == 0 else -1


def profile(seed: int, ticker: str) -> SymbolProfile:
    words = [int(w) for w in raw_stream(seed, ticker, None, 0, 3)]
    price_cents = (5000, 6500, 8000, 10000, 12500, 15500, 19000, 23000)[words[0] % 8] + int(words[0] >> 8) % 1500
    range_bp = 110 + int(words[1] % 80)                      # 1.1 % .. 1.9 % a day
    dollar_volume = 1_500_000_000 + int(words[2] % 6_000_000_000)
    return SymbolProfile(price_dc=price_cents * _CENT, range_bp=range_bp, dollar_volume=dollar_volume)


def unit_bp(rows: list[tuple[int, int, int, int, int]], prof: SymbolProfile) -> int:
    """The day's unit: mean high-low range in bp of the open over the last 30 daily rows (ZacQC's range30)."""
    recent = rows[-_RANGE_DAYS:]
    if not recent:
        return prof.range_bp
    return sum((high - low) * 10_000 // max(open_, 1) for open_, high, low, _c, _v in recent) // len(recent)


# ----------------------------------------------------------------------------- day shapes

def _at(hour: int, minute: int) -> int:
    """Seconds after the open of a wall-clock time."""
    return hour * 3600 + minute * 60 - calendar.OPEN_SECOND


class _Anchors:
    """A path under construction: `to(t, level, noise)` draws a segment from the last point."""

    def __init__(self, level: int) -> None:
        self.points: list[tuple[int, int, int]] = [(0, level, CALM)]

    @property
    def t(self) -> int:
        return self.points[-1][0]

    @property
    def level(self) -> int:
        return self.points[-1][1]

    def to(self, t: int, level: int, noise: int = NORMAL) -> None:
        if t <= self.t:
            raise ValueError(f"anchor at {t}s is not after {self.t}s")
        self.points.append((t, level, noise))

    def wander(self, d: _Draws, until: int, target: int, spread: int, every: int, noise: int = NORMAL) -> None:
        """Anchors every ~`every` seconds, each near the straight line to (`until`, `target`) +- `spread`."""
        start, level = self.t, self.level
        count = max((until - start) // every, 0)
        for k in range(1, count + 1):
            t = start + (until - start) * k // (count + 1)
            line = level + (target - level) * k // (count + 1)
            self.to(t, line + d.between(-spread, spread), noise)
        self.to(until, target, noise)

    def hold(self, d: _Draws, until: int, level: int, jitter: int, noise: int = NORMAL // 2) -> None:
        """Stay around `level` (+- `jitter`) until `until`, with an anchor every 15 minutes."""
        while until - self.t > 1200:
            self.to(self.t + 900, level + d.between(-jitter, jitter), noise)
        self.to(until, level, noise)


def _entry(path: _Anchors, t_low: int, top: int, depth: int) -> tuple[int, int]:
    """Slow grind into the low, bounce, pull-back, breakout. Returns (breakout time, estimated fill level)."""
    span = top + depth                                   # the day's range so far, milli-units
    path.to(t_low - 600, -depth + 60, NORMAL)
    path.to(t_low, -depth, CALM)
    path.to(t_low + 300, -depth + span * 12 // 100, CALM)          # bounce: rally X = 0.12
    path.to(t_low + 360, -depth + span * 5 // 100, CALM)           # pull-back: Y = 0.07
    breakout = t_low + 660
    path.to(breakout, -depth + span * 5 // 100, CALM)              # the buy stop waits 8 % of the range up
    path.to(breakout + 20, -depth + span * 17 // 100, CALM)        # through it (fills near 13.5 %)
    return breakout, -depth + span * 135 // 1000


def _morning(path: _Anchors, d: _Draws, t_low: int, top: int) -> None:
    t_top = max(900, t_low - 60 * d.between(75, 110))
    if t_top > 3600:
        path.wander(d, t_top, top, top // 2, 2700)
    else:
        path.to(t_top, top, NORMAL)


def _close_out(path: _Anchors, d: _Draws, session: int, close: int) -> None:
    """Wander to the close level, flat for the last three minutes (ZacQC's next 'open' is the 15:58:45 bar)."""
    path.wander(d, session - 180, close, 150, 3600)
    path.to(session, close, CALM)


def plan_day(seed: int, ticker: str, day: date, session: int, shape: str) -> DayPlan:
    """The anchors of `shape` on `day` (a full session is needed for a trading shape)."""
    d = _Draws(raw_stream(seed, ticker, day, 3, 64))
    gap = d.between(-40, 40)
    side = d.sign()
    path = _Anchors(gap)
    if shape not in TRADING_SHAPES:
        if shape == "quiet":
            path.wander(d, session - 180, d.between(-250, 250), 400, 5400, LOUD)
        else:                                                       # swing: out and back
            t_out = d.between(3600, session - 7200)
            path.wander(d, t_out, side * d.between(600, 850), 150, 5400, LOUD)
            path.wander(d, session - 180, side * d.between(-100, 300), 150, 5400, LOUD)
        path.to(session, path.level, CALM)
        return DayPlan(shape, side, tuple(path.points), 12 if shape == "quiet" else 14)

    top, depth = d.between(150, 450), d.between(1320, 1450)
    if shape == "time_exit":
        t_low = d.between(_at(10, 58), _at(11, 5))
    elif shape == "end_of_day":
        t_low = d.between(_at(13, 20), _at(13, 34))
    else:
        t_low = d.between(_at(11, 2), _at(13, 10))
    _morning(path, d, t_low, top)
    breakout, fill = _entry(path, t_low, top, depth)
    close = d.between(-500, 250)
    if shape == "take_profit":                   # +0.2 unit from the fill
        path.to(breakout + 200, fill + 350, CALM)
        _close_out(path, d, session, close)
    elif shape == "stop_loss":                   # -1.25 units from the fill, no ratchet first
        path.to(breakout + 60, fill - 30, CALM)
        path.to(breakout + 1200, fill - 1450, NORMAL)
        _close_out(path, d, session, close)
    elif shape == "ratchet":                     # past +0.1 unit (stop to break-even-plus), short of +0.2
        path.to(breakout + 80, fill + 150, CALM)
        path.to(breakout + 170, fill + 150, CALM)
        path.to(breakout + 500, fill - 200, CALM)
        _close_out(path, d, session, close)
    elif shape == "break_even":                  # under water at 30 min (TP -> entry price), then back up
        path.to(breakout + 80, fill - 100, CALM)
        path.to(breakout + 400, fill - 300, CALM)
        path.hold(d, breakout + 2520, fill - 300, 60)
        path.to(breakout + 2820, fill + 100, CALM)
        _close_out(path, d, session, close)
    elif shape == "end_of_day":                  # under water to the close; Action2 would be after 16:00
        path.to(breakout + 80, fill - 100, CALM)
        path.to(breakout + 600, fill - 300, CALM)
        path.hold(d, session, fill - 300, 80)
    else:                                        # time_exit: Action2 after 150 min, then a second entry
        path.to(breakout + 80, fill - 100, CALM)
        path.to(breakout + 600, fill - 400, CALM)
        second_low = breakout + 9060                                # ~45 s after Action2
        path.hold(d, second_low - 900, fill - 400, 80)
        breakout2, fill2 = _entry(path, second_low, top, -(fill - 700))
        path.to(breakout2 + 80, fill2 - 100, CALM)
        path.to(breakout2 + 600, fill2 - 300, CALM)
        path.hold(d, session, fill2 - 300, 80)
    points = tuple((t, side * level if i else level, noise) for i, (t, level, noise) in enumerate(path.points))
    return DayPlan(shape, side, points, 18)


def shape_for(seed: int, ticker: str, day: date, history: bool) -> str:
    """History days rotate through ordinary shapes; scenario days through DECK from a seeded starting point."""
    deck = HISTORY_DECK if history else DECK
    phase = int(raw_stream(seed, ticker, None, 4, 1)[0] >> 16)
    return deck[(phase + day.toordinal()) % len(deck)]


# ----------------------------------------------------------------------------- bars

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


def day_bars(seed: int, ticker: str, day: date, prev_close_dc: int, prof: SymbolProfile, unit: int,
             step_seconds: int = 1, shape: str = "quiet") -> Bars:
    """The bars of one regular session at `step_seconds` resolution (1 = second bars).

    `unit` is the day's unit in bp (see `unit_bp`); a trading shape on a short session becomes quiet.
    """
    session = calendar.close_second(day) - calendar.OPEN_SECOND
    if shape in TRADING_SHAPES and session < calendar.CLOSE_SECOND - calendar.OPEN_SECOND:
        shape = "quiet"
    plan = plan_day(seed, ticker, day, session, shape)
    steps = session // step_seconds
    anchor_t = np.array([a[0] for a in plan.anchors], dtype=np.int64)
    anchor_level = np.array([a[1] for a in plan.anchors], dtype=np.int64)
    anchor_noise = np.array([a[2] for a in plan.anchors], dtype=np.int64)

    ref = prev_close_dc << _FIX
    unit_fixed = ref * unit // 10_000                                  # one unit, fixed-point deci-cents
    ends = (np.arange(steps, dtype=np.int64) + 1) * step_seconds       # each bar's close time
    seg = np.clip(np.searchsorted(anchor_t, ends, side="right") - 1, 0, len(anchor_t) - 2)
    t0, t1 = anchor_t[seg], anchor_t[seg + 1]
    span, into = t1 - t0, ends - t0
    level = anchor_level[seg] + (anchor_level[seg + 1] - anchor_level[seg]) * into // span

    raw = raw_stream(seed, ticker, day, 2, 2 * steps)
    sigma = unit_fixed * _NOISE * isqrt(step_seconds) // 10_000
    walk = np.zeros(steps + 1, dtype=np.int64)
    np.cumsum(_normals(raw[:steps]) * sigma // _IH_STD, out=walk[1:])
    w0, w1 = walk[t0 // step_seconds], walk[np.minimum(t1 // step_seconds, steps)]
    bridge = walk[1:] - w0 - (w1 - w0) * into // span                  # zero at every anchor
    path = ref + unit_fixed * level // _MILLI + bridge * anchor_noise[seg + 1] // 16
    np.maximum(path, ref // 20, out=path)
    close = ((path >> _FIX) + _CENT // 2) // _CENT * _CENT
    np.maximum(close, _CENT, out=close)
    opens = np.empty_like(close)
    first = (ref + unit_fixed * int(anchor_level[0]) // _MILLI) >> _FIX
    opens[0] = max((first + _CENT // 2) // _CENT * _CENT, _CENT)
    opens[1:] = close[:-1]

    wick_words = raw[steps:]
    wick_scale = 2 * (sigma >> _FIX) + _CENT                           # deci-cents: up to ~1 cent and the noise
    up = ((wick_words & _MASK16).astype(np.int64) * wick_scale) >> 16
    down = (((wick_words >> np.uint64(16)) & _MASK16).astype(np.int64) * wick_scale) >> 16
    high = (np.maximum(opens, close) + up) // _CENT * _CENT
    low = np.maximum((np.minimum(opens, close) - down + _CENT - 1) // _CENT * _CENT, _CENT)

    per_step = prof.dollar_volume * step_seconds * plan.activity // (16 * 23_400) * 10_000 // int(opens[0])
    noise = 64 + ((wick_words >> np.uint64(32)) & np.uint64(0xFF)).astype(np.int64)   # 64..319, mean ~192
    volume = (per_step * _u_shape(steps, 40) * noise) // (256 * 192)
    ms = (calendar.OPEN_SECOND + np.arange(steps, dtype=np.int64) * step_seconds) * 1000
    return Bars(ms, opens, high, low, close, volume)


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
    rows: list[tuple[int, int, int, int, int]] = []
    for day, is_history in itertools.chain(((d, True) for d in history), ((d, False) for d in days)):
        bars = day_bars(seed, ticker, day, close, prof, unit_bp(rows, prof),
                        step_seconds=300 if is_history else step_seconds,
                        shape=shape_for(seed, ticker, day, is_history))
        row = daily_row(bars)
        rows.append(row)
        close = row[3]
        yield day, None if is_history else bars, row
