"""Fills and marks recorded in `TradeBuilder.recorded` (the engine's form) and applied later, in batches of any
size, close the very trades process_fill/set_market_price close one call at a time: same decimals, order,
ids and open positions, whatever reads the builder in between."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from pylean.statistics.trades import TradeBuilder
from tests.pylean.statistics.test_stats_trades_reference import _PRICES, _QUANTITIES, _text

_ACTIONS = st.lists(st.one_of(
    st.tuples(st.just("fill"), st.sampled_from("AB"), _PRICES, _QUANTITIES, st.integers(0, 3),
              st.sampled_from([Decimal(1), Decimal("0.35"), Decimal(0)])),
    st.tuples(st.just("mark"), st.sampled_from("AB"), _PRICES),
    st.tuples(st.just("settle")),  # a batch ends here (SETTLE_AT reached)
    st.tuples(st.just("read"), st.sampled_from(("closed", "open A", "open B", "direct fill", "direct mark")))),
    max_size=80)


def _builder() -> TradeBuilder:
    numbers = itertools.count(1)
    return TradeBuilder(id_factory=lambda: f"id{next(numbers)}")


def _closed(builder: TradeBuilder) -> Any:
    try:
        return [_text(t) + (t.id,) for t in builder.closed_trades]
    except OverflowError:  # (a trade's money beyond .NET decimal's range: Lean throws too)
        return "overflow"


def _state(builder: TradeBuilder) -> list[Any]:
    closed = _closed(builder)
    pending = {symbol: ([(str(t.quantity), str(t.total_fees), str(t.max_drawdown), str(t.max_profit), t.order_ids)
                         for t in position.pending], str(position.min_price), str(position.max_price))
               for symbol, position in builder._positions.items()}
    return [closed, pending]


@settings(max_examples=300, deadline=None)
@given(_ACTIONS)
def test_recorded_fills_and_marks_make_what_immediate_calls_make(actions: list[tuple[Any, ...]]) -> None:
    immediate, recorded = _builder(), _builder()
    order_id, time = 0, datetime(2013, 10, 7, 13, 31)
    seen: list[Any] = []
    for action in actions:
        time += timedelta(minutes=1)
        kind = action[0]
        if kind == "mark":
            immediate.set_market_price(action[1], action[2])
            recorded.recorded.append((action[1], action[2]))
        elif kind == "fill":
            _, symbol, price, quantity, repeat, fee = action
            order_id += 0 if repeat == 0 and order_id else 1
            try:
                immediate.process_fill(symbol, time, order_id, price, quantity, fee)
            except OverflowError:  # (beyond .NET decimal's range: the recorded builder raises when it applies)
                return
            recorded.recorded.append((symbol, time, order_id, price, quantity, fee))
        elif kind == "settle":
            recorded.settle()
            assert not recorded.recorded
        elif action[1] == "closed":
            seen.append((_closed(recorded), _closed(immediate)))
        elif action[1].startswith("open"):
            symbol = action[1][-1]
            assert recorded.has_open_position(symbol) == immediate.has_open_position(symbol)
        elif action[1] == "direct fill":  # the builder's own calls apply what was recorded first
            order_id += 1
            for builder in (immediate, recorded):
                builder.process_fill("A", time, order_id, Decimal("100.01"), Decimal(3), Decimal(1))
        else:
            for builder in (immediate, recorded):
                builder.set_market_price("B", Decimal("99.5"))
    for closed_recorded, closed_immediate in seen:
        assert closed_recorded == closed_immediate
    assert _state(recorded) == _state(immediate)
    assert not recorded.recorded


def test_a_record_that_raises_is_applied_once_and_the_rest_stay_recorded() -> None:
    immediate, recorded = _builder(), _builder()
    time, huge = datetime(2013, 10, 7, 14, 0), Decimal("79228162514264337593543950335")
    immediate.process_fill("A", time, 1, Decimal(-1), Decimal(1), Decimal(1))
    with pytest.raises(OverflowError):  # the drawdown of a price beyond .NET decimal's range from the entry
        immediate.set_market_price("A", huge)
    immediate.process_fill("B", time, 2, Decimal(10), Decimal(5), Decimal(1))
    recorded.recorded.extend([("A", time, 1, Decimal(-1), Decimal(1), Decimal(1)), ("A", huge),
                              ("B", time, 2, Decimal(10), Decimal(5), Decimal(1))])
    with pytest.raises(OverflowError):
        recorded.settle()
    assert recorded.recorded == [("B", time, 2, Decimal(10), Decimal(5), Decimal(1))]
    assert _state(recorded) == _state(immediate)
