"""Registering one consolidator more than once (add_consolidator, then register_indicator on it) feeds it each
bar once: Lean keeps a subscription's consolidators in a set (SubscriptionDataConfig.Consolidators)."""
from __future__ import annotations

from datetime import datetime, timedelta

from consolidators_support import SPY, Driver, FakeRuntime, flat
from pylean.consolidators import TradeBarConsolidator
from pylean.enums import Resolution


def test_a_consolidator_added_twice_is_fed_once() -> None:
    rt = FakeRuntime()
    config = rt.subscribe(SPY, Resolution.SECOND)
    driver = Driver(rt)
    consolidator = driver.record(TradeBarConsolidator(timedelta(seconds=10)))
    for _ in range(3):
        rt.subscription_manager.add_consolidator("SPY", consolidator)
    assert config.consolidators == [consolidator]
    start = datetime(2013, 10, 7, 9, 30)
    driver.run(config, [flat(start + timedelta(seconds=i), 100.0 + i, v=10.0 + i) for i in range(25)])
    assert [(e.bar.time, e.bar.volume, e.bar.open, e.bar.close) for e in driver.outputs] == [
        (start, sum(10.0 + i for i in range(10)), 100.0, 109.0),
        (start + timedelta(seconds=10), sum(10.0 + i for i in range(10, 20)), 110.0, 119.0)]
    rt.subscription_manager.remove_consolidator("SPY", consolidator)
    assert config.consolidators == []
