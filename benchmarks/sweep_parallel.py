#!/usr/bin/env python3
"""Measure one sweep serially, on 2 local jobs and on a 2-worker Dask LocalCluster; check the results agree.

    python benchmarks/sweep_parallel.py [--scenario smoke] [--param Parameter_4=6,8,10 ...] [--workers 2]

The serial run goes first and warms the data caches, so the parallel runs do not pay for them.
Prints the wall time of each, the speed-ups and whether every point's trades and statistics match.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zacperf.sweep.run import SweepOptions, run_sweep

DEFAULT_PARAMS = ["Parameter_4=6,8,10", "C3=true,false", "cash_pct=40,60"]     # 12 points


def essence(result) -> list[tuple]:
    return [(p["index"], p["digest"], p["orders"], p["fills"], tuple(sorted(p["statistics"].items())))
            for p in result.points]


def timed(options: SweepOptions) -> tuple[float, object]:
    started = time.perf_counter()
    result = run_sweep(options)
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="smoke")
    parser.add_argument("--param", action="append")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    common = {"params": args.param or DEFAULT_PARAMS, "scenario": args.scenario, "target": "Total Orders",
              "progress": False, "plots": False, "feature": "sweep-benchmark"}
    serial_s, serial = timed(SweepOptions(**common, jobs=1))
    pool_s, pool = timed(SweepOptions(**common, jobs=args.workers))
    from distributed import LocalCluster
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        dask_s, on_dask = timed(SweepOptions(**common, dask_scheduler=cluster.scheduler_address))
    same = essence(serial) == essence(pool) == essence(on_dask)
    n = len(serial.points)
    print(f"{n} points of {args.scenario} ({', '.join(common['params'])})")
    print(f"serial            {serial_s:7.2f} s")
    print(f"{args.workers} local jobs      {pool_s:7.2f} s   speed-up {serial_s / pool_s:.2f}x")
    print(f"Dask, {args.workers} workers    {dask_s:7.2f} s   speed-up {serial_s / dask_s:.2f}x (cluster start-up excluded)")
    print(f"results identical: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
