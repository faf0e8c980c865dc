"""Support for the enable_perf_opt twin tests: windows shaped like a data manager's, pylean's consolidators
stepped the way pylean/engine.py steps them, ZacQC's two data paths wired to them, generated 1-s sessions, and
twin rigs for the risk manager and the condition checkers; Lean-shaped history frames.

Nothing here decides a verdict: the test module compares what these helpers record.
"""
from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd
from zac_fakes import FakeAlgorithm

from config.parameters import CONDITIONS
from core.kernels import FAST, LEGACY, DailyRecord
from data.data_manager import DataManager
from data.metrics import Metrics
from data.streaming import DailyBarBuilder, StreamingDataManager
from management.risk_manager import IncrementalRiskManager
from trading.open_orders import OrderEpoch
from pylean.consolidators import MarketHourAwareConsolidator, SubscriptionManager, TradeBarConsolidator
from pylean.consolidators.manager import consolidated_event
from pylean.consolidators.period import resolution_span
from pylean.data.market_data import TradeBar
from pylean.data.subscription import SubscriptionDataConfig
from pylean.enums import Resolution
from pylean.securities import FeedCursor
from pylean.symbols import Symbol
from support.exchange_hours import us_equity_hours

SYMBOL = Symbol.create("ZAC")
ONE_SECOND = timedelta(seconds=1)
FIFTEEN_SECONDS = timedelta(seconds=15)
WINDOW_SIZE = 45   # the data manager's 15-s window

# Thanksgiving week 2025: a holiday, an early close (13:00) and a weekend among the trading days
HOLIDAY = date(2025, 11, 27)
EARLY_CLOSE = date(2025, 11, 28)
TRADING_DAYS = (date(2025, 11, 24), date(2025, 11, 25), date(2025, 11, 26), EARLY_CLOSE, date(2025, 12, 1),
                date(2025, 12, 2))


HOURS = us_equity_hours(HOLIDAY, EARLY_CLOSE)


def session_close(day: date) -> datetime:
    return HOURS.get_next_market_close(datetime.combine(day, time(9, 30)), False)


def second_bar(start: datetime, o: float, h: float, low: float, c: float, v: float) -> TradeBar:
    return TradeBar(start, SYMBOL, o, h, low, c, v, end_time=start + ONE_SECOND)


def bar_values(bar: Any) -> tuple[Any, ...]:
    return (bar.time, bar.open, bar.high, bar.low, bar.close, bar.volume)


# ------------------------------------------------------------------ 15-s windows
class BarColumns:
    """What the today's-extreme kernels read of a data manager: the 15-s window and its float columns (newest
    first), the newest bar's start time, and the slots of the fast kernel's memo."""

    def __init__(self, size: int = WINDOW_SIZE) -> None:
        self.window: deque = deque(maxlen=size)
        self.highs: deque = deque(maxlen=size)
        self.lows: deque = deque(maxlen=size)
        self.last_bar_time: datetime | None = None
        self.extremes_key: Any = None
        self.extremes = (False, False)

    @classmethod
    def of(cls, bars_newest_first: list[TradeBar]) -> "BarColumns":
        columns = cls()
        for bar in reversed(bars_newest_first):
            columns.push(bar)
        return columns

    def push(self, bar: TradeBar) -> None:
        """A new 15-s bar, as the streaming data manager's handler adds it."""
        self.window.appendleft(bar)
        self.highs.appendleft(bar.high)
        self.lows.appendleft(bar.low)
        self.last_bar_time = bar.time


def outcome(function: Callable[..., Any], *args: Any) -> Any:
    """The value, or the exception type: twins must fail the same way where they fail."""
    try:
        return function(*args)
    except Exception as exc:  # noqa: BLE001 - the type is what is compared
        return type(exc)


# ------------------------------------------------------------------ pylean's consolidators, stepped like the engine
class _Runtime:
    """The attributes pylean's SubscriptionManager reads from AlgorithmRuntime."""

    def __init__(self, config: SubscriptionDataConfig) -> None:
        self.feed = SimpleNamespace(configs=[config])
        self.securities: dict[str, Any] = {}
        self.hours = HOURS
        self.cursor = FeedCursor()
        self.subscription_manager = SubscriptionManager(self)


