"""DataManager and MetricsCalculator on hand-made bars."""
from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest
from zac_fakes import FakeAlgorithm, bar15

from config.parameters import TradingParameters
from core.kernels import LEGACY, DailyRecord, legacy_history_records
from data.data_manager import DataManager, DayValues, RollingRangeMean
from data.metrics import MetricsCalculator, gap_pct, liquidity, sharp_movement, vwap_metrics

DAY = datetime(2025, 10, 1)


def at(h: int, m: int, s: int = 0, day: datetime = DAY) -> datetime:
    return day.replace(hour=h, minute=m, second=s)


@pytest.fixture
def algo() -> FakeAlgorithm:
    return FakeAlgorithm(at(9, 30))


def make_dm(algo: FakeAlgorithm) -> DataManager:
    symbol = algo.add("MCD", 300.0)
    return DataManager(algo, symbol, LEGACY)  # type: ignore[arg-type]


def daily_frame(rows: list[tuple[datetime, float, float, float, float, float]]) -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples([("MCD", r[0]) for r in rows], names=["symbol", "time"])
    return pd.DataFrame({"open": [r[1] for r in rows], "high": [r[2] for r in rows], "low": [r[3] for r in rows],
                         "close": [r[4] for r in rows], "volume": [r[5] for r in rows]}, index=index)


def test_rolling_range_mean_is_a_running_sum_over_thirty() -> None:
    mean = RollingRangeMean()
    values = [0.1 * i + 1 for i in range(40)]
    for v in values:
        mean.push(v)
    assert len(mean.values) == 30
    assert mean.mean == pytest.approx(sum(values[-30:]) / 30, rel=1e-12)
    running = 0.0
    for i, v in enumerate(values):  # the same add-then-evict order, bit for bit
        running += v
        if i >= 30:
            running -= values[i - 30]
    assert mean.total == running


def test_day_values_from_15s_bars() -> None:
    day = DayValues()
    s = FakeAlgorithm(DAY).add("X")
    for b in (bar15(s, at(9, 30), 10, 11, 9.5, 10.5), bar15(s, at(9, 30, 15), 10.5, 12, 10, 11)):
        day.update(b)
    assert (day.open, day.high, day.low, day.close, day.volume) == (10, 12, 9.5, 11, 2000)


def test_history_loads_rows_and_daily_metrics(algo: FakeAlgorithm) -> None:
    rows = [(datetime(2025, 9, d, 16), 100.0, 102.0 + d % 3, 99.0, 101.0, 1000.0 * d) for d in range(1, 11)]
    algo.history_frame = daily_frame(rows)
    dm = make_dm(algo)
    dm.load_history()
    assert dm.history_loaded and len(dm.daily) == 10 and dm.daily[0].time == datetime(2025, 9, 10, 16)
    expected = [(r[2] - r[3]) * 100 / r[1] for r in rows]
    assert dm.range30_pct() == pytest.approx(sum(expected) / 10)
    assert dm.volume7() == pytest.approx(sum(1000.0 * d for d in range(4, 11)) / 7)


def test_history_failure_is_retried(algo: FakeAlgorithm) -> None:
    algo.history_error = RuntimeError("no data")
    dm = make_dm(algo)
    dm.load_history()
    assert not dm.history_loaded and algo.errors
    algo.history_error = None
    algo.history_frame = pd.DataFrame()
    dm.on_data(at(10, 0))
    assert dm.history_loaded and dm.range30_pct() == 1.0 and dm.volume7() == 0.0


def test_legacy_history_records_reads_the_time_level() -> None:
    frame = daily_frame([(datetime(2025, 9, 30, 16), 1, 2, 0.5, 1.5, 10)])
    assert legacy_history_records(frame) == [DailyRecord(datetime(2025, 9, 30, 16), 1, 2, 0.5, 1.5, 10)]


