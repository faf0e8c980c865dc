"""Scheduled events fired in time order (Engine/RealTime/BacktestingRealTimeHandler.cs, Common/Scheduling/)."""
from __future__ import annotations

import heapq
import itertools
from datetime import datetime
from typing import Callable, Iterator

from pylean.naming import lean_api


@lean_api
class ScheduledEvent:
    """A named callback over an ordered sequence of exchange-local fire times."""

    def __init__(self, name: str, times: Iterator[datetime], callback: Callable[[str, datetime], None]) -> None:
        self.name = name
        self._times = times
        self.callback = callback
        self.enabled = True
        self.order = 0
        self.next_time: datetime | None = next(self._times, None)

    def advance(self) -> None:
        self.next_time = next(self._times, None)


class EventScheduler:
    """Keeps events in a heap by (next time, creation order): ties fire in creation order."""

    def __init__(self, set_time: Callable[[datetime], None]) -> None:
        self._heap: list[tuple[datetime, int, ScheduledEvent]] = []
        self._sequence = itertools.count()
        self._set_time = set_time
        self.fired = 0

    def add(self, event: ScheduledEvent, after: datetime | None = None) -> ScheduledEvent:
        """Register `event`, skipping fire times before `after` (events never fire in the past)."""
        while after is not None and event.next_time is not None and event.next_time < after:
            event.advance()
        event.order = next(self._sequence)  # ties fire in creation order, always
        if event.next_time is not None:
            heapq.heappush(self._heap, (event.next_time, event.order, event))
        return event

    def remove(self, event: ScheduledEvent) -> None:
        event.enabled = False

    @property
    def next_time(self) -> datetime | None:
        return self._heap[0][0] if self._heap else None

    def fire_before(self, frontier: datetime, inclusive: bool) -> None:
        """Fire every event due before `frontier` (ScanPastEvents: strictly before; SetTime: at or before)."""
        heap = self._heap
        while heap and (heap[0][0] < frontier or (inclusive and heap[0][0] == frontier)):
            when, _, event = heapq.heappop(heap)
            if event.enabled:
                self._set_time(when)
                self.fired += 1
                event.callback(event.name, when)
            event.advance()
            if event.next_time is not None and event.enabled:
                heapq.heappush(heap, (event.next_time, event.order, event))
