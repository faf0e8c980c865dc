"""Step time and algorithm time (pylean/algorithm_clock.py): what counts as the project's code, nesting,
per-step figures in the metrics file, and nothing wrapped when a run does not record.

Busy-waits of a known length make the assertions one-sided (time spent is at least the wait), so nothing
here depends on how fast the machine is.
"""
from __future__ import annotations

import functools
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pylean.algorithm_clock import AlgorithmClock, is_user_code, recording, registered_callable
from pylean.indicators.window import Event
from pylean.launcher import BacktestOptions, run_backtest
from pylean.run_metrics import LatencyRecorder, latency_summary
from support.lean_data import at, new_data_folder, write_algorithm, write_intraday

MONDAY = date(2013, 10, 7)
BUSY_MS = 2
BARS = [(at(9, 30 + i), 10, 11, 9, 10.5, 100) for i in range(20)]

HELPERS = '''
import functools, os, time, types
import pylean

def spin(ms):
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass

def as_engine_code(fn):
    """The same function, its code claiming to live inside the pylean package."""
    path = os.path.join(os.path.dirname(pylean.__file__), "engine_side.py")
    return types.FunctionType(fn.__code__.replace(co_filename=path), fn.__globals__, fn.__name__)

def slow_bar(algorithm, bar):
    algorithm.slow_bars += 1
    if algorithm.slow_bars <= 3:
        spin(BUSY_MS)
'''

CONSOLIDATOR_HANDLER = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.add_equity("ABC", Resolution.MINUTE)
        self.slow_bars = 0
        handler = as_engine_code(slow_bar) if ENGINE_SIDE else slow_bar
        self.consolidate("ABC", timedelta(minutes=5), functools.partial(handler, self))
"""

NESTED = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.add_equity("ABC", Resolution.MINUTE)
        self.slow_bars = 0
        self.private = IdentityDataConsolidator()  # not registered: only on_data feeds it
        self.private.data_consolidated += self.on_private_bar

    def on_private_bar(self, sender, bar):
        slow_bar(self, bar)

    def on_data(self, data):
        bar = data.bars.get("ABC")
        if bar is not None and not bar.is_fill_forward:
            self.private.update(bar)  # pylean code, which calls on_private_bar back
"""

EVERY_KIND = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        security = self.add_equity("ABC", Resolution.MINUTE)
        security.set_fill_model(SlowFillModel())
        self.model_class = SlowFillModel
        self.slow_bars = 0
        self.orders_placed = 0
        self.scheduled = []
        self.consolidator = TradeBarConsolidator(timedelta(minutes=5))
        self.consolidator.data_consolidated += self.on_five_minutes
        self.subscription_manager.add_consolidator("ABC", self.consolidator)
        self.event = self.schedule.on(self.date_rules.every_day(), self.time_rules.at(10, 0), self.at_ten)

    def on_five_minutes(self, sender, bar):
        slow_bar(self, bar)

    def at_ten(self, name, when):
        self.scheduled.append(when)
        spin(BUSY_MS)

    def on_data(self, data):
        if self.orders_placed < 2:
            self.orders_placed += 1
            self.stop_market_order("ABC", 10, 10.8)  # filled by the engine's scan on the next bar

    def on_order_event(self, order_event):
        pass


class SlowFillModel(EquityFillModel):
    def stop_market_fill(self, asset, order):
        spin(BUSY_MS)
        return super().stop_market_fill(asset, order)
