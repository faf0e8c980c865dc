"""Bulk consolidation (pylean/consolidators/bulk.py) against the step-by-step path, on randomized days.

Each example builds day blocks as the data feed does (per step: the row a subscription emits, fill-forward
copies, gaps) over random sessions (normal and early-close days, windows around the open and the close,
several days), registers random consolidators (time periods, calendars, start times, market-hours-aware
daily and intraday, counts, a subclass, identity) and drives the SubscriptionManager exactly as the engine's
steps 2 and 14 do, with user code reading working bars (and keeping them), updating, resetting, adding and
removing consolidators in handlers and after the step. The run with bulk consolidation must record exactly
what the run without it records: every event, at the same step, clock and order, with equal bars.
"""
from __future__ import annotations

import random
from collections import deque
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from consolidators_support import AAPL, EARLY_CLOSE, SPY, FakeRuntime
from pylean.consolidators import IdentityDataConsolidator, MarketHourAwareConsolidator, TradeBarConsolidator
from pylean.consolidators.calendar import CalendarInfo
from pylean.data.feed import ConfigDay, DayBlock
from pylean.data.market_data import TradeBar
from pylean.data.slice import Slice, quote_bar_at, shares_trade_bars, trade_bar_at, user_configs
from pylean.data.subscription import RawDay
from pylean.enums import Resolution
from pylean.timeutil import local_to_ms, ms_to_local

DAYS = [date(2013, 11, 26), date(2013, 11, 27), EARLY_CLOSE, date(2013, 12, 2)]
# windows of consecutive seconds (start time of day, length): around the open, midday, the closes
WINDOWS = [(timedelta(hours=9, minutes=29, seconds=40), 200), (timedelta(hours=11, minutes=59, seconds=50), 150),
           (timedelta(hours=12, minutes=58, seconds=50), 150), (timedelta(hours=15, minutes=58, seconds=30), 200)]


def two_minute_calendar(time: datetime) -> CalendarInfo:
    start = time.replace(second=0, microsecond=0)
    return CalendarInfo(start - timedelta(minutes=start.minute % 2), timedelta(minutes=2))


class SubclassedConsolidator(TradeBarConsolidator):
    """A user subclass: always the step path."""

    __slots__ = ()


def make_consolidator(kind: tuple[Any, ...]) -> Any:
    name, value = kind
    if name == "period":
        return TradeBarConsolidator(timedelta(seconds=value))
    if name == "resolution":
        return TradeBarConsolidator(Resolution.MINUTE)
    if name == "calendar":
        return TradeBarConsolidator(two_minute_calendar)
    if name == "start_time":
        return TradeBarConsolidator(timedelta(seconds=value), start_time=timedelta(seconds=7))
    if name == "daily":
        return MarketHourAwareConsolidator(value, Resolution.DAILY, TradeBar)
    if name == "intraday":
        return MarketHourAwareConsolidator(True, timedelta(minutes=value), TradeBar)
    if name == "count":
        return TradeBarConsolidator(value)
    if name == "subclass":
        return SubclassedConsolidator(timedelta(seconds=value))
    return IdentityDataConsolidator(TradeBar)


kinds = st.one_of(st.tuples(st.just("period"), st.sampled_from([2, 3, 5, 7, 15, 30, 60, 120])),
                  st.tuples(st.sampled_from(["resolution", "calendar", "identity"]), st.none()),
                  st.tuples(st.just("start_time"), st.sampled_from([10, 60])),
                  st.tuples(st.just("daily"), st.booleans()),
                  st.tuples(st.just("intraday"), st.sampled_from([1, 2, 5])),
                  st.tuples(st.just("count"), st.sampled_from([3, 20])),
                  st.tuples(st.just("subclass"), st.sampled_from([5, 60])))

# (step as a fraction of the run, what user code does, which consolidator or kind)
actions = st.lists(st.tuples(st.floats(0, 1), st.sampled_from(["read", "update", "reset", "add", "remove"]),
                             st.integers(0, 20), kinds), max_size=6)


