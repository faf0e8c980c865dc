"""A chunked trade plan (bar fields converted a chunk of steps at a time, see slice._TradePlan) serves exactly
the bars that building each bar from the day's arrays gives: every field bit for bit, fill-forward copies
and steps without a bar, across chunk boundaries, when slices kept from earlier chunks are read later, when
some subscriptions' day columns appear mid-day (the plan then takes them), and while the algorithm keeps bars."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pylean.data import slice as slice_module
from pylean.data.feed import ConfigDay
from pylean.data.slice import Slice, columns, trade_plan
from pylean.data.subscription import RawDay, scaled_prices

START = datetime(2025, 10, 1, 9, 30)
SECOND = timedelta(seconds=1)
NAMES = ("open", "high", "low", "close")


def fields(bar) -> tuple:
    bits = np.array([bar.open, bar.high, bar.low, bar.close, bar.volume], dtype=np.float64).view(np.int64)
    return (bar.symbol, bar.time, bar.end_time, *bits.tolist(), bar.is_fill_forward, type(bar.close))


def expected(day: ConfigDay, symbol: str, k: int, end: datetime) -> tuple | None:
    """The bar of step k built straight from the day's arrays."""
    row = int(day.step_rows[k])
    if row < 0:
        return None
    ff = bool(day.step_ff[k])
    rows = day.rows
    values = [rows.prices[name][row] for name in NAMES] + [0.0 if ff else rows.sizes["volume"][row]]
    bits = np.array(values, dtype=np.float64).view(np.int64).tolist()
    return (symbol, end - SECOND, end, *bits, ff, float)


def a_day(draw, n_steps: int) -> ConfigDay:
    n_rows = draw(st.integers(1, 12))
    raw = {name: np.array(draw(st.lists(st.integers(1_000_000, 1_000_030), min_size=n_rows, max_size=n_rows)),
                          dtype=np.int64) for name in NAMES}
    prices = {name: scaled_prices(values, Decimal("0.9871234")) for name, values in raw.items()}
    volumes = st.sampled_from([0.0, -0.0, 1.0, 100.0, 2.5, 1e12, float("nan")])
    volume = np.array(draw(st.lists(volumes, min_size=n_rows, max_size=n_rows)), dtype=np.float64)
    times = np.arange(n_rows, dtype=np.int64) * 1000
    rows = RawDay(times, times + 1000, prices, raw, {"volume": volume}, Decimal(1))
    # each step emits nothing, a row or a fill-forward copy of one (rows in any order: nothing relies on it)
    kinds = draw(st.lists(st.sampled_from(["none", "real", "ff", "same"]), min_size=n_steps, max_size=n_steps))
    step_rows = np.full(n_steps, -1, dtype=np.int32)
    step_ff = np.zeros(n_steps, dtype=bool)
    for k, kind in enumerate(kinds):
        if kind == "same" and k and step_rows[k - 1] >= 0:  # a run: the row of the step before, copied
            step_rows[k], step_ff[k] = step_rows[k - 1], True
        elif kind != "none":
            step_rows[k], step_ff[k] = draw(st.integers(0, n_rows - 1)), kind == "ff"
    if not (step_rows >= 0).any():
        step_rows[0] = 0
    return ConfigDay(rows, [], step_rows, step_ff, np.maximum.accumulate(step_rows), int((step_rows >= 0).sum()))


@st.composite
def blocks(draw):
    n_steps = draw(st.integers(1, 40))
    n_subs = draw(st.integers(1, 4))
    days = [a_day(draw, n_steps) for _ in range(n_subs)]
    configs = [SimpleNamespace(symbol=f"S{i}", is_internal=False, kind="trade") for i in range(n_subs)]
    block = SimpleNamespace(configs=days, user_configs=None, trade_plan=None)
    # the steps in the order they are read: mostly forward, sometimes a kept slice read again later
    order = list(range(n_steps))
    revisits = draw(st.lists(st.tuples(st.integers(0, n_steps - 1), st.integers(0, n_steps - 1)), max_size=4))
    keeps = draw(st.lists(st.sampled_from(["none", "none", "bar", "slice"]), min_size=n_steps, max_size=n_steps))
    # someone (the security cache, a consolidator) asks for a subscription's day columns before a step
    columns_at = draw(st.dictionaries(st.integers(0, n_steps - 1), st.lists(st.integers(0, n_subs - 1)), max_size=3))
    return block, configs, order, revisits, keeps, columns_at


@contextmanager
def small_chunks():
    """Chunks of 4 steps, so that short days cross chunk boundaries."""
    with mock.patch.object(slice_module, "CHUNK_STEPS", 4):
        yield


