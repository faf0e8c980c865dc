"""The run's universes and their selection times (Lean: UniverseManager and the universe subscriptions of the
data feed). The engine calls `advance(until)` before each day's data and once at the end: every selection due
before `until` runs with the algorithm clock at its own time, then on_securities_changed is called."""
from __future__ import annotations

import heapq
import itertools
from datetime import datetime, timedelta
from typing import Any, Iterator

from pylean.timeutil import local_to_ms
from pylean.universe.base import Universe
from pylean.universe.selection import UniverseSelection


def manager_of(rt: Any) -> "UniverseManager":
    """The run's universe manager, made on the first universe added (a run without universes has none)."""
    manager = getattr(rt, "universe_manager", None)
    if manager is None:
        manager = rt.universe_manager = UniverseManager(rt)
    return manager


class UniverseManager:
    def __init__(self, rt: Any) -> None:
        self.rt = rt
        self.universes: list[Universe] = []
        self.external: list[Any] = []  # universes that add their securities themselves (the framework's manual ones)
        self.selection = UniverseSelection(rt)
        self._queue: list[tuple[datetime, int, Universe, Iterator[datetime]]] = []
        self._order = itertools.count()
        self._period: tuple[datetime, datetime] | None = None
        self._benchmark: tuple[int, datetime, Any] | None = None  # (feed index, first selection, first day) deferred

    def add(self, universe: Universe) -> Universe:
        symbol = universe.__dict__.get("_pylean_symbol")
        for known in self.universes:  # UniverseManager.Add: one universe per symbol
            if known is universe or (symbol is not None and known.__dict__.get("_pylean_symbol") == symbol):
                return known
        self.universes.append(universe)
        if universe.__dict__.get("_pylean_data_folder") is None:
            universe.__dict__["_pylean_data_folder"] = self.rt.options.data_folder
        if self._period is not None:
            start = max(self._period[0], self.rt.cursor.time or self._period[0])
            self._schedule(universe, start, self._period[1])
        return universe

    def note_external(self, universe: Any) -> None:
        """A universe applied outside this manager, listed in `universe_manager` as Lean lists it."""
        if all(known is not universe for known in self.external):
            self.external.append(universe)

    def start(self, start: datetime, end: datetime, benchmark_index: int | None = None) -> int:
        """Schedule the selections; the data points of the start's extra triggers (one per manual universe;
        the engine already counts one for the securities added in initialize)."""
        self._period = (start, end)
        for universe in self.universes:
            self._schedule(universe, start, end)
        self._defer_benchmark(start, benchmark_index)
        if not self.external:
            return 0
        manual = {symbol for universe in self.external for symbol in getattr(universe, "symbols", ())}
        added_by_user = any(symbol not in manual for symbol in self.rt.securities.keys())
        return len(self.external) - (0 if added_by_user else 1)

    # ------------------------------------------------------------ the benchmark of a universe-only algorithm
    def _defer_benchmark(self, start: datetime, index: int | None) -> None:
        """Lean adds the internal benchmark feed at the data feed's first time (its first frontier), from the
        tradable day before it. With no security subscribed at the start, that is the first universe selection."""
        rt = self.rt
        if index is None or not self._queue or any(not c.is_internal for c in rt.feed.configs):
            return
        first, _, universe, _ = self._queue[0]
        if first <= start or not type(universe).first_data_starts_feed:
            return  # the engine's own first-day prelude
        rt.feed.removed.add(index)
        self._benchmark = (index, first, self._bars_after(first))

    def _bars_after(self, first: datetime) -> Any:
        """Time.GetStartTimeForTradeBars(first, one day, one bar): the day's bars that end after it are drained."""
        begin = first - timedelta(days=1)
        while not self.rt.hours.is_trading_day(begin.date()):
            begin -= timedelta(days=1)
        day = begin.date()
        segments = self.rt.hours.market_segments(day)
        return day if segments and segments[-1][1] > begin else day + timedelta(days=1)

    def benchmark_prelude(self, d: Any, prelude: dict[int, list[Any]], prelude_ms: int) -> tuple[dict, int]:
        """The prelude for building day `d`: a deferred benchmark resumes with the days since its start."""
        deferred = self._benchmark
        if deferred is None:
            return prelude, prelude_ms
        index, first, day = deferred
        if self._queue and self._queue[0][0] <= first:
            return {}, prelude_ms  # not yet selected: the benchmark has no data yet
        self._benchmark = None
        self.rt.feed.removed.discard(index)
        days = []
        while day < d:
            if self.rt.hours.is_trading_day(day):
                days.append(day)
            day += timedelta(days=1)
        return {index: days}, local_to_ms(datetime(d.year, d.month, d.day))

    def _schedule(self, universe: Universe, start: datetime, end: datetime) -> None:
        times = iter(universe.trigger_times(start, end, self.rt.hours))
        self._push(universe, times)

    def _push(self, universe: Universe, times: Iterator[datetime]) -> None:
        when = next(times, None)
        if when is not None:
            heapq.heappush(self._queue, (when, next(self._order), universe, times))

    def next_selection_time(self) -> datetime | None:
        """When the earliest selection is due (None: none left)."""
        return self._queue[0][0] if self._queue else None

    @property
    def end(self) -> datetime | None:
        """The algorithm's end: no selection runs after it (None before `start`)."""
        return self._period[1] if self._period is not None else None

    def advance(self, until: datetime, engine: Any) -> None:
        """Run every selection due before `until` (and not after the algorithm's end)."""
        queue = self._queue
        end = self._period[1] if self._period is not None else until
        while queue and queue[0][0] < until and queue[0][0] <= end:
            when = queue[0][0]
            added: list[Any] = []
            removed: list[Any] = []
            while queue and queue[0][0] == when:
                _, _, universe, times = heapq.heappop(queue)
                self._select(universe, when, engine, added, removed)
                self._push(universe, times)
            self._dispatch(when, engine, added, removed)

    def _select(self, universe: Universe, when: datetime, engine: Any, added: list[Any], removed: list[Any]) -> None:
        scheduler = engine.scheduler
        if scheduler.next_time is not None and scheduler.next_time < when:
            scheduler.fire_before(when, inclusive=False)
        self.rt.cursor.time = when
        data = universe.selection_data(when)
        engine.data_points += universe.data_points(data)
        selected = universe.select_symbols(when, data)
        new, gone = self.selection.apply(universe, when, selected)
        added.extend(s for s in new if s not in added)
        removed.extend(s for s in gone if s not in removed)

    def _dispatch(self, when: datetime, engine: Any, added: list[Any], removed: list[Any]) -> None:
        """Lean's slice steps 4, 9 and 12 for a slice carrying only universe data."""
        rt = self.rt
        changes = rt.pending_changes
        changes.added.extend(sorted(added, key=lambda s: s.symbol.value))
        changes.removed.extend(sorted(removed, key=lambda s: s.symbol.value))
        if not changes:
            return
        engine._securities_changed_realtime(when)
        scheduler = engine.scheduler
        if scheduler.next_time is not None and scheduler.next_time <= when:
            scheduler.fire_before(when, inclusive=True)
            rt.cursor.time = when
        changes, rt.pending_changes = rt.pending_changes, type(rt.pending_changes)()
        if engine._on_securities_changed is not None:
            engine._on_securities_changed(changes)
        framework = getattr(engine, "_framework", None)
        if framework is not None:
            framework.on_securities_changed(engine.algorithm, changes)
