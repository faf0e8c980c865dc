"""The simulated brokerage: resting orders and the scan filling them (Brokerages/Backtesting/BacktestingBrokerage.cs).

Scan order for each pending order (by id): skip non-market orders in the step they were placed;
MOO orders wait for a bar that ended after them; time-in-force expiry (Canceled, "The order has
expired."); buying power re-check (Invalid); the fill model; fees for Filled events.
"""
from __future__ import annotations

import functools
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pylean.enums import CLOSED_STATUSES, OrderStatus, OrderType
from pylean.naming import user_method
from pylean.orders.buying_power import (CLEARLY_SUFFICIENT, DEFAULT_MARGIN_MODELS, check_buying_power,
                                        insufficient_buying_power_message)
from pylean.orders.combo import COMBO_TYPES, SecurityForOrder
from pylean.orders.combo_handling import scan_combo_leg
from pylean.orders.fees import (ConstantFeeModel, FeeModel, InteractiveBrokersFeeModel, market_order_fee,
                                order_fee)
from pylean.orders.fill_model import METHOD_BY_TYPE, last_data_span, order_local_ms
from pylean.orders.fills import EquityFillModel, quick_market_fill, trade_bar_misses
from pylean.orders.time_in_force import DayTimeInForce, GoodTilCanceledTimeInForce, GoodTilDateTimeInForce
from pylean.orders.types import ORDER_FEE_ZERO, CashAmount, MarketOrder, Order, OrderEvent, OrderFee, usd_fee
from pylean.securities import MARGIN_EPOCH

if TYPE_CHECKING:
    from pylean.orders.transactions import TransactionHandler
    from pylean.securities import Security

_DEFAULT_MODEL = EquityFillModel()


