"""`security.session` (Common/Data/Market/Session.cs, SessionBar.cs, Common/Data/Consolidators/SessionConsolidator.cs).

A rolling window of daily SessionBars whose [0] is the session being built (its OHLCV so far) and [1] the last
finished one. A session has size 0 and costs nothing until the algorithm gives it a size (usually in a security
initializer); then it asks to be fed each of the security's trade bars and scanned as time passes, as one of
the subscription's consolidators. Only regular-hours bars count; the day is finished at the first scan of a
later date.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable

from pylean.indicators.window import Event, RollingWindow
from pylean.naming import lean_api

ONE_DAY = timedelta(days=1)


@lean_api
class SessionBar:
    """One trading day's OHLCV from trade bars (open 0 and low 0 until its first bar)."""

    def __init__(self, time: datetime, symbol: Any) -> None:
        self.time = time
        self.symbol = symbol
        self.period = ONE_DAY
        self.volume = 0.0
        self.open_interest = 0.0
        self._open = self._high = self._close = 0.0
        self._low = float("inf")
        self._started = False        # a first bar set the open
        self._last_bar_time: datetime | None = None  # SessionBar._bar.Time: the end of the last bar taken
        self._last_volume_time = datetime.min

    open = property(lambda self: self._open)
    high = property(lambda self: self._high)
    close = property(lambda self: self._close)
    low = property(lambda self: self._low if self._started else 0.0)

    @property
    def end_time(self) -> datetime:
        return self.time if self.time == datetime.max else self.time + self.period

    @property
    def value(self) -> float:
        return self._close

    def update(self, bar: Any) -> None:
        if self._last_bar_time is None:
            self._last_bar_time = datetime(bar.time.year, bar.time.month, bar.time.day)
        if bar.time < self._last_bar_time:
            return  # overlapping an earlier bar
        if self._last_volume_time <= bar.time:
            self._last_volume_time = bar.end_time
            self.volume += bar.volume
        if not self._started:
            self._started = True
            self._open = bar.open
        self._close = bar.close
        if bar.low < self._low:
            self._low = bar.low
        if bar.high > self._high:
            self._high = bar.high
        self._last_bar_time = bar.end_time

    def __repr__(self) -> str:
        return f"O: {self.open} H: {self.high} L: {self.low} C: {self.close} V: {self.volume} OI: {self.open_interest}"


@lean_api
class Session(RollingWindow):
    """`security.session`: [0] the session in progress, [1] the previous one, up to `size` sessions kept."""

    __slots__ = ("_symbol", "_hours", "_enable", "_working", "_initialized", "_last_emit", "data_consolidated")

    def __init__(self, symbol: Any, hours: Any, enable: Callable[["Session"], None], size: int = 0) -> None:
        super().__init__(size)
        self._symbol = symbol
        self._hours = hours
        self._enable = enable            # registers the session with the subscription's consolidators
        self._working: SessionBar | None = None
        self._initialized = False
        self._last_emit: datetime | None = None
        self.data_consolidated = Event()  # the consolidator interface the subscription manager drives
        if size > 0:
            self._start()

    @property
    def size(self) -> int:
        return self._size

    @size.setter
    def size(self, value: int) -> None:
        self._resize(value)
        if value > 0 and self._working is None:
            self._start()

    def _start(self) -> None:
        self._working = SessionBar(datetime.max, self._symbol)
        self.add(self._working)
        self._enable(self)

    def _current(self, name: str) -> float:
        return getattr(self._working, name) if self._working is not None else 0.0

    open = property(lambda self: self._current("open"))
    high = property(lambda self: self._current("high"))
    low = property(lambda self: self._current("low"))
    close = property(lambda self: self._current("close"))
    volume = property(lambda self: self._current("volume"))
    open_interest = property(lambda self: self._current("open_interest"))
    symbol = property(lambda self: self._symbol)
    end_time = property(lambda self: self._working.end_time if self._working is not None else datetime.min)
    working_data = None  # the subscription manager then scans the session once per bar span

    # ------------------------------------------------------------ fed by the subscription manager
    def update(self, bar: Any) -> None:
        working = self._working
        if working is None:
            return
        if not self._initialized:
            day = datetime(bar.time.year, bar.time.month, bar.time.day)
            if working.time == datetime.max or day.date() > working.time.date():
                working.time = day
            self._initialized = True
        if self._hours.overlaps_market(bar.time, bar.end_time, False):
            working.update(bar)

    def scan(self, local_time: datetime) -> None:
        working = self._working
        if working is None or not self._initialized or local_time.date() == working.time.date():
            return
        if local_time - working.time >= ONE_DAY and (self._last_emit is None or local_time > self._last_emit):
            self._last_emit = local_time
            self._finish(working)

    def _finish(self, finished: SessionBar) -> None:
        """The day is over: a new working session for the next trading day goes in at [0]."""
        day = finished.time.date() + ONE_DAY
        while not self._hours.is_trading_day(day):
            day += ONE_DAY
        self._working = SessionBar(datetime(day.year, day.month, day.day), self._symbol)
        self._initialized = False
        self.data_consolidated.fire(self, finished)
        self.add(self._working)

    def __repr__(self) -> str:
        return repr(self._working) if self._working is not None else ""


def attach_session(security: Any, runtime: Any) -> None:
    """Give a new security its (size 0) session; sized later, it joins the subscription's consolidators."""
    symbol = security.symbol
    security._session = Session(symbol, runtime.hours,
                                lambda session: runtime.subscription_manager.add_consolidator(symbol, session))
