"""End-of-day events the engine schedules for the algorithm (Engine/RealTime/ScheduledEventFactory.cs,
BaseRealTimeHandler.cs: AddSecurityDependentEndOfDayEvents, AddAlgorithmEndOfDayEvent)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable, Iterator

from pylean.data.market_hours import ExchangeHours
from pylean.scheduling import EventScheduler, ScheduledEvent
from pylean.scheduling_calendar import ExchangeCalendar, each_day
from pylean.timeutil import local_to_utc

SECURITY_END_OF_DAY_DELTA = timedelta(minutes=10)   # ScheduledEvent.SecurityEndOfDayDelta
ALGORITHM_END_OF_DAY_DELTA = timedelta(minutes=2)   # ScheduledEvent.AlgorithmEndOfDayDelta
_ALGORITHM_END_OF_DAY_TIME = (datetime.min + (timedelta(days=1) - ALGORITHM_END_OF_DAY_DELTA)).time()  # 23:58


def _symbol_of(item: Any) -> Any:
    return getattr(item, "symbol", item)


def _ticker(item: Any) -> str:
    symbol = _symbol_of(item)
    return str(getattr(symbol, "value", symbol))


def _is_extended(item: Any) -> bool:
    """Security.IsExtendedMarketHours: any of its subscriptions includes extended hours."""
    return any(getattr(c, "extended_hours", False) for c in getattr(item, "subscriptions", ()))


class SecurityEndOfDay:
    """One event per security at its last market close - 10 min (15:50; 12:50 on 13:00 early closes;
    19:50 for extended-hours subscriptions), calling `callback(symbol)`.

    `on_securities_changed(added, removed, now)` mirrors BaseRealTimeHandler.OnSecuritiesChanged: new securities
    get their event in ticker order (SecurityChanges.AddedSecurities is sorted by Symbol.Value), each a separate
    ScheduledEvent added after every event that already exists, with times strictly after `now`; removed
    securities lose theirs. Lean does this in step 4 of a slice carrying security changes (the first slice for
    securities added in initialize): after the clock is set, before scheduled events fire (step 9).
    """

    def __init__(self, scheduler: EventScheduler, hours: ExchangeHours, securities: Callable[[], Iterable[Any]],
                 callback: Callable[[Any], None], end: Callable[[], datetime]) -> None:
        self._scheduler = scheduler
        self._hours = hours
        self._securities = securities
        self._callback = callback
        self._end = end
        self.events: dict[Any, ScheduledEvent] = {}

    def on_securities_changed(self, added: Iterable[Any], removed: Iterable[Any], now: datetime) -> bool:
        """Lean's OnSecuritiesChanged for these events; already-known additions are ignored. True on a change."""
        changed = False
        for item in sorted(added, key=_ticker):
            symbol = _symbol_of(item)
            if symbol not in self.events:
                event = self.events[symbol] = self._event(item, now)
                self._scheduler.add(event, after=now)
                changed = True
        for item in removed:
            symbol = _symbol_of(item)
            if symbol in self.events:
                self._scheduler.remove(self.events.pop(symbol))
                changed = True
        return changed

    def refresh(self, now: datetime) -> bool:
        """The same, with the changes found by comparing the provider's securities with the known ones."""
        current = {_symbol_of(item): item for item in self._securities()}
        added = [item for symbol, item in current.items() if symbol not in self.events]
        removed = [symbol for symbol in self.events if symbol not in current]
        return self.on_securities_changed(added, removed, now)

    def _event(self, item: Any, now: datetime) -> ScheduledEvent:
        symbol = _symbol_of(item)
        exchange = getattr(item, "exchange", None)
        calendar = ExchangeCalendar(exchange.hours if exchange is not None else self._hours)
        extended = _is_extended(item)
        callback = self._callback

        def times() -> Iterator[datetime]:
            # Lean passes the algorithm's UTC time as the first day (EachTradeableDay takes its date)
            for d in each_day(local_to_utc(now).date(), self._end().date()):
                if calendar.is_date_open(d):
                    closed = calendar.last_close(d, extended)
                    if closed is not None and closed - SECURITY_END_OF_DAY_DELTA > now:
                        yield closed - SECURITY_END_OF_DAY_DELTA

        return ScheduledEvent(f"{_ticker(item)}.EndOfDay", times(), lambda name, when: callback(symbol))


class AlgorithmEndOfDay:
    """The deprecated no-argument on_end_of_day(): 23:58 on every date any security trades.

    Lean creates it at the real-time handler's setup (first day = the algorithm's local date) and re-creates it
    after every security change (first day = the UTC date), always with times strictly after `now`; each
    re-creation removes the previous event and adds a new one behind every existing event.
    """

    def __init__(self, scheduler: EventScheduler, hours: ExchangeHours, securities: Callable[[], Iterable[Any]],
                 callback: Callable[[], None], end: Callable[[], datetime]) -> None:
        self._scheduler = scheduler
        self._hours = hours
        self._securities = securities
        self._callback = callback
        self._end = end
        self.event: ScheduledEvent | None = None

    def on_securities_changed(self, added: Iterable[Any], removed: Iterable[Any], now: datetime) -> ScheduledEvent:
        """Any change re-creates the event (Lean: AddAlgorithmEndOfDayEvent in OnSecuritiesChanged)."""
        return self.refresh(now)

    def refresh(self, now: datetime, first_day: date | None = None) -> ScheduledEvent:
        """(Re)create the event; `first_day` defaults to the UTC date of `now` (pass now's local date at setup)."""
        if self.event is not None:
            self._scheduler.remove(self.event)
        calendars = [ExchangeCalendar(getattr(getattr(s, "exchange", None), "hours", self._hours))
                     for s in self._securities()]
        start = first_day if first_day is not None else local_to_utc(now).date()
        at = _ALGORITHM_END_OF_DAY_TIME

        def times() -> Iterator[datetime]:
            for d in each_day(start, self._end().date()):
                if any(c.is_date_open(d) for c in calendars):
                    when = datetime.combine(d, at)
                    if when > now:
                        yield when

        callback = self._callback
        self.event = ScheduledEvent("Algorithm.EndOfDay", times(), lambda name, when: callback())
        return self._scheduler.add(self.event, after=now)
