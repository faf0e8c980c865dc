#!/usr/bin/env python3
"""Run a scenario N times (cold and warm data cache, PYTHONHASHSEED 0 and 1) and prove the normalized order
events and statistics byte-identical.

    python scripts/check_determinism.py --scenario smoke            # 5 runs
    python scripts/check_determinism.py --scenario reference --runs 5

Exit codes (README "Exit codes"): 0 identical, 1 the runs disagree, 2 bad input, 3 the algorithm raised,
5 a fault inside pylean or zacperf, 130 interrupted. The logic lives in zacperf.determinism.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zacperf.errors import sigterm_raises
from zacperf.exit_codes import ExitCode, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="check_determinism", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", required=True, help="scenario name or .toml path")
    parser.add_argument("--runs", type=int, default=5, help="runs (default 5)")
    args = parser.parse_args(argv)
    try:
        with sigterm_raises():
            from zacperf.determinism import check

            result = check(args.scenario, args.runs, progress=lambda line: print(line, file=sys.stderr))
    except (Exception, KeyboardInterrupt) as exc:  # every ending maps to one documented exit code
        return report(exc, "check_determinism")
    print("\n".join(result.lines()))
    return ExitCode.OK if result.identical else ExitCode.DIVERGENT


if __name__ == "__main__":
    sys.exit(main())
