"""ZacReferenceAlgorithm: multi-symbol intraday US-equity strategy on second data (see README.md).

Per symbol: 15-second, 1-minute and daily consolidated bars; day metrics; a rally detector; five two-step
condition state machines; stop-market entries trailed once; stop-loss / take-profit on fill with a
break-even ratchet and time actions; a daily portfolio profit target; end-of-day flatten at 15:59; and the
"precise" custom fill model.
"""
from __future__ import annotations

from AlgorithmImports import OrderEvent, QCAlgorithm, Resolution, Slice, Symbol

from config.parameters import TradingParameters
from core.fill_model import PreciseFillModel, StepCachedFillModel
from core.kernels import select_kernels
from core.symbol_manager import SymbolManager
from core.utils import PerfRecorder, perf_json_line, perf_report
from data.streaming import StreamingDataManager, load_daily_history
from management.risk_manager import IncrementalRiskManager, RiskManager
from trading.open_orders import OrderEpoch

END_OF_DAY = (15, 59)


class ZacReferenceAlgorithm(QCAlgorithm):
    def initialize(self) -> None:
        self.params = TradingParameters.from_lookup(self._parameter)
        params = self.params
        self.debug_logging = params.Enable_Debug_Logging
        self.set_start_date(params.start_date.year, params.start_date.month, params.start_date.day)
        self.set_end_date(params.end_date.year, params.end_date.month, params.end_date.day)
        cash = params.starting_cash
        self.set_cash(int(cash) if cash.is_integer() else cash)  # the original passed an int (Start Equity '500000')
        kernels = select_kernels(params.enable_perf_opt, params.numba_kernels)
        self.streaming = kernels.streaming
        if kernels.streaming:
            self.log(f"enable_perf_opt: optimized path, rally kernels {kernels.loaded}")

        self.symbols: list[Symbol] = []
        self.managers: list[SymbolManager] = []
        self.managers_by_symbol: dict[Symbol, SymbolManager] = {}
        self.daily_limit_active = False
        self.new_bars = False   # streaming path: a 15-s bar arrived since the last processed OnData
        self.order_epoch = OrderEpoch()   # optimized path: order events seen so far
        self.incremental_risk = IncrementalRiskManager(self, params, self.symbols, self.cancel_all_entries,
                                                       self.order_epoch) if kernels.streaming else None
        self.risk: RiskManager = self.incremental_risk or RiskManager(self, params, self.symbols,
                                                                     self.cancel_all_entries)
        for ticker in params.symbols:
            security = self.add_equity(ticker, Resolution.SECOND)
            if not self.live_mode:
                security.set_fill_model(StepCachedFillModel(self, self.order_epoch) if kernels.streaming
                                        else PreciseFillModel(self))
            symbol = security.symbol
            self.symbols.append(symbol)
            manager = SymbolManager(self, symbol, params, kernels, self.risk, self.symbols, self.order_epoch)
            manager.initialize()
            self.managers.append(manager)
            self.managers_by_symbol[symbol] = manager
        streaming = [m.data for m in self.managers if isinstance(m.data, StreamingDataManager)]
        for data in streaming:
            data.on_ready = self.mark_new_bars
        if streaming:
            load_daily_history(self, streaming, params.max_history_batch_size)

        self.perf: PerfRecorder | None = None
        if params.perf_instrumentation:
            self.perf = PerfRecorder((m.ticker for m in self.managers), buffered=kernels.streaming)
            for manager in self.managers:
                for component in manager.components():
                    self.perf.instrument(component, manager.ticker)

        # every calendar day (weekend events run at the next session's first slice); same-time events fire in
        # creation order
        rules = self.date_rules
        self.schedule.on(rules.every_day(), self.time_rules.at(END_OF_DAY[0], END_OF_DAY[1]), self.custom_end_of_day)
        off_after = params.entry_window[1]
        self.schedule.on(rules.every_day(), self.time_rules.at(off_after // 100, off_after % 100),
                         self.cancel_entry_orders_at_algo_off)

    def _parameter(self, name: str) -> str | None:
        value = self.get_parameter(name)
        return None if value is None else str(value)

    # ------------------------------------------------------------ event handlers
    def on_data(self, slice: Slice) -> None:
        if self.streaming:
            self.on_data_streaming(slice)
            return
        reached = self.risk.check_daily_pnl_limit()
        active = reached or self.risk.daily_limit_reached
        self.daily_limit_active = active
        bars = slice.bars
        for manager in self.managers:
            symbol = manager.symbol
            if bars.contains_key(symbol) and bars[symbol] is not None:
                manager.on_data(slice, active)

    def on_data_streaming(self, slice: Slice) -> None:
        """OnData of the optimized path: the same decisions, but seconds without a new 15-s bar stop after
        the (incremental) profit-target check, and only symbols with a new bar are visited."""
        risk = self.incremental_risk
        assert risk is not None
        try:
            reached = risk.begin_step()
            active = reached or risk.daily_limit_reached
            self.daily_limit_active = active
            if active or not self.new_bars:
                return
            bars = slice.bars
            for manager in self.managers:
                if manager.data.has_new_bar:
                    symbol = manager.symbol
                    if bars.contains_key(symbol):
                        bar = bars[symbol]
                        if bar is not None:
                            manager.run_cycle(bar)
            self.new_bars = any(m.data.has_new_bar for m in self.managers)
        finally:
            risk.end_step()

    def mark_new_bars(self) -> None:
        self.new_bars = True

    def on_order_event(self, order_event: OrderEvent) -> None:
        self.order_epoch.bump()
        manager = self.managers_by_symbol.get(order_event.symbol)
        if manager is not None:
            manager.orders.on_order_event(order_event)
        if self.debug_logging:
            self.log(f"order event {order_event}")

    def on_end_of_day(self, symbol: Symbol) -> None:
        """Lean calls this per security at market close - 10 minutes: the risk reset runs there (Q10)."""
        if self.debug_logging:
            self.log(f"end of day {symbol.value}: holding {self.portfolio[symbol].quantity}")
        self.risk.reset_daily()

    def on_end_of_algorithm(self) -> None:
        if self.perf is not None:
            self.log(perf_json_line(self.perf.report()))
        else:
            self.log(perf_json_line(perf_report(False, {}, {})))

    # ------------------------------------------------------------ scheduled events
    def custom_end_of_day(self) -> None:
        for manager in self.managers:
            manager.end_of_day()

    def cancel_entry_orders_at_algo_off(self) -> None:
        self.cancel_all_entries()

    def cancel_all_entries(self) -> None:
        """Entry orders of every symbol (Algo_Off_After, profit target); exits stay."""
        for manager in self.managers:
            manager.cancel_entries()
