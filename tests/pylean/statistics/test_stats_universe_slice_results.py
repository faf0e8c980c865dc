"""A universe selection is a time slice of its own in Lean, and the result handler processes it like any other
(BacktestingResultHandler.ProcessSynchronousEvents): the capacity estimate steps at the selection time, so a
due snapshot is taken there, before the day's first bars add their volume, and the equity may be sampled."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from unittest import mock

from pylean import launcher
from pylean.algorithm import QCAlgorithm
from pylean.enums import Resolution
from pylean.launcher import BacktestOptions, run_backtest
from pylean.results.handler import ResultHandler
from pylean.statistics.capacity import CapacityEstimate


class BuysWhatTheUniverseSelects(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.universe_settings.resolution = Resolution.HOUR
        self.add_universe("my-universe", lambda _time: ["SPY"])

    def on_data(self, data) -> None:  # noqa: ANN001
        if not self.portfolio.invested and "SPY" in [s.value for s in data.keys()]:
            self.set_holdings("SPY", 0.5)


def _step_times(lean_data: Path, tmp_path: Path) -> tuple[list[datetime], list[datetime]]:
    capacity_steps: list[datetime] = []
    result_steps: list[datetime] = []
    on_capacity, on_results = CapacityEstimate.on_step, ResultHandler.on_step

    def spy_capacity(self, utc_time, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        capacity_steps.append(utc_time.replace(tzinfo=None))
        return on_capacity(self, utc_time, *args, **kwargs)

    def spy_results(self, utc_time, portfolio_value):  # noqa: ANN001, ANN202
        result_steps.append(utc_time.replace(tzinfo=None))
        return on_results(self, utc_time, portfolio_value)

    path = tmp_path / "algorithm.py"
    path.write_text("# injected\n")
    with mock.patch.object(launcher, "load_algorithm_class", lambda _: BuysWhatTheUniverseSelects), \
            mock.patch.object(CapacityEstimate, "on_step", spy_capacity), \
            mock.patch.object(ResultHandler, "on_step", spy_results):
        outcome = run_backtest(BacktestOptions(path, lean_data, tmp_path / "results"))
    assert outcome.status == "Completed", outcome.record.error
    return capacity_steps, result_steps


def test_selection_slices_step_the_results_and_the_capacity_estimate(lean_data: Path, tmp_path: Path) -> None:
    capacity_steps, result_steps = _step_times(lean_data, tmp_path)
    # midnight New York is 04:00 UTC in October: the daily selections of Tuesday to Friday, after the first fill
    selections = [datetime(2013, 10, day, 4, 0) for day in (8, 9, 10, 11)]
    for when in selections:
        assert when in result_steps
    # the capacity snapshot is due on Friday (a 5-day run snapshots after ~4 days): it is taken at Friday's
    # selection, not at the first hourly bar (14:00 UTC)
    friday = [t for t in capacity_steps if t.date() == datetime(2013, 10, 11).date()]
    assert friday and friday[0] == datetime(2013, 10, 11, 4, 0)
    assert capacity_steps == sorted(capacity_steps)
