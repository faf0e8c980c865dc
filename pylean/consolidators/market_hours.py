"""Daily bars of intraday data, regular hours only (Common/Data/Consolidators/MarketHourAwareConsolidator.cs,
Common/Util/LeanData.cs GetDailyCalendar / GetIntradayCalendar / UseStrictEndTime)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from pylean.consolidators.base import ConsolidatorBase, kind_of, QUOTE
from pylean.consolidators.bars import QuoteBarConsolidator, TradeBarConsolidator
from pylean.consolidators.calendar import CalendarInfo
from pylean.consolidators.period import ONE_DAY, ONE_HOUR, resolution_span, round_down
from pylean.data.market_hours import ExchangeHours
from pylean.enums import Resolution
from pylean.naming import lean_api

_STANDARD_SPANS = {resolution_span(r): r for r in (Resolution.SECOND, Resolution.MINUTE, Resolution.HOUR,
                                                   Resolution.DAILY)}


@lean_api
class MarketHourAwareConsolidator(ConsolidatorBase):
    """Feeds an inner consolidator only bars that start while the market is open; with precise daily end
    times (Lean's default) a daily bar spans the session, e.g. 09:30-16:00 (13:00 on early closes)."""

    __slots__ = ("_daily_strict_end_time", "_extended", "_use_strict_end_time", "period", "consolidator",
                 "_hours", "_open_day", "_open_segments", "_open_from", "_open_until")

    def __init__(self, daily_strict_end_time: bool, period: Resolution | timedelta, data_type: Any = None,
                 tick_type: Any = None, extended_market_hours: bool = False,
                 exchange_hours: ExchangeHours | None = None) -> None:
        ConsolidatorBase.__init__(self)
        self._daily_strict_end_time = daily_strict_end_time
        self._extended = extended_market_hours
        self._use_strict_end_time = False
        self._hours = exchange_hours
        self._open_day: date | None = None
        self._open_segments: list[tuple[datetime, datetime]] = []
        # the regular-hours segment `_is_open` last found a time in (empty until then)
        self._open_from, self._open_until = datetime.max, datetime.min
        kind = kind_of(data_type) or kind_of(tick_type) or "trade"
        cls = QuoteBarConsolidator if kind == QUOTE else TradeBarConsolidator
        if isinstance(period, Resolution):
            self.period = resolution_span(period)
            resolution: Resolution | None = period
        else:
            self.period = period
            resolution = _STANDARD_SPANS.get(period)
        if resolution is not None:
            inner = cls(self._daily_calendar) if resolution == Resolution.DAILY else cls(self.period)
        else:
            inner = cls(self._intraday_calendar if self.period < ONE_DAY else self._daily_calendar)
        self.consolidator = inner
        inner._base_event += self._forward

    # ------------------------------------------------------------ IDataConsolidator
    @property
    def input_kind(self) -> str | None:
        return self.consolidator.input_kind

    @property
    def working_data(self) -> Any:
        return self.consolidator.working_data

    def _bind_exchange_hours(self, hours: ExchangeHours) -> None:
        if self._hours is None:
            self._hours = hours

    def _working_peek(self) -> Any:
        return self.consolidator._working_peek()

    def update(self, data: Any) -> None:
        self._filtered_update(data, self.consolidator.update)

    def _filtered_update(self, data: Any, update: Any) -> None:
        """Update the inner consolidator (`update`: its public update, or the engine feed's) with bars that
        start while the market is open."""
        hours = self._hours
        if hours is None:
            raise RuntimeError("MarketHourAwareConsolidator needs exchange hours: register it through "
                               "subscription_manager.add_consolidator")
        self._use_strict_end_time = self._daily_strict_end_time and self.period > ONE_HOUR
        start, end = data.time, data.end_time
        # hour bars stamped 09:00 overlap the 09:30 open: a daily consolidation keeps them
        if (self._extended or self._is_open(start)
                or (self.period == ONE_DAY and end - start >= ONE_HOUR and hours.overlaps_market(start, end))):
            update(data)

    def scan(self, current_local_time: datetime) -> None:
        self.consolidator.scan(current_local_time)

    def _feed(self, data: Any, now: datetime) -> None:
        """update(data) then scan(now); a bar inside the regular-hours segment last found open skips the lookup."""
        start = data.time
        if self._open_from <= start < self._open_until and self._hours is not None:
            self._use_strict_end_time = self._daily_strict_end_time and self.period > ONE_HOUR
            self.consolidator._feed(data, now)
            return
        self._filtered_update(data, self.consolidator._update)
        self.consolidator.scan(now)

    def _forward(self, sender: Any, consolidated: Any) -> None:
        self._on_data_consolidated(consolidated)

    def dispose(self) -> None:
        self.consolidator._base_event -= self._forward
        self.consolidator.dispose()
        ConsolidatorBase.dispose(self)

    def reset(self) -> None:
        self._use_strict_end_time = False
        self.consolidator.reset()
        ConsolidatorBase.reset(self)

    # ------------------------------------------------------------ calendars
    def _is_open(self, time: datetime) -> bool:
        """ExchangeHours.IsOpen(time, regular hours), with the day's segments cached."""
        day = time.date()
        if day != self._open_day:
            hours = self._hours
            assert hours is not None
            if day in hours.late_opens:
                return hours.is_open(time)
            self._open_day = day
            self._open_segments = hours.market_segments(day)
        for start, end in self._open_segments:
            if start <= time < end:
                self._open_from, self._open_until = start, end
                return True
        return False

    def _daily_calendar(self, time: datetime) -> CalendarInfo:
        """DailyStrictEndTime: the session containing `time` (the previous one before the open)."""
        if not self._use_strict_end_time or self.period > ONE_DAY or self._hours is None:
            return CalendarInfo(time if self.period > ONE_DAY else round_down(time, self.period), self.period)
        hours = self._hours
        day = time.date()
        opened = hours.market_open(day)
        if opened is None or time < opened:
            day = hours.previous_trading_day(day)
            opened = hours.market_open(day)
        closed = hours.market_close(day)
        assert opened is not None and closed is not None
        return CalendarInfo(opened, closed - opened)

    def _intraday_calendar(self, time: datetime) -> CalendarInfo:
        """GetIntradayCalendar: periods counted from the session open, the last one cut at the close."""
        hours = self._hours
        if hours is None:
            return CalendarInfo(round_down(time, self.period), self.period)
        day = time.date()
        opened = hours.market_open(day)
        if opened is None or time < opened:
            day = hours.previous_trading_day(day)
            opened = hours.market_open(day)
        assert opened is not None
        start = opened + (time - opened) // self.period * self.period
        end = min(start + self.period, hours.next_market_close(opened))
        return CalendarInfo(start, end - start)
