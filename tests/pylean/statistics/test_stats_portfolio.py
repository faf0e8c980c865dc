"""Unit tests of PortfolioStatistics (pylean/statistics/portfolio_statistics.py) on hand-built inputs."""
from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from decimal import Decimal as D

import numpy as np
import pytest
import scipy.stats

from pylean.statistics import portfolio_statistics as ps

T0 = datetime(2013, 10, 7, 4, tzinfo=timezone.utc)
RF = lambda _d: D("0.0075")  # noqa: E731


def _equity(values: list[str], step: timedelta = timedelta(days=1)) -> list[tuple[datetime, D]]:
    return [(T0 + i * step, D(v)) for i, v in enumerate(values)]


def test_early_exit_with_fewer_than_two_values() -> None:
    equity = _equity(["100000", "99000", "98822.71"])
    s = ps.compute_portfolio_statistics(
        [(T0, D("-50"))], equity, [D("0.5"), D("0.4964")], [0.01], [0.01, 0.02], D(100000), RF)
    # End equity and turnover are computed before the exit, everything else stays 0
    assert s.end_equity == D("98822.71") and s.start_equity == D(100000)
    assert s.portfolio_turnover == D("0.4982")
    assert (s.total_net_profit, s.sharpe_ratio, s.drawdown, s.compounding_annual_return) == (0, 0, 0, 0)
    assert s.average_loss_rate == 0 and s.loss_rate == 0
    s2 = ps.compute_portfolio_statistics([], equity, [], [0.01, 0.02], [0.01], D(100000), RF)
    assert s2.annual_variance == 0
    s3 = ps.compute_portfolio_statistics([], equity, [], [0.01, 0.02], [0.01, 0.03], D(0), RF)
    assert s3.sharpe_ratio == 0


def test_win_loss_from_profit_loss_records() -> None:
    records = [(T0, D("1000")), (T0 + timedelta(minutes=1), D("-505")), (T0 + timedelta(minutes=2), D("0")),
               (T0 + timedelta(minutes=3), D("2020"))]
    equity = _equity(["100000", "101000", "100495", "102515"])
    s = ps.compute_portfolio_statistics(records, equity, [], [0.01, -0.005, 0.02], [0.01, -0.004, 0.018],
                                        D(100000), RF, 252, win_count=2, loss_count=2)
    # running capital: 100000 -> 101000 -> 100495 -> 100495 -> 102515
    avg_win = (D(1000) / D(100000) + D(2020) / D(100495)) / 2
    avg_loss = (D(-505) / D(101000) + D(0) / D(100495)) / 2
    assert abs(s.average_win_rate - avg_win) < D("1e-26")
    assert abs(s.average_loss_rate - avg_loss) < D("1e-26")
    assert s.win_rate == D("0.5") and s.loss_rate == D("0.5")
    assert abs(s.profit_loss_ratio - avg_win / abs(avg_loss)) < D("1e-24")
    assert abs(s.expectancy - (D("0.5") * s.profit_loss_ratio - D("0.5"))) < D("1e-24")


def test_drawdown_is_a_fraction_rounded_to_3_decimals_and_recovery_in_whole_days() -> None:
    equity = [(T0, D("100000")), (T0 + timedelta(hours=5), D("101000")),
              (T0 + timedelta(days=1), D("98826")),            # -2.1525 % from the 101000 peak
              (T0 + timedelta(days=2), D("100500")),
              (T0 + timedelta(days=3, hours=20), D("101000"))]  # recovered 3.6 days after the peak
    dd, recovery = ps.drawdown_metrics(equity, 3)
    assert str(dd) == "0.022" and recovery == 3
    assert ps.drawdown_metrics(equity[:1], 3) == (0, 0)
    assert ps.drawdown_metrics([(T0, D(0)), (T0 + timedelta(days=1), D(5))], 3) == (0, 0)  # divide by 0


def test_psr_is_zero_when_its_std_is_nan() -> None:
    # n = 3: MathNet's kurtosis is NaN -> the estimate's std is NaN -> PSR 0 (reported "0%")
    assert ps.probabilistic_sharpe_ratio([0.01, 0.02, -0.01], 1 / math.sqrt(252), 0.0075 / 252) == 0.0
    # constant returns: std 0 -> observed SR 0, skewness NaN -> PSR 0
    assert ps.probabilistic_sharpe_ratio([0.0] * 6, 1 / math.sqrt(252), 0.0) == 0.0


def test_psr_matches_the_formula() -> None:
    perf = [-0.0115428, 0.000541744, 0.02207916, 0.006239327, 0.001, -0.002]
    rf = 0.0075 / 252
    sr = (np.mean(perf) - rf) / np.std(perf, ddof=1)
    skew = scipy.stats.skew(perf, bias=False)
    kurt = scipy.stats.kurtosis(perf, fisher=True, bias=False)
    sigma = math.sqrt((1 - skew * sr + (kurt - 1) / 4 * sr ** 2) / (len(perf) - 1))
    expected = scipy.stats.norm.cdf((sr - 1 / math.sqrt(252)) / sigma)
    assert ps.probabilistic_sharpe_ratio(perf, 1 / math.sqrt(252), rf) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mathnet_moments_match_scipy(seed: int) -> None:
    values = list(np.random.default_rng(seed).normal(0.001, 0.01, 50))
    skew, kurt = ps.skewness_kurtosis(values)
    assert skew == pytest.approx(scipy.stats.skew(values, bias=False), rel=1e-9)
    assert kurt == pytest.approx(scipy.stats.kurtosis(values, fisher=True, bias=False), rel=1e-9)
    assert ps.variance(values) == pytest.approx(np.var(values, ddof=1), rel=1e-12)
    other = list(np.random.default_rng(seed + 10).normal(0, 0.01, 50))
    assert ps.covariance(values, other) == pytest.approx(np.cov(values, other, ddof=1)[0, 1], rel=1e-9)
    assert ps.streaming_mean(values) == pytest.approx(np.mean(values), rel=1e-12)


