#!/usr/bin/env python3
"""Run a scenario, measure it, and prove its trades did not change.

    python tools/perf_harness.py --scenario reference
    python tools/perf_harness.py --list-scenarios

Exit codes (README "Exit codes", zacperf/exit_codes.py): 0 identical, 1 divergent, 2 bad input (one
line on stderr), 3 the algorithm raised, 4 slower than the perf baseline (--check-regression),
5 a fault inside pylean or zacperf, 130 interrupted (SIGINT/SIGTERM; the run folder is marked Stopped).
The logic lives in zacperf (zacperf.harness.run_harness); this script only parses arguments.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zacperf.backends import BACKENDS
from zacperf.errors import ZacperfError, sigterm_raises
from zacperf.exit_codes import ExitCode, report
from zacperf.nightly import cli as nightly_cli


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(ExitCode.BAD_INPUT, f"perf_harness: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="perf_harness", description=__doc__.split("\n\n")[0],
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scenario", help="scenario name (tools/scenarios/<name>.toml), matrix variant (scale/s4-d5) "
                                      "or path to a .toml file")
    p.add_argument("--list-scenarios", action="store_true", help="list the scenarios and exit")
    p.add_argument("--backend", choices=BACKENDS, default="pylean", help="engine (default: pylean)")
    p.add_argument("--repeat", type=int, help="measured runs (default: the scenario's measure.repeats)")
    p.add_argument("--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="override one of the scenario's algorithm parameters (repeatable, type-checked)")
    p.add_argument("--json", action="store_true", help="print only JSON on stdout (metrics and the parity verdict)")
    p.add_argument("--emit-metrics", action="append", default=[], metavar="TARGET",
                   help="csv (feature benchmarks/metrics.csv), csv:PATH or statsd://host:port (repeatable)")
    p.add_argument("--feature", help="feature pack under tasks/ for the run folder (default: perf-runs)")
    p.add_argument("--update-baseline", action="store_true", help="record this run as the golden baseline")
    p.add_argument("--reason", help="why the baseline changes (required with --update-baseline)")
    p.add_argument("--allow-data-change", action="store_true",
                   help="with --update-baseline: accept a baseline recorded on other data")
    p.add_argument("--check-regression", action="store_true", help="also fail (exit 1) when slower than the stored "
                                                                     "perf baseline")
    p.add_argument("--compare-flag", action="store_true",
                   help="run enable_perf_opt off and on (interleaved) and report the paired speedup and parity")
    p.add_argument("--tolerance", type=float, default=0.0, help="relative tolerance for numbers (cross-engine "
                                                                "comparisons); default 0 = exact")
    p.add_argument("--no-compare", action="store_true", help="measure only; skip the golden comparison")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.add_argument("--jobs", type=int, default=1, help="with --scenario a,b,c: scenarios at once (capped at the "
                                                       "cores; default 1 = serial timing runs)")
    p.add_argument("--dask-scheduler", metavar="tcp://HOST:PORT", help="run a batch on a Dask cluster")
    nightly_cli.add_arguments(p)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    try:
        with sigterm_raises():
            return _run(args, argv)
    except (Exception, KeyboardInterrupt) as exc:  # every ending maps to one documented exit code
        return report(exc, "perf_harness")


def _run(args: argparse.Namespace, argv: list[str]) -> int:
    if args.list_scenarios:
        from zacperf.scenarios import describe_scenarios
        try:
            print("\n".join(describe_scenarios()))
        except ZacperfError as exc:
            return report(exc, "perf_harness")
        return 0
    nightly_code = nightly_cli.dispatch(args, " ".join(["python tools/perf_harness.py", *argv]))
    if nightly_code is not None:
        return nightly_code
    from zacperf import batch
    batch_code = batch.dispatch(args, argv)
    if batch_code is not None:
        return batch_code
    if not args.scenario:
        return report(ZacperfError("--scenario is required (see --list-scenarios)"), "perf_harness")
    from zacperf.harness import HarnessOptions, command_line, run_harness
    return run_harness(HarnessOptions(
        scenario=args.scenario, backend=args.backend, repeat=args.repeat,
        parameters=[(n, v) for n, v in args.parameter], json_output=args.json, emit=args.emit_metrics,
        feature=args.feature, update_baseline=args.update_baseline, reason=args.reason,
        allow_data_change=args.allow_data_change, check_regression=args.check_regression,
        compare_flag=args.compare_flag, tolerance=args.tolerance, no_compare=args.no_compare,
        plots=not args.no_plots, progress=not args.no_progress, command_line=command_line(argv)))


if __name__ == "__main__":
    sys.exit(main())
