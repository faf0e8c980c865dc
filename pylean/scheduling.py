"""Scheduled events fired in time order (Engine/RealTime/BacktestingRealTimeHandler.cs, Common/Scheduling/).

Ordering of simultaneous events follows Lean's BacktestingRealTimeHandler exactly: the events live in one
list sorted by (next time, creation id); after an event fires it is moved with Lean's `SortFirstElement`.
Ties therefore fire in creation order whenever the list was fully sorted (at the first occurrence, and
after any add or remove), but Lean's re-insertion is a plain binary search and leaves an event in front
when its next time only equals the runner-up's, so later rounds of same-time events can run in another
order (e.g. three events at 15:50 fire A, B, C on day one and A, C, B on day two). We reproduce that: it
gives the exact per-day order of the 15 on_end_of_day(symbol) calls in the recorded real-Lean ZacQC run.
"""
from __future__ import annotations

import inspect
import itertools
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable

from pylean.algorithm_clock import timed_if_user
from pylean.data.market_hours import ExchangeHours
from pylean.naming import alias_attributes, lean_api
from pylean.scheduling_rules import DateRule, DateRules, TimeRule, TimeRules
from pylean.timeutil import local_to_utc

_END = datetime.max                  # Lean: DateTime.MaxValue once an event has no more times
_NO_END = datetime(9999, 12, 30)     # the generation bound when the run's end is not known
EventCallback = Callable[[str, datetime], None]


@lean_api
class ScheduledEvent:
    """A named callback over an ordered sequence of exchange-local fire times, primed lazily as in Lean."""

    def __init__(self, name: str, times: Iterable[datetime], callback: EventCallback | None = None) -> None:
        self.name = name
        self.callback = callback
        self.enabled = True
        self._times = iter(times)
        self._next = _END
        self._primed = False  # Lean does not move to the first time until asked (rules read the clock then)

    @property
    def next_time(self) -> datetime | None:
        if not self._primed:
            self._prime()
        return None if self._next is _END else self._next

    @property
    def next_event_utc_time(self) -> datetime:
        nxt = self.next_time
        return _END if nxt is None else local_to_utc(nxt).replace(tzinfo=None)

    def _prime(self) -> None:
        self._primed = True
        self._next = next(self._times, _END)

    def advance(self) -> None:
        self._next = next(self._times, _END)

    def skip_until(self, when: datetime) -> None:
        """SkipEventsUntil: drop the times strictly before `when` (a time equal to it still fires)."""
        if not self._primed:
            self._prime()
        while self._next < when:
            self.advance()

    def __repr__(self) -> str:
        return f"ScheduledEvent({self.name!r}, next={self.next_time})"


alias_attributes(ScheduledEvent, ["name", "enabled"])


def _sort_first(events: list[ScheduledEvent]) -> None:
    """BacktestingRealTimeHandler.SortFirstElement: re-place the head after it fired (Lean's binary search)."""
    head = events[0]
    when = head._next
    if len(events) < 2 or not when > events[1]._next:
        return  # an equal next time keeps the head in front: Lean's tie quirk
    del events[0]
    lower, upper = 0, len(events) - 1
    while lower <= upper:
        middle = lower + (upper - lower) // 2
        other = events[middle]._next
        if when < other:
            upper = middle - 1
        elif when > other:
            lower = middle + 1
        else:
            lower = middle + 1  # found an equal time: insert right after that one (not after the last equal)
            break
    events.insert(lower, head)


