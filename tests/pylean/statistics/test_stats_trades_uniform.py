"""The trade builder's uniform positions (every price of one exponent, as the engine's prices are): the range
of prices that change nothing, the marks that look only at the youngest trades, exact FIFO matching. Random
fills and marks, mostly at prices of one exponent (equal values meet often), sometimes of another exponent
(10.5 vs 10.50) or not plain, long, short and reversing, give what the step-by-step reference builder (Lean's
TradeBuilder with the .NET helpers, every mark applied to every trade) gives: closed trades, unrounded
drawdowns and open trades, exponents included, whether applied at once or recorded and settled in batches."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import example, given, settings, strategies as st

from pylean.statistics.trades import TradeBuilder
from tests.pylean.statistics.test_stats_trades_reference import _Reference, _text


@st.composite
def _steps(draw: Any) -> list[tuple[Any, ...]]:
    exponent = draw(st.sampled_from((0, -2, -11, -12)))
    base = draw(st.integers(1, 10**6))
    spread = draw(st.sampled_from((3, 20, 200)))  # few values: equal prices (and tops, alarms) meet

    def price(offset: int, kind: str) -> Decimal:
        value = Decimal(base + offset).scaleb(exponent)
        if kind == "other exponent":  # the same value written with one more decimal
            return value.quantize(Decimal(1).scaleb(exponent - 1))
        if kind == "not plain":
            return value + Decimal("1E-13") if offset % 2 else value * Decimal(10) ** 13
        return value

    prices = st.builds(price, st.integers(-spread, spread),
                       st.sampled_from(("uniform",) * 40 + ("other exponent", "not plain")))
    quantities = st.one_of(
        st.integers(-300, 300).filter(bool).map(Decimal),
        st.builds(lambda n, places: Decimal(n).scaleb(-places), st.integers(-3000, 3000).filter(bool),
                  st.integers(1, 3)),
        st.sampled_from([Decimal("1E+2"), Decimal("-0.0000000000001"), Decimal("-9999999999999999999999999999")]))
    quantities = st.one_of(*(st.integers(-300, 300).filter(bool).map(Decimal),) * 8, quantities)
    step = st.one_of(
        st.tuples(st.just("fill"), st.sampled_from("AB"), prices, quantities, st.integers(0, 3),
                  st.sampled_from([Decimal(1), Decimal("3.010"), Decimal(0)])),
        st.tuples(st.just("mark"), st.sampled_from("AB"), prices),
        st.tuples(st.just("mark"), st.sampled_from("AB"), prices),
        st.tuples(st.just("settle")))
    return draw(st.lists(step, min_size=20, max_size=150))


def _open_trades(builder: TradeBuilder) -> dict[str, Any]:
    return {symbol: ([(str(t.quantity), str(t.total_fees), str(t.max_profit), str(t.max_drawdown), t.order_ids)
                      for t in position.pending], str(position.min_price), str(position.max_price))
            for symbol, position in builder._positions.items()}


def _reference_open_trades(reference: _Reference) -> dict[str, Any]:
    return {symbol: ([(str(t.quantity), str(t.fees), str(t.max_profit), str(t.max_drawdown), t.order_ids)
                      for t in pending], str(low), str(high))
            for symbol, (pending, low, high) in reference.positions.items() if pending}


@settings(max_examples=500, deadline=None)
@given(_steps())
@example([("fill", "A", Decimal("10.50"), Decimal(10), 0, Decimal(1)), ("mark", "A", Decimal("10.60")),
          ("mark", "A", Decimal("10.5")), ("mark", "A", Decimal("10.50")), ("mark", "A", Decimal("10.40")),
          ("fill", "A", Decimal("10.50"), Decimal(5), 1, Decimal(1)), ("mark", "A", Decimal("10.50")),
          ("fill", "A", Decimal("10.30"), Decimal(-20), 2, Decimal(1)), ("mark", "A", Decimal("10.20"))])
def test_uniform_positions_make_what_the_reference_makes(steps: list[tuple[Any, ...]]) -> None:
    numbers = itertools.count(1)
    reference = _Reference()
    direct = TradeBuilder(id_factory=lambda: "id")
    recorded = TradeBuilder(id_factory=lambda: f"id{next(numbers)}")
    order_id, time = 0, datetime(2013, 10, 7, 13, 31)
    for step in steps:
        time += timedelta(minutes=1)
        if step[0] == "settle":
            recorded.settle()
        elif step[0] == "mark":
            reference.mark(step[1], step[2])
            direct.set_market_price(step[1], step[2])
            recorded.recorded.append((step[1], step[2]))
        else:
            _, symbol, price, quantity, repeat, fee = step
            order_id += 0 if repeat == 0 and order_id else 1  # sometimes a second fill of the same order
            try:
                reference.fill(symbol, time, order_id, price, quantity, fee)
            except OverflowError:  # (money beyond .NET decimal's range: Lean throws too)
                return
            direct.process_fill(symbol, time, order_id, price, quantity, fee)
            recorded.recorded.append((symbol, time, order_id, price, quantity, fee))
    recorded.settle()
    drawdowns = [str(d) for d in reference.drawdowns]
    assert [str(record[9]) for record in direct._unmade] == drawdowns
    assert [str(record[9]) for record in recorded._unmade] == drawdowns
    assert _open_trades(direct) == _open_trades(recorded) == _reference_open_trades(reference)
    expected = [_text(t) for t in reference.closed]
    assert [_text(t) for t in direct.closed_trades] == expected
    assert [_text(t) for t in recorded.closed_trades] == expected
