"""Result writing: the seconds pylean spends writing the result files of the order-heavy run.

The run is bench_orders' (orders_algorithm.py: per minute and symbol a market order, a limit order
placed and the previous one cancelled, a standing stop order updated; SPY/AIG/BAC/IBM minute data,
2013-10-07..08; --quick: the first day), so with both benchmarks selected the same processes serve
both. Figure: the wall time of pylean's one `write_results(record, output)` call after the time loop
(statistics, charts, orders and order events, the JSON files and the logs), timed inside the engine
process by benchmarks/engine_entry.py. The `teardown` phase of the metrics file (bench_orders'
orders_teardown row, and this row's details) is that call plus building the run record and the
metrics: from the end of the last time step to the metrics file. Informational (no target).
"""
from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import bench_orders
from benchmarks import common as c

NAME = "result_writing"


def run(ctx: c.Context) -> list[c.Result]:
    series = c.measure(ctx, "orders_algorithm.py", ctx.data_folder, bench_orders.parameters(ctx.quick))
    timed = [r.write_results_s for r in series.runs]
    known = [t for t in timed if t is not None]
    orders = series.runs[0].metrics.get("orders")
    return [c.info(NAME, "result_writing_orders_run", statistics.median(known) if len(known) == len(timed) else None,
                   "s", samples=[round(t, 6) for t in known],
                   details={"orders": orders, "write_results_s": timed,
                            "note": "None: this pylean's launcher does not call pylean.launcher.write_results",
                            "teardown_s": series.samples(lambda r: r.phase("teardown"))})]


if __name__ == "__main__":
    sys.exit(c.standalone(run, __doc__))
