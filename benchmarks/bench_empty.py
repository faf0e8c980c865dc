"""Empty algorithm, 15 symbols, second data, warm cache: the engine's own loop.

Real data: the 15 tickers' second trade bars 2025-10-01..10 (8 sessions, 2,808,001 data points
with fill-forward). Figure: data points / whole time-loop seconds (warmup + data_load + stream
phases of the metrics file: from building the first day's block to the end of the last step),
warm cache. Target: >= 3 M data points/s. Also checked: on_data ran at every time step (the
engine must not skip calls to an empty on_data).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common as c

NAME = "empty"
TARGET = 3e6


def parameters() -> dict[str, str]:
    return {"tickers": ",".join(c.REAL_TICKERS), "start": c.REAL_FIRST, "end": c.REAL_LAST, "resolution": "second"}


def run(ctx: c.Context) -> list[c.Result]:
    series = c.measure(ctx, "empty_algorithm.py", ctx.data_folder, parameters())
    calls = min(r.metrics["on_data"]["count"] for r in series.runs)
    steps = max(r.metrics["time_step"]["count"] for r in series.runs)
    return [c.at_least(NAME, "empty_15sym_second_warm", series.rate, "pts/s", TARGET,
                       floor_ratio=series.floor_ratio, samples=series.samples(lambda r: r.rate),
                       details=series.details()),
            # every step of this data has bars (fill-forward), so the empty on_data must run at each one
            c.Result(NAME, "empty_on_data_calls", float(calls), "calls", f"= {steps:,} steps", calls == steps)]


if __name__ == "__main__":
    sys.exit(c.standalone(run, __doc__))
