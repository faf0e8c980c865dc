"""How an insight's period becomes its close time once it is generated (Insight.cs's period specifications and
Insight.ComputeCloseTime): periods count bars in regular market hours, so a 20-minute insight emitted at 15:50
closes at 09:40 of the next trading day."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable

from pylean.enums import Resolution
from pylean.timeutil import local_to_utc

END_OF_TIME = datetime(2050, 12, 31)          # Lean's Time.EndOfTime
END_OF_TIME_SPAN = END_OF_TIME - datetime(1, 1, 1)  # Lean's Time.EndOfTimeTimeSpan: EndOfTime's ticks
_SPANS = {Resolution.SECOND: timedelta(seconds=1), Resolution.MINUTE: timedelta(minutes=1),
          Resolution.HOUR: timedelta(hours=1), Resolution.DAILY: timedelta(days=1)}


def _utc_to_local(utc: datetime) -> datetime:
    from pylean.timeutil import utc_to_local
    return utc_to_local(utc)


def _higher_resolution_equivalent(period: timedelta) -> Resolution:
    if period < timedelta(seconds=1):
        return Resolution.TICK
    if period < timedelta(minutes=1):
        return Resolution.SECOND
    if period < timedelta(hours=1):
        return Resolution.MINUTE
    if period < timedelta(days=1):
        return Resolution.HOUR
    return Resolution.DAILY


def end_time_for_trade_bars(hours: Any, start: datetime, bar_size: timedelta, bar_count: int) -> datetime:
    """Lean's Time.GetEndTimeForTradeBars: step `bar_count` bars that overlap regular market hours (days: trading
    days)."""
    current = start
    counted = 0
    if bar_size == timedelta(days=1):
        while counted < bar_count:
            current += bar_size
            if hours.is_trading_day(current.date()):
                counted += 1
        return current
    while counted < bar_count:
        previous, current = current, current + bar_size
        if hours.overlaps_market(previous, current, False):
            counted += 1
    return current


def close_time_for_bars(hours: Any, generated_utc: datetime, resolution: Resolution, bar_count: int) -> datetime:
    """Insight.ComputeCloseTime(resolution, barCount) in UTC (ticks count as seconds, hours as 60 minutes)."""
    if bar_count < 1:
        raise ValueError("Insight barCount must be greater than zero.")
    resolution = Resolution(resolution)
    if resolution == Resolution.TICK:
        resolution = Resolution.SECOND
    if resolution == Resolution.HOUR:
        bar_count *= 60
        resolution = Resolution.MINUTE
    local = end_time_for_trade_bars(hours, _utc_to_local(generated_utc), _SPANS[resolution], bar_count)
    return local_to_utc(local).replace(tzinfo=None)


def close_time_for_period(hours: Any, generated_utc: datetime, period: timedelta) -> datetime:
    """Insight.ComputeCloseTime(period): whole bars of the largest resolution that fits, then the remainder in
    minutes (a fraction of a day is that fraction of the regular session)."""
    if period < timedelta(seconds=1):
        raise ValueError("Insight period must be greater than or equal to 1 second.")
    bar_resolution = _higher_resolution_equivalent(period)
    if bar_resolution == Resolution.TICK:
        bar_resolution = Resolution.SECOND
    if bar_resolution == Resolution.HOUR:
        bar_resolution = Resolution.MINUTE
    bar_size = _SPANS[bar_resolution]
    bar_count = period // bar_size
    close = close_time_for_bars(hours, generated_utc, bar_resolution, bar_count)
    if close == generated_utc:
        return close_time_for_bars(hours, generated_utc, Resolution.SECOND, 1)
    delta = period - bar_size * bar_count
    if delta:
        if bar_resolution == Resolution.DAILY:
            delta = timedelta(hours=6, minutes=30) * (delta / timedelta(days=1))  # the regular session's length
        minutes = delta // timedelta(minutes=1)
        if minutes > 0:
            close = close_time_for_bars(hours, close, Resolution.MINUTE, minutes)
    return close


class TimeSpanPeriod:
    def __init__(self, period: timedelta) -> None:
        self.period = period if period != timedelta(0) else timedelta(seconds=1)

    def initial_period(self) -> timedelta | None:
        return self.period

    def set_period_and_close_time(self, insight: Any, hours: Any) -> None:
        insight.period = self.period
        insight.close_time_utc = close_time_for_period(hours, insight.generated_time_utc, self.period)


class BarCountPeriod:
    def __init__(self, resolution: Resolution, bar_count: int) -> None:
        self.resolution, self.bar_count = Resolution(resolution), int(bar_count)

    def initial_period(self) -> timedelta | None:
        return None

    def set_period_and_close_time(self, insight: Any, hours: Any) -> None:
        insight.close_time_utc = close_time_for_bars(hours, insight.generated_time_utc, self.resolution,
                                                     self.bar_count)
        insight.period = insight.close_time_utc - insight.generated_time_utc


def _open_or_next_open(hours: Any, local: datetime) -> datetime:
    return local if hours.is_open(local, False) else hours.next_market_open(local, False)


class CloseTimePeriod:
    def __init__(self, close_time_local: datetime) -> None:
        self.close_time_local = close_time_local

    def initial_period(self) -> timedelta | None:
        return None

    def set_period_and_close_time(self, insight: Any, hours: Any) -> None:
        local = _open_or_next_open(hours, self.close_time_local)
        insight.close_time_utc = local_to_utc(local).replace(tzinfo=None)
        if insight.generated_time_utc > insight.close_time_utc:
            raise ValueError("Insight closeTimeLocal must not be in the past.")
        insight.period = insight.close_time_utc - insight.generated_time_utc


class FuncPeriod:
    def __init__(self, expiry: Callable[[datetime], datetime]) -> None:
        self.expiry = expiry

    def initial_period(self) -> timedelta | None:
        return None

    def set_period_and_close_time(self, insight: Any, hours: Any) -> None:
        local = _open_or_next_open(hours, self.expiry(_utc_to_local(insight.generated_time_utc)))
        insight.close_time_utc = local_to_utc(local).replace(tzinfo=None)
        insight.period = insight.close_time_utc - insight.generated_time_utc


class EndOfTimePeriod:
    def initial_period(self) -> timedelta | None:
        return END_OF_TIME_SPAN

    def set_period_and_close_time(self, insight: Any, hours: Any) -> None:
        insight.period = END_OF_TIME_SPAN
        insight.close_time_utc = END_OF_TIME
