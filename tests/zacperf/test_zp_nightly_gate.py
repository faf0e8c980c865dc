"""The nightly gate's decision rules on fixed samples: ratio beyond the factor AND a test (Mann-Whitney on
samples, a permutation test over rounds on floors) with p < alpha."""
from __future__ import annotations

import pytest

from zacperf.nightly.floors import floor_ratio_test, floor_sum
from zacperf.nightly.gate import decide, decide_floor

BASE = [1.00, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97]


def test_a_clear_regression_is_flagged_with_ratio_and_p_value():
    result = decide("cpu_norm", [1.10, 1.12, 1.09, 1.11, 1.13], BASE)
    assert result.verdict == "regression" and result.regression
    assert result.ratio == pytest.approx(1.11 / 1.00)
    assert result.p_value < 0.01
    assert "REGRESSION, ratio 1.110" in result.text() and "Mann-Whitney p=" in result.text()


def test_noise_with_a_high_median_is_not_flagged_when_the_samples_overlap():
    # median ratio 1.06 > factor, but the samples mix with the baseline's: not significant
    result = decide("cpu_norm", [1.06, 0.97, 1.12, 0.99, 1.08], BASE)
    assert result.ratio > 1.05 and result.p_value >= 0.05
    assert result.verdict == "unchanged" and not result.regression


def test_a_significant_but_small_shift_is_not_flagged():
    result = decide("cpu_norm", [1.035, 1.04, 1.045, 1.04, 1.038], BASE)
    assert result.p_value < 0.05 and result.ratio < 1.05
    assert result.verdict == "unchanged"


def test_a_clear_improvement_is_reported_as_such():
    result = decide("cpu_norm", [0.80, 0.82, 0.79, 0.81, 0.83], BASE)
    assert result.verdict == "improvement" and not result.regression and result.ratio < 1 / 1.05


def test_too_few_samples_is_insufficient_never_a_regression():
    result = decide("cpu_norm", [2.0, 2.1, 2.2], BASE)
    assert result.verdict == "insufficient" and result.ratio is None and not result.regression


def test_bad_factor_is_refused():
    with pytest.raises(ValueError):
        decide("cpu_norm", BASE, BASE, factor=1.0)


# --- the time floors: per chunk the fastest round, a permutation test over rounds -------------------------

def rounds(noise_seed: int, slower: float = 1.0, chunks: int = 60, n: int = 5) -> list[list[float]]:
    """Rounds of chunk times of one fixed piece of work (every chunk its own cost; `slower` scales the code).
    Machine noise as seen on the 2-core box: in each round a stretch of 10-40 % of the chunks runs 5-40 %
    slower (another job), and a few single chunks 10-60 % slower (a page-fault storm, a collection)."""
    import random
    rng = random.Random(0)
    work = [rng.uniform(50, 500) for _ in range(chunks)]
    rng = random.Random(noise_seed)
    out = []
    for _ in range(n):
        span = rng.randint(chunks // 10, 2 * chunks // 5)
        start, stretch = rng.randint(0, chunks - span), rng.uniform(1.05, 1.40)
        out.append([w * slower * (stretch if start <= c < start + span else 1.0)
                    * (1 + (rng.uniform(0.1, 0.6) if rng.random() < 0.1 else rng.uniform(0, 0.01)))
                    for c, w in enumerate(work)])
    return out


def test_floor_of_rounds_takes_each_chunks_fastest_round():
    assert floor_sum([[3.0, 1.0], [2.0, 5.0], [4.0, 4.0]]) == 3.0


def test_bursty_noise_alone_never_raises_a_floor_regression():
    # the bursts make whole-round sums differ by ~10 %, yet the floors agree within a few per cent
    for seed in range(1, 21):
        tonight, baseline = rounds(seed), rounds(seed + 100)
        sums = [sum(r) for r in tonight + baseline]
        assert max(sums) / min(sums) > 1.05                # whole rounds differ by more than the factor
        result = decide_floor("loop_floor", tonight, baseline)
        assert result.verdict != "regression" and abs(result.ratio - 1) < 0.02


def test_slower_code_raises_the_floor_and_is_flagged_with_the_smallest_p():
    result = decide_floor("loop_floor", rounds(3, slower=1.10), rounds(103))
    assert result.verdict == "regression" and 1.08 < result.ratio < 1.12
    assert result.p_value == pytest.approx(2 / 252)     # 5 vs 5 rounds: only the observed split is as extreme


def test_faster_code_is_an_improvement_and_a_small_shift_is_not_a_regression():
    assert decide_floor("loop_floor", rounds(4, slower=0.85), rounds(104)).verdict == "improvement"
    small = decide_floor("loop_floor", rounds(4, slower=1.03), rounds(104))
    assert small.ratio < 1.05 and small.verdict == "unchanged"


def test_floors_of_other_work_or_too_few_rounds_are_not_judged():
    other_layout = [row[:-1] for row in rounds(5)]
    assert decide_floor("loop_floor", other_layout, rounds(5)).verdict == "insufficient"
    assert decide_floor("loop_floor", rounds(5, n=4), rounds(5)).verdict == "insufficient"


def test_permutation_p_value_is_exact_for_small_pools_and_seeded_beyond():
    same = [[1.0, 2.0]] * 4
    ratio, p = floor_ratio_test(same[:2], same[2:])
    assert ratio == 1.0 and p == 1.0                    # every split is as extreme as identical groups
    big_a, big_b = rounds(6, slower=1.2, n=12), rounds(106, n=12)   # C(24, 12) splits: a seeded sample
    assert floor_ratio_test(big_a, big_b) == floor_ratio_test(big_a, big_b)
    assert floor_ratio_test(big_a, big_b)[1] < 0.01


def test_a_night_is_busy_when_the_calibration_waited_for_a_core_or_ran_slow():
    from zacperf.nightly.samples import machine_speed
    quiet = [{"seconds": 0.121, "cpu_seconds": 0.120, "cpu_seconds_min": 0.118}] * 6
    assert machine_speed(quiet)["busy"] < 1.05
    # oversubscribed cores: CPU time as quiet, but three times the wall time (the steps are timed in wall time)
    waiting = [{"seconds": 0.36, "cpu_seconds": 0.125, "cpu_seconds_min": 0.118}] * 6
    assert machine_speed(waiting)["busy"] > 3
    # a sibling job slowing the work itself: CPU and wall both up, the fastest piece still quick
    slowed = [{"seconds": 0.16, "cpu_seconds": 0.16, "cpu_seconds_min": 0.118}] * 6
    assert machine_speed(slowed)["busy"] > 1.15
