#!/usr/bin/env python3
"""Acceptance run of the nightly gate: an injected slowdown is flagged, unchanged code raises no alarm.

    python benchmarks/nightly_acceptance.py [--scenarios smoke,scale/s1-d5] [--unchanged 5] [--slowdown 0.10]

1. records this machine's perf baselines (`--refresh-perf-baseline`) in a nightly folder of its own;
2. runs one nightly with the slowdown knob set (benchmarks/nightly_slowdown/sitecustomize.py: every
   pylean time-loop block busy-waits `--slowdown` of its own duration) and expects exit 4;
3. runs `--unchanged` nightlies of the unchanged code and expects exit 0 from each;
then prints every run's ratio and p-value per scenario and metric, and how busy the machine was (calibration
median / fastest piece; above 1.15 a night judges no time). Exit 0 when all expectations hold on quiet nights.
Not part of pytest or .ci/run: it takes minutes and measures this machine.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KNOB_DIR = Path(__file__).resolve().parent / "nightly_slowdown"


def nightly(args: argparse.Namespace, mode: str, slowdown: float = 0.0) -> int:
    env = dict(os.environ)
    env.pop("ZACPERF_ACCEPTANCE_SLOWDOWN", None)
    if slowdown:
        env["ZACPERF_ACCEPTANCE_SLOWDOWN"] = str(slowdown)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(KNOB_DIR), env.get("PYTHONPATH", "")) if p)
    command = [sys.executable, str(REPO / "tools" / "perf_harness.py"), mode, "--scenarios", args.scenarios,
               "--nightly-dir", str(args.nightly_dir), "--feature", args.feature, "--no-progress",
               "--repeat", str(args.repeat)]
    print("$ " + ("ZACPERF_ACCEPTANCE_SLOWDOWN=%s " % slowdown if slowdown else "") + " ".join(command[1:]),
          flush=True)
    return subprocess.run(command, cwd=REPO, env=env, check=False).returncode


def last_entries(folder: Path, count: int) -> list[dict]:
    lines = (folder / "history.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines[-count:]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", default="smoke,scale/s1-d5,scale/s4-d1")
    parser.add_argument("--unchanged", type=int, default=5)
    parser.add_argument("--slowdown", type=float, default=0.10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--nightly-dir", type=Path,
                        default=Path(os.environ.get("ZACPERF_DATA_DIR", Path.home() / ".cache" / "zacperf"))
                        / "nightly-acceptance")
    parser.add_argument("--feature", default="nightly-acceptance")
    parser.add_argument("--skip-baseline", action="store_true", help="reuse the baselines already in --nightly-dir")
    args = parser.parse_args()
    n_scen = len([s for s in args.scenarios.split(",") if s.strip()])
    if not args.skip_baseline and nightly(args, "--refresh-perf-baseline") != 0:
        print("acceptance: could not record the perf baselines", file=sys.stderr)
        return 1
    results = []       # (label, expected, got, entries)
    code = nightly(args, "--nightly", args.slowdown)
    results.append((f"injected +{args.slowdown:.0%}", 4, code, last_entries(args.nightly_dir, n_scen)))
    for i in range(1, args.unchanged + 1):
        code = nightly(args, "--nightly")
        results.append((f"unchanged {i}", 0, code, last_entries(args.nightly_dir, n_scen)))
    print("\n| run | expected exit | exit | busy | scenario | metric | ratio | p-value | verdict |")
    print("|---|---:|---:|---:|---|---|---:|---:|---|")
    ok, busy_nights = True, 0
    for label, expected, got, entries in results:
        ok &= expected == got
        busy = max(((e.get("calibration") or {}).get("busy") or 0.0) for e in entries) if entries else 0.0
        busy_nights += any(g.get("verdict") == "busy" for e in entries for g in e.get("gate") or [])
        for entry in entries:
            for gate in entry.get("gate") or []:
                ratio = f"{gate['ratio']:.3f}" if gate.get("ratio") is not None else "n/a"
                p = f"{gate['p_value']:.4f}" if gate.get("p_value") is not None else "n/a"
                print(f"| {label} | {expected} | {got} | {busy:.2f} | {entry['scenario']} | {gate['metric']} | {ratio} | "
                      f"{p} | {gate['verdict']} |")
    verdict = "PASS" if ok and not busy_nights else ("INCONCLUSIVE" if ok or busy_nights else "FAIL")
    if busy_nights:
        print(f"\n{busy_nights} night(s) were busy (time not judged): run again on a quiet machine")
    print(f"\nacceptance: {verdict}; trend page {args.nightly_dir / 'trend' / 'index.html'}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
