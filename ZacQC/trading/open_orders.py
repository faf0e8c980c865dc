"""What the optimized path knows about open orders between order events.

In a backtest every change of an order's state (submitted, updated, cancel pending, filled, cancelled,
invalid) reaches OnOrderEvent synchronously, inside the call that caused it, and holdings change only with
fills. So "this symbol had no open orders" stays true until the next order event of any symbol, and the
per-cycle reads of the open orders can skip the engine call while nothing happened. `OrderEpoch` counts the
events (OnData's handler bumps it first thing); `OpenOrdersView` answers from its last reading while the
epoch is unchanged (an order's tag, quantity and prices also change only with an event: cancel, update).
"""
from __future__ import annotations

from AlgorithmImports import Order, OrderStatus, QCAlgorithm, Symbol


class OrderEpoch:
    """A counter of order events: a value read earlier and still current means no order changed since."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0

    def bump(self) -> None:
        self.value += 1


class OpenOrdersView:
    """`transactions.get_open_orders(symbol)`, read again only after an order event.

    Callers only read the list (it is the engine's list of order copies, as Lean returns them).
    """

    __slots__ = ("algorithm", "symbol", "epoch", "read_at", "orders")

    def __init__(self, algorithm: QCAlgorithm, symbol: Symbol, epoch: OrderEpoch) -> None:
        self.algorithm = algorithm
        self.symbol = symbol
        self.epoch = epoch
        self.read_at = -1
        self.orders: list[Order] = []

    def __call__(self) -> list[Order]:
        now = self.epoch.value
        if self.read_at != now:
            self.read_at = now
            self.orders = self.algorithm.transactions.get_open_orders(self.symbol)
        return self.orders


class OrderStatusView:
    """`transactions.get_order_by_id(order_id).status` (None for an unknown id), read again only after an order
    event: the engine call copies the whole order, and a status only changes with an event."""

    __slots__ = ("algorithm", "epoch", "read_at", "statuses")

    def __init__(self, algorithm: QCAlgorithm, epoch: OrderEpoch) -> None:
        self.algorithm = algorithm
        self.epoch = epoch
        self.read_at = -1
        self.statuses: dict[int, OrderStatus | None] = {}

    def __call__(self, order_id: int) -> OrderStatus | None:
        now = self.epoch.value
        if self.read_at != now:
            self.read_at = now
            self.statuses.clear()
        if order_id in self.statuses:
            return self.statuses[order_id]
        order = self.algorithm.transactions.get_order_by_id(order_id)
        status = None if order is None else order.status
        self.statuses[order_id] = status
        return status
