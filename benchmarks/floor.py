"""The Python floor: the least a pure-Python engine must spend per data point.

Two loops over `points` iterations, each building one bar object and calling one method on it:

- strict: a __slots__ bar with 6 fields from constant values. The cheapest "bar object + one
  method call" Python allows; engine throughputs are divided by this rate ("vs floor").
- lean-bar (the read-bars target's floor): a __slots__ bar with the 8 fields an algorithm reads off
  a Lean TradeBar (time, end_time, symbol, OHLCV), each from the data point's own row, as an engine
  must build it.

Each runs in its own fresh process right after an engine run (interleaved, so both see the same
machine load), so the ratios say how close the engine is to what Python itself allows.

    python benchmarks/floor.py --points 2808001 [--loop strict|lean-bar]   # prints the loop's seconds
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta

LOOPS = ("strict", "lean-bar")


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


class LeanShapedBar:
    __slots__ = ("time", "end_time", "symbol", "open", "high", "low", "close", "volume")

    def __init__(self, time: datetime, end_time: datetime, symbol: str, open: float, high: float, low: float,
                 close: float, volume: float) -> None:
        self.time = time
        self.end_time = end_time
        self.symbol = symbol
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume

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


def lean_bar_loop(points: int) -> float:
    """Seconds for `points` iterations of: read a row (times and OHLCV from columns, as an engine
    holds them; a 4,096-row ring so memory stays flat), build a LeanShapedBar, call its method."""
    rows = 4096
    mask = rows - 1
    first, period = datetime(2025, 10, 1, 9, 30), timedelta(seconds=1)
    starts = [first + i * period for i in range(rows)]
    ends = [t + period for t in starts]
    opens = [100.0 + 0.01 * (i % 97) for i in range(rows)]
    highs = [x + 0.05 for x in opens]
    lows = [x - 0.05 for x in opens]
    closes = [x + 0.01 for x in opens]
    volumes = [float(100 + i % 50) for i in range(rows)]
    symbol = "AAPL"
    clock = time.perf_counter
    start = clock()
    for i in range(points):
        r = i & mask
        LeanShapedBar(starts[r], ends[r], symbol, opens[r], highs[r], lows[r], closes[r], volumes[r]).value()
    return clock() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time one Python floor loop once.")
    parser.add_argument("--points", type=int, required=True)
    parser.add_argument("--loop", choices=LOOPS, default="strict")
    args = parser.parse_args(argv)
    seconds = floor_loop(args.points) if args.loop == "strict" else lean_bar_loop(args.points)
    print(f"{seconds:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
