"""Date and time rules for scheduled events (Common/Scheduling/DateRules.cs, TimeRules.cs, FuncDateRule.cs, FuncTimeRule.cs)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import IntEnum
from typing import Any, Callable, Iterable, Iterator

from pylean.data.market_hours import ExchangeHours
from pylean.naming import alias_attributes, lean_api, lean_enum
from pylean.scheduling_calendar import (
    AlwaysOpen,
    Calendar,
    ExchangeCalendar,
    each_day,
    local_from_zone,
    net_day_of_week,
    period_dates,
    resolve_local,
    utc_midnight_plus,
    week_dates,
)

DateSource = Callable[[date, date], Iterable[date]]
TimeSource = Callable[[Iterable[date]], Iterable[datetime]]
HoursLookup = Callable[[Any], ExchangeHours]


@lean_enum
class DayOfWeek(IntEnum):
    """System.DayOfWeek (Sunday = 0), what Lean's `date_rules.every` takes."""

    SUNDAY = 0
    MONDAY = 1
    TUESDAY = 2
    WEDNESDAY = 3
    THURSDAY = 4
    FRIDAY = 5
    SATURDAY = 6


class DateRule:
    """A named function of (start, end) -> dates (FuncDateRule); users may build their own."""

    def __init__(self, name: str, get_dates: DateSource) -> None:
        self.name = name
        self._get_dates = get_dates

    def get_dates(self, start: date, end: date) -> Iterable[date]:
        return self._get_dates(start, end)

    GetDates = get_dates


class TimeRule:
    """A named function of dates -> local event times (FuncTimeRule; Lean's produce UTC, ours New York)."""

    def __init__(self, name: str, create_times: TimeSource) -> None:
        self.name = name
        self._create_times = create_times

    def create_event_times(self, dates: Iterable[date]) -> Iterable[datetime]:
        return self._create_times(dates)

    CreateUtcEventTimes = CreateEventTimes = create_event_times


alias_attributes(DateRule, ["name"])
alias_attributes(TimeRule, ["name"])


