"""Oracle algorithm: submit, update and cancel every order type through raw order requests.

SPY daily data, 2013-01-01 .. 2015-01-01, $100,000. On the first SPY bar of each month the next
order type of the cycle Market, Limit, StopMarket, StopLimit, MarketOnOpen, MarketOnClose,
TrailingStop is submitted as a `SubmitOrderRequest` through `transactions.add_order` (so none
of QCAlgorithm's conversions or pre-checks apply). The signed quantity (start 100) flips sign
each time the cycle passes its first type, including the very first month, so the first cycle
is short. Prices from that bar: stop = high * 1.025 (long) / low * 0.975 (short); limit =
stop * 0.975 (long) / stop * 1.025 (short), except Limit orders: low * 0.975 (long) /
high * 1.025 (short). Trailing amount 0.01 as a percentage; trigger price 0; tag = the order
type's integer value.

Later bars of the month, while that month's order is not filled:
* day 9..13: one update of the quantity by 10 shares away from zero;
* day 14..19: one update of the prices around the security price (limit * (1 -/+ 0.005),
  stop * (1 +/- 0.005) by the sign of the ticket quantity; no stop for trailing stops);
* day 20 and later: cancel.

Each order event checks that the order's CanceledTime / LastFillTime equal the event time and
that an order with a successful update has a LastUpdateTime.
Written for pylean from the behaviour Lean's regression suite expects; not Lean's source.
"""
from AlgorithmImports import *
from math import copysign

# the monthly cycle; passing its first entry flips the trade direction
ORDER_TYPE_CYCLE = (
    OrderType.MARKET,
    OrderType.LIMIT,
    OrderType.STOP_MARKET,
    OrderType.STOP_LIMIT,
    OrderType.MARKET_ON_OPEN,
    OrderType.MARKET_ON_CLOSE,
    OrderType.TRAILING_STOP,
)


class UpdateOrderRegressionAlgorithm(QCAlgorithm):
    DELTA_QUANTITY = 10
    STOP_PCT = 0.025
    STOP_PCT_DELTA = 0.005
    LIMIT_PCT = 0.025
    LIMIT_PCT_DELTA = 0.005

    def initialize(self) -> None:
        self.set_start_date(2013, 1, 1)
        self.set_end_date(2015, 1, 1)
        self.set_cash(100000)
        self._security = self.add_equity("SPY", Resolution.DAILY)
        self._spy = self._security.symbol
        self._quantity = 100
        self._month = -1
        self._cycle_position = 0
        self._tickets: list[OrderTicket] = []

    def _next_order_type(self) -> OrderType:
        order_type = ORDER_TYPE_CYCLE[self._cycle_position]
        if self._cycle_position == 0:
            self._quantity = -self._quantity
        self._cycle_position = (self._cycle_position + 1) % len(ORDER_TYPE_CYCLE)
        return order_type

    def on_data(self, data: Slice) -> None:
        if not data.bars.contains_key(self._spy):
            return
        if self.time.month != self._month:
            self._month = self.time.month
            self._submit_monthly_order(data.bars[self._spy])
        elif self._tickets:
            self._manage(self._tickets[-1])

    def _submit_monthly_order(self, bar: TradeBar) -> None:
        order_type = self._next_order_type()
        long = self._quantity > 0
        self.log(f"{self.time:%B}: submitting {order_type} for {self._quantity}")
        if long:
            stop_price = bar.high * (1 + self.STOP_PCT)
            limit_price = stop_price * (1 - self.LIMIT_PCT)
        else:
            stop_price = bar.low * (1 - self.STOP_PCT)
            limit_price = stop_price * (1 + self.LIMIT_PCT)
        if order_type == OrderType.LIMIT:
            limit_price = bar.low * (1 - self.LIMIT_PCT) if long else bar.high * (1 + self.LIMIT_PCT)

        request = SubmitOrderRequest(
            order_type,
            self._spy.security_type,
            self._spy,
            self._quantity,
            stop_price,
            limit_price,
            0,  # trigger price
            0.01,  # trailing amount
            True,  # trailing amount is a percentage
            self.utc_time,
            str(int(order_type)),
        )
        self._tickets.append(self.transactions.add_order(request))

    def _manage(self, ticket: OrderTicket) -> None:
        if ticket.status == OrderStatus.FILLED:
            return
        day = self.time.day
        updates_sent = len(ticket.update_requests)
        if 8 < day < 14:
            if updates_sent == 0:
                fields = UpdateOrderFields()
                fields.quantity = ticket.quantity + copysign(self.DELTA_QUANTITY, self._quantity)
                fields.tag = f"Change quantity: {day}"
                ticket.update(fields)
        elif 13 < day < 20:
            if updates_sent == 1:
                price = self._security.price
                fields = UpdateOrderFields()
                fields.limit_price = price * (1 - copysign(self.LIMIT_PCT_DELTA, ticket.quantity))
                if ticket.order_type != OrderType.TRAILING_STOP:
                    fields.stop_price = price * (1 + copysign(self.STOP_PCT_DELTA, ticket.quantity))
                fields.tag = f"Change prices: {day}"
                ticket.update(fields)
        elif updates_sent == 2:
            ticket.cancel(f"{day} and is still open!")

    def on_order_event(self, order_event: OrderEvent) -> None:
        order = self.transactions.get_order_by_id(order_event.order_id)
        ticket = self.transactions.get_order_ticket(order_event.order_id)

        if order.status == OrderStatus.CANCELED and order.canceled_time != order_event.utc_time:
            raise ValueError(
                f"order {order.id}: CanceledTime {order.canceled_time} != event time {order_event.utc_time}"
            )
        if (
            order.status in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED)
            and order.last_fill_time != order_event.utc_time
        ):
            raise ValueError(
                f"order {order.id}: LastFillTime {order.last_fill_time} != event time {order_event.utc_time}"
            )
        updated = any(
            request.response is not None and request.response.is_success
            for request in ticket.update_requests
        )
        if updated and order.created_time != self.utc_time and order.last_update_time is None:
            raise ValueError(f"order {order.id} was updated but has no LastUpdateTime")

        if order_event.status == OrderStatus.FILLED:
            self.log(f"filled: {order} at {order_event.fill_price}")
        else:
            self.log(f"{order_event} | ticket: {ticket}")
