"""Timing decorators: zero-cost marking, instrumentation, histograms and the PERF_JSON line."""
from __future__ import annotations

import json
import math
import random
from array import array

import pytest

from core.utils import (PERF_PREFIX, STAGES, PerfRecorder, StageHistogram, bucket_of, bucket_value, perf_json_line,
                        perf_report, stage_of, timed)


class Component:
    def __init__(self) -> None:
        self.calls = 0

    @timed("metrics")
    def compute(self, x: int) -> int:
        self.calls += 1
        return x * 2

    @timed("total")
    def fails(self) -> None:
        raise RuntimeError("boom")

    def plain(self) -> int:
        return 1


def test_timed_returns_the_function_itself() -> None:
    def f() -> int:
        return 1

    assert timed("metrics")(f) is f
    assert stage_of(Component.compute) == "metrics" and stage_of(Component.plain) is None
    with pytest.raises(ValueError, match="unknown perf stage"):
        timed("nope")


def test_uninstrumented_component_is_untouched() -> None:
    c = Component()
    assert "compute" not in vars(c)
    assert c.compute(2) == 4


def test_instrument_wraps_marked_methods_and_records_per_symbol() -> None:
    recorder = PerfRecorder(["AAA", "BBB"])
    a, b = Component(), Component()
    assert recorder.instrument(a, "AAA") == 2
    recorder.instrument(b, "BBB")
    for i in range(5):
        assert a.compute(i) == 2 * i
    b.compute(1)
    with pytest.raises(RuntimeError):
        a.fails()
    assert recorder.stages["AAA"]["metrics"].count == 5 and recorder.stages["BBB"]["metrics"].count == 1
    assert recorder.stages["AAA"]["total"].count == 1  # timed even when the call raises
    assert a.calls == 5
    agg = recorder.aggregate()
    assert agg["metrics"].count == 6


@pytest.mark.parametrize("buffered", [False, True])
def test_buffered_recorder_counts_like_the_direct_one(buffered: bool) -> None:
    """The optimized path's recorder (blocks folded with numpy) gives the same figures as `add` per call,
    also across a block boundary and for a call that raises."""
    recorder = PerfRecorder(["AAA"], buffered=buffered)
    recorder.BLOCK = 7
    a = Component()
    recorder.instrument(a, "AAA")
    for i in range(23):
        a.compute(i)
    with pytest.raises(RuntimeError):
        a.fails()
    report = recorder.report()["symbols"]["AAA"]
    assert report["metrics"]["count"] == 23 and report["total"]["count"] == 1
    assert recorder.stages["AAA"]["metrics"].count == 23   # nothing left in a block after a report


def test_histogram_add_block_equals_add_per_value() -> None:
    rng = random.Random(7)
    values = [0, 1, 127, 128, 129, 255, 256, 10**6, 2**46, 2**53 + 1, 2**62] + [
        rng.choice((rng.randint(0, 200), rng.randint(0, 10**5), rng.randint(0, 10**9), rng.randint(0, 2**50)))
        for _ in range(5000)]
    one, block = StageHistogram(), StageHistogram()
    for v in values:
        one.add(v)
    block.add_block(array("q", values[:1000]))
    block.add_block(array("q", values[1000:]))
    block.add_block(array("q"))
    assert list(block.counts) == list(one.counts)
    assert (block.count, block.total_ns, block.max_ns) == (one.count, one.total_ns, one.max_ns)


def test_histogram_buckets_are_exact_then_within_a_percent() -> None:
    assert [bucket_value(bucket_of(n)) for n in (0, 1, 127)] == [0, 1, 127]
    for n in (128, 1000, 12345, 10**6, 987654321):
        assert abs(bucket_value(bucket_of(n)) - n) / n <= 0.008


def test_percentiles_close_to_exact() -> None:
    rng = random.Random(7)
    samples = [int(rng.lognormvariate(10, 1)) for _ in range(5000)]
    hist = StageHistogram()
    for s in samples:
        hist.add(s)
    ordered = sorted(samples)
    for q in (50, 95, 99):
        exact = ordered[math.ceil(len(ordered) * q / 100) - 1]
        assert abs(hist.percentile_ns(q) - exact) / exact <= 0.008
    assert hist.max_ns == max(samples) and hist.total_ns == sum(samples) and hist.count == len(samples)
    assert hist.percentile_ns(100) == max(samples)


def test_perf_json_line_schema() -> None:
    recorder = PerfRecorder(["AAA"])
    c = Component()
    recorder.instrument(c, "AAA")
    c.compute(3)
    line = perf_json_line(recorder.report())
    assert line.startswith(PERF_PREFIX) and "\n" not in line
    report = json.loads(line[len(PERF_PREFIX):])
    assert report["schema"] == "zacqc.perf" and report["version"] == 1 and report["unit"] == "us"
    assert report["stages"] == list(STAGES) and report["instrumentation"] is True
    metrics = report["symbols"]["AAA"]["metrics"]
    assert set(metrics) == {"count", "total", "p50", "p95", "p99", "max"} and metrics["count"] == 1
    assert report["aggregate"]["metrics"]["count"] == 1
    off = json.loads(perf_json_line(perf_report(False, {}, {}))[len(PERF_PREFIX):])
    assert off["instrumentation"] is False and off["symbols"] == {}
