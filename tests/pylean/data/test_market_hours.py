"""Tests for pylean/data/market_hours.py (Lean SecurityExchangeHours) on the real database."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from pylean.data.market_hours import ExchangeHours, MarketHoursDatabase, parse_timespan


@pytest.fixture(scope="module")
def hours(lean_data: Path) -> ExchangeHours:
    return MarketHoursDatabase.from_data_folder(lean_data).exchange_hours("Equity", "usa", "[*]")


def dt(*args: int) -> datetime:
    return datetime(*args)


def test_entry_fields(hours: ExchangeHours, lean_data: Path) -> None:
    assert hours.time_zone == "America/New_York" and hours.data_time_zone == "America/New_York"
    assert len(hours.holidays) == 293 and len(hours.early_closes) == 65 and hours.late_opens == {}
    assert hours.early_closes[date(2013, 11, 29)] == time(13, 0)
    spec_holidays = {date(2013, 1, 1), date(2013, 1, 21), date(2013, 2, 18), date(2013, 3, 29), date(2013, 5, 27),
                     date(2013, 7, 4), date(2013, 9, 2), date(2013, 11, 28), date(2013, 12, 25), date(2015, 4, 3)}
    assert spec_holidays <= hours.holidays
    database = MarketHoursDatabase.from_data_folder(lean_data)
    star = database.exchange_hours()
    assert database.exchange_hours("equity", "USA", "SPY") is star  # falls back to [*], cached
    assert star.holidays == hours.holidays
    with pytest.raises(KeyError):
        MarketHoursDatabase.from_data_folder(lean_data).exchange_hours("Equity", "mars")


def test_regular_day(hours: ExchangeHours) -> None:
    d = date(2013, 10, 7)
    assert hours.is_trading_day(d)
    assert hours.market_segments(d) == [(dt(2013, 10, 7, 9, 30), dt(2013, 10, 7, 16))]
    assert hours.market_open(d) == dt(2013, 10, 7, 9, 30) and hours.market_close(d) == dt(2013, 10, 7, 16)
    assert not hours.is_open(dt(2013, 10, 7, 9, 29, 59)) and hours.is_open(dt(2013, 10, 7, 9, 30))
    assert hours.is_open(dt(2013, 10, 7, 15, 59, 59)) and not hours.is_open(dt(2013, 10, 7, 16))
    assert hours.is_open(dt(2013, 10, 7, 4), extended=True) and hours.is_open(dt(2013, 10, 7, 16), extended=True)
    assert not hours.is_open(dt(2013, 10, 7, 20), extended=True)
    assert not hours.is_open(dt(2013, 10, 7, 3, 59), extended=True)


def test_weekend_and_holiday(hours: ExchangeHours) -> None:
    for d in (date(2013, 10, 5), date(2013, 10, 6), date(2013, 11, 28)):
        assert not hours.is_trading_day(d) and hours.market_open(d) is None and hours.market_close(d) is None
        assert hours.market_segments(d) == []
    assert not hours.is_open(dt(2013, 11, 28, 10)) and not hours.is_open(dt(2013, 11, 28, 10), extended=True)


def test_early_close(hours: ExchangeHours) -> None:
    d = date(2013, 11, 29)
    assert hours.is_trading_day(d) and hours.market_close(d) == dt(2013, 11, 29, 13)
    assert hours.market_segments(d) == [(dt(2013, 11, 29, 9, 30), dt(2013, 11, 29, 13))]
    assert hours.is_open(dt(2013, 11, 29, 12, 59)) and not hours.is_open(dt(2013, 11, 29, 13))
    assert not hours.is_open(dt(2013, 11, 29, 14), extended=True)  # post-market cut too
    assert hours.overlaps_market(dt(2013, 11, 29, 12, 59), dt(2013, 11, 29, 13))
    assert not hours.overlaps_market(dt(2013, 11, 29, 13), dt(2013, 11, 29, 13, 1))


def test_overlap_rule_of_spec_1_8(hours: ExchangeHours) -> None:
    minute = timedelta(minutes=1)
    assert not hours.overlaps_market(dt(2013, 10, 7, 9, 29), dt(2013, 10, 7, 9, 29) + minute)
    assert hours.overlaps_market(dt(2013, 10, 7, 9, 30), dt(2013, 10, 7, 9, 30) + minute)
    assert hours.overlaps_market(dt(2013, 10, 7, 15, 59), dt(2013, 10, 7, 16))
    assert not hours.overlaps_market(dt(2013, 10, 7, 16), dt(2013, 10, 7, 16, 1))
    assert hours.overlaps_market(dt(2013, 10, 7, 16), dt(2013, 10, 7, 16, 1), extended=True)
    assert hours.overlaps_market(dt(2013, 10, 7, 9), dt(2013, 10, 7, 10))  # hour bar 09:00-10:00
    assert hours.overlaps_market(dt(2013, 10, 7), dt(2013, 10, 8))  # daily bar, midnight to midnight
    assert not hours.overlaps_market(dt(2013, 10, 5), dt(2013, 10, 7))  # the weekend
    assert not hours.overlaps_market(dt(2013, 11, 28), dt(2013, 11, 29))  # Thanksgiving


def test_next_open_and_close(hours: ExchangeHours) -> None:
    friday_close = dt(2013, 10, 4, 16)
    assert hours.next_market_open(friday_close) == dt(2013, 10, 7, 9, 30)
    assert hours.next_market_open(friday_close, extended=True) == dt(2013, 10, 7, 4)
    assert hours.next_market_open(dt(2013, 10, 7, 9, 30)) == dt(2013, 10, 8, 9, 30)  # strictly after
    assert hours.next_market_open(dt(2013, 10, 7, 9, 29)) == dt(2013, 10, 7, 9, 30)
    assert hours.next_market_open(dt(2013, 11, 27, 17)) == dt(2013, 11, 29, 9, 30)
    assert hours.next_market_close(dt(2013, 10, 7, 9)) == dt(2013, 10, 7, 16)
    assert hours.next_market_close(dt(2013, 10, 7, 16)) == dt(2013, 10, 8, 16)
    assert hours.next_market_close(dt(2013, 10, 7, 9), extended=True) == dt(2013, 10, 7, 20)
    assert hours.next_market_close(dt(2013, 11, 29, 9), extended=True) == dt(2013, 11, 29, 13)


def test_trading_days(hours: ExchangeHours) -> None:
    assert hours.previous_trading_day(date(2013, 10, 7)) == date(2013, 10, 4)
    assert hours.previous_trading_day(date(2013, 11, 29)) == date(2013, 11, 27)
    october = hours.trading_days(date(2013, 10, 1), date(2013, 10, 31))
    assert len(october) == 23 and october[0] == date(2013, 10, 1) and october[-1] == date(2013, 10, 31)
    assert len(hours.trading_days(date(2013, 1, 1), date(2013, 12, 31))) == 252
    assert hours.trading_days(date(2025, 10, 1), date(2025, 10, 10))[-1] == date(2025, 10, 10)


def test_late_open_and_timespans() -> None:
    assert parse_timespan("1:00:00:00") == parse_timespan("1.00:00:00") == timedelta(days=1)
    assert parse_timespan("09:30:00") == timedelta(hours=9, minutes=30)
    weekly = {0: [(timedelta(hours=4), timedelta(hours=9, minutes=30), "premarket"),
                  (timedelta(hours=9, minutes=30), timedelta(hours=16), "market")]}
    d = date(2024, 1, 8)  # a Monday
    hours = ExchangeHours("America/New_York", weekly, set(), {}, {d: time(10, 30)})
    assert hours.market_open(d) == dt(2024, 1, 8, 10, 30)
    assert not hours.is_open(dt(2024, 1, 8, 10, 30)) and hours.is_open(dt(2024, 1, 8, 10, 31))
    assert not hours.is_open(dt(2024, 1, 8, 5), extended=True)
