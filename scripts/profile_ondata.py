#!/usr/bin/env python3
"""Profile a Lean algorithm on pylean: where each microsecond of a time step goes, engine vs algorithm, line by line.

    python scripts/profile_ondata.py --scenario smoke
    python scripts/profile_ondata.py --scenario smoke --perf-opt on --tool line --top 10
    python scripts/profile_ondata.py --project ~/MyLeanProject --parameter fast 1 --tool tree --days 2

Writes a run folder (tasks/<feature>/runs/<UTC id>/profile-report.md and the profilers' files).
Exit codes (README "Exit codes"): 0 done, 2 bad input (one line on stderr), 3 the algorithm raised,
5 a fault inside pylean or zacperf, 130 interrupted. The logic lives in zacperf.profiling.session.
"""
from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zacperf.errors import sigterm_raises
from zacperf.exit_codes import ExitCode, report
from zacperf.profiling.session import DEFAULT_DEPTH, TOOLS, ProfileOptions, run_profile


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(ExitCode.BAD_INPUT, f"profile_ondata: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="profile_ondata", description=__doc__.split("\n\n")[0],
                formatter_class=argparse.RawDescriptionHelpFormatter)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--scenario", help="scenario name (tools/scenarios/<name>.toml) or path to a .toml file")
    what.add_argument("--project", help="any Lean project folder (with main.py), inside the repository or not")
    p.add_argument("--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="set one algorithm parameter (repeatable)")
    p.add_argument("--tool", choices=TOOLS, default="both",
                   help="line (line_profiler), tree (pyinstrument call tree), both (default), or sample "
                        "(py-spy when installed, else pyinstrument's sampler: for long runs)")
    p.add_argument("--functions", nargs="+", default=[], metavar="MOD:FUNC",
                   help="line-profile only these (e.g. main:MyAlgorithm.on_data core.symbol_manager:SymbolManager)")
    p.add_argument("--depth", type=int, default=DEFAULT_DEPTH,
                   help=f"line-profile the functions within this many calls of a callback (default {DEFAULT_DEPTH})")
    p.add_argument("--perf-opt", choices=("on", "off"), help="set the enable_perf_opt parameter")
    p.add_argument("--days", type=int, help="profile only the first N trading days")
    p.add_argument("--top", type=int, default=20, help="lines in the summary (default 20)")
    p.add_argument("--data-folder", help="Lean data folder for --project (default: $LEAN_DATA_FOLDER, then lean.json)")
    p.add_argument("--feature", help="feature pack under tasks/ for the run folder (default: perf-runs)")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    try:
        with sigterm_raises():
            return run_profile(ProfileOptions(
                scenario=args.scenario, project=args.project, parameters=[(n, v) for n, v in args.parameter],
                tool=args.tool, functions=args.functions, depth=args.depth, perf_opt=args.perf_opt, days=args.days,
                top=args.top, data_folder=args.data_folder, feature=args.feature,
                command_line="python scripts/profile_ondata.py " + " ".join(shlex.quote(a) for a in argv)))
    except (Exception, KeyboardInterrupt) as exc:  # every ending maps to one documented exit code
        return report(exc, "profile_ondata")


if __name__ == "__main__":
    sys.exit(main())
