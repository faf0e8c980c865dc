"""When the first slice after warm-up lies past the start date, Lean's Synchronizer first emits a time pulse at
the start: warm-up ends there and OnWarmupFinished runs at that time, before the slice. Scheduled events due at
the start (the midnight daily sample, a user's midnight event) then run out of warm-up, so the benchmark is
sampled at the start and its first day's return counts in the statistics."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from pylean.algorithm import QCAlgorithm
from pylean.enums import Resolution
from support.runs import run_class


class WarmedDay(QCAlgorithm):
    log: list[tuple[str, datetime, bool]]

    def initialize(self) -> None:
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 9)
        self.add_equity("SPY", Resolution.MINUTE)
        self.set_warm_up(timedelta(days=1))
        type(self).log = []
        self.schedule.on(self.date_rules.every_day(), self.time_rules.midnight, self._midnight)

    def _midnight(self) -> None:
        type(self).log.append(("midnight", self.time, self.is_warming_up))

    def on_warmup_finished(self) -> None:
        type(self).log.append(("finished", self.time, self.is_warming_up))


def _run(data: Path, out: Path):  # type: ignore[no-untyped-def]
    outcome = run_class(WarmedDay, data, out)
    return outcome


def test_warm_up_ends_at_the_start_before_its_midnight_events(lean_data: Path, tmp_path: Path) -> None:
    _run(lean_data, tmp_path / "run")
    start = datetime(2013, 10, 8)
    assert ("finished", start, False) in WarmedDay.log
    finished_at = WarmedDay.log.index(("finished", start, False))
    # the start's midnight event comes after the pulse, out of warm-up; the one before the start was warm-up
    assert WarmedDay.log[finished_at + 1] == ("midnight", start, False)
    assert ("midnight", datetime(2013, 10, 7), True) in WarmedDay.log[:finished_at]


def test_the_benchmark_is_sampled_at_the_start(lean_data: Path, tmp_path: Path) -> None:
    outcome = _run(lean_data, tmp_path / "run")
    charts = outcome.record.runtime.results.charts
    times = [t.replace(tzinfo=None) for t, _ in charts["Benchmark"].series["Benchmark"].points]
    # midnight New York of the start and of the next day (04:00 UTC in October); none during warm-up
    assert times[:2] == [datetime(2013, 10, 8, 4, 0), datetime(2013, 10, 9, 4, 0)]
