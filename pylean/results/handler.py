"""Sampling during the run and the final statistics (Engine/Results/BacktestingResultHandler.cs, BaseResultsHandler.cs).

During the run this only samples (spec §4.2): the equity candle every step, an equity point every
resample period, and the daily midnight sample (return, benchmark, drawdown, turnover). Statistics
are computed once at the end from what was sampled.
"""
from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Callable

from pylean.results.charts import (SERIES_BAR, SERIES_LINE, CandleSeries, Chart, EquityCandle,
                                   Series)
from pylean.statistics.capacity import CapacityEstimate
from pylean.statistics.summary import StatisticsInputs, StatisticsResults, build_statistics
from pylean.statistics.trades import TradeBuilder

ZERO = Decimal(0)
_FOUR_PLACES = Decimal("0.0001")
_MINIMUM_RESAMPLE = timedelta(minutes=4)
_EPOCH = datetime(1970, 1, 1)
_ONE_MS = timedelta(milliseconds=1)


class ResultHandler:
    """Collects the samples, algorithm log lines and statistics inputs of one backtest."""

    def __init__(self) -> None:
        self.next_sample: datetime | None = None  # naive UTC
        self._last_value: Decimal | None = None
        # on_step changes nothing while the portfolio value is this object and the UTC epoch ms of the step is
        # at most quiet_until_ms (the engine's per-step check; the candle is open and no sample is due)
        self.quiet_value: Decimal | None = None
        self.quiet_until_ms = -1
        self.configure(datetime(1998, 1, 1, tzinfo=timezone.utc), datetime(1998, 1, 2, tzinfo=timezone.utc),
                       Decimal(100000))
        self.candle = EquityCandle()
        self.charts: dict[str, Chart] = {}
        strategy = self._chart("Strategy Equity")
        self.equity = strategy.add_series(CandleSeries("Equity", "$", 0))
        self.returns = strategy.add_series(Series("Return", SERIES_BAR, "%", 1))
        self.benchmark = self._chart("Benchmark").add_series(Series("Benchmark", SERIES_LINE, "", 0))
        self.drawdown = self._chart("Drawdown").add_series(Series("Equity Drawdown", SERIES_LINE, "%", 0))
        self.turnover = self._chart("Portfolio Turnover").add_series(
            Series("Portfolio Turnover", SERIES_LINE, "%", 0, always_accept=True))
        exposure = self._chart("Exposure")
        self.long_ratio = exposure.add_series(Series("Equity - Long Ratio", SERIES_LINE, "", 0))
        self.short_ratio = exposure.add_series(Series("Equity - Short Ratio", SERIES_LINE, "", 0))
        self.capacity_series = self._chart("Capacity").add_series(Series("Strategy Capacity", SERIES_LINE, "$", 0))
        self._previous_sale_volume = ZERO
        # Lean gives closed trades random GUIDs; ours count up so that runs are reproducible bit for bit
        trade_numbers = itertools.count(1)
        self.trades = TradeBuilder(lambda: str(uuid.UUID(int=next(trade_numbers))))
        # algorithm messages: drained at each equity sample, debug then error then log (spec §6.6)
        self._debug: list[str] = []
        self._error: list[str] = []
        self._log: list[str] = []
        self._last_debug: str | None = None
        self._last_error: str | None = None
        self.log_lines: list[str] = []
        self.runtime_statistics: dict[str, str] = {}
        self.summary_statistics: dict[str, str] = {}

    def configure(self, start_utc: datetime, end_utc: datetime, starting_cash: Decimal,
                  start_local: datetime | None = None, end_local: datetime | None = None) -> None:
        """Set the period and starting value once `initialize` has chosen them."""
        self.start_utc = start_utc
        self.end_utc = end_utc
        self.starting_portfolio_value = starting_cash
        self.daily_portfolio_value = starting_cash
        self.cumulative_max = starting_cash
        span_minutes = (end_utc - start_utc).total_seconds() / 60
        self.resample_period = max(_MINIMUM_RESAMPLE, timedelta(minutes=span_minutes / 4000))
        # Lean builds the capacity snapshot schedule from the local start/end dates (see CapacityEstimate)
        self.capacity = CapacityEstimate(start_local or start_utc, end_local or end_utc)

    def _chart(self, name: str, chart_type: int = 0) -> Chart:
        return self.charts.setdefault(name, Chart(name, chart_type=chart_type))

    # ------------------------------------------------------------ warm-up
    def recapture_start(self, portfolio_value: Decimal) -> None:
        """After warm-up Lean re-captures the starting value before user code trades (#9653)."""
        self.starting_portfolio_value = portfolio_value
        self.daily_portfolio_value = portfolio_value
        self.cumulative_max = portfolio_value

    # ------------------------------------------------------------ per step
    def on_step(self, utc_time: datetime, portfolio_value: Decimal) -> None:
        """ProcessSynchronousEvents: grow the equity candle; sample it every resample period.

        `utc_time` is naive UTC (the engine's per-step clock); points are stored aware.
        """
        if portfolio_value != self._last_value or self.candle.open is None:
            self._last_value = portfolio_value
            self.candle.update(portfolio_value.quantize(_FOUR_PLACES))
        if self.next_sample is None or utc_time > self.next_sample:
            self._sample_equity(utc_time.replace(tzinfo=timezone.utc))
            self.next_sample = utc_time + self.resample_period
            self.drain_logs()
        self.quiet_value = portfolio_value if self.candle.open is not None else None
        self.quiet_until_ms = (self.next_sample - _EPOCH) // _ONE_MS  # whole ms: utc > next_sample iff utc_ms > this

    def _sample_equity(self, utc_time: datetime) -> None:
        candle = self.candle
        self.quiet_value = None  # the candle opens again at the next step
        if candle.open is None:
            return
        self.equity.add(utc_time, candle.open, candle.high, candle.low, candle.close)  # type: ignore[union-attr, arg-type]
        candle.reset()

    def daily_sample(self, utc_time: datetime, portfolio_value: Decimal, benchmark_value: Decimal,
                     sale_volume: Decimal, long_value: Decimal, short_value: Decimal) -> None:
        """The midnight `Sample`: equity, return, benchmark, drawdown, exposure, turnover."""
        self.candle.update(portfolio_value.quantize(_FOUR_PLACES))
        self._sample_equity(utc_time)
        self.benchmark.add(utc_time, benchmark_value)  # type: ignore[union-attr]
        performance = ZERO
        if self.daily_portfolio_value:
            performance = round((portfolio_value - self.daily_portfolio_value) * 100 / self.daily_portfolio_value, 10)
        self.returns.add(utc_time, performance)  # type: ignore[union-attr]
        self.cumulative_max = max(self.cumulative_max, portfolio_value)
        if self.cumulative_max:
            self.drawdown.add(utc_time, round((portfolio_value / self.cumulative_max - 1) * 100, 2))  # type: ignore[union-attr]
        if portfolio_value:
            self.long_ratio.add(utc_time, long_value / portfolio_value)  # type: ignore[union-attr]
            self.short_ratio.add(utc_time, short_value / portfolio_value)  # type: ignore[union-attr]
        self._sample_turnover(utc_time, portfolio_value, sale_volume)
        self.daily_portfolio_value = portfolio_value

    def _sample_turnover(self, utc_time: datetime, portfolio_value: Decimal, sale_volume: Decimal) -> None:
        local_start = self.start_utc
        if utc_time == local_start:
            return  # no turnover point for the start date's own midnight
        if portfolio_value:
            self.turnover.add(utc_time, (sale_volume - self._previous_sale_volume) / portfolio_value)  # type: ignore[union-attr]
        self._previous_sale_volume = sale_volume

    # ------------------------------------------------------------ messages
    def debug(self, line: str) -> None:
        if line != self._last_debug:  # consecutive duplicates are dropped in backtests
            self._debug.append(line)
            self._last_debug = line

    def error(self, line: str) -> None:
        if line != self._last_error:
            self._error.append(line)
            self._last_error = line

    def log(self, line: str) -> None:
        self._log.append(line)

    def drain_logs(self) -> None:
        if self._debug or self._error or self._log:
            self.log_lines.extend(self._debug)
            self.log_lines.extend(self._error)
            self.log_lines.extend(self._log)
            self._debug.clear()
            self._error.clear()
            self._log.clear()

    def system_line(self, line: str) -> None:
        self.drain_logs()
        self.log_lines.append(line)

    # ------------------------------------------------------------ end of run
    def build_statistics(self, total_fees: Decimal, total_orders: int, profit_loss: dict[datetime, Decimal],
                         risk_free_rate: Callable, symbol_json: Callable | None = None) -> StatisticsResults:
        capacity = self.capacity.capacity
        inputs = StatisticsInputs(
            equity=self.equity.closes(),  # type: ignore[union-attr]
            performance=list(self.returns.points),  # type: ignore[union-attr]
            benchmark=list(self.benchmark.points),  # type: ignore[union-attr]
            portfolio_turnover=list(self.turnover.points),  # type: ignore[union-attr]
            profit_loss=sorted(profit_loss.items()),
            starting_capital=self.starting_portfolio_value,
            total_fees=total_fees,
            total_orders=total_orders,
            capacity=capacity,
            lowest_capacity_asset=self.capacity.lowest_capacity_asset or "",
            risk_free_rate=risk_free_rate,
            closed_trades=list(self.trades.closed_trades),
            custom_summary=dict(self.summary_statistics),
            symbol_json=symbol_json,
        )
        return build_statistics(inputs)

