"""A fixed calibration workload that measures how fast this machine runs interpreter-bound Python now.

The nightly job runs it in a fresh process before every round of scenario runs (and once after the
last), and divides each engine process's CPU time by the night's median calibration CPU time: a machine
that is 8 % slower tonight (a lower clock, a busy sibling hyper-thread) gives 8 % more CPU seconds to
both, so the normalized figure stays put. CPU time, not wall time, because time spent waiting for a
core (another job on a 2-core box) is not work the code did, and a short calibration is easily
descheduled. Wall figures are recorded too. The workload mirrors what pylean's time loop
does per step (attribute reads on slotted objects, dict look-ups, float arithmetic, small lists),
is deterministic, and its checksum is verified so a changed workload is never compared with old
samples (CALIBRATION_VERSION).

    python -m zacperf.nightly.calibration      # prints {"version": 1, "seconds": 0.09, "cpu_seconds": 0.09, "checksum": ...}
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

CALIBRATION_VERSION = 2
_STEPS = 120_000
_PIECES = 5
_TABLE = 1 << 22                 # 4 M floats (~130 MB): far beyond the CPU caches, like a backtest's data
_READS = 250_000
_EXPECTED_CHECKSUM = 26769


class _Bar:
    __slots__ = ("open", "high", "low", "close", "volume")

    def __init__(self, open_: float, high: float, low: float, close: float, volume: int) -> None:
        self.open, self.high, self.low, self.close, self.volume = open_, high, low, close, volume


def workload(steps: int = _STEPS) -> int:
    """Per step: build a bar, update a per-symbol rolling window and running extremes, count signals."""
    symbols = [f"S{i}" for i in range(16)]
    windows: dict[str, list[float]] = {s: [] for s in symbols}
    highs: dict[str, float] = {}
    signals = 0
    price = 100.0
    for step in range(steps):
        symbol = symbols[step & 15]
        price += ((step * 7919) % 13 - 6) * 0.01
        bar = _Bar(price, price + 0.05, price - 0.05, price + 0.01, 100 + step % 50)
        window = windows[symbol]
        window.append(bar.close)
        if len(window) > 20:
            del window[0]
        mean = sum(window) / len(window)
        high = highs.get(symbol, 0.0)
        if bar.high > high:
            highs[symbol] = bar.high
        if bar.close > mean * 1.0001 and bar.volume > 120:
            signals += 1
    return signals


def memory_walk(table: list[float], order: list[int]) -> float:
    """Reads scattered over a table larger than the caches: the part of the work that a busy memory bus
    (another job on the machine) slows down, as it slows a backtest reading its data."""
    total = 0.0
    for index in order:
        total += table[index]
    return total


def measure() -> dict[str, float | int]:
    """Wall and CPU seconds of the workload (interpreter work, then scattered memory reads): the median
    of _PIECES timed pieces each (one stray interrupt does not move it)."""
    table = [float(i & 1023) for i in range(_TABLE)]
    order = [(i * 2654435761) % _TABLE for i in range(_READS)]
    walls, cpus, checksum = [], [], 0
    for _ in range(_PIECES):
        wall, cpu = time.perf_counter(), time.process_time()
        checksum = workload()
        if memory_walk(table, order) <= 0:
            checksum = -1
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return {"version": CALIBRATION_VERSION, "seconds": round(statistics.median(walls), 6),
            "cpu_seconds": round(statistics.median(cpus), 6), "cpu_seconds_min": round(min(cpus), 6),
            "checksum": checksum}


def run_calibration(python: str = sys.executable, timeout_s: float = 120.0) -> dict[str, float]:
    """{"seconds", "cpu_seconds", "cpu_seconds_min"} of one calibration run in a fresh interpreter (the same kind of process
    as an engine run)."""
    done = subprocess.run([python, "-m", "zacperf.nightly.calibration"], capture_output=True, text=True,
                          timeout=timeout_s, check=False)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"calibration workload failed: {tail}")
    result = json.loads(done.stdout)
    if result.get("checksum") != _EXPECTED_CHECKSUM:
        raise RuntimeError(f"calibration workload checksum {result.get('checksum')} != {_EXPECTED_CHECKSUM}")
    return {"seconds": float(result["seconds"]), "cpu_seconds": float(result["cpu_seconds"]),
            "cpu_seconds_min": float(result["cpu_seconds_min"])}


if __name__ == "__main__":
    print(json.dumps(measure()))
