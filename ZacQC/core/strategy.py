"""Strategy: one symbol's trading state, its trading gates, the trailing entry and the time actions.

State: pending entry records (keyed by condition), the c1..c5 two-step flags, the per-condition last-exit
times used by the conditions' pre-cooldown, `trading_enabled`, and the time-action state of the current
trade. The trailing update runs from the 15-s bar handler (before OnData); the gates and time actions run
in the processed cycle.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from AlgorithmImports import OrderTicket, QCAlgorithm, Symbol, UpdateOrderFields

from config.parameters import CONDITIONS, TradingParameters
from core.utils import timed
from data.metrics import Metrics
from trading import tags

LONG_TRAIL = "long_entry_trail"
SHORT_TRAIL = "short_entry_trail"
RANGE_GATE_START = time(9, 30)
RANGE_GATE_END = time(9, 31)
ACTION_RECHECK_SECONDS = 10


@dataclass(slots=True)
class PendingEntry:
    """An entry order the strategy tracks until it fills or is cancelled."""

    ticket: OrderTicket | None
    entry_price: float
    current_market_price: float
    original_entry_price: float
    size: int
    condition: str
    kind: str
    trailing_pct: float
    last_update_time: datetime


class Strategy:
    def __init__(self, algorithm: QCAlgorithm, symbol: Symbol, params: TradingParameters, now: datetime) -> None:
        self.algorithm = algorithm
        self.symbol = symbol
        self.ticker = symbol.value
        self.params = params
        self.pending: dict[str, PendingEntry] = {}
        self.flags: dict[str, bool] = {c: False for c in CONDITIONS}
        self.last_exit: dict[str, datetime] = {c: now for c in CONDITIONS}
        self.trading_enabled = True
        self.trade_start: datetime | None = None
        self.action1_done = False
        self.action2_done = False
        self.last_action_check: datetime | None = None

    # ------------------------------------------------------------ gates (pipeline step f)
    @timed("risk_checks")
    def run_gates(self, now: datetime, m: Metrics) -> None:
        """Gap (re-enables every cycle when fine, Q7) -> range/liquidity at 09:30-09:31 -> sharp move."""
        p = self.params
        if m.range30 is not None and m.range30 > 0:
            self.trading_enabled = abs(m.gap) <= m.range30 * p.Gap_Threshold / 100
        if RANGE_GATE_START <= now.time() <= RANGE_GATE_END:
            if m.range_mult > p.RangeMultipleThreshold:
                self.trading_enabled = False
            elif m.liq_millions < p.Liquidity_Threshold:
                self.trading_enabled = False
        if m.sharp_exceeded:
            self.trading_enabled = False

    # ------------------------------------------------------------ trailing entry (15-s bar handler)
    def log_trailing_order_prices(self) -> None:
        """Replace a long entry when the price rose since the last 15-s bar (once in practice, quirk Q4).

        Submitting the replacement first drains the queued cancel, whose Canceled event removes this record
        from `pending` (matched by the old order id): the replacement is then no longer tracked.
        """
        for condition, entry in list(self.pending.items()):
            if entry.kind != LONG_TRAIL or entry.ticket is None:
                continue
            price = self.algorithm.securities[self.symbol].price
            if price > entry.current_market_price:
                # Transactions.CancelOrder, as the original: it blanks the cancelled order's tag (OrderListHash)
                self.algorithm.transactions.cancel_order(entry.ticket.order_id)
                stop = price * (1 + entry.trailing_pct / 100)
                entry.ticket = self.algorithm.stop_market_order(
                    self.symbol, entry.size, stop, tag=tags.trail_update(condition, self.ticker))
                entry.entry_price = stop
                entry.last_update_time = self.algorithm.time
            entry.current_market_price = price

    # ------------------------------------------------------------ time actions (pipeline step h)
    def start_trade(self, now: datetime) -> None:
        if self.trade_start is None:
            self.trade_start = now
            self.action1_done = False
            self.action2_done = False

    def reset_time_actions(self) -> None:
        self.trade_start = None
        self.action1_done = False
        self.action2_done = False
        self.last_action_check = None

    def trade_time_action(self, now: datetime, price: float) -> None:
        if not self.params.Allow_Actions or self.trade_start is None:
            return
        if self.last_action_check is not None and \
                (now - self.last_action_check).total_seconds() <= ACTION_RECHECK_SECONDS:
            return
        self.last_action_check = now
        minutes = (now - self.trade_start).total_seconds() / 60
        if not self.action1_done and minutes >= self.params.Action1_Time:
            self._action1_break_even(price)
            self.action1_done = True
        if not self.action2_done and minutes >= self.params.Action2_Time:
            self._action2_flatten()
            self.action2_done = True

    def _action1_break_even(self, price: float) -> None:
        """Losing: take-profit to break-even; otherwise stop-loss to break-even (order updates)."""
        holding = self.algorithm.portfolio[self.symbol]
        quantity = holding.quantity
        if quantity == 0:
            return
        average = holding.average_price
        losing = price < average if quantity > 0 else price > average
        target = round(average, 2)
        transactions = self.algorithm.transactions
        for order in transactions.get_open_orders(self.symbol):
            tag = order.tag or ""
            if losing and tags.is_take_profit(tag):
                fields = UpdateOrderFields()
                fields.limit_price = target
                transactions.get_order_ticket(order.id).update(fields)
            elif not losing and tags.is_stop_loss(tag):
                fields = UpdateOrderFields()
                fields.stop_price = target
                transactions.get_order_ticket(order.id).update(fields)

    def _action2_flatten(self) -> None:
        transactions = self.algorithm.transactions
        for order in transactions.get_open_orders(self.symbol):
            if "eod" not in (order.tag or ""):
                transactions.cancel_order(order.id)
        quantity = self.algorithm.portfolio[self.symbol].quantity
        if quantity != 0:
            self.algorithm.market_order(self.symbol, -quantity, tag=tags.action2_close(self.ticker))

    # ------------------------------------------------------------ daily reset (15:59)
    def reset_daily(self, now: datetime) -> None:
        self.pending.clear()
        for condition in CONDITIONS:
            self.flags[condition] = False
            self.last_exit[condition] = now
        self.reset_time_actions()
        self.trading_enabled = True