class BacktestingBrokerage:
    """Holds the orders the market has accepted and fills them against the cached data."""

    def __init__(self, handler: "TransactionHandler") -> None:
        self.handler = handler
        self._pending: dict[int, Order] = {}

    # ------------------------------------------------------------ order requests
    def place_order(self, order: Order) -> bool:
        if order.status != OrderStatus.NEW:
            return False
        self._pending[order.id] = order
        order.broker_id = [str(order.id)]
        self._event(order, OrderStatus.SUBMITTED)
        return True

    def update_order(self, order: Order) -> bool:
        if order.id not in self._pending:
            return False  # can't update something that isn't there
        self._event(order, OrderStatus.UPDATE_SUBMITTED)
        return True

    def cancel_order(self, order: Order) -> bool:
        found = self._pending.pop(order.id, None) is not None
        self._event(order, OrderStatus.CANCELED)
        return found

    def _event(self, order: Order, status: OrderStatus, message: str = "") -> None:
        event = OrderEvent(order, self.handler.utc_now(), ORDER_FEE_ZERO, message)
        event.status = status
        self.handler.handle_order_events([event], stamped=True)

    def _remove(self, order: Order, status: OrderStatus, message: str = "") -> None:
        self._pending.pop(order.id, None)
        self._event(order, status, message)

    # ------------------------------------------------------------ scan
    def scan(self, cleared: Order | None = None) -> None:
        """Try to fill every pending order against the data just loaded (BacktestingBrokerage.Scan).
        `cleared`: an order whose submission's buying power check said CLEARLY_SUFFICIENT with nothing run
        since; that answer holds when it is the only pending order (no other order's fill or model runs first)."""
        if not self._pending:
            return
        if cleared is not None and len(self._pending) != 1:
            cleared = None
        if cleared is not None and self._fill_cleared(cleared):
            return
        handler = self.handler
        portfolio = handler.portfolio
        now = handler.utc_now()
        find, pending = handler.securities.find, self._pending
        for order_id in sorted(pending):
            order = pending.get(order_id)
            if order is None:
                continue  # handled by a nested scan from an event handler
            if order.status in CLOSED_STATUSES:
                pending.pop(order_id, None)
                continue
            if order.type in COMBO_TYPES:
                scan_combo_leg(self, order, now)  # the leg's whole group
                continue
            if order._time == now and order.type != _MARKET:
                continue  # all fills happen on the next bar, except market orders'
            security = find(order.symbol)
            if security is None:
                self._remove(order, _INVALID)  # the security no longer exists
                continue
            memo = order.__dict__.get("_no_fill_memo")
            unfilled = False
            if memo is not None:  # the default model said "not yet" on this very data (see _no_fill_memo)
                data, books = memo
                cursor = security.cache.cursor
                unfilled = (data[0] == id(cursor.block) and data[1] == cursor.k and data[2] == cursor.time
                            and data[9] is security.fill_model and data[5] == order._quantity
                            and data[6] == order.__dict__.get(data[10]) and data[7] == order.status
                            and data[8] is order.time_in_force and data[4] == order._time
                            and data[3] == len(security.subscriptions))
                if (unfilled and books is not None and books[1] == portfolio._fills and books[0] is portfolio._cash
                        and books[2] == MARGIN_EPOCH[0] and books[3] is security.fee_model
                        and books[4] is security.buying_power_model):
                    continue  # and the books are as they were then: every test below answers as before
            if (not unfilled  # (unfilled: passed on this data)
                    and (order.type == _MARKET_ON_OPEN or type(order.time_in_force) is not _NEVER_EXPIRES)
                    and not self._pre_checks(security, order)):  # (else nothing to hold or expire)
                continue
            check = (CLEARLY_SUFFICIENT if order is cleared and type(order.time_in_force) in _PLAIN_TIME_IN_FORCE
                     else check_buying_power(portfolio, security, order))  # (user expiry code may have run)
            if not check.is_sufficient:
                if order.status == _CANCEL_PENDING:
                    continue  # the queued cancel request settles it
                message = insufficient_buying_power_message(order, security, check.reason)
                self._remove(order, _INVALID, message)
                handler.error(message)
                continue
            if unfilled:
                order.__dict__["_no_fill_memo"] = (memo[0], _books(portfolio, security))
                continue
            if type(security.fill_model) is EquityFillModel and order.type in _NO_FILL_FIELDS:
                try:  # the default limit or stop-market test: most bars miss the order's price
                    misses = trade_bar_misses(security.fill_model, security, order)
                except Exception:  # (the model itself is asked below and reports it)
                    misses = False
                if misses:  # what the unfilled event leads to below, without making it
                    order.__dict__["_no_fill_memo"] = _no_fill_memo(security, order, portfolio)
                    continue
            model = security.fill_model
            try:
                quick = _quick_fill(security, order)  # None: market_fill decides below
                if quick is None:
                    fills = self._fill(security, order)
                    for fill in fills:
                        if type(fill.status) is not OrderStatus:  # a user model may hand back a plain int
                            fill.status = OrderStatus(fill.status)
                        if fill.status == _FILLED and not fill.order_fee.value._amount:
                            fill.order_fee = OrderFee(CashAmount(_fill_fee(security, order), "USD"))
            except Exception as err:  # a failing fill model is reported, the order stays open
                handler.error(fill_error(order, err))
                continue
            if quick is not None:  # a fill of the whole order: the one event below, made from the order just now
                pending.pop(order_id, None)
                handler.handle_order_events([quick], stamped=True, security=security)
                continue
            # only a change of status or an actual fill is an event
            if len(fills) == 1:  # (what a fill method hands back: the lists below for one event)
                fill = fills[0]
                events = fills if fill.status != order.status or fill._fill_quantity else []
                closed = fill.status in CLOSED_STATUSES
            else:
                events = [f for f in fills if f.status != order.status or f._fill_quantity]
                closed = bool(fills) and all(f.status.is_closed for f in fills)
            if not events and fills:
                order.__dict__["_no_fill_memo"] = _no_fill_memo(security, order, portfolio)
            if closed:
                pending.pop(order_id, None)
            if events:
                # pylean's own market fill made its event from the order just now: nothing to stamp again
                handler.handle_order_events(events, stamped=type(order) is MarketOrder and type(model) is EquityFillModel
                                            and "market_fill" not in model.__dict__)

    def _fill_cleared(self, order: Order) -> bool:
        """The loop below for its usual case (see fill_alone). False (nothing done) when that case does not hold."""
        security = self.handler.securities.find(order.symbol)
        if security is None:
            return False
        try:
            quick = self.fill_alone(order, security)
            if quick is None:
                return False  # (nothing was asked of a user model: the loop's market_fill decides)
        except Exception as err:  # as the loop reports it: the order stays open
            self.handler.error(fill_error(order, err))
            return True
        self._pending.pop(order.id, None)
        self.handler.handle_order_events([quick], stamped=True, security=security)
        return True

    @staticmethod
    def fill_alone(order: Order, security: "Security") -> OrderEvent | None:
        """The scan loop's fill event for a fresh market order the submission cleared, alone and never
        expiring, with pylean's own fill model: no pre-check or buying power test applies (see scan), so the
        one-frame market fill decides. None (nothing done) when that case does not hold; raises what the
        fill raises."""
        model = security.fill_model
        if (type(order) is not MarketOrder or type(order.properties.time_in_force) is not _NEVER_EXPIRES
                or order.status in CLOSED_STATUSES or type(model) is not EquityFillModel or model.__dict__):
            return None
        quick = quick_market_fill(security, order)  # (_quick_fill, its tests made above)
        if quick is not None:
            amount = market_order_fee(security, order._quantity)  # (_fill_fee of a market order)
            quick.order_fee = usd_fee(order_fee(security, order) if amount is None else amount)
        return quick

    def _pre_checks(self, security: "Security", order: Order) -> bool:
        """MOO hold, then time-in-force expiry (TryOrderPreChecks)."""
        if order.type == OrderType.MARKET_ON_OPEN:
            span = last_data_span(security)
            if span is None or order_local_ms(order) >= span[1]:
                return False
        if order.time_in_force.is_order_expired(security, order):
            self._remove(order, OrderStatus.CANCELED, "The order has expired.")
            return False
        return True

    @staticmethod
    def _fill(security: "Security", order: Order) -> list[OrderEvent]:
        """The security's fill model: a user `fill(parameters)` override, else the per-type method
        (duck-typed models without one fall back to EquityFillModel's)."""
        model: Any = security.fill_model
        name = METHOD_BY_TYPE[order.type]
        if type(model) is EquityFillModel:  # pylean's own model: its per-type method (what the look-ups find)
            event = getattr(model, name)(security, order)
            return [event] if event is not None else []
        whole = _user_fill(model)
        if whole is not None:
            result = whole(FillModelParameters(security, order))
            return list(result) if not isinstance(result, OrderEvent) else [result]
        method = user_method(model, name) or getattr(_DEFAULT_MODEL, name)
        event = method(security, order)
        return [event] if event is not None else []


