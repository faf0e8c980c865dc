"""A small stand-in for the parts of a Lean algorithm ZacQC's components touch.

`FakeAlgorithm` keeps Lean's order-request timing where ZacQC depends on it: a cancel emits CancelPending
at once and Canceled only when the queue drains, and every submission drains the queue first (so a
replacement order's submission delivers the old order's Canceled event re-entrantly, quirk Q4). Market
orders fill inside the submitting call. Fills are driven by the test (`fill`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from AlgorithmImports import OrderField, OrderStatus, Symbol, TradeBar

OPEN_STATUSES = (OrderStatus.SUBMITTED, OrderStatus.UPDATE_SUBMITTED, OrderStatus.CANCEL_PENDING,
                 OrderStatus.PARTIALLY_FILLED)


def bar15(symbol: Symbol, start: datetime, o: float, h: float, low: float, c: float, v: float = 1000.0) -> TradeBar:
    return TradeBar(start, symbol, o, h, low, c, v, period=timedelta(seconds=15))


@dataclass
class FakeOrder:
    id: int
    symbol: Symbol
    quantity: float
    kind: str                       # market / stop / limit
    tag: str
    stop_price: float | None = None
    limit_price: float | None = None
    status: Any = OrderStatus.SUBMITTED


@dataclass
class FakeEvent:
    order_id: int
    symbol: Symbol
    status: Any
    fill_price: float = 0.0
    fill_quantity: float = 0.0


class FakeTicket:
    def __init__(self, broker: "FakeTransactions", order: FakeOrder) -> None:
        self.broker = broker
        self.order = order

    @property
    def order_id(self) -> int:
        return self.order.id

    @property
    def tag(self) -> str:
        return self.order.tag

    @property
    def status(self) -> Any:
        return self.order.status

    def cancel(self, tag: str | None = None) -> None:
        self.broker.cancel_order(self.order.id)

    def get(self, what: Any) -> float:
        value = self.order.stop_price if what == OrderField.STOP_PRICE else self.order.limit_price
        assert value is not None
        return value

    def update(self, fields: Any) -> None:
        if getattr(fields, "stop_price", None) is not None:
            self.order.stop_price = fields.stop_price
        if getattr(fields, "limit_price", None) is not None:
            self.order.limit_price = fields.limit_price
        self.broker.updates.append((self.order.id, fields))
        self.broker.emit(self.order, OrderStatus.UPDATE_SUBMITTED)


@dataclass
class FakeHolding:
    quantity: float = 0.0
    average_price: float = 0.0


class FakePortfolio:
    def __init__(self, cash: float) -> None:
        self.cash = cash
        self.holdings: dict[Symbol, FakeHolding] = {}
        self.total_profit = 0.0
        self.prices: Callable[[Symbol], float] = lambda s: 0.0

    def __getitem__(self, symbol: Symbol) -> FakeHolding:
        return self.holdings.setdefault(symbol, FakeHolding())

    @property
    def total_portfolio_value(self) -> float:
        return self.cash + sum(h.quantity * self.prices(s) for s, h in self.holdings.items())

    def apply_fill(self, symbol: Symbol, quantity: float, price: float) -> None:
        holding = self[symbol]
        old = holding.quantity
        new = old + quantity
        if old == 0 or (old > 0) == (quantity > 0):
            holding.average_price = (holding.average_price * abs(old) + price * abs(quantity)) / abs(new)
        else:
            closed = min(abs(quantity), abs(old))
            self.total_profit += (price - holding.average_price) * closed * (1 if old > 0 else -1)
            if new == 0:
                holding.average_price = 0.0
            elif (new > 0) != (old > 0):
                holding.average_price = price
        holding.quantity = new
        self.cash -= quantity * price


@dataclass
class FakeExchange:
    exchange_open: bool = True


@dataclass
class FakeSecurity:
    symbol: Symbol
    price: float = 0.0
    exchange: FakeExchange = field(default_factory=FakeExchange)


class FakeSecurities(dict):
    pass


class FakeTransactions:
    def __init__(self, algorithm: "FakeAlgorithm") -> None:
        self.algorithm = algorithm
        self.orders: dict[int, FakeOrder] = {}
        self.tickets: dict[int, FakeTicket] = {}
        self.queue: list[int] = []
        self.events: list[FakeEvent] = []
        self.updates: list[tuple[int, Any]] = []
        self.next_id = 1

    # --- Lean's Transactions API as ZacQC uses it
    def get_open_orders(self, symbol: Symbol | None = None) -> list[FakeOrder]:
        return [o for i, o in sorted(self.orders.items())
                if o.status in OPEN_STATUSES and (symbol is None or o.symbol == symbol)]

    def get_order_by_id(self, order_id: int) -> FakeOrder | None:
        return self.orders.get(order_id)

    def get_order_ticket(self, order_id: int) -> FakeTicket:
        return self.tickets[order_id]

    def cancel_order(self, order_id: int) -> None:
        order = self.orders[order_id]
        if order.status not in OPEN_STATUSES or order.status == OrderStatus.CANCEL_PENDING:
            return
        order.status = OrderStatus.CANCEL_PENDING
        self.emit(order, OrderStatus.CANCEL_PENDING)
        self.queue.append(order_id)

    def cancel_open_orders(self, symbol: Symbol) -> None:
        for order in self.get_open_orders(symbol):
            self.cancel_order(order.id)

    # --- engine side
    def drain(self) -> None:
        while self.queue:
            order = self.orders[self.queue.pop(0)]
            order.status = OrderStatus.CANCELED
            self.emit(order, OrderStatus.CANCELED)

    def submit(self, symbol: Symbol, quantity: float, kind: str, tag: str, stop: float | None = None,
               limit: float | None = None) -> FakeTicket:
        self.drain()
        order = FakeOrder(self.next_id, symbol, quantity, kind, tag, stop, limit)
        self.next_id += 1
        self.orders[order.id] = order
        ticket = self.tickets[order.id] = FakeTicket(self, order)
        self.emit(order, OrderStatus.SUBMITTED)
        if kind == "market":
            self.fill(order.id, self.algorithm.securities[symbol].price)
        return ticket

    def fill(self, order_id: int, price: float) -> None:
        order = self.orders[order_id]
        order.status = OrderStatus.FILLED
        self.algorithm.portfolio.apply_fill(order.symbol, order.quantity, price)
        self.emit(order, OrderStatus.FILLED, price, order.quantity)

    def emit(self, order: FakeOrder, status: Any, price: float = 0.0, quantity: float = 0.0) -> None:
        event = FakeEvent(order.id, order.symbol, status, price, quantity)
        self.events.append(event)
        handler = self.algorithm.order_event_handler
        if handler is not None:
            handler(event)

    def statuses(self, order_id: int) -> list[Any]:
        return [e.status for e in self.events if e.order_id == order_id]


class FakeAlgorithm:
    def __init__(self, now: datetime, cash: float = 500_000.0) -> None:
        self.time = now
        self.live_mode = False
        self.portfolio = FakePortfolio(cash)
        self.securities = FakeSecurities()
        self.portfolio.prices = lambda s: self.securities[s].price
        self.transactions = FakeTransactions(self)
        self.order_event_handler: Callable[[Any], None] | None = None
        self.logs: list[str] = []
        self.errors: list[str] = []
        self.consolidators: list[tuple[Symbol, Any, Any]] = []
        self.history_frame: Any = None
        self.history_error: Exception | None = None

    @property
    def utc_time(self) -> datetime:
        return self.time + timedelta(hours=4)

    def add(self, ticker: str, price: float = 100.0) -> Symbol:
        symbol = Symbol.create(ticker)
        self.securities[symbol] = FakeSecurity(symbol, price)
        return symbol

    def stop_market_order(self, symbol: Symbol, quantity: float, stop_price: float, tag: str = "") -> FakeTicket:
        return self.transactions.submit(symbol, quantity, "stop", tag, stop=stop_price)

    def limit_order(self, symbol: Symbol, quantity: float, limit_price: float, tag: str = "") -> FakeTicket:
        return self.transactions.submit(symbol, quantity, "limit", tag, limit=limit_price)

    def market_order(self, symbol: Symbol, quantity: float, tag: str = "") -> FakeTicket:
        return self.transactions.submit(symbol, quantity, "market", tag)

    def consolidate(self, symbol: Symbol, period: Any, handler: Any) -> None:
        self.consolidators.append((symbol, period, handler))

    def history(self, symbol: Symbol, periods: int, resolution: Any) -> Any:
        if self.history_error is not None:
            raise self.history_error
        return self.history_frame

    def log(self, message: str) -> None:
        self.logs.append(message)

    debug = log

    def error(self, message: str) -> None:
        self.errors.append(message)


def build_managers(algo: FakeAlgorithm, tickers: dict[str, float], params: Any = None) -> tuple[list[Any], Any]:
    """SymbolManagers (and their shared RiskManager) wired to `algo` the way main.py wires them."""
    from config.parameters import TradingParameters
    from core.kernels import LEGACY
    from core.symbol_manager import SymbolManager
    from management.risk_manager import RiskManager

    params = params or TradingParameters()
    symbols: list[Symbol] = []
    managers: list[Any] = []
    risk = RiskManager(algo, params, symbols, lambda: [m.cancel_entries() for m in managers])  # type: ignore[arg-type]
    for ticker, price in tickers.items():
        symbol = algo.add(ticker, price)
        symbols.append(symbol)
        managers.append(SymbolManager(algo, symbol, params, LEGACY, risk, symbols))  # type: ignore[arg-type]
    by_symbol = {m.symbol: m for m in managers}
    algo.order_event_handler = lambda e: by_symbol[e.symbol].orders.on_order_event(e)
    return managers, risk
