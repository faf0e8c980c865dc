"""A day's trade columns (OHLC and volume) become Python lists in which equal values share one float object;
every element is exactly (bit for bit) the float its column holds, carried rows keep their own values, and a
day where sharing does not apply is converted column by column."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pylean.data.slice import _Columns, _shared_trade_lists
from pylean.data.subscription import RawDay, scaled_prices

NAMES = ("open", "high", "low", "close")


def day_of(raw_prices: dict[str, list[int]], factor: Decimal, carried: list[tuple[int, Decimal]],
           volumes: list[float] | None = None) -> SimpleNamespace:
    """A ConfigDay-like day: `carried` rows (deci-cents, factor) first, then the day's own rows."""
    n = len(raw_prices["open"])
    raw, prices = {}, {}
    for name in NAMES:
        head = [scaled_prices(np.array([value], dtype=np.int64), f) for value, f in carried]
        own = np.array(raw_prices[name], dtype=np.int64)
        raw[name] = np.concatenate([np.array([value for value, _ in carried], dtype=np.int64), own])
        prices[name] = np.concatenate(head + [scaled_prices(own, factor)])
    total = len(carried) + n
    times = np.arange(total, dtype=np.int64) * 1000
    volume = np.array(volumes if volumes is not None else [float(i % 3) for i in range(total)], dtype=np.float64)
    rows = RawDay(times, times + 1000, prices, raw, {"volume": volume}, factor)
    return SimpleNamespace(rows=rows, carry_factors=[f for _, f in carried], step_rows=np.arange(total),
                           step_ff=np.zeros(total, dtype=bool), last_real=np.arange(total))


def bits(values: list[float]) -> list[int]:
    return np.array(values, dtype=np.float64).view(np.int64).tolist()


prices_st = st.lists(st.integers(1_000_000, 1_000_040), min_size=4, max_size=60)  # dense enough to share


@settings(max_examples=60, deadline=None)
@given(prices_st, st.sampled_from([Decimal(1), Decimal("0.9871234"), Decimal("1.5")]),
       st.lists(st.tuples(st.integers(999_000, 1_001_000), st.sampled_from([Decimal(1), Decimal("0.5")])),
                max_size=3))
def test_shared_lists_hold_exactly_the_columns_floats(opens: list[int], factor: Decimal, carried: list) -> None:
    raw = {"open": opens, "high": [v + 7 for v in opens], "low": [v - 3 for v in opens], "close": opens[::-1]}
    day = day_of(raw, factor, carried)
    shared = _shared_trade_lists(day)
    assert shared is not None and len(shared) == 5
    for column, array in zip(shared, [day.rows.prices[name] for name in NAMES] + [day.rows.sizes["volume"]]):
        assert all(type(value) is float for value in column)
        assert bits(column) == array.view(np.int64).tolist()
    own = len(carried)
    by_value: dict[int, int] = {}
    for column in shared[:4]:  # equal prices of the day's own rows are one object
        for value in column[own:]:
            assert by_value.setdefault(bits([value])[0], id(value)) == id(value)
    assert len({id(value) for value in shared[4]}) == len(set(shared[4]))  # and equal volumes
    columns = _Columns(day, "trade")
    assert [bits(c) for c in columns.fields] == [bits(c) for c in shared]


def test_a_wide_price_range_or_a_price_without_one_float_is_converted_column_by_column() -> None:
    wide = day_of({name: [1_000_000, 90_000_000] for name in NAMES}, Decimal(1), [])
    assert _shared_trade_lists(wide) is None
    odd = day_of({name: [1_000_000, 1_000_001, 1_000_000] for name in NAMES}, Decimal(1), [])
    odd.rows.prices["close"][2] = 100.5  # the same deci-cents as row 0, another float
    assert _shared_trade_lists(odd) is None
    columns = _Columns(odd, "trade")
    assert columns.fields[3] == [100.0, 100.0001, 100.5]
    no_rows = day_of({name: [] for name in NAMES}, Decimal(1), [(1_000_000, Decimal(1))])
    assert _shared_trade_lists(no_rows) is None


def test_volumes_that_are_not_whole_or_finite_numbers_are_converted_as_they_are() -> None:
    raw = {name: [1_000_000, 1_000_001, 1_000_000, 1_000_002] for name in NAMES}
    for volumes in ([100.0, 100.5, 100.0, 3.0], [100.0, float("nan"), 100.0, 3.0], [1.0, 5e9, 1.0, 2.0]):
        shared = _shared_trade_lists(day_of(raw, Decimal(1), [], volumes))
        assert shared is not None
        assert bits(shared[4]) == bits(volumes)