def _quick_fill(security: "Security", order: Order) -> OrderEvent | None:
    """The fill event, fee included, of a market order pylean's own EquityFillModel fills in one frame
    (fills.quick_market_fill), or None when that case does not hold (then the model is asked)."""
    model = security.fill_model
    if type(order) is not MarketOrder or type(model) is not EquityFillModel or model.__dict__:
        return None
    quick = quick_market_fill(security, order)
    if quick is not None:
        quick.order_fee = usd_fee(_fill_fee(security, order))
    return quick


def fill_error(order: Order, err: Exception) -> str:
    return (f"Order Error: id: {order.id}, Transaction model failed to fill for order type: {order.type!s} "
            f"with error: {err}")


def _fill_fee(security: "Security", order: Order) -> Decimal:
    """order_fee: a market order's from pylean's own fee models without building their parameters and fee."""
    amount = market_order_fee(security, order._quantity) if type(order) is MarketOrder else None
    return order_fee(security, order) if amount is None else amount


# enum members looked up once (a class attribute look-up per resting order per scan adds up)
_MARKET, _MARKET_ON_OPEN = OrderType.MARKET, OrderType.MARKET_ON_OPEN
_INVALID, _CANCEL_PENDING, _FILLED = OrderStatus.INVALID, OrderStatus.CANCEL_PENDING, OrderStatus.FILLED
# the resting order types whose default fill test reads only the order's own fields below and the data of
# the step: re-asking the default model within the same step about an unchanged order gives the same "no"
_NO_FILL_FIELDS = {OrderType.LIMIT: "_limit_price", OrderType.STOP_MARKET: "_stop_price"}
# pylean's own time-in-force kinds: their expiry test reads only the clock and the order's time
_PLAIN_TIME_IN_FORCE = (GoodTilCanceledTimeInForce, DayTimeInForce, GoodTilDateTimeInForce)
# pylean's own never-expiring time in force (a user subclass may override is_order_expired: always asked)
_NEVER_EXPIRES = GoodTilCanceledTimeInForce
# pylean's own fee models: the buying power test's fee reads only the order and the step's data
_PLAIN_FEE_MODELS = (FeeModel, InteractiveBrokersFeeModel, ConstantFeeModel)


