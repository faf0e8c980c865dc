"""The nightly gate's decision rule, in the spirit of asv's `compare`: a change is reported only
when the ratio of medians passes a factor AND a two-sided Mann-Whitney U test on the raw samples
says the two sets differ (p < alpha). Either alone cries wolf on a noisy machine: a ratio of 1.07
from five noisy runs is often chance, and a tiny but consistent shift is significant yet harmless.

Time is judged on floors (zacperf/nightly/floors.py): the ratio of tonight's floor to the
baseline's, with an exact permutation test over rounds in place of Mann-Whitney (`decide_floor`).

Every metric is "lower is better" here (normalized time, peak RSS); a ratio above `factor` is a
regression, below 1/`factor` an improvement.
"""
from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from zacperf.regression import mann_whitney_p

MIN_SAMPLES = 5           # with 5 against 5 the smallest two-sided p-value is 2/252 = 0.008


@dataclass(frozen=True)
class GateResult:
    metric: str
    verdict: str                  # regression | improvement | unchanged | insufficient | busy
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
    p_value = mann_whitney_p(cur, base)   # zacperf.regression's exact test (the flag comparison's too)
    verdict = "unchanged"
    if p_value < alpha and ratio > factor:
        verdict = "regression"
    elif p_value < alpha and ratio < 1.0 / factor:
        verdict = "improvement"
    return GateResult(metric, verdict, ratio, p_value, factor, alpha, cur_med, base_med, len(cur), len(base))


def decide_floor(metric: str, current_rows: Sequence[Sequence[float]], baseline_rows: Sequence[Sequence[float]],
                 factor: float = 1.05, alpha: float = 0.05, min_samples: int = MIN_SAMPLES,
                 busy: bool = False) -> GateResult:
    """The same rule on floors: rows are rounds (each a list of chunk times, already divided by the night's
    calibration floor); ratio = floor(current) / floor(baseline), p from the permutation test over rounds.
    On a busy night (see zacperf.nightly.runner) the figures are reported with the verdict "busy"."""
    from zacperf.nightly.floors import chunk_layout_agrees, floor_ratio_test, floor_sum

    if factor <= 1.0 or not 0 < alpha < 1:
        raise ValueError(f"factor must be > 1 and alpha in (0, 1), got {factor}, {alpha}")
    cur, base = [list(r) for r in current_rows if r], [list(r) for r in baseline_rows if r]
    comparable = (len(cur) >= min_samples and len(base) >= min_samples and chunk_layout_agrees(cur + base))
    if not comparable:   # too few rounds, or other chunks (other steps: not the same work)
        return GateResult(metric, "insufficient", None, None, factor, alpha,
                          floor_sum(cur) if chunk_layout_agrees(cur) else None,
                          floor_sum(base) if chunk_layout_agrees(base) else None, len(cur), len(base))
    ratio, p_value = floor_ratio_test(cur, base)
    verdict = "unchanged"
    if busy:
        verdict = "busy"
    elif p_value < alpha and ratio > factor:
        verdict = "regression"
    elif p_value < alpha and ratio < 1.0 / factor:
        verdict = "improvement"
    return GateResult(metric, verdict, ratio, p_value, factor, alpha, floor_sum(cur), floor_sum(base),
                      len(cur), len(base))
