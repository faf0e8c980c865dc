"""Order tests' support: a tiny Lean data folder written per test, and a runner for algorithm classes.

Bars are given in dollars for one made-up ticker ("TEST": no map or factor file, so prices are
not adjusted). Every regular-hours bar of a day exists (price 100 unless set), quotes are the
trade prices -/+ 0.01 unless set, and the benchmark is a constant so no SPY data is
needed.
"""
from __future__ import annotations

import shutil
import tempfile
import zipfile
from contextlib import ExitStack
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Callable
from unittest import mock

from pylean import launcher
from pylean.algorithm import QCAlgorithm
from pylean.enums import OrderStatus, Resolution
from pylean.launcher import BacktestOptions, BacktestOutcome, run_backtest

TICKER = "TEST"
DAY1, DAY2 = date(2013, 10, 7), date(2013, 10, 8)  # a Monday and a Tuesday
OHLC = tuple[float, float, float, float]


def _deci(price: float) -> int:
    return int(round(price * 10000))


class DayBars:
    """One day of trade and quote bars at one resolution; set() overrides bars starting at a time."""

    def __init__(self, day: date, resolution: Resolution, price: float = 100.0, half_spread: float = 0.01) -> None:
        self.day, self.resolution = day, resolution
        self.step = timedelta(seconds=1) if resolution == Resolution.SECOND else timedelta(minutes=1)
        self.trade: dict[timedelta, OHLC] = {}
        self.quote: dict[timedelta, tuple[OHLC, OHLC]] = {}
        self.half_spread = half_spread
        start, end = timedelta(hours=9, minutes=30), timedelta(hours=16)
        t = start
        while t < end:
            self.trade[t] = (price, price, price, price)
            t += self.step

    def set(self, at: str, o: float, h: float, low: float, c: float,
            bid: OHLC | None = None, ask: OHLC | None = None) -> "DayBars":
        """The bar that STARTS at `at` ("HH:MM" or "HH:MM:SS"); it is delivered one period later."""
        parts = [int(p) for p in at.split(":")]
        key = timedelta(hours=parts[0], minutes=parts[1], seconds=parts[2] if len(parts) > 2 else 0)
        self.trade[key] = (o, h, low, c)
        if bid is not None or ask is not None:
            spread = self.half_spread
            self.quote[key] = (bid or tuple(x - spread for x in (o, h, low, c)),  # type: ignore[assignment]
                               ask or tuple(x + spread for x in (o, h, low, c)))
        return self

    def fill(self, start: str, end: str, price: float) -> "DayBars":
        """Flat bars at `price` for every period in [start, end)."""
        a = [int(p) for p in start.split(":")]
        b = [int(p) for p in end.split(":")]
        t = timedelta(hours=a[0], minutes=a[1])
        stop = timedelta(hours=b[0], minutes=b[1])
        while t < stop:
            self.trade[t] = (price, price, price, price)
            self.quote.pop(t, None)
            t += self.step
        return self

    def write(self, folder: Path) -> None:
        name = "second" if self.resolution == Resolution.SECOND else "minute"
        base = folder / "equity" / "usa" / name / TICKER.lower()
        base.mkdir(parents=True, exist_ok=True)
        stamp = f"{self.day:%Y%m%d}"
        trades, quotes = [], []
        for t in sorted(self.trade):
            ms = int(t.total_seconds() * 1000)
            o, h, low, c = self.trade[t]
            trades.append(f"{ms},{_deci(o)},{_deci(h)},{_deci(low)},{_deci(c)},1000")
            s = self.half_spread
            bid, ask = self.quote.get(t, (tuple(x - s for x in (o, h, low, c)), tuple(x + s for x in (o, h, low, c))))
            quotes.append(f"{ms}," + ",".join(str(_deci(x)) for x in bid) + ",500,"
                          + ",".join(str(_deci(x)) for x in ask) + ",500")
        for kind, rows in (("trade", trades), ("quote", quotes)):
            with zipfile.ZipFile(base / f"{stamp}_{kind}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(f"{stamp}_{TICKER.lower()}_{name}_{kind}.csv", "\n".join(rows))


class MiniData:
    """The data folder of one test."""

    def __init__(self, root: Path, lean_data: Path) -> None:
        self.root = root
        for sub in ("market-hours", "symbol-properties"):
            shutil.copytree(lean_data / sub, root / sub)

    def day(self, day: date, resolution: Resolution = Resolution.MINUTE, price: float = 100.0) -> DayBars:
        return DayBars(day, resolution, price)

    def write(self, *days: DayBars) -> None:
        for bars in days:
            bars.write(self.root)


class QuietOrderTestAlgorithm(QCAlgorithm):
    """TEST from DAY1 to `END`, a constant benchmark, no on_order_event (so nothing runs between an order's
    submission and its scan, as in algorithms without one)."""

    END = DAY1
    RESOLUTION = Resolution.MINUTE

    def initialize(self) -> None:
        self.set_start_date(DAY1.year, DAY1.month, DAY1.day)
        self.set_end_date(self.END.year, self.END.month, self.END.day)
        self.set_cash(100000)
        self.set_benchmark(lambda _: 1)
        self.test = self.add_equity(TICKER, self.RESOLUTION).symbol
        self.events: list[tuple[datetime, int, OrderStatus, float, float, str]] = []
        self.setup()

    def setup(self) -> None:
        pass

    def at(self, hhmm: str) -> bool:
        return self.time.time() == time.fromisoformat(hhmm)


class OrderTestAlgorithm(QuietOrderTestAlgorithm):
    """Base of the test algorithms: QuietOrderTestAlgorithm with the order events recorded."""

    def on_order_event(self, order_event: Any) -> None:
        self.events.append((self.time, order_event.order_id, order_event.status, order_event.fill_price,
                            order_event.fill_quantity, order_event.message))


class ScriptedOrders:
    """A mixin (before the algorithm class) that plays an order script: `steps` of (minute, action, amount),
    the minute counted in on_data calls; `act_<action>(amount, price)` places the order (update and cancel
    pick an earlier ticket by the amount)."""

    steps: list[tuple[int, str, int]] = []

    def setup(self) -> None:
        self.tickets: list[Any] = []
        self.step = 0

    def on_data(self, data: Any) -> None:
        self.step += 1
        for minute, action, amount in self.steps:
            if minute == self.step:
                price = float(self.securities[self.test].price)  # type: ignore[attr-defined]
                getattr(self, "act_" + action)(amount, price)

    def act_market(self, amount: int, price: float) -> None:
        self.tickets.append(self.market_order(self.test, amount))  # type: ignore[attr-defined]

    def act_limit(self, amount: int, price: float) -> None:
        below = price - 0.05 * (amount % 5)
        self.tickets.append(self.limit_order(self.test, amount, below))  # type: ignore[attr-defined]

    def act_target(self, amount: int, price: float) -> None:
        self.tickets.extend(self.set_holdings(self.test, amount / 100))  # type: ignore[attr-defined]

    def act_update(self, amount: int, price: float) -> None:
        if self.tickets:
            self.tickets[amount % len(self.tickets)].update_quantity(amount)

    def act_cancel(self, amount: int, price: float) -> None:
        if self.tickets:
            self.tickets[amount % len(self.tickets)].cancel()


def write_minute_prices(data: MiniData, minutes: int, price_at: Any) -> None:
    """DAY1's first `minutes` minute bars at price_at(minute) (high and low 0.15 either side)."""
    bars = data.day(DAY1)
    for minute, key in enumerate(sorted(bars.trade)[:minutes]):
        price = price_at(minute)
        bars.set(f"{key.seconds // 3600:02d}:{key.seconds // 60 % 60:02d}", price, price + 0.15, price - 0.15, price)
    data.write(bars)


def fast_and_general(lean_data: Path, write: Callable[[MiniData], None], algorithm: type[QCAlgorithm],
                     general_paths: Callable[[], list[Any]], record: Callable[[BacktestOutcome], Any]) -> list[Any]:
    """record() of two runs of `algorithm` on the same fresh data: as it is, then with the patches
    general_paths() gives (the shortcuts replaced by what they stand for)."""
    root = Path(tempfile.mkdtemp())
    try:
        records = []
        for general in (False, True):
            data = MiniData(root / str(general) / "data", lean_data)
            write(data)
            with ExitStack() as stack:
                for patch in general_paths() if general else []:
                    stack.enter_context(patch)
                records.append(record(run(data, algorithm)))
        return records
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(data: MiniData, algorithm: type[QCAlgorithm]) -> BacktestOutcome:
    """Run the class through pylean's launcher (the loader is pointed at it)."""
    path = data.root.parent / "algorithm.py"
    path.write_text("# the test's algorithm class is injected\n")
    with mock.patch.object(launcher, "load_algorithm_class", lambda _: algorithm):
        outcome = run_backtest(BacktestOptions(path, data.root, data.root.parent / "out"))
    assert outcome.record is not None
    assert outcome.status == "Completed", outcome.record.error
    return outcome


def algo(outcome: BacktestOutcome) -> Any:
    assert outcome.record is not None
    return outcome.record.algorithm


def statuses(outcome: BacktestOutcome, order_id: int) -> list[str]:
    """The order's events as "HH:MM Status" (seconds shown when not zero, "d2 " prefix on DAY2...)."""
    return [f"{when(t)} {s!s}" for t, i, s, *_ in algo(outcome).events if i == order_id]


def when(t: datetime) -> str:
    text = f"{t:%H:%M}" if t.second == 0 else f"{t:%H:%M:%S}"
    return text if t.date() == DAY1 else f"d{(t.date() - DAY1).days + 1} {text}"


def fills(outcome: BacktestOutcome) -> list[tuple[str, int, float, float]]:
    """(local time, order id, fill price, fill quantity) of every fill."""
    return [(when(t), i, p, q) for t, i, s, p, q, _ in algo(outcome).events
            if s in (OrderStatus.FILLED, OrderStatus.PARTIALLY_FILLED)]


