"""The engine's capacity view (one a block, moved from step to step, numpy `.item` reads, the step's UTC
time from its local datetime) hands the estimator the same bars as building them afresh at each step from
the block's ms times, the way Lean's slice would: property test against that slow reference."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from hypothesis import given, settings, strategies as st

from pylean.data.feed import ConfigDay, DayBlock
from pylean.data.subscription import RawDay
from pylean.engine import _CapacityLookup
from pylean.statistics.capacity import CapacityBar, ExactTradeBar
from pylean.timeutil import local_to_ms, local_to_utc, ms_to_local

DECI = Decimal("0.0001")
DAY = datetime(2013, 10, 7)  # a DST switch is not inside a session: any day serves
FACTORS = [Decimal(1), Decimal("0.9876543"), Decimal("0.5"),
           Decimal("0.1234567890123456789012345678")]  # (x raw: more digits than the context keeps)


@dataclass
class _Config:
    kind: str
    symbol: Any
    is_internal: bool = False


@dataclass
class _Symbol:
    id: str


def _slow_bar(configs: list[Any], block: DayBlock, k: int, sid: str) -> CapacityBar | None:
    """The bar a symbol received at step k, every value made afresh (the trade bar first, else the quote)."""
    quote = None
    for index, config in enumerate(configs):
        if config.is_internal or str(config.symbol.id) != sid:
            continue
        day = block.configs[index]
        row = int(day.step_rows[k])
        if row < 0:
            continue
        ff, rows = bool(day.step_ff[k]), day.rows
        period = timedelta(milliseconds=int(rows.end_ms[row]) - int(rows.time_ms[row]))
        end_utc = local_to_utc(ms_to_local(int(block.times_ms[k])))
        factor = day.factor(row)
        if config.kind == "trade":
            volume = Decimal(0) if ff else Decimal(int(rows.sizes["volume"][row]))
            return CapacityBar(period, end_utc, Decimal(int(rows.raw["close"][row])) * DECI * factor, volume)
        bid = Decimal(int(rows.raw["bid_close"][row])) * DECI * factor
        ask = Decimal(int(rows.raw["ask_close"][row])) * DECI * factor
        size = Decimal(0) if ff else (Decimal(int(rows.sizes["bid_size"][row]))
                                      + Decimal(int(rows.sizes["ask_size"][row]))) / 2
        quote = CapacityBar(period, end_utc, (bid + ask) / 2 if bid and ask else bid or ask, size)
    return quote


_subscription = st.tuples(st.sampled_from(["A", "B"]), st.sampled_from(["trade", "quote"]), st.booleans(),
                          st.integers(min_value=0, max_value=len(FACTORS) - 1), st.integers(0, 2))


@st.composite
def _blocks(draw: Any) -> tuple[list[Any], DayBlock]:
    n_steps = draw(st.integers(min_value=1, max_value=12))
    start = DAY + timedelta(hours=9, minutes=30)
    times = np.array([local_to_ms(start + timedelta(minutes=m)) for m in range(n_steps)], dtype=np.int64)
    configs, days = [], []
    for ticker, kind, internal, factor, carried in draw(st.lists(_subscription, min_size=1, max_size=5)):
        n_rows = carried + n_steps
        prices = st.integers(min_value=0, max_value=5_000_000)
        raw = {name: np.array(draw(st.lists(prices, min_size=n_rows, max_size=n_rows)), dtype=np.int64)
               for name in ("close", "bid_close", "ask_close")}
        sizes = {name: np.array(draw(st.lists(st.integers(0, 10**7), min_size=n_rows, max_size=n_rows)),
                                dtype=np.float64) for name in ("volume", "bid_size", "ask_size")}
        length = draw(st.sampled_from([1_000, 60_000, 3_600_000]))
        end_ms = np.concatenate([times[:1].repeat(carried) - 60_000, times]) if n_rows else times
        rows = RawDay(end_ms - length, end_ms, {}, raw, sizes, FACTORS[factor])
        step_rows = np.array(draw(st.lists(st.integers(-1, n_rows - 1), min_size=n_steps, max_size=n_steps)),
                             dtype=np.int32)
        step_ff = np.array(draw(st.lists(st.booleans(), min_size=n_steps, max_size=n_steps)), dtype=bool)
        carry_factors = [FACTORS[(factor + 1) % len(FACTORS)]] * carried
        days.append(ConfigDay(rows, carry_factors, step_rows, step_ff, step_rows.copy(), n_steps))
        configs.append(_Config(kind, _Symbol(f"{ticker} 2T"), internal))
    return configs, DayBlock(DAY.date(), times, days, np.ones(n_steps, dtype=np.int64),
                             np.ones(n_steps, dtype=bool), -4 * 3_600_000)


@settings(max_examples=300, deadline=None)
@given(_blocks(), st.data())
def test_a_view_moved_from_step_to_step_equals_bars_made_afresh(block_of: Any, data: Any) -> None:
    configs, block = block_of
    local_times = block.times_ms.astype("datetime64[ms]").tolist()  # as the engine's loop has them
    steps = data.draw(st.lists(st.integers(0, len(local_times) - 1), min_size=1, max_size=20))
    view = _CapacityLookup(configs, block, steps[0], local_times[steps[0]])
    for k in steps:
        view.at(k, local_times[k])
        for sid in ("A 2T", "B 2T", "C 2T"):
            fast, slow = view(sid), _slow_bar(configs, block, k, sid)
            assert (fast is None) == (slow is None)
            if fast is not None:  # (a trade bar with an exact close comes as an ExactTradeBar)
                assert (fast.period, fast.end_time_utc, fast.close, fast.volume) == slow
                # equal decimals may differ in their digits: the texts must be equal too
                assert (str(fast.close), str(fast.volume)) == (str(slow.close), str(slow.volume))
                if isinstance(fast, ExactTradeBar):  # its parts are the close's, exactly
                    exact = Decimal(f"{fast.raw * fast.factor_units}E{fast.factor_exponent - 4}")
                    assert str(exact) == str(fast.close)
                assert fast.end_time_utc.tzinfo == slow.end_time_utc.tzinfo
