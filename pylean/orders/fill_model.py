"""The base fill model (Common/Orders/Fills/FillModel.cs, Prices.cs); EquityFillModel refines it (fills.py).

Each `*_fill(asset, order)` returns an OrderEvent: unchanged status while the order must wait,
FILLED with price and quantity otherwise. User subclasses override any of them in snake_case or
PascalCase, and may override `get_prices` as in Lean.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pylean.data.subscription import PERIOD_MS
from pylean.enums import OrderDirection, OrderStatus, OrderType, Resolution
from pylean.memo import ListMemo
from pylean.naming import alias_attributes, lean_api, user_method
from pylean.orders.fees import slippage
from pylean.orders.time_in_force import reached_close_after
from pylean.orders.types import ORDER_FEE_ZERO, Order, OrderEvent, decimal_field, to_decimal
from pylean.securities import open_at
from pylean.timeutil import last_new_york_times, local_to_ms, local_to_utc, ms_to_local, utc_to_local

if TYPE_CHECKING:
    from pylean.securities import Security

ZERO = Decimal(0)
HOUR_MS = 3_600_000
STALE_PRICE_MS = HOUR_MS  # Settings.StalePriceTimeSpan default
TIME_ZONE = "America/New_York"
METHOD_BY_TYPE = {
    OrderType.MARKET: "market_fill", OrderType.LIMIT: "limit_fill", OrderType.STOP_MARKET: "stop_market_fill",
    OrderType.STOP_LIMIT: "stop_limit_fill", OrderType.MARKET_ON_OPEN: "market_on_open_fill",
    OrderType.MARKET_ON_CLOSE: "market_on_close_fill", OrderType.TRAILING_STOP: "trailing_stop_fill",
    OrderType.LIMIT_IF_TOUCHED: "limit_if_touched_fill",
}


@lean_api
class Prices:
    """A bar's prices for a fill: zero open/high/low/close fall back to `current` (Prices.cs).

    Decimals in `_current`, `_open`...; Python reads floats."""

    def __init__(self, time: datetime | None, end_time: datetime | None, current: Any, open: Any = 0,
                 high: Any = 0, low: Any = 0, close: Any = 0) -> None:
        self.time = time
        self.end_time = end_time
        self._current = to_decimal(current)
        self._open = to_decimal(open) or self._current
        self._high = to_decimal(high) or self._current
        self._low = to_decimal(low) or self._current
        self._close = to_decimal(close) or self._current

    current = decimal_field("current")
    open = decimal_field("open")
    high = decimal_field("high")
    low = decimal_field("low")
    close = decimal_field("close")

    @property
    def end_ms(self) -> int:
        return local_to_ms(self.end_time) if self.end_time is not None else -2**62


alias_attributes(Prices, ["time", "end_time"])


def order_local_ms(order: Order) -> int:
    """The order time on the exchange's local ms line (kept on the order with the time it was made from)."""
    time = order._time
    cached = order.__dict__.get("_local_ms_of")
    if cached is not None and cached[0] is time:
        return cached[1]
    last = _LAST_LOCAL_MS  # the orders of one step share their time object
    if last[0] is time:
        ms = last[1]
    else:
        # the step's clock (naive local) and the UTC time made from it: outside the spring-forward gap (2-3 am)
        # converting back gives that local time again
        clock = last_new_york_times
        local = clock[0]
        if time is clock[1] and local.hour != 2 and local.tzinfo is None:
            ms = local_to_ms(local)
        else:
            ms = local_to_ms(utc_to_local(time))
        last[0], last[1] = time, ms
    order.__dict__["_local_ms_of"] = (time, ms)
    return ms


_LAST_LOCAL_MS: list[Any] = [None, 0]  # the last order time converted, kept alive (`is` stays sound)


_LAST_UTC: list[Any] = [None, None]  # the last (local, utc) pair new_event converted: one step asks many times


