"""Profile one benchmark's backtest in-process, to see where a missed target's time goes.

    python benchmarks/profile_bench.py read_bars [--tool pyinstrument|cprofile] [--top 25] [--quick]

Runs the benchmark's algorithm with the same data and parameters (warm cache: one unprofiled
run first), with --metrics-json on as in the benchmark, under the chosen profiler:
  pyinstrument (default): sampling; prints each function's self time and inclusive time as a
      share of the time loop (Engine.run), pylean functions first, then the call tree;
  cprofile: deterministic (adds per-call overhead, so small hot functions look bigger); prints
      pstats sorted by self time with call counts;
  tracemalloc: where memory grows after the first day: snapshots when the engine starts day 2
      and the last day (by wrapping Engine._run_block in this process; pylean is not changed),
      prints the biggest growth by line. Use with `memory` (--quick: 1 symbol x 20 days); slow
      (tracemalloc traces every allocation: minutes for the quick run).
Add --no-metrics to run without --metrics-json (no per-step latency recording).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common as c

TARGETS = ("empty", "read_bars", "consolidators", "set_holdings", "orders", "memory", "startup")


def target(name: str, ctx: c.Context) -> tuple[str, Path, dict[str, str]]:
    """(algorithm file, data folder, parameters) of a benchmark."""
    from benchmarks import (
        bench_consolidators,
        bench_empty,
        bench_orders,
        bench_read_bars,
        bench_set_holdings,
        bench_startup,
        synth_data,
    )

    if name == "empty":
        return "empty_algorithm.py", ctx.data_folder, bench_empty.parameters()
    if name == "read_bars":
        return "read_bars_algorithm.py", ctx.data_folder, bench_read_bars.parameters(ctx.quick)
    if name == "consolidators":
        return "consolidators_algorithm.py", ctx.data_folder, bench_consolidators.parameters(ctx.quick)
    if name == "set_holdings":
        return "set_holdings_algorithm.py", ctx.data_folder, bench_set_holdings.parameters(ctx.quick)
    if name == "orders":
        return "orders_algorithm.py", ctx.data_folder, bench_orders.parameters(ctx.quick)
    if name == "startup":
        return "startup_algorithm.py", ctx.data_folder, bench_startup.parameters()
    n_symbols, n_days = (1, 20) if ctx.quick else (4, 60)
    root, tickers, days = synth_data.ensure(ctx.synth_root, ctx.data_folder, n_symbols, n_days)
    return "memory_algorithm.py", root, {"tickers": ",".join(tickers[:n_symbols]), "start": f"{days[0]:%Y%m%d}",
                                         "end": f"{days[-1]:%Y%m%d}", "resolution": "second"}


def backtest(algorithm: str, folder: Path, params: dict[str, str], work: Path, metrics: bool = True) -> Any:
    from pylean.launcher import BacktestOptions, run_backtest

    out = Path(tempfile.mkdtemp(prefix="profile-", dir=work))
    outcome = run_backtest(BacktestOptions(c.ALGORITHMS / algorithm, folder, out / "result", dict(params),
                                           metrics_path=out / "metrics.json" if metrics else None))
    if outcome.status != "Completed":
        raise c.BenchmarkError(f"{algorithm}: {outcome.status}\n{outcome.record.error if outcome.record else ''}")
    return outcome


def tracemalloc_report(algorithm: str, folder: Path, params: dict[str, str], work: Path, metrics: bool,
                       top: int) -> None:
    import tracemalloc

    from pylean.engine import Engine

    snapshots: dict[str, Any] = {}
    days_seen: list[Any] = []
    original = Engine._run_block
    last_day = params["end"]

    def wrapped(self: Any, block: Any, *args: Any) -> Any:
        if block.day not in days_seen:
            days_seen.append(block.day)
            if len(days_seen) == 2:
                snapshots["day2"] = tracemalloc.take_snapshot()
            elif f"{block.day:%Y%m%d}" == last_day:
                snapshots["last"] = tracemalloc.take_snapshot()
        return original(self, block, *args)

    Engine._run_block = wrapped  # type: ignore[method-assign]
    tracemalloc.start(4)
    try:
        backtest(algorithm, folder, params, work, metrics)
    finally:
        tracemalloc.stop()
        Engine._run_block = original  # type: ignore[method-assign]
    if "day2" not in snapshots or "last" not in snapshots:
        print("fewer than two days ran; nothing to compare")
        return
    diff = snapshots["last"].compare_to(snapshots["day2"], "traceback")
    total = sum(d.size_diff for d in diff)
    print(f"traced memory growth from the start of day 2 to the start of day {len(days_seen)}: {total / 2**20:.1f} MB")
    for stat in diff[:top]:
        if stat.size_diff <= 0:
            break
        print(f"\n{stat.size_diff / 2**20:8.2f} MB  {stat.count_diff:+,} blocks")
        for line in stat.traceback.format(limit=4, most_recent_first=True):
            print("   " + line.strip())


def short(path: str) -> str:
    for marker in ("/pylean/", "/benchmarks/"):
        at = path.rfind(marker)
        if at >= 0:
            return path[at + 1:]
    return Path(path).name


def pyinstrument_report(session: Any, top: int) -> None:
    root = session.root_frame()
    self_time: dict[str, float] = defaultdict(float)
    inclusive: dict[str, float] = defaultdict(float)
    loop_total = [0.0]

    def walk(frame: Any, stack: set[str]) -> None:
        if frame.is_synthetic:  # [self] / [await] leaves: already in the parent's total_self_time
            return
        key = f"{short(frame.file_path or '')}:{frame.line_no} {frame.function}"
        if frame.function == "run" and (frame.file_path or "").endswith("pylean/engine.py"):
            loop_total[0] += frame.time
        self_time[key] += frame.total_self_time
        if key not in stack:  # recursion counts once
            inclusive[key] += frame.time
        for child in frame.children:
            walk(child, stack | {key})

    walk(root, set())
    base = loop_total[0] or root.time
    print(f"time loop (Engine.run) {loop_total[0]:.3f} s of {root.time:.3f} s profiled; shares below are of the loop")
    print(f"\n{'self':>7} {'incl':>7}  function (self time, top {top})")
    for key, seconds in sorted(self_time.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{seconds / base:>7.1%} {inclusive[key] / base:>7.1%}  {key}")
    print(f"\n{'incl':>7} {'self':>7}  pylean function (inclusive time, top {top})")
    pylean = [(k, v) for k, v in inclusive.items() if k.startswith("pylean/")]
    for key, seconds in sorted(pylean, key=lambda kv: -kv[1])[:top]:
        print(f"{seconds / base:>7.1%} {self_time[key] / base:>7.1%}  {key}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("name", choices=TARGETS)
    parser.add_argument("--tool", choices=("pyinstrument", "cprofile", "tracemalloc"), default="pyinstrument")
    parser.add_argument("--no-metrics", action="store_true", help="run without --metrics-json")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--data-folder", type=Path, default=None)
    parser.add_argument("--tree", action="store_true", help="also print pyinstrument's call tree")
    args = parser.parse_args(argv)
    ctx = c.make_context(args.data_folder, 1, args.quick)
    os.environ["PYLEAN_CACHE_DIR"] = str(ctx.warm_cache)
    try:
        algorithm, folder, params = target(args.name, ctx)
        print(f"profiling {algorithm} {c.describe(params)} ({args.tool})", flush=True)
        metrics = not args.no_metrics
        backtest(algorithm, folder, params, ctx.work, metrics)  # fills the cache; not profiled
        if args.tool == "tracemalloc":
            tracemalloc_report(algorithm, folder, params, ctx.work, metrics, args.top)
        elif args.tool == "cprofile":
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            backtest(algorithm, folder, params, ctx.work, metrics)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(args.top)
        else:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
            backtest(algorithm, folder, params, ctx.work, metrics)
            profiler.stop()
            pyinstrument_report(profiler.last_session, args.top)
            if args.tree:
                print(profiler.output_text(unicode=False, color=False, show_all=False))
    finally:
        import shutil

        shutil.rmtree(ctx.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
