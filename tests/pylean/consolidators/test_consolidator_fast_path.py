"""TradeBarConsolidator's mid-period shortcut emits exactly what the full PeriodCountConsolidatorBase
update does: the same bars, at the same step clocks, for random streams with gaps and odd periods."""
from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from consolidators_support import SPY, Driver, FakeRuntime, trade
from pylean.consolidators import TradeBarConsolidator
from pylean.consolidators.calendar import CalendarInfo
from pylean.enums import Resolution


class GenericTradeBarConsolidator(TradeBarConsolidator):
    """A subclass never takes the shortcut (it is for TradeBarConsolidator itself)."""

    __slots__ = ()


def emissions(consolidator_class: type, period: object, steps: list[tuple[int, float, float, float]]) -> list:
    rt = FakeRuntime()
    config = rt.subscribe(SPY, Resolution.SECOND)
    driver = Driver(rt)
    consolidator = driver.record(consolidator_class(period))
    rt.subscription_manager.add_consolidator("SPY", consolidator)
    start = datetime(2013, 10, 7, 9, 30)
    bars = []
    for second, price, spread, volume in steps:
        t = start + timedelta(seconds=second)
        bars.append(trade(t, price, price + spread, price - spread, price + spread / 2, volume))
    driver.run(config, bars)
    return [(e.clock, e.bar.time, e.bar.end_time, e.bar.open, e.bar.high, e.bar.low, e.bar.close, e.bar.volume)
            for e in driver.outputs]


steps = st.lists(st.tuples(st.integers(1, 40), st.floats(10, 20), st.floats(0, 1), st.floats(0, 500)),
                 min_size=1, max_size=120).map(
    lambda gaps: [(sum(g for g, *_ in gaps[:i + 1]), p, s, v) for i, (_, p, s, v) in enumerate(gaps)])


def two_minute_calendar(time: datetime) -> CalendarInfo:
    start = time.replace(second=0, microsecond=0)
    return CalendarInfo(start - timedelta(minutes=start.minute % 2), timedelta(minutes=2))


@settings(max_examples=300, deadline=None)
@given(steps, st.sampled_from([timedelta(seconds=5), timedelta(seconds=30), timedelta(minutes=1),
                               timedelta(seconds=7), timedelta(minutes=5), two_minute_calendar]))
def test_shortcut_matches_the_full_update(stream: list, period: object) -> None:
    fast = emissions(TradeBarConsolidator, period, stream)
    assert fast == emissions(GenericTradeBarConsolidator, period, stream)
    span = period.total_seconds() if isinstance(period, timedelta) else 120
    if stream[-1][0] - stream[0][0] > 2 * span:
        assert fast  # a stream spanning two periods emits (the comparison is not vacuous)
