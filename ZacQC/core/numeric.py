"""Array kernels of the optimized path: the rally gates' extremes over the ring buffers.

Two implementations with one contract (the FIRST index of the minimum / maximum, as Python's min/max with
a key return): numpy's argmin/argmax (default) and numba-compiled loops (`numba_kernels=true`). Measured on
the reference scenario (decision log of tasks/zacqc-runtime-optimization-*): numba answers in 0.3-1.3 us
instead of ~2.8 us, but importing numba and loading its cache costs ~0.7 s per process, more than the
~10-20 k gate evaluations of a reference run save; so numpy is the default and numba an opt-in for long
runs. Without numba installed (real Lean's image may lack it) the numpy twin runs and the load is reported
as unavailable.
"""
from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np

Extremes = Callable[[Any, Any, int, int], tuple[int, int]]


def numpy_long_extremes(lows: Any, highs: Any, start: int, end: int) -> tuple[int, int]:
    """(first lowest low in [start, end), first highest high from there on)."""
    lo = start + int(lows[start:end].argmin())
    return lo, lo + int(highs[lo:end].argmax())


def numpy_short_extremes(lows: Any, highs: Any, start: int, end: int) -> tuple[int, int]:
    """(first highest high in [start, end), first lowest low from there on)."""
    hi = start + int(highs[start:end].argmax())
    return hi, hi + int(lows[hi:end].argmin())


def _long_loop(lows: Any, highs: Any, start: int, end: int) -> tuple[int, int]:
    lo = start
    for i in range(start + 1, end):
        if lows[i] < lows[lo]:
            lo = i
    hi = lo
    for i in range(lo + 1, end):
        if highs[i] > highs[hi]:
            hi = i
    return lo, hi


def _short_loop(lows: Any, highs: Any, start: int, end: int) -> tuple[int, int]:
    hi = start
    for i in range(start + 1, end):
        if highs[i] > highs[hi]:
            hi = i
    lo = hi
    for i in range(hi + 1, end):
        if lows[i] < lows[lo]:
            lo = i
    return hi, lo


def load_extremes(use_numba: bool) -> tuple[Extremes, Extremes, str]:
    """(long, short, how): numba-compiled loops when asked for and importable, else the numpy twins.

    `how` says what was loaded and how long import plus compilation (or cache load) took, for the log.
    """
    if not use_numba:
        return numpy_long_extremes, numpy_short_extremes, "numpy"
    began = time.perf_counter()
    try:
        import numba
    except ImportError:
        return numpy_long_extremes, numpy_short_extremes, "numpy (numba not installed)"
    long_kernel = numba.njit(cache=True)(_long_loop)
    short_kernel = numba.njit(cache=True)(_short_loop)
    probe = np.arange(4, dtype=np.float64)
    long_kernel(probe, probe, 0, 4)    # compile (or load from the cache) now, inside warm-up
    short_kernel(probe, probe, 0, 4)
    return long_kernel, short_kernel, f"numba {numba.__version__} ready in {time.perf_counter() - began:.3f} s"