def test_mathnet_moments_nan_for_small_samples() -> None:
    assert all(math.isnan(v) for v in ps.skewness_kurtosis([1.0, 2.0]))
    skew, kurt = ps.skewness_kurtosis([1.0, 2.0, 4.0])
    assert not math.isnan(skew) and math.isnan(kurt)
    assert math.isnan(ps.variance([1.0]))


@pytest.mark.parametrize("p", [0.01, 0.05, 0.3, 0.5, 0.975])
def test_normal_inverse_cdf(p: float) -> None:
    assert ps.normal_inv_cdf(0.001, 0.02, p) == pytest.approx(scipy.stats.norm.ppf(p, 0.001, 0.02), rel=1e-13)


def test_sortino_zero_with_a_single_negative_return() -> None:
    equity = _equity(["100000", "100100", "99000", "100500", "101000", "101100"])
    perf = [0.01, -0.011, 0.015, 0.005]
    s = ps.compute_portfolio_statistics([], equity, [], perf, [0.009, -0.01, 0.014, 0.004], D(100000), RF)
    assert s.sortino_ratio == 0 and s.sharpe_ratio != 0


def test_car_uses_point_timestamps() -> None:
    equity = [(T0, D("100000")), (T0 + timedelta(days=4, hours=16), D("101691.92"))]
    s = ps.compute_portfolio_statistics([], equity, [], [0.01, 0.02], [0.01, 0.03], D(100000), RF)
    years = (4 + 16 / 24) / 365
    assert float(s.compounding_annual_return) == pytest.approx(1.0169192 ** (1 / years) - 1, rel=1e-12)
    assert float(s.total_net_profit) == pytest.approx(0.0169192)


def test_risk_free_rate_averages_every_equity_point_date() -> None:
    rates = {T0.date(): D("0.01"), (T0 + timedelta(days=1)).date(): D("0.02")}
    equity = [(T0, D("100000")), (T0 + timedelta(hours=6), D("100500")),
              (T0 + timedelta(days=1), D("101000"))]
    perf, bench = [0.01, 0.02, -0.01], [0.011, 0.018, -0.012]
    s = ps.compute_portfolio_statistics([], equity, [], perf, bench, D(100000), lambda d: rates[d])
    # rf = (0.01 + 0.01 + 0.02) / 3: the intraday point counts
    rf = 0.04 / 3
    annual = (np.mean(perf) + 1) ** 252 - 1
    std = math.sqrt(np.var(perf, ddof=1) * 252)
    assert float(s.sharpe_ratio) == pytest.approx((annual - rf) / std, rel=1e-12)


def test_to_json_keys_and_strings() -> None:
    s = ps.PortfolioStatistics(start_equity=D(100000), drawdown=D("0.022"), sharpe_ratio=D("8.85430612345"),
                               drawdown_recovery=3)
    j = s.to_json()
    assert list(j)[:3] == ["averageWinRate", "averageLossRate", "profitLossRatio"]
    assert list(j)[-3:] == ["valueAtRisk99", "valueAtRisk95", "drawdownRecovery"]
    assert (j["startEquity"], j["drawdown"], j["sharpeRatio"], j["drawdownRecovery"]) == \
        ("100000", "0.022", "8.8543", "3")


def test_drawdown_shortcut_equals_the_plain_walk() -> None:
    from pylean.statistics.dotnet import (
        decimal_from_double,
        net_div,
        net_sub,
        round_decimal,
        timedelta_ticks,
    )

    def plain(equity: list[tuple[datetime, D]]) -> tuple[D, int]:
        max_dd, max_rec, (peak_time, peak), start = D(0), D(0), equity[0], None
        for t, v in equity:
            if v >= peak:
                if start is not None:
                    max_rec = max(max_rec, decimal_from_double(timedelta_ticks(t - start) / 864_000_000_000))
                    start = None
                peak, peak_time = v, t
            cur = net_sub(net_div(v, peak), D(1))
            if cur < 0:
                max_dd = min(max_dd, cur)
                start = start or peak_time
        return round_decimal(max_dd.copy_abs(), 3), int(max_rec)

    rng = np.random.default_rng(5)
    for _ in range(20):
        steps = rng.normal(0, 0.01, 300)
        values = [D(str(round(100000 * float(np.exp(np.cumsum(steps)[i])), 4))) for i in range(300)]
        equity = [(T0 + timedelta(hours=7 * i), v) for i, v in enumerate(values)]
        assert ps.drawdown_metrics(equity, 3) == plain(equity)
