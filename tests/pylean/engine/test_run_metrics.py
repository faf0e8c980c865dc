"""Run metrics: the streaming latency record agrees with exact percentiles and stays constant in size."""
from __future__ import annotations

import random

import numpy as np
import pytest

from pylean.run_metrics import LatencyRecorder, latency_summary


def test_streaming_percentiles_are_within_half_a_bin_of_exact() -> None:
    rng = random.Random(7)
    samples = [max(1, int(rng.lognormvariate(9, 1.2))) for _ in range(50_000)]
    recorder = LatencyRecorder()
    for ns in samples:
        recorder.append(ns)
    streamed, exact = latency_summary(recorder), latency_summary(samples)
    assert streamed["count"] == exact["count"] == 50_000
    assert streamed["max_us"] == exact["max_us"] and streamed["mean_us"] == exact["mean_us"]
    for key in ("p50_us", "p95_us", "p99_us"):
        assert streamed[key] == pytest.approx(exact[key], rel=0.012)
    assert sum(streamed["histogram"]["counts"]) == 50_000


def test_memory_does_not_grow_with_samples() -> None:
    recorder = LatencyRecorder()
    size = len(recorder.counts)
    for ns in np.geomspace(1, 1e12, 10_000).astype(int).tolist():
        recorder.append(ns)
    assert len(recorder.counts) == size and recorder.count == 10_000
    recorder.append(5)
    recorder.fold()  # the engine folds at the end of every day: the sample buffer empties
    assert recorder.count == 10_001 and not recorder._pending
