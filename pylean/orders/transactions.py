"""Order requests and order events (Engine/TransactionHandlers/BrokerageTransactionHandler.cs,
BacktestingTransactionHandler.cs).

Backtests are synchronous: a submission queues its request and drains the queue at once; an
update or cancel only queues its request, processed at the next drain (the next submission of
the same step, else the next transactions pass). Each processed request is followed by a
brokerage scan; a transactions pass drains the queue, then scans once more (spec §3.7-3.8).
"""
from __future__ import annotations

from collections import deque
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable

from pylean.enums import CLOSED_STATUSES, DataNormalizationMode, OrderDirection, OrderStatus, OrderType
from pylean.orders.combo import COMBO_TYPES
from pylean.orders.combo_handling import submit_combo_leg
from pylean.orders.brokerage import BacktestingBrokerage, fill_error
from pylean.orders.buying_power import CLEARLY_SUFFICIENT, check_buying_power, insufficient_buying_power_message
from pylean.orders.creation import new_market_order, order_from_request, round_order_prices
from pylean.orders.requests import (CancelOrderRequest, OrderRequest, OrderRequestStatus, OrderResponse,
                                    OrderResponseErrorCode, SubmitOrderRequest, UpdateOrderRequest)
from pylean.models.shortable import NullShortableProvider
from pylean.orders.shortable_check import is_shortable, shortable_refusal
from pylean.orders.tickets import OrderTicket
from pylean.orders.types import ORDER_FEE_ZERO, Order, OrderEvent, stamped_event, utc_aware
from pylean.timeutil import last_new_york_times

if TYPE_CHECKING:
    from pylean.portfolio import SecurityPortfolioManager
    from pylean.securities import Security, SecurityManager

