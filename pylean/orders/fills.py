"""EquityFillModel, the US-equity default (Common/Orders/Fills/EquityFillModel.cs), spec §3.9.

Market-type orders fill at the best-effort ask (buys) / bid (sells); limit, stop-market and
limit-if-touched orders test the last real trade bar that ended after the order was placed;
stop-limit and trailing-stop orders use the base model's `get_prices` (quote side, else trade bar).
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pylean.enums import OrderDirection, OrderStatus, OrderType
from pylean.naming import lean_api
from pylean.orders import fees
from pylean.orders.fees import slippage
from pylean.orders.fill_model import (_KINDS, _LAST_UTC, HOUR_MS, STALE_PRICE_MS, TIME_ZONE, FillModel,
                                      ImmediateFillModel, Prices, _slipped, can_fill_now, event_time,
                                      exchange_open_for_fill, extended_hours, filled, new_event, order_local_ms,
                                      quote_close, stamp, subscribed_kinds, trade_prices)
from pylean.orders.time_in_force import reached_close_after
from pylean.orders.types import Order, OrderEvent, stamped_event
from pylean.securities import open_at
from pylean.statistics.dotnet import decimal_str
from pylean.timeutil import local_to_ms, ms_to_local

if TYPE_CHECKING:
    from pylean.securities import Security

__all__ = ["EquityFillModel", "FillModel", "ImmediateFillModel", "Prices"]

_CANCELED, _FILLED = OrderStatus.CANCELED, OrderStatus.FILLED
_ZERO = Decimal(0)


@lean_api
class EquityFillModel(FillModel):
    """Lean's EquityFillModel; trailing-stop and stop-limit fills are the base model's."""

    # ------------------------------------------------------------ market
    def market_fill(self, asset: "Security", order: Order) -> OrderEvent:
        event = new_event(asset, order)
        if not can_fill_now(self, asset, order, False):
            return event
        slip = slippage(asset, order)
        buy = order.direction == OrderDirection.BUY
        price, message, stale_end_ms = _best_effort(asset, order, "ask" if buy else "bid")
        # stale quotes: wait for fresh data when they are more than one bar behind the order time
        if stale_end_ms is not None and self.should_wait_for_fresh_data_on_stale(asset, stale_end_ms,
                                                                                  order_local_ms(order)):
            return event
        return filled(event, order, price + slip if buy else price - slip, message)

    def market_on_open_fill(self, asset: "Security", order: Order) -> OrderEvent:
        event = new_event(asset, order)
        if order.status == OrderStatus.CANCELED:
            return event
        hours = asset.exchange.hours
        order_ms = order_local_ms(order)
        end_ms, price, message = -2**62, Decimal(0), ""
        if "trade" in subscribed_kinds(asset):
            bar = trade_prices(asset)
            if bar is not None:
                start_ms = local_to_ms(bar.time)  # type: ignore[arg-type]
                if start_ms < order_ms:
                    return event  # the bar was already building when the order came in
                if bar.end_ms - start_ms < HOUR_MS and not hours.is_open(bar.time):  # type: ignore[arg-type]
                    return event  # a pre-market bar is not the open
                end_ms, price = bar.end_ms, bar._open
        else:
            message = _quote_data_warning(asset)
        if order_ms >= end_ms:
            return event
        order_local = ms_to_local(order_ms)
        if hours.is_open(order_local) and order_local.date() == ms_to_local(end_ms).date():
            return event  # placed during that session: wait for the next one
        if not exchange_open_for_fill(self, asset, False):
            return event
        return _session_fill(self, asset, order, event, price, message)

    def market_on_close_fill(self, asset: "Security", order: Order) -> OrderEvent:
        event = new_event(asset, order)
        if order.status == OrderStatus.CANCELED:
            return event
        if not reached_close_after(asset, order):
            return event
        price, message = Decimal(0), ""
        if "trade" in subscribed_kinds(asset):
            price = asset.cache.trade_decimal("close") if asset.cache.trade_bar_end_ms() is not None else Decimal(0)
        else:
            message = _quote_data_warning(asset)
        return _session_fill(self, asset, order, event, price, message)

    # ------------------------------------------------------------ trade-bar orders
    def limit_fill(self, asset: "Security", order: Any) -> OrderEvent:
        event, bar = _fresh_trade_bar(self, asset, order, extended_hours(asset))
        if bar is None:
            return event
        limit = order._limit_price
        # strict touch: our order is assumed last in the book at its price
        if order.direction == OrderDirection.BUY and bar._low < limit:
            if bar._open < limit:
                return filled(event, order, bar._open, _gap_message("a favorable", bar))
            return filled(event, order, limit)
        if order.direction == OrderDirection.SELL and bar._high > limit:
            if bar._open > limit:
                return filled(event, order, bar._open, _gap_message("a favorable", bar))
            return filled(event, order, limit)
        return event

    def stop_market_fill(self, asset: "Security", order: Any) -> OrderEvent:
        event, bar = _fresh_trade_bar(self, asset, order, False)
        if bar is None:
            return event
        stop = order._stop_price
        if order.direction == OrderDirection.SELL and bar._low <= stop:
            slip = slippage(asset, order)
            if bar._open <= stop:
                return filled(event, order, bar._open - slip, _gap_message("an unfavorable", bar))
            return filled(event, order, stop - slip)
        if order.direction == OrderDirection.BUY and bar._high >= stop:
            slip = slippage(asset, order)
            if bar._open >= stop:
                return filled(event, order, bar._open + slip, _gap_message("an unfavorable", bar))
            return filled(event, order, stop + slip)
        return event

    def limit_if_touched_fill(self, asset: "Security", order: Any) -> OrderEvent:
        event, bar = _fresh_trade_bar(self, asset, order, extended_hours(asset))
        if bar is None:
            return event
        if order.direction == OrderDirection.BUY and (bar._low <= order._trigger_price or order.trigger_touched):
            order.trigger_touched = True
            ask, message, _ = _best_effort(asset, order, "ask")
            if ask <= order._limit_price:
                return filled(event, order, min(ask, order._limit_price), message)
        elif order.direction == OrderDirection.SELL and (bar._high >= order._trigger_price or order.trigger_touched):
            order.trigger_touched = True
            bid, message, _ = _best_effort(asset, order, "bid")
            if bid >= order._limit_price:
                return filled(event, order, max(bid, order._limit_price), message)
        return event

    # ------------------------------------------------------------ helpers





def _gap_message(kind: str, bar: Prices) -> str:
    return (f"Due to {kind} gap at {stamp(bar.end_ms)} {TIME_ZONE}, order filled using the open price "
            f"({decimal_str(bar._open)})")


# The helpers below are module functions, not methods: a user's subclass may assign any name outside Lean's
# public API without replacing them (pylean/algorithm_state.py).


def quick_market_fill(asset: "Security", order: Order) -> OrderEvent | None:
    """EquityFillModel.market_fill in one frame for its common case: the exchange open now and a quote bar
    within the stale span. None when the case does not hold: then market_fill decides (nothing was changed
    or asked of a user model here). Only for a model of that class itself with no instance attributes (see
    BacktestingBrokerage.scan): every method market_fill would look up is then this module's own."""
    if order.status == _CANCELED:
        return None
    now = asset.exchange.local_time
    if now is None or not open_at(asset.exchange.hours, now, False):
        return None  # (is_exchange_open's other ways to say open: the general path)
    cache = asset.cache
    if "quote" not in _KINDS(asset.subscriptions):  # (subscribed_kinds)
        return None
    quote_end = cache.quote_bar_end_ms()
    if quote_end is None or quote_end < order_local_ms(order) - STALE_PRICE_MS:
        return None
    buy = order._quantity > 0
    # quote_close(cache, "ask" if buy else "bid")
    price = (cache.quote_decimal("ask_close") or cache.quote_decimal("bid_close") if buy
             else cache.quote_decimal("bid_close") or cache.quote_decimal("ask_close"))
    model = asset.slippage_model  # (after the pure reads above: a user slippage model is asked once)
    slip = _ZERO if type(model) is fees._PLAIN_SLIPPAGE_MODEL and not model.__dict__ else slippage(asset, order)
    now = cache.cursor.time  # event_time(asset, order); filled(new_event(...), ...) in one frame
    if now is None:
        utc = order._time
    elif _LAST_UTC[0] is now:
        utc = _LAST_UTC[1]
    else:
        utc = event_time(asset, order)
    event = stamped_event(order, utc, _FILLED)
    event._fill_price = price + slip if buy else price - slip
    event._fill_quantity = order._quantity
    return event