class EventScheduler:
    """The run's scheduled events (Lean: BacktestingRealTimeHandler); `next_time` is the earliest pending time."""

    def __init__(self, set_time: Callable[[datetime], None]) -> None:
        self._ids: dict[ScheduledEvent, int] = {}
        self._sorted: list[ScheduledEvent] = []
        self._sequence = itertools.count(1)
        self._set_time = set_time
        self._dirty = False
        self._firing = 0
        self.next_time: datetime | None = None
        self.fired = 0

    def add(self, event: ScheduledEvent, after: datetime | None = None) -> ScheduledEvent:
        """Register `event`, skipping fire times before `after` (events never fire in the past)."""
        if after is not None:
            event.skip_until(after)
        elif not event._primed:
            event._prime()
        self._ids[event] = next(self._sequence)  # a re-added event takes a new id, as in Lean
        self._changed()
        return event

    def remove(self, event: ScheduledEvent) -> None:
        if self._ids.pop(event, None) is not None:
            self._changed()

    def __contains__(self, event: object) -> bool:
        return event in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def _changed(self) -> None:
        # Lean re-sorts at its next scan; a loop already running keeps working on its own (old) list
        self._dirty = True
        if not self._firing:
            self._resort()

    def _resort(self) -> None:
        ids = self._ids
        self._sorted = sorted(ids, key=lambda e: (e._next, ids[e]))
        self._dirty = False
        self._update_head()

    def _update_head(self) -> None:
        head = self._sorted[0]._next if self._sorted else _END
        self.next_time = None if head is _END else head

    def fire_before(self, frontier: datetime, inclusive: bool) -> None:
        """Fire every event due before `frontier` (ScanPastEvents: strictly before; SetTime: at or before).

        The clock is set to each event's own time before its callback runs. An event fires all of its
        times up to the limit back to back (Lean's ScheduledEvent.Scan) before the list is re-ordered.
        """
        if self._dirty:
            self._resort()
        events = self._sorted
        self._firing += 1
        try:
            while events:
                head = events[0]
                when = head._next
                if not (when < frontier or (inclusive and when == frontier)):
                    break
                limit = frontier if inclusive else when
                while head._next <= limit:
                    at = head._next
                    self._set_time(at)
                    if head.enabled and head.callback is not None:
                        self.fired += 1
                        head.callback(head.name, at)
                    head.advance()
                _sort_first(events)
        finally:
            self._firing -= 1
        if self._dirty and not self._firing:
            self._resort()
        else:
            self._update_head()


def _adapt(callback: Callable[..., Any]) -> EventCallback:
    """Lean's Python callbacks take no arguments; (name, time) and (time) callbacks are honoured too."""
    try:
        signature = inspect.signature(callback)
    except (TypeError, ValueError):
        return lambda name, when: callback()
    for arity, call in ((2, None), (0, lambda name, when: callback()), (1, lambda name, when: callback(when))):
        try:
            signature.bind(*range(arity))
        except TypeError:
            continue
        return callback if call is None else call
    return lambda name, when: callback()


