"""The nightly gate's decision rule, in the spirit of asv's `compare`: a change is reported only
when the ratio of medians passes a factor AND a two-sided Mann-Whitney U test on the raw samples
says the two sets differ (p < alpha). Either alone cries wolf on a noisy machine: a ratio of 1.07
from five noisy runs is often chance, and a tiny but consistent shift is significant yet harmless.

Every metric is "lower is better" here (normalized time, peak RSS); a ratio above `factor` is a
regression, below 1/`factor` an improvement.
"""
from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

MIN_SAMPLES = 5           # with 5 against 5 the smallest two-sided p-value is 2/252 = 0.008


@dataclass(frozen=True)
class GateResult:
    metric: str
    verdict: str                  # regression | improvement | unchanged | insufficient
    ratio: float | None           # median(current) / median(baseline)
    p_value: float | None
    factor: float
    alpha: float
    current_median: float | None
    baseline_median: float | None
    n_current: int
    n_baseline: int

    @property
    def regression(self) -> bool:
        return self.verdict == "regression"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def text(self) -> str:
        if self.ratio is None:
            return f"{self.metric}: {self.verdict} ({self.n_current} vs {self.n_baseline} samples)"
        p = f"{self.p_value:.4f}" if self.p_value is not None else "n/a"
        return (f"{self.metric}: {self.verdict.upper() if self.regression else self.verdict}, ratio {self.ratio:.3f} "
                f"(limit {self.factor:.2f}), Mann-Whitney p={p} (alpha {self.alpha:g}), "
                f"n={self.n_current} vs {self.n_baseline}")


def mann_whitney_p(current: Sequence[float], baseline: Sequence[float]) -> float:
    """Two-sided Mann-Whitney U p-value (scipy: exact for small samples without ties)."""
    from scipy.stats import mannwhitneyu

    return float(mannwhitneyu(list(current), list(baseline), alternative="two-sided").pvalue)


def decide(metric: str, current: Sequence[float], baseline: Sequence[float], factor: float = 1.05,
           alpha: float = 0.05, min_samples: int = MIN_SAMPLES) -> GateResult:
    cur = [float(x) for x in current if x is not None]
    base = [float(x) for x in baseline if x is not None]
    if factor <= 1.0 or not 0 < alpha < 1:
        raise ValueError(f"factor must be > 1 and alpha in (0, 1), got {factor}, {alpha}")
    if len(cur) < min_samples or len(base) < min_samples:
        return GateResult(metric, "insufficient", None, None, factor, alpha,
                          statistics.median(cur) if cur else None, statistics.median(base) if base else None,
                          len(cur), len(base))
    cur_med, base_med = statistics.median(cur), statistics.median(base)
    ratio = cur_med / base_med if base_med else float("inf")
    p_value = mann_whitney_p(cur, base)
    verdict = "unchanged"
    if p_value < alpha and ratio > factor:
        verdict = "regression"
    elif p_value < alpha and ratio < 1.0 / factor:
        verdict = "improvement"
    return GateResult(metric, verdict, ratio, p_value, factor, alpha, cur_med, base_med, len(cur), len(base))