def build_block(day: date, windows: list[int], rng: random.Random, configs: list[Any], gap: float,
                ff_share: float, fractional_volume: bool) -> DayBlock:
    """A DayBlock as the feed builds it: one step per second of the windows; per subscription a real row,
    a fill-forward copy of its last real row, or nothing at each step."""
    midnight = datetime(day.year, day.month, day.day)
    times = sorted({local_to_ms(midnight + WINDOWS[w][0] + timedelta(seconds=s))
                    for w in windows for s in range(1, WINDOWS[w][1] + 1)})
    days = []
    for _config in configs:
        step_rows, step_ff, rows = [], [], []
        price = rng.uniform(50, 150)
        if rng.random() < 0.3:  # a row carried from the day before: the day opens fill-forward
            rows.append((times[0] - 60000, times[0] - 59000, price, price + 0.2, price - 0.2, price, 500.0))
        for t in times:
            draw = rng.random()
            if draw < gap and rng.random() < 0.02:  # a row no step emits (then bulk merges stand aside)
                rows.append((t - 1000, t, price, price + 9, price - 9, price, 1e6))
            if draw < gap:
                step_rows.append(-1)
                step_ff.append(False)
            elif draw < gap + ff_share and rows:
                step_rows.append(len(rows) - 1)
                step_ff.append(True)
            else:
                price = round(price + rng.uniform(-1, 1), 2)
                spread = round(rng.uniform(0, 0.5), 2)
                volume = float(rng.randrange(0, 3000))
                if fractional_volume:
                    volume += rng.random()
                rows.append((t - 1000, t, price, price + spread, price - spread, round(price + spread / 3, 2), volume))
                step_rows.append(len(rows) - 1)
                step_ff.append(False)
        columns = list(zip(*rows)) if rows else [()] * 7
        raw = RawDay(np.array(columns[0], dtype=np.int64), np.array(columns[1], dtype=np.int64),
                     {name: np.array(columns[i], dtype=float) for i, name in
                      enumerate(("open", "high", "low", "close"), start=2)}, {},
                     {"volume": np.array(columns[6], dtype=float)}, 1)
        days.append(ConfigDay(raw, [], np.array(step_rows, dtype=np.int32), np.array(step_ff, dtype=bool),
                              np.zeros(len(times), dtype=np.int32), sum(r >= 0 for r in step_rows)))
    n = len(times)
    return DayBlock(day, np.array(times, dtype=np.int64), days, np.ones(n, dtype=np.int64), np.ones(n, dtype=bool), 0)


def snapshot(bar: Any) -> Any:
    if bar is None:
        return None
    return (type(bar).__name__, bar.time, bar.end_time, bar.symbol, bar.open, bar.high, bar.low, bar.close,
            bar.volume, type(bar.volume), type(bar.close))


def run(bulk: bool, seed: int, day_indexes: list[int], windows: list[list[int]], layout: list[list[Any]],
        peeks: dict[int, int], plan: list[tuple[float, str, int, Any]], gap: float, ff_share: float,
        fractional_volume: bool, share_bars: bool) -> list[Any]:
    rng = random.Random(seed)
    rt = FakeRuntime()
    manager = rt.subscription_manager
    manager._bulk_enabled = bulk
    configs = [rt.subscribe(symbol, Resolution.SECOND) for symbol in (SPY, AAPL)]
    log: list[Any] = []
    registered: list[Any] = []
    symbols: list[Any] = []  # each registered consolidator's symbol
    kept: deque[Any] = deque(maxlen=4)  # the last working bars user code read and holds on to
    cursor = rt.cursor
    state = {"k": -1}

    def register(config_index: int, kind: Any) -> None:
        consolidator = make_consolidator(kind)
        number = len(registered)
        registered.append(consolidator)
        symbols.append(configs[config_index].symbol)

        def on_bar(sender: Any, bar: Any) -> None:
            log.append(("bar", number, state["k"], cursor.time, snapshot(bar)))
            other = peeks.get(number)
            if other is not None and other < len(registered):
                working = registered[other].working_data
                log.append(("peek", number, other, snapshot(working)))
                if working is not None:
                    kept.append(working)
        consolidator.data_consolidated += on_bar
        manager.add_consolidator(configs[config_index].symbol, consolidator)

    for config_index, kinds_of_config in enumerate(layout):
        for kind in kinds_of_config:
            register(config_index, kind)
    blocks = [build_block(DAYS[d], windows[i], rng, configs, gap, ff_share, fractional_volume)
              for i, d in enumerate(day_indexes)]
    total = sum(block.n_steps for block in blocks)
    due = sorted((int(fraction * total), i) for i, (fraction, *_rest) in enumerate(plan))
    step = 0
    for block in blocks:
        times = block.times_ms.tolist()
        for k in range(block.n_steps):
            local = ms_to_local(times[k])
            state["k"] = step
            cursor.time = local
            manager.scan(local)                                      # 2.
            cursor.block, cursor.k, cursor.time = block, k, local    # 3.
            pairs = user_configs(block, rt.feed.configs, "any")
            shared = (Slice(local, block, k, rt.feed.configs).bars
                      if share_bars and shares_trade_bars(block, rt.feed.configs) else None)
            manager.feed_step(pairs, shared, trade_bar_at, quote_bar_at, k, local, block)  # 14.
            manager.scan(local)
            while due and due[0][0] == step:                         # 16. user code
                _, index = due.pop(0)
                _, action, target, kind = plan[index]
                consolidator = registered[target % len(registered)] if registered else None
                if action == "read" and consolidator is not None:
                    working = consolidator.working_data
                    log.append(("read", step, target % len(registered), snapshot(working)))
                    if working is not None:
                        kept.append(working)
                elif action == "update" and consolidator is not None:
                    symbol = symbols[target % len(registered)]
                    consolidator.update(TradeBar(local - timedelta(seconds=1), symbol, 10.0, 11.0, 9.0, 10.5, 7.0,
                                                 end_time=local))
                elif action == "reset" and consolidator is not None:
                    consolidator.reset()
                elif action == "add":
                    register(target % 2, kind)
                elif action == "remove" and consolidator is not None:
                    manager.remove_consolidator(None, consolidator)
            log.append(("kept", step, [snapshot(bar) for bar in kept]))
            step += 1
    log.append(("end", [snapshot(c.working_data) for c in registered]))
    return log


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2 ** 32), day_indexes=st.lists(st.integers(0, len(DAYS) - 1), min_size=1, max_size=3),
       windows=st.lists(st.lists(st.integers(0, len(WINDOWS) - 1), min_size=1, max_size=2, unique=True),
                        min_size=3, max_size=3),
       layout=st.lists(st.lists(kinds, max_size=4), min_size=2, max_size=2),
       peeks=st.dictionaries(st.integers(0, 8), st.integers(0, 8), max_size=3), plan=actions,
       gap=st.sampled_from([0.0, 0.05, 0.4, 0.9]), ff_share=st.sampled_from([0.0, 0.3]),
       fractional_volume=st.booleans(), share_bars=st.booleans())
