"""Cost of ZacQC's `@timed` stage decorator: no decorator vs instrumentation off vs instrumentation on.

A plain script, not a pytest test:  python tests/zacqc/bench_decorators.py [--calls N]
Prints nanoseconds per call of a near-empty method for each variant, the median of 5 runs.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from time import perf_counter_ns
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "ZacQC"))

from core.utils import PerfRecorder, timed  # noqa: E402

RUNS = 5


class Plain:
    def stage(self, x: int) -> int:
        return x + 1


class Marked:
    @timed("metrics")
    def stage(self, x: int) -> int:
        return x + 1


def per_call_ns(call: Callable[[int], int], calls: int) -> float:
    start = perf_counter_ns()
    for i in range(calls):
        call(i)
    return (perf_counter_ns() - start) / calls


def median_ns(make: Callable[[], Callable[[int], int]], calls: int) -> float:
    runs = []
    for _ in range(RUNS):
        call = make()
        per_call_ns(call, calls // 10)  # warm-up
        runs.append(per_call_ns(call, calls))
    return statistics.median(runs)


def instrumented() -> Callable[[int], int]:
    component = Marked()
    PerfRecorder(["BENCH"]).instrument(component, "BENCH")
    return component.stage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    calls = parser.parse_args().calls
    variants = {
        "no decorator": lambda: Plain().stage,
        "instrumentation off": lambda: Marked().stage,
        "instrumentation on": instrumented,
    }
    results = {name: median_ns(make, calls) for name, make in variants.items()}
    base = results["no decorator"]
    print(f"{'variant':<22}{'ns/call':>10}{'overhead ns':>14}   (median of {RUNS} runs x {calls:,} calls)")
    for name, ns in results.items():
        print(f"{name:<22}{ns:>10.1f}{ns - base:>14.1f}")


if __name__ == "__main__":
    main()