def _session_fill(model: Any, asset: "Security", order: Order, event: OrderEvent, price: Decimal,
                  message: str) -> OrderEvent:
    """MOO/MOC: the trade price, or the best-effort ask/bid when there is none, plus slippage."""
    buy = order.direction == OrderDirection.BUY
    if price == 0:
        price, extra, _ = _best_effort(asset, order, "ask" if buy else "bid")
        message += extra
    return filled(event, order, _slipped(asset, order, price), message)


def _best_effort(asset: "Security", order: Order, side: str) -> tuple[Decimal, str, int | None]:
    """GetBestEffortAskPrice/BidPrice: (price, message, end ms of the data when stale else None).

    Candidates in priority order: last quote bar side, then last trade bar close; the first
    that ended within StalePriceTimeSpan of the order time wins, a later one only counts when
    it is newer than the stale one found before it.
    """
    cache = asset.cache
    kinds = subscribed_kinds(asset)
    cutoff = order_local_ms(order) - STALE_PRICE_MS
    base_end: int | None = None
    price, message = Decimal(0), ""
    quote_end = cache.quote_bar_end_ms() if "quote" in kinds else None
    if quote_end is not None:
        value = quote_close(cache, side)
        if quote_end >= cutoff:
            return value, "", None
        base_end, price = quote_end, value
        message = f"Warning: fill at stale price ({stamp(quote_end)} {TIME_ZONE}), using QuoteBar data."
    trade_end = cache.trade_bar_end_ms() if "trade" in kinds else None
    if trade_end is not None and (base_end is None or trade_end > base_end):
        message = (f"Warning: No quote information available at {stamp(trade_end)} {TIME_ZONE}, "
                   "order filled using TradeBar data")
        if trade_end >= cutoff:
            return cache.trade_decimal("close"), message, None
        base_end, price = trade_end, cache.trade_decimal("close")
    if base_end is None:
        raise ValueError(f"Cannot get {side} price to perform fill for {asset.symbol} because no market data "
                         "was found.")
    return price, message, base_end


