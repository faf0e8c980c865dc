"""SymbolManager's per-15-s pipeline: new-bar gating, guard-time short circuit, stage timing."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from zac_fakes import FakeAlgorithm, bar15, build_managers

from AlgorithmImports import TradeBar
from core.kernels import DailyRecord
from core.utils import PerfRecorder

DAY = datetime(2025, 10, 1)


class FakeBars(dict):
    def contains_key(self, key: Any) -> bool:
        return key in self


class FakeSlice:
    def __init__(self, bars: dict[Any, TradeBar]) -> None:
        self.bars = FakeBars(bars)


@pytest.fixture
def setup() -> tuple[FakeAlgorithm, Any]:
    algo = FakeAlgorithm(DAY)
    managers, _ = build_managers(algo, {"MCD": 300.0})
    m = managers[0]
    m.data.history_loaded = True
    for d in range(3):
        m.data.add_daily(DailyRecord(DAY - timedelta(days=3 - d), 300, 303, 297, 300, 3e6))
    return algo, m


def second_bar(m: Any, t: datetime, price: float) -> TradeBar:
    return TradeBar(t - timedelta(seconds=1), m.symbol, price, price, price, price, 10, period=timedelta(seconds=1))


def step(algo: FakeAlgorithm, m: Any, t: datetime, price: float = 300.0, limit_active: bool = False) -> None:
    """One 15-s bar ending at t, then OnData at t (as Lean orders consolidators before OnData)."""
    algo.time = t
    m.data.on_15s_bar(bar15(m.symbol, t - timedelta(seconds=15), price, price + 0.1, price - 0.1, price))
    m.on_data(FakeSlice({m.symbol: second_bar(m, t, price)}), limit_active)


def test_guard_time_short_circuit(setup: tuple[FakeAlgorithm, Any]) -> None:
    algo, m = setup
    for k in range(3):
        step(algo, m, DAY.replace(hour=10, minute=56, second=15) + timedelta(seconds=15 * k))
    assert m.rally.samples == [] and m.metrics.range30 is None  # idle before 10:57: stops after the data check
    step(algo, m, DAY.replace(hour=10, minute=57, second=15))
    assert len(m.rally.samples) == 1 and m.metrics.range30 == pytest.approx(2.0)
    step(algo, m, DAY.replace(hour=14, minute=0, second=0))
    assert len(m.rally.samples) == 1  # idle from Algo_Off_After on
    algo.transactions.submit(m.symbol, -10, "stop", "SL-cond2-MCD-1.0", stop=1.0)
    step(algo, m, DAY.replace(hour=14, minute=0, second=15))
    assert len(m.rally.samples) == 2  # outstanding work keeps the pipeline running


def test_only_cycles_with_a_new_bar_run(setup: tuple[FakeAlgorithm, Any]) -> None:
    algo, m = setup
    t = DAY.replace(hour=11)
    step(algo, m, t)
    step(algo, m, t + timedelta(seconds=15))
    samples = len(m.rally.samples)
    algo.time = t + timedelta(seconds=16)
    m.on_data(FakeSlice({m.symbol: second_bar(m, algo.time, 300.0)}), False)  # no new 15-s bar
    m.on_data(FakeSlice({}), False)                                          # no data for the symbol
    assert len(m.rally.samples) == samples
    step(algo, m, t + timedelta(seconds=30), limit_active=True)
    assert len(m.rally.samples) == samples and m.data.has_new_bar  # daily limit: nothing consumed


def test_pipeline_errors_are_reported_and_contained(setup: tuple[FakeAlgorithm, Any]) -> None:
    algo, m = setup
    m.calculator.calculate_all = None  # a broken stage
    step(algo, m, DAY.replace(hour=11))
    step(algo, m, DAY.replace(hour=11, second=15))
    assert algo.errors and "MCD pipeline error" in algo.errors[0]


def test_instrumented_stages_count_processed_cycles(setup: tuple[FakeAlgorithm, Any]) -> None:
    algo, m = setup
    recorder = PerfRecorder(["MCD"])
    wrapped = sum(recorder.instrument(c, "MCD") for c in m.components())
    assert wrapped == 6
    for k in range(6):
        step(algo, m, DAY.replace(hour=11) + timedelta(seconds=15 * k))
    stages = {s: h.count for s, h in recorder.stages["MCD"].items()}
    assert stages["total"] == 6 and stages["data_manager"] == 6
    assert stages["metrics"] == stages["rally_update"] == stages["risk_checks"] == stages["strategy_logic"] == 5
