"""batched.DayBars.values_to: each bar's close as float_decimal makes it, a chunk's distinct closes converted once."""
from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pylean.consolidators.batched import DayBars
from pylean.indicators.numbers import float_decimal

T0 = datetime(2025, 10, 1, 9, 30)
_CLOSES = st.sampled_from([0.0, -0.0, 255.45, 255.45000000000002, 1e-7, 12.5, -3.25, 1e22, float("inf")])


@settings(max_examples=200, deadline=None)
@given(st.lists(_CLOSES, min_size=1, max_size=700), st.lists(st.integers(0, 3), min_size=1, max_size=700),
       st.lists(st.integers(1, 700), min_size=1, max_size=4))
def test_values_are_float_decimals_of_each_bars_close(closes: list[float], kinds: list[int],
                                                       reads: list[int]) -> None:
    """Steps without a bar, real bars and fill-forward copies (of the last real row); reads at growing n."""
    codes, row = [], -1
    for k in range(len(closes)):
        kind = kinds[k % len(kinds)]
        if kind == 0 or (kind == 1 and row < 0):
            codes.append(-1)
        elif kind == 1:
            codes.append(-2 - row)  # fill-forward copy of the last row
        else:
            row += 1
            codes.append(row)
    bars = object.__new__(DayBars)
    bars.codes, bars.closes = codes, closes
    bars.step_array = np.flatnonzero(np.array(codes) != -1)
    bars.steps = bars.step_array.tolist()
    bars.local_times = [T0 + timedelta(seconds=k) for k in range(len(codes))]
    bars.rows, bars.values, bars.times = None, [], []
    wanted = [closes[c if c >= 0 else -2 - c] for c in codes if c != -1]
    for n in sorted(reads):
        bars.values_to(min(n, len(wanted)))
    assert [str(v) for v in bars.values] == [str(float_decimal(c)) for c in wanted[:len(bars.values)]]
    assert bars.times == [bars.local_times[k] for k in bars.steps[:len(bars.values)]]