@lean_api
class ScheduleManager:
    """`algorithm.schedule` (Common/Scheduling/ScheduleManager.cs).

    Events created before `setup` (i.e. in initialize) wait in a list and reach the scheduler when the
    run starts, like Lean's pre-initialized events; their times are generated then, lazily, from the day
    before the run's start up to its end date. Events created later skip every time before the clock.
    """

    def __init__(self, scheduler: EventScheduler, hours: ExchangeHours, securities: Any,
                 clock: Callable[[], datetime | None],
                 period: Callable[[], tuple[datetime, datetime] | None]) -> None:
        self._scheduler = scheduler
        self._hours = hours
        self._clock = clock
        self._period = period
        self._pending: list[ScheduledEvent] | None = []
        self._priming_time: datetime | None = None
        self._date_rules = DateRules(hours, securities, self._now)
        self._time_rules = TimeRules(hours, securities, self._now)

    date_rules = property(lambda self: self._date_rules)
    time_rules = property(lambda self: self._time_rules)

    # ------------------------------------------------------------ clock
    def _now(self) -> datetime:
        if self._priming_time is not None:
            return self._priming_time
        now = self._clock()
        if now is None:
            period = self._period()
            now = period[0] if period is not None else datetime(1998, 1, 1)
        return now

    def _end(self) -> datetime:
        period = self._period()
        return period[1] if period is not None else _NO_END

    def _times(self, date_rule: DateRule, time_rule: TimeRule) -> Iterable[datetime]:
        """ScheduleManager.GetDatesDeferred + the time rule, bounded by the run's end (a generator: nothing
        is read until the event is primed)."""
        now, end = self._now(), self._end()
        first = local_to_utc(now).date() - timedelta(days=1)  # Lean backs the UTC date up a day
        for when in time_rule.create_event_times(date_rule.get_dates(first, end.date() + timedelta(days=1))):
            if when <= end:  # nothing after the end can fire: no slice follows it
                yield when

    # ------------------------------------------------------------ run start
    @property
    def is_set_up(self) -> bool:
        return self._pending is None

    def setup(self, run_start: datetime | None = None) -> None:
        """BacktestingRealTimeHandler.Setup: hand the initialize-time events over, skipping times before the
        run's first instant (the warm-up start when warming up), generated as of that instant."""
        pending, self._pending = self._pending or [], None
        start = run_start if run_start is not None else self._now()
        self._priming_time = start
        try:
            for event in pending:
                self._scheduler.add(event, after=start)
        finally:
            self._priming_time = None

    # ------------------------------------------------------------ API
    def add(self, event: ScheduledEvent) -> ScheduledEvent:
        if self._pending is not None:
            self._pending.append(event)
        else:
            self._scheduler.add(event, after=self._now())
        return event

    def remove(self, event: ScheduledEvent) -> None:
        if self._pending is not None:
            self._pending = [e for e in self._pending if e is not event]
        else:
            self._scheduler.remove(event)

    def on(self, *args: Any, name: str | None = None, **kwargs: Any) -> ScheduledEvent:
        """on(date_rule, time_rule, callback) or on(name, date_rule, time_rule, callback)."""
        if args and isinstance(args[0], str):
            name, args = args[0], args[1:]
        values = list(args)
        for key in ("date_rule", "time_rule", "callback"):
            if key in kwargs:
                values.append(kwargs.pop(key))
        if kwargs or len(values) != 3:
            raise TypeError("schedule.on(date_rule, time_rule, callback) or on(name, date_rule, time_rule, callback)")
        date_rule, time_rule, callback = values
        event_name = name if name is not None else f"{date_rule.name}: {time_rule.name}"
        # the user's callback, timed as algorithm time when a run records (not the dispatch around it)
        timed_callback = timed_if_user(callback, _adapt(callback))
        return self.add(ScheduledEvent(event_name, self._times(date_rule, time_rule), timed_callback))

    def training(self, date_rule: DateRule, time_rule: TimeRule, callback: Callable[..., Any]) -> ScheduledEvent:
        return self.on(date_rule, time_rule, callback)

    def training_now(self, callback: Callable[..., Any]) -> ScheduledEvent:
        stamp = local_to_utc(self._now()).replace(tzinfo=None).isoformat()
        return self.on(f"Training: Now: {stamp}", self._date_rules.today, self._time_rules.now, callback)

    # ------------------------------------------------------------ engine-made end-of-day events
    def every_security_end_of_day(self, securities: Callable[[], Iterable[Any]],
                                  callback: Callable[[Any], None]) -> Any:
        """Per-security on_end_of_day(symbol) events; call `refresh(now)` when the security set changes."""
        from pylean.scheduling_eod import SecurityEndOfDay

        return SecurityEndOfDay(self._scheduler, self._hours, securities, callback, self._end)

    def every_algorithm_end_of_day(self, securities: Callable[[], Iterable[Any]],
                                   callback: Callable[[], None]) -> Any:
        """The deprecated no-argument on_end_of_day() at 23:58; call `refresh(now)` at setup and on changes."""
        from pylean.scheduling_eod import AlgorithmEndOfDay

        return AlgorithmEndOfDay(self._scheduler, self._hours, securities, callback, self._end)
