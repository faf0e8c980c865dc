"""Ordinary time steps skip the work before on_data and the results sampling when nothing is due; these
check that what is skipped changes nothing (spec §3.2 order, equity samples)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from pylean.launcher import BacktestOptions, run_backtest
from pylean.results.handler import ResultHandler
from support.lean_data import at, new_data_folder, write_algorithm, write_intraday

MONDAY = date(2013, 10, 7)

EVENTS = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.symbol = self.add_equity("ABC", Resolution.MINUTE).symbol
        self.log_rows = []

    def on_data(self, data):
        self.log_rows.append(("data", self.time))
        if self.time == datetime(2013, 10, 7, 9, 45):  # added mid-run: due at the step of 10:00
            self.schedule.on(self.date_rules.every_day(), self.time_rules.at(10, 0),
                             lambda: self.log_rows.append(("event", self.time)))
            self.market_order(self.symbol, 10)
        if self.time == datetime(2013, 10, 7, 11, 0):  # added mid-run: consolidated from the next step on
            self.consolidate(self.symbol, timedelta(minutes=5),
                             lambda bar: self.log_rows.append(("five", bar.end_time)))

    def on_order_event(self, event):
        self.log_rows.append(("order", self.time, str(event.status)))

    def on_end_of_time_step(self):
        self.log_rows.append(("end", self.time))
"""


def test_mid_run_events_orders_and_consolidators_still_run_at_their_steps(tmp_path: Path, lean_data: Path) -> None:
    folder = new_data_folder(tmp_path / "data", lean_data)
    bars = [(at(9 + (30 + m) // 60, (30 + m) % 60), 10, 11, 9, 10 + m / 100, 100) for m in range(390)]
    write_intraday(folder, "minute", "ABC", MONDAY, bars)
    algorithm = write_algorithm(tmp_path, "Events", EVENTS)
    outcome = run_backtest(BacktestOptions(algorithm, folder, tmp_path / "out"))
    assert outcome.status == "Completed", (tmp_path / "out" / "Events-log.txt").read_text()
    rows = outcome.record.algorithm.log_rows
    steps = [row[1] for row in rows if row[0] == "data"]
    assert len(steps) == 390
    assert [row[1] for row in rows if row[0] == "end"] == steps  # the user's end-of-step handler, every step
    assert [row for row in rows if row[0] == "event"] == [("event", datetime(2013, 10, 7, 10, 0))]
    orders = [row for row in rows if row[0] == "order"]
    assert [row[2].rsplit(".", 1)[-1].lower() for row in orders] == ["submitted", "filled"]
    assert orders[-1][1] == datetime(2013, 10, 7, 9, 45)  # filled in the step it was placed (pass 2)
    five = [row[1] for row in rows if row[0] == "five"]
    assert five[0] == datetime(2013, 10, 7, 11, 5) and five[-1] == datetime(2013, 10, 7, 16, 0)
    assert len(five) == 60


def test_skipping_on_step_while_quiet_samples_the_same_equity() -> None:
    """The engine calls on_step only when the value object changed or a sample is due; a handler fed
    every step must end with the same equity samples."""
    every, skipped = ResultHandler(), ResultHandler()
    start = datetime(2013, 10, 7, 13, 30)
    for handler in (every, skipped):
        handler.configure(start, start + timedelta(days=2), Decimal(1000))
    value = Decimal(1000)
    epoch = datetime(1970, 1, 1)
    utc = start
    for step in range(40_000):
        utc += timedelta(milliseconds=1 if step % 2 else 499)  # steps 1 ms past a sample time happen
        if step % 997 == 0 or step == 10_003:
            value = value + Decimal("0.25")          # a new value now and then (one right after the reset)
        elif step % 7 == 0:
            value = Decimal(str(value))              # an equal value as a new object
        if step == 10_000:
            for handler in (every, skipped):         # the midnight sample resets the candle
                handler.daily_sample(utc.replace(tzinfo=timezone.utc), value, Decimal(1), Decimal(0), Decimal(0),
                                     Decimal(0))
        every.on_step(utc, value)
        utc_ms = (utc - epoch) // timedelta(milliseconds=1)
        if value is not skipped.quiet_value or utc_ms > skipped.quiet_until_ms:
            skipped.on_step(utc, value)
    assert len(every.equity.points) > 40
    assert skipped.equity.points == every.equity.points
    candle = ("open", "high", "low", "close")
    assert [getattr(skipped.candle, name) for name in candle] == [getattr(every.candle, name) for name in candle]
