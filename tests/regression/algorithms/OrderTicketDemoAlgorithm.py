"""Oracle algorithm: every equity order type driven through its OrderTicket.

SPY minute data, 2013-10-07 .. 2013-10-11, $100,000. Schedule (algorithm time, checked in
`on_data`; the day is the day of the month):

* 7th 09:31  market buy 10 (synchronous, must be Filled on return; otherwise quit), then a
             market buy 10 with asynchronous=True and an immediate cancel, which fails in a
             backtest because the order has already filled.
* 7th 12:00  limit pair: buy 10 at close*0.999, sell 10 at close*1.001; every following
             minute both limits move one cent toward the market until one side fills, then
             the other side is cancelled.
* 7th 12:00  trailing-stop pair (0.25 % trailing, as a percentage): buy 10 with stop
             close*1.0025, sell 10 with stop close*0.9975; every 5 minutes after submission
             the trailing percentage shrinks by 0.0001 (floor 0.0001) until one side fills.
* 7th 16:00  stop-market pair: buy 10 at close*1.0025, sell 10 at close*0.9975; stops move
             one cent toward the market each minute until one side fills.
* 8th 12:01  stop-limit pair: buy 10 (stop close*1.001, limit close-0.03), sell 10 (stop
             close*0.999, limit close+0.03); stops and limits move one cent each minute.
* 8th 16:00  market-on-open buy 50; at any later minute :59 while it is open its quantity
             grows by one.
* 9th 12:00  market-on-close for 100 shares (or twice the holdings); at minute :59 while it
             is open its quantity grows by one.
* end date 15:45  market-on-close selling the whole position.

Every order event is checked (quantity, limit/stop prices, ticket link) and the end of the
run checks the order/ticket counts and that nothing is left open.
Written for pylean from the behaviour Lean's regression suite expects; not Lean's source.
"""
from AlgorithmImports import *
from collections.abc import Callable


