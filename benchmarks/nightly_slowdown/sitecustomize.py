"""Acceptance knob of the nightly gate (benchmarks/nightly_acceptance.py puts this folder on PYTHONPATH).

With ZACPERF_ACCEPTANCE_SLOWDOWN=0.10 the pylean engine process does 10 % more CPU work: every time-loop
block (one trading day) is followed by a busy wait of 10 % of its own duration, and at exit the process
busy-waits the rest, so that its total CPU time is 110 % of the work it did (start-up, initialize and
teardown slowed alike). Nothing in pylean or zacperf reads this variable; only the acceptance script
sets it, and only pylean processes (those that import pylean.engine at start-up here) are touched.
"""
import atexit
import os
import sys
import time

_FRACTION = float(os.environ.get("ZACPERF_ACCEPTANCE_SLOWDOWN") or 0)
_spun = [0.0]


def _spin_cpu(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    _spun[0] += seconds


def _top_up():
    natural = time.process_time() - _spun[0]
    missing = natural * _FRACTION - _spun[0]
    if missing > 0:
        _spin_cpu(missing)


def _install():
    from pylean import engine

    original = engine.Engine._run_block

    def slower_run_block(self, *args, **kwargs):
        started = time.process_time()
        result = original(self, *args, **kwargs)
        _spin_cpu((time.process_time() - started) * _FRACTION)
        return result

    engine.Engine._run_block = slower_run_block
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
