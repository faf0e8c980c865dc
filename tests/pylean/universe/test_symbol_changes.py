"""Symbol changes from a map file: the event's date, its data point, the handler and the cancelled orders."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from pylean.data.factors import MapFile, MapFileRow
from pylean.data.symbol_changes import symbol_change_dates
from pylean.launcher import BacktestOptions, run_backtest
from support.lean_data import new_data_folder, write_algorithm, write_daily

DAYS = [date(2013, 10, d) for d in (4, 7, 8, 9, 10, 11)]


def test_the_change_applies_on_the_first_tradable_date_after_the_row() -> None:
    rows = MapFile([MapFileRow(date(2000, 1, 1), "ABC"), MapFileRow(date(2013, 10, 4), "ABC"),
                    MapFileRow(date(2013, 10, 11), "ABD"), MapFileRow(date(2050, 12, 31), "ABD")])
    weekday = lambda d: d.weekday() < 5  # noqa: E731
    assert symbol_change_dates(rows, weekday) == [(date(2013, 10, 7), "ABC", "ABD")]  # Friday's row: Monday


def test_symbol_changed_event_reaches_the_algorithm(tmp_path: Path, lean_data: Path) -> None:
    data = new_data_folder(tmp_path / "data", lean_data)
    for ticker in ("abc", "abd"):
        write_daily(data, ticker, [(d, 10.0, 10.0, 10.0, 10.0, 1000) for d in DAYS])
    maps = data / "equity" / "usa" / "map_files"
    maps.mkdir(parents=True)
    (maps / "abc.csv").write_text("20000101,abc,Q\n20131008,abc,Q\n20501231,abd,Q\n")
    body = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.abc = self.add_equity("ABC", Resolution.DAILY).symbol
        self.events, self.in_slice, self.cancelled = [], [], []

    def on_data(self, data):
        if self.time.day == 8:
            self.limit_order(self.abc, 10, 1.0)  # far from the market: still open at the change
        for symbol, event in data.symbol_changed_events.items():
            self.in_slice.append((self.time, str(symbol), event.old_symbol, event.new_symbol))

    def on_symbol_changed_events(self, symbol_changed_events: SymbolChangedEvents):
        self.events.append((self.time, [(e.old_symbol, e.new_symbol) for e in symbol_changed_events.values()]))

    def on_order_event(self, order_event):
        if order_event.status == OrderStatus.CANCELED:
            self.cancelled.append(self.time)
"""
    algorithm_file = write_algorithm(tmp_path, "Renamed", body)
    outcome = run_backtest(BacktestOptions(algorithm_file, data, tmp_path / "out"))
    assert outcome.status == "Completed", (tmp_path / "out" / "Renamed-log.txt").read_text()
    algorithm = outcome.record.algorithm
    assert algorithm.events == [(datetime(2013, 10, 9), [("ABC", "ABD")])]
    assert algorithm.in_slice == [(datetime(2013, 10, 9), "ABC", "ABC", "ABD")]
    assert algorithm.cancelled == [datetime(2013, 10, 9)]  # the open order of the renamed symbol
