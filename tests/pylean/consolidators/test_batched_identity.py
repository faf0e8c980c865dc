"""Batched identity consolidators (pylean/consolidators/batched.py) against the step-by-step path, on randomized days.

Per subscription a few identity consolidators feed SMAs and EMAs (registered as the algorithm helpers do), beside a
bulk-fed period consolidator and a count consolidator (fed every step); the SubscriptionManager is driven as the
engine drives it (test_bulk_consolidation's blocks: gaps, fill-forward bars, several days). User code reads
`current` (and keeps the points), `is_ready`, `samples`, comparisons, float() and str() at random steps, in handlers
and after the step, and now and then does anything else: reads windows, the Sum, `previous`, updates, resets,
subscribes to `updated`, registers another indicator, removes a consolidator, or uses a window or event it took
from an indicator or consolidator before the run (reads it, subscribes to it). The batched run must log exactly what the
step-by-step run logs: every value read, the identity of kept points with the windows' items, and the full state of
every indicator and consolidator at the end.
"""
from __future__ import annotations

import random
from collections import deque
from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from consolidators_support import AAPL, SPY, FakeRuntime
from test_bulk_consolidation import DAYS, WINDOWS, build_block
from pylean.algorithm_indicators import _register
from pylean.algorithm_state import state_of
from pylean.consolidators import IdentityDataConsolidator, TradeBarConsolidator
from pylean.consolidators.batched import _SmaSeries
from pylean.data.market_data import TradeBar
from pylean.data.slice import Slice, quote_bar_at, shares_trade_bars, trade_bar_at, user_configs
from pylean.enums import Resolution
from pylean.indicators import ExponentialMovingAverage, SimpleMovingAverage
from pylean.timeutil import ms_to_local

ACTIONS = ["window", "previous", "sum", "compare", "update", "reset", "updated", "register", "remove", "str",
           "held_window", "held_event", "held_bars", "held_consolidated"]


class _Algorithm:
    pass


def point(p: Any) -> Any:
    return None if p is None else (p.time, p._value, str(p._value))


def bar_of(bar: Any) -> Any:
    return None if bar is None else (bar.time, bar.end_time, bar.symbol, bar.open, bar.high, bar.low, bar.close,
                                     bar.volume, bar.is_fill_forward)


def indicator_state(indicator: Any) -> Any:
    """Everything an indicator holds (read after the run: a batched one commits first)."""
    state: list[Any] = [type(indicator).__name__, indicator.samples, indicator.is_ready,
                        [point(p) for p in indicator.window], indicator.window.samples,
                        point(indicator.window._removed),
                        sorted((str(s), point(p)) for s, p in indicator._previous_input.items())]
    if isinstance(indicator, SimpleMovingAverage):
        inputs = indicator._inputs
        rolling_sum = indicator.rolling_sum
        state += [[point(p) for p in inputs], inputs.samples, point(inputs._removed), str(rolling_sum._sum),
                  indicator_state(rolling_sum)]
    elif isinstance(indicator, ExponentialMovingAverage):
        state.append(indicator_state(indicator._initial_sma))
    return state


