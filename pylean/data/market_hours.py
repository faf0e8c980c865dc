"""Market-hours database, exchange hours (mirrors Common/Securities/MarketHoursDatabase.cs, SecurityExchangeHours.cs).

Times are naive datetimes in the exchange's local time (America/New_York for US equities):
the engine works in naive New York time, so no time-zone arithmetic happens here.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MAX_SEARCH_DAYS = 366  # Lean gives up after 15 days; a year is generous for any calendar
MARKET = "market"


@dataclass(frozen=True)
class Segment:
    """One [start, end) stretch of a day in a state ("premarket", "market", "postmarket")."""

    start: datetime
    end: datetime
    state: str


def parse_timespan(text: str) -> timedelta:
    """A .NET TimeSpan string: "hh:mm:ss[.fff]", "d.hh:mm:ss" or "d:hh:mm:ss" (1:00:00:00 = 24 h)."""
    parts = text.strip().split(":")
    days = 0
    if len(parts) == 4:
        days = int(parts.pop(0))
    elif "." in parts[0]:
        day_text, parts[0] = parts[0].split(".", 1)
        days = int(day_text)
    if len(parts) != 3:
        raise ValueError(f"not a time span: {text!r}")
    hours, minutes, seconds = int(parts[0]), int(parts[1]), float(parts[2])
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def _parse_mdy(text: str) -> date:
    month, day, year = (int(p) for p in text.split("/"))
    return date(year, month, day)


def _as_time(span: timedelta) -> time:
    return (datetime.min + span).time()


class ExchangeHours:
    """The schedule of one exchange: weekly segments, holidays, early closes and late opens."""

    def __init__(self, time_zone: str, weekly: dict[int, list[tuple[timedelta, timedelta, str]]],
                 holidays: set[date], early_closes: dict[date, time],
                 late_opens: dict[date, time] | None = None, data_time_zone: str | None = None) -> None:
        self.time_zone = time_zone
        self.data_time_zone = data_time_zone or time_zone
        self.holidays = set(holidays)
        self.early_closes = dict(early_closes)
        self.late_opens = dict(late_opens or {})
        self._weekly = {day: sorted(segs) for day, segs in weekly.items()}
        self._days: dict[date, tuple[Segment, ...]] = {}

    @classmethod
    def from_entry(cls, entry: dict) -> ExchangeHours:
        """Build from one `entries` value of market-hours-database.json."""
        weekly = {}
        for index, name in enumerate(_WEEKDAYS):
            weekly[index] = [(parse_timespan(s["start"]), parse_timespan(s["end"]), s["state"].lower())
                             for s in entry.get(name, []) if s.get("state", "").lower() != "closed"]
        return cls(
            time_zone=entry["exchangeTimeZone"],
            data_time_zone=entry.get("dataTimeZone"),
            weekly=weekly,
            holidays={_parse_mdy(d) for d in entry.get("holidays", [])},
            early_closes={_parse_mdy(d): _as_time(parse_timespan(t)) for d, t in entry.get("earlyCloses", {}).items()},
            late_opens={_parse_mdy(d): _as_time(parse_timespan(t)) for d, t in entry.get("lateOpens", {}).items()},
        )

    # ------------------------------------------------------------------ one day

    def segments(self, d: date) -> tuple[Segment, ...]:
        """All open segments of a day (any state) after holidays, early closes and late opens."""
        cached = self._days.get(d)
        if cached is not None:
            return cached
        result: list[Segment] = []
        if d not in self.holidays:
            midnight = datetime(d.year, d.month, d.day)
            # Lean: closed from the early close on (post-market included) and until the late open.
            cut_end = datetime.combine(d, self.early_closes[d]) if d in self.early_closes else None
            cut_start = datetime.combine(d, self.late_opens[d]) if d in self.late_opens else None
            for start, end, state in self._weekly.get(d.weekday(), []):
                seg_start, seg_end = midnight + start, midnight + end
                if cut_end is not None:
                    seg_end = min(seg_end, cut_end)
                if cut_start is not None:
                    seg_start = max(seg_start, cut_start)
                if seg_start < seg_end:
                    result.append(Segment(seg_start, seg_end, state))
        self._days[d] = cached = tuple(result)
        return cached

    def market_segments(self, d: date) -> list[tuple[datetime, datetime]]:
        """The regular-market segments of a day (usually 09:30-16:00; 09:30-13:00 on early closes)."""
        return [(s.start, s.end) for s in self.segments(d) if s.state == MARKET]

    def is_trading_day(self, d: date) -> bool:
        """True when the day has a regular-market segment (weekday, not a holiday)."""
        return any(s.state == MARKET for s in self.segments(d))

    def market_open(self, d: date) -> datetime | None:
        """The regular open of that day, or None when it does not trade."""
        return next((s.start for s in self.segments(d) if s.state == MARKET), None)

    def market_close(self, d: date) -> datetime | None:
        """The regular close of that day (early closes applied), or None when it does not trade."""
        return next((s.end for s in reversed(self.segments(d)) if s.state == MARKET), None)

    # ------------------------------------------------------------------ instants and intervals

    def is_open(self, dt: datetime, extended: bool = False) -> bool:
        """Open at dt: start <= dt < end of a segment (16:00 is not open; spec 1.8)."""
        d = dt.date()
        late = self.late_opens.get(d)
        if late is not None and dt.time() <= late:  # Lean's IsTimeBeforeLateOpen is inclusive
            return False
        return any(s.start <= dt < s.end and (extended or s.state == MARKET) for s in self.segments(d))

    def overlaps_market(self, start: datetime, end: datetime, extended: bool = False) -> bool:
        """A bar [start, end) is in market hours iff a segment has segStart < end and segEnd > start."""
        if start == end:
            return self.is_open(start, extended)
        d, last = start.date(), (end - timedelta(microseconds=1)).date()
        while d <= last:
            for s in self.segments(d):
                if (extended or s.state == MARKET) and s.start < end and s.end > start:
                    return True
            d += timedelta(days=1)
        return False

    def next_market_open(self, dt: datetime, extended: bool = False) -> datetime:
        """The first open strictly after dt (extended: the pre-market start)."""
        for start, _ in self._blocks_from(dt.date(), extended):
            if start > dt:
                return start
        raise ValueError(f"no market open within {_MAX_SEARCH_DAYS} days after {dt}")

    def next_market_close(self, dt: datetime, extended: bool = False) -> datetime:
        """The first close strictly after dt (extended: the post-market end)."""
        for _, end in self._blocks_from(dt.date(), extended):
            if end > dt:
                return end
        raise ValueError(f"no market close within {_MAX_SEARCH_DAYS} days after {dt}")

    # Lean's SecurityExchangeHours names (security.exchange.hours in an algorithm)
    def get_next_market_open(self, local_date_time: datetime, extended_market_hours: bool) -> datetime:
        return self.next_market_open(_as_datetime(local_date_time), extended_market_hours)

    def get_next_market_close(self, local_date_time: datetime, extended_market_hours: bool) -> datetime:
        return self.next_market_close(_as_datetime(local_date_time), extended_market_hours)

    def _blocks_from(self, first: date, extended: bool) -> Iterator[tuple[datetime, datetime]]:
        """Open blocks (contiguous segments merged, across midnight too) from `first` on."""
        block: list[datetime] | None = None
        d = first
        for _ in range(_MAX_SEARCH_DAYS):
            for s in self.segments(d):
                if not extended and s.state != MARKET:
                    continue
                if block is not None and s.start == block[1]:
                    block[1] = s.end
                    continue
                if block is not None:
                    yield block[0], block[1]
                block = [s.start, s.end]
            d += timedelta(days=1)
        if block is not None:
            yield block[0], block[1]

    # ------------------------------------------------------------------ days

    def previous_trading_day(self, d: date) -> date:
        """The last trading day strictly before d."""
        for back in range(1, _MAX_SEARCH_DAYS + 1):
            candidate = d - timedelta(days=back)
            if self.is_trading_day(candidate):
                return candidate
        raise ValueError(f"no trading day within {_MAX_SEARCH_DAYS} days before {d}")

    def trading_days(self, start: date, end: date) -> list[date]:
        """Trading days from start to end, both included."""
        days, d = [], start
        while d <= end:
            if self.is_trading_day(d):
                days.append(d)
            d += timedelta(days=1)
        return days


class MarketHoursDatabase:
    """market-hours/market-hours-database.json: entries keyed "<SecurityType>-<market>-<ticker>"."""

    def __init__(self, entries: dict[str, dict]) -> None:
        self._entries = entries
        self._hours: dict[str, ExchangeHours] = {}

    @classmethod
    def from_data_folder(cls, data_folder: Path | str) -> MarketHoursDatabase:
        path = Path(data_folder) / "market-hours" / "market-hours-database.json"
        try:
            with open(path, encoding="utf-8") as handle:
                return cls(json.load(handle)["entries"])
        except (ValueError, KeyError, TypeError) as exc:  # JSONDecodeError is a ValueError
            raise ValueError(f"{path}: not a market-hours database ({type(exc).__name__}: {exc})") from exc

    def exchange_hours(self, security_type: str = "Equity", market: str = "usa",
                       ticker: str = "[*]") -> ExchangeHours:
        """Hours of `<type>-<market>-<ticker>`, falling back to the `[*]` entry of that market."""
        kind = security_type[:1].upper() + security_type[1:]
        for key in (f"{kind}-{market.lower()}-{ticker}", f"{kind}-{market.lower()}-{ticker.upper()}",
                    f"{kind}-{market.lower()}-[*]"):
            if key in self._entries:
                if key not in self._hours:
                    self._hours[key] = ExchangeHours.from_entry(self._entries[key])
                return self._hours[key]
        raise KeyError(f"no market hours for {kind}-{market}-{ticker} (nor its [*] entry)")


def _as_datetime(value: date) -> datetime:
    """Lean takes a date where it takes a DateTime (midnight of that day)."""
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
