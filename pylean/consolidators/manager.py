"""The algorithm's consolidator registry and scan schedule (Common/Data/SubscriptionManager.cs,
Common/Data/ConsolidatorWrapper.cs).

The engine calls `scan(t)` at step 2 of each time step (consolidators whose scan time is before t, with the
algorithm clock set to that scan time, Lean's ScanPastConsolidators) and, at step 14, `feed(config, bar)` for each
bar a consolidated subscription emitted (each consolidator is updated then scanned at t), then `scan(t)` again.
"""
from __future__ import annotations

import heapq
import itertools
from datetime import datetime, timedelta
from typing import Any

from pylean.consolidators.bars import QuoteBarConsolidator, TradeBarConsolidator
from pylean.consolidators.base import ConsolidatorBase, IdentityDataConsolidator, kind_of
from pylean.consolidators.batched import Slot, detach
from pylean.consolidators.bulk import BulkFeed, DayArrays, Member, day_arrays
from pylean.consolidators.market_hours import MarketHourAwareConsolidator
from pylean.models.volatility import use_subscription_manager
from pylean.naming import lean_api
from pylean.symbols import Symbol, symbol_of

ONE_SECOND = timedelta(seconds=1)
_ids = itertools.count(1)


def consolidated_event(consolidator: Any) -> Any:
    """The IDataConsolidator.DataConsolidated event (the base one on period consolidators)."""
    event = getattr(consolidator, "_base_event", None)
    return event if event is not None else consolidator.data_consolidated


def _input_kind(consolidator: Any) -> str | None:
    kind = getattr(consolidator, "input_kind", None)
    return kind if kind is not None else kind_of(getattr(consolidator, "input_type", None))


_FEEDS_ITSELF = frozenset((TradeBarConsolidator, QuoteBarConsolidator, IdentityDataConsolidator,
                           MarketHourAwareConsolidator))


def _feeder(consolidator: Any) -> Any:
    """`feed(bar, now)`: the consolidator's update then its scan at the step time. pylean's own classes do
    both in one call (`_feed`); anything else (user classes and subclasses) gets exactly update + scan."""
    if type(consolidator) in _FEEDS_ITSELF:
        return consolidator._feed

    def feed(bar: Any, now: datetime) -> None:
        consolidator.update(bar)
        consolidator.scan(now)
    return feed


def _peek(consolidator: Any) -> Any:
    """The working bar, for the schedule: without merging deferred bars or holding a bulk-fed consolidator."""
    peek = getattr(consolidator, "_working_peek", None)
    return peek() if peek is not None else consolidator.working_data


def _bulk_target(consolidator: Any) -> Any:
    """The TradeBarConsolidator whose merges bulk consolidation may defer: pylean's own, by time period or
    calendar, alone or inside pylean's own MarketHourAwareConsolidator; else None."""
    if type(consolidator) is MarketHourAwareConsolidator:
        consolidator = consolidator.consolidator
    if type(consolidator) is TradeBarConsolidator and consolidator._max_count is None:
        return consolidator
    return None


class _Plan:
    """One subscription's consolidators as the engine feeds them: what feeds each a bar (a snapshot: handlers
    may add or remove consolidators while it runs), their bulk members (None for the others, who are fed every
    step: `others`, with their list positions) and the members' BulkFeed (None without any)."""

    __slots__ = ("config", "version", "day", "feeders", "members", "others", "feed")

    def __init__(self, config: Any, version: int, day: Any, feeders: tuple[Any, ...],
                 members: tuple["Member | None", ...], feed: BulkFeed | None) -> None:
        self.config = config
        self.version = version
        self.day = day
        self.feeders = feeders
        self.members = members
        self.others = tuple((i, feeder) for i, feeder in enumerate(feeders) if members[i] is None)
        self.feed = feed


def _feed_others(plan: _Plan, feed: BulkFeed, bar: Any, k: int, manager: "SubscriptionManager") -> None:
    """A step at which no bulk member is due: only the other consolidators are fed, in list order; should a
    handler wake a member, the rest of the list is fed as `_feed_members` does."""
    feed.step = k
    if bar is not None:
        now = manager.clock
        if now is None:
            now = manager.clock = bar.end_time
        for index, other in plan.others:
            feed.pos = index
            other(bar, now)
            if feed.next_k <= k:
                _feed_members(plan, feed, bar, k, manager, index + 1)
                return
    feed.pos = len(plan.members)


