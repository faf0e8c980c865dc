"""TradeBar period/count consolidation through the SubscriptionManager (Lean PeriodCountConsolidatorBase)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from consolidators_support import (SPY, Driver, FakeRuntime, fill_forward, flat, minutes, seconds, trade)
from pylean.consolidators import TradeBarConsolidator
from pylean.enums import Resolution

DAY = date(2013, 10, 7)
SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)


def at(hhmmss: str) -> datetime:
    return datetime.combine(DAY, datetime.strptime(hhmmss, "%H:%M:%S").time())


@pytest.fixture
def rt() -> FakeRuntime:
    return FakeRuntime()


def test_fifteen_seconds_of_second_bars_with_fill_forward(rt: FakeRuntime) -> None:
    config = rt.subscribe(SPY, Resolution.SECOND)
    driver = Driver(rt)
    consolidator = driver.record(TradeBarConsolidator(timedelta(seconds=15)))
    rt.subscription_manager.add_consolidator("SPY", consolidator)
    real = [trade(t, 10 + i, 10.5 + i, 9.5 + i, 10.2 + i, 100) for i, t in enumerate(seconds(DAY, "09:30:00", 5))]
    # 09:30:05 .. 09:30:19 carry fill-forward copies of the 09:30:04 bar, then real data again
    ffs = [fill_forward(real[-1], t) for t in seconds(DAY, "09:30:05", 15)]
    later = [flat(t, 20.0, 7) for t in seconds(DAY, "09:30:20", 10)]
    driver.run(config, real + ffs + later)
    assert driver.spans() == [("09:30:15", "09:30:00", "09:30:15"), ("09:30:30", "09:30:15", "09:30:30")]
    first, second = (e.bar for e in driver.outputs)
    assert (first.open, first.high, first.low, first.close, first.volume) == (10, 14.5, 9.5, 14.2, 500)
    # a period of fill-forward bars keeps the copied OHLC and adds no volume
    assert (second.open, second.high, second.low, second.close, second.volume) == (14, 20, 13.5, 20, 70)
    assert consolidator[0] is second and consolidator.current is second and consolidator.previous is first
    assert consolidator.window.count == 2 and not first.is_fill_forward


def test_one_minute_of_second_bars_and_a_gap_emitted_by_the_scan(rt: FakeRuntime) -> None:
    config = rt.subscribe(SPY, Resolution.SECOND)
    driver = Driver(rt)
    consolidator = driver.record(TradeBarConsolidator(Resolution.MINUTE))
    rt.subscription_manager.add_consolidator(SPY, consolidator)
    bars = [flat(t, 1.0 + i / 100) for i, t in enumerate(seconds(DAY, "09:30:00", 75))]  # to 09:31:15
    driver.run(config, bars)
    # nothing arrives until 09:33:10: the 09:31 bar is emitted by the step-2 scan at its scan time
    driver.step(at("09:33:10"), [(config, flat(at("09:33:09"), 5.0))])
    assert driver.spans() == [("09:31:00", "09:30:00", "09:31:00"), ("09:32:00", "09:31:00", "09:32:00")]
    assert driver.outputs[1].bar.close == bars[-1].close and driver.outputs[1].bar.volume == 15 * 100
    # the 09:33 bar is still being built from the 09:33:09 second
    assert consolidator.working_data.time == at("09:33:00")


def test_ten_minute_bar_when_data_stops_is_emitted_at_its_scan_time(rt: FakeRuntime) -> None:
    config = rt.subscribe(SPY, Resolution.MINUTE)
    driver = Driver(rt)
    consolidator = driver.record(TradeBarConsolidator(timedelta(minutes=10)))
    rt.subscription_manager.add_consolidator(SPY, consolidator)
    driver.run(config, [flat(t, 100.0, period=MINUTE) for t in minutes(DAY, "09:30", "09:43")])
    assert driver.spans() == [("09:40:00", "09:30:00", "09:40:00")]
    driver.step(at("10:05:00"))
    # Lean scans at the previous output's end + one bar span, with the algorithm clock set to it
    assert driver.spans()[1] == ("09:50:00", "09:40:00", "09:50:00")
    assert driver.outputs[1].bar.volume == 300


def test_bars_align_to_period_boundaries(rt: FakeRuntime) -> None:
    config = rt.subscribe(SPY, Resolution.MINUTE)
    driver = Driver(rt)
    hourly = driver.record(TradeBarConsolidator(Resolution.HOUR))
    seven = TradeBarConsolidator(timedelta(minutes=7))
    rt.subscription_manager.add_consolidator(SPY, hourly)
    rt.subscription_manager.add_consolidator(SPY, seven)
    driver.run(config, [flat(t, 1.0, period=MINUTE) for t in minutes(DAY, "09:30", "11:00")])
    # the hour bar holding 09:30-10:00 starts at 09:00 (rounded down), as Lean's hourly bars of equities
    assert driver.spans() == [("10:00:00", "09:00:00", "10:00:00"), ("11:00:00", "10:00:00", "11:00:00")]
    assert driver.outputs[0].bar.volume == 30 * 100
    # periods that do not divide an hour still round down from 0001-01-01 (RoundDown on ticks)
    starts = [bar.time for bar in seven.window]
    assert all((t - datetime.min) % timedelta(minutes=7) == timedelta(0) for t in starts)


def test_count_consolidator(rt: FakeRuntime) -> None:
    config = rt.subscribe(SPY, Resolution.MINUTE)
    driver = Driver(rt)
    three = driver.record(TradeBarConsolidator(3))
    rt.subscription_manager.add_consolidator(SPY, three)
    bars = [trade(t, i, i + 1, i - 1, i + 0.5, 10, MINUTE) for i, t in enumerate(minutes(DAY, "09:30", "09:38"), 1)]
    driver.run(config, bars)
    assert driver.spans() == [("09:33:00", "09:30:00", "09:33:00"), ("09:36:00", "09:33:00", "09:36:00")]
    bar = driver.outputs[1].bar
    assert (bar.open, bar.high, bar.low, bar.close, bar.volume) == (4, 7, 3, 6.5, 30)
    driver.step(at("10:30:00"))  # a count consolidator never emits on time
    assert len(driver.outputs) == 2


def test_mixed_count_and_period(rt: FakeRuntime) -> None:
    config = rt.subscribe(SPY, Resolution.MINUTE)
    driver = Driver(rt)
    consolidator = driver.record(TradeBarConsolidator(5, timedelta(minutes=3)))
    rt.subscription_manager.add_consolidator(SPY, consolidator)
    driver.run(config, [flat(t, 1.0, period=MINUTE) for t in minutes(DAY, "09:30", "09:40")])
    # whichever comes first: 3 minutes after the bar opened
    assert [s[1:] for s in driver.spans()][:2] == [("09:30:00", "09:33:00"), ("09:33:00", "09:36:00")]


def test_consolidated_is_set_after_the_base_handlers(rt: FakeRuntime) -> None:
    config = rt.subscribe(SPY, Resolution.MINUTE)
    seen: list[tuple[object, object]] = []
    consolidator = TradeBarConsolidator(timedelta(minutes=2))
    consolidator.data_consolidated += lambda sender, bar: seen.append((sender.consolidated, bar))
    rt.subscription_manager.add_consolidator(SPY, consolidator)
    Driver(rt).run(config, [flat(t, 1.0, period=MINUTE) for t in minutes(DAY, "09:30", "09:34")])
    # Python handlers use the typed event, which Lean raises after `Consolidated` was assigned
    assert all(consolidated is bar for consolidated, bar in seen) and len(seen) == 2


def test_unsubscribe_handler_and_remove_consolidator(rt: FakeRuntime) -> None:
    config = rt.subscribe(SPY, Resolution.MINUTE)
    manager = rt.subscription_manager
    calls: list[object] = []

    def handler(sender: object, bar: object) -> None:
        calls.append(bar)

    consolidator = TradeBarConsolidator(timedelta(minutes=2))
    consolidator.DataConsolidated += handler
    consolidator.DataConsolidated -= handler
    manager.AddConsolidator(SPY, consolidator)
    assert manager.has_consolidators and bool(config.consolidators)
    manager.remove_consolidator(SPY, consolidator)
    assert not manager.has_consolidators and not bool(config.consolidators) and not calls


def test_data_longer_than_the_period_is_rejected(rt: FakeRuntime) -> None:
    rt.subscribe(SPY, Resolution.MINUTE)
    consolidator = TradeBarConsolidator(timedelta(seconds=30))
    with pytest.raises(ValueError, match="can not consolidate bars of period"):
        consolidator.update(flat(at("09:30:00"), 1.0, period=MINUTE))


def test_a_consolidator_serves_one_symbol() -> None:
    from consolidators_support import AAPL
    consolidator = TradeBarConsolidator(timedelta(minutes=5))
    consolidator.update(flat(at("09:30:00"), 1.0, period=MINUTE))
    with pytest.raises(ValueError, match="single symbol"):
        consolidator.update(flat(at("09:31:00"), 1.0, period=MINUTE, symbol=AAPL))


def test_add_consolidator_errors(rt: FakeRuntime) -> None:
    from pylean.consolidators import QuoteBarConsolidator
    rt.subscribe(SPY, Resolution.DAILY)
    with pytest.raises(ValueError, match="Please subscribe to this symbol"):
        rt.subscription_manager.add_consolidator("IBM", TradeBarConsolidator(3))
    with pytest.raises(ValueError, match="Type mismatch"):
        rt.subscription_manager.add_consolidator(SPY, QuoteBarConsolidator(3))