"""


def _run(tmp_path: Path, lean_data: Path, name: str, body: str, engine_side: bool = False,
         metrics: bool = True) -> tuple[Any, dict[str, Any]]:
    folder = new_data_folder(tmp_path / "data", lean_data)
    write_intraday(folder, "minute", "ABC", MONDAY, BARS)
    path = write_algorithm(tmp_path, name, body)
    path.write_text(path.read_text().replace(
        "from AlgorithmImports import *\n",
        f"from AlgorithmImports import *\nBUSY_MS = {BUSY_MS}\nENGINE_SIDE = {engine_side}\n{HELPERS}\n"))
    metrics_path = tmp_path / "metrics.json" if metrics else None
    outcome = run_backtest(BacktestOptions(path, folder, tmp_path / "out", metrics_path=metrics_path))
    assert outcome.status == "Completed", (tmp_path / "out" / f"{name}-log.txt").read_text()
    return outcome, json.loads(metrics_path.read_text()) if metrics_path else {}


@pytest.fixture()
def per_step_samples(monkeypatch: pytest.MonkeyPatch) -> dict[int, list[int]]:
    """Every sample each LatencyRecorder folds, by recorder id (the engine folds once a day)."""
    seen: dict[int, list[int]] = {}
    fold = LatencyRecorder.fold

    def keeping_fold(self: LatencyRecorder) -> None:
        seen.setdefault(id(self), []).extend(self._pending)
        fold(self)

    monkeypatch.setattr(LatencyRecorder, "fold", keeping_fold)
    return seen


# ----------------------------------------------------------------------------- whose code it is

def test_user_code_is_code_outside_the_pylean_package() -> None:
    class Callable:
        def __call__(self) -> None:
            pass

    assert is_user_code(lambda: None) and is_user_code(Callable()) and is_user_code(Callable().__call__)
    assert is_user_code(functools.partial(lambda x: x, 1))
    assert not is_user_code(latency_summary) and not is_user_code(Event().fire)
    assert not is_user_code(functools.partial(latency_summary, []))
    assert not is_user_code(print) and not is_user_code([].append)  # builtins: nobody's Python code

    class Window(LatencyRecorder):  # a user subclass still runs pylean's inherited methods
        pass

    assert not is_user_code(Window().fold)


def test_nested_entries_are_timed_once_and_an_event_removes_the_timed_handler() -> None:
    clock = AlgorithmClock()
    calls = []

    def inner(sender: Any, value: Any) -> None:
        calls.append(clock.depth)

    with recording(clock):
        event = Event()
        event += inner
    assert event._handlers[0] is not inner and registered_callable(event._handlers[0]) is inner
    outer = clock.timed(lambda: event.fire(None, None))
    outer()
    assert calls == [2] and clock.depth == 0  # inner ran inside outer's entry: one reading of the clock
    event -= inner
    assert not event


def test_a_composite_indicator_times_the_projects_composer_not_pyleans() -> None:
    from pylean.indicators import SimpleMovingAverage
    from pylean.indicators.composite import CompositeIndicator, IndicatorExtensions

    def composer(left: Any, right: Any) -> Any:
        return left.current.value

    left, right = SimpleMovingAverage("a", 2), SimpleMovingAverage("b", 2)
    with recording(AlgorithmClock()):
        users = CompositeIndicator(left, right, composer)
        ours = IndicatorExtensions.over(left, right)
    assert users._composer is not composer and registered_callable(users._composer) is composer
    assert not hasattr(ours._composer, "timed_callable")
    assert CompositeIndicator(left, right, composer)._composer is composer  # nothing records: left as given


# ----------------------------------------------------------------------------- whole runs

@pytest.mark.parametrize("engine_side", [False, True])
def test_a_slow_consolidator_handler_is_algorithm_time_only_when_it_is_the_projects(
        tmp_path: Path, lean_data: Path, engine_side: bool) -> None:
    _, metrics = _run(tmp_path, lean_data, "SlowHandler", CONSOLIDATOR_HANDLER, engine_side)
    busy_s = 3 * BUSY_MS / 1000
    assert metrics["step_time_total_s"] >= busy_s  # the step sees the wait either way
    assert metrics["time_step"]["count"] == metrics["algorithm_time"]["count"] == 390  # steps at 0 count too
    if engine_side:
        # no on_data, and the only callback's code says pylean: nothing at all is the algorithm's
        assert metrics["algorithm_time_total_s"] == 0.0 and metrics["algorithm_time"]["max_us"] == 0.0
    else:
        assert busy_s <= metrics["algorithm_time_total_s"] <= metrics["step_time_total_s"]
        assert metrics["algorithm_time"]["p50_us"] == 0.0  # most steps emit no 5-minute bar


def test_a_user_callback_that_on_data_triggers_through_pylean_is_counted_once(
        tmp_path: Path, lean_data: Path) -> None:
    outcome, metrics = _run(tmp_path, lean_data, "Nested", NESTED)
    timings = outcome.engine.timings
    assert outcome.record.algorithm.slow_bars == len(BARS)
    assert timings.on_data_ns.total_ns >= 3 * BUSY_MS * 1_000_000  # the nested waits are inside on_data
    # on_data is the only outermost entry: algorithm time is exactly its time, not that plus the waits again
    assert timings.algorithm_ns.total_ns == timings.on_data_ns.total_ns
    assert metrics["algorithm_time_total_s"] <= metrics["step_time_total_s"]


def test_every_kind_of_user_entry_counts_and_per_step_figures_add_up(
        tmp_path: Path, lean_data: Path, per_step_samples: dict[int, list[int]]) -> None:
    outcome, metrics = _run(tmp_path, lean_data, "EveryKind", EVERY_KIND)
    algorithm, timings = outcome.record.algorithm, outcome.engine.timings
    assert len(algorithm.scheduled) == 1 and metrics["fills"] == 2 and algorithm.slow_bars > 3
    # outside on_data: 3 slow consolidator bars, the 10:00 event and 2 fills by the project's fill model
    outside_on_data = timings.algorithm_ns.total_ns - timings.on_data_ns.total_ns
    assert outside_on_data >= (3 + 1 + 2) * BUSY_MS * 1_000_000
    steps, algorithm_time = per_step_samples[id(timings.step_ns)], per_step_samples[id(timings.algorithm_ns)]
    assert len(steps) == len(algorithm_time) == 390
    assert all(a <= s for a, s in zip(algorithm_time, steps))
    assert sum(steps) == timings.step_ns.total_ns and sum(algorithm_time) == timings.algorithm_ns.total_ns
    assert metrics["step_time_total_s"] == round(sum(steps) / 1e9, 6)
    assert metrics["algorithm_time_total_s"] == round(sum(algorithm_time) / 1e9, 6)
    assert metrics["algorithm_time"]["count"] == 390 and metrics["algorithm_time"]["mean_us"] == \
        round(sum(algorithm_time) / 390 / 1000, 3)
    # the model class got its own methods back when the run ended
    restored = vars(algorithm.model_class)["stop_market_fill"]
    assert restored.__qualname__ == "SlowFillModel.stop_market_fill" and not hasattr(restored, "timed_callable")


@pytest.mark.parametrize("metrics", [False, True])
def test_callbacks_are_wrapped_only_when_the_run_records(tmp_path: Path, lean_data: Path, metrics: bool) -> None:
    outcome, _ = _run(tmp_path, lean_data, "EveryKind", EVERY_KIND, metrics=metrics)
    algorithm, runtime = outcome.record.algorithm, outcome.record.runtime
    registered = {
        "consolidator handler": (algorithm.consolidator.data_consolidated._handlers[0], algorithm.on_five_minutes),
        "scheduled callback": (algorithm.event.callback, algorithm.at_ten),
        "on_order_event": (runtime.transactions.event_listeners[0], algorithm.on_order_event),
    }
    for what, (handler, users) in registered.items():
        assert registered_callable(handler) == users, what
        assert (handler == users) is not metrics, what  # off: the user's own callable, no wrapper
    assert (outcome.engine.clock is None) is not metrics


def test_zero_samples_count_and_read_as_zero() -> None:
    recorder = LatencyRecorder()
    for ns in (0, 0, 0, 5_000):
        recorder.append(ns)
    summary = latency_summary(recorder)
    assert summary["count"] == 4 and summary["p50_us"] == 0.0 and summary["max_us"] == 5.0
    assert sum(summary["histogram"]["counts"]) == 4
