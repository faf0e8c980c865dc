"""Run every pylean benchmark, print one table, exit 1 when a target is missed.

    python benchmarks/run_all.py [--quick] [--repeat 5] [--only NAME[,NAME]] [--json FILE]
    python benchmarks/run_all.py --against REV [--quick] [--only ...] [--json FILE]   # today's pylean vs REV's

Each engine figure is the median of --repeat fresh `python -m pylean backtest --metrics-json`
processes (5 by default, 3 with --quick) with the Python floor measured in the same run; see
benchmarks/README.md for what each benchmark divides by what. Exit status: 0 all targets met,
1 a target missed or a benchmark failed to run, 2 bad arguments (an unknown REV included).
With --against REV (benchmarks/against.py) the engine benchmarks run on today's pylean and on REV's,
interleaved, and the table shows both medians and the speed-up (> 1 = today faster); exit 1 only when
today's side could not run a benchmark.
"""
from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import against
from benchmarks import common as c

# run order: the cheap, target-bearing ones first; names are the module names without "bench_"
BENCHMARKS = ("startup", "empty", "read_bars", "data_cache", "scaling", "memory", "set_holdings", "orders",
              "result_writing", "consolidators", "zacqc")


def select(only: list[str] | None, available: tuple[str, ...] = BENCHMARKS) -> list[str]:
    """The benchmarks named by --only (all of `available` when None), in run order; ValueError for unknown names."""
    if not only:
        return list(available)
    wanted = [name.strip() for item in only for name in item.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise ValueError(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(available)}")
    return [name for name in available if name in wanted]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    c.add_common_arguments(parser)
    parser.add_argument("--only", action="append", metavar="NAME",
                        help=f"run only these benchmarks (repeatable or comma-separated): {', '.join(BENCHMARKS)}")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--against", metavar="REV", help="compare today's pylean with REV's (a commit, tag or branch), "
                        f"interleaved in one run: {', '.join(against.BENCHMARKS)}")
    args = parser.parse_args(argv)
    if args.list:
        for name in BENCHMARKS:
            doc = (importlib.import_module(f"benchmarks.bench_{name}").__doc__ or "").strip().splitlines()
            print(f"{name:<14} {doc[0] if doc else ''}")
        return 0
    if args.against is not None:
        return run_against(parser, args)
    try:
        names = select(args.only)
    except ValueError as exc:
        parser.error(str(exc))  # exit status 2
    ctx = c.make_context(args.data_folder, args.repeat, args.quick, args.verbose)
    started, t0 = datetime.now(timezone.utc), time.perf_counter()
    print(f"pylean benchmarks ({'quick' if ctx.quick else 'full'} mode, median of {ctx.repeat}), "
          f"commit {c.git_info()['commit'][:12] or '?'}, data {ctx.data_folder}", flush=True)
    results: list[c.Result] = []
    try:
        for name in names:
            module = importlib.import_module(f"benchmarks.bench_{name}")
            ctx.log(f"== {name}")
            t_bench = time.perf_counter()
            try:
                results.extend(module.run(ctx))
            except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others
                traceback.print_exc()
                results.append(c.Result(name, f"{name} (did not run)", None, "", "runs", False,
                                        details={"error": f"{type(exc).__name__}: {exc}"}))
            ctx.log(f"== {name} done in {time.perf_counter() - t_bench:.0f} s")
    finally:
        shutil.rmtree(ctx.work, ignore_errors=True)
    seconds = time.perf_counter() - t0
    print()
    c.print_table(results)
    missed = [r.name for r in results if r.passed is False]
    print(f"\n{len(results)} figures, {sum(r.passed is True for r in results)} targets met, {len(missed)} missed"
          f"{' (' + ', '.join(missed) + ')' if missed else ''}; {seconds:.0f} s"
          + ("; --quick: fewer repeats and smaller runs, expect more noise" if ctx.quick else ""))
    if args.json:
        c.save_json(args.json, ctx, results, started, seconds)
        print(f"results saved to {args.json}")
    return 1 if missed else 0


def run_against(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """--against REV: validate REV (one line, exit 2), then benchmarks/against.py; Ctrl-C exits 130."""
    from zacperf.errors import sigterm_raises
    from zacperf.revision import RevisionError, resolve

    try:
        names = select(args.only, against.BENCHMARKS)
        resolve(args.against)
    except (ValueError, RevisionError) as exc:
        parser.exit(2, f"run_all.py: error: --against: {exc}\n")
    ctx = c.make_context(args.data_folder, args.repeat, args.quick, args.verbose)
    try:
        with sigterm_raises():  # SIGTERM unwinds like Ctrl-C, so the temporary worktree is removed
            return against.run(args.against, names, ctx, json_path=args.json)
    except KeyboardInterrupt as exc:
        print(f"run_all.py: {str(exc) or 'interrupted by SIGINT'}; the temporary worktree was removed", file=sys.stderr)
        return 130
    except (c.BenchmarkError, RevisionError) as exc:
        print(f"run_all.py: error: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
