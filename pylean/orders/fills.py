"""FillModel and EquityFillModel (Common/Orders/Fills/FillModel.cs, EquityFillModel.cs), spec §3.9.

Each method takes the security and the order and returns an OrderEvent: unfilled (status as the
order's) when the order must wait, FILLED with price and quantity otherwise. Users subclass
FillModel and override any method in either spelling (`market_fill` or `MarketFill`).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pylean.enums import OrderDirection, OrderStatus, OrderType, Resolution
from pylean.naming import lean_api, user_method
from pylean.orders.fees import slippage
from pylean.orders.types import Order, OrderEvent, OrderFee
from pylean.timeutil import local_to_ms, local_to_utc, utc_to_local

if TYPE_CHECKING:
    from pylean.securities import Security

STALE_PRICE_MS = 3_600_000  # Settings.StalePriceTimeSpan = 1 hour
_PERIOD_MS = {Resolution.SECOND: 1_000, Resolution.MINUTE: 60_000, Resolution.HOUR: 3_600_000,
              Resolution.DAILY: 86_400_000}
_METHOD_BY_TYPE = {
    OrderType.MARKET: "market_fill", OrderType.LIMIT: "limit_fill", OrderType.STOP_MARKET: "stop_market_fill",
    OrderType.STOP_LIMIT: "stop_limit_fill", OrderType.MARKET_ON_OPEN: "market_on_open_fill",
    OrderType.MARKET_ON_CLOSE: "market_on_close_fill", OrderType.TRAILING_STOP: "trailing_stop_fill",
    OrderType.LIMIT_IF_TOUCHED: "limit_if_touched_fill",
}


def _event(asset: "Security", order: Order) -> OrderEvent:
    now = asset.cache.cursor.time
    return OrderEvent(order, local_to_utc(now) if now is not None else order.time, OrderFee.ZERO)  # type: ignore[attr-defined]


def _filled(event: OrderEvent, order: Order, price: Decimal) -> OrderEvent:
    event.status = OrderStatus.FILLED
    event._fill_price = price
    event._fill_quantity = order.quantity
    return event


@lean_api
class FillModel:
    """Lean's base fill model; the equity specifics live in EquityFillModel."""

    def fill(self, asset: "Security", order: Order) -> OrderEvent:
        """Dispatch on the order type to the (possibly user-overridden) per-type method."""
        method = user_method(self, _METHOD_BY_TYPE[order.type])
        return method(asset, order)

    # ------------------------------------------------------------ market
    def market_fill(self, asset: "Security", order: Order) -> OrderEvent:
        event = _event(asset, order)
        if order.status == OrderStatus.CANCELED or not self.is_exchange_open(asset):
            return event
        quote = self._best_effort_price(asset, order)
        if quote is None:
            return event
        price, stale_end_ms = quote
        if stale_end_ms is not None and self._should_wait_on_stale(asset, order, stale_end_ms):
            return event
        slip = slippage(asset, order)
        price = price + slip if order.direction == OrderDirection.BUY else price - slip
        return _filled(event, order, price)

    def market_on_open_fill(self, asset: "Security", order: Order) -> OrderEvent:
        event = _event(asset, order)
        if order.status == OrderStatus.CANCELED:
            return event
        cache = asset.cache
        start_ms, end_ms = cache.trade_bar_start_ms(), cache.trade_bar_end_ms()
        if start_ms is None or end_ms is None:
            return event
        order_ms = local_to_ms(utc_to_local(order.time))
        hours = asset.exchange.hours
        from pylean.timeutil import ms_to_local
        bar_start = ms_to_local(start_ms)
        if start_ms < order_ms:
            return event
        if end_ms - start_ms < 3_600_000 and not hours.is_open(bar_start):
            return event  # a pre-market bar is not the open
        if order_ms >= end_ms:
            return event
        order_local = ms_to_local(order_ms)
        if order_local.date() == bar_start.date() and hours.is_open(order_local):
            return event  # placed while that session was already open
        if not self.is_exchange_open(asset):
            return event
        slip = slippage(asset, order)
        price = cache.trade_decimal("open")
        return _filled(event, order, price + slip if order.direction == OrderDirection.BUY else price - slip)

    def market_on_close_fill(self, asset: "Security", order: Order) -> OrderEvent:
        event = _event(asset, order)
        if order.status == OrderStatus.CANCELED:
            return event
        now = asset.cache.cursor.time
        order_local = utc_to_local(order.time)
        close = asset.exchange.hours.next_market_close(order_local)
        if now is None or now < close:
            return event
        price = asset.cache.trade_decimal("close")
        if not price:
            quote = self._best_effort_price(asset, order)
            if quote is None:
                return event
            price = quote[0]
        slip = slippage(asset, order)
        return _filled(event, order, price + slip if order.direction == OrderDirection.BUY else price - slip)

    # ------------------------------------------------------------ helpers shared by the order types
    def is_exchange_open(self, asset: "Security", extended: bool = False) -> bool:
        """Open now, or the last bar was open during its span and still covers now (FillModel.IsExchangeOpen)."""
        now = asset.cache.cursor.time
        if now is None:
            return False
        hours = asset.exchange.hours
        if hours.is_open(now, extended):
            return True
        ends = [e for e in (asset.cache.trade_bar_end_ms(), asset.cache.quote_bar_end_ms()) if e is not None]
        if not ends:
            return False
        from pylean.timeutil import ms_to_local
        end_ms = max(ends)
        start_ms = asset.cache.trade_bar_start_ms() if end_ms == asset.cache.trade_bar_end_ms() else None
        if start_ms is None:
            start_ms = end_ms - min(self._finest_period_ms(asset), 3_600_000)
        start, end = ms_to_local(start_ms), ms_to_local(end_ms)
        if not hours.overlaps_market(start, end, extended):
            return False
        if end_ms - start_ms > 3_600_000:
            return start.date() == now.date()
        return now <= end

    def _best_effort_price(self, asset: "Security", order: Order) -> tuple[Decimal, int | None] | None:
        """Ask for buys, bid for sells: the newest non-stale of quote bar then trade bar.

        Returns (price, stale_end_ms) where stale_end_ms is None when the price is fresh.
        """
        order_ms = local_to_ms(utc_to_local(order.time))
        cutoff = order_ms - STALE_PRICE_MS
        cache = asset.cache
        candidates: list[tuple[Decimal, int]] = []
        quote_end = cache.quote_bar_end_ms()
        if quote_end is not None:
            side = "ask_close" if order.direction == OrderDirection.BUY else "bid_close"
            price = cache.quote_decimal(side)
            if not price:  # that side is missing: the bar's close (mid or the other side)
                other = cache.quote_decimal("bid_close" if side == "ask_close" else "ask_close")
                price = other
            if price:
                candidates.append((price, quote_end))
        trade_end = cache.trade_bar_end_ms()
        if trade_end is not None:
            candidates.append((cache.trade_decimal("close"), trade_end))
        best: tuple[Decimal, int] | None = None
        for price, end_ms in candidates:
            if end_ms >= cutoff:
                return price, None
            if best is None or end_ms > best[1]:
                best = (price, end_ms)
        if best is None:
            return None
        return best[0], best[1]

    def _should_wait_on_stale(self, asset: "Security", order: Order, stale_end_ms: int) -> bool:
        user = [c for c in asset.subscriptions if not c.is_internal]
        if user and all(c.resolution in (Resolution.HOUR, Resolution.DAILY) for c in user):
            return True
        order_ms = local_to_ms(utc_to_local(order.time))
        return order_ms - stale_end_ms > self._finest_period_ms(asset)

    @staticmethod
    def _finest_period_ms(asset: "Security") -> int:
        periods = [_PERIOD_MS[c.resolution] for c in asset.subscriptions]
        return min(periods) if periods else 60_000


@lean_api
class EquityFillModel(FillModel):
    """The default for US equities (market orders at bid/ask when quotes are subscribed)."""


@lean_api
class ImmediateFillModel(FillModel):
    """Kept for algorithms that name it explicitly."""


def fill_order(asset: "Security", order: Order) -> OrderEvent:
    """Ask the security's fill model to fill `order` now."""
    model: Any = asset.fill_model
    dispatcher = user_method(model, "fill")
    return dispatcher(asset, order)


def utc_now(asset: "Security") -> datetime | None:
    now = asset.cache.cursor.time
    return local_to_utc(now) if now is not None else None


ONE_SECOND = timedelta(seconds=1)
