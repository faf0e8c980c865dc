"""The time loop (Engine/AlgorithmManager.cs): it only orders the steps of spec §3.2.

Per step the engine moves an integer cursor; securities, slices and bars read the feed arrays
through it lazily, so the loop's own cost is per time step, not per data point.
"""
from __future__ import annotations

import inspect
import time as wallclock
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, getcontext
from sys import getrefcount
from typing import Any, NamedTuple

from pylean.orders.buying_power_api import buying_power_used
from pylean.algorithm_clock import AlgorithmClock, is_user_code
from pylean.auxiliary_handlers import AuxiliaryHandlers
from pylean.algorithm_framework import framework_in_use
from pylean.algorithm_state import state_of
from pylean.data.slice import (Slice, has_trade_plan, quote_bar_at, shares_trade_bars, trade_bar_at, trade_plan,
                               user_configs)
from pylean.data.delisting import apply_delistings
from pylean.naming import user_method
from pylean.results.handler import ResultHandler
from pylean.run_metrics import LatencyRecorder
from pylean.runtime import AlgorithmRuntime
from pylean.memo import BoundedMemo
from pylean.statistics.capacity import CapacityBar, ExactTradeBar
from pylean.statistics.dotnet import exact_parts
from pylean.statistics.trades import SETTLE_AT
from pylean.step_phases import CONSOLIDATORS, DATA, ORDERS, SCHEDULED, phased
from pylean.timeutil import local_to_ms, local_to_utc, ms_to_local
from pylean.universe_slice_results import advance_universes

ZERO = Decimal(0)
_DECI = Decimal("0.0001")

STEP_CHUNK = 500   # time steps per chunk of the step-time record (metrics "time_step.chunks"; the nightly gate)


@dataclass
class EngineTimings:
    """Wall-clock phases and per-call latencies the harness reads (nanoseconds); step and algorithm time as
    pylean/algorithm_clock.py defines them, one sample per time step."""

    on_data_ns: LatencyRecorder = field(default_factory=LatencyRecorder)
    step_ns: LatencyRecorder = field(default_factory=lambda: LatencyRecorder(chunk_steps=STEP_CHUNK))
    algorithm_ns: LatencyRecorder = field(default_factory=LatencyRecorder)
    data_load_s: float = 0.0                 # building day blocks (reading, cache, fill-forward)
    first_on_data_wall: float | None = None  # time.time() of the first on_data call
    loop_start: float | None = None          # perf_counter() stamps
    warmup_end: float | None = None
    loop_end: float | None = None


def _refs_of_a_slice_only_its_loop_holds() -> int:
    """What getrefcount(spare) reads in Engine._run_block for a slice that only the loop's own local
    variable holds, measured in that very form (a local passed to the call)."""
    spare = object()
    return getrefcount(spare)


_ONLY_THE_LOOP_HOLDS_IT = _refs_of_a_slice_only_its_loop_holds()


