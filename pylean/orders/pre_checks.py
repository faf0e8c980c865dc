"""The checks QCAlgorithm runs before an order exists (Algorithm/QCAlgorithm.Trading.cs PreOrderChecksImpl).

A failed check returns an error response: the algorithm logs it and hands back an invalid ticket
without creating an order (not counted in Total Orders).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pylean.enums import OrderType, Resolution
from pylean.memo import ListMemo
from pylean.orders.requests import OrderResponse, OrderResponseErrorCode, SubmitOrderRequest
from pylean.statistics.dotnet import decimal_str

if TYPE_CHECKING:
    from pylean.securities import Security

MOC_SUBMISSION_BUFFER = timedelta(minutes=15, seconds=30)  # MarketOnCloseOrder.SubmissionTimeBuffer
_E = OrderResponseErrorCode


def zero_price_message(symbol: object) -> str:
    return (f"{symbol}: The security does not have an accurate price as it has not yet received a bar of data. "
            "Before placing a trade (or using set_holdings) warm up your algorithm with set_warmup, or use "
            "slice.contains(symbol) to confirm the Slice object has price before using the data. Data does not "
            "necessarily all arrive at the same time so your algorithm should confirm the data is ready before "
            "using it. In live trading this can mean you do not have an active subscription to the asset class "
            "you're trying to trade. If using custom data make sure you've set the 'Value' property.")


def missing_security_message(symbol: object) -> str:
    return f"You haven't requested {symbol} data. Add this with add_security() in the initialize() method."


def is_daily_resolution_only(security: "Security") -> bool:
    """Asked per market order: remembered with the subscription list."""
    subscriptions = security.subscriptions
    known = _DAILY_KNOWN.get(id(subscriptions))  # (the memo's hit without its call)
    if known is not None and known[0] is subscriptions and known[1] == len(subscriptions):
        return known[2]  # type: ignore[no-any-return]
    return _DAILY_ONLY(subscriptions)  # type: ignore[no-any-return]


def _daily_only(subscriptions: list[Any]) -> bool:
    configs = [c for c in subscriptions if not c.is_internal]
    return bool(configs) and all(c.resolution == Resolution.DAILY for c in configs)


_DAILY_ONLY = ListMemo(_daily_only)
_DAILY_KNOWN = _DAILY_ONLY._known


def within_moc_buffer(security: "Security", now: datetime) -> bool:
    """True from MarketOnCloseOrder.SubmissionTimeBuffer before the next regular close until that close."""
    return now > security.exchange.hours.next_market_close(now) - MOC_SUBMISSION_BUFFER


# what pre_order_checks answers when every check passes: its callers only ask whether it is an error
PASSED = OrderResponse(0)
_MARKET = OrderType.MARKET


def pre_order_checks(request: SubmitOrderRequest, security: "Security | None", warming_up: bool,
                     now: datetime) -> OrderResponse:
    """Lean's checks in Lean's order; `now` is the algorithm's local time."""
    def fail(code: OrderResponseErrorCode, message: str) -> OrderResponse:
        return OrderResponse.error(request, code, message)

    if warming_up:
        return OrderResponse.warming_up(request)
    if security is None:
        return fail(_E.MISSING_SECURITY, missing_security_message(request.symbol))
    quantity = request._quantity
    if not quantity:  # (== 0 of a decimal without converting the 0)
        return OrderResponse.zero_quantity(request)
    lot = security.symbol_properties.lot_size
    if abs(quantity) < lot:
        return fail(_E.ORDER_QUANTITY_LESS_THAN_LOT_SIZE,
                    f"Unable to submit order with id {request.order_id} which quantity ({decimal_str(abs(quantity))}) "
                    f"is less than lot size ({decimal_str(lot)}).")
    if not security.is_tradable:
        return fail(_E.NON_TRADABLE_SECURITY, f"The security with symbol '{request.symbol}' is marked as non-tradable.")
    if not security.cache.trade_decimal():
        return fail(_E.SECURITY_PRICE_ZERO, zero_price_message(request.symbol))
    if not security.has_data:
        return fail(_E.SECURITY_HAS_NO_DATA, "There is no data for this symbol yet, please check the security.HasData "
                                             "flag to ensure there is at least one data point.")
    kind = request.order_type
    if kind is _MARKET:
        return PASSED  # (the two session checks below are for the other kinds)
    if kind == OrderType.MARKET_ON_OPEN:
        # daily-only securities may send MOO during the session (market orders converted near the close)
        if security.exchange.hours.is_open(now) and not is_daily_resolution_only(security):
            return fail(_E.MARKET_ON_OPEN_NOT_ALLOWED_DURING_REGULAR_HOURS,
                        "Cannot submit a MarketOnOpen order while the market is open.")
    elif kind == OrderType.MARKET_ON_CLOSE and within_moc_buffer(security, now):
        return fail(_E.MARKET_ON_CLOSE_ORDER_TOO_LATE,
                    "MarketOnClose orders must be placed within 00:15:30 before market close. Override this TimeSpan "
                    "buffer by setting Orders.MarketOnCloseOrder.SubmissionTimeBuffer in QCAlgorithm.Initialize().")
    return PASSED
