"""The nightly options of tools/perf_harness.py: `--nightly`, `--refresh-perf-baseline`, `--trend`."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from zacperf.nightly.runner import DEFAULT_REPEATS, NIGHTLY_SET


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("nightly perf job (docs/performance-runbook.md, 'Nightly job')")
    group.add_argument("--nightly", action="store_true",
                       help="run the nightly set with calibration and gate it against this machine's perf baselines")
    group.add_argument("--refresh-perf-baseline", action="store_true",
                       help="measure the nightly set and store it as this machine's perf baselines")
    group.add_argument("--if-missing", action="store_true",
                       help="with --refresh-perf-baseline: only scenarios without a baseline on this machine")
    group.add_argument("--trend", action="store_true", help="only re-render the trend page from the history")
    group.add_argument("--scenarios", help=f"comma-separated nightly set (default: {','.join(NIGHTLY_SET)})")
    group.add_argument("--factor", type=float, default=1.05,
                       help="time-loop floor ratio beyond which tonight is slower (1.05)")
    group.add_argument("--process-factor", type=float, default=1.10,
                       help="engine-process floor ratio (start-up and imports included) beyond which it is slower (1.10)")
    group.add_argument("--nightly-dir", help="perf baselines, history and trend page "
                                             "(default: $ZACPERF_NIGHTLY_DIR or ~/.cache/zacperf/nightly)")


def dispatch(args: Any, command_line: str) -> int | None:
    """The exit code when a nightly option was given, else None (the harness goes on)."""
    if not (args.nightly or args.refresh_perf_baseline or args.trend):
        return None
    import sys

    from zacperf.exit_codes import ExitCode
    if sum(map(bool, (args.nightly, args.refresh_perf_baseline, args.trend))) > 1:
        print("perf_harness: error: give one of --nightly, --refresh-perf-baseline, --trend", file=sys.stderr)
        return ExitCode.BAD_INPUT
    if args.scenario or args.update_baseline:
        print("perf_harness: error: use --scenarios with the nightly options (--scenario and --update-baseline "
              "are for single runs)", file=sys.stderr)
        return ExitCode.BAD_INPUT
    home = Path(args.nightly_dir).expanduser().resolve() if args.nightly_dir else None
    if args.trend:
        from zacperf.nightly import history, trend
        from zacperf.nightly.machine import machine_fingerprint, nightly_home
        root = home or nightly_home()
        page = trend.render(history.read_history(history.history_path(root)), root / "trend", machine_fingerprint())
        print(f"trend page: {page}")
        return ExitCode.OK
    from zacperf.nightly.runner import NightlyOptions, run_nightly
    scenarios = [s.strip() for s in (args.scenarios or ",".join(NIGHTLY_SET)).split(",") if s.strip()]
    return run_nightly(NightlyOptions(
        scenarios=scenarios, repeats=args.repeat or DEFAULT_REPEATS, factor=args.factor,
        process_factor=args.process_factor,
        record_baseline=args.refresh_perf_baseline, if_missing=args.if_missing, feature=args.feature, home=home,
        progress=not args.no_progress, command_line=command_line))