def new_event(asset: "Security", order: Order) -> OrderEvent:
    """The unfilled event every fill method starts from, stamped with the asset's clock."""
    return OrderEvent(order, event_time(asset, order), ORDER_FEE_ZERO)


def event_time(asset: "Security", order: Order) -> datetime:
    """The time fill events carry: the asset's clock in UTC (the order's time before the clock starts)."""
    now = asset.cache.cursor.time
    if now is None:
        return order._time
    if _LAST_UTC[0] is not now:
        _LAST_UTC[0], _LAST_UTC[1] = now, local_to_utc(now)
    return _LAST_UTC[1]  # type: ignore[no-any-return]


def filled(event: OrderEvent, order: Order, price: Decimal, message: str = "") -> OrderEvent:
    event.status = OrderStatus.FILLED
    event._fill_price = price
    event._fill_quantity = order._quantity
    if message:
        event.message = message
    return event


def stamp(ms: int) -> str:
    """DateTime.ToStringInvariant(): "10/07/2013 09:31:00"."""
    return f"{ms_to_local(ms):%m/%d/%Y %H:%M:%S}"


def user_configs(asset: "Security") -> list[Any]:
    return [c for c in asset.subscriptions if not c.is_internal]


def subscribed_kinds(asset: "Security") -> frozenset[str]:
    """The data types sent to the algorithm: "trade" and/or "quote" (asked per fill: remembered with the
    subscription list, as the brokerage's no-fill memo trusts it)."""
    return _KINDS(asset.subscriptions)  # type: ignore[no-any-return]


_KINDS = ListMemo(lambda subscriptions: frozenset(c.kind for c in subscriptions if not c.is_internal))


def extended_hours(asset: "Security") -> bool:
    return any(c.extended_hours for c in user_configs(asset))


def trade_prices(asset: "Security") -> Prices | None:
    cache = asset.cache
    start, end = cache.trade_bar_start_ms(), cache.trade_bar_end_ms()
    if start is None or end is None:
        return None
    return _last_trade_prices(cache, ms_to_local(start), ms_to_local(end))


def _last_trade_prices(cache: Any, start: datetime | None, end: datetime | None) -> Prices:
    """Prices(start, end, close, open, high, low, close) of the cache's decimals, built without converting
    them again (zero open/high/low fall back to the close, as Prices does)."""
    close = cache.trade_decimal("close")
    prices = Prices.__new__(Prices)
    prices.time, prices.end_time = start, end
    prices._current = prices._close = close
    prices._open = cache.trade_decimal("open") or close
    prices._high = cache.trade_decimal("high") or close
    prices._low = cache.trade_decimal("low") or close
    return prices


def quote_close(cache: Any, side: str) -> Decimal:
    """The last quote bar's `side` ("bid"/"ask") close; a missing side falls back to QuoteBar.Close,
    the other side's close."""
    return cache.quote_decimal(f"{side}_close") or cache.quote_decimal("bid_close" if side == "ask" else "ask_close")


def quote_prices(asset: "Security", side: str) -> Prices | None:
    """The bid or ask bar of the last quote bar; None when there is none or that side is missing."""
    cache = asset.cache
    end = cache.quote_bar_end_ms()
    close = cache.quote_decimal(f"{side}_close")
    if end is None or not close:
        return None
    start = end - quote_period_ms(asset)
    return Prices(ms_to_local(start), ms_to_local(end), close, cache.quote_decimal(f"{side}_open"),
                  cache.quote_decimal(f"{side}_high"), cache.quote_decimal(f"{side}_low"), close)


def quote_period_ms(asset: "Security") -> int:
    return next((PERIOD_MS[c.resolution] for c in asset.subscriptions if c.kind == "quote"), 60_000)


