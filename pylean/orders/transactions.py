"""Order processing: request queue, brokerage scan, fills and events
(Engine/TransactionHandlers/BacktestingTransactionHandler.cs, Brokerages/Backtesting/BacktestingBrokerage.cs).

Backtests are synchronous: every submission drains the request queue and scans; updates and
cancels wait in the queue for the next drain (spec §3.7-3.8).
"""
from __future__ import annotations

from collections import deque
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable

from pylean.enums import OrderStatus, OrderType
from pylean.orders.fees import order_fee
from pylean.orders.fills import FillModel
from pylean.orders.tickets import OrderResponse, OrderTicket, UpdateOrderFields
from pylean.orders.types import CashAmount, Order, OrderEvent, OrderFee, to_decimal
from pylean.naming import user_method

if TYPE_CHECKING:
    from pylean.portfolio import SecurityPortfolioManager
    from pylean.securities import Security, SecurityManager

ZERO = Decimal(0)
_METHOD_BY_TYPE = {
    OrderType.MARKET: "market_fill", OrderType.LIMIT: "limit_fill", OrderType.STOP_MARKET: "stop_market_fill",
    OrderType.STOP_LIMIT: "stop_limit_fill", OrderType.MARKET_ON_OPEN: "market_on_open_fill",
    OrderType.MARKET_ON_CLOSE: "market_on_close_fill", OrderType.TRAILING_STOP: "trailing_stop_fill",
    OrderType.LIMIT_IF_TOUCHED: "limit_if_touched_fill",
}


