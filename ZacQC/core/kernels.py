"""Hot-path implementations, chosen once at initialize from `enable_perf_opt`.

Components receive a `Kernels` bundle and call through it, so no hot function branches on the flag.
`LEGACY` reproduces the original's pre-optimization cost structure on purpose: history loaded row by row,
today's 15-s bars rebuilt on every use, an O(n^2) max-down scan, rally gates recomputed without a memo.
`FAST` gives the same results bit for bit at a lower cost: history read column-wise, today's extremes
read off the data manager's float windows, a linear max-down scan, memoized rally gates on ring buffers.
The structural parts of the fast path (one consolidator, incremental daily P&L, new-bar dispatch) are
chosen by `streaming`, which the components read once at construction.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from itertools import islice
from typing import Any, Callable, Iterable, Protocol, Sequence

from AlgorithmImports import TradeBar

from core.numeric import Extremes, load_extremes, numpy_long_extremes, numpy_short_extremes

SESSION_OPEN = time(9, 30)
MAX_DOWN_LOOKBACK_SECONDS = 1800


@dataclass(slots=True)
class DailyRecord:
    """One daily bar as the data manager keeps it (history rows and live consolidated bars)."""

    time: datetime
    open: float
    high: float
    low: float
    close: float
    volume: float

    def merge(self, high: float, low: float, close: float, volume: float) -> None:
        """Extend the bar by a later one (its open is this bar's)."""
        if high > self.high:
            self.high = high
        if low < self.low:
            self.low = low
        self.close = close
        self.volume += volume


class HistoryFrame(Protocol):
    """What ZacQC reads of the pandas DataFrame `history()` returns (index (symbol, time), lower-case columns)."""

    @property
    def empty(self) -> bool: ...

    @property
    def index(self) -> Any: ...

    def iterrows(self) -> Iterable[tuple[Any, Any]]: ...

    def __getitem__(self, column: str) -> Any: ...


class BarWindow(Protocol):
    """What the today's-extreme kernels read of a data manager: the 15-s window and its float columns."""

    @property
    def window(self) -> Sequence[TradeBar]: ...

    @property
    def highs(self) -> Sequence[float]: ...

    @property
    def lows(self) -> Sequence[float]: ...

    @property
    def last_bar_time(self) -> datetime | None: ...

    # the fast kernel's memo: (newest bar time, day) -> (new low, new high)
    extremes_key: tuple[datetime | None, date] | None
    extremes: tuple[bool, bool]


@dataclass(frozen=True)
class Kernels:
    name: str
    history_records: Callable[[HistoryFrame | None], list[DailyRecord]]
    today_new_extreme: Callable[[BarWindow, date, bool], bool]
    max_down: Callable[[Sequence[TradeBar], datetime], float]
    memoize_rally: bool
    streaming: bool          # one consolidator, derived daily bars, incremental P&L, new-bar dispatch
    rally_extremes: tuple[Extremes, Extremes] = (numpy_long_extremes, numpy_short_extremes)
    loaded: str = "legacy"   # what select_kernels loaded (logged at initialize)


def legacy_history_records(frame: HistoryFrame | None) -> list[DailyRecord]:
    """Rows of a Lean history DataFrame (index (symbol, time), lower-case columns), read one by one."""
    records: list[DailyRecord] = []
    if frame is None or frame.empty:
        return records
    for index, row in frame.iterrows():
        when = index[-1] if isinstance(index, tuple) else index
        if hasattr(when, "to_pydatetime"):
            when = when.to_pydatetime()
        records.append(DailyRecord(when, float(row["open"]), float(row["high"]), float(row["low"]),
                                   float(row["close"]), float(row["volume"])))
    return records


def legacy_today_bars(window: Sequence[TradeBar], today: date) -> list[TradeBar]:
    """Today's 15-s bars, rebuilt from the window on every call (quirk Q3).

    The scan starts at the oldest slot and stops at the first bar of another date, so it is empty until
    every slot holds today's bars and then returns exactly the window, oldest first. Bars before 09:30
    are skipped.
    """
    bars: list[TradeBar] = []
    for i in range(len(window) - 1, -1, -1):
        bar = window[i]
        start = bar.time
        if start.date() != today:
            break
        if start.time() < SESSION_OPEN:
            continue
        bars.append(bar)
    return bars


def legacy_today_new_extreme(data: BarWindow, today: date, low: bool) -> bool:
    """Condition 2 (low) / 5 (high) trigger test on today's 15-s bars rebuilt from the window."""
    bars = legacy_today_bars(data.window, today)
    if len(bars) < 3:
        return False
    return new_low([b.low for b in bars]) if low else new_high([b.high for b in bars])


def new_low(lows: list[float]) -> bool:
    """The second-most-recent low is strictly below every earlier low (oldest first)."""
    return len(lows) >= 3 and lows[-2] < min(lows[:-2])


def new_high(highs: list[float]) -> bool:
    return len(highs) >= 3 and highs[-2] > max(highs[:-2])


def fast_today_new_extreme(data: BarWindow, today: date, low: bool) -> bool:
    """`legacy_today_new_extreme` without rebuilding the bars, both sides computed once per new bar.

    The window is newest first and in time order, so the legacy scan returns the whole window exactly
    when its oldest bar is today's (else nothing). Then 'second-most-recent vs every earlier one' reads
    slot 1 against slots 2.. of the float column kept beside the window. A window whose oldest bar is
    today but before 09:30 (extended hours) needs the legacy filter, so it takes the legacy path. The
    answer only changes with a new bar or a new day, so it is kept per (newest bar time, day).
    """
    key = (data.last_bar_time, today)
    if data.extremes_key != key:
        data.extremes_key = key
        data.extremes = _today_new_extremes(data, today)
    return data.extremes[0] if low else data.extremes[1]


def _today_new_extremes(data: BarWindow, today: date) -> tuple[bool, bool]:
    window = data.window
    n = len(window)
    if n < 3:
        return False, False
    oldest = window[n - 1].time
    if oldest.date() != today:
        return False, False
    if oldest.time() < SESSION_OPEN:
        return legacy_today_new_extreme(data, today, True), legacy_today_new_extreme(data, today, False)
    lows, highs = data.lows, data.highs
    return lows[1] < min(islice(lows, 2, None)), highs[1] > max(islice(highs, 2, None))


def max_down_start(window: Sequence[TradeBar], now: datetime) -> int:
    """Condition 3's first bar: the last one accepted scanning from the oldest slot towards the newest (a bar
    is refused when it is more than 30 minutes older than the newest bar or starts before today's 09:30);
    -1 when none is."""
    n = len(window)
    if n == 0:
        return -1
    newest = window[0].time
    session_open = datetime.combine(now.date(), SESSION_OPEN)
    start = -1
    for i in range(n - 1, -1, -1):
        bar_time = window[i].time
        if (newest - bar_time).total_seconds() > MAX_DOWN_LOOKBACK_SECONDS or bar_time < session_open:
            break
        start = i
    return start


def legacy_max_down(window: Sequence[TradeBar], now: datetime) -> float:
    """Condition 3's 'max down' (%), with the running maximum recomputed for every bar: O(n^2).

    Window indices are newest first. The start is the last bar accepted when scanning from the oldest
    slot towards the newest (a bar is refused when it is more than 30 minutes older than the newest bar
    or starts before today's 09:30). From start+1 to the oldest slot (backwards in time) it records the
    minimum of (low - running max high) x 100 / running max high, the running max seeded with the start
    bar's high. Iterating backwards in time makes this an 'older low vs later high' measure; kept as is.
    """
    n = len(window)
    start = max_down_start(window, now)
    if start < 0 or start == n - 1:
        return 0.0
    worst = 0.0
    for i in range(start + 1, n):
        peak = window[start].high
        for j in range(start + 1, i + 1):
            if window[j].high > peak:
                peak = window[j].high
        drop = (window[i].low - peak) * 100 / peak
        if drop < worst:
            worst = drop
    return worst


def fast_max_down(window: Sequence[TradeBar], now: datetime) -> float:
    """`legacy_max_down` in one pass: the running maximum is carried instead of recomputed per bar."""
    n = len(window)
    start = max_down_start(window, now)
    if start < 0 or start == n - 1:
        return 0.0
    worst = 0.0
    peak = window[start].high
    for i in range(start + 1, n):
        bar = window[i]
        high = bar.high
        if high > peak:
            peak = high
        drop = (bar.low - peak) * 100 / peak
        if drop < worst:
            worst = drop
    return worst


def fast_history_records(frame: HistoryFrame | None) -> list[DailyRecord]:
    """`legacy_history_records` read column-wise (no `iterrows`): the same floats and times."""
    if frame is None or frame.empty:
        return []
    index = frame.index
    times = index.get_level_values(-1) if getattr(index, "nlevels", 1) > 1 else index
    stamps = [t.to_pydatetime() if hasattr(t, "to_pydatetime") else t for t in times]
    columns = [frame[name].to_numpy(dtype=float).tolist() for name in ("open", "high", "low", "close", "volume")]
    return [DailyRecord(when, o, h, low, c, v) for when, o, h, low, c, v in zip(stamps, *columns)]


def split_history_frame(frame: HistoryFrame | None) -> dict[str, HistoryFrame]:
    """A multi-symbol history frame (index (symbol, time)) split per ticker, in the frame's order.

    The symbol level holds Lean Symbol objects (their `value` is the ticker) or, in older Lean versions,
    SID strings whose first token is the ticker.
    """
    if frame is None or frame.empty:
        return {}
    level = frame.index.get_level_values(0)
    parts: dict[str, HistoryFrame] = {}
    for key in dict.fromkeys(level):
        ticker = str(getattr(key, "value", None) or str(key).split()[0])
        parts[ticker] = frame[level == key]
    return parts


LEGACY = Kernels(name="legacy", history_records=legacy_history_records, today_new_extreme=legacy_today_new_extreme,
                 max_down=legacy_max_down, memoize_rally=False, streaming=False)
FAST = Kernels(name="fast", history_records=fast_history_records, today_new_extreme=fast_today_new_extreme,
               max_down=fast_max_down, memoize_rally=True, streaming=True)


def select_kernels(enable_perf_opt: bool, numba_kernels: bool = False) -> Kernels:
    """The implementation bundle for this run (read once at initialize); numba only when asked for."""
    if not enable_perf_opt:
        return LEGACY
    long_extremes, short_extremes, loaded = load_extremes(numba_kernels)
    return replace(FAST, rally_extremes=(long_extremes, short_extremes), loaded=loaded)
