"""slice.row_list and step_codes: the per-step lists the bar builders index, made from a shared table of ints."""
import numpy as np

from pylean.data import slice as slice_module
from pylean.data.slice import NO_ROW, row_list, step_codes


def test_row_list_equals_tolist_for_rows_and_codes() -> None:
    rows = np.array([-1, 0, 5, -1, 3, 3, 0, -7, -2], dtype=np.int32)
    out = row_list(rows)
    assert out == rows.tolist()
    assert all(type(value) is int for value in out)


def test_row_list_grows_its_table_past_its_size() -> None:
    assert row_list(np.array([2], dtype=np.int32)) == [2]
    half = len(slice_module._ROW_INTS) // 2
    rows = np.arange(-half - 10, half + 10, dtype=np.int32)
    assert row_list(rows) == rows.tolist()
    assert row_list(np.array([], dtype=np.int32)) == []


def test_step_codes_tell_real_fill_forward_and_missing_apart() -> None:
    step_rows = np.array([-1, 0, 0, 1, -1, 1, 2], dtype=np.int32)
    step_ff = np.array([False, False, True, False, False, True, False])
    codes = step_codes(step_rows, step_ff).tolist()
    assert codes[0] == codes[4] == NO_ROW
    decoded = [None if c == NO_ROW else ((-2 - c, True) if c < 0 else (c, False)) for c in codes]
    assert decoded == [None, (0, False), (0, True), (1, False), None, (1, True), (2, False)]


def test_row_list_beyond_the_table_limit_is_plain_tolist() -> None:
    rows = np.array([-1, slice_module._ROW_INTS_LIMIT + 5, 3], dtype=np.int64)
    assert row_list(rows) == rows.tolist()
    assert len(slice_module._ROW_INTS) // 2 <= slice_module._ROW_INTS_LIMIT
