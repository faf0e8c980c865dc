"""The fill-forward grid shortcuts give what the binary searches they replace give."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pylean.data.feed import _latest_at_or_before, positions_on_grid, regular_step, sorted_isin

grids = st.tuples(st.integers(0, 10 ** 9), st.integers(1, 60_000), st.integers(1, 400)).map(
    lambda t: np.arange(t[0], t[0] + t[1] * t[2], t[1], dtype=np.int64))


@settings(max_examples=400, deadline=None)
@given(grids, st.lists(st.integers(-5, 500), max_size=300), st.integers(0, 3))
def test_grid_arithmetic_matches_binary_search(grid: np.ndarray, raw: list[int], jitter: int) -> None:
    step = regular_step(grid)
    if len(grid) < 2:
        assert step is None
        return
    assert step == int(grid[1] - grid[0])
    # values on and off the grid (jitter moves some off), below it and beyond it
    values = np.sort(np.array([grid[0] + (r * step) // 2 + (jitter if r % 3 == 0 else 0) for r in raw],
                              dtype=np.int64))
    at = positions_on_grid(grid, step, values)
    present = np.zeros(len(grid), dtype=bool)
    present[at[at >= 0]] = True
    assert (present == sorted_isin(grid, values)).all()
    assert all(grid[i] == v for i, v in zip(at, values) if i >= 0)
    if len(values):
        expected = np.searchsorted(values, grid, "right") - 1
        assert (_latest_at_or_before(grid, step, values) == expected).all()


def test_uneven_grids_are_not_regular() -> None:
    assert regular_step(np.array([0, 10, 30], dtype=np.int64)) is None
    assert regular_step(np.array([0, 10, 20], dtype=np.int64)) == 10
    assert regular_step(np.array([5], dtype=np.int64)) is None
