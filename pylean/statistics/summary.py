"""Summary, total and rolling performance from the sampled series (Common/Statistics/StatisticsBuilder.cs)."""
from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Context, Decimal
from typing import Any, Callable, Mapping, Sequence

from pylean.statistics.dotnet import (
    ZERO,
    decimal_str,
    decimal_to_double,
    format_double,
    format_fixed_2_away,
    format_n2,
    format_p,
    math_round_double,
    net_div,
    net_mul,
    net_sub,
    round_decimal,
    round_to_significant_digits,
    to_net,
)
from pylean.statistics.portfolio_statistics import (
    PortfolioStatistics,
    compute_portfolio_statistics,
    decimal_average,
)
from pylean.statistics.trades import Trade, compute_trade_statistics

log = logging.getLogger(__name__)
_EXACT = Context(prec=80, Emin=-999999, Emax=999999)
_HUNDRED = Decimal(100)
_DECIMAL_MAX = Decimal(2**96 - 1)

Points = Sequence[tuple[datetime, Decimal]]


@dataclass(frozen=True)
class StatisticsInputs:
    """Everything StatisticsBuilder.Generate receives (spec §4.1); all times UTC."""
    equity: Points                        # "Strategy Equity"/"Equity" candle closes, SmartRounded, time-ordered
    performance: Points                   # "Strategy Equity"/"Return" daily % points (SmartRounded)
    benchmark: Points                     # "Benchmark"/"Benchmark" points (SmartRounded)
    portfolio_turnover: Points
    profit_loss: Points                   # transaction records (§3.13), chronological
    starting_capital: Decimal
    total_fees: Decimal
    total_orders: int
    capacity: Decimal | None              # CapacityEstimate.capacity; None/0 -> "$0"
    lowest_capacity_asset: str            # SID string or ""
    risk_free_rate: Callable[[date], Decimal]
    closed_trades: list[Trade]
    trading_days_per_year: int = 252
    custom_summary: Mapping[str, str] = field(default_factory=dict)  # set_summary_statistic entries
    symbol_json: Callable[[str], Any] | None = None  # how a closed trade's symbol is written (rolling window)


@dataclass(frozen=True)
class StatisticsResults:
    summary: dict[str, str]                # the 27 keys of §4.5 in Lean's order (+ custom ones)
    portfolio_statistics: dict[str, Any]   # totalPerformance.portfolioStatistics as written in the JSON
    trade_statistics: dict[str, Any]       # totalPerformance.tradeStatistics as written in the JSON
    rolling_window: dict[str, dict[str, Any]] = field(default_factory=dict)  # "M1_20131031" -> performance JSON
    error: str | None = None               # set when Lean would have failed to build statistics
    # closed trades -> their JSON (Trade.to_json), sharing the dicts the rolling windows hold
    closed_trades_json: Callable[[list[Trade]], list[Any]] | None = None


@dataclass
class _Performance:
    portfolio: PortfolioStatistics
    trades: list[Trade]


def _utc_date(t: datetime) -> date:
    return (t.astimezone(timezone.utc) if t.tzinfo else t).date()


class _Series:
    """A chart series as StatisticsBuilder.ChartPointToDictionary sees it: keyed by time (a later duplicate
    wins), time-ordered, sliced by UTC dates."""

    def __init__(self, points: Points) -> None:
        by_time: dict[datetime, Decimal] = {}
        for t, v in points:
            by_time[t] = v
        items = sorted(by_time.items())
        self.items = items
        self.values = [v for _, v in items]
        self.dates = [_utc_date(t) for t, _ in items]

    def span(self, start: date, end: date) -> tuple[int, int]:
        return bisect.bisect_left(self.dates, start), bisect.bisect_right(self.dates, end)


def _relative_changes(values: Sequence[Decimal]) -> list[float]:
    """(b_i - b_(i-1)) / b_(i-1) in .NET decimal, cast to double (0 when the previous value is 0)."""
    pairs = zip(values, values[1:], strict=False)
    return [0.0 if p == 0 else decimal_to_double(net_div(net_sub(v, p), p)) for p, v in pairs]


