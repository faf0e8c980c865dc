"""`python -m pylean backtest ...`: argument parsing only (Launcher/Program.cs, lean-cli's `lean backtest`)."""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path

from pylean.exit_codes import ExitCode
from pylean.failures import signals_raise
from pylean.launcher import BacktestError, BacktestOptions, project_parameters, run_backtest
from pylean.lean_framework import LEAN_ROOT_ENV, LeanRootError, resolve_lean_root

HELP_PARAMETER = ("set an algorithm parameter (repeatable). Values are MERGED over the project's config.json "
                  "\"parameters\"; note that the Lean CLI's --parameter REPLACES the whole set instead.")


def _find_lean_json(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        candidate = folder / "lean.json"
        if candidate.is_file():
            return candidate
    return None


def resolve_data_folder(explicit: str | None, project: Path) -> Path:
    """--data-folder, else $LEAN_DATA_FOLDER, else the data-folder of the nearest lean.json above the project."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("LEAN_DATA_FOLDER")
    if env:
        return Path(env).expanduser().resolve()
    lean_json = _find_lean_json(project.resolve())
    if lean_json is None:
        raise BacktestError("no data folder: pass --data-folder, set LEAN_DATA_FOLDER or add a lean.json")
    try:
        config = json.loads(_strip_comments(lean_json.read_text()))
    except json.JSONDecodeError as exc:
        raise BacktestError(f"{lean_json}: invalid JSON ({exc.msg} at line {exc.lineno})") from exc
    folder = config.get("data-folder") if isinstance(config, dict) else None
    if not isinstance(folder, str) or not folder:
        raise BacktestError(f"{lean_json}: no \"data-folder\" entry")
    return (lean_json.parent / folder).resolve()


def _strip_comments(text: str) -> str:
    """lean.json allows // comments (the Lean CLI reads it leniently)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pylean", description="Run Lean Python algorithms in-process.")
    commands = parser.add_subparsers(dest="command", required=True)
    backtest = commands.add_parser("backtest", help="backtest a project folder or an algorithm .py file")
    backtest.add_argument("project", help="project directory (with main.py) or algorithm file")
    backtest.add_argument("--data-folder", help="Lean data folder (default: $LEAN_DATA_FOLDER, then lean.json)")
    backtest.add_argument("--output", help="result folder (default: <project>/backtests/<UTC yyyy-MM-dd_HH-mm-ss>)")
    backtest.add_argument("--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                          help=HELP_PARAMETER)
    backtest.add_argument("--algorithm-id", help="result file prefix (default: the algorithm's class name)")
    backtest.add_argument("--metrics-json", help="also write run metrics (phases, OnData latency, peak RSS) here")
    backtest.add_argument("--lean-root", help=f"a Lean checkout: import Lean's Python framework modules (Alphas, "
                                              f"Portfolio, Execution, Risk, Selection) from it (default: ${LEAN_ROOT_ENV})")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Exit codes (pylean/exit_codes.py, README "Exit codes"): 0 completed, 2 bad input, 3 the algorithm
    raised, 5 a fault inside pylean, 130 SIGINT/SIGTERM. Every failure prints one line on stderr."""
    args = build_parser().parse_args(argv)
    target = Path(args.project)
    project_dir = target if target.is_dir() else target.parent
    with interrupts_raised():
        try:
            data_folder = resolve_data_folder(args.data_folder, project_dir)
            parameters = project_parameters(project_dir)
            parameters.update({name: value for name, value in args.parameter})
            stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d_%H-%M-%S")
            output = Path(args.output) if args.output else project_dir / "backtests" / stamp
            metrics = Path(args.metrics_json) if args.metrics_json else None
            lean_root = resolve_lean_root(args.lean_root)
            outcome = run_backtest(BacktestOptions(target, data_folder, output, parameters, args.algorithm_id, metrics,
                                                   lean_root=lean_root))
        except (BacktestError, LeanRootError) as exc:
            print(f"pylean: error: {exc}", file=sys.stderr)
            return ExitCode.BAD_INPUT
        except KeyboardInterrupt as exc:  # before the run started: nothing was written
            print(f"pylean: interrupted by {getattr(exc, 'signal_name', 'SIGINT')} before the run started",
                  file=sys.stderr)
            return ExitCode.INTERRUPTED
        except Exception as exc:  # noqa: BLE001 - a fault inside pylean outside the run itself
            traceback.print_exc()
            print(f"pylean: error: internal error in pylean: {type(exc).__name__}: {' '.join(str(exc).split())} "
                  "(a bug, please report it)", file=sys.stderr)
            return ExitCode.ENGINE_FAULT
    print(f"{outcome.status}: {outcome.algorithm_id} ({outcome.data_points:,} data points in "
          f"{outcome.seconds:.2f} s) -> {outcome.output}")
    if outcome.failure is not None:
        prefix = "" if outcome.failure.exit_code == ExitCode.INTERRUPTED else "error: "
        print(f"pylean: {prefix}{outcome.failure.line}", file=sys.stderr)
    return outcome.exit_code


interrupts_raised = signals_raise   # SIGINT and SIGTERM raise Interrupted: the run ends Stopped
