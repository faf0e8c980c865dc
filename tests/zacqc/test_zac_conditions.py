"""The five condition state machines on hand-made metrics and 15-s windows."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from zac_fakes import FakeAlgorithm, bar15, build_managers

from config.parameters import TradingParameters
from core.kernels import legacy_max_down, legacy_today_bars
from trading.conditions import in_entry_window, new_high, new_low, vwap_hard_ok

NOW = datetime(2025, 10, 1, 11, 0)


class StubRally:
    def __init__(self) -> None:
        self.long: tuple[bool, bool] = (True, False)
        self.short: tuple[bool, bool] = (True, False)
        self.calls: list[tuple[str, Any, Any]] = []

    def long_gate(self, mrp: Any, mult: Any) -> tuple[bool, bool]:
        self.calls.append(("long", mrp, mult))
        return self.long

    def short_gate(self, mrp: Any, mult: Any) -> tuple[bool, bool]:
        self.calls.append(("short", mrp, mult))
        return self.short


@pytest.fixture
def manager() -> Any:
    algo = FakeAlgorithm(NOW.replace(hour=0))  # components are built at the start date's midnight
    managers, _ = build_managers(algo, {"MCD": 300.0})
    algo.time = NOW
    m = managers[0]
    m.conditions.rally = StubRally()
    metrics = m.metrics
    metrics.range30, metrics.range_attr, metrics.range_mult = 1.0, 2.0, 1.0
    metrics.percfromopen, metrics.vwap_price, metrics.range_price = -1.3, -0.6, 2.0
    return m


def test_c1_two_steps(manager: Any) -> None:
    c = manager.conditions
    assert c.check("cond1", NOW) is False and manager.strategy.flags["cond1"] is True  # step 1 fires, returns False
    assert c.check("cond1", NOW) is True
    assert c.rally.calls[-1] == ("long", 2.0, 1.0)  # the gate gets today's range % and the range multiple
    manager.metrics.vwap_price = -0.5  # below VWAP_PCT 55 % of range30
    assert c.check("cond1", NOW) is False and manager.strategy.flags["cond1"] is True
    manager.metrics.vwap_price = -0.6
    c.rally.long = (False, True)
    assert c.check("cond1", NOW) is False and manager.strategy.flags["cond1"] is False


def test_c1_trigger_threshold(manager: Any) -> None:
    manager.metrics.percfromopen = -1.19
    assert manager.conditions.check("cond1", NOW) is False and not manager.strategy.flags["cond1"]


def test_pre_cooldown_is_strict_and_window_applies(manager: Any) -> None:
    c, strategy = manager.conditions, manager.strategy
    strategy.flags["cond1"] = True
    strategy.last_exit["cond1"] = NOW - timedelta(minutes=10)
    assert c.check("cond1", NOW) is False
    strategy.last_exit["cond1"] = NOW - timedelta(minutes=10, seconds=1)
    assert c.check("cond1", NOW) is True
    assert c.check("cond1", NOW.replace(hour=10, minute=56)) is False
    assert c.check("cond1", NOW.replace(hour=14, minute=0)) is False
    assert in_entry_window(NOW.replace(hour=10, minute=57), (1057, 1400))


def test_c4_mirror(manager: Any) -> None:
    c, metrics = manager.conditions, manager.metrics
    metrics.percfromopen, metrics.vwap_price = 1.2, 0.6
    assert c.check("cond4", NOW) is False and manager.strategy.flags["cond4"]
    assert c.check("cond4", NOW) is True and c.rally.calls[-1][0] == "short"
    metrics.vwap_price = -0.6
    assert c.check("cond4", NOW) is False


def fill_window(manager: Any, lows: list[float], highs: list[float], day: datetime = NOW) -> None:
    start = day.replace(hour=10, minute=49)
    for i, (low, high) in enumerate(zip(lows, highs)):
        manager.data.on_15s_bar(bar15(manager.symbol, start + timedelta(seconds=15 * i), low, high, low, high))


def test_c2_new_low_in_a_wide_day(manager: Any) -> None:
    lows = [100.0 + 0.01 * i for i in range(43)] + [99.9, 100.5]  # second-most-recent bar is the new low
    fill_window(manager, lows, [x + 0.5 for x in lows])
    c = manager.conditions
    manager.metrics.range_price = 1.29
    assert c.check("cond2", NOW) is False and not manager.strategy.flags["cond2"]  # range too narrow
    manager.metrics.range_price = 1.3
    assert c.check("cond2", NOW) is False and manager.strategy.flags["cond2"]
    assert c.check("cond2", NOW) is True


def test_c2_needs_a_full_window_of_todays_bars(manager: Any) -> None:
    yesterday = NOW - timedelta(days=1)
    manager.data.on_15s_bar(bar15(manager.symbol, yesterday.replace(hour=15, minute=59), 1, 1, 1, 1))
    lows = [100.0 + 0.01 * i for i in range(42)] + [99.9, 100.5]
    fill_window(manager, lows, [x + 0.5 for x in lows])
    assert len(manager.data.window) == 45
    assert legacy_today_bars(manager.data.window, NOW.date()) == []  # quirk Q3
    assert manager.conditions.check("cond2", NOW) is False and not manager.strategy.flags["cond2"]


def test_c5_new_high(manager: Any) -> None:
    highs = [100.0 - 0.01 * i for i in range(43)] + [100.5, 99.0]
    fill_window(manager, [x - 0.5 for x in highs], highs)
    manager.metrics.vwap_price = 0.6
    c = manager.conditions
    assert c.check("cond5", NOW) is False and manager.strategy.flags["cond5"]
    assert c.check("cond5", NOW) is True


def test_today_bars_first_session_and_pre_open_bars() -> None:
    algo = FakeAlgorithm(NOW)
    s = algo.add("X")
    window = [bar15(s, NOW.replace(hour=9, minute=30, second=15), 1, 1, 1, 1),
              bar15(s, NOW.replace(hour=9, minute=30), 1, 1, 1, 1),
              bar15(s, NOW.replace(hour=9, minute=29, second=45), 1, 1, 1, 1)]  # newest first
    today = legacy_today_bars(window, NOW.date())
    assert [b.time.second for b in today] == [0, 15]


def test_c3_max_down() -> None:
    algo = FakeAlgorithm(NOW.replace(hour=0))
    params = replace(TradingParameters(), C3=True)
    managers, _ = build_managers(algo, {"MCD": 300.0}, params)
    m = managers[0]
    m.metrics.range30 = 1.0
    highs = [100.0] * 45
    lows = [99.0] * 45
    lows[5] = 96.0  # an older low, 3.96 % under the later high
    start = NOW.replace(hour=10, minute=49)
    for i in range(45):
        m.data.on_15s_bar(bar15(m.symbol, start + timedelta(seconds=15 * (44 - i)), 100, highs[i], lows[i], 99.5))
    assert legacy_max_down(m.data.window, NOW) == pytest.approx(-4.0)
    assert m.conditions.check("cond3", NOW) is True
    m.metrics.range30 = 2.0
    assert m.conditions.check("cond3", NOW) is False


def test_check_all_runs_every_enabled_condition(manager: Any) -> None:
    results = manager.conditions.check_all(NOW)
    assert results == {"cond1": False, "cond2": False, "cond3": False, "cond4": False, "cond5": False}
    assert manager.strategy.flags["cond1"] and not manager.strategy.flags["cond3"]
    assert manager.conditions.check_all(NOW)["cond1"] is True
    assert manager.conditions.check_all(NOW.replace(hour=15, minute=59))["cond1"] is False


def test_pure_helpers() -> None:
    assert new_low([5, 4, 3.9, 6]) and not new_low([5, 3.9, 4, 6]) and not new_low([1, 2])
    assert new_high([5, 6, 6.1, 1]) and not new_high([5, 6.1, 6, 1])
    assert vwap_hard_ok(-0.55, 1.0, 55, long=True) and not vwap_hard_ok(-0.54, 1.0, 55, long=True)
    assert vwap_hard_ok(0.55, 1.0, 55, long=False) and not vwap_hard_ok(-0.6, 1.0, 55, long=False)
    assert vwap_hard_ok(None, 1.0, 55, long=True)