class SecondFeed:
    """One symbol's second trade bars and the consolidators registered on them (fill-forward off)."""

    def __init__(self) -> None:
        self.config = SubscriptionDataConfig(SYMBOL, Resolution.SECOND, "trade")
        self.runtime = _Runtime(self.config)
        self.manager = self.runtime.subscription_manager
        self.now: datetime | None = None

    def consolidate(self, period: Resolution | timedelta, handler: Callable[[Any], None]) -> Any:
        """QCAlgorithm.consolidate(symbol, period, handler) on second data (pylean/algorithm_indicators.py):
        a daily resolution gets a MarketHourAwareConsolidator with strict daily end times."""
        if period == Resolution.DAILY:
            consolidator: Any = MarketHourAwareConsolidator(True, Resolution.DAILY, "trade", None, False, HOURS)
        else:
            span = resolution_span(period) if isinstance(period, Resolution) else period
            consolidator = TradeBarConsolidator(span)
        event = consolidated_event(consolidator)
        event += lambda sender, bar: handler(bar)
        self.manager.add_consolidator(SYMBOL, consolidator)
        return consolidator

    def step(self, now: datetime, bars: Iterable[TradeBar]) -> None:
        """Steps 2 and 14 of `_run_block`: scan ended periods, then feed this step's bar and scan at `now`."""
        self.now = now
        cursor = self.runtime.cursor
        cursor.time = now
        self.manager.scan(now)
        cursor.time = now
        for bar in bars:
            self.manager.feed(self.config, bar)
        self.manager.scan(now)


def engine_steps(bars: list[TradeBar], idle_steps: Iterable[datetime]) -> list[tuple[datetime, list[TradeBar]]]:
    """One step per bar end time plus steps without a bar of ours (other symbols' data), in time order."""
    by_end: dict[datetime, list[TradeBar]] = {}
    for bar in bars:
        by_end.setdefault(bar.end_time, []).append(bar)
    for t in idle_steps:
        by_end.setdefault(t, [])
    return sorted(by_end.items())


class ConsolidatingAlgorithm:
    """What ZacQC's data managers use of QCAlgorithm: consolidate() into a SecondFeed, the exchange hours."""

    def __init__(self, feed: SecondFeed) -> None:
        self.feed = feed
        self.securities = {SYMBOL: SimpleNamespace(exchange=SimpleNamespace(hours=HOURS))}
        self.errors: list[str] = []

    @property
    def time(self) -> datetime:
        """The step's time (consolidator handlers run inside a step)."""
        return self.feed.now

    def consolidate(self, symbol: Symbol, period: Any, handler: Callable[[Any], None]) -> Any:
        return self.feed.consolidate(period, handler)

    def error(self, message: str) -> None:
        self.errors.append(message)


# ------------------------------------------------------------------ the two daily-bar paths, as event logs
Event = tuple[Any, ...]


def legacy_daily_events(steps: list[tuple[datetime, list[TradeBar]]]) -> list[Event]:
    """ZacQC's legacy registration (15 s, 1 min, daily) on pylean's consolidators: what is emitted, at which step."""
    feed = SecondFeed()
    log: list[Event] = []
    feed.consolidate(FIFTEEN_SECONDS, lambda bar: log.append((feed.now, "15s", bar.time, bar.end_time)))
    feed.consolidate(Resolution.MINUTE, lambda bar: None)
    feed.consolidate(Resolution.DAILY, lambda bar: log.append((feed.now, "daily") + bar_values(bar)))
    for now, bars in steps:
        feed.step(now, bars)
    return log


def fast_daily_events(steps: list[tuple[datetime, list[TradeBar]]]) -> list[Event]:
    """The optimized path: one 15-s consolidator whose handler (after its own work) feeds a DailyBarBuilder."""
    feed = SecondFeed()
    log: list[Event] = []
    builder = DailyBarBuilder(HOURS.get_next_market_open, HOURS.get_next_market_close,
                              lambda record: log.append((feed.now, "daily") + bar_values(record)))

    def on_15s_bar(bar: TradeBar) -> None:
        log.append((feed.now, "15s", bar.time, bar.end_time))
        builder.update(bar.time, bar.end_time, bar.open, bar.high, bar.low, bar.close, bar.volume)

    feed.consolidate(FIFTEEN_SECONDS, on_15s_bar)
    for now, bars in steps:
        feed.step(now, bars)
    return log


