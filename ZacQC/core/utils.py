"""Stage timing for ZacQC: the `@timed` marker, per-symbol preallocated histograms and the PERF_JSON line.

`@timed("stage")` only *marks* a method; it returns the function unchanged, so with instrumentation off a
marked method costs exactly what an unmarked one does. With `perf_instrumentation` on, `instrument()` is
called once per component at initialize: it replaces each marked method on that instance with a wrapper
that takes two `perf_counter_ns` readings and adds the difference to the symbol's stage histogram.

Each (symbol, stage) owns a preallocated log-linear histogram (an `array('q')`): exact below 128 ns,
then 64 sub-buckets per power of two, so a reported percentile (the bucket midpoint) is within 0.8 % of
the true sample; count, total and max are exact. Memory is fixed (a few KB per symbol and stage) however
long the backtest. Standard library and numpy only, so this runs inside real Lean too.
"""
from __future__ import annotations

import json
from array import array
from time import perf_counter_ns
from typing import Any, Callable, Iterable, TypeVar

import numpy as np

STAGES = ("data_manager", "rally_update", "metrics", "risk_checks", "strategy_logic", "total")
PERF_SCHEMA = "zacqc.perf"
PERF_SCHEMA_VERSION = 1
PERF_PREFIX = "PERF_JSON "

_STAGE_ATTR = "__zacqc_stage__"
_SUB_BITS = 7                       # values below 2**7 ns are exact
_EXACT = 1 << _SUB_BITS             # 128 exact slots
_HALF = _EXACT >> 1                 # 64 sub-buckets per octave above that
_OCTAVES = 40                       # up to 2**46 ns (~19 hours): far beyond any stage
_SLOTS = _EXACT + _OCTAVES * _HALF

F = TypeVar("F", bound=Callable[..., Any])


def timed(stage: str) -> Callable[[F], F]:
    """Mark a method as the pipeline stage `stage`; the function itself is returned unchanged."""
    if stage not in STAGES:
        raise ValueError(f"unknown perf stage {stage!r}; expected one of {', '.join(STAGES)}")

    def mark(fn: F) -> F:
        setattr(fn, _STAGE_ATTR, stage)
        return fn

    return mark


def stage_of(fn: object) -> str | None:
    """The stage a function was marked with, if any."""
    value = getattr(fn, _STAGE_ATTR, None)
    return value if isinstance(value, str) else None


def bucket_of(ns: int) -> int:
    """Histogram slot of a duration in nanoseconds."""
    if ns < _EXACT:
        return ns if ns > 0 else 0
    shift = ns.bit_length() - _SUB_BITS
    index = _EXACT + (shift - 1) * _HALF + ((ns >> shift) - _HALF)
    return index if index < _SLOTS else _SLOTS - 1


def bucket_value(index: int) -> float:
    """Representative duration (ns) of a slot: exact below 128 ns, else the bucket midpoint."""
    if index < _EXACT:
        return float(index)
    shift = (index - _EXACT) // _HALF + 1
    top = (index - _EXACT) % _HALF + _HALF
    return ((top << shift) + (1 << shift) / 2.0)