def _feed_members(plan: _Plan, feed: BulkFeed, bar: Any, k: int, manager: "SubscriptionManager",
                  start: int = 0) -> None:
    """A step of a subscription with bulk members due (from list position `start`): each consolidator in list
    order is fed the step's bar (if any), except members not due (their merge is deferred); a due member first
    merges what it deferred. Then the members fed find when they are next due."""
    feed.step = k
    members = plan.members
    if bar is not None:
        now = manager.clock
        if now is None:
            now = manager.clock = bar.end_time
        feeders = plan.feeders
        for index in range(start, len(feeders)):
            member = members[index]
            if member is None:
                feed.pos = index
                feeders[index](bar, now)
            elif member.until <= k:  # read at its turn: an earlier handler may have woken it
                feed.pos = index
                member.flush()
                feeders[index](bar, now)
                member.merged_until = k + 1
    feed.pos = len(members)
    next_k = len(feed.times)  # no member is due again in this block
    for member in feed.members:
        until = member.until
        if until <= k:
            until = member.until = member.horizon(k)
        if until < next_k:
            next_k = until
    feed.next_k = next_k


class ConsolidatorWrapper:
    """When a consolidator must next be scanned: one bar span after its last output (or data end)."""

    __slots__ = ("consolidator", "manager", "min_increment", "bar_span", "scan_time", "disposed", "id")

    def __init__(self, consolidator: Any, increment: timedelta, manager: "SubscriptionManager") -> None:
        self.consolidator = consolidator
        self.manager = manager
        self.min_increment = max(increment, ONE_SECOND)
        self.bar_span: timedelta | None = None
        self.scan_time = datetime.min
        self.disposed = False
        self.id = next(_ids)
        if type(consolidator) is not IdentityDataConsolidator:  # never scheduled (SubscriptionManager.scan)
            event = consolidated_event(consolidator)
            event += self.advance_on_output

    def advance_on_output(self, sender: Any, consolidated: Any) -> None:
        span = self.bar_span
        if span is not None and consolidated is not None:  # advance(consolidated) once the span is known
            self.scan_time = consolidated.end_time + span
        else:
            self.advance(consolidated)

    def advance(self, consolidated: Any = None) -> None:
        now = self.manager.clock
        # set by the first scan, or by feed; a bar consolidated before then (history pushed through a
        # consolidator while the algorithm starts) reasons from its own end time
        assert now is not None or consolidated is not None
        if consolidated is None and self.scan_time > now:
            return
        if self.bar_span is not None:
            reference = consolidated.end_time if consolidated is not None else now
            self.scan_time = reference + self.bar_span
        elif consolidated is not None:
            span = consolidated.end_time - consolidated.time
            self.bar_span = span if span >= self.min_increment else self.min_increment
            self.scan_time = consolidated.end_time + self.bar_span
        else:
            working = _peek(self.consolidator)
            if working is None:
                self.scan_time = now + self.min_increment
            else:
                end = working.end_time
                self.scan_time = end if end > now else now + self.min_increment

    def scan(self) -> None:
        self.consolidator.scan(self.manager.clock)
        # it may not have emitted (no data, a weekend): the next scan time still moves on
        self.advance()

    def dispose(self) -> None:
        self.disposed = True
        event = consolidated_event(self.consolidator)
        event -= self.advance_on_output