def _no_fill_memo(security: "Security", order: Order, portfolio: Any) -> tuple[Any, ...] | None:
    """What a default-model "no fill yet" of `order` and its expiry test depend on (the step's data, the
    order's fields, the models: one that is the same object is still pylean's own), then what pylean's own
    buying power test of it depends on beyond those (see _books). None when the memo does not apply: user
    models, another order type or time in force are always asked."""
    field = _NO_FILL_FIELDS.get(order.type)
    if (field is None or type(security.fill_model) is not EquityFillModel
            or type(order.time_in_force) not in _PLAIN_TIME_IN_FORCE):
        return None
    cursor = security.cache.cursor
    return ((id(cursor.block), cursor.k, cursor.time, len(security.subscriptions), order._time, order._quantity,
             order.__dict__.get(field), order.status, order.time_in_force, security.fill_model, field),
            _books(portfolio, security))


def _books(portfolio: Any, security: "Security") -> tuple[Any, ...] | None:
    """The books pylean's own buying power test of a resting order reads beyond the step's data and the order
    (they move only with a fill, a new cash amount or a margin change); None: a user model, always asked."""
    if (type(security.buying_power_model) not in DEFAULT_MARGIN_MODELS
            or type(security.fee_model) not in _PLAIN_FEE_MODELS):
        return None
    return (portfolio._cash, portfolio._fills, MARGIN_EPOCH[0], security.fee_model, security.buying_power_model)


class FillModelParameters:
    """What Lean hands `FillModel.Fill`: the security and the order (FillModelParameters.cs)."""

    def __init__(self, security: "Security", order: Order, securities_for_orders: Any = None) -> None:
        self.security = security
        self.order = order
        self.Security, self.Order = security, order
        # a combo's legs with their securities (Lean's SecuritiesForOrders); the order alone otherwise
        self.securities_for_orders = (securities_for_orders if securities_for_orders is not None
                                      else [SecurityForOrder(order, security)])
        self.SecuritiesForOrders = self.securities_for_orders


def _user_fill(model: Any) -> Any:
    """A `fill`/`Fill` defined by a user class (pylean's own only dispatch per order type)."""
    name = _user_fill_name(type(model))
    return None if name is None else getattr(model, name)


@functools.lru_cache(maxsize=1024)
def _user_fill_name(klass: type) -> str | None:
    """Which spelling of `fill` a user class in `klass`'s MRO defines (asked per order per step; classes keep it)."""
    for base in klass.__mro__:
        if base.__module__.startswith("pylean.") or base is object:
            return None
        for name in ("fill", "Fill"):
            if name in vars(base):
                return name
    return None