def _fresh_trade_bar(model: Any, asset: "Security", order: Order, extended: bool) -> tuple[OrderEvent, Prices | None]:
    """The opening of the trade-bar fills: the unfilled event, and the last real trade bar, or None
    when the order cannot fill now (see _fillable) or that bar did not end after the order time."""
    event = new_event(asset, order)
    if not can_fill_now(model, asset, order, extended) or "trade" not in subscribed_kinds(asset):
        return event, None
    end_ms = asset.cache.trade_bar_end_ms()
    if end_ms is None or end_ms <= order_local_ms(order):
        return event, None  # nothing newer than the order: the bar's prices are not needed
    return event, trade_prices(asset)


def trade_bar_misses(model: Any, asset: "Security", order: Any) -> bool:
    """True when EquityFillModel's limit_fill (stop_market_fill for a stop-market order) would hand back its
    unfilled event: it cannot fill now, or the bar it tests does not reach the order's price. The brokerage
    then has nothing to do, so it need not build that event and the bar's prices (the same tests, in order)."""
    limit = order.type == OrderType.LIMIT
    if (not can_fill_now(model, asset, order, extended_hours(asset) if limit else False)
            or "trade" not in subscribed_kinds(asset)):
        return True
    cache = asset.cache
    end_ms = cache.trade_bar_end_ms()
    if end_ms is None or end_ms <= order_local_ms(order) or cache.trade_bar_start_ms() is None:
        return True
    close = cache.trade_decimal("close")
    direction = order.direction
    if limit:  # strict touch
        if direction == OrderDirection.BUY:
            return not (cache.trade_decimal("low") or close) < order._limit_price
        return direction != OrderDirection.SELL or not (cache.trade_decimal("high") or close) > order._limit_price
    if direction == OrderDirection.SELL:
        return not (cache.trade_decimal("low") or close) <= order._stop_price
    return direction != OrderDirection.BUY or not (cache.trade_decimal("high") or close) >= order._stop_price


def _quote_data_warning(asset: "Security") -> str:
    now = asset.exchange.local_time
    when = f"{now:%m/%d/%Y %H:%M:%S}" if now is not None else ""
    return f"Warning: No trade information available at {when} {TIME_ZONE}, order filled using Quote data"