# ------------------------------------------------------------------ the two data managers on the same feed
@dataclass
class ManagerRun:
    """A data manager registered on its own SecondFeed, with its handlers' calls logged in order."""

    manager: Any
    feed: SecondFeed
    log: list[Event] = field(default_factory=list)


def logged(run: ManagerRun, kind: str, handler: Callable[[Any], None]) -> Callable[[Any], None]:
    """`handler`, first noting (step, kind, bar time) in the run's log."""
    def note_then_handle(bar: Any) -> None:
        run.log.append((run.feed.now, kind, bar.time))
        handler(bar)

    return note_then_handle


def _manager_run(manager_class: type, kernels: Any, daily_owner: str, daily_name: str) -> ManagerRun:
    """A data manager on its own feed, with its 15-s and daily handlers logged."""
    feed = SecondFeed()
    run = ManagerRun(manager_class(ConsolidatingAlgorithm(feed), SYMBOL, kernels), feed)
    manager = run.manager
    manager.on_15s_bar = logged(run, "15s", manager.on_15s_bar)
    owner = manager if daily_owner == "manager" else getattr(manager, daily_owner)
    setattr(owner, daily_name, logged(run, "daily", getattr(owner, daily_name)))
    manager.register_consolidators()
    return run


def legacy_manager() -> ManagerRun:
    """ZacQC's DataManager with its three consolidators (15 s, 1 min, daily) on its own feed."""
    return _manager_run(DataManager, LEGACY, "manager", "on_daily_bar")


def streaming_manager() -> ManagerRun:
    """ZacQC's StreamingDataManager (one 15-s consolidator, DailyBarBuilder) on its own feed."""
    return _manager_run(StreamingDataManager, FAST, "daily_builder", "emit")


def manager_state(manager: Any) -> dict[str, Any]:
    """Everything the strategy reads of a data manager, as plain values."""
    day = manager.day
    return {
        "window": [bar_values(b) + (b.end_time,) for b in manager.window],
        "daily": [bar_values(r) for r in manager.daily],
        "day": (day.open, day.high, day.low, day.close, day.volume),
        "vwap": (manager.vwap_pv, manager.vwap_volume, manager.vwap),
        "range30": (list(manager.range30.values), manager.range30.total, manager.range30_pct()),
        "volumes7": (list(manager.volumes7), manager.volume7()),
        "last_bar_time": manager.last_bar_time,
        "has_new_bar": manager.has_new_bar,
        "extremes": [manager.recent_extremes(n) for n in range(len(manager.window) + 1)],
    }


# ------------------------------------------------------------------ 1-second bars of a few sessions
ANCHORS = ("preopen", "open", "midday", "close", "post")


@dataclass(frozen=True)
class Cluster:
    """A run of 1-s bars: `count` bars `stride` seconds apart, from `offset` seconds after an anchor time."""

    anchor: str
    offset: int
    count: int
    stride: int


def anchor_time(day: date, anchor: str) -> datetime:
    if anchor == "preopen":
        return datetime.combine(day, time(9, 29, 30))
    if anchor == "open":
        return datetime.combine(day, time(9, 30))
    if anchor == "midday":
        return datetime.combine(day, time(11, 0))
    if anchor == "close":
        return session_close(day) - timedelta(seconds=45)
    return session_close(day)  # post


def day_times(day: date, clusters: Iterable[Cluster], reaches_close: bool) -> list[datetime]:
    """Start times of a day's 1-s bars; `reaches_close` adds the bar that ends at the close (as fill-forward does)."""
    times = {anchor_time(day, c.anchor) + timedelta(seconds=c.offset + i * c.stride)
             for c in clusters for i in range(c.count)}
    times = {t for t in times if t.date() == day and time(4) <= t.time() < time(20)}
    if reaches_close:
        times.add(session_close(day) - ONE_SECOND)
    return sorted(times)


def sessions_without_a_closing_bar(bars: list[TradeBar]) -> set[date]:
    """Days with bars in the regular session but none ending at the close (fill-forward would give one)."""
    opened, closed = set(), set()
    for bar in bars:
        day = bar.time.date()
        close = session_close(day)
        if datetime.combine(day, time(9, 30)) <= bar.time < close:
            opened.add(day)
            if bar.end_time == close:
                closed.add(day)
    return opened - closed