def _number(value: float) -> str:
    """.NET's "0.##" format: at most two decimals, trailing zeros dropped, halves away from zero."""
    text = format(Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _offset_name(offset: int) -> str:
    return f"+{offset}" if offset > 0 else (str(offset) if offset < 0 else "")


def _ticker(symbol: Any) -> str:
    return str(getattr(symbol, "value", symbol)).upper()


def _is_symbol(value: Any) -> bool:
    return value is not None and not isinstance(value, (int, float))


def _session_rule(symbol: Any, minutes: float, side: str, opposite_side: str, kind: str,
                  at: Callable[[date], datetime | None]) -> TimeRule:
    """A time rule firing at(d) on each date that has one (a closed exchange has no open or close)."""
    prefix = "" if symbol is None else f"{_ticker(symbol)}: "
    name = f"{prefix}{_number(abs(minutes))} min {side if minutes > 0 else opposite_side} {kind}"

    def times(dates: Iterable[date]) -> Iterator[datetime]:
        for d in dates:
            when = at(d)
            if when is not None:
                yield when
    return TimeRule(name, times)


class _Rules:
    """BaseScheduleRules: exchange hours by symbol (the security's, else the market-hours database's)."""

    def __init__(self, hours: ExchangeHours, securities: Any, clock: Callable[[], datetime]) -> None:
        self._hours = hours
        self._securities = securities
        self._clock = clock

    def _calendar(self, symbol: Any) -> ExchangeCalendar:
        securities = self._securities
        if securities is not None and symbol is not None:
            key = symbol if not isinstance(symbol, str) else symbol.upper()
            if key in securities:
                return ExchangeCalendar(securities[key].exchange.hours)
        return ExchangeCalendar(self._hours)


@lean_api
class DateRules(_Rules):
    """`algorithm.date_rules`: which dates an event fires on."""

    def on(self, *args: Any) -> DateRule:
        """on(year, month, day) or on(date, ...) / on([dates]): only those dates within the schedule's range."""
        if len(args) == 3 and all(isinstance(a, int) for a in args):
            dates = [date(*args)]
        else:
            flat = [d for a in args for d in (a if isinstance(a, (list, tuple, set)) else [a])]
            dates = [d.date() if isinstance(d, datetime) else d for d in flat]
        name = ",".join(d.strftime("%m/%d/%Y") for d in dates)
        return DateRule(name, lambda start, end: [d for d in dates if start <= d <= end])

    @property
    def today(self) -> DateRule:
        """Only the current date (read when the event is primed, not when the rule is made)."""
        return DateRule("TodayOnly", lambda start, end: [self._clock().date()])

    @property
    def tomorrow(self) -> DateRule:
        return DateRule("TomorrowOnly", lambda start, end: [self._clock().date() + timedelta(days=1)])

    def every(self, *days: Any) -> DateRule:
        """Each of the given days of week (DayOfWeek, .NET numbering), every calendar week."""
        flat = [int(d) for a in days for d in (a if isinstance(a, (list, tuple, set)) else [a])]
        wanted = frozenset(flat)
        name = ",".join(DayOfWeek(d).name.capitalize() for d in flat)
        return DateRule(name, lambda start, end: (d for d in each_day(start, end) if net_day_of_week(d) in wanted))

    def every_day(self, symbol: Any = None, extended_market_hours: bool = False) -> DateRule:
        """Every calendar day (weekends and holidays too); with a symbol, its exchange's open days."""
        if symbol is None:
            return DateRule("EveryDay", each_day)
        calendar = self._calendar(symbol)
        return DateRule(f"{_ticker(symbol)}: EveryDay", lambda start, end: (
            d for d in each_day(start, end) if calendar.is_date_open(d, extended_market_hours)))

    def week_start(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> DateRule:
        """Monday + offset days; with a symbol, its first trading day of the week + offset trading days."""
        return self._weekly("WeekStart", symbol, days_offset, extended_market_hours, forward=True)

    def week_end(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> DateRule:
        """Friday - offset days; with a symbol, its last trading day of the week - offset trading days."""
        return self._weekly("WeekEnd", symbol, days_offset, extended_market_hours, forward=False)

    def month_start(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> DateRule:
        """The 1st + offset days; with a symbol, the first trading day + offset trading days (within the month)."""
        return self._periodic("MonthStart", 1, 30, symbol, days_offset, extended_market_hours, forward=True)

    def month_end(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> DateRule:
        return self._periodic("MonthEnd", 1, 30, symbol, days_offset, extended_market_hours, forward=False)

    def quarter_start(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> DateRule:
        return self._periodic("QuarterStart", 3, 92, symbol, days_offset, extended_market_hours, forward=True)

    def quarter_end(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> DateRule:
        return self._periodic("QuarterEnd", 3, 92, symbol, days_offset, extended_market_hours, forward=False)

    def year_start(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> DateRule:
        return self._periodic("YearStart", 12, 365, symbol, days_offset, extended_market_hours, forward=True)

    def year_end(self, symbol: Any = None, days_offset: int = 0, extended_market_hours: bool = True) -> DateRule:
        return self._periodic("YearEnd", 12, 365, symbol, days_offset, extended_market_hours, forward=False)

    # ------------------------------------------------------------ helpers
    @staticmethod
    def _name(symbol: Any, kind: str, offset: int) -> str:
        return f"{kind}{_offset_name(offset)}" if symbol is None else f"{_ticker(symbol)}: {kind}{_offset_name(offset)}"

    def _weekly(self, kind: str, symbol: Any, offset: int, extended: bool, forward: bool) -> DateRule:
        if not _is_symbol(symbol):  # week_start(2): Python callers pass the offset first when there is no symbol
            symbol, offset = None, int(symbol or offset)
        name = self._name(symbol, kind, offset if forward else -offset)
        if symbol is None:
            if not 0 <= offset <= 6:
                raise ValueError(f"DateRules.{kind}() : Offset must be between 0 and 6")
            calendar: Calendar = AlwaysOpen()
            return DateRule(name, lambda s, e: week_dates(calendar, s, e, offset, forward, False, False))
        calendar = self._calendar(symbol)
        if offset > len(calendar.weekly_days) - 1:  # Lean checks only the upper bound here
            raise ValueError(f"DateRules.{kind}() : offset {offset} is out of range for {_ticker(symbol)}'s schedule, "
                             f"please use an offset between 0 - {len(calendar.weekly_days) - 1}")
        return DateRule(name, lambda s, e: week_dates(calendar, s, e, offset, forward, extended, True))

    def _periodic(self, kind: str, months: int, limit: int, symbol: Any, offset: int, extended: bool,
                  forward: bool) -> DateRule:
        if not _is_symbol(symbol):
            symbol, offset = None, int(symbol or offset)
        # month rules without a symbol accept any offset; every other combination is range-checked
        if (symbol is not None or months != 1) and not 0 <= offset <= limit:
            raise ValueError(f"DateRules.{kind}() : Offset must be between 0 and {limit}")
        name = self._name(symbol, kind, offset if forward else -offset)
        calendar: Calendar = AlwaysOpen() if symbol is None else self._calendar(symbol)
        ext = extended and symbol is not None
        return DateRule(name, lambda s, e: period_dates(calendar, s, e, offset, forward, ext, months))


@lean_api
class TimeRules(_Rules):
    """`algorithm.time_rules`: at which times of each date an event fires (New York local)."""

    def at(self, *args: Any) -> TimeRule:
        """at(hour, minute[, second][, zone]) or at(timedelta[, zone]), in the algorithm's time zone by default."""
        parts, zone = list(args), None
        if parts and not isinstance(parts[-1], (int, float, timedelta)):
            zone = parts.pop()
        if len(parts) == 1 and isinstance(parts[0], timedelta):
            offset = parts[0]
        else:
            hour, minute, second = (list(parts) + [0, 0, 0])[:3]
            offset = timedelta(hours=hour, minutes=minute, seconds=second)
        name = _number(offset.total_seconds() / 3600)
        if zone is not None and str(zone) not in ("America/New_York", "TimeZones.NEW_YORK"):
            return TimeRule(name, lambda dates: (local_from_zone(datetime.combine(d, time()) + offset, zone)
                                                 for d in dates))
        return TimeRule(name, lambda dates: (resolve_local(datetime.combine(d, time()) + offset) for d in dates))

    def every(self, interval: timedelta) -> TimeRule:
        """Every `interval` from midnight, within each date."""
        if interval <= timedelta(0):
            raise ValueError("TimeRules.Every(): time span interval can not be zero or less")

        def times(dates: Iterable[date]) -> Iterator[datetime]:
            for d in dates:
                midnight, step = datetime.combine(d, time()), timedelta(0)
                while step < timedelta(days=1):
                    yield resolve_local(midnight + step)
                    step += interval
        return TimeRule(f"Every {_number(interval.total_seconds() / 60)} min", times)

    @property
    def midnight(self) -> TimeRule:
        return TimeRule("Midnight", lambda dates: (datetime.combine(d, time()) for d in dates))

    @property
    def noon(self) -> TimeRule:
        """Lean adds 12 hours to midnight in UTC: 11:00 or 13:00 on the days clocks change."""
        return TimeRule("Noon", lambda dates: (utc_midnight_plus(d, 12) for d in dates))

    @property
    def now(self) -> TimeRule:
        """The current time, once per date (read lazily, when each time is generated)."""
        return TimeRule("Now", lambda dates: (self._clock() for _ in dates))

    def after_market_open(self, symbol: Any = None, minutes_after_open: float = 0,
                          extended_market_open: bool = False) -> TimeRule:
        """Market open (pre-market start when extended) + minutes, on dates the exchange opens; none otherwise."""
        if not _is_symbol(symbol):
            symbol, minutes_after_open = None, float(symbol or minutes_after_open)
        kind = "ExtendedMarketOpen" if extended_market_open else "MarketOpen"
        calendar = self._calendar(symbol)
        delta = timedelta(minutes=minutes_after_open)

        def at(d: date) -> datetime | None:
            opened = calendar.first_open(d, extended_market_open)
            return opened + delta if opened is not None and opened.date() == d else None
        return _session_rule(symbol, minutes_after_open, "after", "before", kind, at)

    def before_market_open(self, symbol: Any = None, minutes_before_open: float = 0,
                           extended_market_open: bool = False) -> TimeRule:
        if not _is_symbol(symbol):
            symbol, minutes_before_open = None, float(symbol or minutes_before_open)
        return self.after_market_open(symbol, -minutes_before_open, extended_market_open)

    def before_market_close(self, symbol: Any = None, minutes_before_close: float = 0,
                            extended_market_close: bool = False) -> TimeRule:
        """Last market close of the date (early closes applied; post-market end when extended) - minutes."""
        if not _is_symbol(symbol):
            symbol, minutes_before_close = None, float(symbol or minutes_before_close)
        kind = "ExtendedMarketClose" if extended_market_close else "MarketClose"
        calendar = self._calendar(symbol)
        delta = timedelta(minutes=minutes_before_close)

        def at(d: date) -> datetime | None:
            closed = calendar.last_close(d, extended_market_close)
            return None if closed is None else closed - delta
        return _session_rule(symbol, minutes_before_close, "before", "after", kind, at)

    def after_market_close(self, symbol: Any = None, minutes_after_close: float = 0,
                           extended_market_close: bool = False) -> TimeRule:
        if not _is_symbol(symbol):
            symbol, minutes_after_close = None, float(symbol or minutes_after_close)
        return self.before_market_close(symbol, -minutes_after_close, extended_market_close)