class OrderTicketDemoAlgorithm(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self._spy = self.add_equity("SPY").symbol  # default resolution: minute

        # open brackets: [buy ticket, sell ticket] while live, [] once settled
        self._limit_pair: list[OrderTicket] = []
        self._stop_market_pair: list[OrderTicket] = []
        self._stop_limit_pair: list[OrderTicket] = []
        self._trailing_pair: list[OrderTicket] = []
        # single open MOO / MOC tickets whose quantity is bumped at :59
        self._moo_tickets: list[OrderTicket] = []
        self._moc_tickets: list[OrderTicket] = []

    # ------------------------------------------------------------------ helpers

    def _at(self, day: int, hour: int, minute: int) -> bool:
        now = self.time
        return now.day == day and now.hour == hour and now.minute == minute

    def _last_close(self) -> float:
        return self.securities[self._spy].close

    def _amend(self, ticket: OrderTicket, fill: Callable[[UpdateOrderFields], None]) -> None:
        """Send one update request; its tag counts the ticket's update requests."""
        fields = UpdateOrderFields()
        fill(fields)
        fields.tag = f"Update #{len(ticket.update_requests) + 1}"
        ticket.update(fields)

    def _settle(self, pair: list[OrderTicket]) -> bool:
        """If one side of a bracket has filled, cancel the other side and report True."""
        buy, sell = pair
        if buy.status == OrderStatus.FILLED:
            self.log(f"{sell.order_type}: buy side filled, cancelling the sell side")
            sell.cancel("Long filled.")
            return True
        if sell.status == OrderStatus.FILLED:
            self.log(f"{buy.order_type}: sell side filled, cancelling the buy side")
            buy.cancel("Short filled")
            return True
        return False

    def _bump_quantity(self, pending: list[OrderTicket]) -> bool:
        """At minute :59, grow the single pending ticket by one share.

        Returns False when the ticket turned out to be filled (the caller forgets it)."""
        if len(pending) != 1 or self.time.minute != 59:
            return True
        ticket = pending[0]
        if ticket.status == OrderStatus.FILLED:
            return False
        new_quantity = ticket.quantity + 1
        self.log(f"raising quantity of order {ticket.order_id} to {new_quantity}")

        def set_quantity(fields: UpdateOrderFields) -> None:
            fields.quantity = new_quantity

        self._amend(ticket, set_quantity)
        return True

    # ------------------------------------------------------------------ events

    def on_data(self, data: Slice) -> None:
        # the order of these calls matters: submissions drain the queued updates
        self._market_orders()
        self._limit_orders()
        self._stop_market_orders()
        self._stop_limit_orders()
        self._trailing_stop_orders()
        self._market_on_open_orders()
        self._market_on_close_orders()

    def _market_orders(self) -> None:
        if not self._at(7, 9, 31):
            return
        self.log("market orders: synchronous buy, then asynchronous buy + cancel")
        ticket = self.market_order(self._spy, 10, asynchronous=False)
        if ticket.status != OrderStatus.FILLED:
            self.log("the synchronous market order came back unfilled")
            self.quit()

        ticket = self.market_order(self._spy, 10, asynchronous=True)
        response = ticket.cancel("Attempt to cancel async order")
        if response.is_success:
            self.log(f"cancelled asynchronous market order {ticket.order_id}")
        else:
            self.log(f"asynchronous market order not cancelled: {response.error_code}")

    def _limit_orders(self) -> None:
        if self._at(7, 12, 0):
            close = self._last_close()
            self._limit_pair = [
                self.limit_order(self._spy, 10, close * 0.999),
                self.limit_order(self._spy, -10, close * 1.001),
            ]
        if len(self._limit_pair) != 2:
            return
        if self._settle(self._limit_pair):
            self._limit_pair = []
            return
        buy, sell = self._limit_pair
        buy_limit = buy.get(OrderField.LIMIT_PRICE) + 0.01
        sell_limit = sell.get(OrderField.LIMIT_PRICE) - 0.01
        self.log(f"limits -> buy {buy_limit:.2f} sell {sell_limit:.2f}")

        def set_buy(fields: UpdateOrderFields) -> None:
            fields.limit_price = buy_limit

        def set_sell(fields: UpdateOrderFields) -> None:
            fields.limit_price = sell_limit

        self._amend(buy, set_buy)
        self._amend(sell, set_sell)

    def _stop_market_orders(self) -> None:
        if self._at(7, 16, 0):
            close = self._last_close()
            self._stop_market_pair = [
                self.stop_market_order(self._spy, 10, close * 1.0025),
                self.stop_market_order(self._spy, -10, close * 0.9975),
            ]
        if len(self._stop_market_pair) != 2:
            return
        if self._settle(self._stop_market_pair):
            self._stop_market_pair = []
            return
        buy, sell = self._stop_market_pair
        buy_stop = buy.get(OrderField.STOP_PRICE) - 0.01
        sell_stop = sell.get(OrderField.STOP_PRICE) + 0.01
        self.log(f"stops -> buy {buy_stop:.2f} sell {sell_stop:.2f}")

        def set_buy(fields: UpdateOrderFields) -> None:
            fields.stop_price = buy_stop

        def set_sell(fields: UpdateOrderFields) -> None:
            fields.stop_price = sell_stop

        self._amend(buy, set_buy)
        self._amend(sell, set_sell)

    def _stop_limit_orders(self) -> None:
        if self._at(8, 12, 1):
            close = self._last_close()
            self._stop_limit_pair = [
                self.stop_limit_order(self._spy, 10, close * 1.001, close - 0.03),
                self.stop_limit_order(self._spy, -10, close * 0.999, close + 0.03),
            ]
        if len(self._stop_limit_pair) != 2:
            return
        if self._settle(self._stop_limit_pair):
            self._stop_limit_pair = []
            return
        buy, sell = self._stop_limit_pair
        buy_stop = buy.get(OrderField.STOP_PRICE) - 0.01
        buy_limit = buy.get(OrderField.LIMIT_PRICE) + 0.01
        sell_stop = sell.get(OrderField.STOP_PRICE) + 0.01
        sell_limit = sell.get(OrderField.LIMIT_PRICE) - 0.01
        self.log(
            f"stop-limits -> buy {buy_stop:.2f}/{buy_limit:.2f} sell {sell_stop:.2f}/{sell_limit:.2f}"
        )

        def set_buy(fields: UpdateOrderFields) -> None:
            fields.stop_price = buy_stop
            fields.limit_price = buy_limit

        def set_sell(fields: UpdateOrderFields) -> None:
            fields.stop_price = sell_stop
            fields.limit_price = sell_limit

        self._amend(buy, set_buy)
        self._amend(sell, set_sell)

    def _trailing_stop_orders(self) -> None:
        if self._at(7, 12, 0):
            close = self._last_close()
            self._trailing_pair = [
                self.trailing_stop_order(
                    self._spy, 10, close * 1.0025, trailing_amount=0.0025, trailing_as_percentage=True
                ),
                self.trailing_stop_order(
                    self._spy, -10, close * 0.9975, trailing_amount=0.0025, trailing_as_percentage=True
                ),
            ]
            return  # no adjustment in the submission step
        if len(self._trailing_pair) != 2:
            return
        if self._settle(self._trailing_pair):
            self._trailing_pair = []
            return
        buy, sell = self._trailing_pair
        minutes_live = (self.utc_time - buy.time).total_seconds() / 60
        if minutes_live % 5 != 0:
            return
        buy_pct = max(buy.get(OrderField.TRAILING_AMOUNT) - 0.0001, 0.0001)
        sell_pct = max(sell.get(OrderField.TRAILING_AMOUNT) - 0.0001, 0.0001)
        self.log(f"trailing % -> buy {buy_pct:.3f} sell {sell_pct:.3f}")

        def set_buy(fields: UpdateOrderFields) -> None:
            fields.trailing_amount = buy_pct

        def set_sell(fields: UpdateOrderFields) -> None:
            fields.trailing_amount = sell_pct

        self._amend(buy, set_buy)
        self._amend(sell, set_sell)

    def _market_on_open_orders(self) -> None:
        if self._at(8, 16, 0):
            self.log("market-on-open buy 50")
            self._moo_tickets.append(self.market_on_open_order(self._spy, 50))
        if not self._bump_quantity(self._moo_tickets):
            self._moo_tickets = []

    def _market_on_close_orders(self) -> None:
        if self._at(9, 12, 0):
            held = self.portfolio[self._spy].quantity
            quantity = 100 if held == 0 else 2 * held
            self.log(f"market-on-close for {quantity}")
            self._moc_tickets.append(self.market_on_close_order(self._spy, quantity))
        if not self._bump_quantity(self._moc_tickets):
            self._moc_tickets = []
            return
        if self._at(self.end_date.day, 15, 45):
            self.log("market-on-close to flatten the position before the end")
            self.market_on_close_order(
                self._spy, -self.portfolio[self._spy].quantity, tag="Liquidate end of algorithm"
            )

    def on_order_event(self, order_event: OrderEvent) -> None:
        order = self.transactions.get_order_by_id(order_event.order_id)
        self.log(f"{self.time}: {order.type}: {order_event}")

        if order_event.quantity == 0:
            raise AssertionError("an order event must carry the order's quantity, got 0")
        if order_event.quantity != order.quantity:
            raise AssertionError(
                f"order event quantity {order_event.quantity} != order quantity {order.quantity}"
            )
        if isinstance(order, (LimitOrder, StopLimitOrder)) and order_event.limit_price == 0:
            raise AssertionError(f"{order.type} order event without a limit price")
        if isinstance(order, StopMarketOrder) and order_event.stop_price == 0:
            raise AssertionError("stop-market order event without a stop price")

        ticket: OrderTicket | None = order_event.ticket
        if ticket is None:
            raise AssertionError("order event has no ticket")
        if ticket.order_id != order_event.order_id:
            raise AssertionError(
                f"order event for order {order_event.order_id} links ticket {ticket.order_id}"
            )

    def on_end_of_algorithm(self) -> None:
        def is_spy(ticket: OrderTicket) -> bool:
            return ticket.symbol == self._spy

        def check(ok: bool, message: str) -> None:
            if not ok:
                raise AssertionError(message)

        tx = self.transactions

        # filtered queries
        filled = tx.get_orders(lambda order: order.status == OrderStatus.FILLED)
        spy_tickets = tx.get_order_tickets(is_spy)
        check(
            sum(1 for _ in filled) == 9 and sum(1 for _ in spy_tickets) == 12,
            "expected 9 filled orders and 12 SPY order tickets",
        )
        open_spy_orders = tx.get_open_orders(lambda order: order.symbol == self._spy)
        open_spy_tickets = tx.get_open_order_tickets(is_spy)
        check(
            len(open_spy_orders) == 0 and sum(1 for _ in open_spy_tickets) == 0,
            "expected no open SPY orders or tickets (filter)",
        )
        check(
            tx.get_open_orders_remaining_quantity(is_spy) == 0,
            "expected no remaining open quantity (filter)",
        )

        # by-symbol queries
        check(
            len(tx.get_open_orders(self._spy)) == 0
            and sum(1 for _ in tx.get_open_order_tickets(self._spy)) == 0,
            "expected no open SPY orders or tickets (symbol)",
        )
        check(
            tx.get_open_orders_remaining_quantity(self._spy) == 0,
            "expected no remaining open quantity (symbol)",
        )

        # unfiltered queries
        check(
            sum(1 for _ in tx.get_orders()) == 12 and sum(1 for _ in tx.get_order_tickets()) == 12,
            "expected 12 orders and 12 order tickets in total",
        )
        check(
            len(tx.get_open_orders()) == 0 and sum(1 for _ in tx.get_open_order_tickets()) == 0,
            "expected no open orders or tickets at all",
        )
        check(
            tx.get_open_orders_remaining_quantity() == 0,
            "expected no remaining open quantity at all",
        )