class StageHistogram:
    """Durations of one stage of one symbol: exact count/total/max plus the preallocated histogram."""

    __slots__ = ("counts", "count", "total_ns", "max_ns")

    def __init__(self) -> None:
        self.counts = array("q", bytes(8 * _SLOTS))
        self.count = 0
        self.total_ns = 0
        self.max_ns = 0

    def add(self, ns: int) -> None:
        if ns < _EXACT:
            index = ns if ns > 0 else 0
        else:
            shift = ns.bit_length() - _SUB_BITS
            index = _EXACT + (shift - 1) * _HALF + ((ns >> shift) - _HALF)
            if index >= _SLOTS:
                index = _SLOTS - 1
        self.counts[index] += 1
        self.count += 1
        self.total_ns += ns
        if ns > self.max_ns:
            self.max_ns = ns

    def add_block(self, durations: array) -> None:
        """`add` for each duration of a block, in one vectorized pass: the same slots, count, total and max."""
        if not durations:
            return
        ns = np.frombuffer(durations, dtype=np.int64)
        index = np.maximum(ns, 0)
        big = ns >= _EXACT
        if big.any():
            wide = ns[big]
            shift = np.frexp(wide.astype(np.float64))[1] - _SUB_BITS   # bit_length - 7 (exact below 2**53)
            index[big] = np.minimum(_EXACT + (shift - 1) * _HALF + ((wide >> shift) - _HALF), _SLOTS - 1)
        np.frombuffer(self.counts, dtype=np.int64)[:] += np.bincount(index, minlength=_SLOTS)
        self.count += len(ns)
        self.total_ns += int(ns.sum())
        self.max_ns = max(self.max_ns, int(ns.max()))

    def merge(self, other: "StageHistogram") -> None:
        counts = self.counts
        for i, c in enumerate(other.counts):
            if c:
                counts[i] += c
        self.count += other.count
        self.total_ns += other.total_ns
        self.max_ns = max(self.max_ns, other.max_ns)

    def percentile_ns(self, q: float) -> float:
        """Nearest-rank percentile (q in 0..100) from the histogram; 0 when empty."""
        if self.count == 0:
            return 0.0
        rank = max(1, -(-self.count * q // 100))  # ceil(count * q / 100)
        seen = 0
        for index, c in enumerate(self.counts):
            seen += c
            if seen >= rank:
                return min(bucket_value(index), float(self.max_ns))
        return float(self.max_ns)

    def summary_us(self) -> dict[str, float]:
        return {"count": self.count, "total": round(self.total_ns / 1000.0, 3),
                "p50": round(self.percentile_ns(50) / 1000.0, 3), "p95": round(self.percentile_ns(95) / 1000.0, 3),
                "p99": round(self.percentile_ns(99) / 1000.0, 3), "max": round(self.max_ns / 1000.0, 3)}


class PerfRecorder:
    """One histogram per (symbol, stage), allocated up front for the configured symbols.

    `buffered` (the optimized path): a timed call only appends its duration to the stage's block, which is
    folded into the histogram with numpy every BLOCK durations and before any report; the figures are the
    ones `add` would give, at a fraction of the per-call cost. Memory stays fixed.
    """

    BLOCK = 4096

    def __init__(self, tickers: Iterable[str], buffered: bool = False) -> None:
        self.tickers = list(tickers)
        self.buffered = buffered
        self.stages: dict[str, dict[str, StageHistogram]] = {
            t: {s: StageHistogram() for s in STAGES} for t in self.tickers}
        self.blocks: list[tuple[StageHistogram, array]] = []

    def instrument(self, component: object, ticker: str) -> int:
        """Wrap every `@timed` method of `component` (on the instance); returns how many were wrapped."""
        slots = self.stages[ticker]
        wrapped = 0
        for name in dir(type(component)):
            stage = stage_of(getattr(type(component), name, None))
            if stage is None:
                continue
            hist, bound = slots[stage], getattr(component, name)
            if self.buffered:
                block = array("q")
                self.blocks.append((hist, block))
                setattr(component, name, _buffered_timing_wrapper(bound, hist, block, self.BLOCK))
            else:
                setattr(component, name, _timing_wrapper(bound, hist))
            wrapped += 1
        return wrapped

    def flush(self) -> None:
        for hist, block in self.blocks:
            hist.add_block(block)
            del block[:]

    def aggregate(self) -> dict[str, StageHistogram]:
        self.flush()
        merged = {s: StageHistogram() for s in STAGES}
        for per_stage in self.stages.values():
            for stage, hist in per_stage.items():
                merged[stage].merge(hist)
        return merged

    def report(self) -> dict[str, Any]:
        self.flush()
        return perf_report(True, {t: {s: h.summary_us() for s, h in per.items()} for t, per in self.stages.items()},
                           {s: h.summary_us() for s, h in self.aggregate().items()})


def perf_report(enabled: bool, symbols: dict[str, Any], aggregate: dict[str, Any]) -> dict[str, Any]:
    return {"schema": PERF_SCHEMA, "version": PERF_SCHEMA_VERSION, "instrumentation": enabled, "unit": "us",
            "percentiles": "nearest-rank over a log-linear histogram, <=0.8% relative error",
            "stages": list(STAGES), "symbols": symbols, "aggregate": aggregate}


def perf_json_line(report: dict[str, Any]) -> str:
    """The single log line written at on_end_of_algorithm."""
    return PERF_PREFIX + json.dumps(report, sort_keys=False, separators=(",", ":"))


def _timing_wrapper(bound: Callable[..., Any], hist: StageHistogram) -> Callable[..., Any]:
    clock = perf_counter_ns
    add = hist.add

    def timed_call(*args: Any, **kwargs: Any) -> Any:
        start = clock()
        try:
            return bound(*args, **kwargs)
        finally:
            add(clock() - start)

    setattr(timed_call, "__wrapped__", bound)
    return timed_call


def _buffered_timing_wrapper(bound: Callable[..., Any], hist: StageHistogram, block: array,
                             size: int) -> Callable[..., Any]:
    clock = perf_counter_ns
    append = block.append

    def timed_call(*args: Any, **kwargs: Any) -> Any:
        start = clock()
        try:
            return bound(*args, **kwargs)
        finally:
            append(clock() - start)
            if len(block) >= size:
                hist.add_block(block)
                del block[:]

    setattr(timed_call, "__wrapped__", bound)
    return timed_call