def test_bulk_consolidation_matches_the_step_path(seed: int, day_indexes: list[int], windows: list[list[int]],
                                                 layout: list[list[Any]], peeks: dict[int, int], plan: list[Any],
                                                 gap: float, ff_share: float, fractional_volume: bool,
                                                 share_bars: bool) -> None:
    day_indexes = sorted(set(day_indexes))
    args = (seed, day_indexes, windows, layout, peeks, plan, gap, ff_share, fractional_volume, share_bars)
    stepwise = run(False, *args)
    assert run(True, *args) == stepwise


def test_bulk_consolidation_is_used_and_matches() -> None:
    """A plain run: the members defer nearly every step (the comparison covers the bulk path) and the
    events are those of the step path."""
    args = (7, [0, 2], [[0, 3], [2], [0]], [[("period", 15), ("resolution", None), ("daily", True)],
                                           [("identity", None), ("period", 5), ("intraday", 5)]],
            {}, [], 0.05, 0.3, False, True)
    calls = []
    original = TradeBarConsolidator._feed

    def counting(self: Any, data: Any, now: Any) -> None:
        calls.append(1)
        original(self, data, now)
    TradeBarConsolidator._feed = counting  # type: ignore[method-assign]
    try:
        bulk = run(True, *args)
        bulk_calls = len(calls)
        calls.clear()
        stepwise = run(False, *args)
    finally:
        TradeBarConsolidator._feed = original  # type: ignore[method-assign]
    assert bulk == stepwise
    assert sum(1 for entry in bulk if entry[0] == "bar") > 50
    assert bulk_calls < len(calls) / 4


def test_a_handler_reading_a_later_consolidator_gets_the_bar_of_its_step() -> None:
    """The handler of a consolidator the step path feeds reads (and keeps) the open working bar of a bulk-fed
    consolidator after it in the list: from then on that bar takes each step's merge in that very step."""
    args = (3, [1], [[0, 3], [0], [0]], [[("subclass", 5), ("period", 15), ("daily", False)], [("period", 5)]],
            {0: 1}, [(0.5, "read", 3, ("period", 5))], 0.05, 0.3, False, True)
    stepwise = run(False, *args)
    assert run(True, *args) == stepwise
    assert sum(1 for entry in stepwise if entry[0] == "peek" and entry[3] is not None) > 50
