"""Cancellation rules for resting entry orders: the VWAP soft monitor, the range monitor, and the
entry-tag cancellation used at Algo_Off_After and when the daily profit target is reached.
"""
from __future__ import annotations

from AlgorithmImports import Order, QCAlgorithm, Symbol

from config.parameters import LONG_CONDITIONS, SHORT_CONDITIONS, TradingParameters
from core.strategy import Strategy
from data.data_manager import DataManager
from data.metrics import Metrics
from trading import tags
from trading.order_manager import OrderManager


def vwap_keeps(vwap_price: float, soft: float, long: bool) -> bool:
    """An entry survives while the % from open stays on its side and at least `soft` away."""
    if long:
        return vwap_price < 0 and abs(vwap_price) >= soft
    return vwap_price > 0 and abs(vwap_price) >= soft


def range_distance(values_newest_first: list[float], long: bool) -> float | None:
    """|second-oldest value - extreme of the 43 newest| (quirk Q5); lows for longs, highs for shorts."""
    if len(values_newest_first) < 3:
        return None
    reference = values_newest_first[-2]
    rest = values_newest_first[:-2]
    extreme = min(rest) if long else max(rest)
    return abs(reference - extreme)


class EntryMonitor:
    def __init__(self, algorithm: QCAlgorithm, symbol: Symbol, params: TradingParameters, strategy: Strategy,
                 data: DataManager, metrics: Metrics, orders: OrderManager) -> None:
        self.algorithm = algorithm
        self.symbol = symbol
        self.params = params
        self.strategy = strategy
        self.data = data
        self.metrics = metrics
        self.orders = orders

    def _entry_orders(self) -> list[Order]:
        return [o for o in self.orders.open_orders() if not tags.is_exit(o.tag or "")]

    def monitor_vwap_conditions(self) -> None:
        """Cancel entries whose side no longer has (VWAP_PCT - Vwap_Margin) % of range30 from the open.

        The original meant to reset the condition flag too but looked up a missing attribute (Q6): only the
        cancel event's removal of the pending record happens.
        """
        open_orders = self.orders.open_orders()
        range30 = self.metrics.range30
        if not open_orders or range30 is None:
            return
        soft = (self.params.VWAP_PCT - self.params.Vwap_Margin) * range30 / 100
        vwap_price = self.metrics.vwap_price
        for order in open_orders:
            tag = order.tag or ""
            if tags.is_exit(tag):
                continue
            if tags.is_short_entry_order(tag, order.quantity):
                keep = vwap_keeps(vwap_price, soft, long=False)
            elif tags.is_long_entry_order(tag, order.quantity):
                keep = vwap_keeps(vwap_price, soft, long=True)
            else:
                continue
            if not keep:
                self.algorithm.transactions.cancel_order(order.id)

    def monitor_range_based_cancellations(self) -> None:
        """Cancel entries when the 15-s window's second-oldest extreme is > margin USD from the newest 43."""
        orders = self._entry_orders()
        if not orders:
            return
        if any(tags.is_long_entry_order(o.tag or "", o.quantity) for o in orders):
            self._range_cancel(long=True)
        if any(tags.is_short_entry_order(o.tag or "", o.quantity) for o in orders):
            self._range_cancel(long=False)

    def _range_cancel(self, long: bool) -> None:
        bars = list(self.data.window)
        values = [b.low for b in bars] if long else [b.high for b in bars]
        distance = range_distance(values, long)
        if distance is None or not distance > self.params.New_Range_Order_Cancellation_Margin:
            return
        resettable = LONG_CONDITIONS if long else SHORT_CONDITIONS
        for order in self._entry_orders():
            tag = order.tag or ""
            side = tags.is_long_entry_order(tag, order.quantity) if long else \
                tags.is_short_entry_order(tag, order.quantity)
            if not side:
                continue
            self.algorithm.transactions.cancel_order(order.id)
            for condition in resettable:
                if condition in tag:
                    self.strategy.flags[condition] = False
        self.orders.order_sent = False

    def cancel_entry_orders(self) -> None:
        """Algo_Off_After / profit target: cancel entry-tagged orders, drop their records, reset their flags."""
        for order in self.algorithm.transactions.get_open_orders(self.symbol):
            condition = tags.entry_condition(order.tag or "")
            if condition is None:
                continue
            self.algorithm.transactions.cancel_order(order.id)
            self.strategy.pending.pop(condition, None)
            self.strategy.flags[condition] = False
