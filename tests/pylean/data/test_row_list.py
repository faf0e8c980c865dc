"""slice.row_list: the per-step row lists the bar builders index, made from a shared table of ints."""
import numpy as np

from pylean.data import slice as slice_module
from pylean.data.slice import row_list


def test_row_list_equals_tolist_for_rows_and_misses() -> None:
    rows = np.array([-1, 0, 5, -1, 3, 3, 0], dtype=np.int32)
    out = row_list(rows)
    assert out == rows.tolist()
    assert all(type(value) is int for value in out)


def test_row_list_grows_its_table_past_its_size() -> None:
    small = row_list(np.array([2], dtype=np.int32))
    assert small == [2]
    size = len(slice_module._ROW_INTS)
    rows = np.arange(-1, size + 10, dtype=np.int32)
    assert row_list(rows) == rows.tolist()
    assert row_list(np.array([], dtype=np.int32)) == []
