"""Determinism: `smoke` five times (cold and warm cache, PYTHONHASHSEED 0 and 1) gives byte-identical
normalized order events and statistics. `reference` (about a minute a run) is checked with
scripts/check_determinism.py outside CI; see README "Reliability"."""
from __future__ import annotations

import subprocess
import sys

from rel_support import REPO, subprocess_env

from zacperf.determinism import check


def test_smoke_five_times_is_byte_identical() -> None:
    report = check("smoke", runs=5)
    assert [(r.hash_seed, r.cache) for r in report.runs] == [(0, "cold"), (1, "warm"), (0, "warm"), (1, "cold"),
                                                            (0, "warm")]
    assert report.identical, "\n".join(report.lines())
    assert report.runs[0].order_events > 0          # there are trades to compare


def test_the_script_reports_and_exits_by_the_table() -> None:
    done = subprocess.run([sys.executable, "scripts/check_determinism.py", "--scenario", "no-such", "--runs", "2"],
                          cwd=REPO, env=subprocess_env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.startswith("check_determinism: error: unknown scenario 'no-such'")
    assert done.stderr.count("\n") == 1