def check(block, configs, order, revisits, keeps, columns_at) -> None:
    plan = trade_plan(block, configs)
    assert plan._chunks is not None  # the usual case is chunked
    kept_bars: list[tuple] = []
    kept_slices: dict[int, Slice] = {}
    spare = None
    for k in order:
        end = START + (k + 1) * SECOND
        for index in columns_at.get(k, ()):
            columns(block.configs[index], "trade")
        if spare is None:
            spare = data = Slice(end, block, k, configs)
        else:
            data = spare
            data._move_to(end, k)
        served = {symbol: fields(bar) for symbol, bar in data.bars.items()}
        want = {config.symbol: expected(day, config.symbol, k, end) for config, day in zip(configs, block.configs)}
        assert served == {symbol: bar for symbol, bar in want.items() if bar is not None}
        if keeps[k] == "bar" and served:
            bar = next(iter(data.bars.values()))
            kept_bars.append((bar, fields(bar)))
        elif keeps[k] == "slice":
            kept_slices[k] = data
            spare = None
        for at, later in revisits:  # a kept slice read again (its bars were built when first asked for)
            if later == k and at in kept_slices:
                old = kept_slices[at]
                old_end = START + (at + 1) * SECOND
                assert {s: fields(b) for s, b in old.bars.items()} == {
                    c.symbol: expected(day, c.symbol, at, old_end) for c, day in zip(configs, block.configs)
                    if expected(day, c.symbol, at, old_end) is not None}
        del data
        assert all(fields(bar) == was for bar, was in kept_bars)
    asked = {index for at, indices in columns_at.items() for index in indices if at // 4 < order[-1] // 4}
    if len(asked) == len(configs):
        assert plan._chunks is None  # every subscription's day columns: taken for good at the next chunk


@settings(max_examples=300, deadline=None)
@given(blocks())
def test_chunked_plan_serves_the_bars_of_the_days_arrays(block) -> None:
    with small_chunks():
        check(*block)


def test_a_slice_of_an_earlier_chunk_reads_that_chunk_again() -> None:
    with small_chunks():
        check_earlier_chunk()


def check_earlier_chunk() -> None:
    n = 10
    rows = RawDay(np.arange(n, dtype=np.int64) * 1000, np.arange(1, n + 1, dtype=np.int64) * 1000,
                  {name: np.arange(n, dtype=np.float64) + 100 for name in NAMES},
                  {name: np.arange(n, dtype=np.int64) + 1_000_000 for name in NAMES},
                  {"volume": np.arange(n, dtype=np.float64)}, Decimal(1))
    day = ConfigDay(rows, [], np.arange(n, dtype=np.int32), np.zeros(n, dtype=bool), np.arange(n, dtype=np.int32), n)
    block = SimpleNamespace(configs=[day], user_configs=None, trade_plan=None)
    configs = [SimpleNamespace(symbol="S", is_internal=False, kind="trade")]
    first = Slice(START, block, 1, configs)
    later = Slice(START, block, 9, configs)
    assert later.bars["S"].close == 109.0
    assert first.bars["S"].close == 101.0
    assert Slice(START, block, 8, configs).bars["S"].close == 108.0


def test_a_bar_held_by_one_reference_is_not_recycled() -> None:
    """Slice.bars tells a step with no bar held elsewhere by the sum of the template bars' reference counts:
    one reference more to any one bar (here a single list) must make it build that bar anew."""
    n = 3
    rows = RawDay(np.arange(n, dtype=np.int64) * 1000, np.arange(1, n + 1, dtype=np.int64) * 1000,
                  {name: np.arange(n, dtype=np.float64) + 100 for name in NAMES},
                  {name: np.arange(n, dtype=np.int64) + 1_000_000 for name in NAMES},
                  {"volume": np.arange(n, dtype=np.float64)}, Decimal(1))
    days = [ConfigDay(rows, [], np.arange(n, dtype=np.int32), np.zeros(n, dtype=bool), np.arange(n, dtype=np.int32),
                      n) for _ in range(3)]
    block = SimpleNamespace(configs=days, user_configs=None, trade_plan=None)
    configs = [SimpleNamespace(symbol=f"S{i}", is_internal=False, kind="trade") for i in range(3)]
    data = Slice(START, block, 0, configs)
    held = [data.bars["S1"]]
    ids = {id(bar) for bar in data.bars.values()}
    for k in (1, 2):
        data._move_to(START + k * SECOND, k)
        assert held[0].close == 100.0 and data.bars["S1"] is not held[0]
        assert [bar.close for bar in data.bars.values()] == [100.0 + k] * 3
    assert {id(data.bars["S0"]), id(data.bars["S2"])} <= ids  # the others were recycled
