"""ConditionsChecker: the five two-step condition state machines (c1..c3 long, c4..c5 short).

Each condition has a pre-cooldown (strictly more than SameConditionTimeCN minutes since the strategy's
last exit time for it). c1/c2/c4/c5 are two-step: step 1 sets the condition's flag when its trigger holds
(and returns False on that cycle); step 2 passes while the flag is set, the 'VWAP' hard check holds and the
rally gate passes; a rally reset clears the flag. c3 is stateless (and off by default).
"""
from __future__ import annotations

from datetime import datetime, time
from typing import Callable

from config.parameters import CONDITIONS, TradingParameters
from core.kernels import Kernels, new_high, new_low  # noqa: F401  (new_high/new_low: the trigger rules)
from core.strategy import Strategy
from data.data_manager import DataManager
from data.metrics import Metrics
from management.rally_detector import RallyGates

CONDITIONS_CUTOFF = time(15, 59)


def vwap_hard_ok(vwap_price: float | None, range30: float | None, vwap_pct: float, long: bool) -> bool:
    """The 'VWAP' (% from open) hard check; passes when an input is missing."""
    if vwap_price is None or range30 is None:
        return True
    threshold = vwap_pct * range30 / 100
    if long:
        return vwap_price < 0 and abs(vwap_price) >= threshold
    return vwap_price > 0 and abs(vwap_price) >= threshold


def in_entry_window(now: datetime, window: tuple[int, int]) -> bool:
    hhmm = now.hour * 100 + now.minute
    return window[0] <= hhmm < window[1]


class ConditionsChecker:
    def __init__(self, params: TradingParameters, data: DataManager, metrics: Metrics, strategy: Strategy,
                 rally: RallyGates, kernels: Kernels, trading_allowed: Callable[[], bool]) -> None:
        self.params = params
        self.data = data
        self.metrics = metrics
        self.strategy = strategy
        self.rally = rally
        self.kernels = kernels
        self.trading_allowed = trading_allowed  # RiskManager.validate_trading_conditions
        self.window = params.entry_window

    def check_all(self, now: datetime) -> dict[str, bool]:
        """Every enabled condition, in order c1..c5 (all of them run their state machines)."""
        results = {c: False for c in CONDITIONS}
        if not self.trading_allowed() or now.time() >= CONDITIONS_CUTOFF:
            return results
        for condition in CONDITIONS:
            if self.params.condition_enabled(condition):
                results[condition] = self.check(condition, now)
        return results

    def check(self, condition: str, now: datetime) -> bool:
        elapsed = (now - self.strategy.last_exit[condition]).total_seconds()
        if not elapsed > self.params.same_condition_minutes(condition) * 60:
            return False
        if not in_entry_window(now, self.window):
            return False
        if condition == "cond3":
            return self._max_down(now)
        long = condition in ("cond1", "cond2")
        flags = self.strategy.flags
        if not flags[condition]:
            if self._triggered(condition, now):
                flags[condition] = True
            return False
        vwap_ok = self.vwap_ok(long)
        m = self.metrics
        ok, reset = (self.rally.long_gate if long else self.rally.short_gate)(m.range_attr, m.range_mult)
        if reset:
            flags[condition] = False
        return flags[condition] and ok and vwap_ok

    def vwap_ok(self, long: bool) -> bool:
        return vwap_hard_ok(self.metrics.vwap_price, self.metrics.range30, self.params.VWAP_PCT, long)

    def _triggered(self, condition: str, now: datetime) -> bool:
        m = self.metrics
        range30 = m.range30
        if range30 is None or range30 <= 0:
            return False
        p = self.params
        if condition == "cond1":
            return m.percfromopen <= -range30 * p.Parameter_1 / 100
        if condition == "cond4":
            return m.percfromopen >= range30 * p.Parameter_1 / 100
        extreme = self.kernels.today_new_extreme(self.data, now.date(), condition == "cond2")
        return extreme and m.range_price >= p.Parameter_2 / 100 * range30

    def _max_down(self, now: datetime) -> bool:
        range30 = self.metrics.range30
        if range30 is None or range30 <= 0:
            return False
        max_down = self.kernels.max_down(self.data.window, now)
        return max_down / range30 <= -self.params.Parameter_3 / 100


class FastConditionsChecker(ConditionsChecker):
    """The same state machines in the same order, with the per-condition invariants hoisted to construction
    (which conditions are enabled, their cooldown limits in seconds, their side) and the entry-window test
    made once per cycle instead of once per condition (optimized path)."""

    def __init__(self, params: TradingParameters, data: DataManager, metrics: Metrics, strategy: Strategy,
                 rally: RallyGates, kernels: Kernels, trading_allowed: Callable[[], bool]) -> None:
        super().__init__(params, data, metrics, strategy, rally, kernels, trading_allowed)
        self.plan = [(c, params.same_condition_minutes(c) * 60, c in ("cond1", "cond2"))
                     for c in CONDITIONS if params.condition_enabled(c)]
        self.none_passed = {c: False for c in CONDITIONS}
        self.parameter_1, self.parameter_2 = params.Parameter_1, params.Parameter_2
        self.today_new_extreme = kernels.today_new_extreme

    def check_all(self, now: datetime) -> dict[str, bool]:
        results = dict(self.none_passed)
        if not self.trading_allowed() or now.time() >= CONDITIONS_CUTOFF:
            return results
        if not in_entry_window(now, self.window):
            return results
        strategy = self.strategy
        last_exit, flags = strategy.last_exit, strategy.flags
        m = self.metrics
        for condition, cooldown_s, long in self.plan:
            if not (now - last_exit[condition]).total_seconds() > cooldown_s:
                continue
            if condition == "cond3":
                results[condition] = self._max_down(now)
                continue
            if not flags[condition]:
                if self._triggered(condition, now):
                    flags[condition] = True
                continue
            vwap_ok = self.vwap_ok(long)
            ok, reset = (self.rally.long_gate if long else self.rally.short_gate)(m.range_attr, m.range_mult)
            if reset:
                flags[condition] = False
            results[condition] = flags[condition] and ok and vwap_ok
        return results

    def _triggered(self, condition: str, now: datetime) -> bool:
        """The legacy trigger rules with the parameters read once (same expressions, same order)."""
        m = self.metrics
        range30 = m.range30
        if range30 is None or range30 <= 0:
            return False
        if condition == "cond1":
            return m.percfromopen <= -range30 * self.parameter_1 / 100
        if condition == "cond4":
            return m.percfromopen >= range30 * self.parameter_1 / 100
        extreme = self.today_new_extreme(self.data, now.date(), condition == "cond2")
        return extreme and m.range_price >= self.parameter_2 / 100 * range30
