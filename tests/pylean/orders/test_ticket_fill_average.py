"""OrderTicket.add_order_event's average fill price: the one-fill shortcut (Submitted, then a single fill)
gives the weighted sum over every fill event digit for digit, exponents included; other histories take
the sum itself. Randomized quantities and prices of any scale."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from hypothesis import example, given, settings, strategies as st

from pylean.enums import OrderStatus, OrderType, SecurityType
from pylean.orders.requests import SubmitOrderRequest
from pylean.orders.tickets import OrderTicket
from pylean.orders.types import MarketOrder, OrderEvent
from pylean.symbols import Symbol

NOW = datetime(2013, 10, 7, 13, 31, tzinfo=timezone.utc)
_FILLS = (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED)

_amounts = st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-1e6"),
                       max_value=Decimal("1e6")).filter(bool)
_prices = st.one_of(st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("5000"), places=4),
                    st.sampled_from([Decimal("1E+2"), Decimal("250.000000"), Decimal("0.1234567890123456789")]))
_statuses = st.sampled_from([OrderStatus.SUBMITTED, OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED,
                             OrderStatus.UPDATE_SUBMITTED])


def _event(order: MarketOrder, status: OrderStatus, quantity: Decimal, price: Decimal) -> OrderEvent:
    event = OrderEvent(order, NOW)
    event.status, event._fill_quantity, event._fill_price = status, quantity, price
    return event


@settings(max_examples=500, deadline=None)
@example(history=[(OrderStatus.SUBMITTED, Decimal(0), Decimal(0)), (OrderStatus.FILLED, Decimal(5), Decimal("1E+2"))])
@given(history=st.lists(st.tuples(_statuses, _amounts | st.just(Decimal(0)), _prices), min_size=1, max_size=4))
def test_the_average_fill_price_is_the_weighted_sum_of_the_fills(history) -> None:
    symbol = Symbol.create("TEST")
    order = MarketOrder(symbol, Decimal(100), NOW)
    request = SubmitOrderRequest.of(OrderType.MARKET, SecurityType.EQUITY, symbol, Decimal(100), 0, 0, 0, 0,
                                    False, NOW, "", None, False)
    ticket = OrderTicket(None, request)
    ticket.set_order(order)
    events = []
    expected = Decimal(0)
    for status, quantity, price in history:
        event = _event(order, status, quantity, price)
        events.append(event)
        ticket.add_order_event(event)
        if quantity:  # (an event without a fill quantity leaves the totals as they were)
            filled = sum((e._fill_quantity for e in events), Decimal(0))
            weighted = sum((abs(e._fill_quantity) * e._fill_price for e in events if e.status in _FILLS), Decimal(0))
            expected = weighted / abs(filled) if filled else Decimal(0)
            assert str(order._price) == str(expected)
        assert str(ticket._average_fill_price) == str(expected)
