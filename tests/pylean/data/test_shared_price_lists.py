"""A day's price columns become Python lists in which equal prices share one float object; every element is
exactly (bit for bit) the float its column holds, carried rows keep their own values, and a day where sharing
does not apply is converted column by column."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pylean.data.slice import _Columns, _shared_price_lists
from pylean.data.subscription import RawDay, scaled_prices

NAMES = ("open", "high", "low", "close")


def day_of(raw_prices: dict[str, list[int]], factor: Decimal, carried: list[tuple[int, Decimal]]) -> SimpleNamespace:
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
    rows = RawDay(times, times + 1000, prices, raw, {"volume": np.arange(total, dtype=np.float64)}, factor)
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
    shared = _shared_price_lists(day, NAMES)
    assert shared is not None
    for name, column in zip(NAMES, shared):
        assert all(type(value) is float for value in column)
        assert bits(column) == day.rows.prices[name].view(np.int64).tolist()
    own = len(carried)
    by_value: dict[int, int] = {}
    for column in shared:  # equal prices of the day's own rows are one object
        for value in column[own:]:
            assert by_value.setdefault(bits([value])[0], id(value)) == id(value)
    columns = _Columns(day, "trade")
    assert [bits(c) for c in columns.fields[:4]] == [bits(c) for c in shared]
    assert columns.fields[4] == day.rows.sizes["volume"].tolist()


def test_a_wide_price_range_or_a_price_without_one_float_is_converted_column_by_column() -> None:
    wide = day_of({name: [1_000_000, 90_000_000] for name in NAMES}, Decimal(1), [])
    assert _shared_price_lists(wide, NAMES) is None
    odd = day_of({name: [1_000_000, 1_000_001, 1_000_000] for name in NAMES}, Decimal(1), [])
    odd.rows.prices["close"][2] = 100.5  # the same deci-cents as row 0, another float
    assert _shared_price_lists(odd, NAMES) is None
    columns = _Columns(odd, "trade")
    assert columns.fields[3] == [100.0, 100.0001, 100.5]
    no_rows = day_of({name: [] for name in NAMES}, Decimal(1), [(1_000_000, Decimal(1))])
    assert _shared_price_lists(no_rows, NAMES) is None