class TransactionHandler:
    """Owns every order, ticket and order event of a run."""

    def __init__(self, securities: "SecurityManager", portfolio: "SecurityPortfolioManager",
                 utc_now: Callable[[], datetime]) -> None:
        self.securities = securities
        self.portfolio = portfolio
        self.utc_now = utc_now
        self.orders: dict[int, Order] = {}
        self.tickets: dict[int, OrderTicket] = {}
        self.order_events: list[OrderEvent] = []
        self._open: dict[int, Order] = {}          # insertion (= id) order
        self._queue: deque[tuple[str, OrderTicket, Any]] = deque()
        self._event_counts: dict[int, int] = {}
        self.event_listeners: list[Callable[[OrderEvent], None]] = []   # the algorithm's on_order_event
        self.fill_listeners: list[Callable[["Security", OrderEvent], None]] = []  # results, trade builder

    # ------------------------------------------------------------ requests
    def submit(self, order: Order) -> OrderTicket:
        order.id = len(self.orders) + 1
        self.orders[order.id] = order
        ticket = OrderTicket(self, order)
        self.tickets[order.id] = ticket
        self._queue.append(("submit", ticket, None))
        self.drain()
        return ticket

    def request_update(self, ticket: OrderTicket, fields: UpdateOrderFields) -> OrderResponse:
        order = self.orders[ticket.order_id]
        if order.status.is_closed or order.status == OrderStatus.CANCEL_PENDING:
            return OrderResponse(order.id, False, f"Unable to update order with id {order.id} and status {order.status!s}")
        self._queue.append(("update", ticket, fields))
        return OrderResponse(order.id)

    def request_cancel(self, ticket: OrderTicket, tag: str | None) -> OrderResponse:
        order = self.orders[ticket.order_id]
        if order.status.is_closed or order.status == OrderStatus.CANCEL_PENDING:
            return OrderResponse(order.id, False,
                                 f"Unable to cancel order with OrderId: {order.id} and status {order.status!s}")
        if tag:
            order.tag = tag
        order.status = OrderStatus.CANCEL_PENDING
        self._emit(order, OrderStatus.CANCEL_PENDING)
        self._queue.append(("cancel", ticket, tag))
        return OrderResponse(order.id)

    def drain(self) -> None:
        """Process queued requests, then scan resting orders (ProcessSynchronousEvents)."""
        while self._queue:
            kind, ticket, payload = self._queue.popleft()
            order = self.orders[ticket.order_id]
            if kind == "submit":
                self._place(order)
            elif kind == "update":
                self._apply_update(order, payload)
            else:
                self._apply_cancel(order)
        self.scan()

    def _place(self, order: Order) -> None:
        security = self.securities[order.symbol]
        check = security.buying_power_model.has_sufficient_buying_power(self.portfolio, security, order)
        cache = security.cache
        order.submission_last = cache.trade_decimal()
        order.submission_bid = cache.quote_decimal("bid_close") or order.submission_last
        order.submission_ask = cache.quote_decimal("ask_close") or order.submission_last
        if not check.is_sufficient:
            order.status = OrderStatus.INVALID
            self._emit(order, OrderStatus.INVALID,
                       message=f"Insufficient buying power to complete orders (Value:[{_order_value(order, security)}]), "
                               f"Reason: {check.reason}.")
            return
        order.status = OrderStatus.SUBMITTED
        self._open[order.id] = order
        self._emit(order, OrderStatus.SUBMITTED)

    def _apply_update(self, order: Order, fields: UpdateOrderFields) -> None:
        if order.status.is_closed:
            return
        if fields.quantity is not None:
            order.quantity = to_decimal(fields.quantity)
        if fields.limit_price is not None and hasattr(order, "limit_price"):
            order.limit_price = to_decimal(fields.limit_price)  # type: ignore[attr-defined]
        if fields.stop_price is not None and hasattr(order, "stop_price"):
            order.stop_price = to_decimal(fields.stop_price)  # type: ignore[attr-defined]
        if fields.trigger_price is not None and hasattr(order, "trigger_price"):
            order.trigger_price = to_decimal(fields.trigger_price)  # type: ignore[attr-defined]
        if fields.trailing_amount is not None and hasattr(order, "trailing_amount"):
            order.trailing_amount = to_decimal(fields.trailing_amount)  # type: ignore[attr-defined]
        if fields.tag is not None:
            order.tag = fields.tag
        order.last_update_time = self.utc_now()
        order.status = OrderStatus.UPDATE_SUBMITTED
        self._emit(order, OrderStatus.UPDATE_SUBMITTED)

    def _apply_cancel(self, order: Order) -> None:
        if order.status.is_closed:
            return
        self._open.pop(order.id, None)
        order.status = OrderStatus.CANCELED
        order.canceled_time = self.utc_now()
        self._emit(order, OrderStatus.CANCELED)

    # ------------------------------------------------------------ brokerage scan
    def scan(self) -> None:
        """Try to fill every open order against the data just loaded (BacktestingBrokerage.Scan)."""
        if not self._open:
            return
        now = self.utc_now()
        for order in list(self._open.values()):
            if order.id not in self._open:
                continue
            if order.type != OrderType.MARKET and order.time == now:
                continue  # non-market orders fill from the next time step on
            security = self.securities[order.symbol]
            if order.status != OrderStatus.CANCEL_PENDING:
                check = security.buying_power_model.has_sufficient_buying_power(self.portfolio, security, order)
                if not check.is_sufficient:
                    self._open.pop(order.id, None)
                    order.status = OrderStatus.INVALID
                    self._emit(order, OrderStatus.INVALID, message=(
                        f"Insufficient buying power to complete orders (Value:[{_order_value(order, security)}]), "
                        f"Reason: {check.reason}."))
                    continue
            event = self._fill(security, order)
            if event.status in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED) and event._fill_quantity:
                self._apply_fill(security, order, event)

    def _fill(self, security: "Security", order: Order) -> OrderEvent:
        model: Any = security.fill_model
        method = user_method(model, _METHOD_BY_TYPE[order.type])
        if method is None:
            method = getattr(FillModel(), _METHOD_BY_TYPE[order.type])
        return method(security, order)

    def _apply_fill(self, security: "Security", order: Order, fill: OrderEvent) -> None:
        fee = order_fee(security, order)
        fill_quantity = fill._fill_quantity
        fill_price = fill._fill_price
        now = self.utc_now()
        self.portfolio.process_fill(security.holdings, now, fill_price, fill_quantity, fee)
        filled_before = order.quantity_filled
        order.quantity_filled = filled_before + fill_quantity
        order.price = ((order.price * filled_before + fill_price * fill_quantity) / order.quantity_filled
                       if order.quantity_filled else fill_price)
        order.last_fill_time = now
        status = OrderStatus.FILLED if order.quantity_filled == order.quantity else OrderStatus.PARTIALLY_FILLED
        order.status = status
        if status == OrderStatus.FILLED:
            self._open.pop(order.id, None)
        event = self._emit(order, status, fill_price=fill_price, fill_quantity=fill_quantity,
                           fee=fee, message=fill.message, notify=False)
        for listener in self.fill_listeners:
            listener(security, event)
        self._notify(event)

    # ------------------------------------------------------------ events
    def _emit(self, order: Order, status: OrderStatus, *, fill_price: Decimal = ZERO, fill_quantity: Decimal = ZERO,
              fee: Decimal = ZERO, message: str = "", notify: bool = True) -> OrderEvent:
        event = OrderEvent(order, self.utc_now(), OrderFee(CashAmount(fee, "USD")), message)
        event.status = status
        event._fill_price = fill_price
        event._fill_quantity = fill_quantity
        count = self._event_counts.get(order.id, 0) + 1
        self._event_counts[order.id] = count
        event.id = count
        self.order_events.append(event)
        ticket = self.tickets.get(order.id)
        if ticket is not None:
            ticket._add_event(event)
        if notify:
            self._notify(event)
        return event

    def _notify(self, event: OrderEvent) -> None:
        for listener in self.event_listeners:
            listener(event)

    # ------------------------------------------------------------ queries
    def open_orders(self, symbol: Any = None) -> list[Order]:
        orders = list(self._open.values())
        if symbol is not None:
            orders = [o for o in orders if o.symbol == symbol]
        return orders

    def open_market_quantity(self, symbol: Any) -> Decimal:
        """Unfilled quantity of open market and market-on-open orders (SetHoldings subtracts it)."""
        return sum((o.quantity - o.quantity_filled for o in self._open.values()
                    if o.symbol == symbol and o.type in (OrderType.MARKET, OrderType.MARKET_ON_OPEN)), ZERO)


def _order_value(order: Order, security: "Security") -> str:
    value = order.get_value(security.cache.trade_decimal())
    return f"{value.quantize(Decimal('0.01')):f}"
