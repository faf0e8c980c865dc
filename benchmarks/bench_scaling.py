"""Linear cost: the empty algorithm over 1/4/16 symbols and 1/5/20 days of synthetic second data
(benchmarks/synth_data.py; the real folder has only 15 symbols and 8 days), warm cache.

Cost of a configuration = median time-loop seconds (warmup + data_load + stream). Each step up is
reported as its cost per doubling, (cost_b / cost_a) ** (1 / log2(n_b / n_a)), so 1 -> 4 symbols
may cost at most 2.1 ** 2 = 4.41x. Target: <= 2.1x per doubling of symbols or of days.
Full mode: symbols 1/4/16 at 5 days, days 1/5/20 at 4 symbols. --quick: symbols at 1 day, days
at 1 symbol (still 1/4/16 and 1/5/20).
"""
from __future__ import annotations

import itertools
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common as c
from benchmarks import synth_data

NAME = "scaling"
MAX_PER_DOUBLING = 2.1
SYMBOLS = (1, 4, 16)
DAYS = (1, 5, 20)


def plan(quick: bool) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(symbols, days) configurations of the symbol sweep and of the day sweep."""
    if quick:
        return [(n, 1) for n in SYMBOLS], [(1, d) for d in DAYS]
    return [(n, 5) for n in SYMBOLS], [(4, d) for d in DAYS]


def run(ctx: c.Context) -> list[c.Result]:
    by_symbols, by_days = plan(ctx.quick)
    configs = list(dict.fromkeys(by_symbols + by_days))
    root, tickers, days = synth_data.ensure(ctx.synth_root, ctx.data_folder, max(n for n, _ in configs),
                                            max(d for _, d in configs))
    series: dict[tuple[int, int], c.Series] = {}
    for n_symbols, n_days in configs:
        params = {"tickers": ",".join(tickers[:n_symbols]), "start": f"{days[0]:%Y%m%d}",
                  "end": f"{days[n_days - 1]:%Y%m%d}", "resolution": "second"}
        series[(n_symbols, n_days)] = c.measure(ctx, "empty_algorithm.py", root, params, floor=False)
    table = {f"{n}sym_{d}d": {"loop_s": s.samples(lambda r: r.loop_s), "median_loop_s": round(s.median(lambda r: r.loop_s), 6),
                              "points": s.runs[0].points, "rate": round(s.rate)}
             for (n, d), s in series.items()}
    results = []
    for label, sweep, axis in (("symbols", by_symbols, 0), ("days", by_days, 1)):
        for a, b in itertools.pairwise(sweep):
            cost_a, cost_b = (series[x].median(lambda r: r.loop_s) for x in (a, b))
            factor = b[axis] / a[axis]
            per_doubling = (cost_b / cost_a) ** (1 / math.log2(factor))
            fixed = f"{a[1]} days" if axis == 0 else f"{a[0]} symbols"
            results.append(c.at_most(NAME, f"scaling_{label}_{a[axis]}_to_{b[axis]}", per_doubling, "x/doubling",
                                     MAX_PER_DOUBLING, details={"fixed": fixed, "cost_ratio": round(cost_b / cost_a, 3),
                                                                "configs": table}))
    return results


if __name__ == "__main__":
    sys.exit(c.standalone(run, __doc__))
