"""Calendar arithmetic behind Lean's date and time rules (Common/Scheduling/DateRules.cs private iterators, Common/Time.cs).

Dates are `date` objects, times naive New York local datetimes, as everywhere in the engine.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Iterator

from pylean.data.market_hours import MARKET, ExchangeHours
from pylean.timeutil import NEW_YORK

ONE_DAY = timedelta(days=1)
_SEARCH_DAYS = 3660  # a trading-day search never needs more; it stops runaway loops on odd calendars


def each_day(start: date, end: date) -> Iterator[date]:
    """Every calendar day from start to end, both included (Time.EachDay)."""
    d = start
    while d <= end:
        yield d
        d += ONE_DAY


def net_day_of_week(d: date) -> int:
    """.NET DayOfWeek numbering: Sunday 0 ... Saturday 6."""
    return (d.weekday() + 1) % 7


class AlwaysOpen:
    """SecurityExchangeHours.AlwaysOpen: the calendar of date rules given no symbol (every date open)."""

    weekly_days = (0, 1, 2, 3, 4, 5, 6)

    def is_date_open(self, d: date, extended: bool = False) -> bool:
        return True

    def next_trading_day(self, d: date) -> date:
        return d + ONE_DAY

    def previous_trading_day(self, d: date) -> date:
        return d - ONE_DAY


class ExchangeCalendar:
    """The day-level questions Lean asks of SecurityExchangeHours, answered from our ExchangeHours."""

    def __init__(self, hours: ExchangeHours) -> None:
        self.hours = hours
        weekly = getattr(hours, "_weekly", None)  # the weekly template, before holidays (MarketHours.Values)
        days = range(7) if weekly is None else [d for d in range(7) if weekly.get(d)]
        self.weekly_days = tuple(sorted((d + 1) % 7 for d in days))  # ordered by .NET DayOfWeek, Sunday first

    def is_date_open(self, d: date, extended: bool = False) -> bool:
        """IsDateOpen: a regular session that day; a day with only extended hours counts when `extended`."""
        segments = self.hours.segments(d)
        if not segments:
            return False
        return extended or any(s.state == MARKET for s in segments)

    def next_trading_day(self, d: date) -> date:
        """GetNextTradingDay: the first regular-session day strictly after d."""
        for _ in range(_SEARCH_DAYS):
            d += ONE_DAY
            if self.is_date_open(d):
                return d
        raise ValueError(f"no trading day within {_SEARCH_DAYS} days after {d}")

    def previous_trading_day(self, d: date) -> date:
        """GetPreviousTradingDay: the last regular-session day strictly before d."""
        for _ in range(_SEARCH_DAYS):
            d -= ONE_DAY
            if self.is_date_open(d):
                return d
        raise ValueError(f"no trading day within {_SEARCH_DAYS} days before {d}")

    def first_open(self, d: date, extended: bool) -> datetime | None:
        """GetFirstDailyMarketOpen of that date (the pre-market start when `extended`), None when closed."""
        for s in self.hours.segments(d):
            if extended or s.state == MARKET:
                return s.start
        return None

    def last_close(self, d: date, extended: bool) -> datetime | None:
        """GetLastDailyMarketClose of that date (early closes applied; post-market end when `extended`)."""
        for s in reversed(self.hours.segments(d)):
            if extended or s.state == MARKET:
                return s.end
        return None


Calendar = AlwaysOpen | ExchangeCalendar


def scheduled_day(calendar: Calendar, base: date, offset: int, forward: bool, extended: bool,
                  boundary: date | None = None) -> date:
    """DateRules.GetScheduledDay: move off a closed base day, step `offset` trading days, stay within the period."""
    step = calendar.next_trading_day if forward else calendar.previous_trading_day
    d = base
    if not calendar.is_date_open(d, extended):
        d = step(d)
    for _ in range(offset):  # a negative offset steps nowhere, as in Lean's for loop
        d = step(d)
    if boundary is not None:
        # past the period's end: fall back to the last open day on the right side of the boundary
        if forward and d > boundary:
            d = scheduled_day(calendar, boundary, 0, False, extended)
        elif not forward and d < boundary:
            d = scheduled_day(calendar, boundary, 0, True, extended)
    return d


def week_dates(calendar: Calendar, start: date, end: date, offset: int, forward: bool, extended: bool,
               has_symbol: bool) -> Iterator[date]:
    """DateRules.WeekIterator: one date per week, weeks running Monday to Sunday."""
    if has_symbol:
        days = calendar.weekly_days
        base_dow, boundary_dow = (days[0], days[-1]) if forward else (days[-1], days[0])
    else:
        # Monday with the following Sunday as boundary; Friday with the previous Saturday
        base_dow, boundary_dow = (1, 7) if forward else (5, -1)
    first = start - timedelta(days=start.weekday())            # Monday of start's week
    last = end + timedelta(days=6 - end.weekday())             # Sunday of end's week
    for d in each_day(first, last):
        if net_day_of_week(d) != base_dow:
            continue
        boundary = d + timedelta(days=boundary_dow - base_dow)
        day = scheduled_day(calendar, d, offset, forward, extended, boundary)
        if start <= day <= end:
            yield day


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - ONE_DAY


def add_months(d: date, months: int) -> date:
    """The first day of the month `months` after d's month."""
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_dates(calendar: Calendar, start: date, end: date, offset: int, forward: bool, extended: bool,
                 months: int) -> Iterator[date]:
    """DateRules.BaseIterator for months (1), quarters (3) and years (12): one date per period.

    Lean walks every day of [first day of start's period, last day of end's period] and acts on the days
    equal to the period's base day; for years its range is start's month to end's month (a Lean quirk kept).
    """
    if months == 12:
        begin, finish = date(start.year, start.month, 1), _month_end(end.year, end.month)
    else:
        first_month = (start.month - 1) // months * months + 1
        last_month = (end.month - 1) // months * months + months
        begin, finish = date(start.year, first_month, 1), _month_end(end.year, last_month)
    period = date(begin.year, 1 if months == 12 else (begin.month - 1) // months * months + 1, 1)
    while period <= finish:
        period_last = add_months(period, months) - ONE_DAY
        base, boundary = (period, period_last) if forward else (period_last, period)
        if begin <= base <= finish:
            day = scheduled_day(calendar, base, offset, forward, extended, boundary)
            if start <= day <= end:
                yield day
        period = add_months(period, months)


# ---------------------------------------------------------------- time zones


@lru_cache(maxsize=4096)
def _changes_offset(d: date) -> bool:
    """True on the two New York days a year whose UTC offset changes (DST switches)."""
    morning = datetime(d.year, d.month, d.day, tzinfo=NEW_YORK).utcoffset()
    evening = datetime(d.year, d.month, d.day, 23, 59, tzinfo=NEW_YORK).utcoffset()
    return morning != evening


def resolve_local(local: datetime) -> datetime:
    """A New York wall time as Lean's ConvertToUtc resolves it: a time skipped by the spring-forward gap
    becomes the first instant after the gap (03:00); ambiguous and ordinary times are kept."""
    if not _changes_offset(local.date()):
        return local
    round_trip = local.replace(tzinfo=NEW_YORK).astimezone(timezone.utc).astimezone(NEW_YORK).replace(tzinfo=None)
    if round_trip == local:
        return local
    return round_trip.replace(minute=0, second=0, microsecond=0)  # New York's gap is 02:00-03:00, whole hours


def local_from_zone(wall: datetime, zone: object) -> datetime:
    """A wall time in another zone -> New York local (ambiguous times take the later instant, as Lean)."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(str(zone)) if not hasattr(zone, "utcoffset") else zone
    aware = wall.replace(tzinfo=tz, fold=1)  # type: ignore[arg-type]
    return aware.astimezone(NEW_YORK).replace(tzinfo=None)


def utc_midnight_plus(d: date, hours: int) -> datetime:
    """Lean's Noon: local midnight converted to UTC, plus hours, back to local (11:00 or 13:00 on DST days)."""
    midnight = datetime(d.year, d.month, d.day, tzinfo=NEW_YORK).astimezone(timezone.utc)
    return (midnight + timedelta(hours=hours)).astimezone(NEW_YORK).replace(tzinfo=None)
