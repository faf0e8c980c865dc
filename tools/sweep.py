#!/usr/bin/env python3
"""Parameter sweep over a Lean project, like `lean optimize`: grid or random search, a target statistic,
constraints, results as a table, CSV and heat map; locally or on a Dask cluster.

    python tools/sweep.py --scenario smoke --param Parameter_4=6,8,10 --param cash_pct=40:80:20 \\
        --target "Net Profit" --constraint "Drawdown < 5" --jobs 2
    python tools/sweep.py --project ZacQC --param C3=true,false --compare-flag enable_perf_opt
    python tools/sweep.py --scenario smoke --param Parameter_4=6:12:1 --dask-scheduler tcp://10.0.0.5:8786

Exit codes (README "Exit codes"): 0 done, 1 flag parity failed at a point, 2 bad input, 3 the algorithm
raised at a point, 5 an engine run failed, 130 interrupted. The logic lives in zacperf.sweep; this script
only parses arguments.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zacperf.errors import sigterm_raises
from zacperf.exit_codes import ExitCode, report


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(ExitCode.BAD_INPUT, f"sweep: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="sweep", description=__doc__.split("\n\n")[0],
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scenario", help="harness scenario (tools/scenarios/<name>.toml, a matrix cell or a .toml path)")
    p.add_argument("--project", help="or any Lean project folder (data: --data-folder, $LEAN_DATA_FOLDER, lean.json)")
    p.add_argument("--data-folder", help="with --project: the Lean data folder")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUES",
                   help="swept parameter: NAME=v1,v2,v3 or NAME=lo:hi:step (repeatable)")
    p.add_argument("--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="fixed parameter on every point (repeatable)")
    p.add_argument("--strategy", choices=("grid", "random"), default="grid")
    p.add_argument("--samples", type=int, default=20, help="random: number of points (default 20)")
    p.add_argument("--seed", type=int, default=0, help="random: seed (default 0)")
    p.add_argument("--target", default="Sharpe Ratio", help="statistic to optimize (default: Sharpe Ratio)")
    p.add_argument("--minimize", action="store_true", help="minimize the target (default: maximize)")
    p.add_argument("--constraint", action="append", default=[], help='e.g. "Drawdown < 5" (repeatable)')
    p.add_argument("--compare-flag", nargs="?", const="enable_perf_opt", metavar="FLAG",
                   help="run FLAG (default enable_perf_opt) off and on at every point and prove the trades identical")
    p.add_argument("--jobs", type=int, default=1, help="points at once, capped at the cores (default 1)")
    p.add_argument("--dask-scheduler", metavar="tcp://HOST:PORT", help="run the points on a Dask cluster")
    p.add_argument("--feature", help="feature pack under tasks/ for the sweep folder (default: sweeps)")
    p.add_argument("--timeout", type=float, default=3600.0, help="seconds per engine run")
    p.add_argument("--no-plots", action="store_true")
    p.add_argument("--no-progress", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        with sigterm_raises():
            return _run(args)
    except (Exception, KeyboardInterrupt) as exc:  # every ending maps to one documented exit code
        return report(exc, "sweep")


def _run(args: argparse.Namespace) -> int:
    from zacperf.sweep.report import table_lines
    from zacperf.sweep.run import SweepOptions, run_sweep
    result = run_sweep(SweepOptions(
        params=args.param, scenario=args.scenario, project=args.project, data_folder=args.data_folder,
        fixed=[(n, v) for n, v in args.parameter], strategy=args.strategy, samples=args.samples,
        seed=args.seed, target=args.target, minimize=args.minimize, constraints=args.constraint,
        compare_flag=args.compare_flag, jobs=args.jobs, dask_scheduler=args.dask_scheduler,
        feature=args.feature, timeout_s=args.timeout, progress=not args.no_progress, plots=not args.no_plots))
    print("\n".join(table_lines(result.points, args.target, args.minimize)))
    best = result.best
    print("best: " + (", ".join(f"{k}={v}" for k, v in best["point"].items()) + f" -> {args.target} {best['target']:g}"
                      if best else "no point satisfies the constraints"))
    print(f"sweep folder: {result.folder} (results.csv, heatmap.png, sweep-report.md)")
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
