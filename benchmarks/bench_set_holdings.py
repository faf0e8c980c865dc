"""Minute data, SetHoldings every minute on 4 symbols (Lean's sample SPY/AIG/BAC/IBM minute trade and
quote bars, 2013-10-07..11; --quick: the first day). Informational (no target): data points /
time-loop seconds with the floor ratio, orders per time-loop second, and teardown seconds
(writing results grows with the number of orders)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common as c

NAME = "set_holdings"


def parameters(quick: bool) -> dict[str, str]:
    return {"tickers": ",".join(c.MINUTE_TICKERS), "start": c.MINUTE_FIRST,
            "end": c.MINUTE_FIRST if quick else c.MINUTE_LAST, "resolution": "minute"}


def run(ctx: c.Context) -> list[c.Result]:
    series = c.measure(ctx, "set_holdings_algorithm.py", ctx.data_folder, parameters(ctx.quick))
    details = series.details()
    return [c.info(NAME, "set_holdings_4sym_minute", series.rate, "pts/s", floor_ratio=series.floor_ratio,
                   samples=series.samples(lambda r: r.rate), details=details),
            c.info(NAME, "set_holdings_orders", series.median(lambda r: r.metrics["orders"] / r.loop_s), "orders/s",
                   samples=series.samples(lambda r: r.metrics["orders"] / r.loop_s)),
            c.info(NAME, "set_holdings_teardown", series.median(lambda r: r.phase("teardown")), "s",
                   samples=series.samples(lambda r: r.phase("teardown")))]


if __name__ == "__main__":
    sys.exit(c.standalone(run, __doc__))
