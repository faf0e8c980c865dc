"""Noise-aware timing decisions (R-3): the regression gate and the paired flag comparison.

A run is "slower" only when the median ratio passes the scenario's factor AND, when both sides
have at least 3 samples, a two-sided Mann-Whitney U test says the samples differ (p < alpha).
With single samples (CI) only the factor applies. Flag comparisons interleave off/on runs and
report the median of the per-pair ratios, which cancels slow drifts of the machine.
"""
from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

TIMING_METRICS = ("engine_s", "wall_s")


def timing_samples(runs: Sequence[Mapping[str, Any]]) -> tuple[str, list[float]]:
    """The timing used for decisions: engine time when every run has it, else wall time."""
    for metric in TIMING_METRICS:
        values = [r.get(metric) for r in runs]
        if values and all(isinstance(v, (int, float)) and v > 0 for v in values):
            return metric, [float(v) for v in values]  # type: ignore[arg-type]
    return "wall_s", []


def mann_whitney_p(a: Sequence[float], b: Sequence[float]) -> float:
    """Two-sided p-value of the Mann-Whitney U test (scipy: exact for small samples without ties, else the
    normal approximation with tie correction); 1.0 when a side is empty."""
    if not len(a) or not len(b):
        return 1.0
    from scipy.stats import mannwhitneyu

    return float(mannwhitneyu(list(a), list(b), alternative="two-sided").pvalue)


@dataclass
class RegressionVerdict:
    slower: bool
    metric: str
    ratio: float | None
    p_value: float | None
    message: str


def check_regression(current: Sequence[float], baseline: Sequence[float], max_slowdown_pct: float,
                     metric: str, alpha: float = 0.05) -> RegressionVerdict:
    if not current or not baseline:
        return RegressionVerdict(False, metric, None, None, "no perf baseline to compare with")
    ratio = statistics.median(current) / statistics.median(baseline)
    limit = 1 + max_slowdown_pct / 100.0
    p_value = mann_whitney_p(current, baseline) if min(len(current), len(baseline)) >= 3 else None
    significant = p_value is None or p_value < alpha
    slower = ratio > limit and significant
    change = (ratio - 1) * 100
    text = (f"{metric} median {statistics.median(current):.3f}s vs baseline {statistics.median(baseline):.3f}s "
            f"({change:+.1f} %, limit +{max_slowdown_pct:g} %"
            + (f", Mann-Whitney p={p_value:.3f}" if p_value is not None else ", < 3 samples a side: factor only") + ")")
    return RegressionVerdict(slower, metric, ratio, p_value, ("SLOWER than the perf baseline: " if slower else
                                                              "within the perf baseline: ") + text)


def paired_speedup(off: Sequence[float], on: Sequence[float]) -> dict[str, Any]:
    """Median of off_i / on_i over interleaved pairs (> 1 means the flag makes it faster)."""
    ratios = [a / b for a, b in zip(off, on) if b > 0]
    if not ratios:
        return {"pairs": 0, "median_speedup": None, "min": None, "max": None, "p_value": None}
    return {"pairs": len(ratios), "median_speedup": statistics.median(ratios), "min": min(ratios),
            "max": max(ratios), "ratios": ratios,
            "p_value": mann_whitney_p(off, on) if len(ratios) >= 3 else None}


def paired_metric(off_runs: Sequence[Mapping[str, Any]], on_runs: Sequence[Mapping[str, Any]],
                  key: str) -> dict[str, Any]:
    """paired_speedup of one per-run figure ("algorithm_time_total_s", "wall_s"); a pair missing it is left out."""
    pairs = [(a.get(key), b.get(key)) for a, b in zip(off_runs, on_runs)]
    usable = [(float(a), float(b)) for a, b in pairs if isinstance(a, (int, float)) and isinstance(b, (int, float))]
    return paired_speedup([a for a, _ in usable], [b for _, b in usable])
