"""Memory across a 60-day run: the memory algorithm (empty on_data plus sampling) over 60 trading
days of synthetic second data (4 symbols; --quick: 1 symbol over 20 days), warm cache.

Inside the run the algorithm records, at the first on_data of every day, the process's RSS and
peak RSS (ru_maxrss), and both again in on_end_of_algorithm (the end of the 60th day).
"After the first day" = the sample at the first on_data of day 2 (day 1 fully run, day 2 loaded).
  rss_growth_after_day1  = RSS at the end / RSS after day 1 - 1          target < 5 %
  peak_growth_after_day1 = peak RSS at the end / peak RSS after day 1 - 1  target < 5 %
Informational: the metrics file's peak_rss_bytes (whole process, results writing included); the
RSS growth of one extra run without --metrics-json (no per-step latency recording), which tells
the engine's own growth apart from the growth of its latency samples; and the wall time of the
last days over the first days after day 1 (median of 5 each): a day should cost the same late in
a run as early on.
"""
from __future__ import annotations

import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common as c
from benchmarks import synth_data

NAME = "memory"
DAYS = 60
QUICK_DAYS = 20
MAX_GROWTH = 0.05


def growth(run: c.Run) -> dict[str, Any]:
    if not run.bench:
        raise c.BenchmarkError("the memory algorithm logged no BENCH_JSON line")
    report = run.bench[-1]
    days, end = report["days"], report["end"]
    end_rss, end_peak, end_clock = end[:3]
    if len(days) < 2:
        raise c.BenchmarkError(f"only {len(days)} day(s) sampled")
    mb = 2 ** 20
    seconds = [b[3] - a[3] for a, b in zip(days, days[1:] + [[None, 0, 0, end_clock]])]
    k = max(1, min(5, (len(seconds) - 1) // 2))
    return {"rss_growth": end_rss / days[1][1] - 1, "peak_growth": end_peak / days[1][2] - 1,
            "day_cost_ratio": statistics.median(seconds[-k:]) / statistics.median(seconds[1:1 + k]),
            "days": len(days), "rss_day1_mb": round(days[0][1] / mb, 1), "rss_after_day1_mb": round(days[1][1] / mb, 1),
            "rss_end_mb": round(end_rss / mb, 1), "peak_after_day1_mb": round(days[1][2] / mb, 1),
            "peak_end_mb": round(end_peak / mb, 1),
            "rss_by_day_mb": [round(day[1] / mb, 1) for day in days],
            # RSS growth split into anonymous memory (heap, numpy, allocator pools) and file pages
            "anon_growth_mb": round((end[3] - days[1][4]) / mb, 1),
            "file_growth_mb": round((end[4] - days[1][5]) / mb, 1),
            # wall seconds of each day (first on_data to the next day's first on_data): should stay flat
            "seconds_by_day": [round(x, 4) for x in seconds]}


def run(ctx: c.Context) -> list[c.Result]:
    n_symbols, n_days = (1, QUICK_DAYS) if ctx.quick else (4, DAYS)
    root, tickers, days = synth_data.ensure(ctx.synth_root, ctx.data_folder, n_symbols, n_days)
    params = {"tickers": ",".join(tickers[:n_symbols]), "start": f"{days[0]:%Y%m%d}", "end": f"{days[-1]:%Y%m%d}",
              "resolution": "second"}
    series = c.measure(ctx, "memory_algorithm.py", root, params, floor=False)
    found = [growth(r) for r in series.runs]
    bare = growth(c.run_backtest(ctx, "memory_algorithm.py", root, params, ctx.warm_cache, metrics=False))
    ctx.log(f"memory without --metrics-json: RSS {bare['rss_after_day1_mb']} -> {bare['rss_end_mb']} MB "
            f"(anonymous {bare['anon_growth_mb']:+} MB, file-backed {bare['file_growth_mb']:+} MB)")
    details = dict(series.details(), symbols=n_symbols, days=n_days, last_run=found[-1])
    rss = statistics.median(g["rss_growth"] for g in found)
    peak = statistics.median(g["peak_growth"] for g in found)
    return [c.info(NAME, f"memory_peak_rss_{n_days}d", series.median(lambda r: r.metrics["peak_rss_bytes"]) / 2**20, "MB",
                   samples=series.samples(lambda r: r.metrics["peak_rss_bytes"] / 2**20), details=details),
            c.at_most(NAME, "memory_rss_growth_after_day1", rss * 100, "%", MAX_GROWTH * 100,
                      samples=[round(g["rss_growth"] * 100, 2) for g in found]),
            c.at_most(NAME, "memory_peak_growth_after_day1", peak * 100, "%", MAX_GROWTH * 100,
                      samples=[round(g["peak_growth"] * 100, 2) for g in found]),
            c.info(NAME, "memory_rss_growth_no_metrics", bare["rss_growth"] * 100, "%", details=bare),
            c.info(NAME, "memory_day_cost_last_vs_first", statistics.median(g["day_cost_ratio"] for g in found), "x",
                   samples=[round(g["day_cost_ratio"], 3) for g in found])]


if __name__ == "__main__":
    sys.exit(c.standalone(run, __doc__))