def test_15s_bar_handler_window_vwap_flag_and_trailing_hook(algo: FakeAlgorithm) -> None:
    dm = make_dm(algo)
    calls: list[int] = []
    dm.on_new_15s_bar = lambda: calls.append(1)
    s = dm.symbol
    dm.on_15s_bar(bar15(s, at(9, 30), 10, 11, 9, 10, 100))
    dm.on_15s_bar(bar15(s, at(9, 30, 15), 10, 13, 10, 12, 300))
    assert dm.window[0].close == 12 and len(dm.window) == 2 and calls == [1, 1]
    assert dm.has_new_bar and dm.last_bar_time == at(9, 30, 15)
    assert dm.vwap == pytest.approx((10 * 100 + (35 / 3) * 300) / 400)
    assert dm.on_data(at(9, 30, 30)) and not dm.has_new_bar
    assert not dm.on_data(at(9, 36))  # last bar more than 300 s old


def test_on_data_needs_two_bars(algo: FakeAlgorithm) -> None:
    dm = make_dm(algo)
    dm.history_loaded = True
    dm.on_15s_bar(bar15(dm.symbol, at(9, 30), 10, 11, 9, 10))
    assert not dm.on_data(at(9, 30, 15))


def test_daily_bar_dedup_and_window_kept_in_order(algo: FakeAlgorithm) -> None:
    dm = make_dm(algo)
    s = dm.symbol
    for i in range(45):
        dm.on_15s_bar(bar15(s, at(15, 48, 45) + timedelta(seconds=15 * i), 10, 11, 9, 10 + i))
    daily = bar15(s, at(9, 30), 10, 20, 5, 15, 1e6)
    dm.on_daily_bar(daily)
    dm.on_daily_bar(daily)
    assert len(dm.daily) == 1 and dm.volumes7 == [1e6]
    closes = [b.close for b in dm.window]
    assert closes == sorted(closes, reverse=True)  # newest first after 16:00 (original reversed it, Q2)


def test_pure_metric_functions() -> None:
    vwap_price, range_attr, mult = vwap_metrics(99.0, 100.0, 101.0, 98.0, 1.5)
    assert vwap_price == pytest.approx(-1.0) and range_attr == pytest.approx(3.0) and mult == pytest.approx(2.0)
    assert vwap_metrics(99.0, 100.0, 0.0, 98.0, 1.5)[1] == 1.0  # unknown high: 1.0 fallback
    assert gap_pct(101.234, 100.0) == 1.23 and gap_pct(1.0, None) == 0.0
    assert liquidity(2_340_000_000, 10.0) == (1_000_000.0, 1.0) and liquidity(0, 10.0) == (0.0, 0.0)
    assert sharp_movement([11, 12], [10, 10.5]) == pytest.approx(20.0)


def test_metrics_calculator_full_cycle(algo: FakeAlgorithm) -> None:
    dm = make_dm(algo)
    for d in range(3):
        dm.add_daily(DailyRecord(datetime(2025, 9, 28 + d, 16), 100, 102, 100, 100 + d, 23_400_000))
    s = dm.symbol
    for i in range(16):
        dm.on_15s_bar(bar15(s, at(10, 0) + timedelta(seconds=15 * i), 100, 100.5 + 0.1 * i, 99.5, 100))
    calc = MetricsCalculator(dm, TradingParameters())
    m = calc.calculate_all(at(10, 4), 99.0)
    assert m.range30 == pytest.approx(2.0)
    assert m.vwap_price == pytest.approx(-1.0)
    assert m.percfromopen == 0.0 and m.range_price == pytest.approx((102.0 - 99.5) * 100 / 100)
    assert m.range_mult == pytest.approx(m.range_attr / 2.0)
    assert m.gap == round((100 - 101) * 100 / 101, 2)  # daily[1] = the session before the previous one (Q1)
    assert m.liq_millions == pytest.approx(23_400_000 / 23_400 * 99.0 / 1e6)
    assert m.sharp_movement == pytest.approx((102.0 - 99.5) / 99.5 * 100)
    assert m.sharp_exceeded == (m.sharp_movement / 2.0 > 0.75)
    late = calc.calculate_all(at(16, 0), 99.0)
    assert late.sharp_movement == 0.0 and not late.sharp_exceeded
