"""`python benchmarks/engine_entry.py backtest ...` = `python -m pylean backtest ...`, plus two stderr lines.

The benchmarks start every engine process through this file so that they can tell
  - which pylean the process imported (`BENCH_PYLEAN_FILE <pylean/__init__.py>`): with --against the
    process must run the other commit's pylean, and the runner fails when it did not;
  - how long pylean spent writing its result files (`BENCH_WRITE_RESULTS_S <seconds>`): the wall time of
    the one `write_results(record, output)` call the launcher makes after the time loop (statistics,
    charts, order events, the JSON files and the logs). The launcher looks that function up by module
    name, so a wrapper installed here times it without changing pylean; a pylean whose launcher does
    not call `pylean.launcher.write_results` prints no such line and the figure is n/a.
pylean itself then runs exactly as `python -m pylean` runs it (runpy, run_name "__main__").
"""
import os
import runpy
import sys
import time

if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]  # this folder must not shadow anything: the engine sees what `python -m` would see
sys.path.insert(0, os.getcwd())  # as `python -m` does: the current folder (the pylean tree) comes first

import pylean  # noqa: E402

sys.stderr.write(f"BENCH_PYLEAN_FILE {os.path.abspath(pylean.__file__)}\n")
try:
    import pylean.launcher as _launcher  # noqa: E402

    _write_results = _launcher.write_results
except (ImportError, AttributeError):
    _launcher = None
else:
    def _timed_write_results(*args, **kwargs):
        start = time.perf_counter()
        try:
            return _write_results(*args, **kwargs)
        finally:
            sys.stderr.write(f"BENCH_WRITE_RESULTS_S {time.perf_counter() - start:.6f}\n")

    _launcher.write_results = _timed_write_results

runpy.run_module("pylean", run_name="__main__", alter_sys=True)
