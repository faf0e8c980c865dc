"""_shared_floats reuses its direct-addressed tables between calls: a call after a wider or narrower one, or
after one that gave up (not one float per key), converts exactly as fresh tables would, and the object
table keeps no float alive once a call returns."""
from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pylean.data.slice import _Scratch, _shared_floats


def columns(keys: list[list[int]], bad: bool) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Columns whose values are key / 8 (one float per key), or, with `bad`, one key given two values."""
    key_arrays = [np.array(k, dtype=np.int64) for k in keys]
    values = [k / 8.0 for k in key_arrays]
    if bad and len(keys[0]) > 1:
        key_arrays[0][1] = key_arrays[0][0]
        values[0][1] = values[0][0] + 1.0
    return values, key_arrays


@given(st.lists(st.tuples(st.lists(st.lists(st.integers(-3000, 3000), min_size=1, max_size=40), min_size=1,
                                   max_size=4), st.booleans()), min_size=1, max_size=6))
def test_scratch_tables_convert_as_fresh_ones(calls) -> None:
    for keys, bad in calls:
        values, key_arrays = columns(keys, bad)
        lists = _shared_floats(values, key_arrays)
        if lists is None:
            continue
        assert [np.array(column).view(np.int64).tolist() for column in lists] == \
            [v.view(np.int64).tolist() for v in values]
        by_key = {}
        for column, key_column in zip(lists, key_arrays):
            for value, key in zip(column, key_column.tolist()):
                assert by_key.setdefault(key, value) is value  # equal keys share one float object
        assert all(item is None for item in _Scratch.floats)
