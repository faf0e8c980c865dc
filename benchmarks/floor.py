"""The Python floor: the least a pure-Python engine must spend per data point.

A tight loop over `points` iterations that builds one small object (a __slots__ bar with 6
fields) and calls one method on it. Engine throughputs are divided by this rate, measured on the
same machine in the same benchmark run (one fresh process per repeat, interleaved with the engine
runs), so the ratios say how close the engine is to what Python itself allows.

    python benchmarks/floor.py --points 2808001      # prints the loop's seconds
"""
from __future__ import annotations

import argparse
import sys
import time


class FloorBar:
    __slots__ = ("time", "symbol", "open", "high", "low", "close")

    def __init__(self, time: int, symbol: str, open: float, high: float, low: float, close: float) -> None:
        self.time = time
        self.symbol = symbol
        self.open = open
        self.high = high
        self.low = low
        self.close = close

    def value(self) -> float:
        return self.close


def floor_loop(points: int) -> float:
    """Seconds for `points` iterations of: build a FloorBar, call its method."""
    symbol, o, h, low, c = "AAPL", 101.25, 101.5, 101.0, 101.375
    clock = time.perf_counter
    start = clock()
    for t in range(points):
        FloorBar(t, symbol, o, h, low, c).value()
    return clock() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the Python floor loop once.")
    parser.add_argument("--points", type=int, required=True)
    args = parser.parse_args(argv)
    print(f"{floor_loop(args.points):.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