ZERO = Decimal(0)
_FILLS = (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED)
_FINAL = (OrderStatus.FILLED, OrderStatus.CANCELED)  # a late Invalid does not replace these
_SUBMISSIONS = (OrderStatus.SUBMITTED, OrderStatus.UPDATE_SUBMITTED)
_CANCELED, _INVALID = OrderStatus.CANCELED, OrderStatus.INVALID
_NEW, _SUBMITTED, _FILLED = OrderStatus.NEW, OrderStatus.SUBMITTED, OrderStatus.FILLED
_MARKET = OrderType.MARKET
_PROCESSING, _PROCESSED = OrderRequestStatus.PROCESSING, OrderRequestStatus.PROCESSED
_NO_ERROR = OrderResponseErrorCode.NONE
_new = object.__new__


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
        self._open: dict[int, Order] = {}          # orders not closed yet, in id order
        self._queue: deque[OrderRequest] = deque()
        self._last_order_id = 0
        self._cancel_fallback: dict[int, OrderStatus] = {}
        self._warned: set[str] = set()
        self._price_adjustment_modes: dict[Any, int] = {}
        self._cleared: Order | None = None  # the order whose submission the buying power check just cleared
        self.brokerage = BacktestingBrokerage(self)
        self.event_listeners: list[Callable[[OrderEvent], None]] = []   # the algorithm's on_order_event
        self.fill_listeners: list[Callable[["Security", OrderEvent], None]] = []  # results, trade builder
        self.on_error: Callable[[str], None] | None = None   # the algorithm's error(); set by its order methods
        # the runtime this handler was built by (its clock's owner): warm-up flag and log fallback
        self._runtime: Any = getattr(utc_now, "__self__", None)

    # ------------------------------------------------------------ the algorithm side
    def is_warming_up(self) -> bool:
        return bool(getattr(self._runtime, "is_warming_up", False))

    def error(self, message: str) -> None:
        if self.on_error is not None:
            self.on_error(message)
            return
        results, cursor = getattr(self._runtime, "results", None), getattr(self._runtime, "cursor", None)
        if results is not None and cursor is not None and cursor.time is not None:
            results.error(f"{cursor.time:%Y-%m-%d %H:%M:%S} {message}")

    def error_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self.error(message)

    # ------------------------------------------------------------ requests (synchronous part)
    def add_order(self, request: SubmitOrderRequest, security: "Security | None" = None) -> OrderTicket:
        """Create the order and its ticket, then drain the queue: a submission never waits.
        `security`: the request's, when the caller has it already."""
        if (security is not None and type(request) is SubmitOrderRequest and request.order_type is _MARKET
                and request.order_id < 1 and not self._queue and not self.event_listeners):
            ticket = self._add_market_order(request, security)
            if ticket is not None:
                return ticket
        if request.order_id < 1:
            self._last_order_id += 1
            request.set_order_id(self._last_order_id)
        response = OrderResponse.warming_up(request) if self.is_warming_up() else OrderResponse.success(request)
        if security is None:
            security = self.securities.find(request.symbol) or self.securities[request.symbol]
        if request._quantity < 0 and not is_shortable(self, security, request._quantity):
            response = shortable_refusal(request, security, request._quantity)
        request.set_response(response, OrderRequestStatus.PROCESSING)
        ticket = OrderTicket(self, request)
        request.symbol = security.symbol  # a ticker from Python: pythonnet converts it to the Symbol
        order = order_from_request(request, self.utc_now())
        self.orders[order.id] = order
        self.tickets[order.id] = ticket
        if response.is_error:
            order.status = OrderStatus.INVALID
            order.tag = ("Algorithm warming up." if response.error_code == OrderResponseErrorCode.ALGORITHM_WARMING_UP
                         else response.error_message)
            order.price_adjustment_mode = int(DataNormalizationMode.RAW)  # never set for a refused order
            ticket.set_order(order)
            self.handle_order_events([OrderEvent(order, self.utc_now(), ORDER_FEE_ZERO, order.tag)])
            return ticket
        self._note_submission(order, security)
        self._open[order.id] = order
        self._queue.append(request)
        self.process_pending()  # Lean ignores `asynchronous` in backtests
        return ticket

    def _add_market_order(self, request: SubmitOrderRequest, security: "Security") -> OrderTicket | None:
        """add_order, process_pending, _handle_submit and the brokerage's place_order in one frame for a new
        market order with nothing queued before it and no on_order_event to hear its events (nothing else can
        run in between), then its fill when the brokerage's one-frame fill applies. None, with nothing done,
        when a check below would refuse or change the order: add_order's general path then handles it."""
        quantity = request._quantity
        if (not quantity or getattr(self._runtime, "is_warming_up", False)
                or quantity % security.symbol_properties.lot_size
                or (quantity < 0 and type(security.shortable_provider) is not NullShortableProvider
                    and not is_shortable(self, security, quantity))):  # (no limit: is_shortable's first answer)
            return None
        order_id = self._last_order_id = self._last_order_id + 1
        request.order_id = order_id
        response = _new(OrderResponse)  # (OrderResponse.success; the one success answer both steps set)
        response.order_id, response.error_code, response.error_message = order_id, _NO_ERROR, ""
        request.status, request.response = _PROCESSING, response
        ticket = _new(OrderTicket)  # OrderTicket(self, request)'s fields
        ticket._handler, ticket._submit_request, ticket._order, ticket._status_override = self, request, None, None
        ticket._update_requests, ticket._cancel_request, ticket._order_events = [], None, []
        ticket._quantity_filled = ticket._average_fill_price = ZERO
        request.symbol = symbol = security.symbol
        now = self.utc_now()
        time = request.time
        if time is None:
            time = now
        elif time is last_new_york_times[2]:  # (utc_aware, as Order's __init__ calls it)
            time = last_new_york_times[1]
        else:
            time = utc_aware(time)
        order = new_market_order(request, time)
        self.orders[order_id] = order
        self.tickets[order_id] = ticket
        self._note_submission(order, security)
        self._open[order_id] = order
        # _handle_submit: a market order has no default tag and no prices to round; the lot was checked above
        ticket._order = order
        check = check_buying_power(self.portfolio, security, order)
        if not check.is_sufficient:
            request.set_response(self._refuse(request, order, security, check.reason), OrderRequestStatus.PROCESSED)
            self.brokerage.scan()
            return ticket
        brokerage = self.brokerage
        if order.status is not _NEW:  # (a user buying power model changed it: place_order refuses the order)
            request.status = _PROCESSED
            brokerage.scan(order if check is CLEARLY_SUFFICIENT else None)
            return ticket
        pending = brokerage._pending
        pending[order_id] = order  # place_order, its Submitted event handled as handle_order_events would
        order.broker_id = [str(order_id)]
        event = stamped_event(order, now, _SUBMITTED)
        order.status = _SUBMITTED
        order._event_count += 1
        event.id = order._event_count
        event.ticket = ticket
        ticket._order_events.append(event)
        self.order_events.append(event)
        request.status = _PROCESSED
        if check is not CLEARLY_SUFFICIENT or len(pending) != 1:
            brokerage.scan()
            return ticket
        try:
            fill = brokerage.fill_alone(order, security)
        except Exception as err:  # as the scan reports it: the order stays open
            self.error(fill_error(order, err))
            return ticket
        if fill is None:
            brokerage.scan(order)  # (the one-frame fill does not apply: the scan's loop decides)
            return ticket
        del pending[order_id]
        self._apply_fill(fill, order, ticket, security)
        return ticket

    def _note_submission(self, order: Order, security: "Security") -> None:
        """The prices at submission, and the price adjustment mode Lean takes from the symbol's subscription
        when it first handles an order for it."""
        cache = security.cache
        order._submission_last = last = cache.trade_decimal()
        order._submission_bid = cache.quote_decimal("bid_close") or last
        order._submission_ask = cache.quote_decimal("ask_close") or last
        order._submission_recorded = True
        modes = self._price_adjustment_modes
        mode = modes.get(order.symbol)
        if mode is None:
            mode = modes[order.symbol] = int(getattr(security, "data_normalization_mode",
                                                     DataNormalizationMode.ADJUSTED))
        order.price_adjustment_mode = mode

    def _apply_fill(self, event: OrderEvent, order: Order, ticket: OrderTicket, security: "Security") -> None:
        """handle_order_events([event], stamped=True, security=security) for the whole fill of a new market
        order whose only event before it was Submitted, with no event listeners."""
        del self._open[order.id]
        self._cancel_fallback.pop(order.id, None)
        order.status = _FILLED
        order._event_count += 1
        event.id = order._event_count
        event.ticket = ticket
        utc_time = order._last_fill_time = event._utc_time
        fill_quantity = event._fill_quantity
        self.portfolio.process_fill(security.holdings, utc_time, event._fill_price, fill_quantity,
                                    event.order_fee.value._amount)
        for on_fill in self.fill_listeners:
            on_fill(security, event)
        ticket._order_events.append(event)  # ticket.add_order_event for its Submitted-then-fill case
        if fill_quantity:
            filled = ticket._quantity_filled = ticket._quantity_filled + fill_quantity
            weighted = ZERO + abs(fill_quantity) * event._fill_price
            order._price = ticket._average_fill_price = weighted / abs(filled) if filled else ZERO
            order._quantity_filled = filled
        self.order_events.append(event)

    def _refuse(self, request: SubmitOrderRequest, order: Order, security: "Security", reason: str) -> OrderResponse:
        """A submission the buying power check refused: logged, the order invalid, the error response."""
        message = insufficient_buying_power_message(order, security, reason)
        self.error(message)
        self._invalidate(order, message)
        return OrderResponse.error(request, OrderResponseErrorCode.INSUFFICIENT_BUYING_POWER, message)

    def update_order(self, request: UpdateOrderRequest) -> None:
        order, ticket = self.orders.get(request.order_id), self.tickets.get(request.order_id)
        if order is None or ticket is None:
            request.set_response(OrderResponse.unable_to_find_order(request))
            return
        ticket.add_update_request(request)
        quantity = request._quantity if request._quantity is not None else ticket._quantity()
        shortable = not (order.direction == OrderDirection.SELL or quantity < 0) or is_shortable(
            self, self.securities[order.symbol], quantity, order.id)
        if order.status == OrderStatus.NEW:
            request.set_response(_invalid_new_status(request, order))
        elif order.status.is_closed and not request.is_allowed_for_closed_order():
            request.set_response(OrderResponse.invalid_status(request, order))
        elif request._quantity is not None and request._quantity == 0:
            request.set_response(OrderResponse.zero_quantity(request))
        elif self.is_warming_up():
            request.set_response(OrderResponse.warming_up(request))
        elif not shortable:
            request.set_response(shortable_refusal(request, self.securities[order.symbol], ticket._quantity()))
        else:
            request.set_response(OrderResponse.success(request), OrderRequestStatus.PROCESSING)
            self._queue.append(request)

    def cancel_order(self, request: CancelOrderRequest) -> None:
        order, ticket = self.orders.get(request.order_id), self.tickets.get(request.order_id)
        if order is None or ticket is None:
            request.set_response(OrderResponse.unable_to_find_order(request))
            return
        if not ticket.try_set_cancel_request(request):
            request.set_response(OrderResponse.error(request, OrderResponseErrorCode.INVALID_REQUEST,
                                                     "Cancellation is already in progress."))
            return
        if request.tag is not None:
            order.tag = request.tag
        if order.status == OrderStatus.NEW:
            request.set_response(_invalid_new_status(request, order))
        elif order.status.is_closed:
            request.set_response(OrderResponse.invalid_status(request, order))
        elif self.is_warming_up():
            request.set_response(OrderResponse.warming_up(request))
        else:
            self._cancel_fallback[order.id] = order.status
            order.status = OrderStatus.CANCEL_PENDING
            self.handle_order_events([OrderEvent(order, self.utc_now(), ORDER_FEE_ZERO)], stamped=True)
            request.set_response(OrderResponse.success(request), OrderRequestStatus.PROCESSING)
            self._queue.append(request)

    # ------------------------------------------------------------ queue processing
    def drain(self) -> None:
        """A transactions pass (ProcessSynchronousEvents): queued requests, then a brokerage scan."""
        self.process_pending()
        self.brokerage.scan()

    def process_pending(self) -> None:
        """Handle queued requests in arrival order, each followed by a scan (re-entrant from event handlers)."""
        while self._queue:
            request = self._queue.popleft()
            self._cleared = None  # (set by this request's submission only)
            if isinstance(request, SubmitOrderRequest):
                response = self._handle_submit(request)
            elif isinstance(request, UpdateOrderRequest):
                response = self._handle_update(request)
            else:
                response = self._handle_cancel(request)  # type: ignore[arg-type]
            request.set_response(response, OrderRequestStatus.PROCESSED)
            # with no on_order_event between the submission's check and this scan, nothing could move the
            # books the check read: the scan need not ask again for that order if it comes first
            cleared, self._cleared = self._cleared, None
            self.brokerage.scan(cleared if not self.event_listeners else None)

    def _handle_submit(self, request: SubmitOrderRequest) -> OrderResponse:
        order, ticket = self.orders[request.order_id], self.tickets[request.order_id]
        security = self.securities.find(order.symbol) or self.securities[order.symbol]
        if not order.tag:
            order.tag = order.default_tag()
        lot = security.symbol_properties.lot_size
        remainder = order._quantity % lot
        if remainder:  # rounded toward zero to the lot size
            order._quantity -= remainder
            self.error_once("lot", "Warning: Due to brokerage limitations, orders will be rounded to the nearest "
                                   f"lot size of {lot}")
        round_order_prices(order, security, self)
        ticket.set_order(order)
        if order.type in COMBO_TYPES:
            return submit_combo_leg(self, request, order)  # placed with the group's last leg
        if order._quantity == 0:
            response = OrderResponse.zero_quantity(request)
            self.error(response.error_message)
            self._invalidate(order, response.error_message)
            return response
        check = check_buying_power(self.portfolio, security, order)
        if not check.is_sufficient:
            return self._refuse(request, order, security, check.reason)
        if check is CLEARLY_SUFFICIENT:  # (pylean's own models: an answer of the books and the step's prices)
            self._cleared = order
        self.brokerage.place_order(order)
        return OrderResponse.success(request)

    def _handle_update(self, request: UpdateOrderRequest) -> OrderResponse:
        order, ticket = self.orders[request.order_id], self.tickets[request.order_id]
        if order.status == OrderStatus.NEW:
            return _invalid_new_status(request, order)
        closed = order.status.is_closed
        if closed and not request.is_allowed_for_closed_order():
            return OrderResponse.invalid_status(request, order)
        security = self.securities[order.symbol]
        updated = order.clone()
        updated.apply_update(request)
        check = check_buying_power(self.portfolio, security, updated)
        if not check.is_sufficient:
            message = (f"Brokerage failed to update order with id: {order.id}, Symbol: {order.symbol.value}, "
                       f"Insufficient buying power to complete order, Reason: {check.reason}.")
            self.error(message)
            self.handle_order_events([OrderEvent(order, self.utc_now(), ORDER_FEE_ZERO, message)])
            return OrderResponse.error(request, OrderResponseErrorCode.BROKERAGE_FAILED_TO_UPDATE_ORDER, message)
        order.apply_update(request)
        round_order_prices(order, security, self)
        ticket.set_order(order)
        if not closed and not self.brokerage.update_order(order):
            message = f"Brokerage failed to update order with id {request.order_id}"
            self.error(message)
            self.handle_order_events([OrderEvent(order, self.utc_now(), ORDER_FEE_ZERO,
                                                 "Brokerage failed to update order")])
            return OrderResponse.error(request, OrderResponseErrorCode.BROKERAGE_FAILED_TO_UPDATE_ORDER, message)
        return OrderResponse.success(request)

    def _handle_cancel(self, request: CancelOrderRequest) -> OrderResponse:
        order = self.orders[request.order_id]
        if order.status == OrderStatus.NEW or order.status.is_closed:
            self._fall_back(order)
            return (_invalid_new_status(request, order) if order.status == OrderStatus.NEW
                    else OrderResponse.invalid_status(request, order))
        if not self.brokerage.cancel_order(order):
            message = f"Brokerage failed to cancel order with id {order.id}"
            self.error(message)
            self._fall_back(order)
            return OrderResponse.error(request, OrderResponseErrorCode.BROKERAGE_FAILED_TO_CANCEL_ORDER, message)
        if request.tag is not None:
            order.tag = request.tag
        return OrderResponse.success(request)

    def _fall_back(self, order: Order) -> None:
        """A cancel that could not happen gives the order back the status it had before CancelPending."""
        previous = self._cancel_fallback.pop(order.id, None)
        if previous is not None and order.status == OrderStatus.CANCEL_PENDING:
            order.status = previous

    def _invalidate(self, order: Order, message: str) -> None:
        if not order.status.is_closed:
            order.status = OrderStatus.INVALID
        self.handle_order_events([OrderEvent(order, self.utc_now(), ORDER_FEE_ZERO, message)])

    # ------------------------------------------------------------ events
    def handle_order_events(self, events: list[OrderEvent], stamped: bool = False,
                            security: "Security | None" = None) -> None:
        """Apply events to their orders, fills to the portfolio, then tell the algorithm (HandleOrderEvents).
        `stamped`: the events were just made from their orders, whose prices have not moved since.
        `security`: the events' security, when the caller has it (one symbol)."""
        orders, tickets, fill_listeners = self.orders, self.tickets, self.fill_listeners
        for event in events:
            order, ticket = orders[event.order_id], tickets[event.order_id]
            status = event.status
            if status in CLOSED_STATUSES:
                self._open.pop(order.id, None)
                self._cancel_fallback.pop(order.id, None)
            # a late Invalid never overrides a filled or canceled order
            if status != _INVALID or order.status not in _FINAL:
                order.status = status
            event.id = order.next_event_id()
            event.ticket = ticket
            fill = status in _FILLS
            if status == _CANCELED:
                order._canceled_time = event._utc_time
            elif fill:
                order._last_fill_time = event._utc_time
            elif status in _SUBMISSIONS and ticket._update_requests:
                order._last_update_time = event._utc_time
            if not stamped:
                event.copy_prices(order)
            if fill:
                filled = (security if security is not None
                          else self.securities.find(order.symbol) or self.securities[order.symbol])
                self.portfolio.process_fill(filled.holdings, event._utc_time, event._fill_price,
                                            event._fill_quantity, event.order_fee.value._amount)
                for on_fill in fill_listeners:
                    on_fill(filled, event)
            ticket.add_order_event(event)
            self.order_events.append(event)
        listeners = self.event_listeners
        if listeners:
            for event in events:
                for listener in listeners:
                    listener(event)

    # ------------------------------------------------------------ queries
    def open_orders(self, symbol: Any = None) -> list[Order]:
        orders = list(self._open.values())
        if symbol is not None:
            orders = [o for o in orders if o.symbol == symbol]
        return orders

    def open_tickets(self) -> list[OrderTicket]:
        return [self.tickets[i] for i in self._open]

    def open_market_quantity(self, symbol: Any) -> Decimal:
        """Unfilled quantity of open market and market-on-open orders (SetHoldings subtracts it)."""
        if not self._open:
            return ZERO  # (what the sum below starts from)
        return sum((o._quantity - o._quantity_filled for o in self._open.values()
                    if o.symbol == symbol and o.type in (OrderType.MARKET, OrderType.MARKET_ON_OPEN)), ZERO)


def _invalid_new_status(request: OrderRequest, order: Order) -> OrderResponse:
    return OrderResponse.error(request, OrderResponseErrorCode.INVALID_NEW_ORDER_STATUS,
                               f"Unable to update or cancel order with id {request.order_id} and status "
                               f"{order.status!s} because the submit confirmation has not been received yet.")