@lean_api
class SubscriptionManager:
    """`algorithm.subscription_manager`: consolidators per subscription, fed and scanned by the engine."""

    def __init__(self, runtime: Any) -> None:
        self._rt = runtime
        self._wrappers: dict[Any, ConsolidatorWrapper] = {}
        self._to_add: list[ConsolidatorWrapper] = []
        self._queue: list[tuple[datetime, int, ConsolidatorWrapper]] = []
        self.clock: datetime | None = None  # Lean's time keeper: the time the scan schedule reasons in
        self.version = 0  # changes whenever a consolidator is added or removed
        self._plans: dict[int, _Plan] = {}  # per subscription (by id): how its consolidators are fed
        self._bulk_enabled = True  # bulk consolidation where it is exact (tests compare it with the step path)
        self._day_arrays: dict[int, tuple[Any, DayArrays | None]] = {}  # per subscription: its day's arrays
        self._block_times: tuple[Any, list[int]] = (None, [])  # the block's step times, for bulk horizons
        self._block_locals: tuple[Any, list[datetime]] = (None, [])  # the same as local datetimes (batched groups)
        self._batch_enabled = True  # batched identity consolidators (tests compare them with the step path)
        # identity consolidators read while batched: fed step by step for the rest of that day (by id: (it, day))
        self._batch_left: dict[int, tuple[Any, Any]] = {}
        self._quiet: tuple[Any, ...] | None = None  # a run of steps at which no consolidator does anything
        use_subscription_manager(self)  # security volatility models register their feeders here

    # ------------------------------------------------------------ subscriptions
    @property
    def subscriptions(self) -> list[Any]:
        return [config for config in self._rt.feed.configs if not config.is_internal]

    @property
    def count(self) -> int:
        return len(self.subscriptions)

    @property
    def subscription_data_config_service(self) -> "SubscriptionManager":
        """Lean's ISubscriptionDataConfigService: here the manager answers for it."""
        return self

    def get_subscription_data_configs(self, symbol: Any = None) -> list[Any]:
        return self.subscriptions if symbol is None else self._configs(self._to_symbol(symbol))

    def _to_symbol(self, key: Any) -> Symbol | None:
        return None if key is None else symbol_of(key, self._rt.securities)

    def _configs(self, symbol: Symbol | None) -> list[Any]:
        return [config for config in self._rt.feed.configs if not config.is_internal and config.symbol == symbol]

    # ------------------------------------------------------------ registry
    def add_consolidator(self, symbol: Any, consolidator: Any, tick_type: Any = None) -> None:
        """Attach `consolidator` to the symbol's first subscription of the consolidator's input type."""
        self.version += 1
        symbol = self._to_symbol(symbol)
        configs = self._configs(symbol)
        if not configs:
            raise ValueError(f"Please subscribe to this symbol before adding a consolidator for it. Symbol: "
                             f"{getattr(symbol, 'value', symbol)}")
        kind = _input_kind(consolidator)
        for config in configs:
            if kind is None or config.kind == kind:
                bind = getattr(consolidator, "_bind_exchange_hours", None)
                if bind is not None:
                    bind(self._rt.hours)
                bind = getattr(consolidator, "_bind_symbol_properties", None)  # RangeConsolidator's tick size
                if bind is not None:
                    bind(self._rt.symbol_properties)
                # Lean's SubscriptionDataConfig.Consolidators is a set: registering the same consolidator again
                # (register_indicator on a consolidator already added) must not feed it the bar twice
                if consolidator not in config.consolidators:
                    config.consolidators.append(consolidator)
                wrapper = ConsolidatorWrapper(consolidator, config.increment, self)
                self._wrappers[consolidator] = wrapper
                self._to_add.append(wrapper)
                return
        supported = ", ".join("TradeBar" if c.kind == "trade" else "QuoteBar" for c in configs)
        raise ValueError(f"Type mismatch found between consolidator and symbol. Symbol: {symbol.value} does not "
                         f"support input type: {'TradeBar' if kind == 'trade' else 'QuoteBar'}. Supported types: "
                         f"{supported}.")

    def remove_consolidator(self, symbol: Any, consolidator: Any) -> None:
        self.version += 1
        symbol = self._to_symbol(symbol)
        if symbol is None:
            for source in (getattr(consolidator, "consolidated", None), getattr(consolidator, "working_data", None)):
                if source is not None and getattr(source, "symbol", None) is not None:
                    symbol = source.symbol
                    break
        for config in self._rt.feed.configs:
            # without a symbol (nothing consolidated yet) look through every subscription
            if (symbol is None or config.symbol == symbol) and consolidator in config.consolidators:
                config.consolidators.remove(consolidator)
                wrapper = self._wrappers.pop(consolidator, None)
                if wrapper is not None:
                    wrapper.dispose()
        dispose = getattr(consolidator, "dispose", None)
        if dispose is not None:
            dispose()

    # ------------------------------------------------------------ engine hooks
    @property
    def has_consolidators(self) -> bool:
        return bool(self._wrappers)

    def feed(self, config: Any, bar: Any) -> None:
        """Step 14: update each consolidator of the subscription with the bar, then scan it at the step time."""
        now = self.clock
        if now is None:
            now = self.clock = bar.end_time
        for feed in self._plan_of(config, None, 0, None).feeders:
            feed(bar, now)

    def _plan_of(self, config: Any, day: Any, k: int, block: Any) -> "_Plan":
        """How the engine feeds the subscription's consolidators; made again after any add/remove (the version),
        a change to the list itself (its length) or another day (bulk members are merged up to step k first)."""
        plan = self._plans.get(id(config))
        if (plan is None or plan.version != self.version or plan.config is not config or plan.day is not day
                or len(plan.feeders) != len(config.consolidators)):
            plan = self._plans[id(config)] = self._new_plan(config, day, k, block)
        return plan

    def _new_plan(self, config: Any, day: Any, k: int, block: Any) -> "_Plan":
        self._quiet = None
        old = self._plans.get(id(config))
        if old is not None:  # batched groups first get the state the steps fed so far built
            for slot in old.members:
                if type(slot) is Slot:
                    slot.group.commit(False)
        consolidators = config.consolidators
        for consolidator in consolidators:  # what was deferred for them belongs before anything fed from now on
            target = _bulk_target(consolidator)
            if target is not None and target._bulk is not None:
                target._bulk.flush()
                target._bulk = None
        feed = None
        feeders = tuple(_feeder(c) for c in consolidators)  # before any is detached (its class swapped)
        members: list[Member | None] = [None] * len(consolidators)
        candidates = [(i, c, target) for i, c in enumerate(consolidators)
                      if (target := _bulk_target(c)) is not None and target._bulk_ok and target._bulk is None]
        identities = [(i, c) for i, c in enumerate(consolidators) if type(c) is IdentityDataConsolidator
                      and self._batch_enabled and not self._left_today(c, day)]
        if ((candidates or identities) and day is not None and block is not None and self._bulk_enabled
                and config.kind == "trade"):
            arrays = self._day_arrays.get(id(config))
            if arrays is None or arrays[0] is not day:
                arrays = self._day_arrays[id(config)] = (day, day_arrays(day))
            if arrays[1] is not None:
                if self._block_times[0] is not block:
                    self._block_times = (block, block.times_ms.tolist())
                rows = day.rows
                feed = BulkFeed(self, arrays[1], self._block_times[1], config.symbol,
                                int(rows.end_ms[0] - rows.time_ms[0]), k)
                for i, outer, target in candidates:
                    member = members[i] = target._bulk = Member(target, outer, feed, i)
                    feed.members.append(member)
                if identities:
                    if self._block_locals[0] is not block:
                        self._block_locals = (block, block.times_ms.astype("datetime64[ms]").tolist())
                    for i, consolidator in identities:
                        slot = detach(self, feed, config, day, consolidator, i, self._block_locals[1])
                        if slot is not None:
                            members[i] = slot
                            feed.members.append(slot)  # type: ignore[arg-type]
                if not feed.members:
                    feed = None
        return _Plan(config, self.version, day, feeders, tuple(members), feed)

    def _left_today(self, consolidator: Any, day: Any) -> bool:
        left = self._batch_left.get(id(consolidator))
        return left is not None and left[0] is consolidator and left[1] is day

    def feed_step(self, pairs: list[tuple[Any, Any]], shared: dict[Symbol, Any] | None, trade_bar_at: Any,
                  quote_bar_at: Any, k: int, local: datetime, block: Any = None) -> None:
        """Step 14 for every subscription of the step, in subscription order: `feed(config, bar)` with the bar
        each consolidated subscription emitted (`shared`: the step's slice's trade bars, when they serve every
        trade subscription; otherwise `trade_bar_at` / `quote_bar_at(config, day, k, local)` make it).
        With the step's `block`, a subscription's bulk members defer their merges (pylean/consolidators/bulk.py).
        Written out: this runs for every subscription at every step."""
        if self._quiet is not None and self.quiet_step(k, block):
            return
        plans = self._plans
        for config, day in pairs:
            consolidators = config.consolidators
            if not consolidators:  # read at its turn: an earlier handler may have added one
                continue
            plan = plans.get(id(config))
            if (plan is None or plan.version != self.version or plan.config is not config or plan.day is not day
                    or len(plan.feeders) != len(consolidators)):
                plan = self._plan_of(config, day, k, block)
            feed = plan.feed
            if feed is not None:
                next_k = feed.next_k
                if k < next_k and not plan.others:  # nothing but deferred merges: nobody can see this step
                    feed.step = k  # (its `pos` stays past the list: every step ends so)
                    continue
                if next_k < 0:  # a member left: the plan without it
                    plan = self._plans[id(config)] = self._new_plan(config, day, k, block)
                    feed = plan.feed
            if config.kind == "trade":
                bar = dict.get(shared, config.symbol) if shared is not None else trade_bar_at(config, day, k, local)
            else:
                bar = quote_bar_at(config, day, k, local)
            if feed is not None:
                if k < feed.next_k:
                    _feed_others(plan, feed, bar, k, self)
                else:
                    _feed_members(plan, feed, bar, k, self)
                continue
            if bar is None:
                continue
            now = self.clock
            if now is None:
                now = self.clock = bar.end_time
            for feeder in plan.feeders:
                feeder(bar, now)
        if block is not None:
            self._quiet = self._quiet_run(pairs, k, block)

    def quiet_step(self, k: int, block: Any) -> bool:
        """Step k of a quiet run (see `_quiet_run`): each BulkFeed's step moves on and nothing else happens; False
        when the step is not one (the engine then makes the step's bars and calls `feed_step`)."""
        quiet = self._quiet
        if quiet is not None:
            if k < quiet[0] and block is quiet[1] and self.version == quiet[2]:
                entries = quiet[3]
                for consolidators, count, _ in entries:
                    if len(consolidators) != count:
                        break
                else:
                    for _, _, feed in entries:
                        feed.step = k
                    return True
            self._quiet = None
        return False

    def _quiet_run(self, pairs: list[tuple[Any, Any]], k: int, block: Any) -> tuple[Any, ...] | None:
        """(until, block, version, entries) when every consolidated subscription of the block has only bulk
        members, none due before step `until` (beyond k + 1): the steps up to then only move each BulkFeed's
        step (a member whose state changes ends the run, as do other consolidators, days or versions)."""
        until = len(self._block_times[1])
        entries = []
        plans = self._plans
        for config, day in pairs:
            consolidators = config.consolidators
            if not consolidators:
                continue
            plan = plans.get(id(config))
            feed = plan.feed if plan is not None else None
            if (feed is None or plan.others or plan.version != self.version or plan.day is not day
                    or len(plan.feeders) != len(consolidators) or feed.next_k <= k + 1):
                return None
            until = min(until, feed.next_k)
            entries.append((consolidators, len(consolidators), feed))
        return (until, block, self.version, tuple(entries)) if entries else None

    def scan(self, local_time: datetime) -> None:
        """Scan every consolidator whose scan time is before `local_time`, at that scan time (step 2)."""
        queue = self._queue
        if self._to_add:
            if self.clock is None:
                self.clock = local_time
            for wrapper in self._to_add:
                wrapper.advance()
                if type(wrapper.consolidator) is not IdentityDataConsolidator:
                    # an identity consolidator's scan does nothing: scheduling it would only pop it every step
                    heapq.heappush(queue, (wrapper.scan_time, wrapper.id, wrapper))
            self._to_add.clear()
        while queue and queue[0][0] < local_time:
            priority, _, wrapper = heapq.heappop(queue)
            if wrapper.disposed:
                continue
            if wrapper.scan_time <= priority:
                self.clock = priority
                cursor = getattr(self._rt, "cursor", None)
                if cursor is not None:
                    cursor.time = priority  # Lean sets the algorithm clock to the scan time
                wrapper.scan()
                self._skip_idle(wrapper, local_time)
            heapq.heappush(queue, (wrapper.scan_time, wrapper.id, wrapper))
        self.clock = local_time

    @staticmethod
    def _skip_idle(wrapper: ConsolidatorWrapper, local_time: datetime) -> None:
        """Jump the scans an idle consolidator would run overnight: without a working bar they are no-ops."""
        if wrapper.scan_time >= local_time or not isinstance(wrapper.consolidator, ConsolidatorBase):
            return
        if _peek(wrapper.consolidator) is not None:
            return
        step = wrapper.bar_span if wrapper.bar_span is not None else wrapper.min_increment
        missing = local_time - wrapper.scan_time
        wrapper.scan_time += -(-missing // step) * step
