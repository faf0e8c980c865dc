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
            working = self.consolidator.working_data
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
        # per subscription (by id): (config, the version it was made at, what feeds each consolidator a bar)
        self._feeders: dict[int, tuple[Any, int, tuple[Any, ...]]] = {}
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
        for feed in self._feeders_of(config):
            feed(bar, now)

    def _feeders_of(self, config: Any) -> tuple[Any, ...]:
        """What feeds each consolidator of the subscription a bar; made again after any add/remove (the version)
        or a change to the list itself (its length). Callers loop over this tuple, a snapshot: handlers may add
        or remove consolidators while it runs."""
        entry = self._feeders.get(id(config))
        if (entry is None or entry[1] != self.version or entry[0] is not config
                or len(entry[2]) != len(config.consolidators)):
            entry = self._feeders[id(config)] = (config, self.version,
                                                 tuple(_feeder(c) for c in config.consolidators))
        return entry[2]

    def feed_step(self, pairs: list[tuple[Any, Any]], shared: dict[Symbol, Any] | None, trade_bar_at: Any,
                  quote_bar_at: Any, k: int, local: datetime) -> None:
        """Step 14 for every subscription of the step, in subscription order: `feed(config, bar)` with the bar
        each consolidated subscription emitted (`shared`: the step's slice's trade bars, when they serve every
        trade subscription; otherwise `trade_bar_at` / `quote_bar_at(config, day, k, local)` make it).
        `feed` written out: this runs for every subscription at every step."""
        feeders = self._feeders
        for config, day in pairs:
            consolidators = config.consolidators
            if not consolidators:  # read at its turn: an earlier handler may have added one
                continue
            if config.kind == "trade":
                bar = dict.get(shared, config.symbol) if shared is not None else trade_bar_at(config, day, k, local)
            else:
                bar = quote_bar_at(config, day, k, local)
            if bar is None:
                continue
            now = self.clock
            if now is None:
                now = self.clock = bar.end_time
            entry = feeders.get(id(config))
            feeds = (entry[2] if entry is not None and entry[1] == self.version and entry[0] is config
                     and len(entry[2]) == len(consolidators) else self._feeders_of(config))
            for feed in feeds:
                feed(bar, now)

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
        cursor = getattr(self._rt, "cursor", None)
        while queue and queue[0][0] < local_time:
            priority, _, wrapper = heapq.heappop(queue)
            if wrapper.disposed:
                continue
            if wrapper.scan_time <= priority:
                self.clock = priority
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
        if wrapper.consolidator.working_data is not None:
            return
        step = wrapper.bar_span if wrapper.bar_span is not None else wrapper.min_increment
        missing = local_time - wrapper.scan_time
        wrapper.scan_time += -(-missing // step) * step
