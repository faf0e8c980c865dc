"""Acceptance knob of the nightly gate (benchmarks/nightly_acceptance.py puts this folder on PYTHONPATH).

With ZACPERF_ACCEPTANCE_SLOWDOWN=0.10 the pylean engine process does 10 % more CPU work, as if its code had
become 10 % slower everywhere:
- inside the time loop, whenever 200 us of loop time have passed, the step then ending busy-waits 10 %
  of that time (so the steps' own timings include it; one clock read per step keeps the knob's own cost
  near 1 %);
- at exit the process busy-waits the rest, so its total CPU time is 110 % of the work it did (start-up,
  initialize and teardown slowed alike).
Nothing in pylean or zacperf reads this variable; only the acceptance script sets it, and only pylean
processes (those started as `python -m pylean backtest`) are touched.
"""
import atexit
import os
import sys
import time

_FRACTION = float(os.environ.get("ZACPERF_ACCEPTANCE_SLOWDOWN") or 0)
_MIN_SPIN_NS = 20_000
_spun_ns = [0]


def _spin_ns(nanoseconds, clock=time.process_time_ns):
    """Busy-wait `nanoseconds` of `clock` (CPU time at exit; the loop's cheap perf_counter_ns inside it)."""
    end = clock() + nanoseconds
    while clock() < end:
        pass
    _spun_ns[0] += nanoseconds


def _top_up():
    natural = time.process_time_ns() - _spun_ns[0]
    missing = int(natural * _FRACTION) - _spun_ns[0]
    if missing > 0:
        _spin_ns(missing)


def _slower_steps(end_of_step):
    """end_of_step followed, every ~200 us of loop time, by the busy wait owed for it (perf_counter_ns is a
    vDSO read: a per-step process_time_ns, a system call here, alone made the loop 10-20 % slower)."""
    clock = time.perf_counter_ns
    owed_after = int(_MIN_SPIN_NS / _FRACTION)
    last = clock()

    def slower(*args, **kwargs):
        nonlocal last
        result = end_of_step(*args, **kwargs)
        now = clock()
        if now - last >= owed_after:
            _spin_ns(int((now - last) * _FRACTION), clock)
            last = clock()
        return result

    return slower


def _install():
    from pylean import engine

    original = engine.Engine._run_block

    def run_block_slower(self, *args, **kwargs):
        if not getattr(self, "_acceptance_slowed", False):
            self._on_end_of_time_step = _slower_steps(self._on_end_of_time_step)
            self._acceptance_slowed = True
        return original(self, *args, **kwargs)

    engine.Engine._run_block = run_block_slower
    atexit.register(_top_up)


def _is_engine_process():
    """`python -m pylean backtest ...` (sys.argv is not complete yet while site runs: read the command line)."""
    try:
        with open("/proc/self/cmdline", "rb") as handle:
            words = handle.read().split(b"\0")
    except OSError:
        words = [w.encode() for w in getattr(sys, "argv", [])]
    return b"pylean" in words and b"backtest" in words


if _FRACTION > 0 and _is_engine_process():
    _install()
