"""Date and time rules (pylean/scheduling_rules.py) over 2013-11-22..12-03: two weekends, Thanksgiving
(2013-11-28, closed) and its early close (2013-11-29, 13:00); plus Lean's own test vectors for 2000."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from pylean.data.market_hours import ExchangeHours
from pylean.scheduling_rules import DateRules, DayOfWeek, TimeRules

START, END = date(2013, 11, 22), date(2013, 12, 3)
TRADING = [date(2013, 11, 22), date(2013, 11, 25), date(2013, 11, 26), date(2013, 11, 27), date(2013, 11, 29),
           date(2013, 12, 2), date(2013, 12, 3)]


@pytest.fixture
def clock() -> list[datetime]:
    return [datetime(2013, 11, 26, 10, 30)]


@pytest.fixture
def date_rules(hours: ExchangeHours, clock: list[datetime]) -> DateRules:
    return DateRules(hours, None, lambda: clock[0])


@pytest.fixture
def time_rules(hours: ExchangeHours, clock: list[datetime]) -> TimeRules:
    return TimeRules(hours, None, lambda: clock[0])


def dates(rule, start: date = START, end: date = END) -> list[date]:  # type: ignore[no-untyped-def]
    return list(rule.get_dates(start, end))


def days(rule, start: date, end: date) -> list[int]:  # type: ignore[no-untyped-def]
    return [d.day for d in rule.get_dates(start, end)]


# ---------------------------------------------------------------- date rules
def test_every_day_is_every_calendar_day(date_rules: DateRules) -> None:
    rule = date_rules.every_day()
    assert dates(rule) == [START + timedelta(days=i) for i in range(12)] and rule.name == "EveryDay"
    assert date_rules.EveryDay().Name == "EveryDay"


def test_every_day_with_symbol_is_its_trading_days(date_rules: DateRules) -> None:
    rule = date_rules.every_day("SPY")
    assert dates(rule) == TRADING and rule.name == "SPY: EveryDay"


def test_every_days_of_week(date_rules: DateRules) -> None:
    rule = date_rules.every(DayOfWeek.MONDAY, DayOfWeek.Friday)
    assert dates(rule) == [date(2013, 11, 22), date(2013, 11, 25), date(2013, 11, 29), date(2013, 12, 2)]
    assert rule.name == "Monday,Friday"
    assert dates(date_rules.every([DayOfWeek.THURSDAY])) == [date(2013, 11, 28)]  # calendar days: holiday included


def test_week_start_and_end(date_rules: DateRules) -> None:
    assert dates(date_rules.week_start()) == [date(2013, 11, 25), date(2013, 12, 2)]
    assert dates(date_rules.week_start("SPY")) == [date(2013, 11, 25), date(2013, 12, 2)]
    assert dates(date_rules.week_end()) == [date(2013, 11, 22), date(2013, 11, 29)]
    assert dates(date_rules.week_end("SPY")) == [date(2013, 11, 22), date(2013, 11, 29)]  # early close still open
    # Thanksgiving week: Thursday + offset steps over the holiday with a symbol, not without
    assert dates(date_rules.week_start("SPY", 3)) == [date(2013, 11, 29)]
    assert dates(date_rules.week_start(3)) == [date(2013, 11, 28)]
    # a holiday on the base day moves to the next/previous trading day
    assert dates(date_rules.week_start("SPY"), date(2013, 9, 1), date(2013, 9, 8)) == [date(2013, 9, 3)]
    assert dates(date_rules.week_end("SPY"), date(2013, 3, 25), date(2013, 3, 31)) == [date(2013, 3, 28)]
    assert date_rules.week_start("SPY", 1).name == "SPY: WeekStart+1"
    assert date_rules.WeekEnd(2).Name == "WeekEnd-2"


def test_week_rules_match_lean_test_vectors(date_rules: DateRules) -> None:
    jan = (date(2000, 1, 1), date(2000, 1, 31))
    assert days(date_rules.week_start("SPY"), *jan) == [3, 10, 18, 24, 31]
    assert days(date_rules.week_start("SPY", 2), *jan) == [5, 12, 20, 26]
    assert days(date_rules.week_end("SPY"), *jan) == [7, 14, 21, 28]
    assert days(date_rules.week_end("SPY", 2), *jan) == [5, 12, 19, 26]
    year = (date(2000, 1, 1), date(2000, 12, 31))
    assert len(dates(date_rules.week_start(), *year)) == 52 and len(dates(date_rules.week_start(5), *year)) == 53
    # a week that started before the range still yields its date when that date is inside it
    assert dates(date_rules.week_start(3), date(2000, 1, 6), date(2000, 1, 9)) == [date(2000, 1, 6)]
    assert dates(date_rules.week_start(3), date(2000, 1, 7), date(2000, 1, 9)) == []


def test_month_rules(date_rules: DateRules) -> None:
    assert dates(date_rules.month_start()) == [date(2013, 12, 1)]           # a Sunday
    assert dates(date_rules.month_start("SPY")) == [date(2013, 12, 2)]      # first trading day
    assert dates(date_rules.month_end()) == [date(2013, 11, 30)]            # a Saturday
    assert dates(date_rules.month_end("SPY")) == [date(2013, 11, 29)]       # the early-close day
    half = (date(2000, 1, 1), date(2000, 6, 30))                             # Lean's DateRulesTests vectors
    assert days(date_rules.month_start("SPY", 5), *half) == [10, 8, 8, 10, 8, 8]
    assert days(date_rules.month_start("SPY", 12), *half) == [20, 17, 17, 19, 17, 19]
    assert days(date_rules.month_start("SPY", 25), *half) == [31, 29, 31, 28, 31, 30]
    assert days(date_rules.month_end("SPY", 5), *half) == [24, 22, 24, 20, 23, 23]
    assert days(date_rules.month_end("SPY", 25), *half) == [3, 1, 1, 3, 1, 1]
    assert days(date_rules.month_start(5), *half) == [6] * 6
    assert date_rules.month_end("SPY", 3).name == "SPY: MonthEnd-3"


def test_quarter_and_year_rules(date_rules: DateRules) -> None:
    year = (date(2013, 1, 1), date(2013, 12, 31))
    assert dates(date_rules.quarter_start("SPY"), *year) == [date(2013, 1, 2), date(2013, 4, 1), date(2013, 7, 1),
                                                             date(2013, 10, 1)]
    assert dates(date_rules.quarter_end(), *year) == [date(2013, 3, 31), date(2013, 6, 30), date(2013, 9, 30),
                                                      date(2013, 12, 31)]
    assert dates(date_rules.year_start("SPY"), date(2013, 1, 1), date(2014, 1, 31)) == [date(2013, 1, 2),
                                                                                         date(2014, 1, 2)]
    # Lean's year iterator starts at the start's month: a January 1st before it is never considered
    assert dates(date_rules.year_start(40), date(2013, 2, 1), date(2013, 12, 31)) == []


def test_offsets_are_range_checked(date_rules: DateRules) -> None:
    for bad in (lambda: date_rules.week_start(7), lambda: date_rules.week_end("SPY", 5),
                lambda: date_rules.month_start("SPY", 31), lambda: date_rules.quarter_end(93),
                lambda: date_rules.year_start(366)):
        with pytest.raises(ValueError):
            bad()
    date_rules.month_start(45)  # Lean does not check the symbol-less month offset


def test_on_today_tomorrow(date_rules: DateRules, clock: list[datetime]) -> None:
    assert dates(date_rules.on(2013, 11, 28)) == [date(2013, 11, 28)]
    rule = date_rules.on([datetime(2013, 11, 1), date(2013, 11, 25), date(2013, 12, 2)])
    assert dates(rule) == [date(2013, 11, 25), date(2013, 12, 2)] and rule.name == "11/01/2013,11/25/2013,12/02/2013"
    today, tomorrow = date_rules.today, date_rules.tomorrow
    clock[0] = datetime(2013, 11, 29, 12)  # read when the dates are generated, not when the rule is made
    assert dates(today) == [date(2013, 11, 29)] and dates(tomorrow) == [date(2013, 11, 30)]


# ---------------------------------------------------------------- time rules
def times(date_rules: DateRules, time_rule, date_rule=None) -> list[datetime]:  # type: ignore[no-untyped-def]
    return list(time_rule.create_event_times((date_rule or date_rules.every_day()).get_dates(START, END)))


def test_at_every_calendar_day(date_rules: DateRules, time_rules: TimeRules) -> None:
    rule = time_rules.at(15, 59)
    assert times(date_rules, rule) == [datetime.combine(START + timedelta(days=i), datetime.min.time())
                                       + timedelta(hours=15, minutes=59) for i in range(12)]
    assert rule.name == "15.98" and time_rules.At(9, 30).Name == "9.5" and time_rules.at(10, 0).name == "10"
    assert times(date_rules, time_rules.at(timedelta(hours=9, minutes=31, seconds=5)))[0] == datetime(2013, 11, 22, 9,
                                                                                                      31, 5)
    assert times(date_rules, time_rules.at(12, 0, "UTC"))[0] == datetime(2013, 11, 22, 7)  # EST = UTC-5


def test_market_open_rules(date_rules: DateRules, time_rules: TimeRules) -> None:
    rule = time_rules.after_market_open("SPY", 10)
    assert times(date_rules, rule) == [datetime.combine(d, datetime.min.time()) + timedelta(hours=9, minutes=40)
                                       for d in TRADING]  # weekend and holiday produce nothing
    assert rule.name == "SPY: 10 min after MarketOpen"
    assert times(date_rules, time_rules.after_market_open("SPY", 0, True))[0] == datetime(2013, 11, 22, 4)
    assert times(date_rules, time_rules.before_market_open("SPY", 30))[0] == datetime(2013, 11, 22, 9)
    assert time_rules.before_market_open("SPY", 30).name == "SPY: 30 min before MarketOpen"
    assert times(date_rules, time_rules.after_market_open(5))[0] == datetime(2013, 11, 22, 9, 35)  # no symbol: SPY


def test_market_close_rules(date_rules: DateRules, time_rules: TimeRules) -> None:
    rule = time_rules.before_market_close("SPY", 10)
    closes = times(date_rules, rule)
    assert [t.date() for t in closes] == TRADING and rule.name == "SPY: 10 min before MarketClose"
    assert datetime(2013, 11, 27, 15, 50) in closes and datetime(2013, 11, 29, 12, 50) in closes
    extended = times(date_rules, time_rules.before_market_close("SPY", 0, True))
    assert datetime(2013, 11, 27, 20) in extended and datetime(2013, 11, 29, 13) in extended  # post-market cut
    assert times(date_rules, time_rules.after_market_close("SPY", 5))[0] == datetime(2013, 11, 22, 16, 5)
    assert time_rules.before_market_close("SPY").name == "SPY: 0 min after MarketClose"  # Lean's wording at 0


def test_midnight_noon_every_now(date_rules: DateRules, time_rules: TimeRules, clock: list[datetime]) -> None:
    assert times(date_rules, time_rules.midnight)[:2] == [datetime(2013, 11, 22), datetime(2013, 11, 23)]
    assert times(date_rules, time_rules.noon)[0] == datetime(2013, 11, 22, 12)
    rule = time_rules.every(timedelta(hours=6))
    assert times(date_rules, rule)[:5] == [datetime(2013, 11, 22, h) for h in (0, 6, 12, 18)] + [datetime(2013, 11, 23)]
    assert rule.name == "Every 360 min"
    with pytest.raises(ValueError):
        time_rules.every(timedelta(0))
    now = time_rules.now.create_event_times([date(2001, 1, 1)])
    clock[0] = datetime(2013, 11, 26, 11, 15)
    assert list(now) == [datetime(2013, 11, 26, 11, 15)]


def test_daylight_saving_days(date_rules: DateRules, time_rules: TimeRules) -> None:
    spring, autumn = date(2013, 3, 10), date(2013, 11, 3)
    # Lean adds 12 h to midnight in UTC for noon, and moves a skipped wall time to the end of the gap
    assert list(time_rules.noon.create_event_times([spring, autumn])) == [datetime(2013, 3, 10, 13),
                                                                          datetime(2013, 11, 3, 11)]
    assert list(time_rules.at(2, 30).create_event_times([spring])) == [datetime(2013, 3, 10, 3)]
    assert list(time_rules.at(1, 30).create_event_times([autumn])) == [datetime(2013, 11, 3, 1, 30)]
