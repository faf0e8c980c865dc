"""Delisting events from a map file, and self.statistics during a run, on our own data."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from extras_support import run_class
from support.lean_data import new_data_folder, write_daily

from pylean.algorithm_imports import DelistingType, PerformanceMetrics, QCAlgorithm, Resolution

DAYS = [date(2013, 10, 7), date(2013, 10, 8), date(2013, 10, 9), date(2013, 10, 10), date(2013, 10, 11)]


def _data(tmp_path: Path, lean_data: Path) -> Path:
    data = new_data_folder(tmp_path / "data", lean_data)
    write_daily(data, "ABC", [(d, 10, 10, 10, 10 + i, 1000) for i, d in enumerate(DAYS)])
    write_daily(data, "XYZ", [(d, 5, 5, 5, 5, 1000) for d in DAYS[:3]])
    maps = data / "equity" / "usa" / "map_files"
    maps.mkdir(parents=True)
    (maps / "xyz.csv").write_text("20000101,xyz,Q\n20131009,xyz,Q\n")  # delisted after 2013-10-09
    return data


def test_delisting_warning_then_delisted_and_no_data_after(tmp_path: Path, lean_data: Path) -> None:
    class Delisted(QCAlgorithm):
        def initialize(self) -> None:
            self.set_start_date(2013, 10, 7)
            self.set_end_date(2013, 10, 11)
            self.add_equity("ABC", Resolution.DAILY)
            self.xyz = self.add_equity("XYZ", Resolution.DAILY)
            self.seen = []

        def on_data(self, data: object) -> None:
            for kvp in data.delistings:
                self.seen.append((f"{self.time:%d %H:%M}", kvp.key.value, kvp.value.type, kvp.value.price,
                                  self.xyz.is_delisted, self.xyz.is_tradable))
            if "XYZ" in data.bars:
                self.seen.append((f"{self.time:%d %H:%M}", "bar"))

        def on_securities_changed(self, changes: object) -> None:
            for security in changes.removed_securities:  # type: ignore[attr-defined]
                self.seen.append((f"{self.time:%d %H:%M}", "removed", security.symbol.value))

    algorithm = run_class(_data(tmp_path, lean_data), Delisted).record.algorithm
    assert algorithm.seen == [
        ("07 16:00", "bar"), ("08 16:00", "bar"),
        ("09 00:00", "XYZ", DelistingType.WARNING, 5.0, False, True), ("09 16:00", "bar"),
        ("10 00:00", "removed", "XYZ"),
        ("10 00:00", "XYZ", DelistingType.DELISTED, 5.0, True, False),
    ]  # no fill-forward bar of XYZ after the delisting date


def test_statistics_during_the_run_include_custom_summary_statistics(tmp_path: Path, lean_data: Path) -> None:
    class Stats(QCAlgorithm):
        def initialize(self) -> None:
            self.set_start_date(2013, 10, 7)
            self.set_end_date(2013, 10, 11)
            self.add_equity("ABC", Resolution.DAILY)
            self.readings = []

        def on_data(self, data: object) -> None:
            if not self.portfolio.invested:
                self.set_holdings("ABC", 0.5)
            self.set_summary_statistic("Days Seen", len(self.readings) + 1)
            summary = self.statistics.summary
            pairs = {kvp.key: kvp.value for kvp in summary}
            self.readings.append((summary[PerformanceMetrics.TOTAL_ORDERS], pairs["Days Seen"]))

    outcome = run_class(_data(tmp_path, lean_data), Stats)
    assert outcome.record.algorithm.readings == [("1", "1"), ("1", "2"), ("1", "3"), ("1", "4"), ("1", "5")]
    assert outcome.record.statistics["Days Seen"] == "5"
