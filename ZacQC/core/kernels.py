"""Hot-path implementations, chosen once at initialize from `enable_perf_opt`.

Components receive a `Kernels` bundle and call through it, so no hot function branches on the flag.
`LEGACY` reproduces the original's pre-optimization cost structure on purpose: history loaded row by row,
today's 15-s bars rebuilt on every use, an O(n^2) max-down scan, rally gates recomputed without a memo.
A fast bundle (same results, lower cost) plugs in through `select_kernels`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Callable, Iterable, Protocol, Sequence

from AlgorithmImports import TradeBar

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


class HistoryFrame(Protocol):
    """What ZacQC reads of the pandas DataFrame `history()` returns (index (symbol, time), lower-case columns)."""

    @property
    def empty(self) -> bool: ...

    def iterrows(self) -> Iterable[tuple[Any, Any]]: ...


@dataclass(frozen=True)
class Kernels:
    name: str
    history_records: Callable[[HistoryFrame], list[DailyRecord]]
    today_bars: Callable[[Sequence[TradeBar], date], list[TradeBar]]
    max_down: Callable[[Sequence[TradeBar], datetime], float]
    memoize_rally: bool


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


def legacy_max_down(window: Sequence[TradeBar], now: datetime) -> float:
    """Condition 3's 'max down' (%), with the running maximum recomputed for every bar: O(n^2).

    Window indices are newest first. The start is the last bar accepted when scanning from the oldest
    slot towards the newest (a bar is refused when it is more than 30 minutes older than the newest bar
    or starts before today's 09:30). From start+1 to the oldest slot (backwards in time) it records the
    minimum of (low - running max high) x 100 / running max high, the running max seeded with the start
    bar's high. Iterating backwards in time makes this an 'older low vs later high' measure; kept as is.
    """
    n = len(window)
    if n == 0:
        return 0.0
    newest = window[0].time
    session_open = datetime.combine(now.date(), SESSION_OPEN)
    start = -1
    for i in range(n - 1, -1, -1):
        bar_time = window[i].time
        if (newest - bar_time).total_seconds() > MAX_DOWN_LOOKBACK_SECONDS or bar_time < session_open:
            break
        start = i
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


LEGACY = Kernels(name="legacy", history_records=legacy_history_records, today_bars=legacy_today_bars,
                 max_down=legacy_max_down, memoize_rally=False)


def select_kernels(enable_perf_opt: bool) -> Kernels:
    """The implementation bundle for this run (read once at initialize).

    The optimized bundle is not written yet; until it is, both settings run the legacy kernels, and the
    caller logs that the flag had no effect.
    """
    return LEGACY
