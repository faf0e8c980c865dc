"""Portfolio statistics of one period (Common/Statistics/PortfolioStatistics.cs, Statistics.cs, MathNet semantics)."""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Callable, Sequence

from pylean.statistics.dotnet import (
    ZERO,
    decimal_from_double,
    decimal_to_double,
    json_round4,
    net_add,
    net_div,
    net_mul,
    net_sub,
    round_decimal,
    safe_decimal_cast,
    timedelta_ticks,
)

_SQRT2 = 1.4142135623730951


@dataclass
class PortfolioStatistics:
    """Lean PortfolioStatistics: every field a .NET decimal (drawdown_recovery an int)."""
    average_win_rate: Decimal = ZERO
    average_loss_rate: Decimal = ZERO
    profit_loss_ratio: Decimal = ZERO
    win_rate: Decimal = ZERO
    loss_rate: Decimal = ZERO
    expectancy: Decimal = ZERO
    start_equity: Decimal = ZERO
    end_equity: Decimal = ZERO
    compounding_annual_return: Decimal = ZERO
    drawdown: Decimal = ZERO
    total_net_profit: Decimal = ZERO
    sharpe_ratio: Decimal = ZERO
    probabilistic_sharpe_ratio: Decimal = ZERO
    sortino_ratio: Decimal = ZERO
    alpha: Decimal = ZERO
    beta: Decimal = ZERO
    annual_standard_deviation: Decimal = ZERO
    annual_variance: Decimal = ZERO
    information_ratio: Decimal = ZERO
    tracking_error: Decimal = ZERO
    treynor_ratio: Decimal = ZERO
    portfolio_turnover: Decimal = ZERO
    value_at_risk99: Decimal = ZERO
    value_at_risk95: Decimal = ZERO
    drawdown_recovery: int = 0

    def to_json(self) -> dict[str, Any]:
        """camelCase keys in Lean's property order; values as JsonRoundingConverter writes them (strings)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            head, *rest = f.name.split("_")
            key = head + "".join(p.capitalize() for p in rest)
            out[key] = json_round4(getattr(self, f.name))
        return out


# ----------------------------------------------------------------------------- MathNet / LINQ double semantics

def linq_average(values: Sequence[float]) -> float:
    """System.Linq Average over doubles: sequential sum / count (raises on an empty list, as .NET does)."""
    if not values:
        raise ValueError("Sequence contains no elements")
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


def variance(values: Sequence[float]) -> float:
    """MathNet Statistics.Variance (StreamingStatistics): sample (n-1) variance, NaN when n < 2."""
    if len(values) < 2:
        return math.nan
    var, total = 0.0, values[0]
    for count, xi in enumerate(values[1:], start=2):
        total += xi
        diff = count * xi - total
        var += (diff * diff) / (count * (count - 1))
    return var / (len(values) - 1)


def std_dev(values: Sequence[float]) -> float:
    """MathNet StandardDeviation: sqrt of the sample variance."""
    v = variance(values)
    return math.nan if math.isnan(v) else math.sqrt(v)


def covariance(a: Sequence[float], b: Sequence[float]) -> float:
    """MathNet Statistics.Covariance (StreamingStatistics): sample covariance via the running co-moment."""
    if len(a) != len(b):
        raise ValueError("All vectors must have the same dimensionality.")
    n, mean1, mean2, comoment = 0, 0.0, 0.0, 0.0
    for x, y in zip(a, b, strict=True):
        mean2_prev = mean2
        n += 1
        mean1 += (x - mean1) / n
        mean2 += (y - mean2) / n
        comoment += (x - mean1) * (y - mean2_prev)
    return comoment / (n - 1) if n > 1 else math.nan


def streaming_mean(values: Sequence[float]) -> float:
    """MathNet StreamingStatistics.Mean: mean += (x - mean) / ++m."""
    mean = 0.0
    for m, x in enumerate(values, start=1):
        mean += (x - mean) / m
    return mean if values else math.nan


def _fdiv(a: float, b: float) -> float:
    """IEEE-754 division as .NET does it (x/0 -> +-inf, 0/0 -> NaN) instead of raising."""
    if b != 0 or math.isnan(b):
        return a / b
    if a == 0 or math.isnan(a):
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def skewness_kurtosis(values: Sequence[float]) -> tuple[float, float]:
    """MathNet RunningStatistics Skewness (type 2, NaN if n < 3) and excess Kurtosis (type 2, NaN if n < 4)."""
    n, m1, m2, m3, m4 = 0, 0.0, 0.0, 0.0, 0.0
    for x in values:  # Terriberry's one-pass update of the central moment sums
        n += 1
        d = x - m1
        s = d / n
        s2 = s * s
        t = d * s * (n - 1)
        m1 += s
        m4 += t * s2 * (n * n - 3 * n + 3) + 6 * s2 * m2 - 4 * s * m3
        m3 += t * s * (n - 2) - 3 * s * m2
        m2 += t
    skew = math.nan if n < 3 else _fdiv(n * m3 * math.sqrt(m2 / (n - 1)), m2 * m2 * (n - 2)) * (n - 1)
    kurt = math.nan if n < 4 else \
        (float(n) * n - 1) / ((n - 2) * (n - 3)) * (_fdiv(n * m4, m2 * m2) - 3 + 6.0 / (n + 1))
    return skew, kurt


def normal_cdf(x: float) -> float:
    """MathNet Normal().CumulativeDistribution(x) = 0.5 * erfc((0 - x) / (1 * sqrt2))."""
    return 0.5 * math.erfc((0.0 - x) / (1.0 * _SQRT2))


def normal_inv_cdf(mean: float, std: float, p: float) -> float:
    """MathNet Normal.InvCDF(mean, std, p): Acklam's rational approximation polished by Newton steps
    on math.erfc, accurate to a few ulps (Lean rounds the result to 3 decimals)."""
    if std < 0:
        raise ValueError("Invalid parametrization for the distribution.")
    if p <= 0.0:
        return -math.inf
    if p >= 1.0:
        return math.inf
    a = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02, 1.383577518672690e02,
         -3.066479806614716e01, 2.506628277459239e00)
    b = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02, 6.680131188771972e01,
         -1.328068155288572e01)
    c = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00, -2.549732539343734e00,
         4.374664141464968e00, 2.938163982698783e00)
    d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)
    lo = 0.02425
    if p < lo or p > 1 - lo:
        q = math.sqrt(-2 * math.log(p if p < lo else 1 - p))
        z = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / \
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        z = z if p < lo else -z
    else:
        q = p - 0.5
        r = q * q
        z = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / \
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    for _ in range(3):  # Newton on Phi(z) - p; Phi' = pdf
        err = 0.5 * math.erfc(-z / _SQRT2) - p
        z -= err / (math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi))
    return mean + std * z


def _is_nan_or_zero(x: float) -> bool:
    return math.isnan(x) or x == 0.0


# ----------------------------------------------------------------------------- Lean Statistics.cs

def annual_variance(values: Sequence[float], trading_days: float) -> float:
    """Statistics.AnnualVariance: sample variance * days, 0 when NaN or zero."""
    v = variance(values)
    return 0.0 if _is_nan_or_zero(v) else v * trading_days


def annual_performance(values: Sequence[float], trading_days: float) -> float:
    """Statistics.AnnualPerformance: (mean + 1)^days - 1."""
    return math.pow(linq_average(values) + 1, trading_days) - 1


def tracking_error(perf: Sequence[float], bench: Sequence[float], trading_days: float) -> float:
    """Statistics.TrackingError: sqrt(annual variance of the differences); 0 when lengths differ."""
    if len(perf) != len(bench):
        return 0.0
    return math.sqrt(annual_variance([p - b for p, b in zip(perf, bench, strict=True)], trading_days))


def sharpe_ratio(average_performance: Decimal, std: Decimal, risk_free: Decimal) -> Decimal:
    """Statistics.SharpeRatio(decimal...): computed in doubles, cast back with SafeDecimalCast."""
    s = decimal_to_double(std)
    value = 0.0 if s == 0 else (decimal_to_double(average_performance) - decimal_to_double(risk_free)) / s
    return safe_decimal_cast(value)


def probabilistic_sharpe_ratio(perf: Sequence[float], benchmark_sharpe: float, risk_free: float) -> float:
    """Statistics.ProbabilisticSharpeRatio on excess returns (Lean #9583); 0 when the estimate's std is NaN."""
    std = std_dev(perf)
    observed = 0.0 if _is_nan_or_zero(std) else (linq_average(perf) - risk_free) / std
    skew, kurt = skewness_kurtosis(perf)
    operand_a = skew * observed
    operand_b = ((kurt - 1) / 4) * math.pow(observed, 2)
    radicand = (1 - operand_a + operand_b) / (len(perf) - 1)
    estimate_std = math.nan if math.isnan(radicand) or radicand < 0 else math.pow(radicand, 0.5)
    if math.isnan(estimate_std):
        return 0.0
    value = 0.0 if _is_nan_or_zero(estimate_std) else (observed - benchmark_sharpe) / estimate_std
    return normal_cdf(value)


def compounding_annual_performance(start: Decimal, final: Decimal, years: Decimal) -> Decimal:
    """Statistics.CompoundingAnnualPerformance: (final/start)^(1/years) - 1 in doubles; 0 if undefined."""
    if years == 0 or start == 0:
        return ZERO
    power = 1 / decimal_to_double(years)
    base = decimal_to_double(final) / decimal_to_double(start)
    try:
        result = math.pow(base, power) - 1
    except (ValueError, OverflowError):
        return ZERO
    return ZERO if math.isnan(result) or math.isinf(result) else safe_decimal_cast(result)


def drawdown_metrics(equity: Sequence[tuple[datetime, Decimal]], rounding: int = 3) -> tuple[Decimal, int]:
    """Statistics.CalculateDrawdownMetrics: (round(|max drawdown|, rounding) as a fraction, max recovery days)."""
    if len(equity) < 2:
        return ZERO, 0
    max_drawdown, max_recovery = ZERO, ZERO
    peak_time, peak = equity[0]
    drawdown_start: datetime | None = None
    low: Decimal | None = None  # lowest value seen under the current peak
    for t, value in equity:
        if value >= peak:
            if drawdown_start is not None:
                days = timedelta_ticks(t - drawdown_start) / 864_000_000_000
                max_recovery = max(max_recovery, decimal_from_double(days))
                drawdown_start = None
            peak, peak_time, low = value, t, None
        if peak == 0:  # Lean's value / peak throws; it logs the error and reports no drawdown
            return ZERO, 0
        # value/peak - 1 is 0 at a peak, and (correctly rounded division being monotonic) under one peak
        # only a new low can lower the drawdown: skip the division otherwise, the result is the same
        if value >= peak or (low is not None and value >= low):
            continue
        low = value
        current = net_sub(net_div(value, peak), Decimal(1))
        if current < 0:
            max_drawdown = min(max_drawdown, current)
            if drawdown_start is None:
                drawdown_start = peak_time
    return round_decimal(max_drawdown.copy_abs(), rounding), int(max_recovery)


def value_at_risk(perf: Sequence[float], lookback: int, confidence: float) -> Decimal:
    """PortfolioStatistics.GetValueAtRisk: Normal.InvCDF(mean, std, 1 - c) of the last `lookback` returns."""
    period = list(perf[-lookback:])
    var = normal_inv_cdf(streaming_mean(period), std_dev(period), 1 - confidence)
    return round_decimal(decimal_from_double(var), 3)


# ----------------------------------------------------------------------------- PortfolioStatistics ctor

def decimal_average(values: Sequence[Decimal]) -> Decimal:
    """Enumerable.Average over decimals: sequential .NET sum / count."""
    total = ZERO
    for v in values:
        total = net_add(total, v)
    return net_div(total, Decimal(len(values)))


def compute_portfolio_statistics(
    profit_loss: Sequence[tuple[datetime, Decimal]],
    equity: Sequence[tuple[datetime, Decimal]],
    portfolio_turnover: Sequence[Decimal],
    list_performance: list[float],
    list_benchmark: list[float],
    starting_capital: Decimal,
    risk_free_rate: Callable[[date], Decimal],
    trading_days_per_year: int = 252,
    win_count: int | None = None,
    loss_count: int | None = None,
    risk_free_average: Decimal | None = None,
) -> PortfolioStatistics:
    """Lean's PortfolioStatistics constructor (spec §4.3). `equity` is time-ordered (UTC), the two lists are
    the prepared daily returns (StatisticsBuilder drops the first points), `profit_loss` the transaction records.
    `risk_free_average`, when given, replaces the average of `risk_free_rate` over the equity points' dates."""
    s = PortfolioStatistics(start_equity=starting_capital, end_equity=equity[-1][1] if equity else ZERO)
    if portfolio_turnover:
        s.portfolio_turnover = decimal_average(portfolio_turnover)
    # minimum amount of samples to calculate variance
    if starting_capital == 0 or len(list_benchmark) < 2 or len(list_performance) < 2:
        return s

    running, total_profit, total_loss, wins, losses = starting_capital, ZERO, ZERO, 0, 0
    for _, pnl in profit_loss:
        if pnl > 0:
            total_profit = net_add(total_profit, net_div(pnl, running))
            wins += 1
        else:
            total_loss = net_add(total_loss, net_div(pnl, running))
            losses += 1
        running = net_add(running, pnl)
    s.average_win_rate = ZERO if wins == 0 else net_div(total_profit, Decimal(wins))
    s.average_loss_rate = ZERO if losses == 0 else net_div(total_loss, Decimal(losses))
    s.profit_loss_ratio = ZERO if s.average_loss_rate == 0 else \
        net_div(s.average_win_rate, s.average_loss_rate.copy_abs())
    if win_count is not None and loss_count is not None:
        wins, losses = win_count, loss_count
    trades = wins + losses
    s.win_rate = ZERO if trades == 0 else net_div(Decimal(wins), Decimal(trades))
    s.loss_rate = ZERO if trades == 0 else net_div(Decimal(losses), Decimal(trades))
    s.expectancy = net_sub(net_mul(s.win_rate, s.profit_loss_ratio), s.loss_rate)

    first_time, last_time, last_equity = equity[0][0], equity[-1][0], equity[-1][1]
    s.total_net_profit = net_sub(net_div(last_equity, starting_capital), Decimal(1))
    days = timedelta_ticks(last_time - first_time) / 864_000_000_000
    years = net_div(decimal_from_double(days), Decimal(365))
    s.compounding_annual_return = compounding_annual_performance(starting_capital, last_equity, years)

    days_per_year = float(trading_days_per_year)
    s.annual_variance = safe_decimal_cast(annual_variance(list_performance, days_per_year))
    s.annual_standard_deviation = decimal_from_double(math.sqrt(decimal_to_double(s.annual_variance)))
    benchmark_annual = safe_decimal_cast(annual_performance(list_benchmark, days_per_year))
    annual = safe_decimal_cast(annual_performance(list_performance, days_per_year))

    rf = risk_free_average
    if rf is None:  # every equity point (UTC date) counts, intraday ones included
        rf = decimal_average([risk_free_rate((t.astimezone(timezone.utc) if t.tzinfo else t).date()) for t, _ in equity])
    s.sharpe_ratio = ZERO if s.annual_standard_deviation == 0 else sharpe_ratio(annual, s.annual_standard_deviation, rf)
    downside = safe_decimal_cast(math.sqrt(annual_variance([r for r in list_performance if r < 0], days_per_year)))
    s.sortino_ratio = ZERO if downside == 0 else sharpe_ratio(annual, downside, rf)

    bench_variance = variance(list_benchmark)
    s.beta = ZERO if _is_nan_or_zero(bench_variance) else \
        decimal_from_double(covariance(list_performance, list_benchmark) / bench_variance)
    s.alpha = ZERO if s.beta == 0 else \
        net_sub(annual, net_add(rf, net_mul(s.beta, net_sub(benchmark_annual, rf))))
    s.tracking_error = decimal_from_double(tracking_error(list_performance, list_benchmark, days_per_year))
    if s.tracking_error != 0:
        excess = safe_decimal_cast(decimal_to_double(annual) - decimal_to_double(benchmark_annual))
        s.information_ratio = net_div(excess, s.tracking_error)
    if s.beta != 0:
        s.treynor_ratio = net_div(safe_decimal_cast(decimal_to_double(annual) - decimal_to_double(rf)), s.beta)
    benchmark_sharpe = 1.0 / math.sqrt(trading_days_per_year)  # a de-annualized Sharpe of 1
    s.probabilistic_sharpe_ratio = safe_decimal_cast(probabilistic_sharpe_ratio(
        list_performance, benchmark_sharpe, decimal_to_double(rf) / trading_days_per_year))
    s.value_at_risk99 = value_at_risk(list_performance, trading_days_per_year, 0.99)
    s.value_at_risk95 = value_at_risk(list_performance, trading_days_per_year, 0.95)
    s.drawdown, s.drawdown_recovery = drawdown_metrics(equity, 3)
    return s