def last_data_span(asset: "Security") -> tuple[int, int] | None:
    """[start, end) in local ms of the newest real bar of any type (Security.GetLastData)."""
    cache = asset.cache
    trade_end, quote_end = cache.trade_bar_end_ms(), cache.quote_bar_end_ms()
    if trade_end is not None and (quote_end is None or trade_end >= quote_end):
        return cache.trade_bar_start_ms(), trade_end  # type: ignore[return-value]
    if quote_end is not None:
        return quote_end - quote_period_ms(asset), quote_end
    return None


@lean_api
class FillModel:
    """Lean's base fill model; EquityFillModel (the US-equity default) overrides most order types."""

    def fill(self, parameters: Any) -> list[OrderEvent]:
        """FillModel.Fill: the per-order-type method (a user override in either spelling) for one order."""
        method = user_method(self, METHOD_BY_TYPE[parameters.order.type])
        return [method(parameters.security, parameters.order)]

    # ------------------------------------------------------------ market
    def market_fill(self, asset: "Security", order: Order) -> OrderEvent:
        event = new_event(asset, order)
        if not can_fill_now(self, asset, order, False):
            return event
        prices = _prices(self, asset, order.direction)
        order_ms = order_local_ms(order)
        if prices.end_ms + STALE_PRICE_MS < order_ms:
            if self.should_wait_for_fresh_data_on_stale(asset, prices.end_ms, order_ms):
                return event
            event.message = f"Warning: fill at stale price ({stamp(prices.end_ms)} {TIME_ZONE})"
        price = prices._current
        # hour/daily orders resting since before the bar opened fill at its open (GetMarketFillPrice)
        if prices.time is not None and prices._open and self.should_wait_for_fresh_data(asset) \
                and order_ms <= local_to_ms(prices.time):
            price = prices._open
        return filled(event, order, _slipped(asset, order, price))

    # ------------------------------------------------------------ stops and limits
    def stop_market_fill(self, asset: "Security", order: Any) -> OrderEvent:
        event, prices = _fresh_prices(self, asset, order, False)
        if prices is None:
            return event
        slip = slippage(asset, order)
        if order.direction == OrderDirection.SELL and prices._low < order._stop_price:
            return filled(event, order, min(order._stop_price, prices._current - slip))
        if order.direction == OrderDirection.BUY and prices._high > order._stop_price:
            return filled(event, order, max(order._stop_price, prices._current + slip))
        return event

    def trailing_stop_fill(self, asset: "Security", order: Any) -> OrderEvent:
        event, prices = _fresh_prices(self, asset, order, False)
        if prices is None:
            return event
        slip = slippage(asset, order)
        sell = order.direction == OrderDirection.SELL
        if sell and prices._low <= order._stop_price:
            return filled(event, order, min(order._stop_price, prices._current - slip))
        if not sell and prices._high >= order._stop_price:
            return filled(event, order, max(order._stop_price, prices._current + slip))
        # not filled: ratchet the stop after the fill test, so a move toward the market cannot fill it
        updated = trailing_stop_update(prices._high if sell else prices._low, order._stop_price,
                                       order._trailing_amount, order.trailing_as_percentage, sell)
        if updated is not None:
            order._stop_price = updated
        return event

    def stop_limit_fill(self, asset: "Security", order: Any) -> OrderEvent:
        event, prices = _fresh_prices(self, asset, order, extended_hours(asset))
        return event if prices is None else stop_limit_decision(event, order, prices)

    def limit_if_touched_fill(self, asset: "Security", order: Any) -> OrderEvent:
        event = new_event(asset, order)
        if not can_fill_now(self, asset, order, extended_hours(asset)):
            return event
        bar = trade_prices(asset) if "trade" in subscribed_kinds(asset) else None
        if bar is None or bar.end_ms <= order_local_ms(order):
            return event
        sell = order.direction == OrderDirection.SELL
        if order.trigger_touched or (bar._high >= order._trigger_price if sell else bar._low <= order._trigger_price):
            order.trigger_touched = True
            # Lean's base model compares the ask for sells and the bid for buys (kept as is)
            quote = _last_quote(asset, "ask" if sell else "bid")
            if quote is not None and ((quote >= order._limit_price) if sell else (quote <= order._limit_price)):
                return filled(event, order, order._limit_price)
        return event

    def limit_fill(self, asset: "Security", order: Any) -> OrderEvent:
        event, prices = _fresh_prices(self, asset, order, extended_hours(asset))
        if prices is None:
            return event
        if order.direction == OrderDirection.BUY and prices._low < order._limit_price:
            return filled(event, order, min(prices._high, order._limit_price))
        if order.direction == OrderDirection.SELL and prices._high > order._limit_price:
            return filled(event, order, max(prices._low, order._limit_price))
        return event

    # ------------------------------------------------------------ session orders
    def market_on_open_fill(self, asset: "Security", order: Order) -> OrderEvent:
        event = new_event(asset, order)
        if order.status == OrderStatus.CANCELED:
            return event
        span = last_data_span(asset)
        order_ms = order_local_ms(order)
        if span is None or order_ms >= span[1]:
            return event  # never on the bar the order was placed in, nor on stale data
        now = asset.exchange.local_time
        order_local = ms_to_local(order_ms)
        if asset.exchange.hours.is_open(order_local) and now is not None and order_local.date() == now.date():
            return event  # placed during the session: wait for the next day
        if not exchange_open_for_fill(self, asset, False):
            return event
        return filled(event, order, _slipped(asset, order, _prices(self, asset, order.direction)._open))

    def market_on_close_fill(self, asset: "Security", order: Order) -> OrderEvent:
        event = new_event(asset, order)
        if order.status == OrderStatus.CANCELED:
            return event
        if not reached_close_after(asset, order):
            return event
        return filled(event, order, _slipped(asset, order, _prices(self, asset, order.direction)._close))

    # ------------------------------------------------------------ helpers (Lean's protected members)
    def get_prices(self, asset: "Security", direction: OrderDirection) -> Prices:
        """Last quote bar side for the direction (ask for buys, bid for sells), else the last trade bar."""
        kinds = subscribed_kinds(asset)
        if direction != OrderDirection.HOLD:
            if "quote" in kinds:
                quote = quote_prices(asset, "bid" if direction == OrderDirection.SELL else "ask")
                if quote is not None:
                    return quote
            if "trade" in kinds:
                trade = trade_prices(asset)
                if trade is not None:
                    return trade
        return _security_prices(asset)

    def is_exchange_open(self, asset: "Security", is_extended_market_hours: bool = False) -> bool:
        """Open now, or the last bar was open during its span and still covers now (FillModel.IsExchangeOpen)."""
        now = asset.exchange.local_time
        if now is None:
            return False
        hours = asset.exchange.hours
        if open_at(hours, now, is_extended_market_hours):
            return True
        span = last_data_span(asset)
        if span is None:
            return False
        start, end = ms_to_local(span[0]), ms_to_local(span[1])
        # bars longer than an hour (daily) count as open for the rest of their date
        on_bar = now.date() == end.date() if span[1] - span[0] > HOUR_MS else now <= end
        return on_bar and hours.overlaps_market(start, end, is_extended_market_hours)

    def should_wait_for_fresh_data(self, asset: "Security") -> bool:
        """True when every subscription sent to the algorithm is hour or daily."""
        configs = user_configs(asset)
        return bool(configs) and all(c.resolution in (Resolution.HOUR, Resolution.DAILY) for c in configs)

    def should_wait_for_fresh_data_on_stale(self, asset: "Security", data_end_ms: int, order_ms: int) -> bool:
        """Wait when coarse-only, or when the data is more than one bar of the finest resolution old."""
        if self.should_wait_for_fresh_data(asset):
            return True
        periods = [PERIOD_MS[c.resolution] for c in asset.subscriptions]
        span = min(periods) if periods else 60_000
        return span != 0 and order_ms - data_end_ms > span








