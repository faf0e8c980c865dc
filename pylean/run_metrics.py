"""Timing and resource figures of one run, written by `--metrics-json` (ours; Lean's nearest is
PerformanceTrackingTool). Pure functions over what the engine recorded."""
from __future__ import annotations

import json
import os
import resource
import sys
import time
from array import array
from typing import Any, Sequence

import numpy as np

SCHEMA_VERSION = 1
_HISTOGRAM_EDGES_US = [0.0] + [float(x) for x in np.logspace(-1, 6, 57)]  # 0.1 µs .. 1 s, 8 bins a decade


def process_start_wall() -> float:
    """Wall-clock time this process started (so 'start-up' includes the interpreter and imports).

    On Linux the process age comes from /proc (start ticks vs uptime, 10 ms resolution);
    psutil's create_time derives from the boot time, which can be off by a second in containers.
    """
    try:
        with open("/proc/self/stat") as stat_file:
            fields = stat_file.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime") as uptime_file:
            uptime = float(uptime_file.read().split()[0])
        age = uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return time.time() - age
    except (OSError, ValueError, IndexError):
        return _IMPORT_WALL


_IMPORT_WALL = time.time()


class LatencyRecorder:
    """Streaming latency record in constant memory: a count per 0.5 %-wide log bin (200 bins a decade,
    1 ns .. 100 s; zero samples count in the first), plus the exact count, total and maximum. Percentiles
    come back within half a bin; a list of every sample would grow with the run (a 60-day second-data run
    has 1.4 M steps).

    `append` is a bare array.append (it runs a few times per time step); the engine folds the buffer
    into the bins with numpy at the end of every day, and reading a figure folds it too. The buffer is an
    array of int64 rather than a list: a sample's int object is freed at once, and numpy reads the day's
    samples in place instead of converting every int."""

    PER_DECADE = 200
    DECADES = 11

    __slots__ = ("_counts", "_count", "_total_ns", "_max_ns", "_pending", "append", "chunk_steps", "_chunks_ns")

    def __init__(self, chunk_steps: int = 0) -> None:
        self._counts = np.zeros(self.PER_DECADE * self.DECADES + 1, dtype=np.int64)
        self._count = 0
        self._total_ns = 0
        self._max_ns = 0
        self._pending = array("q")
        self.append = self._pending.append
        # with chunk_steps: the summed time of every run of chunk_steps consecutive samples, in order
        # (each fold starts a new chunk, so a day's chunks are the same whenever the same work runs).
        # The nightly gate compares runs chunk by chunk: a burst of machine noise hits some chunks of
        # a run, a slower engine all of them.
        self.chunk_steps = chunk_steps
        self._chunks_ns: list[int] = []

    def fold(self) -> None:
        """Move the buffered samples into the bins (the engine calls this at the end of each day)."""
        pending = self._pending
        if not pending:
            return
        values = np.array(pending, dtype=np.int64)  # a copy: the buffer is emptied below
        del pending[:]
        self._count += int(values.size)
        self._total_ns += int(values.sum())
        self._max_ns = max(self._max_ns, int(values.max()))
        index = (np.log10(np.maximum(values, 1)) * self.PER_DECADE).astype(np.int64)  # 1 ns and below: bin 0
        self._counts += np.bincount(np.minimum(index, len(self._counts) - 1), minlength=len(self._counts))
        if self.chunk_steps:
            starts = np.arange(0, values.size, self.chunk_steps)
            self._chunks_ns.extend(np.add.reduceat(values, starts).tolist())

    @property
    def chunks_ns(self) -> list[int]:
        self.fold()
        return list(self._chunks_ns)

    # reading a figure folds the buffer first
    @property
    def counts(self) -> list[int]:
        self.fold()
        return self._counts.tolist()

    @property
    def count(self) -> int:
        self.fold()
        return self._count

    @property
    def total_ns(self) -> int:
        self.fold()
        return self._total_ns

    @property
    def max_ns(self) -> int:
        self.fold()
        return self._max_ns

    def __len__(self) -> int:
        return self.count

    def percentile_ns(self, q: float) -> float:
        """The q-th percentile (0..100): the geometric middle of the bin holding that rank; 0 for the first
        bin, which holds the zero samples (a step with no algorithm time) and nothing a clock can tell apart."""
        self.fold()
        rank = q / 100 * (self._count - 1)
        index = int(np.searchsorted(np.cumsum(self._counts), rank, side="right"))
        if index >= len(self._counts):
            return float(self._max_ns)
        if index == 0:
            return 0.0
        return min(10 ** ((index + 0.5) / self.PER_DECADE), float(self._max_ns))


def latency_summary(samples_ns: "Sequence[int] | LatencyRecorder") -> dict[str, Any]:
    """count, mean and p50/p95/p99/max in microseconds, plus a log-binned histogram."""
    if isinstance(samples_ns, LatencyRecorder):
        return _recorder_summary(samples_ns)
    if not len(samples_ns):
        return {"count": 0, "mean_us": 0.0, "p50_us": 0.0, "p95_us": 0.0, "p99_us": 0.0, "max_us": 0.0,
                "histogram": {"edges_us": _HISTOGRAM_EDGES_US, "counts": [0] * (len(_HISTOGRAM_EDGES_US) - 1)}}
    values = np.asarray(samples_ns, dtype=np.float64) / 1000.0
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    counts, _ = np.histogram(np.clip(values, 0, _HISTOGRAM_EDGES_US[-1]), bins=_HISTOGRAM_EDGES_US)
    return {"count": int(values.size), "mean_us": round(float(values.mean()), 3), "p50_us": round(float(p50), 3),
            "p95_us": round(float(p95), 3), "p99_us": round(float(p99), 3), "max_us": round(float(values.max()), 3),
            "histogram": {"edges_us": _HISTOGRAM_EDGES_US, "counts": [int(c) for c in counts]}}


def peak_rss_bytes() -> int:
    """Peak resident set size of THIS process (the one that ran the engine).

    Linux: VmHWM of /proc/self/status, which starts afresh at exec; getrusage's ru_maxrss keeps the
    high-water mark of the parent that forked us, so a big harness would inflate the figure.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def write_metrics(path: Any, metrics: dict[str, Any]) -> None:
    from pathlib import Path

    import tempfile

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(metrics, indent=1)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _recorder_summary(recorder: LatencyRecorder) -> dict[str, Any]:
    if not recorder.count:
        return latency_summary([])
    p50, p95, p99 = (recorder.percentile_ns(q) / 1000 for q in (50, 95, 99))
    centers = np.array([10 ** ((i + 0.5) / recorder.PER_DECADE) / 1000 for i in range(len(recorder.counts))])
    counts, _ = np.histogram(np.clip(centers, 0, _HISTOGRAM_EDGES_US[-1]), bins=_HISTOGRAM_EDGES_US,
                             weights=np.asarray(recorder.counts, dtype=np.float64))
    return {"count": recorder.count, "mean_us": round(recorder.total_ns / recorder.count / 1000, 3),
            "p50_us": round(p50, 3), "p95_us": round(p95, 3), "p99_us": round(p99, 3),
            "max_us": round(recorder.max_ns / 1000, 3),
            "histogram": {"edges_us": _HISTOGRAM_EDGES_US, "counts": [int(c) for c in counts]},
            **({"chunks": {"steps": recorder.chunk_steps, "us": [round(ns / 1000, 1) for ns in recorder.chunks_ns]}}
               if recorder.chunk_steps else {})}
