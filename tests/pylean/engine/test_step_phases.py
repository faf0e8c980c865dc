"""The profiler's split of step time by engine phase (pylean/step_phases.py): each phase gets the engine work
done in it, the project's callbacks inside a phase are algorithm time, the parts add up to the step time, and
an ordinary run binds the engine's own callables.

Busy-waits in code that claims to live in pylean stand for slow engine work of a known length, so the
assertions are one-sided and do not depend on the machine's speed.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pylean.algorithm_clock import AlgorithmClock
from pylean.launcher import BacktestOptions, run_backtest
from pylean.step_phases import DATA, StepPhases, phased, recording
from support.lean_data import at, new_data_folder, write_algorithm, write_intraday

from test_step_clock import BARS, BUSY_MS, HELPERS, MONDAY

EVERY_PHASE = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        security = self.add_equity("ABC", Resolution.MINUTE)
        security.set_fill_model(EngineFillModel())
        self.orders_placed = 0
        self.slow_bars = 0
        self.consolidate("ABC", timedelta(minutes=5), self.on_five_minutes)
        self.schedule.on(self.date_rules.every_day(), self.time_rules.at(10, 0), as_engine_code(ten_oclock))
        self.schedule.on(self.date_rules.every_day(), self.time_rules.at(11, 0), self.at_eleven)
        sma = SimpleMovingAverage(3)
        self.register_indicator("ABC", sma, timedelta(minutes=10), as_engine_code(slow_close))

    def on_five_minutes(self, bar):
        slow_bar(self, bar)

    def at_eleven(self):
        spin(BUSY_MS)

    def on_data(self, data):
        if self.orders_placed < 2:
            self.orders_placed += 1
            self.stop_market_order("ABC", 10, 10.8)  # filled by the engine's scan on the next bar


def wait(ms):
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass


def ten_oclock():
    wait(BUSY_MS)


def slow_close(bar):
    wait(BUSY_MS)
    return bar.close


class EngineFillModel(EquityFillModel):
    pass


EngineFillModel.stop_market_fill = as_engine_code(lambda self, asset, order: (wait(BUSY_MS),
                                                  EquityFillModel.stop_market_fill(self, asset, order))[1])
"""


def _run(tmp_path: Path, lean_data: Path, phases: bool) -> dict[str, Any]:
    folder = new_data_folder(tmp_path / "data", lean_data)
    write_intraday(folder, "minute", "ABC", MONDAY, BARS)
    path = write_algorithm(tmp_path, "EveryPhase", EVERY_PHASE)
    path.write_text(path.read_text().replace(
        "from AlgorithmImports import *\n",
        f"from AlgorithmImports import *\nBUSY_MS = {BUSY_MS}\nENGINE_SIDE = True\n{HELPERS}\n"))
    metrics_path = tmp_path / "metrics.json"
    outcome = run_backtest(BacktestOptions(path, folder, tmp_path / "out", metrics_path=metrics_path,
                                           step_phases=phases))
    assert outcome.status == "Completed", (tmp_path / "out" / "EveryPhase-log.txt").read_text()
    assert outcome.record.algorithm.slow_bars >= 3 and outcome.record.algorithm.orders_placed == 2
    return json.loads(metrics_path.read_text())


def test_each_phase_gets_its_engine_work_and_the_parts_add_up_to_the_step_time(tmp_path: Path,
                                                                                lean_data: Path) -> None:
    metrics = _run(tmp_path, lean_data, phases=True)
    split = metrics["step_phases"]
    parts, busy_s = split["parts_s"], BUSY_MS / 1000
    assert parts["scheduled_events"] >= busy_s                # the engine-side 10:00 event
    assert parts["indicator_updates"] >= 2 * busy_s           # the engine-side selector, one per 10-min bar
    assert parts["order_processing"] >= 2 * busy_s            # two fills by the engine-side fill model
    assert parts["consolidator_updates"] > 0 and parts["data_and_slices"] > 0 and parts["other_engine"] > 0
    # the project's slow 5-minute handler and its 11:00 event sit inside phases, yet count as the algorithm's
    # (counted there and not also in consolidator_updates: the parts add up to the step time, below; a
    # comparison of two measured parts would fail whenever a loaded machine pauses the process in one)
    assert parts["algorithm_callbacks"] >= 4 * busy_s
    assert split["step_time_s"] == pytest.approx(metrics["step_time_total_s"], abs=1e-6)
    assert parts["algorithm_callbacks"] == pytest.approx(metrics["algorithm_time_total_s"], abs=1e-6)
    assert sum(parts.values()) == pytest.approx(split["step_time_s"], abs=1e-9)
    assert split["calls"]["consolidator_updates"] >= 2 * len(BARS)  # the step-2 scan and the step-14 update


def test_an_ordinary_run_binds_the_engines_own_callables(tmp_path: Path, lean_data: Path) -> None:
    assert "step_phases" not in _run(tmp_path, lean_data, phases=False)
    assert phased(DATA, len) is len
    phases = StepPhases(AlgorithmClock())
    with recording(phases):
        timed = phased(DATA, len)
    assert timed is not len and timed([1, 2]) == 2 and phases.calls[DATA] == 0  # not counting outside the loop
    phases.counting = True
    assert timed([1]) == 1 and phases.calls[DATA] == 1
