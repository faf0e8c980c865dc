"""Steps of a consolidators' quiet run serve the last step's Slice when nothing but the engine holds it (as
ordinary steps do): kept slices and bar collections never change, and slices nobody keeps are reused."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from unittest import mock

from pylean import engine
from pylean.consolidators import TradeBarConsolidator
from pylean.data.slice import Slice
from pylean.enums import Resolution
from support.runs import run_class
from test_slice_recycling import KeepingProbe, TimeProbe, seen


class QuietCountedSlice(Slice):
    __slots__ = ()
    made = 0

    def __init__(self, *args) -> None:
        QuietCountedSlice.made += 1
        super().__init__(*args)


def consolidate(algorithm) -> None:
    """A batched SMA and a bulk-fed 5-minute consolidator per symbol: most steps are quiet."""
    for symbol in list(algorithm.securities.keys()):
        algorithm.sma(symbol, 10, Resolution.MINUTE)
        algorithm.subscription_manager.add_consolidator(symbol, TradeBarConsolidator(timedelta(minutes=5)))


class ConsolidatingKeeper(KeepingProbe):
    def initialize(self) -> None:
        KeepingProbe.initialize(self)
        consolidate(self)


class ConsolidatingTimes(TimeProbe):
    def initialize(self) -> None:
        TimeProbe.initialize(self)
        consolidate(self)


def test_kept_slices_of_quiet_steps_never_change(lean_data: Path, tmp_path: Path) -> None:
    algorithm = run_class(ConsolidatingKeeper, lean_data, tmp_path).record.algorithm
    assert algorithm.steps == 780
    assert [seen(data) for data, _ in algorithm.slices] == [served for _, served in algorithm.slices]
    assert len({id(data) for data, _ in algorithm.slices}) == 195
    assert [list(bars.items()) for bars, _ in algorithm.bars] == [served for _, served in algorithm.bars]


def test_quiet_steps_reuse_slices_nobody_keeps(lean_data: Path, tmp_path: Path) -> None:
    with mock.patch.object(engine, "Slice", QuietCountedSlice):
        algorithm = run_class(ConsolidatingTimes, lean_data, tmp_path).record.algorithm
    assert len(algorithm.times) == 780 and len(set(algorithm.times)) == 780
    assert QuietCountedSlice.made < 600  # due steps and the first quiet step after one make one
