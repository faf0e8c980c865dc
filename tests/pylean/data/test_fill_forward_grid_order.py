"""The fill-forward merge built directly in grid order (feed._fill_forward_in_grid_order) equals merging the
real bars with their fill-forward copies and sorting by end time (stable), as the general path does."""
from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pylean.data.feed import _fill_forward_in_grid_order


def merged_and_sorted(grid, at, rows_idx, candidates, candidate_ends):
    """The general path: real bars at their grid points, a copy of the newest candidate ending at or before
    every other grid point (when there is one), concatenated and stably sorted by end."""
    present = np.zeros(len(grid), dtype=bool)
    present[at] = True
    missing = grid[~present]
    src = np.searchsorted(candidate_ends, missing, "right") - 1
    ok = src >= 0
    ends = np.concatenate([grid[at], missing[ok]])
    rows = np.concatenate([rows_idx, candidates[src[ok]]])
    ff = np.concatenate([np.zeros(len(at), dtype=bool), np.ones(int(ok.sum()), dtype=bool)])
    order = np.argsort(ends, kind="stable")
    return ends[order], rows[order], ff[order]


@st.composite
def cases(draw):
    step = draw(st.sampled_from([1, 1000, 60_000]))
    n = draw(st.integers(1, 60))
    start = draw(st.integers(0, 10)) * step
    grid = start + step * np.arange(n, dtype=np.int64)
    at = np.array(sorted(draw(st.sets(st.integers(0, n - 1), min_size=1))), dtype=np.int64)
    offsets = sorted(draw(st.lists(st.integers(-3 * step, (n + 2) * step), min_size=1, max_size=80)))
    candidate_ends = start + np.array(offsets, dtype=np.int64)
    candidates = np.arange(len(candidate_ends), dtype=np.int64) + draw(st.integers(0, 3))
    rows_idx = np.array(draw(st.lists(st.integers(0, 500), min_size=len(at), max_size=len(at))), dtype=np.int64)
    return grid, step, at, rows_idx, candidates, candidate_ends


@given(cases())
def test_grid_order_equals_merge_and_stable_sort(case) -> None:
    grid, step, at, rows_idx, candidates, candidate_ends = case
    fast = _fill_forward_in_grid_order(grid, step, at, rows_idx, candidates, candidate_ends)
    slow = merged_and_sorted(grid, at, rows_idx, candidates, candidate_ends)
    for got, want in zip(fast, slow):
        assert got.dtype == want.dtype
        assert got.tolist() == want.tolist()
