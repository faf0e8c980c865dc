"""PreciseFillModel: stops and limits fill exactly at their price when the last 1-second bar touches it.

| order        | trigger (last real 1-s bar; the price when no bar) | fill price        |
|--------------|----------------------------------------------------|-------------------|
| market       | always                                             | last trade price  |
| stop, sell   | low <= stop                                        | the stop price    |
| stop, buy    | high >= stop                                       | the stop price    |
| limit, sell  | high >= limit                                      | the limit price   |
| limit, buy   | low <= limit                                       | the limit price   |
| market on open / close | exchange open / always                   | bar open / close  |

Full quantity, no slippage, zero fee (Lean then charges the security's fee model). A `CancelPending` order
is not treated as cancelled (hazard H2). Installed per security in backtests only.
"""
from __future__ import annotations

from datetime import datetime

from AlgorithmImports import (FillModel, LimitOrder, MarketOnCloseOrder, MarketOnOpenOrder, MarketOrder,
                              OrderDirection, OrderEvent, OrderFee, OrderStatus, QCAlgorithm, Security,
                              StopMarketOrder, TradeBar)

from trading import tags
from trading.open_orders import OrderEpoch


class PreciseFillModel(FillModel):
    def __init__(self, algorithm: QCAlgorithm) -> None:
        super().__init__()
        self.algorithm = algorithm

    def _event(self, order: MarketOrder | StopMarketOrder | LimitOrder | MarketOnOpenOrder | MarketOnCloseOrder
               ) -> OrderEvent:
        return OrderEvent(order, self.algorithm.utc_time, OrderFee.ZERO)

    @staticmethod
    def _fill(event: OrderEvent, price: float, quantity: float) -> OrderEvent:
        event.status = OrderStatus.FILLED
        event.fill_price = price
        event.fill_quantity = quantity
        return event

    @staticmethod
    def _last_bar(asset: Security) -> TradeBar | None:
        bar: TradeBar | None = asset.cache.get_data(TradeBar)
        return bar

    def market_fill(self, asset: Security, order: MarketOrder) -> OrderEvent:
        event = self._event(order)
        if order.status == OrderStatus.CANCELED:
            return event
        if order.tag == tags.TARGET_PROFIT:
            self.algorithm.log(f"targetprofit market fill {asset.symbol.value} {order.quantity} @ {asset.price}")
        return self._fill(event, asset.price, order.quantity)

    def stop_market_fill(self, asset: Security, order: StopMarketOrder) -> OrderEvent:
        event = self._event(order)
        if order.status == OrderStatus.CANCELED:
            return event
        stop = float(order.stop_price)  # Lean hands Python a float already; an engine may pass a Decimal
        bar = self._last_bar(asset)
        if order.direction == OrderDirection.SELL:
            touched = bar.low <= stop if bar is not None else asset.price <= stop
        else:
            touched = bar.high >= stop if bar is not None else asset.price >= stop
        return self._fill(event, stop, order.quantity) if touched else event

    def limit_fill(self, asset: Security, order: LimitOrder) -> OrderEvent:
        event = self._event(order)
        if order.status == OrderStatus.CANCELED:
            return event
        limit = float(order.limit_price)
        bar = self._last_bar(asset)
        if order.direction == OrderDirection.SELL:
            touched = bar.high >= limit if bar is not None else asset.price >= limit
        else:
            touched = bar.low <= limit if bar is not None else asset.price <= limit
        if touched and order.tag == tags.TARGET_PROFIT:
            self.algorithm.log(f"targetprofit limit fill {asset.symbol.value} {order.quantity} @ {limit}")
        return self._fill(event, limit, order.quantity) if touched else event

    def market_on_open_fill(self, asset: Security, order: MarketOnOpenOrder) -> OrderEvent:
        event = self._event(order)
        if order.status == OrderStatus.CANCELED or not asset.exchange.exchange_open:
            return event
        return self._fill(event, asset.open, order.quantity)

    def market_on_close_fill(self, asset: Security, order: MarketOnCloseOrder) -> OrderEvent:
        event = self._event(order)
        if order.status == OrderStatus.CANCELED:
            return event
        return self._fill(event, asset.close, order.quantity)


