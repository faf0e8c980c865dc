"""Time-period, bar-count and calendar consolidation (Common/Data/Consolidators/PeriodCountConsolidatorBase.cs,
Common/Util/LeanData.cs GetConsolidatorStartTime, Common/Extensions.cs RoundDown)."""
from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any, Callable

from pylean.consolidators.base import ConsolidatorBase
from pylean.consolidators.calendar import calendar_of
from pylean.data.subscription import PERIOD_SPANS
from pylean.enums import Resolution
from pylean.indicators.window import Event
from pylean.naming import lean_api

ZERO_SPAN = timedelta(0)
ONE_DAY = timedelta(days=1)
ONE_HOUR = timedelta(hours=1)
_VERIFICATION_TIME = datetime(2022, 1, 3, 10, 10, 10)


def resolution_span(resolution: Resolution) -> timedelta:
    """Resolution.ToTimeSpan()."""
    return PERIOD_SPANS[Resolution(resolution)]


def round_down(time: datetime, period: timedelta) -> datetime:
    """DateTime.RoundDown: floor to a multiple of `period` counted from 0001-01-01."""
    if not period:
        return time
    return time - (time - datetime.min) % period


def consolidator_start_time(period: timedelta, start_time: timedelta, time: datetime) -> datetime:
    """LeanData.GetConsolidatorStartTime: periods anchored at `start_time` of the day (of the month from 7 days)."""
    reference = datetime(time.year, time.month, time.day) + start_time
    if period >= timedelta(days=7):
        reference = datetime(time.year, time.month, 1) + start_time
    intervals = math.floor((time - reference).total_seconds() / period.total_seconds())
    return reference + timedelta(seconds=intervals * period.total_seconds())


class _TimeSpanSpec:
    __slots__ = ("period", "start_time")

    def __init__(self, period: timedelta, start_time: timedelta | None = None) -> None:
        self.period = period
        self.start_time = start_time

    def rounded(self, time: datetime) -> datetime:
        if self.start_time is not None:
            return consolidator_start_time(self.period, self.start_time, time)
        return time if self.period > ONE_DAY else round_down(time, self.period)  # no rounding beyond a day (#4915)


class _CountSpec:
    __slots__ = ("period",)

    def __init__(self, period: timedelta | None = None) -> None:
        self.period = period

    def rounded(self, time: datetime) -> datetime:
        return time


class _FuncSpec:
    __slots__ = ("period", "func")

    def __init__(self, func: Callable[[datetime], Any]) -> None:
        start, _ = calendar_of(func(_VERIFICATION_TIME))
        if start > _VERIFICATION_TIME:
            raise ValueError("FuncPeriodSpecification: Please use a function that computes the start of the bar "
                             "associated with the given date time. Should never return a time later than the one "
                             "passed in.")
        self.func = func
        self.period: timedelta | None = None

    def rounded(self, time: datetime) -> datetime:
        start, self.period = calendar_of(self.func(time))
        return start


