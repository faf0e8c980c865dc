"""The engine's per-bar path (SubscriptionManager.feed -> each consolidator's `_feed`: the mid-period merge, the
period end computed once a bar, the remembered open segment) emits exactly what Lean's step-by-step
update-then-scan does: subclasses of pylean's consolidators always take that plain path, so random days with
missing bars, missing days, extended-hours bars on or off and several consolidators on one subscription are run
through both and the emitted bars' fields, step clocks and event order compared."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from consolidators_support import SPY, Driver, FakeRuntime, trade
from pylean.consolidators import (CalendarInfo, IdentityDataConsolidator, MarketHourAwareConsolidator,
                                  TradeBarConsolidator)
from pylean.enums import Resolution


class PlainTradeBarConsolidator(TradeBarConsolidator):
    __slots__ = ()


class PlainMarketHourAwareConsolidator(MarketHourAwareConsolidator):
    __slots__ = ()


class PlainIdentityDataConsolidator(IdentityDataConsolidator):
    __slots__ = ()


DAYS = [date(2013, 11, 25), date(2013, 11, 26), date(2013, 11, 27), date(2013, 11, 29),  # the 29th closes at 13:00
        date(2013, 12, 2)]


def two_minute_calendar(time: datetime) -> CalendarInfo:
    start = time.replace(second=0, microsecond=0)
    return CalendarInfo(start - timedelta(minutes=start.minute % 2), timedelta(minutes=2))


def build(plain: bool, extended: bool) -> list:
    trade_class = PlainTradeBarConsolidator if plain else TradeBarConsolidator
    hours_class = PlainMarketHourAwareConsolidator if plain else MarketHourAwareConsolidator
    identity = PlainIdentityDataConsolidator if plain else IdentityDataConsolidator
    # (bar-count consolidators are scanned every second of a gap, Lean's schedule: the fast-path test covers them)
    return [("15s", trade_class(timedelta(seconds=15))), ("7s", trade_class(timedelta(seconds=7))),
            ("2m-calendar", trade_class(two_minute_calendar)), ("minute", trade_class(Resolution.MINUTE)),
            ("identity", identity()),
            ("daily", hours_class(True, Resolution.DAILY, "trade", extended_market_hours=extended)),
            ("hourly", hours_class(True, timedelta(hours=1), "trade", extended_market_hours=extended)),
            ("30m-open", hours_class(True, timedelta(minutes=30), "trade", extended_market_hours=extended))]


def run(plain: bool, extended: bool, stream: list[tuple[datetime, float, float, float]]) -> list:
    rt = FakeRuntime()
    config = rt.subscribe(SPY, Resolution.SECOND)
    driver = Driver(rt)
    events: list = []
    for name, consolidator in build(plain, extended):
        consolidator.data_consolidated += lambda sender, bar, name=name: events.append(
            (name, rt.cursor.time, bar.time, bar.end_time, bar.open, bar.high, bar.low, bar.close, bar.volume))
        rt.subscription_manager.add_consolidator(SPY, consolidator)
    bars = [trade(t, price, price + spread, price - spread, price + spread / 3, volume)
            for t, price, spread, volume in stream]
    driver.run(config, bars)
    driver.step(stream[-1][0] + timedelta(hours=5))  # a last step after the data: the scans emit what is left
    return events


@st.composite
def streams(draw: st.DrawFn) -> tuple[bool, list[tuple[datetime, float, float, float]]]:
    extended = draw(st.booleans())
    days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True).map(sorted))
    out = []
    for day in days:
        # regular hours, or from 04:00 / to 20:00 when extended hours are delivered; gaps of 1 s to 40 min
        first = datetime(day.year, day.month, day.day, 4 if extended else 9, 0 if extended else 30)
        last = datetime(day.year, day.month, day.day, 20 if extended else 16)
        t = first + timedelta(seconds=draw(st.integers(0, 3600)))
        for gap in draw(st.lists(st.one_of(st.integers(1, 20), st.integers(20, 2400)), min_size=1, max_size=60)):
            if t >= last:
                break
            out.append((t, draw(st.floats(10, 20)), draw(st.floats(0, 1)), draw(st.floats(0, 500))))
            t += timedelta(seconds=gap)
    return extended, out


@settings(max_examples=60, deadline=None)
@given(streams())
def test_feed_path_matches_update_then_scan(case: tuple[bool, list]) -> None:
    extended, stream = case
    if not stream:
        return
    fast = run(False, extended, stream)
    assert fast == run(True, extended, stream)
    assert [e for e in fast if e[0] == "identity"]  # every bar passes the identity consolidator: not vacuous


def test_the_comparison_sees_every_kind_emit() -> None:
    day = DAYS[3]  # the early close
    stream = [(datetime(day.year, day.month, day.day, 9, 30) + timedelta(seconds=17 * i), 10.0 + i % 7, 0.5, 10.0)
              for i in range(900)]
    fast = run(False, False, stream)
    assert fast == run(True, False, stream)
    assert {e[0] for e in fast} == {"15s", "7s", "2m-calendar", "minute", "identity", "daily", "hourly",
                                    "30m-open"}
    daily = [e for e in fast if e[0] == "daily"]
    assert [(e[2], e[3]) for e in daily] == [(datetime(2013, 11, 29, 9, 30), datetime(2013, 11, 29, 13, 0))]


def end_of(bar: object) -> object:
    return None if bar is None else bar.end_time  # type: ignore[attr-defined]


def identity_trace(consolidator_class: type, window_size: int) -> list:
    """What an identity consolidator shows its handlers and keeps, fed through the manager (its `_feed`)."""
    rt = FakeRuntime()
    config = rt.subscribe(SPY, Resolution.SECOND)
    driver = Driver(rt)
    consolidator = consolidator_class()
    consolidator.window.size = window_size
    seen: list = []
    consolidator.data_consolidated += lambda sender, bar: seen.append(
        (bar.end_time, consolidator.window.count, consolidator.window.samples, end_of(consolidator.consolidated),
         end_of(consolidator.working_data), consolidator.window.count and consolidator.window[0] is bar))
    rt.subscription_manager.add_consolidator(SPY, consolidator)
    start = datetime(2013, 11, 25, 9, 30)
    bars = [trade(start + timedelta(seconds=i), 10.0 + i, 11.0 + i, 9.0 + i, 10.5 + i) for i in range(6)]
    driver.run(config, bars + [bars[-1]])  # the same end time again is not a new output
    return [seen, [bar.end_time for bar in consolidator.window], consolidator.window.samples,
            consolidator.consolidated.end_time]


def test_identity_feed_keeps_the_window_of_any_size_as_update_does() -> None:
    for size in (0, 1, 2, 4):
        fast = identity_trace(IdentityDataConsolidator, size)
        assert fast == identity_trace(PlainIdentityDataConsolidator, size)
        assert len(fast[0]) == 6 and fast[2] == 6 and len(fast[1]) == min(size, 6)