@lean_api
class ImmediateFillModel(FillModel):
    """Lean's ImmediateFillModel is the base model under another name."""


def stop_limit_decision(event: OrderEvent, order: Any, prices: Prices) -> OrderEvent:
    """Strict trigger (High > stop for buys, Low < stop for sells) that persists, then the limit test."""
    if order.direction == OrderDirection.BUY:
        if prices._high > order._stop_price or order.stop_triggered:
            order.stop_triggered = True  # Lean notifies this through an order update, without an event
            if prices._current < order._limit_price:
                return filled(event, order, min(prices._high, order._limit_price))
    elif order.direction == OrderDirection.SELL:
        if prices._low < order._stop_price or order.stop_triggered:
            order.stop_triggered = True
            if prices._current > order._limit_price:
                return filled(event, order, max(prices._low, order._limit_price))
    return event


def trailing_stop_update(market: Decimal, stop: Decimal, amount: Decimal, as_percentage: bool,
                         sell: bool) -> Decimal | None:
    """TrailingStopOrder.TryUpdateStopPrice: the new stop, or None while the market has not moved far enough."""
    distance = market - stop if sell else stop - market
    reference = market * amount if as_percentage else amount
    if distance <= reference:
        return None
    return calculate_stop_price(market, amount, as_percentage, sell)


