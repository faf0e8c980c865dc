"""`python -m pylean.conformance`: Lean's own regression suite as pylean's conformance target.

Exit status: 0 when every selected class reaches its minimum match fraction, 1 when one does not,
2 on bad input (no Lean checkout, unreadable class lists, bad option values).
"""
from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from pylean.conformance.checkout import CLASS_KEYS, CheckoutError, LeanCheckout, load_classes
from pylean.conformance.report import class_rows, commonest_causes, format_report, write_json
from pylean.conformance.runner import AlgorithmResult, RunSettings, run_all
from pylean.lean_framework import LEAN_ROOT_ENV

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CLASSES = "conformance/lean-24863901-classes.json"
THRESHOLD_CLASS = {"min_equity": "us-equity", "min_universe": "universe"}


class UsageError(ValueError):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pylean.conformance",
                                     description="Run Lean's Python regression algorithms on pylean and compare "
                                                 "them with Lean's expected statistics.")
    parser.add_argument("--lean-root", help=f"a Lean checkout (default: ${LEAN_ROOT_ENV})")
    parser.add_argument("--data-folder", help="Lean data folder (default: <lean-root>/Data)")
    parser.add_argument("--class", dest="selection", choices=sorted(CLASS_KEYS), default="all",
                        help="which class list to run (default: all)")
    parser.add_argument("--classes", help="the class lists file (default: ../shared/" + DEFAULT_CLASSES + ")")
    parser.add_argument("--jobs", type=int, default=1, help="algorithms run at a time (default: 1)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per algorithm (default: 600)")
    parser.add_argument("--json", help="also write every result to this file")
    parser.add_argument("--min-equity", type=float, default=0.0, help="minimum match fraction of us-equity")
    parser.add_argument("--min-universe", type=float, default=0.0, help="minimum match fraction of universe")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only this algorithm of the selection (repeatable)")
    return parser


def _classes_file(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    shared = Path(os.environ.get("ZACPERF_SHARED_DIR", REPO_ROOT.parent / "shared"))
    return (shared / DEFAULT_CLASSES).resolve()


def _validate(args: argparse.Namespace) -> tuple[LeanCheckout, Path]:
    root = args.lean_root or os.environ.get(LEAN_ROOT_ENV)
    if not root:
        raise UsageError(f"no Lean checkout: pass --lean-root DIR or set {LEAN_ROOT_ENV}")
    checkout = LeanCheckout.open(Path(root))
    data_folder = Path(args.data_folder).expanduser().resolve() if args.data_folder else checkout.data_folder
    if not (data_folder / "market-hours" / "market-hours-database.json").is_file():
        raise UsageError(f"not a Lean data folder (no market-hours database): {data_folder}")
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    for option in ("min_equity", "min_universe"):
        if not 0.0 <= getattr(args, option) <= 1.0:
            raise UsageError(f"--{option.replace('_', '-')} must be a fraction between 0 and 1")
    return checkout, data_folder


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        checkout, data_folder = _validate(args)
        chosen = load_classes(_classes_file(args.classes), args.selection)
        if args.only:
            unknown = sorted(set(args.only) - {name for name, _ in chosen})
            if unknown:
                raise UsageError(f"not in the {args.selection} selection: {', '.join(unknown)}")
            chosen = [(name, klass) for name, klass in chosen if name in args.only]
        settings = RunSettings(data_folder, checkout.root, checkout.launcher_parameters(), args.timeout)
    except (UsageError, CheckoutError) as exc:
        print(f"pylean.conformance: error: {exc}", file=sys.stderr)
        return 2
    started = datetime.now(timezone.utc)
    total = len(chosen)
    done = 0

    def progress(result: AlgorithmResult) -> None:
        nonlocal done
        done += 1
        note = f": {result.cause}" if result.cause else (f" ({len(result.differences)} checks)"
                                                          if result.differences else "")
        print(f"[{done}/{total}] {result.name} {result.outcome}{note} ({result.seconds:.1f} s)",
              file=sys.stderr, flush=True)

    results = run_all((checkout.algorithm(name, klass) for name, klass in chosen), settings, args.jobs, progress)
    print(format_report(results))
    rows = class_rows(results)
    if args.json:
        write_json(Path(args.json), {
            "lean_root": str(checkout.root), "data_folder": str(data_folder), "selection": args.selection,
            "jobs": args.jobs, "timeout_s": args.timeout, "parameters": settings.parameters,
            "started_utc": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "finished_utc": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "classes": rows, "commonest_error_causes": [{"cause": c, "count": n}
                                                        for c, n in commonest_causes(results, top=25)],
            "algorithms": [r.to_json() for r in results],
        })
    return 1 if below_thresholds(rows, {THRESHOLD_CLASS[k]: getattr(args, k) for k in THRESHOLD_CLASS}) else 0


def below_thresholds(rows: list[dict[str, object]], minimums: dict[str, float]) -> list[str]:
    """The classes whose match rate is under their minimum (only classes that ran)."""
    failing = []
    for row in rows:
        minimum = minimums.get(str(row["class"]))
        rate = float(row["match rate"])  # type: ignore[arg-type]
        if minimum is not None and rate < minimum:
            failing.append(f"{row['class']}: {rate:.1%} < {minimum:.1%}")
            print(f"below the minimum: {failing[-1]}", file=sys.stderr)
    return failing
