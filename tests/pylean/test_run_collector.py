"""The cyclic GC while a backtest runs: what start-up built is frozen out of full collections and young
collections come in larger batches; afterwards an embedding process has its collector back as it was."""
from __future__ import annotations

import gc
from pathlib import Path

from pylean.algorithm import QCAlgorithm
from pylean.enums import Resolution
from pylean.launcher import RUN_YOUNG_GC_THRESHOLD
from support.runs import run_class


class CollectorProbe(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.add_equity("SPY", Resolution.MINUTE)
        self.seen: set[tuple[int, bool]] = set()

    def on_data(self, data) -> None:
        self.seen.add((gc.get_threshold()[0], gc.get_freeze_count() > 0))


def test_the_run_has_its_own_collector_settings_and_gives_them_back(lean_data: Path, tmp_path: Path) -> None:
    before = gc.get_threshold()
    algorithm = run_class(CollectorProbe, lean_data, tmp_path).record.algorithm
    assert algorithm.seen == {(max(before[0], RUN_YOUNG_GC_THRESHOLD), True)}
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
