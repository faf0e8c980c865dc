"""Acceptance knob of the nightly gate (benchmarks/nightly_acceptance.py puts this folder on PYTHONPATH).

With ZACPERF_ACCEPTANCE_SLOWDOWN=0.10 every pylean time-loop block (one trading day) is followed
by a busy wait of 10 % of its own duration: the engine really does 10 % more CPU work in its
stream phase. Nothing in pylean or zacperf reads this variable; only the acceptance script sets it.
"""
import os
import time

_FRACTION = float(os.environ.get("ZACPERF_ACCEPTANCE_SLOWDOWN") or 0)

if _FRACTION > 0:
    try:
        from pylean import engine as _engine
    except ImportError:          # not an environment with pylean: nothing to slow down
        _engine = None
    if _engine is not None:
        _original = _engine.Engine._run_block

        def _slower_run_block(self, *args, **kwargs):
            started = time.perf_counter()
            result = _original(self, *args, **kwargs)
            until = time.perf_counter() + (time.perf_counter() - started) * _FRACTION
            while time.perf_counter() < until:
                pass
            return result

        _engine.Engine._run_block = _slower_run_block