def random_walk_bars(times: list[datetime], rng: Any, tick_range: int = 6) -> list[TradeBar]:
    """1-s bars on a cent grid: small moves so that equal highs and lows (ties) are common; some volumes 0."""
    bars = []
    cents = 10_000
    for t in times:
        cents = max(1, cents + rng.randint(-tick_range, tick_range))
        up, down = rng.choice((0, 0, 1, 3)), rng.choice((0, 0, 1, 3))
        close = max(1, cents - down + rng.randint(0, up + down))
        bars.append(second_bar(t, cents / 100, (cents + up) / 100, max(1, cents - down) / 100, close / 100,
                               float(rng.choice((0, 1, 100, 250, 1000)))))
    return bars


def flush_day_bars(after: date) -> list[TradeBar]:
    """Two bars of a later trading day, so that both paths have emitted every earlier session's bar."""
    first = datetime.combine(after + timedelta(days=1), time(9, 30))
    return [second_bar(first, 100.0, 100.0, 100.0, 100.0, 1.0),
            second_bar(first + FIFTEEN_SECONDS, 100.0, 100.0, 100.0, 100.0, 1.0)]


# ------------------------------------------------------------------ the risk managers, each on its own algorithm
def exchange_open_at(now: datetime) -> bool:
    return now.weekday() < 5 and time(9, 30) <= now.time() < time(16)


class RiskTwin:
    """One fake algorithm and one risk manager; the test applies the same operations to both twins.

    As main.py does, every order event bumps the order epoch the incremental manager reads; the exchange is
    open by the clock only.
    """

    def __init__(self, risk_class: type, params: Any, prices: list[float], start: datetime) -> None:
        self.algo = algo = FakeAlgorithm(start)
        self.symbols = [algo.add(f"T{i}", price) for i, price in enumerate(prices)]
        self.cancels = 0
        self.epoch = OrderEpoch()
        extra = (self.epoch,) if issubclass(risk_class, IncrementalRiskManager) else ()
        self.risk = risk_class(algo, params, self.symbols, self.cancel_all_entries, *extra)
        algo.order_event_handler = lambda event: self.epoch.bump()
        self.set_clock(start)

    def cancel_all_entries(self) -> None:
        self.cancels += 1

    def set_clock(self, now: datetime) -> None:
        self.algo.time = now
        for security in self.algo.securities.values():
            security.exchange.exchange_open = exchange_open_at(now)

    def apply(self, op: tuple[Any, ...]) -> Any:
        """One operation: a fill, a price move, the clock, the daily reset, or a risk call (its result)."""
        kind, algo, risk = op[0], self.algo, self.risk
        if kind in ("fill", "close"):   # close: the fill that flattens the holding
            _, index, quantity, price, mark = op
            symbol = self.symbols[index % len(self.symbols)]
            if kind == "close":
                quantity = -algo.portfolio[symbol].quantity
                if not quantity:
                    return None
            if mark:
                algo.securities[symbol].price = price
            ticket = algo.transactions.submit(symbol, quantity, "limit", "entry", limit=price)
            algo.transactions.fill(ticket.order_id, price)
            return None
        if kind == "price":
            algo.securities[self.symbols[op[1] % len(self.symbols)]].price = op[2]
            return None
        if kind == "clock":
            self.set_clock(algo.time + timedelta(seconds=op[1]))
            return None
        if kind == "reset":
            risk.reset_daily()
            return None
        call = {"pct": risk.daily_pnl_pct, "limit": risk.check_daily_pnl_limit,
                "validate": risk.validate_trading_conditions}[kind]
        return outcome(call)

    def state(self) -> dict[str, Any]:
        algo, risk, portfolio = self.algo, self.risk, self.algo.portfolio
        return {
            "orders": [(o.symbol.value, o.quantity, o.kind, o.tag, o.status)
                       for o in algo.transactions.orders.values()],
            "portfolio": (portfolio.cash, portfolio.total_profit,
                          [(s.value, portfolio[s].quantity, portfolio[s].average_price) for s in self.symbols]),
            "cancels": self.cancels,
            "risk": (risk.start_value, risk.start_date, risk.start_realized, risk.target_pnl_reached,
                     risk.daily_limit_reached),
        }


