"""The US equity (NYSE) session calendar, computed from the exchange's published holiday rules.

Used to lay out synthetic data, to expand "N trading days" in scenario files and to list the
files a Lean data folder must hold for a scenario. Regular session 09:30-16:00 New York;
early closes at 13:00. Rules: New Year, Martin Luther King Jr. Day (3rd Mon Jan, from 1998),
Washington's Birthday (3rd Mon Feb), Good Friday, Memorial Day (last Mon May), Juneteenth
(from 2022), Independence Day, Labor Day (1st Mon Sep), Thanksgiving (4th Thu Nov) and
Christmas; a Saturday holiday is observed on Friday (except New Year's Day), a Sunday holiday on
Monday. Early closes: July 3 (when a weekday session and July 4 is not Monday), the day after
Thanksgiving, December 24 (weekday). One-off closures (e.g. national days of mourning) are not
rules; the few after 2000 are listed explicitly.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import cache

OPEN_SECOND = 9 * 3600 + 30 * 60   # 09:30 in seconds after midnight
CLOSE_SECOND = 16 * 3600           # 16:00
EARLY_CLOSE_SECOND = 13 * 3600     # 13:00

# Unscheduled closures (not derivable from rules).
_SPECIAL_CLOSURES = {date(2001, 9, 11), date(2001, 9, 12), date(2001, 9, 13), date(2001, 9, 14),
                     date(2004, 6, 11), date(2007, 1, 2), date(2012, 10, 29), date(2012, 10, 30),
                     date(2018, 12, 5), date(2025, 1, 9)}
_SPECIAL_EARLY_CLOSES = {date(2002, 7, 5), date(2003, 12, 26)}
_NOT_EARLY_CLOSES = {date(2002, 7, 3)}


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = (date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, integer arithmetic)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _observed(d: date) -> date:
    if d.weekday() == 5:
        return d - timedelta(days=1)
    if d.weekday() == 6:
        return d + timedelta(days=1)
    return d


@cache
def holidays(year: int) -> frozenset[date]:
    days = {_observed(date(year, 7, 4)), _observed(date(year, 12, 25)),
            _nth_weekday(year, 2, 0, 3), easter(year) - timedelta(days=2),
            _last_weekday(year, 5, 0), _nth_weekday(year, 9, 0, 1), _nth_weekday(year, 11, 3, 4)}
    new_year = date(year, 1, 1)
    if new_year.weekday() != 5:          # a Saturday New Year is not moved back into December
        days.add(_observed(new_year))
    if year >= 1998:
        days.add(_nth_weekday(year, 1, 0, 3))
    if year >= 2022:
        days.add(_observed(date(year, 6, 19)))
    days |= {d for d in _SPECIAL_CLOSURES if d.year == year}
    return frozenset(days)


@cache
def early_closes(year: int) -> frozenset[date]:
    days = {_nth_weekday(year, 11, 3, 4) + timedelta(days=1)}
    july3 = date(year, 7, 3)
    if july3.weekday() < 4:              # Mon-Thu; a Friday July 3 is the observed holiday itself
        days.add(july3)
    dec24 = date(year, 12, 24)
    if dec24.weekday() < 5:
        days.add(dec24)
    days |= {d for d in _SPECIAL_EARLY_CLOSES if d.year == year}
    return frozenset(d for d in days - _NOT_EARLY_CLOSES if is_trading_day(d))


def is_trading_day(d: date) -> bool:
    return d.weekday() < 5 and d not in holidays(d.year)


def close_second(d: date) -> int:
    """Session close in seconds after midnight (16:00, or 13:00 on an early close)."""
    return EARLY_CLOSE_SECOND if d in early_closes(d.year) else CLOSE_SECOND


def trading_days(start: date, end: date) -> list[date]:
    days, d = [], start
    while d <= end:
        if is_trading_day(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def add_trading_days(start: date, count: int) -> date:
    """The count-th trading day on or after start (count >= 1)."""
    d, seen = start, 0
    while True:
        if is_trading_day(d):
            seen += 1
            if seen == count:
                return d
        d += timedelta(days=1)


def trading_days_before(end: date, count: int) -> list[date]:
    """The `count` trading days strictly before `end`, oldest first."""
    days: list[date] = []
    d = end - timedelta(days=1)
    while len(days) < count:
        if is_trading_day(d):
            days.append(d)
        d -= timedelta(days=1)
    return days[::-1]
