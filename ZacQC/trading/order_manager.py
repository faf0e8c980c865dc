"""OrderManager: one symbol's entry placement, reactions to fills and cancels, exits and the SL ratchet.

Entries are stop-market orders a fixed share (Parameter_4 %) of the day's range away from the price. An
entry fill creates a stop-loss (stop market) and a take-profit (limit) sized from the 30-day range; a flat
position cancels what is left and, when the last open order is an SL/TP, starts the exit cooldowns. The
ratchet moves the stop to break-even-plus once the profit passes its threshold.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Callable

from AlgorithmImports import Order, OrderEvent, OrderField, OrderStatus, OrderTicket, QCAlgorithm, Symbol

from config.parameters import LONG_CONDITIONS, SHORT_CONDITIONS, TradingParameters
from core.strategy import LONG_TRAIL, SHORT_TRAIL, PendingEntry, Strategy
from data.data_manager import DataManager
from data.metrics import Metrics
from trading import tags

LONG = "LONG"
SHORT = "SHORT"
FALLBACK_CONDITION = "cond2"


@dataclass(slots=True)
class ExitRecord:
    ticket: OrderTicket
    condition: str
    direction: str
    quantity: int
    price: float


class OrderManager:
    def __init__(self, algorithm: QCAlgorithm, symbol: Symbol, params: TradingParameters, strategy: Strategy,
                 data: DataManager, metrics: Metrics, daily_limit_reached: Callable[[], bool],
                 on_exit_detected: Callable[[str, datetime], None],
                 open_orders: Callable[[], list[Order]] | None = None) -> None:
        self.algorithm = algorithm
        # this symbol's open orders (the optimized path answers from its order-event epoch)
        self.open_orders: Callable[[], list[Order]] = open_orders if open_orders is not None else \
            partial(algorithm.transactions.get_open_orders, symbol)
        self.symbol = symbol
        self.ticker = symbol.value
        self.params = params
        self.strategy = strategy
        self.data = data
        self.metrics = metrics
        self.daily_limit_reached = daily_limit_reached
        self.on_exit_detected = on_exit_detected
        self.position = 0.0             # the original's local 'active_positions' for this symbol
        self.order_sent = False         # the original's per-ticker 'orders_sent_this_cycle' membership
        self.stop_losses: dict[str, ExitRecord] = {}
        self.take_profits: dict[str, ExitRecord] = {}

    # ------------------------------------------------------------ entries
    def has_outstanding_work(self) -> bool:
        """The guard-time short circuit's test: anything pending, held, sent or open for this symbol."""
        algorithm = self.algorithm
        return bool(self.strategy.pending or self.position != 0 or self.order_sent
                    or algorithm.portfolio[self.symbol].quantity != 0
                    or self.open_orders())

    def entry_blocked(self) -> bool:
        """Hard constraint: at most one entry in flight and none while holding."""
        algorithm = self.algorithm
        return bool(self.order_sent or self.strategy.pending or self.position != 0
                    or algorithm.portfolio[self.symbol].quantity != 0
                    or algorithm.transactions.get_open_orders(self.symbol))

    def position_size(self, price: float, all_symbols: list[Symbol]) -> int:
        portfolio = self.algorithm.portfolio
        tpv = portfolio.total_portfolio_value
        cash = self.params.cash_pct / 100 * tpv
        used = 0.0
        for symbol in all_symbols:
            holding = portfolio[symbol]
            if holding.quantity != 0:
                used += abs(holding.average_price * holding.quantity)
        if self.params.MaxCapitalPCT / 100 * tpv >= cash + used:
            return int(cash / price)
        return 0

    def execute_entry(self, condition: str, long: bool, price: float, now: datetime,
                      all_symbols: list[Symbol]) -> bool:
        """Place the stop-market entry of `condition` at P +- Parameter_4 % of the day's range."""
        if self.entry_blocked():
            return False
        size = self.position_size(price, all_symbols)
        if size <= 0:
            return False
        trailing_pct = entry_trailing_pct(condition, price, self.data.day.high - self.data.day.low, self.params)
        stop = price * (1 + trailing_pct / 100) if long else price * (1 - trailing_pct / 100)
        entry = PendingEntry(None, stop, price, stop, size, condition, LONG_TRAIL if long else SHORT_TRAIL,
                             trailing_pct, now)
        self.strategy.pending[condition] = entry
        if self.daily_limit_reached():
            return False
        tag = tags.long_entry(condition, self.ticker) if long else tags.short_entry(condition, self.ticker)
        entry.ticket = self.algorithm.stop_market_order(self.symbol, size if long else -size, stop, tag=tag)
        self.order_sent = True
        return True

    # ------------------------------------------------------------ order events
    def on_order_event(self, event: OrderEvent) -> None:
        status = event.status
        if status == OrderStatus.FILLED:
            self.on_order_filled(event)
            self.on_flat_cleanup(event)
        elif status == OrderStatus.CANCELED:
            self.on_order_canceled(event)

    def on_order_canceled(self, event: OrderEvent) -> None:
        self.order_sent = False
        for condition, entry in list(self.strategy.pending.items()):
            if entry.ticket is not None and entry.ticket.order_id == event.order_id:
                del self.strategy.pending[condition]

    def on_order_filled(self, event: OrderEvent) -> None:
        self.order_sent = False
        quantity = event.fill_quantity
        before = self.position
        self.position = before + quantity
        condition, direction = self._take_entry_record(event.order_id)
        if condition is None and abs(self.position) > abs(before):
            condition, direction = FALLBACK_CONDITION, LONG if quantity > 0 else SHORT  # quirk Q4
        if condition is None:
            return
        self.strategy.start_trade(self.algorithm.time)
        self._place_exits(condition, direction, event.fill_price, int(abs(quantity) * self.params.SharesToSell / 100))

    def _take_entry_record(self, order_id: int) -> tuple[str | None, str]:
        for condition, entry in list(self.strategy.pending.items()):
            if entry.ticket is not None and entry.ticket.order_id == order_id and "entry" in entry.kind:
                del self.strategy.pending[condition]
                return condition, LONG if entry.kind == LONG_TRAIL else SHORT
        return None, LONG

    def _place_exits(self, condition: str, direction: str, fill_price: float, size: int) -> None:
        range30 = self.metrics.range30
        if range30 is None or range30 <= 0 or size <= 0:
            return
        long = direction == LONG
        exit_quantity = -size if long else size
        key = f"{condition}_{direction}"
        if self.params.StopLossUpdate:
            stop = stop_loss_price(fill_price, range30, self.params.StopLoss, long)
            ticket = self.algorithm.stop_market_order(self.symbol, exit_quantity, stop,
                                                      tag=tags.stop_loss(condition, self.ticker, fill_price))
            self.stop_losses[key] = ExitRecord(ticket, condition, direction, exit_quantity, stop)
        limit = take_profit_price(fill_price, range30, self.params.profit_take(condition), long)
        ticket = self.algorithm.limit_order(self.symbol, exit_quantity, limit,
                                            tag=tags.take_profit(condition, self.ticker, fill_price))
        self.take_profits[key] = ExitRecord(ticket, condition, direction, exit_quantity, limit)

    def on_flat_cleanup(self, event: OrderEvent) -> None:
        """Flat after a fill: cancel what is left; an SL/TP tag (of the *last* open order, Q8) starts cooldowns."""
        if self.algorithm.portfolio[self.symbol].quantity != 0:
            return
        transactions = self.algorithm.transactions
        filled = transactions.get_order_by_id(event.order_id)
        tag = (filled.tag if filled is not None else "") or ""
        for order in transactions.get_open_orders(self.symbol):
            tag = order.tag or ""
        transactions.cancel_open_orders(self.symbol)
        for order in transactions.get_open_orders(self.symbol):
            transactions.cancel_order(order.id)
        if tags.is_exit(tag):
            now = self.algorithm.time
            self.on_exit_detected(tags.exit_condition(tag), now)
            self.strategy.reset_time_actions()

    # ------------------------------------------------------------ exits
    def update_stop_loss(self) -> None:
        """Ratchet: once profit >= y %, move the stop to avg x (1 +- x/100), rounded to cents."""
        if not self.params.StopLossUpdate:
            return
        algorithm = self.algorithm
        range30 = self.metrics.range30
        for record in list(self.stop_losses.values()):
            order = algorithm.transactions.get_order_by_id(record.ticket.order_id)
            if order is None or order.status in (OrderStatus.FILLED, OrderStatus.CANCELED):
                continue
            holding = algorithm.portfolio[self.symbol]
            if holding.quantity == 0 or range30 is None:
                continue
            long = record.direction == LONG
            if long and record.condition not in LONG_CONDITIONS:
                continue
            if not long and record.condition not in SHORT_CONDITIONS:
                continue
            profit_take = self.params.profit_take(record.condition)
            x = self.params.stop_loss_x(record.condition) * profit_take / 100 * range30 / 100
            y = self.params.stop_loss_y(record.condition) * profit_take / 100 * range30 / 100
            price, average = algorithm.securities[self.symbol].price, holding.average_price
            profit = (price - average) * 100 / average if long else (average - price) * 100 / average
            if profit < y:
                continue
            stop = round((1 + x / 100) * average, 2) if long else round((1 - x / 100) * average, 2)
            if stop == round(record.ticket.get(OrderField.STOP_PRICE), 2):
                continue
            # Transactions.CancelOrder, as the original: it blanks the cancelled order's tag (OrderListHash)
            algorithm.transactions.cancel_order(record.ticket.order_id)
            record.ticket = algorithm.stop_market_order(self.symbol, record.quantity, stop,
                                                        tag=tags.stop_loss_updated(record.condition, self.ticker))
            record.price = stop

    def close_all_positions(self) -> None:
        """15:59: flatten at market, cancel every open order, forget the local position and the sent flag."""
        quantity = self.algorithm.portfolio[self.symbol].quantity
        if quantity != 0:
            self.algorithm.market_order(self.symbol, -quantity, tag=tags.EOD_CLOSE)
        self.algorithm.transactions.cancel_open_orders(self.symbol)
        self.position = 0.0
        self.order_sent = False


def entry_trailing_pct(condition: str, price: float, day_range: float, params: TradingParameters) -> float:
    """Distance of the entry stop in % of price: Parameter_4 % of the day's range (c3: Parameter_5 %)."""
    if condition == "cond3":
        return params.Parameter_5
    if day_range <= 0:
        day_range = 0.01 * price
    distance = (params.Parameter_4 / 100) * day_range
    return (distance / price) * 100


def stop_loss_price(fill: float, range30: float, stop_loss_pct: float, long: bool) -> float:
    offset = fill * stop_loss_pct * (range30 / 100) / 100
    return round(fill - offset, 2) if long else round(fill + offset, 2)


def take_profit_price(fill: float, range30: float, profit_take_pct: float, long: bool) -> float:
    offset = fill * profit_take_pct * (range30 / 100) / 100
    return round(fill + offset, 2) if long else round(fill - offset, 2)
