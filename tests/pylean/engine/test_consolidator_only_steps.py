"""A step whose only work before on_data is consolidators runs steps 2, 3+5 and 14 directly; what a
consolidator's scan handler leaves at step 2 (a security added, an event due now) still gets steps 4-15
before on_data, in Lean's order (spec §3.2)."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from pylean.launcher import BacktestOptions, run_backtest
from support.lean_data import at, new_data_folder, write_algorithm, write_intraday

MONDAY = date(2013, 10, 7)
AT_934 = datetime(2013, 10, 7, 9, 34)

HANDLERS = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.symbol = self.add_equity("ABC", Resolution.MINUTE, fill_forward=False).symbol
        self.add_equity("XYZ", Resolution.MINUTE)
        self.rows = []
        self.consolidate(self.symbol, timedelta(minutes=3), self.on_three)

    def on_three(self, bar):  # ABC stops after 9:32: the period ending 9:33 is emitted by step 2's scan at 9:34
        self.rows.append(("three", self.time))
        self.add_equity("DEF", Resolution.MINUTE)  # step 4 and step 12: on_securities_changed now
        self.schedule.on(self.date_rules.today, self.time_rules.at(9, 34),
                         lambda: self.rows.append(("event", self.time)))  # step 9 fires it

    def on_securities_changed(self, changes):
        if any(str(s.symbol) == "DEF" for s in changes.added_securities):
            self.rows.append(("changed", self.time, [str(s.symbol) for s in changes.added_securities]))

    def on_data(self, data):
        if datetime(2013, 10, 7, 9, 33) <= self.time <= datetime(2013, 10, 7, 9, 35):
            self.rows.append(("data", self.time))
"""


def test_work_left_by_a_consolidator_scan_runs_before_on_data(tmp_path: Path, lean_data: Path) -> None:
    folder = new_data_folder(tmp_path / "data", lean_data)
    write_intraday(folder, "minute", "ABC", MONDAY, [(at(9, 30 + m), 10, 11, 9, 10.5, 100) for m in range(2)])
    for ticker in ("XYZ", "DEF"):
        write_intraday(folder, "minute", ticker, MONDAY, [(at(9, 30 + m), 10, 11, 9, 10.5, 100) for m in range(10)])
    algorithm_file = write_algorithm(tmp_path, "Handlers", HANDLERS)
    outcome = run_backtest(BacktestOptions(algorithm_file, folder, tmp_path / "out"))
    assert outcome.status == "Completed", (tmp_path / "out" / "Handlers-log.txt").read_text()
    at_933, at_935 = datetime(2013, 10, 7, 9, 33), datetime(2013, 10, 7, 9, 35)
    # the scan runs the handler at the clock of the period's end (9:33), within the step of 9:34
    assert outcome.record.algorithm.rows == [("data", at_933), ("three", at_933), ("event", AT_934),
                                             ("changed", AT_934, ["DEF"]), ("data", AT_934), ("data", at_935)]
