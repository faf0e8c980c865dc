"""enable_perf_opt twins: every optimized ZacQC component gives bit-identical results to its legacy twin.

Property tests on randomized inputs with session edges (09:30:00, pre-market bars on extended data, the last
15 s before the close, an early close), multi-day windows and missing data (gaps, whole missing days):
today's new low/high and max-down kernels, the rally gates, the daily bars (pylean's market-hours-aware daily
consolidator vs DailyBarBuilder), the two data managers with their metrics, the daily P&L check, the history
readers and the condition state machines. Deterministic: derandomized, no example database.

The data managers agree at every step when each session's data has a bar ending at the close (what Lean's
fill-forward gives ZacQC's second subscription). Without one they can differ after the close; the two known
cases are pinned by strict xfail tests with minimal inputs.
"""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, example, find, given, settings
from hypothesis import strategies as st
from perf_twins_support import (ANCHORS, FIFTEEN_SECONDS, SYMBOL, TRADING_DAYS, BarColumns, CheckerTwin, Cluster,
                                RiskTwin, day_times, engine_steps, fast_daily_events, flush_day_bars,
                                history_frame, history_records, legacy_daily_events, legacy_manager, manager_state,
                                outcome, random_walk_bars, record_key, second_bar, session_close,
                                sessions_without_a_closing_bar, streaming_manager)
from zac_fakes import bar15

from config.parameters import CONDITIONS, TradingParameters
from core.kernels import (FAST, LEGACY, fast_history_records, fast_max_down, fast_today_new_extreme,
                          legacy_history_records, legacy_max_down, legacy_today_new_extreme, split_history_frame)
from core.numeric import _long_loop, _short_loop
from data.metrics import MetricsCalculator, StreamingMetricsCalculator
from management.rally_detector import MAX_SAMPLES, RallyDetector, RingRallyDetector
from management.risk_manager import IncrementalRiskManager, RiskManager
from trading.conditions import ConditionsChecker, FastConditionsChecker

