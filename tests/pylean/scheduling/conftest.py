"""Fixtures for the scheduling tests: real US-equity hours and a miniature engine loop (spec §3.2 steps 1, 3, 9)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pylean.data.market_hours import ExchangeHours, MarketHoursDatabase
from pylean.scheduling import EventScheduler, ScheduleManager


@pytest.fixture(scope="session")
def hours(lean_data: Path) -> ExchangeHours:
    return MarketHoursDatabase.from_data_folder(lean_data).exchange_hours("Equity", "usa", "[*]")


class Harness:
    """A clock, an EventScheduler and a ScheduleManager; `step(t)` runs steps 1, 3 and 9 of one slice."""

    def __init__(self, hours: ExchangeHours, start: datetime, end: datetime, securities: Any = None) -> None:
        self.time: datetime | None = start
        self.period: tuple[datetime, datetime] | None = (start, end)
        self.scheduler = EventScheduler(self._set_time)
        self.schedule = ScheduleManager(self.scheduler, hours, securities, lambda: self.time, lambda: self.period)
        self.log: list[tuple[str, datetime, datetime, datetime]] = []  # (label, event time, clock, slice)
        self.slice: datetime | None = None

    def _set_time(self, when: datetime) -> None:
        self.time = when

    def recorder(self, label: str):  # type: ignore[no-untyped-def]
        def record(name: str, when: datetime) -> None:
            self.log.append((label, when, self.time, self.slice))  # type: ignore[arg-type]
        return record

    def step(self, t: datetime) -> None:
        self.slice = t
        if self.scheduler.next_time is not None and self.scheduler.next_time < t:
            self.scheduler.fire_before(t, inclusive=False)      # 1. past-due events, clock = event time
        self.time = t                                           # 3. clock = slice time
        if self.scheduler.next_time is not None and self.scheduler.next_time <= t:
            self.scheduler.fire_before(t, inclusive=True)       # 9. events due now
            self.time = t

    def run_days(self, first: date, last: date, times: list[tuple[int, int]], hours: ExchangeHours) -> None:
        """Slices at the given times of each trading day (market-hours data only)."""
        d = first
        while d <= last:
            if hours.is_trading_day(d):
                close = hours.market_close(d)
                for h, m in times:
                    t = datetime(d.year, d.month, d.day, h, m)
                    if close is not None and t <= close:
                        self.step(t)
            d += timedelta(days=1)


@pytest.fixture
def harness_factory(hours: ExchangeHours):  # type: ignore[no-untyped-def]
    def make(start: datetime, end: datetime, securities: Any = None) -> Harness:
        return Harness(hours, start, end, securities)
    return make