def benchmark_differences(points: Points, start: date, end: date) -> list[float]:
    """StatisticsBuilder.CreateBenchmarkDifferences: relative changes of the period's points, the first one
    dropped (day 1 is skipped to stay aligned with the performance list, because of MOO orders)."""
    series = _Series(points)
    lo, hi = series.span(start, end)
    return _relative_changes(series.values[lo:hi])[1:]


def performance_values(points: Points) -> list[float]:
    """StatisticsBuilder.PreprocessPerformanceValues: drop day 0 and day 1, percent -> fraction, as double."""
    return [decimal_to_double(net_div(v, _HUNDRED)) for _, v in list(points)[2:]]


class _PeriodBuilder:
    """StatisticsBuilder.GetAlgorithmPerformance for any date range, with the per-point work done once."""

    def __init__(self, inputs: StatisticsInputs, equity: _Series) -> None:
        self.inputs = inputs
        self.equity = equity
        self.benchmark = _Series(inputs.benchmark)
        self.performance = _Series(inputs.performance)
        self.turnover = _Series(inputs.portfolio_turnover)
        # index i holds the change from point i-1 to i (None for i = 0, never read: periods start at 2)
        self.bench_changes: list[float | None] = [None, *_relative_changes(self.benchmark.values)]
        self.perf_values = [decimal_to_double(net_div(v, _HUNDRED)) for v in self.performance.values]
        by_date: dict[date, Decimal] = {}
        rates = [by_date[d] if d in by_date else by_date.setdefault(d, inputs.risk_free_rate(d)) for d in equity.dates]
        self.rate_sums = _exact_prefix_sums(rates)
        self.rates = rates
        # the UTC dates the periods filter on, once for all periods
        self.trade_dates = [_utc_date(t.exit_time) for t in inputs.closed_trades]
        self.profit_loss_dates = [_utc_date(t) for t, _ in inputs.profit_loss]

    def period(self, start: date, end: date) -> _Performance | None:
        lo, hi = self.equity.span(start, end)
        if lo >= hi:  # no portfolio equity for the period: no performance
            return None
        inputs = self.inputs
        trades = [t for t, d in zip(inputs.closed_trades, self.trade_dates) if start <= d <= end]
        profit_loss = [p for p, d in zip(inputs.profit_loss, self.profit_loss_dates) if start <= d <= end]
        wins = sum(1 for _, v in profit_loss if v > 0)  # equities: isWin == (value > 0)
        b_lo, b_hi = self.benchmark.span(start, end)
        p_lo, p_hi = self.performance.span(start, end)
        if b_hi - b_lo != p_hi - p_lo:
            raise ValueError(f"Benchmark and performance series has {abs((b_hi - b_lo) - (p_hi - p_lo))} "
                             "misaligned values.")
        t_lo, t_hi = self.turnover.span(start, end)
        period_equity = self.equity.items[lo:hi]
        running = inputs.starting_capital if hi - lo == len(self.equity.items) else period_equity[0][1]
        if self.rate_sums is not None:
            rf = net_div(net_sub(self.rate_sums[hi], self.rate_sums[lo]), Decimal(hi - lo))
        else:
            rf = decimal_average(self.rates[lo:hi])
        portfolio = compute_portfolio_statistics(
            profit_loss, period_equity, self.turnover.values[t_lo:t_hi], self.perf_values[p_lo + 2:p_hi],
            self.bench_changes[b_lo + 2:b_hi], running, inputs.risk_free_rate,
            inputs.trading_days_per_year, wins, len(profit_loss) - wins, risk_free_average=rf)
        return _Performance(portfolio, trades)


def _exact_prefix_sums(values: Sequence[Decimal]) -> list[Decimal] | None:
    """Prefix sums, or None when one of them would be rounded as a .NET decimal (then differences of
    prefix sums would not equal Lean's sequential sums)."""
    sums = [ZERO]
    for v in values:
        exact = _EXACT.add(sums[-1], v)
        total = to_net(exact)
        if total != exact:
            return None
        sums.append(total)
    return sums