# ------------------------------------------------------------------ the condition checkers, each with its own state
class ScriptedRally:
    """Rally gates answering from a per-cycle script; every call is recorded."""

    def __init__(self, script: list[dict[str, tuple[bool, bool]]]) -> None:
        self.script = script
        self.cycle = 0
        self.calls: list[tuple[Any, ...]] = []

    def long_gate(self, mrp: Any, mult: Any) -> tuple[bool, bool]:
        self.calls.append((self.cycle, "long", mrp, mult))
        return self.script[self.cycle]["long"]

    def short_gate(self, mrp: Any, mult: Any) -> tuple[bool, bool]:
        self.calls.append((self.cycle, "short", mrp, mult))
        return self.script[self.cycle]["short"]


class CheckerTwin:
    """One checker with its own strategy flags, metrics and rally script."""

    def __init__(self, checker_class: type, kernels: Any, case: dict[str, Any]) -> None:
        self.cycles = case["cycles"]
        self.data = BarColumns()
        self.metrics = Metrics()
        self.strategy = SimpleNamespace(flags={c: False for c in CONDITIONS}, last_exit={})
        self.rally = ScriptedRally([cycle["rally"] for cycle in self.cycles])
        self.allowed_calls = 0
        self.checker = checker_class(case["params"], self.data, self.metrics, self.strategy, self.rally, kernels,
                                     self.trading_allowed)

    def trading_allowed(self) -> bool:   # RiskManager.validate_trading_conditions
        self.allowed_calls += 1
        return bool(self.cycles[self.rally.cycle]["allowed"])

    def run(self, index: int) -> tuple[Any, ...]:
        """One processed cycle: what check_all answers, the flags it leaves, every gate call so far."""
        cycle = self.cycles[index]
        self.rally.cycle = index
        now = cycle["now"]
        for bar in cycle["new_bars"]:
            self.data.push(bar)
        for name, value in cycle["metrics"].items():
            setattr(self.metrics, name, value)
        for condition, minutes in cycle["ages"].items():
            self.strategy.last_exit[condition] = now - timedelta(minutes=minutes)
        results = self.checker.check_all(now)
        return results, dict(self.strategy.flags), list(self.rally.calls), self.allowed_calls


# ------------------------------------------------------------------ daily history
def history_records(count: int, rng: random.Random) -> list[DailyRecord]:
    """`count` daily records before the run (what the history load gives the data managers)."""
    first = datetime(2025, 9, 1, 16)
    records = []
    for i in range(count):
        low = rng.randint(9000, 10000) / 100
        records.append(DailyRecord(first + timedelta(days=i), low + rng.randint(0, 50) / 100,
                                   low + rng.randint(50, 300) / 100, low, low + rng.randint(0, 50) / 100,
                                   float(rng.choice((0, 1_000_000, 2_345_678)))))
    return records


def history_frame(ticker: str, rows: list[tuple[Any, ...]], int_volume: bool, sid_strings: bool,
                  extra: bool) -> pd.DataFrame:
    """A Lean-shaped history frame: index (symbol, time), lower-case columns, perhaps quote columns too."""
    key = f"{ticker} R735QTJ8XC9X" if sid_strings else Symbol.create(ticker)
    times = [datetime(2025, 9, 1, 16) + timedelta(days=day) for day, *_ in rows]
    prices = ("open", "high", "low", "close")
    columns: dict[str, Any] = {name: [row[i + 1] for row in rows] for i, name in enumerate(prices)}
    columns["volume"] = np.array([row[5] for row in rows], dtype=np.int64 if int_volume else np.float64)
    if extra:
        columns["askclose"] = [np.nan] * len(rows)
    index = pd.MultiIndex.from_arrays([[key] * len(rows), times], names=["symbol", "time"])
    return pd.DataFrame(columns, index=index)


def record_key(records: list[DailyRecord]) -> list[tuple[Any, ...]]:
    """Records as comparable values: the times and the exact bits of every float."""
    return [(r.time, type(r.time)) + tuple(float(v).hex() for v in (r.open, r.high, r.low, r.close, r.volume))
            for r in records]