def run(batch: bool, seed: int, day_indexes: list[int], windows: list[list[int]], layout: list[list[list[Any]]],
        read_share: float, events: list[tuple[float, str, int]], gap: float, ff_share: float,
        share_bars: bool) -> list[Any]:
    rng = random.Random(seed)
    rt = FakeRuntime()
    manager = rt.subscription_manager
    manager._batch_enabled = batch
    algorithm = _Algorithm()
    state_of(algorithm).ctx = rt
    configs = [rt.subscribe(symbol, Resolution.SECOND) for symbol in (SPY, AAPL)]
    log: list[Any] = []
    indicators: list[Any] = []
    consolidators: list[Any] = []
    kept: deque[Any] = deque(maxlen=3)  # points user code holds on to
    reads = random.Random(seed + 1)
    state = {"k": -1}

    def read(where: str) -> None:
        for number, indicator in enumerate(indicators):
            if reads.random() < read_share:
                current = indicator.current
                double = current.value.hex() if reads.random() < 0.5 else None  # the double, now and then
                log.append((where, state["k"], number, point(current), double, indicator.is_ready,
                            indicator.samples, [current is p for p in kept]))
                if reads.random() < 0.3:  # operators on `current` (served too)
                    first, last = indicators[0], indicators[-1]
                    log.append((indicator > first, indicator <= last, indicator == 100.25, indicator != first,
                                indicator >= 99.5, indicator < 101, float(indicator), str(indicator)))
                kept.append(current)

    held: dict[int, Any] = {}  # what user code took before the run: indicators' and consolidators' windows, events
    for config_index, groups in enumerate(layout):
        symbol = configs[config_index].symbol
        period = TradeBarConsolidator(timedelta(seconds=5))
        period.data_consolidated += lambda sender, bar: read("handler")
        for group in groups:
            consolidator = IdentityDataConsolidator(TradeBar)
            consolidators.append((symbol, consolidator))
            for kind, length in group:
                indicator = SimpleMovingAverage(length) if kind == "sma" else ExponentialMovingAverage(length)
                indicators.append(indicator)
                _register(algorithm, symbol, indicator, consolidator, None)
            if not group:
                manager.add_consolidator(symbol, consolidator)
            held.setdefault("bars", []).append(consolidator.window)
            held.setdefault("consolidated", []).append(consolidator.data_consolidated)
        manager.add_consolidator(symbol, period)
        manager.add_consolidator(symbol, TradeBarConsolidator(7))
    held["windows"] = [indicator.window for indicator in indicators]
    held["events"] = [indicator.updated for indicator in indicators]
    blocks = [build_block(DAYS[d], windows[i], rng, configs, gap, ff_share, False) for i, d in enumerate(day_indexes)]
    total = sum(block.n_steps for block in blocks)
    due = sorted((int(fraction * total), action, target) for fraction, action, target in events)
    step = 0
    for block in blocks:
        times = block.times_ms.tolist()
        for k in range(block.n_steps):
            local = ms_to_local(times[k])
            state["k"] = step
            rt.cursor.time = local
            manager.scan(local)
            rt.cursor.block, rt.cursor.k, rt.cursor.time = block, k, local
            pairs = user_configs(block, rt.feed.configs, "any")
            shared = (Slice(local, block, k, rt.feed.configs).bars
                      if share_bars and shares_trade_bars(block, rt.feed.configs) else None)
            manager.feed_step(pairs, shared, trade_bar_at, quote_bar_at, k, local, block)
            manager.scan(local)
            read("after")
            while due and due[0][0] == step:
                _, action, target = due.pop(0)
                if indicators:
                    log.append(act(action, indicators[target % len(indicators)], indicators, consolidators, target,
                                   local, algorithm, manager, kept, held))
            step += 1
    log.append(("end", [indicator_state(i) for i in indicators],
                [(c.window.samples, [bar_of(b) for b in c.window], bar_of(c.consolidated), bar_of(c.working_data))
                 for _, c in consolidators]))
    return log


def act(action: str, indicator: Any, indicators: list[Any], consolidators: list[Any], target: int, local: Any,
        algorithm: Any, manager: Any, kept: deque[Any], held: dict[str, Any]) -> Any:
    """Something user code does besides reading `current`; what it saw."""
    if action in ("held_window", "held_event") and held["windows"]:
        number = target % len(held["windows"])
        if action == "held_window":
            window = held["windows"][number]
            return action, window.count, window.samples, [point(p) for p in window], [[p is q for q in kept]
                                                                                       for p in window]
        seen: list[Any] = []
        event = held["events"][number]
        event += lambda sender, p: seen.append(point(p))
        return action, seen
    if action in ("held_bars", "held_consolidated") and held.get("bars"):
        number = target % len(held["bars"])
        if action == "held_bars":
            window = held["bars"][number]
            return action, window.count, window.samples, [bar_of(b) for b in window]
        bars: list[Any] = []
        event = held["consolidated"][number]
        event += lambda sender, bar: bars.append(bar_of(bar))
        return action, bars
    if action == "window":
        return action, [point(p) for p in indicator.window], [[p is q for q in kept] for p in indicator.window]
    if action == "previous":
        return action, point(indicator.previous), [indicator.previous is q for q in kept]
    if action == "sum":
        if isinstance(indicator, SimpleMovingAverage):
            return action, point(indicator.rolling_sum.current), indicator.rolling_sum.samples
        return action, point(indicator._initial_sma.current)
    if action == "compare":
        other = indicators[(target + 1) % len(indicators)]
        return action, indicator > other, indicator == other, float(indicator), str(indicator)
    if action == "update":
        return action, indicator.update(local, 101.25)
    if action == "reset":
        indicator.reset()
        return (action,)
    if action == "updated":
        seen: list[Any] = []
        indicator.updated += lambda sender, p: seen.append(point(p))
        return action, seen  # filled as it fires: the log holds the list
    if action == "register":
        symbol, consolidator = consolidators[target % len(consolidators)]
        added = SimpleMovingAverage(3)
        indicators.append(added)
        _register(algorithm, symbol, added, consolidator, None)
        return (action,)
    if action == "remove":
        symbol, consolidator = consolidators[target % len(consolidators)]
        manager.remove_consolidator(symbol, consolidator)
        return (action,)
    return action, repr(indicator), indicator.name


