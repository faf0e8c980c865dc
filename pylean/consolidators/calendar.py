"""Calendar periods for consolidators (Common/Data/Consolidators/Calendar.cs, Common/Expiry.cs)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from pylean.naming import lean_api
from pylean.scheduling_calendar import add_months


@lean_api
class CalendarInfo:
    """A bar's start and length."""

    __slots__ = ("start", "period")

    def __init__(self, start: datetime, period: timedelta) -> None:
        self.start = start
        self.period = period

    @property
    def end(self) -> datetime:
        return self.start + self.period

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CalendarInfo) and other.start == self.start and other.period == self.period

    def __hash__(self) -> int:
        return hash((self.start, self.period))

    def __repr__(self) -> str:
        return f"{self.start} {self.period}"


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)


def weekly(dt: datetime) -> CalendarInfo:
    """Monday 00:00 to the next Monday (Expiry.EndOfWeek - 7 days)."""
    days_to_monday = 7 - dt.weekday()  # C#: 8 - DayOfWeek, Sunday counted as 1
    end = _midnight(dt.date()) + timedelta(days=days_to_monday)
    return CalendarInfo(end - timedelta(days=7), timedelta(days=7))


def monthly(dt: datetime) -> CalendarInfo:
    start = datetime(dt.year, dt.month, 1)
    return CalendarInfo(start, _midnight(add_months(start.date(), 1)) - start)


def quarterly(dt: datetime) -> CalendarInfo:
    start = datetime(dt.year, (dt.month - 1) // 3 * 3 + 1, 1)
    return CalendarInfo(start, _midnight(add_months(start.date(), 3)) - start)


def yearly(dt: datetime) -> CalendarInfo:
    start = datetime(dt.year, 1, 1)
    return CalendarInfo(start, datetime(dt.year + 1, 1, 1) - start)


class Calendar:
    """`Calendar.WEEKLY` etc.: functions of a time returning its bar's CalendarInfo."""

    WEEKLY = Weekly = staticmethod(weekly)
    MONTHLY = Monthly = staticmethod(monthly)
    QUARTERLY = Quarterly = staticmethod(quarterly)
    YEARLY = Yearly = staticmethod(yearly)


def calendar_of(result: Any) -> tuple[datetime, timedelta]:
    """(start, period) from a calendar function's result (CalendarInfo or any object with start/period)."""
    if isinstance(result, CalendarInfo):
        return result.start, result.period
    start = getattr(result, "start", None)
    if start is None:
        start = result.Start
        return start, result.Period
    return start, result.period