TWINS = settings(derandomize=True, database=None, deadline=None, print_blob=False,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SEEDS = st.integers(0, 2**32 - 1)
FINDING = settings(TWINS, max_examples=2000, phases=[Phase.generate])  # coverage checks of the generators
NO_SHRINK = (Phase.explicit, Phase.generate)


# ------------------------------------------------------------------ 1-2. today's new low/high, max-down
WINDOW_DAYS = (date(2025, 11, 21), date(2025, 11, 24), date(2025, 11, 25))  # a Friday, then Monday, Tuesday
EDGE_TIMES = (time(4), time(9, 29, 15), time(9, 29, 45), time(9, 30), time(9, 30, 15), time(12), time(15, 59, 30),
              time(15, 59, 45), time(16), time(19, 59, 45))
SHAPES = ("random", "new_low", "tie_low", "new_high", "tie_high")


@st.composite
def windows(draw: Any) -> tuple[list[Any], date, datetime]:
    """A 15-s window, newest first and in time order, over 1-3 dates with gaps; `today` and `now` after it."""
    n = draw(st.integers(0, 45))
    day = draw(st.integers(0, 2))
    clock = datetime.combine(WINDOW_DAYS[day], draw(st.sampled_from(EDGE_TIMES)))
    starts = []
    for _ in range(n):
        starts.append(clock)
        move = draw(st.sampled_from(("next", "next", "next", "next", "gap", "day")))
        if move == "day" and day < 2:
            day += 1
            clock = datetime.combine(WINDOW_DAYS[day], draw(st.sampled_from(EDGE_TIMES)))
        else:
            clock += FIFTEEN_SECONDS * (draw(st.integers(2, 40)) if move == "gap" else 1)
    lows = draw(st.lists(st.integers(0, 8), min_size=n, max_size=n))
    spreads = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    highs = [low + spread for low, spread in zip(lows, spreads)]
    shape = draw(st.sampled_from(SHAPES))
    if n >= 3 and shape != "random":   # index n-2 (oldest first) is the second-most-recent bar
        older_lows, older_highs = lows[:n - 2], highs[:n - 2]
        if shape.endswith("low"):
            lows[n - 2] = min(older_lows) - (1 if shape == "new_low" else 0)
        else:
            highs[n - 2] = max(older_highs) + (1 if shape == "new_high" else 0)
    bars = [bar15(SYMBOL, t, 100 + (low + high) / 200, 100 + high / 100, 100 + low / 100, 100 + low / 100)
            for t, low, high in zip(starts, lows, highs)]
    newest = starts[-1].date() if starts else WINDOW_DAYS[0]
    today = newest + timedelta(days=draw(st.sampled_from((0, 0, 0, 1))))
    now = datetime.combine(today, draw(st.sampled_from(EDGE_TIMES)))
    return bars[::-1], today, now


PRE_OPEN_THEN_NEW_LOW = ([bar15(SYMBOL, datetime(2025, 11, 25, 9, 29, 45) + FIFTEEN_SECONDS * i, 100, 101, low, 100)
                          for i, low in enumerate((99.5, 99.0, 99.2, 98.9, 99.3))][::-1],
                         date(2025, 11, 25), datetime(2025, 11, 25, 9, 31, 1))


@settings(TWINS, max_examples=400)
@given(windows())
@example(PRE_OPEN_THEN_NEW_LOW)   # oldest bar today but before 09:30: the fast kernel's legacy fallback
def test_today_new_low_and_high_match(case: tuple[list[Any], date, datetime]) -> None:
    bars, today, _ = case
    data = BarColumns.of(bars)
    for low in (True, False):
        assert fast_today_new_extreme(data, today, low) == legacy_today_new_extreme(data, today, low), low


@settings(TWINS, max_examples=150)
@given(windows(), st.integers(3, 45))
def test_today_new_low_and_high_match_as_bars_arrive(case: tuple[list[Any], date, datetime], size: int) -> None:
    """The fast kernel's memo (per newest bar and day) on a window filled bar by bar, asked on the bar's date
    and the next one, each twice."""
    bars, _, _ = case
    data = BarColumns(size)
    for bar in reversed(bars):
        data.push(bar)
        for today in (bar.time.date(), bar.time.date() + timedelta(days=1), bar.time.date()):
            for low in (True, False, True):
                assert fast_today_new_extreme(data, today, low) == legacy_today_new_extreme(data, today, low)


def takes_the_fast_path(case: tuple[list[Any], date, datetime]) -> bool:
    bars, today, _ = case
    return len(bars) >= 3 and bars[-1].time.date() == today and bars[-1].time.time() >= time(9, 30)


@pytest.mark.parametrize("low", [True, False])
def test_the_windows_reach_the_fast_path_with_a_new_extreme(low: bool) -> None:
    """The property above is only as good as its windows: some take the fast kernel's column path and fire."""
    found = find(windows(), lambda case: takes_the_fast_path(case)
                 and fast_today_new_extreme(BarColumns.of(case[0]), case[1], low), settings=FINDING)
    assert len(found[0]) >= 3


@settings(TWINS, max_examples=400)
@given(windows())
def test_max_down_linear_scan_matches_the_quadratic_one(case: tuple[list[Any], date, datetime]) -> None:
    bars, _, now = case
    assert outcome(fast_max_down, bars, now) == outcome(legacy_max_down, bars, now)


def test_the_windows_reach_a_max_down() -> None:
    found = find(windows(), lambda case: legacy_max_down(case[0], case[2]) < 0, settings=FINDING)
    assert len(found[0]) >= 2


# ------------------------------------------------------------------ 3. rally gates
RALLY_DAYS = (date(2025, 11, 24), date(2025, 11, 25), date(2025, 11, 28))
RALLY_STARTS = (time(9, 29, 50), time(9, 30), time(11), time(13, 30), time(15, 58, 50))
RALLY_STEPS = (0, 1, 1, 1, 2, 15, 60, 900)   # 0: the same time again
MRPS = (None, 0.0, -0.5, 0.3, 1.0, 2.0, 5.0, 10.0)
RANGE_MULTS = (0.0, 1.0, 1.3, 1.31, 3.0)
EXTREMES = {"numpy": None, "python loops": (_long_loop, _short_loop)}   # the loops are what numba compiles


class SmallRing(RingRallyDetector):
    """The ring with a capacity just above MAX_SAMPLES: it compacts every few samples once full."""

    CAPACITY = MAX_SAMPLES + 7


@st.composite
def rally_feeds(draw: Any) -> dict[str, Any]:
    """1-s samples (time, high, low, close, open) over sessions and days, with resets and perhaps a zero low."""
    segment = st.tuples(st.sampled_from(RALLY_DAYS), st.sampled_from(RALLY_STARTS), st.integers(0, 1800),
                        st.integers(1, 400), st.sampled_from(RALLY_STEPS))
    long_run = st.tuples(st.sampled_from(RALLY_DAYS), st.sampled_from(RALLY_STARTS[:3]), st.integers(0, 600),
                         st.integers(0, 1300), st.sampled_from((0, 1, 1, 2)))   # enough to fill 960 samples
    segments = [draw(long_run)] + draw(st.lists(segment, max_size=3))
    times = sorted(datetime.combine(day, start) + timedelta(seconds=offset + k * step)
                   for day, start, offset, count, step in segments for k in range(count))
    rng = random.Random(draw(SEEDS))
    last = max(0, len(times) - 1)
    zero_low_at = draw(st.none() | st.integers(0, last))
    samples, cents = [], 10_000
    for i, t in enumerate(times):
        cents = max(3, cents + rng.randint(-4, 4))
        high, low = cents + rng.choice((0, 0, 1, 2)), cents - rng.choice((0, 0, 1, 2))
        samples.append((t, high / 100, 0.0 if i == zero_low_at else low / 100, cents / 100, cents / 100))
    return {"samples": samples, "resets": draw(st.sets(st.integers(0, last), max_size=3)),
            "gates": draw(st.lists(st.tuples(st.sampled_from(MRPS), st.sampled_from(RANGE_MULTS)),
                                   min_size=2, max_size=3, unique=True)),
            "ring": draw(st.sampled_from((SmallRing, SmallRing, RingRallyDetector))),
            "extremes": draw(st.sampled_from(sorted(EXTREMES)))}


def make_ring(ring_class: type, extremes: str) -> RingRallyDetector:
    chosen = EXTREMES[extremes]
    return ring_class(PARAMS) if chosen is None else ring_class(PARAMS, chosen)


PARAMS = TradingParameters()


def assert_same_samples(legacy: RallyDetector, ring: RingRallyDetector) -> None:
    live = legacy.samples
    start, end = ring.start, ring.end
    assert end - start == len(live)
    assert ring.times[start:end] == [s.time for s in live]
    assert ring.highs[start:end].tolist() == [s.high for s in live]
    assert ring.lows[start:end].tolist() == [s.low for s in live]


def assert_same_gates(legacy: RallyDetector, ring: RingRallyDetector, gates: list[tuple[Any, float]]) -> None:
    for mrp, mult in gates:
        expected = (legacy.long_gate(mrp, mult), legacy.short_gate(mrp, mult))
        assert (ring.long_gate(mrp, mult), ring.short_gate(mrp, mult)) == expected, (mrp, mult)
        assert (ring.long_gate(mrp, mult), ring.short_gate(mrp, mult)) == expected, (mrp, mult, "memo")


@settings(TWINS, max_examples=30, phases=NO_SHRINK)   # seed-driven samples: shrinking would not simplify them
@given(rally_feeds())
def test_ring_rally_gates_match_the_list_detector(feed: dict[str, Any]) -> None:
    legacy, ring = RallyDetector(PARAMS, memoize=False), make_ring(feed["ring"], feed["extremes"])
    for i, (t, high, low, close, open_) in enumerate(feed["samples"]):
        if i in feed["resets"]:
            legacy.reset()
            ring.reset()
        legacy.add_sample(t, high, low, close, open_)
        ring.add_sample(t, high, low, close, open_)
        assert_same_samples(legacy, ring)
        assert_same_gates(legacy, ring, feed["gates"])
    assert [(s.time, s.high, s.low) for s in ring.samples] == [(s.time, s.high, s.low) for s in legacy.samples]


def test_ring_rally_over_a_long_session_compacts_at_its_real_capacity() -> None:
    """4,000 in-session samples (past the 960-sample cap and the 3,840-slot ring), gates after every one."""
    rng = random.Random(7)
    legacy, ring = RallyDetector(PARAMS, memoize=False), RingRallyDetector(PARAMS)
    start, cents, compactions = datetime(2025, 11, 24, 9, 30), 10_000, 0
    for i in range(4_000):
        cents = max(3, cents + rng.randint(-3, 3))
        t = start + timedelta(seconds=i)
        sample = (t, (cents + rng.choice((0, 1))) / 100, cents / 100, cents / 100, cents / 100)
        end_before = ring.end
        legacy.add_sample(*sample)
        ring.add_sample(*sample)
        compactions += ring.end < end_before
        assert_same_samples(legacy, ring)
        assert_same_gates(legacy, ring, [(5.0, 1.0)])
    assert compactions == 1 and len(legacy.samples) == MAX_SAMPLES


# ------------------------------------------------------------------ 4, 7. daily bars; data managers, metrics
def idle_times(day: date) -> list[datetime]:
    """Steps without a bar of ours (other symbols' data): at the open, mid-day, at and after the close."""
    close = session_close(day)
    return [datetime.combine(day, time(9, 30)), datetime.combine(day, time(9, 30, 1)),
            datetime.combine(day, time(12, 0, 7)), close, close + timedelta(seconds=1), close + FIFTEEN_SECONDS,
            datetime.combine(day, time(16)), datetime.combine(day, time(16, 0, 1)), datetime.combine(day, time(20))]


@st.composite
def second_bar_sessions(draw: Any, reach_close: bool | None) -> tuple[list[Any], list[datetime]]:
    """1-s bars over 1-4 of the trading days (the others missing), in clusters at the session edges with gaps.

    `reach_close`: every session with data has its bar ending at the close (what fill-forward guarantees);
    None lets a session's data stop anywhere.
    """
    days = sorted(draw(st.sets(st.sampled_from(TRADING_DAYS), min_size=1, max_size=4)))
    extended = draw(st.booleans())
    anchors = ANCHORS if extended else ("open", "midday", "close")
    offsets = st.sampled_from((0, 1, 14, 15, 29, 30, 31)) | st.integers(0, 60)   # edges: 09:30:00, close - 15 s
    clusters = st.builds(Cluster, st.sampled_from(anchors), offsets, st.integers(1, 40), st.integers(1, 20))
    times: list[datetime] = []
    for day in days:
        reaches = draw(st.booleans()) if reach_close is None else reach_close
        times += day_times(day, draw(st.lists(clusters, max_size=4)), reaches)
    idle = draw(st.lists(st.sampled_from([t for day in TRADING_DAYS for t in idle_times(day)]), max_size=6))
    return random_walk_bars(times, random.Random(draw(SEEDS))), idle


def daily_values(events: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [event[2:] for event in events if event[1] == "daily"]


@settings(TWINS, max_examples=300)
@given(second_bar_sessions(reach_close=True))
def test_daily_bar_builder_emits_what_the_daily_consolidator_emits_at_the_same_step(
        case: tuple[list[Any], list[datetime]]) -> None:
    steps = engine_steps(*case)
    legacy = legacy_daily_events(steps)
    assert fast_daily_events(steps) == legacy   # (step, '15s', start, end) / (step, 'daily', time, o, h, l, c, v)
    sessions = {bar.time.date() for bar in case[0] if bar.time >= datetime.combine(bar.time.date(), time(9, 30))
                and bar.time < session_close(bar.time.date())}
    assert {values[0].date() for values in daily_values(legacy)} == sessions


@settings(TWINS, max_examples=200)
@given(second_bar_sessions(reach_close=None))
def test_daily_bar_values_match_when_sessions_stop_early(case: tuple[list[Any], list[datetime]]) -> None:
    """Data that stops before the close: the same daily bars once a later day has begun (timing: see below)."""
    bars, idle = case
    bars = bars + flush_day_bars(max(TRADING_DAYS))
    steps = engine_steps(bars, idle)
    assert daily_values(fast_daily_events(steps)) == daily_values(legacy_daily_events(steps))
    legacy, streaming = legacy_manager(), streaming_manager()
    for now, step_bars in steps:
        legacy.feed.step(now, step_bars)
        streaming.feed.step(now, step_bars)
    assert manager_state(streaming.manager)["daily"] == manager_state(legacy.manager)["daily"]


@settings(TWINS, max_examples=150)
@given(second_bar_sessions(reach_close=None))
def test_streaming_data_manager_matches_at_every_pipeline_cycle_when_sessions_stop_early(
        case: tuple[list[Any], list[datetime]]) -> None:
    """Data that stops anywhere: at every cycle the pipeline runs (a new, fresh 15-s bar: DataManager.on_data)
    both managers hold the same state, except from the close to the end of a day whose data has no bar ending
    at the close (the two known divergences below)."""
    bars, idle = case
    legacy, streaming = legacy_manager(), streaming_manager()
    legacy.manager.accept_history([])
    streaming.manager.accept_history([])
    unclosed = sessions_without_a_closing_bar(bars)
    for now, step_bars in engine_steps(bars, idle):
        legacy.feed.step(now, step_bars)
        streaming.feed.step(now, step_bars)
        assert streaming.manager.has_new_bar == legacy.manager.has_new_bar
        if not legacy.manager.has_new_bar or (now.date() in unclosed and now >= session_close(now.date())):
            continue
        runs = legacy.manager.on_data(now)
        assert streaming.manager.on_data(now) == runs
        if runs:
            assert manager_state(streaming.manager) == manager_state(legacy.manager)


def run_both_managers(steps: list[tuple[datetime, list[Any]]]) -> tuple[Any, Any]:
    legacy, streaming = legacy_manager(), streaming_manager()
    for now, bars in steps:
        legacy.feed.step(now, bars)
        streaming.feed.step(now, bars)
    return legacy.manager, streaming.manager


def test_session_stopped_early_is_flushed_before_the_next_days_first_bar() -> None:
    """Monday's data stops at 15:59:01; Tuesday opens at 09:30:00. Lean emits Monday's bar at Tuesday's first
    step; the streaming manager when Tuesday's first 15-s bar arrives (as DailyBarBuilder documents), but
    before that bar enters the window, so the 16:00 clean-up keeps it, as in the legacy window."""
    bars = [second_bar(datetime(2025, 11, 24, 15, 59), 100, 101, 99, 100, 10),
            second_bar(datetime(2025, 11, 25, 9, 30), 102, 103, 101, 102, 20),
            second_bar(datetime(2025, 11, 25, 9, 30, 15), 104, 105, 103, 104, 30)]
    legacy, streaming = run_both_managers(engine_steps(bars, []))
    assert [b.time for b in legacy.window] == [datetime(2025, 11, 25, 9, 30), datetime(2025, 11, 24, 15, 59)]
    assert manager_state(streaming) == manager_state(legacy)


def at_the_cycle_after_the_close(bars: list[Any], step: datetime) -> tuple[Any, Any]:
    """Both managers after the time step `step` (another symbol's bar) that follows Tuesday's close."""
    legacy, streaming = run_both_managers(engine_steps(bars, [step]))
    for manager in (legacy, streaming):   # the pipeline runs this cycle: a new, fresh 15-s bar
        manager.history_loaded = True
        assert manager.has_new_bar and manager.on_data(step)
    return legacy, streaming


@pytest.mark.xfail(strict=True, reason="data stopping before the session's last 15 s: Lean's daily consolidator "
                   "emits the session at the first step after the close, with the session's last (fresh) 15-s bar, "
                   "so that cycle sees it in the daily bars (range30, volume7, gap); DailyBarBuilder only with the "
                   "next day's first 15-s bar")
def test_cycle_after_the_close_of_a_session_whose_data_stopped_early() -> None:
    bars = [second_bar(datetime(2025, 11, 25, 9, 30), 100, 101, 99, 100, 10),
            second_bar(datetime(2025, 11, 25, 15, 59, 29), 102, 103, 101, 102, 20)]
    legacy, streaming = at_the_cycle_after_the_close(bars, datetime(2025, 11, 25, 16, 0, 20))
    assert len(legacy.daily) == 1
    assert manager_state(streaming) == manager_state(legacy)


@pytest.mark.xfail(strict=True, reason="data reaching the session's last 15 s but with no 1-s bar ending at the "
                   "close, on a day after an earlier daily bar: pylean's scan schedule (consolidator wrapper: last "
                   "output + 6.5 h) does not scan the daily consolidator at the first step after the close, so the "
                   "legacy bar and its 16:00 clean-up wait for the next bar of the symbol; DailyBarBuilder emits and "
                   "cleans up with the 15:59:45 bar, which that cycle reads")
def test_cycle_after_the_close_of_a_session_without_a_closing_bar() -> None:
    bars = [second_bar(datetime(2025, 11, 24, 15, 59, 59), 100, 101, 99, 100, 10),
            second_bar(datetime(2025, 11, 25, 9, 30), 100, 101, 99, 100, 10),
            second_bar(datetime(2025, 11, 25, 15, 59, 50), 102, 103, 101, 102, 20)]
    legacy, streaming = at_the_cycle_after_the_close(bars, datetime(2025, 11, 25, 16, 0, 5))
    assert len(legacy.window) == 3 and len(legacy.daily) == 1
    assert manager_state(streaming) == manager_state(legacy)


SHARP_MINUTES = (0, 1, 4)


@settings(TWINS, max_examples=150)
@given(second_bar_sessions(reach_close=True), st.sampled_from(SHARP_MINUTES), st.integers(0, 40), SEEDS)
def test_streaming_data_manager_and_metrics_match_the_legacy_ones(case: tuple[list[Any], list[datetime]],
                                                                  sharp_minutes: int, history_days: int,
                                                                  seed: int) -> None:
    """Both data managers on their own consolidators, stepped together: the same handler calls at the same
    steps, the same state after every step, the same metrics and condition kernels on it."""
    params = TradingParameters(SharpMovement_Minutes=sharp_minutes)
    legacy, streaming = legacy_manager(), streaming_manager()
    history = history_records(history_days, random.Random(seed))
    legacy.manager.accept_history([replace(r) for r in history])
    streaming.manager.accept_history([replace(r) for r in history])
    legacy_metrics = MetricsCalculator(legacy.manager, params)
    streaming_metrics = StreamingMetricsCalculator(streaming.manager, params)
    reset_days: set[date] = set()
    for now, bars in engine_steps(*case):
        if now.time() >= time(15, 59) and now.date() not in reset_days:   # the 15:59 end-of-day event, which
            reset_days.add(now.date())                                     # fires before the step's bars
            legacy.manager.reset_day()
            streaming.manager.reset_day()
        legacy.feed.step(now, bars)
        streaming.feed.step(now, bars)
        assert streaming.log == legacy.log
        assert manager_state(streaming.manager) == manager_state(legacy.manager)
        window = streaming.manager.window
        assert list(streaming.manager.highs) == [b.high for b in window]
        assert list(streaming.manager.lows) == [b.low for b in window]
        price = bars[0].close if bars else 100.0
        assert outcome(streaming_metrics.calculate_all, now, price) == outcome(legacy_metrics.calculate_all, now,
                                                                               price)
        for low in (True, False):
            assert FAST.today_new_extreme(streaming.manager, now.date(), low) == \
                LEGACY.today_new_extreme(legacy.manager, now.date(), low)
        assert FAST.max_down(window, now) == LEGACY.max_down(legacy.manager.window, now)


# ------------------------------------------------------------------ 5. daily P&L check
RISK_START = datetime(2025, 11, 24, 9, 30)
CENTS = st.integers(1, 20_000).map(lambda c: c / 100 + 90)   # 90.01 .. 290.00 on the cent grid
RISK_OPS = st.one_of(
    st.tuples(st.just("fill"), st.integers(0, 2), st.integers(-1500, 1500).filter(bool), CENTS, st.booleans()),
    st.tuples(st.just("close"), st.integers(0, 2), st.just(0), CENTS, st.booleans()),
    st.tuples(st.just("price"), st.integers(0, 2), CENTS),
    st.tuples(st.just("clock"), st.sampled_from((0, 1, 15, 3600, 6 * 3600, 86_400, 3 * 86_400))),
    st.tuples(st.just("reset")),
    st.tuples(st.sampled_from(("pct", "limit", "validate"))),
)


@settings(TWINS, max_examples=400, phases=NO_SHRINK)   # shrinking long operation lists takes minutes
@given(st.lists(RISK_OPS, min_size=20, max_size=80), st.sampled_from((0.27, 0.05, 0.0, -1.0)),
       st.lists(CENTS, min_size=1, max_size=3))
def test_incremental_risk_manager_matches_the_full_scan(ops: list[tuple[Any, ...]], target: float,
                                                         prices: list[float]) -> None:
    params = TradingParameters(Max_Daily_PNL=target)
    legacy = RiskTwin(RiskManager, params, prices, RISK_START)
    incremental = RiskTwin(IncrementalRiskManager, params, prices, RISK_START)
    for op in ops:
        assert incremental.apply(op) == legacy.apply(op), op
        assert incremental.state() == legacy.state(), op


def test_risk_reset_after_a_flat_profitable_day_is_seen_at_once() -> None:
    """A realized profit, flat, a P&L reading, the daily reset, then a reading: the reset must be seen."""
    ops = [("pct",), ("fill", 0, 1000, 100.0, True), ("close", 0, 0, 100.5, True), ("pct",), ("reset",), ("pct",),
           ("limit",)]
    legacy = RiskTwin(RiskManager, TradingParameters(), [100.0], RISK_START)
    incremental = RiskTwin(IncrementalRiskManager, TradingParameters(), [100.0], RISK_START)
    answers = [(incremental.apply(op), legacy.apply(op)) for op in ops]
    assert answers[3][1] == pytest.approx(0.1) and answers[5][1] == 0.0   # legacy: the reset moves the base
    assert [fast for fast, _ in answers] == [slow for _, slow in answers]
    assert incremental.state() == legacy.state()


@pytest.mark.parametrize("cash, fill", [(0.0, None), (-50_000.0, (0, 500, 100.0)), (-50_000.0, (0, 499, 100.0)),
                                         (1e-7, None), (50_000.0, (0, -500, 100.0))])
def test_risk_portfolio_value_near_zero_takes_the_legacy_reading(cash: float, fill: Any) -> None:
    """Cash plus holdings at, just above or around zero: the float bound must not stand in for the exact value,
    so both twins answer None where the portfolio value is zero and the same figure elsewhere."""
    twins = [RiskTwin(cls, TradingParameters(), [100.0], RISK_START) for cls in (RiskManager, IncrementalRiskManager)]
    answers = []
    for twin in twins:
        twin.algo.portfolio.cash = 100_000.0
        twin.apply(("pct",))                                   # the day's start value, on a normal portfolio
        if fill is not None:
            twin.apply(("fill", *fill, True))
        twin.algo.portfolio.cash = cash                        # then the value moves to (or near) zero,
        twin.epoch.bump()                                      # as cash does: with an order event
        answers.append([twin.apply(op) for op in (("clock", 1), ("pct",), ("price", 0, 100.5), ("pct",))])
    assert answers[0] == answers[1]
    if cash == 0.0 and fill is None:
        assert answers[0][1] is None


def test_the_risk_operations_reach_the_target() -> None:
    """Some operation lists liquidate at the target (handle_target_reached's market orders)."""
    def liquidates(ops: list[tuple[Any, ...]]) -> bool:
        twin = RiskTwin(IncrementalRiskManager, TradingParameters(), [100.0, 100.0, 100.0], RISK_START)
        for op in ops:
            twin.apply(op)
        return any(tag == "targetprofit" for *_, tag, _ in twin.state()["orders"])

    assert find(st.lists(RISK_OPS, max_size=60), liquidates, settings=FINDING)


# ------------------------------------------------------------------ 6. daily history
HISTORY_TICKERS = ("AAA", "BB", "CCCC")
PRICES = st.floats(0.01, 5_000, allow_nan=False) | st.integers(1, 500_000).map(lambda c: c / 100)
VOLUMES = st.integers(0, 2**62)


@st.composite
def history_frames(draw: Any) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """One frame per ticker and their concatenation (in ticker blocks or interleaved by time)."""
    sid_strings, extra = draw(st.booleans()), draw(st.booleans())
    tickers = draw(st.lists(st.sampled_from(HISTORY_TICKERS), min_size=1, max_size=3, unique=True))
    frames = {}
    for ticker in tickers:
        days = sorted(draw(st.sets(st.integers(0, 80), min_size=1, max_size=50)))
        rows = [(day,) + tuple(draw(PRICES) for _ in range(4)) + (draw(VOLUMES),) for day in days]
        frames[ticker] = history_frame(ticker, rows, draw(st.booleans()), sid_strings, extra)
    combined = pd.concat(list(frames.values()))
    if draw(st.booleans()):
        combined = combined.sort_index(level=1, sort_remaining=False)
    return frames, combined


@settings(TWINS, max_examples=120)
@given(history_frames())
def test_history_read_by_columns_matches_row_by_row(case: tuple[dict[str, pd.DataFrame], pd.DataFrame]) -> None:
    frames, combined = case
    for frame in frames.values():
        assert record_key(fast_history_records(frame)) == record_key(legacy_history_records(frame))
        single_level = frame.droplevel(0)
        assert record_key(fast_history_records(single_level)) == record_key(legacy_history_records(single_level))
    parts = split_history_frame(combined)
    first_seen = list(dict.fromkeys(str(getattr(k, "value", k)).split()[0] for k in combined.index.get_level_values(0)))
    assert list(parts) == first_seen
    for ticker, frame in frames.items():
        assert record_key(fast_history_records(parts[ticker])) == record_key(legacy_history_records(frame))


def test_empty_history() -> None:
    for frame in (None, pd.DataFrame()):
        assert fast_history_records(frame) == legacy_history_records(frame) == []
        assert split_history_frame(frame) == {}


# ------------------------------------------------------------------ 8. condition state machines
COND_DAY = date(2025, 11, 25)
IN_WINDOW = (time(10, 57), time(11, 30), time(12, 15), time(13, 59, 59))   # the default entry window 10:57-14:00
COND_TIMES = st.sampled_from(IN_WINDOW) | st.sampled_from((time(10, 56, 59), time(14), time(15, 58, 59),
                                                             time(15, 59), time(15, 59, 30)))
RANGE30S = st.sampled_from((1.0, 2.0, 0.5)) | st.sampled_from((None, 0.0, -1.0))
PCTS = st.sampled_from((-2.6, -1.2, -1.19, -0.6, 0.0, 0.6, 1.19, 1.2, 1.3, 2.6)) | st.integers(-300, 300).map(
    lambda c: c / 100)   # around the default thresholds at range30 1.0 (P1 120 %, P2 130 %, VWAP 55 %)
COOLDOWN_AGES = st.just(120) | st.sampled_from((0, 5, 10, 10.01, 30, 30.5))   # minutes since the last exit
MOSTLY = st.sampled_from((True, True, True, False))
GATE_ANSWERS = st.sampled_from(((True, False), (True, False), (False, False), (False, True), (True, True)))


@st.composite
def condition_cycles(draw: Any) -> dict[str, Any]:
    """Processed cycles of one day: new 15-s bars since the last one (perhaps none), the clock, metrics, cooldown
    ages, the risk gate and the rally answers."""
    counts = draw(st.lists(st.integers(0, 8), min_size=2, max_size=12))
    total = sum(counts)
    lows = draw(st.lists(st.integers(0, 6), min_size=total, max_size=total))
    highs = [low + spread for low, spread in zip(lows, draw(st.lists(st.integers(0, 3), min_size=total,
                                                                      max_size=total)))]
    seen = 0
    for count in counts:   # at some cycles the second-newest bar makes (or ties) a new low or high
        seen += count
        shape, step = draw(st.sampled_from(("low", "high", None))), draw(st.sampled_from((0, 1)))
        if count and seen >= 3 and shape == "low":
            lows[seen - 2] = min(lows[max(0, seen - 45):seen - 2]) - step
        if count and seen >= 3 and shape == "high":
            highs[seen - 2] = max(highs[max(0, seen - 45):seen - 2]) + step
    first = datetime.combine(COND_DAY, draw(st.sampled_from((time(9, 29, 45), time(9, 30), time(10, 30)))))
    bars = [bar15(SYMBOL, first + FIFTEEN_SECONDS * i, 100, 100 + h / 100, 100 + low / 100, 100)
            for i, (low, h) in enumerate(zip(lows, highs))]
    clocks = sorted(datetime.combine(COND_DAY, draw(COND_TIMES)) for _ in counts)
    cycles, seen = [], 0
    for count, now in zip(counts, clocks):
        cycles.append({
            "now": now, "new_bars": bars[seen:seen + count], "allowed": draw(MOSTLY),
            "metrics": {"range30": draw(RANGE30S), "percfromopen": draw(PCTS), "range_price": draw(PCTS),
                        "vwap_price": draw(PCTS), "range_attr": draw(PCTS),
                        "range_mult": draw(st.sampled_from((0.5, 1.3, 2.0)))},
            "ages": {c: draw(COOLDOWN_AGES) for c in CONDITIONS},
            "rally": {side: draw(GATE_ANSWERS) for side in ("long", "short")},
        })
        seen += count
    params = TradingParameters(C1=draw(MOSTLY), C2=draw(MOSTLY), C3=draw(MOSTLY), C4=draw(MOSTLY), C5=draw(MOSTLY),
                               SameConditionTimeC3=draw(st.sampled_from((0.0, 10.0, 30.0))),
                               Algo_Off_After=draw(st.sampled_from(("14:00", "16:00"))),
                               Parameter_3=draw(st.sampled_from((1.0, 300.0))))
    return {"params": params, "cycles": cycles}


@settings(TWINS, max_examples=300)
@given(condition_cycles())
def test_fast_conditions_checker_matches_the_legacy_one(case: dict[str, Any]) -> None:
    legacy = CheckerTwin(ConditionsChecker, LEGACY, case)
    fast = CheckerTwin(FastConditionsChecker, FAST, case)
    for index in range(len(case["cycles"])):
        assert fast.run(index) == legacy.run(index), index