class Engine:
    """Runs an initialized algorithm over its data, start to end."""

    def __init__(self, algorithm: Any, runtime: AlgorithmRuntime, clock: AlgorithmClock | None = None) -> None:
        """`clock` records step and algorithm time (and on_data latency); None runs unmeasured."""
        self.algorithm = algorithm
        self.rt = runtime
        self.data_points = 0
        self.timings = EngineTimings()
        self.clock = clock
        self.scheduler = runtime.scheduler
        self.last_step_local: datetime | None = None
        self._last_to_utc = timedelta(0)
        self._last_capacity_view: _CapacityLookup | None = None  # the last step's bars (Lean's CurrentSlice)
        self._on_data = user_method(algorithm, "on_data")  # timed inline: its latency is recorded too
        self._on_data_is_user = int(is_user_code(self._on_data))  # the base class's no-op is not algorithm time
        # None when it is QCAlgorithm's own, which does nothing
        self._on_order_event = None if _is_base_no_op(algorithm, "on_order_event") else \
            self._handler("on_order_event")
        self._on_end_of_time_step = None if _is_base_no_op(algorithm, "on_end_of_time_step") else \
            self._handler("on_end_of_time_step")
        self._auxiliary = AuxiliaryHandlers(self)  # on_splits, on_dividends, ...: those the algorithm defines
        self._on_securities_changed = self._handler("on_securities_changed")
        self._end_of_day: Any = None
        self._realtime_seen: tuple[Any, int] = (None, 0)  # the pending changes step 4 passed on, and their count
        self._framework: Any = None  # the algorithm framework's step hooks, when the algorithm uses it
        self._capacity_fed = False  # a fill reached the capacity estimate: from then on it looks at every step
        # building bars for consolidators is the profiler's data phase when it records (else these themselves)
        self._bars_of = phased(DATA, Slice.bars.fget)
        self._trade_bar_at, self._quote_bar_at = phased(DATA, trade_bar_at), phased(DATA, quote_bar_at)

    def _handler(self, name: str) -> Any:
        """The algorithm's event handler, timed as algorithm time when recording and the project defines it."""
        handler = user_method(self.algorithm, name)
        if handler is None or self.clock is None:
            return handler
        return self.clock.timed_if_user(handler)

    # ------------------------------------------------------------ setup
    def _warm_up_start(self, start: datetime) -> datetime:
        warm = state_of(self.algorithm).warm_up
        if warm is None:
            return start
        period, _resolution = warm
        if isinstance(period, timedelta):
            return start - period
        days = 0
        d = start.date()
        bars_per_day = {1: 23400, 2: 390, 3: 7, 4: 1}.get(int(_resolution or min(
            (c.resolution for c in self.rt.feed.configs if not c.is_internal), default=2)), 390)
        needed = -(-int(period) // bars_per_day)
        while days < needed:
            d -= timedelta(days=1)
            if self.rt.hours.is_trading_day(d):
                days += 1
        return datetime(d.year, d.month, d.day)

    def run(self) -> None:
        rt, algorithm = self.rt, self.algorithm
        results = rt.results
        assert results is not None
        if self._on_order_event is not None:
            rt.transactions.event_listeners.append(self._on_order_event)
        rt.transactions.fill_listeners.append(self._record_fill)
        self._framework = framework_in_use(algorithm)
        framework = self._framework
        if framework is not None:  # Lean's FrameworkPostInitialize, before the benchmark is chosen
            framework.post_initialize(algorithm)
            # the execution model hears each order event before the algorithm
            rt.transactions.event_listeners.insert(0, lambda event: framework.on_order_event(algorithm, event))
        rt.ensure_benchmark()
        start, end = algorithm.start_date, algorithm.end_date
        feed_start = self._warm_up_start(start)
        rt.is_warming_up = feed_start < start
        start_ms, end_ms = local_to_ms(start), local_to_ms(end)
        rt.run_period = (start, end)
        rt.cursor.time = feed_start                      # Lean: PostInitialize sets the clock to the warm-up start
        schedule = rt.schedule
        schedule.setup(feed_start)                       # Lean: RealTime.Setup takes over initialize's events
        # order matters for ties: initialize's events, then Daily Sampling, then per-security end of day
        schedule.on("Daily Sampling", schedule.date_rules.every_day(), schedule.time_rules.midnight,
                    self._daily_sample)
        self._end_of_day = self._end_of_day_events(schedule, feed_start)
        benchmark_index = next((i for i, c in enumerate(rt.feed.configs) if c.is_internal), None)
        first_day = True
        bars_were_read = False
        # Lean's user-defined universe emits one trigger tick at the start; it counts as a data point
        self.data_points = 1 if len(rt.securities) else 0
        self.timings.loop_start = wallclock.perf_counter()
        if not rt.is_warming_up:  # Lean's Stream() calls it even without a warm-up period
            self._handler("on_warmup_finished")()
        universes = getattr(rt, "universe_manager", None)  # universe selection, when the algorithm added one
        if universes is not None:
            self.data_points += universes.start(start, end, benchmark_index)
        d = feed_start.date()
        while d <= end.date() and not rt.quit_requested:
            if universes is not None:
                advance_universes(universes, datetime(d.year, d.month, d.day, 9, 30), self,
                                  self._universe_slice_results)
            prelude: dict[int, list[date]] = {}
            if first_day and benchmark_index is not None:  # the feed's first day, warm-up included
                prelude = {benchmark_index: [rt.hours.previous_trading_day(d)]}
            prelude_ms = local_to_ms(feed_start)
            if universes is not None:  # a universe-only algorithm's benchmark starts with its first selection
                prelude, prelude_ms = universes.benchmark_prelude(d, prelude, prelude_ms)
            if rt.hours.is_trading_day(d):
                load_start = wallclock.perf_counter()
                block = rt.feed.build_day(d, prelude_ms=prelude_ms if prelude else None,
                                          prelude_days=prelude)
                self.timings.data_load_s += wallclock.perf_counter() - load_start
                if block is not None and block.n_steps:
                    first_day = False
                    # bars were built yesterday, so they will be today: the block's first step converts
                    # the day's columns, as data loading, before its on_data
                    self._run_block(block, start_ms, end_ms, prepare_bars=bars_were_read)
                    bars_were_read = has_trade_plan(block)
                    # the day's recorded fills and marks are applied within the time loop, so its figures (orders/s,
                    # step time) count the trade builder's work as they did when it ran per fill
                    results.trades.settle()
                    for recorder in (self.timings.on_data_ns, self.timings.step_ns, self.timings.algorithm_ns):
                        recorder.fold()  # constant memory: a day's samples into the bins
            d += timedelta(days=1)
        if universes is not None and not rt.quit_requested:
            advance_universes(universes, end + timedelta(microseconds=1), self, self._universe_slice_results)
        self.timings.loop_end = wallclock.perf_counter()
        self.data_points += len(rt.universe_triggers)
        user_method(algorithm, "on_end_of_algorithm")()
        # ProcessSynchronousEvents(forceProcess: true) samples at the algorithm's time, even with no step
        local = self.last_step_local or algorithm.time  # no step: the start date, where Initialize left the clock
        utc = self.last_step_utc or local_to_utc(local)
        tpv = rt.portfolio.total_portfolio_value_decimal()
        self._sample(utc, local, tpv)  # type: ignore[arg-type]
        # Lean's end-of-run snapshots still see the last slice's bars (CurrentSlice is never cleared)
        results.capacity.finalize(utc, self._holdings_value, tpv, bar_for=self._last_capacity_view)
        results.drain_logs()

    def _run_block(self, block: Any, start_ms: int, end_ms: int, prepare_bars: bool = False) -> None:
        """One day's steps in Lean's order (spec §3.2). Per-step values come from Python lists made
        once per block; nothing here is built per data point.

        `prepare_bars`: make the block's trade plan (slice.trade_plan) at its first step, once the cursor
        has left the previous day: that day's columns and bars are then free, and this day's reuse their
        memory instead of growing the process (a page the process never had costs ~10 us here).

        Most steps are ordinary: warm-up over, no event due, nothing pending, no consolidator, no margin
        interest scan and no dividend, split or delisting. Such a step has nothing to do before on_data
        but move the cursor, so steps 0-15 run (`_before_data`) only when one of those holds."""
        rt = self.rt
        results: ResultHandler = rt.results  # type: ignore[assignment]
        cursor, scheduler, transactions, portfolio = rt.cursor, self.scheduler, rt.transactions, rt.portfolio
        pending_orders, queued_requests = transactions.brokerage._pending, transactions._queue
        configs = rt.feed.configs
        times = block.times_ms.tolist()
        local_times = block.times_ms.astype("datetime64[ms]").tolist()  # naive local datetimes, made in C
        points, user_data = block.points.tolist(), block.user_data.tolist()
        utc_offset_ms = block.utc_offset_ms
        to_utc = timedelta(milliseconds=-utc_offset_ms)
        on_data = self._on_data
        on_end_of_time_step = self._on_end_of_time_step
        record = self.clock is not None
        clock = self.clock if self.clock is not None else AlgorithmClock()  # an idle one when not recording
        now_ns = wallclock.perf_counter_ns
        timings = self.timings
        record_on_data, record_step = timings.on_data_ns.append, timings.step_ns.append
        record_algorithm = timings.algorithm_ns.append
        on_data_is_user = self._on_data_is_user
        consolidators = rt.subscription_manager
        # the profiler's phase split wraps these once here; an ordinary run binds the callables themselves
        calls = _StepCalls(phased(SCHEDULED, scheduler.fire_before), phased(CONSOLIDATORS, consolidators.scan),
                           phased(CONSOLIDATORS, self._update_consolidators), phased(DATA, Slice),
                           phased(ORDERS, transactions.drain))
        new_slice, drain = calls.new_slice, calls.drain
        scan_consolidators, update_consolidators = calls.scan_consolidators, calls.update_consolidators
        has_consolidators = consolidators._wrappers  # a dict, changed in place: truthy when any is registered
        capacity = results.capacity
        capacity.buying_power_used = self._buying_power_used
        feed = rt.feed
        margin_interest = rt.margin_interest
        next_interest_ms = margin_interest.next_ms
        framework, algorithm = self._framework, self.algorithm
        auxiliary_steps = block.dividends  # step -> the dividends, splits, delistings and symbol changes then
        has_auxiliary = bool(auxiliary_steps)
        warming_up = rt.is_warming_up
        awaiting_first_on_data = timings.first_on_data_wall is None
        capacity_view: _CapacityLookup | None = None
        steps_run = 0  # steps finished: their data points and the last one's time are stored on the way out
        first_step = True
        spare: Slice | None = None  # the last slice made on the way to on_data (see below)
        refs = getrefcount
        step_started = now_ns()  # a step's time runs from the previous step's end (the loop's own work included)
        try:
            for k in range(len(times)):
                t_ms = times[k]
                if t_ms > end_ms or rt.quit_requested:
                    break
                local = local_times[k]
                if record:
                    clock.step_ns = 0
                next_event = scheduler.next_time
                changes = rt.pending_changes
                if (warming_up or queued_requests or pending_orders or t_ms >= next_interest_ms
                        or (next_event is not None and next_event <= local) or changes.added or changes.removed
                        or (has_auxiliary and k in auxiliary_steps)):
                    spare = None  # the last step's slice goes first: its bars can then be recycled (Slice.bars)
                    data = self._before_data(block, k, t_ms, local, to_utc, start_ms, calls)  # steps 0-15
                    warming_up = rt.is_warming_up
                    next_interest_ms = margin_interest.next_ms
                elif has_consolidators:  # _before_data when only consolidators have work: steps 2, 3+5 and 14
                    data = None  # (the last step's slice: only `spare` may hold it now)
                    cursor.time = local
                    scan_consolidators(local)                                # 2. ended periods
                    cursor.block, cursor.k, cursor.time, cursor.k_ms, cursor.k_time = block, k, local, t_ms, local
                    changes = rt.pending_changes
                    if (queued_requests or pending_orders or changes.added or changes.removed  # left by step 2's
                            or t_ms >= margin_interest.next_ms                               # handlers
                            or (scheduler.next_time is not None and scheduler.next_time <= local)):
                        spare = None
                        data = self._steps_4_to_15(block, k, t_ms, local, to_utc, start_ms, calls, False, False)
                    elif consolidators._quiet is not None and consolidators.quiet_step(k, block):
                        # 14. a step of a quiet run only moves the bulk feeds on: nothing is due, and step 2 has
                        # scanned at this time already (_update_consolidators would find nothing); no bar is made,
                        # so the last step's slice may serve, as on an ordinary step
                        if spare is not None and refs(spare) == _ONLY_THE_LOOP_HOLDS_IT:
                            spare._move_to(local, k)
                            data = spare
                        else:
                            data = spare = new_slice(local, block, k, configs)
                    else:
                        spare = None  # the last step's slice goes first: its bars can then be recycled (Slice.bars)
                        data = new_slice(local, block, k, configs)
                        update_consolidators(consolidators, data, local)     # 14.
                    next_interest_ms = margin_interest.next_ms
                else:  # 3+5. the clock and security prices move to the step
                    cursor.block = block
                    cursor.k = k
                    cursor.time = cursor.k_time = local
                    cursor.k_ms = t_ms
                    data = None
                if first_step:  # nothing refers to the previous day any more (securities hold blocks weakly)
                    first_step = False
                    self._last_capacity_view = None  # this block runs a step: it will leave its own
                    if prepare_bars:
                        load_start = wallclock.perf_counter()
                        trade_plan(block, configs)
                        timings.data_load_s += wallclock.perf_counter() - load_start
                        step_started = now_ns()  # data loading, as for the block itself: not step time
                ended = 0  # on_data's end reading, while only checks have followed it: then also the step's end
                if user_data[k]:                                             # 16. on_data
                    if awaiting_first_on_data:
                        timings.first_on_data_wall = wallclock.time()
                        awaiting_first_on_data = False
                    if data is None:
                        if spare is not None and refs(spare) == _ONLY_THE_LOOP_HOLDS_IT:
                            # nobody kept the last step's slice (it takes no weak references): it serves this
                            # step, as a new one would (same block and configs)
                            spare._move_to(local, k)
                            data = spare
                        else:
                            data = spare = new_slice(local, block, k, configs)
                    if record:
                        clock.depth = on_data_is_user  # callbacks it triggers are inside it
                        started = now_ns()
                        on_data(data)
                        ended = now_ns()
                        spent = ended - started
                        clock.depth = 0
                        if on_data_is_user:
                            clock.step_ns += spent
                        record_on_data(spent)
                    else:
                        on_data(data)
                if framework is not None:                                    # 16b. OnFrameworkData
                    ended = 0
                    if data is None and user_data[k]:
                        data = new_slice(local, block, k, configs)
                    framework.on_data(algorithm, data, bool(user_data[k]))
                if queued_requests or pending_orders:
                    ended = 0
                    drain()                                                  # 17. transactions pass 2
                if not warming_up:                                           # 18. results
                    held = portfolio._held
                    tpv = portfolio.total_portfolio_value_decimal() if held else portfolio._cash
                    if tpv is not results.quiet_value or t_ms - utc_offset_ms > results.quiet_until_ms:
                        ended = 0
                        results.on_step(local + to_utc, tpv)                 # naive UTC: made aware when sampled
                    if self._capacity_fed:  # nothing to estimate before the first fill
                        ended = 0
                        utc = local + to_utc
                        if capacity.needs_step(utc):
                            if capacity_view is None:  # once a block: which subscriptions are whose
                                capacity_view = _CapacityLookup(configs, block, k, local)
                            capacity.on_step(utc, capacity_view.at(k, local), self._holdings_value, tpv)
                    if held:
                        ended = 0
                        self._mark_trades(results)
                if on_end_of_time_step is not None:
                    ended = 0
                    on_end_of_time_step()                                    # 19.
                steps_run = k + 1
                if record:
                    step_ended = ended or now_ns()
                    record_step(step_ended - step_started)
                    record_algorithm(clock.step_ns)
                    step_started = step_ended
                if feed.changed:
                    self._last_capacity_view = _CapacityLookup(configs, block, k, local)
                    self._count_steps(points, local_times, steps_run, to_utc)
                    steps_run = 0
                    # a subscription was added or removed: rebuild the rest of the day and go on with it
                    rebuilt = rt.feed.build_day(block.day, from_ms=t_ms)
                    if rebuilt is not None and rebuilt.n_steps:
                        self._run_block(rebuilt, start_ms, end_ms)
                    return
        finally:
            self._count_steps(points, local_times, steps_run, to_utc)
        if steps_run:
            self._last_capacity_view = _CapacityLookup(configs, block, steps_run - 1, local_times[steps_run - 1])

    def _count_steps(self, points: list[int], local_times: list[datetime], steps_run: int, to_utc: timedelta) -> None:
        """The block's first `steps_run` steps are done: their data points count, the last is the algorithm's."""
        if steps_run:
            self.data_points += sum(points[:steps_run])
            self.last_step_local, self._last_to_utc = local_times[steps_run - 1], to_utc

    def _before_data(self, block: Any, k: int, t_ms: int, local: datetime, to_utc: timedelta, start_ms: int,
                     calls: "_StepCalls") -> Slice | None:
        """Steps 0-15 of a step that has work before on_data; the step's slice when one was made."""
        rt = self.rt
        cursor, scheduler = rt.cursor, self.scheduler
        has_consolidators = rt.subscription_manager._wrappers
        auxiliary_steps = block.dividends
        warming_up = rt.is_warming_up
        if warming_up and t_ms > start_ms:
            self._warm_up_end_pulse(start_ms, has_consolidators)  # 0. the slice skips past the start date
            warming_up = rt.is_warming_up
        if scheduler.next_time is not None and scheduler.next_time < local:
            calls.fire_before(local, inclusive=False)                # 1. past-due scheduled events
        if has_consolidators:
            cursor.time = local
            calls.scan_consolidators(local)                          # 2. ended periods
        cursor.block, cursor.k, cursor.time, cursor.k_ms, cursor.k_time = block, k, local, t_ms, local  # 3+5.
        return self._steps_4_to_15(block, k, t_ms, local, to_utc, start_ms, calls,
                                   bool(auxiliary_steps and k in auxiliary_steps), warming_up)

    def _steps_4_to_15(self, block: Any, k: int, t_ms: int, local: datetime, to_utc: timedelta, start_ms: int,
                       calls: "_StepCalls", auxiliary: bool, warming_up: bool) -> Slice | None:
        """_before_data from step 4 on (the cursor at step k); `auxiliary`: the step delivers auxiliary data."""
        rt = self.rt
        cursor, scheduler, configs = rt.cursor, self.scheduler, rt.feed.configs
        transactions = rt.transactions
        has_consolidators = rt.subscription_manager._wrappers
        fire_before, new_slice = calls.fire_before, calls.new_slice
        auxiliary_steps = block.dividends
        if auxiliary:
            apply_delistings(rt, auxiliary_steps[k])                 # delisted: untradable, removed
        changes = rt.pending_changes
        if changes.added or changes.removed:
            self._securities_changed_realtime(local)                 # 4.
        if warming_up and t_ms >= start_ms:
            self._finish_warm_up()                                   # 6.
        margin_interest = rt.margin_interest
        if t_ms >= margin_interest.next_ms:
            margin_interest.run(t_ms, local + to_utc)                # margin interest models, hourly
        if auxiliary:
            self._auxiliary.symbol_changes(new_slice(local, block, k, configs))  # 7. symbol changes
        if transactions._queue or transactions.brokerage._pending:
            calls.drain()                                            # 8. transactions pass 1
        if scheduler.next_time is not None and scheduler.next_time <= local:
            fire_before(local, inclusive=True)                       # 9. scheduled events due now
            cursor.time = local
        changes = rt.pending_changes
        if (changes.added or changes.removed) and self._on_securities_changed is not None:  # 12.
            if changes is not self._realtime_seen[0] or len(changes.added) + len(changes.removed) != \
                    self._realtime_seen[1]:
                self._securities_changed_realtime(local)  # changes made after step 4 (a scheduled event's)
            changes, rt.pending_changes = rt.pending_changes, type(rt.pending_changes)()
            self._on_securities_changed(changes)
            if self._framework is not None:
                self._framework.on_securities_changed(self.algorithm, changes)
        data = None
        if has_consolidators:
            data = new_slice(local, block, k, configs)
            calls.update_consolidators(rt.subscription_manager, data, local)  # 14.
        if auxiliary:
            if data is None:
                data = new_slice(local, block, k, configs)
            self._auxiliary.deliver(data)                            # 15. splits, dividends, delistings
        return data

    @property
    def last_step_utc(self) -> datetime | None:
        if self.last_step_local is None:
            return None
        return (self.last_step_local + self._last_to_utc).replace(tzinfo=timezone.utc)

    def _securities_changed_realtime(self, local: datetime) -> None:
        """Per-security end-of-day events follow additions and removals (realtime.OnSecuritiesChanged)."""
        changes = self.rt.pending_changes
        self._realtime_seen = (changes, len(changes.added) + len(changes.removed))
        if self._end_of_day is not None:
            self._end_of_day.on_securities_changed(changes.added, changes.removed, local)

    def _mark_trades(self, results: ResultHandler) -> None:
        """TradeBuilder.set_market_price of each held position at its last trade price (recorded: see TradeBuilder)."""
        trades = results.trades
        recorded = trades.recorded
        for holding in self.rt.portfolio._held.values():
            security = holding.security
            recorded.append((str(security.symbol.id), security.cache.trade_decimal()))
        if len(recorded) >= SETTLE_AT:
            trades.settle()

    def _update_consolidators(self, consolidators: Any, data: Slice, local: datetime) -> None:
        """Hand each emitted bar (fill-forward included) of a consolidated symbol over, then scan."""
        block, k = data._block, data._k
        if consolidators._quiet is not None and consolidators.quiet_step(k, block):  # no bar is needed
            consolidators.scan(local)
            return
        configs = self.rt.feed.configs
        # the slice's own bars when every trade subscription is consolidated: built once for both
        # (decided once a block until a consolidator is added or removed)
        pairs = user_configs(block, configs, "any")  # makes block.user_configs
        shares = block.user_configs.get("consolidators-share-bars")
        if shares is None or shares[0] != consolidators.version:
            shares = block.user_configs["consolidators-share-bars"] = (
                consolidators.version, shares_trade_bars(block, configs))
        shared = self._bars_of(data) if shares[1] else None
        # in subscription order, as Lean's slice
        consolidators.feed_step(pairs, shared, self._trade_bar_at, self._quote_bar_at, k, local, block)
        consolidators.scan(local)

    def _end_of_day_events(self, schedule: Any, run_start: datetime) -> Any:
        """on_end_of_day(symbol) per security at close - 10 min, or the deprecated no-argument variant."""
        arity = _end_of_day_arity(self.algorithm)
        if arity is None:
            return None
        handler = self._handler("on_end_of_day")
        securities = self.rt.securities.values
        if arity >= 1:
            return schedule.every_security_end_of_day(securities, handler)
        events = schedule.every_algorithm_end_of_day(securities, handler)
        events.refresh(run_start, first_day=run_start.date())
        return events

    def _warm_up_end_pulse(self, start_ms: int, has_consolidators: Any) -> None:
        """Lean's Synchronizer emits a time pulse at the start date when the first slice after warm-up lies past
        it: events due before the start fire, consolidators are scanned, the clock moves to the start (warm-up
        ends there) and OnWarmupFinished runs, all before the slice, so its scheduled events (the start's daily
        sample) already run out of warm-up."""
        start = ms_to_local(start_ms)
        scheduler = self.scheduler
        if scheduler.next_time is not None and scheduler.next_time < start:
            scheduler.fire_before(start, inclusive=False)
        cursor = self.rt.cursor
        if has_consolidators:
            cursor.time = start
            self.rt.subscription_manager.scan(start)
        cursor.time = start
        self._finish_warm_up()

    def _finish_warm_up(self) -> None:
        rt = self.rt
        rt.is_warming_up = False
        self.timings.warmup_end = wallclock.perf_counter()
        rt.results.recapture_start(rt.portfolio.total_portfolio_value_decimal())  # type: ignore[union-attr]
        self._handler("on_warmup_finished")()

    # ------------------------------------------------------------ sampling
    def _daily_sample(self, _name: str, when: datetime) -> None:
        if not self.rt.is_warming_up:
            self._sample(local_to_utc(when), when, self.rt.portfolio.total_portfolio_value_decimal())

    def _sample(self, utc: datetime, local: datetime, tpv: Decimal) -> None:
        rt = self.rt
        long_value = short_value = ZERO
        for holding in rt.portfolio._held.values():
            value = holding.holdings_value_decimal()
            if value > 0:
                long_value += value
            else:
                short_value += value
        rt.results.daily_sample(utc, tpv, rt.benchmark_value(local), rt.portfolio.total_sale_volume_decimal,  # type: ignore[union-attr]
                                long_value, short_value)

    def _universe_slice_results(self, local: datetime) -> None:
        """Step 18 on a slice carrying only universe data (see pylean/universe_slice_results.py)."""
        rt = self.rt
        if rt.is_warming_up or rt.results is None:
            return
        utc = local_to_utc(local).replace(tzinfo=None)
        tpv = rt.portfolio.total_portfolio_value_decimal()
        rt.results.on_step(utc, tpv)
        capacity = rt.results.capacity
        if capacity.needs_step(utc):
            capacity.buying_power_used = self._buying_power_used
            capacity.on_step(utc, lambda _symbol: None, self._holdings_value, tpv)  # the slice has no bars

    # ------------------------------------------------------------ fills
    def _record_fill(self, security: Any, event: Any) -> None:
        results = self.rt.results
        assert results is not None
        self._capacity_fed = True
        aware = event._utc_time  # events keep aware UTC times: the step's fills share one (replace costs ~0.6 us)
        last = _LAST_FILL_TIME
        if aware is not last[0]:
            last[:] = aware, aware.replace(tzinfo=None)
        sid, utc = str(security.symbol.id), last[1]
        price, quantity = event._fill_price, event._fill_quantity
        results.capacity.on_fill(sid, utc, abs(price * quantity))
        trades = results.trades  # its process_fill, recorded (see TradeBuilder)
        recorded = trades.recorded
        recorded.append((sid, utc, event.order_id, price, quantity, event.order_fee.value._amount))
        if len(recorded) >= SETTLE_AT:
            trades.settle()

    def _holdings_value(self, sid: str) -> Decimal:
        for security in self.rt.securities.values():
            if str(security.symbol.id) == sid:
                return security.holdings.holdings_value_decimal()
        return ZERO

    def _buying_power_used(self, sid: str) -> Decimal:
        """Reserved buying power x leverage of the position (the capacity estimate's share of holdings)."""
        for security in self.rt.securities.values():
            if str(security.symbol.id) == sid:
                return buying_power_used(security)
        return ZERO


# the last fill's aware UTC time and its naive one (it holds the aware one: an identity check is safe)
_LAST_FILL_TIME: list[Any] = [None, None]


class _StepCalls(NamedTuple):
    """The step's engine calls, bound once a block (wrapped by the profiler's phase split when it records)."""

    fire_before: Any
    scan_consolidators: Any
    update_consolidators: Any
    new_slice: Any
    drain: Any


def _is_base_no_op(algorithm: Any, name: str) -> bool:
    """True when the algorithm's `name` handler is QCAlgorithm's own empty one."""
    from pylean.algorithm import QCAlgorithm

    handler = user_method(algorithm, name)
    return getattr(handler, "__func__", None) is getattr(QCAlgorithm, name)


def _end_of_day_arity(algorithm: Any) -> int | None:
    """Which on_end_of_day the algorithm overrides (Lean's Python wrapper picks by argument count)."""
    from pylean.algorithm import QCAlgorithm

    for klass in type(algorithm).__mro__:
        if klass is QCAlgorithm:
            return None
        method = vars(klass).get("on_end_of_day") or vars(klass).get("OnEndOfDay")
        if method is not None:
            return len(inspect.signature(method).parameters) - 1
    return None


def _subscriptions_by_sid(configs: list[Any], block: Any) -> dict[str, tuple[tuple[bool, Any], ...]]:
    """The block's subscriptions of each traded symbol (by SID), in subscription order: (is it a trade
    subscription, its day)."""
    by_sid: dict[str, list[tuple[bool, Any]]] = {}
    for index in range(len(block.configs)):
        config = configs[index]
        if not config.is_internal:
            by_sid.setdefault(str(config.symbol.id), []).append((config.kind == "trade", block.configs[index]))
    return {sid: tuple(days) for sid, days in by_sid.items()}


class _CapacityLookup:
    """The capacity estimator's view of one step: the bar a symbol (by SID) received, if any (a trade bar
    whose close is exact as an ExactTradeBar, for the estimator's integer sums).
    The engine keeps one a block and moves it from step to step (`at`)."""

    __slots__ = ("by_sid", "k", "local", "end_utc", "exact_below", "factors")

    def __init__(self, configs: list[Any], block: Any, k: int, local: datetime) -> None:
        self.by_sid = _subscriptions_by_sid(configs, block)
        self.factors: dict[int, tuple[Decimal, tuple[int, int] | None]] = {}  # id -> (factor, its exact_parts)
        self.at(k, local)

    def at(self, k: int, local: datetime) -> "_CapacityLookup":
        """Look at step k (its local time `local`)."""
        self.k, self.local = k, local
        self.end_utc: datetime | None = None  # the step's time in UTC: every bar of the step ends then
        # raw x factor units below this has no more digits than the decimal context keeps: the close is exact
        self.exact_below = _DIGITS_BELOW[min(getcontext().prec, 28)]
        return self

    def __call__(self, sid: str) -> Any:
        k = self.k
        quote = None
        for is_trade, day in self.by_sid.get(sid, ()):
            row = day.step_rows.item(k)
            if row < 0:
                continue
            ff = day.step_ff.item(k)
            rows = day.rows
            period = _PERIODS[rows.end_ms.item(row) - rows.time_ms.item(row)]
            end_utc = self.end_utc
            if end_utc is None:
                # the step's own local datetime: the one the clock converted this step (timeutil remembers it)
                end_utc = self.end_utc = local_to_utc(self.local)
            if is_trade:
                raw, factor = rows.raw["close"].item(row), day.factor(row)
                volume = 0 if ff else int(rows.sizes["volume"].item(row))
                known = self.factors.get(id(factor))
                if known is None or known[0] is not factor:  # (the entry holds its factor: ids stay unique)
                    known = self.factors[id(factor)] = (factor, exact_parts(factor))
                parts = known[1]
                if parts is not None and type(raw) is int and 0 <= raw * parts[0] < self.exact_below:
                    # (tuple.__new__: a named tuple's own __new__ is a Python function, ~3x slower)
                    return _new_tuple(ExactTradeBar, (period, end_utc, raw, factor, parts[0], parts[1], volume))
                return CapacityBar(period, end_utc, Decimal(raw) * _DECI * factor, Decimal(volume))
            sizes = rows.sizes
            size = ZERO if ff else (Decimal(int(sizes["bid_size"].item(row)))
                                    + Decimal(int(sizes["ask_size"].item(row)))) / 2
            quote = CapacityBar(period, end_utc, _quote_mid(rows, row, day), size)
        return quote


_DIGITS_BELOW = [10 ** digits for digits in range(29)]
_new_tuple = tuple.__new__

# bar periods by length in ms: a run meets a few
_PERIODS = BoundedMemo(lambda ms: timedelta(milliseconds=ms), limit=1_000)


def _quote_mid(rows: Any, row: int, day: Any) -> Decimal:
    bid = Decimal(int(rows.raw["bid_close"][row])) * _DECI * day.factor(row)
    ask = Decimal(int(rows.raw["ask_close"][row])) * _DECI * day.factor(row)
    if bid and ask:
        return (bid + ask) / 2
    return bid or ask