averages = st.tuples(st.sampled_from(["sma", "ema"]), st.sampled_from([1, 2, 3, 10, 30]))


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2 ** 32), day_indexes=st.lists(st.integers(0, len(DAYS) - 1), min_size=1, max_size=2),
       windows=st.lists(st.lists(st.integers(0, len(WINDOWS) - 1), min_size=1, max_size=1),
                        min_size=3, max_size=3),
       layout=st.lists(st.lists(st.lists(averages, max_size=3), max_size=3), min_size=2, max_size=2),
       read_share=st.sampled_from([0.0, 0.05, 0.5, 1.0]),
       events=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(ACTIONS), st.integers(0, 20)), max_size=5),
       gap=st.sampled_from([0.0, 0.05, 0.4, 0.9]), ff_share=st.sampled_from([0.0, 0.3]), share_bars=st.booleans())
def test_batched_identity_consolidators_match_the_step_path(seed: int, day_indexes: list[int],
                                                            windows: list[list[int]], layout: list[Any],
                                                            read_share: float, events: list[Any], gap: float,
                                                            ff_share: float, share_bars: bool) -> None:
    day_indexes = sorted(set(day_indexes))
    args = (seed, day_indexes, windows, layout, read_share, events, gap, ff_share, share_bars)
    stepwise = run(False, *args)
    assert run(True, *args) == stepwise


def test_batched_groups_are_detached_and_match() -> None:
    """A plain run (every indicator read every step, nothing else): the groups stay detached all day long and
    the reads and final states are those of the step path."""
    args = (5, [0, 2], [[0, 3], [2], [0]], [[[("sma", 10), ("ema", 3)], [("ema", 30)]], [[("sma", 2)]]], 1.0, [],
            0.0, 0.3, True)
    detached: list[bool] = []
    original = SimpleMovingAverage._update

    def counting(self: Any, data: Any) -> None:
        detached.append(False)
        original(self, data)
    SimpleMovingAverage._update = counting  # type: ignore[method-assign]
    try:
        batched = run(True, *args)
        batched_updates = len(detached)
        detached.clear()
        stepwise = run(False, *args)
    finally:
        SimpleMovingAverage._update = original  # type: ignore[method-assign]
    assert batched == stepwise
    assert sum(1 for entry in batched if entry[0] == "after") > 1000
    assert batched_updates < len(detached) / 10


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2 ** 32), periods=st.lists(st.sampled_from([1, 2, 7, 10, 30, 64]), min_size=1, max_size=3),
       ff_share=st.sampled_from([0.0, 0.3]))
def test_sma_doubles_from_integers_match_the_step_path(seed: int, periods: list[int], ff_share: float) -> None:
    """Long days of prices of two decimals read every step: the SMAs' doubles come from integer totals
    (batched._SmaSeries.doubles) and are those of the step path."""
    args = (seed, [0, 1], [[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]],
            [[[("sma", period) for period in periods], [("ema", 3)]], [[("sma", periods[0])]]], 1.0, [], 0.0,
            ff_share, True)
    taken: list[bool] = []
    original = _SmaSeries._day_doubles

    def counting(self: Any, bars: Any) -> Any:
        found = original(self, bars)
        taken.append(len(found[0]) > 0)
        return found
    _SmaSeries._day_doubles = counting  # type: ignore[method-assign]
    try:
        batched = run(True, *args)
    finally:
        _SmaSeries._day_doubles = original  # type: ignore[method-assign]
    assert batched == run(False, *args)
    if not ff_share:  # (fill-forward may repeat the day's carried row, whose price has many decimals)
        assert any(taken)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2 ** 32),
       layout=st.lists(st.tuples(st.sampled_from(["sma", "ema"]), st.sampled_from([1, 3, 30, 255, 300])),
                       min_size=1, max_size=3),
       read_share=st.sampled_from([0.5, 1.0]),
       events=st.lists(st.tuples(st.floats(0.3, 0.99), st.sampled_from(ACTIONS), st.integers(0, 20)), max_size=2))
def test_long_days_trimmed_then_committed_match_the_step_path(seed: int, layout: list[Any], read_share: float,
                                                              events: list[Any]) -> None:
    """Days of 700 steps read all along: the detached series drop the outputs no later read or commit can reach
    (batched trim), then a user action late in the day (or the final state) commits them."""
    args = (seed, [1], [[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]], [[layout], [[("sma", 30)]]], read_share,
            events, 0.0, 0.0, True)
    assert run(True, *args) == run(False, *args)


def test_a_read_far_past_the_points_made_serves_its_own_step() -> None:
    """An indicator read early, then next read more than a chunk later (while its group's other members were read
    all along): its points are dropped up to those made, not past them (found by the test above: the read then
    got the previous bar's point)."""
    for seed in (1844761, 7):
        args = (seed, [1], [[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]],
                [[[("sma", 5), ("sma", 1), ("ema", 1)]], [[("sma", 30)]]], 0.5, [], 0.0, 0.0, True)
        assert run(True, *args) == run(False, *args)
