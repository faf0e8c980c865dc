from __future__ import annotations

from datetime import date

from zacperf import calendar


def test_2025_holidays_and_early_closes():
    expected = {date(2025, 1, 1), date(2025, 1, 9), date(2025, 1, 20), date(2025, 2, 17), date(2025, 4, 18),
                date(2025, 5, 26), date(2025, 6, 19), date(2025, 7, 4), date(2025, 9, 1), date(2025, 11, 27),
                date(2025, 12, 25)}
    assert calendar.holidays(2025) == expected
    assert calendar.early_closes(2025) == {date(2025, 7, 3), date(2025, 11, 28), date(2025, 12, 24)}
    assert calendar.close_second(date(2025, 11, 28)) == 13 * 3600


def test_observed_rules():
    assert date(2026, 7, 3) in calendar.holidays(2026)          # Saturday July 4 -> Friday
    assert date(2021, 12, 24) in calendar.holidays(2021)        # Saturday Christmas -> Friday
    assert date(2022, 12, 26) in calendar.holidays(2022)        # Sunday Christmas -> Monday
    assert date(2021, 12, 31) not in calendar.holidays(2021)    # Saturday New Year is not moved back
    assert date(2026, 7, 2) not in calendar.early_closes(2026)


def test_trading_day_arithmetic():
    days = calendar.trading_days(date(2025, 10, 1), date(2025, 10, 10))
    assert len(days) == 8 and days[0] == date(2025, 10, 1) and days[-1] == date(2025, 10, 10)
    assert calendar.add_trading_days(date(2025, 9, 15), 20) == date(2025, 10, 10)
    assert calendar.add_trading_days(date(2025, 10, 4), 1) == date(2025, 10, 6)   # Saturday start
    before = calendar.trading_days_before(date(2025, 10, 1), 3)
    assert before == [date(2025, 9, 26), date(2025, 9, 29), date(2025, 9, 30)]


def test_easter():
    assert calendar.easter(2025) == date(2025, 4, 20)
    assert calendar.easter(2024) == date(2024, 3, 31)
