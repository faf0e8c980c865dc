"""An algorithm that reads every bar of every slice: `for bar in data.bars.values(): bar.close`.

Same data and figure as bench_empty (15 symbols, second data, warm cache, points / time-loop
seconds); --quick reads 2 of the 8 sessions. Targets: >= 1 M data points/s and >= 45 % of the
lean-bar floor (per data point, build a bar with the 8 fields an algorithm reads off a Lean TradeBar,
each from the point's own row, and call one method) measured in the same run. Also shown, without a
target: the share of the strict floor (a 6-field __slots__ bar of constants and one method call).
"""
from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common as c

NAME = "read_bars"
TARGET = 1e6
TARGET_LEAN_BAR_SHARE = 0.45


def parameters(quick: bool) -> dict[str, str]:
    return {"tickers": ",".join(c.REAL_TICKERS), "start": c.REAL_FIRST,
            "end": "20251002" if quick else c.REAL_LAST, "resolution": "second"}


def run(ctx: c.Context) -> list[c.Result]:
    series = c.measure(ctx, "read_bars_algorithm.py", ctx.data_folder, parameters(ctx.quick))
    details = series.details()
    rate = c.at_least(NAME, "read_bars_15sym_second_warm", series.rate, "pts/s", TARGET,
                      floor_ratio=series.floor_ratio, samples=series.samples(lambda r: r.rate), details=details)
    if not ctx.floors:
        return [rate]
    points = series.runs[0].points
    lean_bar_s = [c.floor_seconds(ctx, points, "lean-bar") for _ in range(ctx.repeat)]
    lean_bar_rate = points / statistics.median(lean_bar_s)
    ctx.log(f"lean-bar floor: {lean_bar_rate / 1e6:.2f} M pts/s (median of {ctx.repeat})")
    return [rate,
            c.at_least(NAME, "read_bars_vs_lean_bar_floor", series.rate / lean_bar_rate * 100, "%",
                       TARGET_LEAN_BAR_SHARE * 100,
                       details={"lean_bar_floor_rate": round(lean_bar_rate),
                                "lean_bar_floor_s": [round(s, 6) for s in lean_bar_s]}),
            c.info(NAME, "read_bars_vs_floor", (series.floor_ratio or 0.0) * 100, "%",
                   details={"floor_rate": details.get("floor_rate")})]


if __name__ == "__main__":
    sys.exit(c.standalone(run, __doc__))