class StepCachedFillModel(PreciseFillModel):
    """PreciseFillModel for the optimized path: per-step and per-event readings kept, unfilled answers reused.

    Every resting stop and limit order is asked to fill every second. The clock and the last bar only change
    between time steps, so they are read once per step and security (this model is installed per security).
    An order's status, prices and direction only change with an order event, so they are read again only
    after one (`OrderEpoch`). An order that does not fill gets an event with its own status and no fill, which
    the brokerage discards (only a change of status or a fill is an event, in Lean and in pylean), so that
    answer is built once per (order, status) and handed back while it stays the answer.
    """

    def __init__(self, algorithm: QCAlgorithm, epoch: OrderEpoch) -> None:
        super().__init__(algorithm)
        self.epoch = epoch
        self._local: datetime | None = None
        self._utc = datetime.min
        self._bar_at: datetime | None = None
        self._bar: TradeBar | None = None
        self._orders: dict[int, _RestingOrder] = {}

    def _event(self, order: MarketOrder | StopMarketOrder | LimitOrder | MarketOnOpenOrder | MarketOnCloseOrder
               ) -> OrderEvent:
        algorithm = self.algorithm
        local = algorithm.time
        if local != self._local:
            self._local = local
            self._utc = algorithm.utc_time
        return OrderEvent(order, self._utc, OrderFee.ZERO)

    def _resting(self, order: StopMarketOrder | LimitOrder) -> _RestingOrder:
        """The order's fields as of the last order event (read again after each one)."""
        epoch = self.epoch.value
        known = self._orders.get(order.id)
        if known is None or known.epoch != epoch:
            price = float(order.stop_price) if isinstance(order, StopMarketOrder) else float(order.limit_price)
            status = order.status
            unfilled = known.unfilled if known is not None and known.status == status else None
            known = _RestingOrder(epoch, status, status == OrderStatus.CANCELED, price,
                                  order.direction == OrderDirection.SELL, unfilled)
            self._orders[order.id] = known
        return known

    def _no_fill(self, order: StopMarketOrder | LimitOrder, known: _RestingOrder) -> OrderEvent:
        if known.unfilled is None:
            known.unfilled = self._event(order)
        return known.unfilled

    # The two hot methods below read the bar once per step inline: they run per resting order per second.
    def stop_market_fill(self, asset: Security, order: StopMarketOrder) -> OrderEvent:
        known = self._resting(order)
        if known.cancelled:
            return self._event(order)
        local = self.algorithm.time
        if local != self._bar_at:
            self._bar_at = local
            self._bar = self._last_bar(asset)
        bar = self._bar
        stop = known.price
        if known.sell:
            touched = bar.low <= stop if bar is not None else asset.price <= stop
        else:
            touched = bar.high >= stop if bar is not None else asset.price >= stop
        if not touched:
            return known.unfilled if known.unfilled is not None else self._no_fill(order, known)
        return self._fill(self._event(order), stop, order.quantity)

    def limit_fill(self, asset: Security, order: LimitOrder) -> OrderEvent:
        known = self._resting(order)
        if known.cancelled:
            return self._event(order)
        local = self.algorithm.time
        if local != self._bar_at:
            self._bar_at = local
            self._bar = self._last_bar(asset)
        bar = self._bar
        limit = known.price
        if known.sell:
            touched = bar.high >= limit if bar is not None else asset.price >= limit
        else:
            touched = bar.low <= limit if bar is not None else asset.price <= limit
        if not touched:
            return known.unfilled if known.unfilled is not None else self._no_fill(order, known)
        if order.tag == tags.TARGET_PROFIT:
            self.algorithm.log(f"targetprofit limit fill {asset.symbol.value} {order.quantity} @ {limit}")
        return self._fill(self._event(order), limit, order.quantity)


class _RestingOrder:
    """What the model knows of one order between order events, and its no-fill answer for that status."""

    __slots__ = ("epoch", "status", "cancelled", "price", "sell", "unfilled")

    def __init__(self, epoch: int, status: OrderStatus, cancelled: bool, price: float, sell: bool,
                 unfilled: OrderEvent | None) -> None:
        self.epoch = epoch
        self.status = status
        self.cancelled = cancelled
        self.price = price
        self.sell = sell
        self.unfilled = unfilled
