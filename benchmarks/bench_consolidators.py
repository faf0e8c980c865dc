"""Consolidator- and indicator-heavy, second data: per symbol two second-resolution indicators,
1-minute, 5-minute and 30-second consolidators feeding 7 indicators and a rolling window, and
on_data reading indicator values every step (5 real tickers, 2025-10-01; --quick: 2 tickers).
Informational: data points / time-loop seconds, with the floor ratio."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common as c

NAME = "consolidators"
TICKERS = ("AAPL", "AMD", "NVDA", "TSLA", "V")


def parameters(quick: bool) -> dict[str, str]:
    return {"tickers": ",".join(TICKERS[:2] if quick else TICKERS), "start": c.REAL_FIRST, "end": c.REAL_FIRST,
            "resolution": "second"}


def run(ctx: c.Context) -> list[c.Result]:
    params = parameters(ctx.quick)
    series = c.measure(ctx, "consolidators_algorithm.py", ctx.data_folder, params)
    return [c.info(NAME, f"consolidators_{len(params['tickers'].split(','))}sym_second", series.rate, "pts/s",
                   floor_ratio=series.floor_ratio, samples=series.samples(lambda r: r.rate),
                   details=series.details())]


if __name__ == "__main__":
    sys.exit(c.standalone(run, __doc__))
