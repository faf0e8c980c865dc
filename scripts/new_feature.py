#!/usr/bin/env python3
"""Create a feature pack: `python scripts/new_feature.py "Speed up the rally detector"`.

Writes tasks/<slug>-<UTC>/ in the planning template's layout (plan.md with its sections,
decision-log.md, referenced-expertise.md, references/, proposals/expert-additions.md, runs/,
benchmarks/, patches/, artifacts/) and prints its path. Run the harness into it with
`python tools/perf_harness.py --scenario smoke --feature <slug>`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zacperf.errors import ZacperfError
from zacperf.feature_pack import create_pack
from zacperf.runs import tasks_root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="new_feature", description=__doc__.split("\n\n")[0])
    parser.add_argument("title", help="the feature's title (the folder name is its slug plus the UTC time)")
    args = parser.parse_args(argv)
    try:
        folder = create_pack(args.title, root=tasks_root())
    except ZacperfError as exc:
        print(f"new_feature: error: {exc}", file=sys.stderr)
        return 2
    print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
