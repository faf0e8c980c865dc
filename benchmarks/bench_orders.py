"""Order-heavy: per minute and symbol a market order, a limit order placed and the previous one
cancelled, and a standing stop order updated (SPY/AIG/BAC/IBM minute data, 2013-10-07..08;
--quick: the first day). Informational: orders (submitted) per time-loop second, data points /
time-loop seconds with the floor ratio, teardown seconds."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common as c

NAME = "orders"


def parameters(quick: bool) -> dict[str, str]:
    return {"tickers": ",".join(c.MINUTE_TICKERS), "start": c.MINUTE_FIRST,
            "end": c.MINUTE_FIRST if quick else "20131008", "resolution": "minute"}


def run(ctx: c.Context) -> list[c.Result]:
    series = c.measure(ctx, "orders_algorithm.py", ctx.data_folder, parameters(ctx.quick))
    details = series.details()
    return [c.info(NAME, "orders_per_s", series.median(lambda r: r.metrics["orders"] / r.loop_s), "orders/s",
                   samples=series.samples(lambda r: r.metrics["orders"] / r.loop_s), details=details),
            c.info(NAME, "orders_4sym_minute", series.rate, "pts/s", floor_ratio=series.floor_ratio,
                   samples=series.samples(lambda r: r.rate)),
            c.info(NAME, "orders_teardown", series.median(lambda r: r.phase("teardown")), "s",
                   samples=series.samples(lambda r: r.phase("teardown")))]


if __name__ == "__main__":
    sys.exit(c.standalone(run, __doc__))
