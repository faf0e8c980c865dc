"""The time-loop floor: what a night's runs cost when the machine left them alone (pure functions).

pylean records the summed step time of every chunk of 500 consecutive time steps (metrics
`time_step.chunks`). The same scenario runs the same steps every round, so chunk c of round r is the
same work each night. Machine noise on a shared box comes in bursts (another job, a busy sibling
hyper-thread, a page-fault storm): it slows some chunks of a round, seldom the same chunk in every
round. The floor of a night is, per chunk, the fastest of its rounds; its sum is what the whole loop
costs without the bursts. Slower code is slower in every round, so it raises the floor.

Measured on the 2-core development box (benchmarks/nightly_acceptance.py): whole-process CPU time of
the same code moved 10-30 % between sessions minutes apart, the loop floor 1-5 %.

The decision follows asv's rule (a factor AND a test): the ratio is tonight's floor over the
baseline's, and its p-value comes from an exact permutation test over rounds: every way of splitting
the pooled rounds into "tonight" and "baseline" groups of the original sizes gives a floor ratio;
p is the share of splits at least as far from 1 (in log) as the observed one. It needs no model of the
noise, and with 5 rounds a side its smallest p is 2/252 = 0.008, as for Mann-Whitney.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

MAX_SPLITS = 20_000       # beyond this many splits, a seeded random sample of them (deterministic)


def floor_sum(rows: Sequence[Sequence[float]]) -> float:
    """Sum over chunks of the fastest round's time of that chunk."""
    return float(sum(min(column) for column in zip(*rows)))


def scaled(rows: Sequence[Sequence[float]], scale: float) -> list[list[float]]:
    """Rows divided by the night's machine-speed scale (its calibration floor)."""
    return [[value / scale for value in row] for row in rows]


def chunk_layout_agrees(rows: Sequence[Sequence[float]]) -> bool:
    return bool(rows) and all(len(row) == len(rows[0]) and row for row in rows)


def floor_ratio_test(current: Sequence[Sequence[float]], baseline: Sequence[Sequence[float]],
                     seed: int = 0) -> tuple[float, float]:
    """(floor ratio current/baseline, two-sided permutation p-value over rounds; scipy.stats.permutation_test:
    exact when the splits number at most MAX_SPLITS, else that many seeded random splits)."""
    import numpy as np
    from scipy.stats import permutation_test

    pooled = [list(row) for row in current] + [list(row) for row in baseline]
    observed = floor_sum(current) / floor_sum(baseline)

    def log_ratio(inside: Any, outside: Any) -> float:   # rounds are passed by index into `pooled`
        return math.log(floor_sum([pooled[int(i)] for i in inside]) / floor_sum([pooled[int(i)] for i in outside]))

    n = len(current)
    result = permutation_test((np.arange(n), np.arange(n, len(pooled))), log_ratio, permutation_type="independent",
                              vectorized=False, n_resamples=MAX_SPLITS, alternative="two-sided",
                              random_state=np.random.default_rng(seed))
    return observed, float(result.pvalue)
