"""The trade builder's shortcuts (plain-decimal marks, exact arithmetic for plain quantities, cached plainness)
against a straightforward FillToFill/FIFO builder written from Lean's TradeBuilder with the .NET decimal
helpers only: random fill and mark sequences give the same closed trades, decimals digit for digit."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import example, given, settings, strategies as st

from pylean.statistics.dotnet import ZERO, net_add, net_mul, net_sub
from pylean.statistics.trades import LONG, SHORT, TradeBuilder, _made_trade


@dataclass
class _Open:
    time: datetime
    price: Decimal
    direction: int
    quantity: Decimal
    fees: Decimal
    order_ids: list[int]
    max_profit: Decimal = ZERO
    max_drawdown: Decimal = ZERO


@dataclass
class _Reference:
    """Lean's TradeBuilder (FillToFill, FIFO) as written, every step with net_* and every mark applied."""
    positions: dict[str, list[Any]] = field(default_factory=dict)  # symbol -> [pending, min, max]
    closed: list[tuple[Any, ...]] = field(default_factory=list)
    drawdowns: list[Decimal] = field(default_factory=list)  # each closed trade's max drawdown, before rounding
    fee_orders: set[int] = field(default_factory=set)  # (runs here stay under Lean's 1000 remembered ids)

    def mark(self, symbol: str, price: Decimal) -> None:
        position = self.positions.get(symbol)
        if position is None:
            return
        if price > position[2]:
            position[2] = price
        elif price < position[1]:
            position[1] = price
        for trade in position[0]:
            profit = net_sub(price, trade.price) if trade.direction == LONG else net_sub(trade.price, price)
            if profit < trade.max_profit:
                trade.max_drawdown = max(trade.max_drawdown, net_sub(trade.max_profit, profit))
            else:
                trade.max_profit = profit

    def fill(self, symbol: str, time: datetime, order_id: int, price: Decimal, quantity: Decimal,
             fee: Decimal) -> None:
        if order_id in self.fee_orders:  # an order's fee goes with its first fill
            fee = ZERO
        self.fee_orders.add(order_id)
        position = self.positions.get(symbol)
        if position is None or not position[0]:
            self.positions[symbol] = [[_Open(time, price, LONG if quantity > 0 else SHORT, abs(quantity), fee,
                                             [order_id])], price, price]
            return
        self.mark(symbol, price)
        pending = position[0]
        if (quantity > 0) == (pending[0].direction == LONG):
            pending.append(_Open(time, price, pending[0].direction, abs(quantity), fee, [order_id]))
            return
        executed, fee_assigned = ZERO, False
        while pending and abs(executed) < abs(quantity):
            trade = pending[0]
            unexecuted = net_sub(abs(quantity), abs(executed))
            sign = Decimal(1 if trade.direction == LONG else -1)
            fees = net_add(trade.fees, ZERO if fee_assigned else fee)
            ids = trade.order_ids + ([order_id] if order_id not in trade.order_ids else [])
            if unexecuted >= trade.quantity:
                executed = net_sub(executed, net_mul(trade.quantity, sign))
                pending.pop(0)
                self._close(symbol, trade, trade.quantity, ids, fees, position, time, price)
            else:
                executed = net_add(executed, net_mul(unexecuted, -sign))
                trade.quantity = net_sub(trade.quantity, unexecuted)
                self._close(symbol, trade, unexecuted, ids, fees, position, time, price)
                trade.fees = ZERO
            fee_assigned = True
        if abs(executed) == abs(quantity) and not pending:
            del self.positions[symbol]
        elif abs(executed) < abs(quantity):
            remaining = net_sub(quantity, executed)
            self.positions[symbol] = [[_Open(time, price, LONG if remaining > 0 else SHORT, abs(remaining), ZERO,
                                             [order_id])], price, price]

    def _close(self, symbol: str, trade: _Open, quantity: Decimal, ids: list[int], fees: Decimal,
               position: list[Any], time: datetime, price: Decimal) -> None:
        self.drawdowns.append(trade.max_drawdown)
        self.closed.append(_made_trade(symbol, trade.time, trade.price, trade.direction, quantity, list(ids), fees,
                                       position[1], position[2], trade.max_drawdown, time, price, Decimal(1),
                                       str(len(self.closed))))


# the same few values written with other exponents, a few with many decimals or digits (not "plain")
_PRICES = st.one_of(
    st.builds(lambda cents, places: Decimal(cents).scaleb(-2).quantize(Decimal(1).scaleb(-places)),
              st.integers(9_995, 10_005), st.sampled_from((2, 3, 4))),  # few values: equal ones meet
    st.sampled_from([Decimal("100.0000000000001"), Decimal("99.99999999999999"), Decimal("1E+2"),
                     Decimal("100"), Decimal("123456789012.5"),
                     Decimal("1234567890123456789012345678")]))  # whole, but its differences round
_QUANTITIES = st.one_of(
    st.integers(-300, 300).filter(bool).map(Decimal),
    st.builds(lambda n, places: Decimal(n).scaleb(-places), st.integers(-3000, 3000).filter(bool),
              st.integers(1, 3)),
    st.sampled_from([Decimal("1E+2"), Decimal("-1E+1"), Decimal("0.0000000000001"), Decimal("-7.50"),
                     Decimal("-9999999999999999999999999999")]))  # whole, but its sums round
_STEPS = st.lists(st.one_of(
    st.tuples(st.just("fill"), st.sampled_from("AB"), _PRICES, _QUANTITIES, st.integers(0, 3),
              st.sampled_from([Decimal(1), Decimal("0.35"), ZERO])),
    st.tuples(st.just("mark"), st.sampled_from("AB"), _PRICES)), max_size=80)


def _text(trade: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in (trade.symbol, trade.entry_time, trade.entry_price, trade.direction, trade.quantity,
                                  trade.exit_time, trade.exit_price, trade.profit_loss, trade.total_fees, trade.mae,
                                  trade.mfe, trade.end_trade_drawdown, trade.is_win, trade.order_ids))


@settings(max_examples=400, deadline=None)
@given(_STEPS)
@example([("fill", "A", Decimal("100.00"), Decimal(10), 0, Decimal(1)), ("mark", "A", Decimal("100.500")),
          ("mark", "A", Decimal("100.50")), ("mark", "A", Decimal("100.25")),  # the best again, other exponent
          ("fill", "A", Decimal("100.25"), Decimal(-10), 1, Decimal(1))])
def test_random_fills_and_marks_close_the_trades_of_the_reference(steps: list[tuple[Any, ...]]) -> None:
    reference, builder = _Reference(), TradeBuilder(id_factory=lambda: "id")
    order_id, time = 0, datetime(2013, 10, 7, 13, 31)
    for step in steps:
        time += timedelta(minutes=1)
        if step[0] == "mark":
            reference.mark(step[1], step[2])
            builder.set_market_price(step[1], step[2])
            continue
        _, symbol, price, quantity, repeat, fee = step
        order_id += 0 if repeat == 0 and order_id else 1  # sometimes a second fill of the same order
        try:
            reference.fill(symbol, time, order_id, price, quantity, fee)
        except OverflowError:  # (money beyond .NET decimal's range: Lean throws too)
            return
        builder.process_fill(symbol, time, order_id, price, quantity, fee)
        assert builder.has_open_position(symbol) == bool(reference.positions.get(symbol, [[]])[0])
    # the unrounded drawdowns too, exponents included (a rounded figure may hide a wrong one)
    assert [str(record[9]) for record in builder._unmade] == [str(d) for d in reference.drawdowns]
    assert [_text(t) for t in builder.closed_trades] == [_text(t) for t in reference.closed]
