"""`self.statistics` during a run (Algorithm/QCAlgorithm.cs Statistics, Common/Statistics/PerformanceMetrics.cs):
the statistics as they stand now, built the way the end of the run builds them, with the summary as a .NET
dictionary (indexable by name, iterated as key-value pairs) that includes the custom summary statistics.
"""
from __future__ import annotations

from typing import Any

from pylean.dotnet.collections_generic import Dictionary
from pylean.naming import lean_api


class PerformanceMetrics:
    """The names of the summary statistics."""

    ALPHA = "Alpha"
    ANNUAL_STANDARD_DEVIATION = "Annual Standard Deviation"
    ANNUAL_VARIANCE = "Annual Variance"
    AVERAGE_LOSS = "Average Loss"
    AVERAGE_WIN = "Average Win"
    BETA = "Beta"
    COMPOUNDING_ANNUAL_RETURN = "Compounding Annual Return"
    DRAWDOWN = "Drawdown"
    ESTIMATED_STRATEGY_CAPACITY = "Estimated Strategy Capacity"
    EXPECTANCY = "Expectancy"
    START_EQUITY = "Start Equity"
    END_EQUITY = "End Equity"
    INFORMATION_RATIO = "Information Ratio"
    LOSS_RATE = "Loss Rate"
    NET_PROFIT = "Net Profit"
    PROBABILISTIC_SHARPE_RATIO = "Probabilistic Sharpe Ratio"
    PROFIT_LOSS_RATIO = "Profit-Loss Ratio"
    SHARPE_RATIO = "Sharpe Ratio"
    SORTINO_RATIO = "Sortino Ratio"
    TOTAL_FEES = "Total Fees"
    TOTAL_ORDERS = "Total Orders"
    TRACKING_ERROR = "Tracking Error"
    TREYNOR_RATIO = "Treynor Ratio"
    WIN_RATE = "Win Rate"
    LOWEST_CAPACITY_ASSET = "Lowest Capacity Asset"
    PORTFOLIO_TURNOVER = "Portfolio Turnover"
    DRAWDOWN_RECOVERY = "Drawdown Recovery"


for _name in [n for n in vars(PerformanceMetrics) if n.isupper()]:
    setattr(PerformanceMetrics, "".join(part.title() for part in _name.split("_")), getattr(PerformanceMetrics, _name))


@lean_api
class RunStatistics:
    """What `self.statistics` answers: the summary (and the detailed figures) as of now."""

    def __init__(self, summary: Dictionary, portfolio_statistics: Any, trade_statistics: Any) -> None:
        self.summary = summary
        self.total_performance = {"portfolioStatistics": portfolio_statistics, "tradeStatistics": trade_statistics}


def current_statistics(runtime: Any) -> RunStatistics:
    results = runtime.results
    summary = Dictionary()
    portfolio_statistics: Any = {}
    trade_statistics: Any = {}
    if results is not None:
        built = results.build_statistics(runtime.portfolio.total_fees_decimal, len(runtime.transactions.orders),
                                         runtime.portfolio.transaction_records, runtime.interest_rates.rate)
        summary.update(built.summary)
        portfolio_statistics, trade_statistics = built.portfolio_statistics, built.trade_statistics
        summary.update(results.summary_statistics)  # custom ones set since (build_statistics copies them too)
    return RunStatistics(summary, portfolio_statistics, trade_statistics)