def calculate_stop_price(market: Decimal, amount: Decimal, as_percentage: bool, sell: bool) -> Decimal:
    """TrailingStopOrder.CalculateStopPrice."""
    if as_percentage:
        return market * (1 - amount) if sell else market * (1 + amount)
    return market - amount if sell else market + amount


def _slipped(asset: "Security", order: Order, price: Decimal) -> Decimal:
    slip = slippage(asset, order)
    return price + slip if order.direction == OrderDirection.BUY else price - slip


# The helpers below are module functions, not methods: a user's subclass may assign any name outside Lean's
# public API without replacing them (pylean/algorithm_state.py).


def _fresh_prices(model: Any, asset: "Security", order: Any, extended: bool) -> tuple[OrderEvent, Prices | None]:
    """The opening of every stop and limit fill: the unfilled event, and the prices to test, or None
    when the order cannot fill now (see _fillable) or nothing is newer than the order (stale)."""
    event = new_event(asset, order)
    if not can_fill_now(model, asset, order, extended):
        return event, None
    prices = _prices(model, asset, order.direction)
    return event, (prices if prices.end_ms > order_local_ms(order) else None)


def can_fill_now(model: Any, asset: "Security", order: Any, extended: bool) -> bool:
    """Lean's first checks of every fill method: a cancelled order never fills, and nothing fills
    while the exchange is closed for this order (`extended`: the subscription's extended hours)."""
    return order.status != OrderStatus.CANCELED and exchange_open_for_fill(model, asset, extended)


def exchange_open_for_fill(model: Any, asset: "Security", extended: bool) -> bool:
    return user_method(model, "is_exchange_open")(asset, extended)


def _prices(model: Any, asset: "Security", direction: OrderDirection) -> Prices:
    return user_method(model, "get_prices")(asset, direction)


def _security_prices(asset: "Security") -> Prices:
    span = last_data_span(asset)
    return _last_trade_prices(asset.cache, ms_to_local(span[0]) if span else None,
                              ms_to_local(span[1]) if span else None)


def _last_quote(asset: "Security", side: str) -> Decimal | None:
    """FillModel.GetAskPrice/GetBidPrice: last quote side, else last trade close."""
    kinds = subscribed_kinds(asset)
    if "quote" in kinds and asset.cache.quote_bar_end_ms() is not None:
        return quote_close(asset.cache, side)
    if "trade" in kinds and asset.cache.trade_bar_end_ms() is not None:
        return asset.cache.trade_decimal("close")
    return None


def _install_combo_fills() -> None:
    from pylean.orders.combo_handling import install_fill_methods
    install_fill_methods(FillModel)  # ComboMarketFill, ComboLimitFill, ComboLegLimitFill


_install_combo_fills()