def _add_months(d: date, months: int) -> date:
    """DateTime.AddMonths: the day is clamped to the target month's length."""
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    first_next = date(y + (m + 1) // 12, (m + 1) % 12 + 1, 1)
    return date(y, m + 1, min(d.day, (first_next - timedelta(days=1)).day))


def period_ranges(months: int, first: date, last: date) -> list[tuple[date, date]]:
    """StatisticsBuilder.GetPeriodRanges: month-end windows of `months` months, partial first/last ones."""
    ends, d = [], last
    while True:
        ends.append(d)
        d = date(d.year, d.month, 1) - timedelta(days=1)
        if d < first:
            break
    ranges = [(first, ends[-1])]
    for e in reversed(ends[:-1]):
        s = _add_months(ranges[-1][1] + timedelta(days=1), 1 - months)
        ranges.append((max(s, first), e))
    return ranges


class _TradeFigures:
    """Trade statistics and closed-trade JSON per set of trades, computed once: the rolling windows of a
    short backtest all hold the same trades as the whole run (a run with thousands of trades paid for
    the same decimal statistics five times)."""

    def __init__(self, symbol_json: Callable[[str], Any] | None) -> None:
        self._symbol_json = symbol_json
        self._statistics: dict[tuple[int, ...], dict[str, Any]] = {}
        self._json: dict[int, Any] = {}

    def statistics(self, trades: list[Trade]) -> dict[str, Any]:
        key = tuple(map(id, trades))
        found = self._statistics.get(key)
        if found is None:
            found = self._statistics[key] = compute_trade_statistics(trades)
        return found  # shared between windows: results are only serialized, never changed

    def closed_trades(self, trades: list[Trade]) -> list[Any]:
        out = []
        for trade in trades:
            found = self._json.get(id(trade))
            if found is None:
                found = self._json[id(trade)] = trade.to_json(self._symbol_json)
            out.append(found)
        return out


def _performance_json(perf: _Performance | None, figures: _TradeFigures) -> dict[str, Any]:
    portfolio = perf.portfolio if perf else PortfolioStatistics()
    trades = perf.trades if perf else []
    return {"tradeStatistics": figures.statistics(trades), "portfolioStatistics": portfolio.to_json(),
            "closedTrades": figures.closed_trades(trades)}


def _pct(x: Decimal, digits: int) -> str:
    # SafeMultiply100 (saturates at decimal.MaxValue) then Math.Round(decimal, digits)
    scaled = _DECIMAL_MAX if x >= net_div(_DECIMAL_MAX, _HUNDRED) else net_mul(x, _HUNDRED)
    return decimal_str(round_decimal(scaled, digits)) + "%"


def _dbl(x: Decimal) -> str:
    return format_double(math_round_double(decimal_to_double(x), 3))


def summary_strings(p: PortfolioStatistics, capacity: Decimal | None, lowest_capacity_asset: str,
                    total_fees: Decimal, total_orders: int, currency: str = "$") -> dict[str, str]:
    """StatisticsBuilder.GetSummary: the 27 summary strings in Lean's insertion order (spec §4.5)."""
    cap = capacity if capacity is not None else ZERO
    return {
        "Total Orders": str(total_orders),
        "Average Win": _pct(p.average_win_rate, 2),
        "Average Loss": _pct(p.average_loss_rate, 2),
        "Compounding Annual Return": _pct(p.compounding_annual_return, 3),
        "Drawdown": _pct(p.drawdown, 3),
        "Expectancy": decimal_str(round_decimal(p.expectancy, 3)),
        "Start Equity": decimal_str(round_decimal(p.start_equity, 2)),
        "End Equity": decimal_str(round_decimal(p.end_equity, 2)),
        "Net Profit": _pct(p.total_net_profit, 3),
        "Sharpe Ratio": _dbl(p.sharpe_ratio),
        "Sortino Ratio": _dbl(p.sortino_ratio),
        "Probabilistic Sharpe Ratio": _pct(p.probabilistic_sharpe_ratio, 3),
        "Loss Rate": _pct(p.loss_rate, 0),
        "Win Rate": _pct(p.win_rate, 0),
        "Profit-Loss Ratio": decimal_str(round_decimal(p.profit_loss_ratio, 2)),
        "Alpha": _dbl(p.alpha),
        "Beta": _dbl(p.beta),
        "Annual Standard Deviation": _dbl(p.annual_standard_deviation),
        "Annual Variance": _dbl(p.annual_variance),
        "Information Ratio": _dbl(p.information_ratio),
        "Tracking Error": _dbl(p.tracking_error),
        "Treynor Ratio": _dbl(p.treynor_ratio),
        "Total Fees": currency + format_fixed_2_away(total_fees),
        "Estimated Strategy Capacity": currency + decimal_str(round_to_significant_digits(cap, 2)),
        "Lowest Capacity Asset": lowest_capacity_asset or "",
        "Portfolio Turnover": _pct(p.portfolio_turnover, 2),
        "Drawdown Recovery": str(p.drawdown_recovery),
    }


def build_statistics(inputs: StatisticsInputs) -> StatisticsResults:
    """StatisticsBuilder.Generate: total performance, rolling windows and the summary. When Lean would throw
    (misaligned series, non-finite annual performance) the empty result Lean reports is returned with `error`."""
    equity = _Series(inputs.equity)
    if not equity.items:  # BaseResultsHandler only generates statistics once equity has been sampled
        return StatisticsResults({}, PortfolioStatistics().to_json(), compute_trade_statistics([]))
    first, last = equity.dates[0], equity.dates[-1]
    try:
        builder = _PeriodBuilder(inputs, equity)
        total = builder.period(first, last)
        figures = _TradeFigures(inputs.symbol_json)
        rolling: dict[str, dict[str, Any]] = {}
        for months in (1, 3, 6, 12):
            for start, end in period_ranges(months, first, last):
                rolling[f"M{months}_{end:%Y%m%d}"] = _performance_json(builder.period(start, end), figures)
    except (ValueError, ArithmeticError) as err:
        log.error("StatisticsBuilder: error generating statistics: %s", err)
        return StatisticsResults({}, PortfolioStatistics().to_json(), compute_trade_statistics([]), {}, str(err))
    assert total is not None
    summary = summary_strings(total.portfolio, inputs.capacity, inputs.lowest_capacity_asset,
                              inputs.total_fees, inputs.total_orders)
    for key, value in inputs.custom_summary.items():  # AddCustomSummaryStatistics never overrides
        summary.setdefault(key, value)
    return StatisticsResults(summary, total.portfolio.to_json(), figures.statistics(total.trades), rolling,
                             closed_trades_json=figures.closed_trades)


def _runtime_sort_key(key: str) -> tuple[str, str]:
    # SortedDictionary<string, string> uses the culture-aware comparer: case-insensitive first, lower case first
    return key.casefold(), key.swapcase()


def runtime_statistics(*, total_portfolio_value: Decimal, starting_capital: Decimal, total_fees: Decimal,
                       total_net_profit: Decimal, total_holdings_value: Decimal, unrealized_profit: Decimal,
                       total_sale_volume: Decimal, summary: Mapping[str, str] | None = None,
                       custom: Mapping[str, str] | None = None, currency: str = "$") -> dict[str, str]:
    """BaseResultsHandler.GetAlgorithmRuntimeStatistics (spec §6.3 runtimeStatistics), keys sorted."""
    stats = dict(custom or {})
    stats["Probabilistic Sharpe Ratio"] = (summary or {}).get("Probabilistic Sharpe Ratio", "0%")
    stats["Unrealized"] = currency + format_n2(unrealized_profit)
    stats["Fees"] = f"-{currency}{format_n2(total_fees)}"
    stats["Net Profit"] = currency + format_n2(total_net_profit)
    net_return = net_div(net_sub(total_portfolio_value, starting_capital), starting_capital) \
        if starting_capital > 0 else ZERO
    stats["Return"] = format_p(net_return)
    stats["Equity"] = currency + format_n2(total_portfolio_value)
    stats["Holdings"] = currency + format_n2(total_holdings_value)
    stats["Volume"] = currency + format_n2(total_sale_volume)
    return {k: stats[k] for k in sorted(stats, key=_runtime_sort_key)}