@lean_api
class PeriodCountConsolidatorBase(ConsolidatorBase):
    """Aggregates inputs into a working bar emitted after a time period, a count of inputs, or a calendar bar."""

    __slots__ = ("_spec", "_max_count", "_period", "_current_count", "_working", "_last_emit", "_validated", "_sid",
                 "_deadline_bar", "_deadline", "_fast_ok", "_bulk", "_bulk_ok", "_held")

    def __init__(self, period: Any, second: Any = None, start_time: timedelta | None = None) -> None:
        ConsolidatorBase.__init__(self)
        second = second if start_time is None else start_time  # (period, start_time=): Lean's bar start anchor
        # the typed event Python code subscribes to; it fires after the base one (Lean's `new event`)
        self.data_consolidated = Event()
        self._max_count: int | None = None
        if isinstance(period, Resolution):
            self._spec: Any = _TimeSpanSpec(resolution_span(period))
        elif isinstance(period, timedelta):
            self._spec = _TimeSpanSpec(period, second)
        elif isinstance(period, int) and not isinstance(period, bool):
            self._max_count = period
            self._spec = _CountSpec(second) if isinstance(second, timedelta) else _CountSpec()
        elif callable(period):
            self._spec = _FuncSpec(period)
        else:
            raise ValueError(f"Unable to create a consolidator period from {period!r}: it is not a supported "
                             "period type (timedelta, bar count, Resolution or calendar function).")
        self._period: timedelta | None = self._spec.period
        self._current_count = 0
        self._working: Any = None
        self._last_emit: datetime | None = None
        self._validated = False
        self._sid: Any = None
        # the working bar `scan` last looked at, the time its period ends (working.time + period) and whether
        # TradeBarConsolidator.update may merge into it directly: fixed for a working bar's life (a bar's period
        # is taken when it opens), so each is computed once a bar instead of once an update
        self._deadline_bar: Any = None
        self._deadline: datetime = datetime.max
        self._fast_ok = False
        # bulk consolidation (pylean/consolidators/bulk.py): the member that defers this consolidator's merges
        # while only its subscription feeds it; never again once other code updates it; held (merged every
        # step) from a read of the working bar by other code until that bar is emitted
        self._bulk: Any = None
        self._bulk_ok = True
        self._held = False

    @property
    def is_time_based(self) -> bool:
        return self._max_count is None

    @property
    def period(self) -> timedelta | None:
        return self._period

    @property
    def working_data(self) -> Any:
        if self._bulk is not None:  # the caller may keep the bar: from now until it is emitted, merge every step
            self._bulk.flush()
            self._held = True
            self._bulk.wake()
        return self._working

    working_bar = working_data

    def _working_peek(self) -> Any:
        """The working bar for the subscription manager's schedule (its times only): no flush, no hold."""
        return self._working if self._bulk is not None else self.working_data

    # ------------------------------------------------------------ update / scan
    def update(self, data: Any) -> None:
        if self._bulk is not None:
            self._leave_bulk()
        self._update(data)

    def _leave_bulk(self) -> None:
        """Code other than the engine's feed updates it: merge what is deferred, then the step path for good."""
        self._bulk.flush()
        self._bulk.leave()
        self._bulk = None
        self._bulk_ok = False

    def _update(self, data: Any) -> None:
        """Lean's Update (the engine's feed comes here directly)."""
        symbol = data.symbol
        if self._sid is None:
            self._sid = symbol
        elif symbol is not self._sid and symbol != self._sid:
            raise ValueError(f"Consolidators can only be used with a single symbol. The previous consolidated "
                             f"SecurityIdentifier ({getattr(self._sid, 'id', self._sid)}) is not the same as in the "
                             f"current data ({getattr(symbol, 'id', symbol)}).")
        if not self._should_process(data):
            return
        period = self._period
        if not self._validated and period is not None and type(self._spec) is _TimeSpanSpec:
            self._validated = True
            length = data.end_time - data.time
            if length > period:
                raise ValueError(f"For Symbol {symbol} can not consolidate bars of period: {period}, using data of "
                                 f"the same or higher period: {length}")
        fire = False
        max_count = self._max_count
        aggregate_first = max_count is not None  # count mode aggregates before emitting
        if max_count is not None:
            self._current_count += 1
            if self._current_count >= max_count:
                self._current_count = 0
                fire = True
        if self._last_emit is None:
            self._last_emit = datetime.min if max_count is None else data.time
        if period is not None:
            working = self._working
            if (working is not None and data.time - working.time >= period
                    and self._rounded_data_time(data) > self._last_emit):
                fire = True
            if period == ZERO_SPAN:
                fire = aggregate_first = True
        if aggregate_first and data.time >= self._last_emit:
            self._aggregate(data)
            if max_count is not None:
                self._working.end_time = data.end_time
        if fire:
            working = self._working
            if self._period is not None and self._set_bar_period(working):
                working.end_time = working.time + self._period
            self._last_emit = working.end_time if max_count is None and working is not None else data.time
            self._on_data_consolidated(working)
        if not aggregate_first and data.time >= self._last_emit:
            self._aggregate(data)

    def _feed(self, data: Any, now: datetime) -> None:
        """What the engine does with each bar of the subscription (SubscriptionManager.feed): update, then scan."""
        self._update(data)
        self.scan(now)

    def scan(self, current_local_time: datetime) -> None:
        working = self._working
        if working is None:
            return
        if working is not self._deadline_bar:
            period = self._period
            if period is None or period == ZERO_SPAN:
                return
            self._deadline_bar, self._deadline = working, working.time + period
            self._fast_ok = self._max_count is None and (self._validated or type(self._spec) is not _TimeSpanSpec)
        # current - working.time >= period, the deadline computed once a bar
        if (current_local_time >= self._deadline
                and self._rounded_time(current_local_time) > self._last_emit):  # type: ignore[operator]
            self._last_emit = working.end_time
            self._on_data_consolidated(working)

    def _on_data_consolidated(self, consolidated: Any) -> None:
        bulk = self._bulk
        if bulk is not None:  # the emitted bar gets every merge deferred until now; a new bar is decided afresh
            bulk.flush()
            bulk.wake()
            self._held = False
        ConsolidatorBase._on_data_consolidated(self, consolidated)
        typed = self.data_consolidated
        if typed is not self._base_event and typed:
            typed.fire(self, consolidated)
        self._working = None

    def reset(self) -> None:
        if self._bulk is not None:
            self._bulk.flush()  # brings the member up to the step; the working bar is dropped below
            self._bulk.wake()
        ConsolidatorBase.reset(self)
        self._sid = None
        self._current_count = 0
        self._working = None
        self._last_emit = None
        self._validated = False
        self._deadline_bar = None

    # ------------------------------------------------------------ bar times
    def _rounded_time(self, time: datetime) -> datetime:
        start = self._spec.rounded(time)
        if self._working is None:  # a new bar takes the period in force when it opens
            self._period = self._spec.period
        return start

    @classmethod
    def from_resolution(cls, resolution: Any) -> Any:
        """A consolidator of one `resolution` period (Lean: FromResolution)."""
        return cls(resolution_span(resolution))

    def _working_span(self, data: Any) -> Any:
        """How long a new working bar lasts: the period, or the first input's own span for count bars."""
        if self._max_count is None and self._period is not None:
            return self._period
        return data.end_time - data.time

    def _rounded_data_time(self, data: Any) -> datetime:
        start = self._rounded_time(data.time)
        period = self._period
        if period is not None and start + period < data.end_time:
            # hour bars stamped 09:00 would round into the previous session: use their end instead
            if data.end_time - data.time == ONE_HOUR and start.date() < data.time.date():
                start = self._rounded_time(data.end_time)
            else:
                start = data.time
        return start

    # ------------------------------------------------------------ subclasses
    def _should_process(self, data: Any) -> bool:
        return True

    def _set_bar_period(self, working: Any) -> bool:
        """Lean stretches an emitted TradeBar to the full period (QuoteBars keep theirs)."""
        return False

    def _aggregate(self, data: Any) -> None:
        raise NotImplementedError
