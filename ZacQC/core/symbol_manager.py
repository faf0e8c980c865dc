"""SymbolManager: builds one symbol's components and runs its per-15-s pipeline.

Pipeline of a processed cycle (one per new 15-s bar): data check -> guard-time short circuit (idle symbols
outside the entry window stop here) -> rally sample -> metrics -> gates -> entries (conditions, exit
cooldowns, stop-market placement) -> entry monitors, SL ratchet and time actions.
"""
from __future__ import annotations

from datetime import datetime

from AlgorithmImports import QCAlgorithm, Slice, Symbol, TradeBar

from config.parameters import CONDITIONS, LONG_CONDITIONS, TradingParameters
from core.kernels import Kernels
from core.strategy import Strategy
from core.utils import timed
from data.data_manager import DataManager
from data.metrics import MetricsCalculator, StreamingMetricsCalculator
from data.streaming import StreamingDataManager
from management.rally_detector import RallyDetector, RallyGates, RingRallyDetector
from management.risk_manager import RiskManager
from trading.conditions import ConditionsChecker, FastConditionsChecker, in_entry_window
from trading.entry_monitors import EntryMonitor
from trading.open_orders import OpenOrdersView, OrderEpoch, OrderStatusView
from trading.order_manager import OrderManager


class SymbolManager:
    def __init__(self, algorithm: QCAlgorithm, symbol: Symbol, params: TradingParameters, kernels: Kernels,
                 risk: RiskManager, all_symbols: list[Symbol], order_epoch: OrderEpoch | None = None) -> None:
        self.algorithm = algorithm
        self.symbol = symbol
        self.ticker = symbol.value
        self.params = params
        self.risk = risk
        self.all_symbols = all_symbols
        self.window = params.entry_window
        self.streaming = kernels.streaming
        self.data = StreamingDataManager(algorithm, symbol, kernels) if kernels.streaming else \
            DataManager(algorithm, symbol, kernels)
        self.calculator = StreamingMetricsCalculator(self.data, params) if kernels.streaming else \
            MetricsCalculator(self.data, params)
        self.metrics = self.calculator.metrics
        self.rally: RallyGates = RingRallyDetector(params, kernels.rally_extremes) if kernels.streaming else \
            RallyDetector(params, kernels.memoize_rally)
        self.strategy = Strategy(algorithm, symbol, params, algorithm.time)
        checker = FastConditionsChecker if kernels.streaming else ConditionsChecker
        self.conditions = checker(params, self.data, self.metrics, self.strategy, self.rally, kernels,
                                  risk.validate_trading_conditions)
        self.order_epoch = order_epoch if kernels.streaming else None
        epoch = self.order_epoch
        self.orders = OrderManager(algorithm, symbol, params, self.strategy, self.data, self.metrics,
                                   self._daily_limit_reached, self.start_exit_cooldowns,
                                   OpenOrdersView(algorithm, symbol, epoch) if epoch is not None else None,
                                   OrderStatusView(algorithm, epoch) if epoch is not None else None)
        self.idle_at = -1   # optimized path: the order epoch at which this symbol was last seen idle off-window
        self.monitor = EntryMonitor(algorithm, symbol, params, self.strategy, self.data, self.metrics, self.orders)
        self.data.on_new_15s_bar = self.strategy.log_trailing_order_prices
        if isinstance(self.data, StreamingDataManager):
            self.data.pending_entries = self.strategy.pending
        self.last_exit_symbol: datetime | None = None
        self.last_exit_by_condition: dict[str, datetime] = {}

    def components(self) -> list[object]:
        """Everything with `@timed` stages, for the instrumentation."""
        return [self, self.data, self.calculator, self.rally, self.strategy]

    def initialize(self) -> None:
        """Consolidators and (legacy) the daily history; the streaming path loads history in batches."""
        self.data.register_consolidators()
        if not self.streaming:
            self.data.load_history()

    def _daily_limit_reached(self) -> bool:
        return self.risk.daily_limit_reached

    # ------------------------------------------------------------ per second
    def on_data(self, data: Slice, limit_active: bool) -> None:
        bars = data.bars
        if not bars.contains_key(self.symbol):
            return
        bar = bars[self.symbol]
        if limit_active or not self.data.has_new_bar:
            return
        self.run_cycle(bar)

    def run_cycle(self, bar: TradeBar) -> None:
        try:
            self.process_cycle(bar)
        except Exception as exc:  # the original reports pipeline errors and carries on with the next symbol
            self.algorithm.error(f"{self.ticker} pipeline error at {self.algorithm.time}: {exc!r}")

    # ------------------------------------------------------------ per processed 15-s cycle
    @timed("total")
    def process_cycle(self, bar: TradeBar) -> None:
        now = self.algorithm.time
        if not self.data.on_data(now):
            return
        if self._guard_time_short_circuit(now):
            return
        self.rally.add_sample(now, bar.high, bar.low, bar.close, bar.open)
        metrics = self.calculator.calculate_all(now, bar.close)
        self.strategy.run_gates(now, metrics)
        self.run_strategy(now, bar.close)

    def _guard_time_short_circuit(self, now: datetime) -> bool:
        """Outside the entry window an idle symbol (no pending, position, sent flag or open order) stops.

        Optimized path: off-window, an idle symbol stays idle until an order event (new orders, fills and
        cancels all come with one) or the window opens (only in-window cycles create entries), so the
        reading is reused while the order epoch is unchanged and every cycle since was off-window.
        """
        if in_entry_window(now, self.window):
            self.idle_at = -1
            return False
        epoch = self.order_epoch
        if epoch is None:
            return not self.orders.has_outstanding_work()
        if self.idle_at == epoch.value:
            return True
        if self.orders.has_outstanding_work():
            return False
        self.idle_at = epoch.value
        return True

    @timed("strategy_logic")
    def run_strategy(self, now: datetime, price: float) -> None:
        self.process_basic_strategy(now, price)
        self.monitor.monitor_vwap_conditions()
        self.monitor.monitor_range_based_cancellations()
        self.orders.update_stop_loss()
        self.strategy.trade_time_action(now, price)

    def process_basic_strategy(self, now: datetime, price: float) -> None:
        params = self.params
        if not self.strategy.trading_enabled or not in_entry_window(now, self.window):
            return
        threshold = params.Liquidity_Threshold
        if not (threshold <= 0 or self.metrics.liq_millions > threshold):
            return
        if self.risk.daily_limit_reached:
            return
        results = self.conditions.check_all(now)
        for condition in CONDITIONS:
            if not results[condition] or self.in_exit_cooldown(condition, now):
                continue
            long = condition in LONG_CONDITIONS
            if not self.conditions.vwap_ok(long):
                continue
            self.orders.execute_entry(condition, long, price, now, self.all_symbols)

    # ------------------------------------------------------------ exit cooldowns (never reset daily)
    def in_exit_cooldown(self, condition: str, now: datetime) -> bool:
        if self.last_exit_symbol is not None and \
                (now - self.last_exit_symbol).total_seconds() / 60 < self.params.SameSymbolTime:
            return True
        last = self.last_exit_by_condition.get(condition)
        return last is not None and \
            (now - last).total_seconds() / 60 < self.params.same_condition_minutes(condition)

    def start_exit_cooldowns(self, condition: str, now: datetime) -> None:
        self.last_exit_symbol = now
        self.last_exit_by_condition[condition] = now
        if condition in self.strategy.last_exit:
            self.strategy.last_exit[condition] = now

    # ------------------------------------------------------------ scheduled
    def end_of_day(self) -> None:
        """15:59: flatten, then reset the day (day values, rally samples, flags, pending, time actions)."""
        now = self.algorithm.time
        self.orders.close_all_positions()
        self.strategy.pending.clear()
        self.data.reset_day()
        self.rally.reset()
        self.strategy.reset_daily(now)

    def cancel_entries(self) -> None:
        self.monitor.cancel_entry_orders()
