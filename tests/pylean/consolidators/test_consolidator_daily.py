"""Daily session bars of intraday data, calendar and identity consolidation (Lean MarketHourAwareConsolidator,
Calendar, IdentityDataConsolidator)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from consolidators_support import (EARLY_CLOSE, HOLIDAY, SPY, Driver, FakeRuntime, fill_forward, flat, minutes,
                                   seconds, trade)
from pylean.consolidators import (Calendar, CalendarInfo, IdentityDataConsolidator, MarketHourAwareConsolidator,
                                  TradeBarConsolidator)
from pylean.enums import Resolution

MINUTE = timedelta(minutes=1)
MONDAY = date(2013, 10, 7)


def session(day: date, close: str = "16:00", price: float = 100.0) -> list:
    return [trade(t, price + i, price + i + 1, price + i - 1, price + i + 0.5, 10, MINUTE)
            for i, t in enumerate(minutes(day, "09:30", close))]


def daily(rt: FakeRuntime, driver: Driver) -> MarketHourAwareConsolidator:
    consolidator = driver.record(MarketHourAwareConsolidator(True, Resolution.DAILY, "trade"))
    rt.subscription_manager.add_consolidator(SPY, consolidator)
    return consolidator


def test_session_bar_emitted_at_the_close_by_the_step_scan() -> None:
    rt = FakeRuntime()
    config = rt.subscribe(SPY, Resolution.MINUTE)
    driver = Driver(rt)
    daily(rt, driver)
    bars = session(MONDAY)
    # extended-hours bars (were they delivered) are not part of the session bar
    driver.step(datetime(2013, 10, 7, 9, 1), [(config, flat(datetime(2013, 10, 7, 9, 0), 500.0, period=MINUTE))])
    for bar in bars[:-1]:
        driver.step(bar.end_time, [(config, bar)])
    assert driver.outputs == []
    driver.step(bars[-1].end_time, [(config, bars[-1])])
    assert [(e.clock, e.bar.time, e.bar.end_time) for e in driver.outputs] == [
        (datetime(2013, 10, 7, 16), datetime(2013, 10, 7, 9, 30), datetime(2013, 10, 7, 16))]
    bar = driver.outputs[0].bar
    assert (bar.open, bar.high, bar.low, bar.close, bar.volume) == (100, 490, 99, 489.5, 3900)
    assert bar.period == timedelta(hours=6, minutes=30)


def test_early_close_session_ends_at_13() -> None:
    rt = FakeRuntime()
    config = rt.subscribe(SPY, Resolution.MINUTE)
    driver = Driver(rt)
    daily(rt, driver)
    driver.run(config, session(EARLY_CLOSE, close="13:00"))
    assert [(e.clock, e.bar.time, e.bar.end_time) for e in driver.outputs] == [
        (datetime(2013, 11, 29, 13), datetime(2013, 11, 29, 9, 30), datetime(2013, 11, 29, 13))]
    assert driver.outputs[0].bar.volume == 210 * 10


def test_session_missing_its_last_bars_is_emitted_before_the_next_day() -> None:
    rt = FakeRuntime()
    config = rt.subscribe(SPY, Resolution.MINUTE)
    driver = Driver(rt)
    daily(rt, driver)
    wednesday = date(2013, 11, 27)
    driver.run(config, session(wednesday, close="15:00"))
    assert driver.outputs == []
    # the day after is a holiday, then an early close: the first step of Friday scans it, clock at its scan time
    friday_open = session(EARLY_CLOSE, close="09:31")
    driver.run(config, friday_open)
    assert [(e.bar.time, e.bar.end_time) for e in driver.outputs] == [
        (datetime(2013, 11, 27, 9, 30), datetime(2013, 11, 27, 16))]
    assert driver.outputs[0].clock < datetime(2013, 11, 29, 9, 31)
    assert HOLIDAY not in {e.bar.time.date() for e in driver.outputs}


def test_second_bars_with_fill_forward_at_the_open() -> None:
    rt = FakeRuntime()
    config = rt.subscribe(SPY, Resolution.SECOND)
    driver = Driver(rt)
    daily(rt, driver)
    premarket = trade(datetime(2013, 10, 7, 9, 29, 58), 50, 51, 49, 50.5, 1000)
    opening = [fill_forward(premarket, t) for t in seconds(MONDAY, "09:30:00", 3)]
    rest = [trade(t, 60, 61, 59, 60.5, 5) for t in seconds(MONDAY, "09:30:03", 3)]
    driver.run(config, opening + rest)
    driver.step(datetime(2013, 10, 7, 16))  # no bar at the close: nothing yet
    driver.step(datetime(2013, 10, 8, 9, 30, 1))
    bar = driver.outputs[0].bar
    # the fill-forward copies of a pre-market bar open the session; they carry no volume
    assert (bar.time, bar.end_time, bar.open, bar.high, bar.low, bar.close, bar.volume) == (
        datetime(2013, 10, 7, 9, 30), datetime(2013, 10, 7, 16), 50, 61, 49, 60.5, 15)


def test_daily_calendar_of_a_time_before_the_open_is_the_previous_session() -> None:
    consolidator = MarketHourAwareConsolidator(True, Resolution.DAILY, "trade")
    consolidator._bind_exchange_hours(FakeRuntime().hours)
    consolidator._use_strict_end_time = True
    assert consolidator._daily_calendar(datetime(2013, 10, 8, 9, 0)) == CalendarInfo(
        datetime(2013, 10, 7, 9, 30), timedelta(hours=6, minutes=30))
    assert consolidator._daily_calendar(datetime(2013, 11, 29, 12, 0)).end == datetime(2013, 11, 29, 13)


def test_hour_bars_consolidate_into_the_session() -> None:
    rt = FakeRuntime()
    config = rt.subscribe(SPY, Resolution.HOUR)
    driver = Driver(rt)
    daily(rt, driver)
    hours = [trade(datetime(2013, 10, 7, h), h, h + 1, h - 1, h + 0.5, 10, timedelta(hours=1)) for h in range(9, 16)]
    driver.run(config, hours)
    bar = driver.outputs[0].bar
    # the 09:00-10:00 bar overlaps the open, so it is kept and starts the 09:30 session
    assert (bar.time, bar.end_time, bar.open, bar.close, bar.volume) == (
        datetime(2013, 10, 7, 9, 30), datetime(2013, 10, 7, 16), 9, 15.5, 70)


def test_weekly_calendar_of_daily_bars() -> None:
    rt = FakeRuntime()
    config = rt.subscribe(SPY, Resolution.DAILY)
    driver = Driver(rt)
    weekly = driver.record(TradeBarConsolidator(Calendar.WEEKLY))
    rt.subscription_manager.add_consolidator(SPY, weekly)
    days = [d for d in (date(2013, 10, 7) + timedelta(days=i) for i in range(12)) if d.weekday() < 5]
    bars = [trade(datetime.combine(d, time(9, 30)), i, i + 2, i - 2, i + 1, 100, timedelta(hours=6, minutes=30))
            for i, d in enumerate(days, 1)]
    driver.run(config, bars)
    driver.step(datetime(2013, 10, 21, 16))  # the next week's first step scans the finished week
    week = [e.bar for e in driver.outputs]
    assert [(b.time, b.end_time) for b in week] == [(datetime(2013, 10, 7), datetime(2013, 10, 14)),
                                                    (datetime(2013, 10, 14), datetime(2013, 10, 21))]
    assert (week[0].open, week[0].high, week[0].low, week[0].close, week[0].volume) == (1, 7, -1, 6, 500)
    # the week ending Friday 16:00 is emitted by the scan at its end (Monday 00:00), clock set to it
    assert driver.outputs[0].clock == datetime(2013, 10, 14)


def test_calendar_functions() -> None:
    wednesday = datetime(2013, 10, 9, 13, 5)
    assert Calendar.Weekly(wednesday) == CalendarInfo(datetime(2013, 10, 7), timedelta(days=7))
    assert Calendar.WEEKLY(datetime(2013, 10, 13, 23)).start == datetime(2013, 10, 7)  # Sunday
    assert Calendar.MONTHLY(wednesday) == CalendarInfo(datetime(2013, 10, 1), timedelta(days=31))
    assert Calendar.QUARTERLY(wednesday) == CalendarInfo(datetime(2013, 10, 1), timedelta(days=92))
    assert Calendar.YEARLY(wednesday).end == datetime(2014, 1, 1)


def test_identity_consolidator_skips_repeated_end_times() -> None:
    rt = FakeRuntime()
    config = rt.subscribe(SPY, Resolution.MINUTE)
    driver = Driver(rt)
    identity = driver.record(IdentityDataConsolidator("trade"))
    rt.subscription_manager.add_consolidator(SPY, identity)
    bar = flat(datetime(2013, 10, 7, 9, 30), 1.0, period=MINUTE)
    driver.step(bar.end_time, [(config, bar), (config, bar)])
    ff = fill_forward(bar, datetime(2013, 10, 7, 9, 31))
    driver.step(ff.end_time, [(config, ff)])
    assert [e.bar for e in driver.outputs] == [bar, ff]
