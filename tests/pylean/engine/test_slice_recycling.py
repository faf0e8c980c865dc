"""The engine serves an ordinary step with the last step's Slice object when nothing but the engine holds it
any more: slices (and bar collections) an algorithm keeps never change after their step, a kept slice is
never handed out again, and slices nobody keeps are the same object from step to step."""
from __future__ import annotations

from pathlib import Path
from unittest import mock

from pylean import engine
from pylean.algorithm import QCAlgorithm
from pylean.data.slice import Slice
from pylean.enums import Resolution
from support.runs import run_class


def seen(data) -> tuple:
    """What a slice shows: its time and every bar's symbol, end time and close."""
    return data.time, [(symbol, bar.end_time, bar.close) for symbol, bar in data.bars.items()]


class KeepingProbe(QCAlgorithm):
    """Keeps every fourth step's slice and every fifth step's bar collection (not its slice)."""

    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        for ticker in ("SPY", "AIG", "BAC"):
            self.add_equity(ticker, Resolution.MINUTE)
        self.slices: list[tuple] = []   # (slice, what it showed when served)
        self.bars: list[tuple] = []     # (bar collection, its items when served)
        self.steps = 0

    def on_data(self, data) -> None:
        self.steps += 1
        if self.steps % 4 == 0:
            self.slices.append((data, seen(data)))
        if self.steps % 5 == 0:
            self.bars.append((data.bars, list(data.bars.items())))


class TimeProbe(QCAlgorithm):
    """Keeps nothing: notes each step's slice time."""

    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        for ticker in ("SPY", "AIG", "BAC"):
            self.add_equity(ticker, Resolution.MINUTE)
        self.times: list = []

    def on_data(self, data) -> None:
        self.times.append(data.time)


class CountedSlice(Slice):
    __slots__ = ()
    made = 0

    def __init__(self, *args) -> None:
        CountedSlice.made += 1
        super().__init__(*args)


def run(lean_data: Path, tmp_path: Path, probe: type) -> QCAlgorithm:
    return run_class(probe, lean_data, tmp_path).record.algorithm


def test_kept_slices_and_bar_collections_never_change(lean_data: Path, tmp_path: Path) -> None:
    algorithm = run(lean_data, tmp_path, KeepingProbe)
    assert algorithm.steps == 780
    assert len(algorithm.slices) == 195 and len(algorithm.bars) == 156
    assert [seen(data) for data, _ in algorithm.slices] == [served for _, served in algorithm.slices]
    assert len({id(data) for data, _ in algorithm.slices}) == 195  # each kept slice is its own object
    assert len({served[0] for _, served in algorithm.slices}) == 195  # of 195 different steps
    assert [list(bars.items()) for bars, _ in algorithm.bars] == [served for _, served in algorithm.bars]


def test_slices_nobody_keeps_are_recycled(lean_data: Path, tmp_path: Path) -> None:
    """Ordinary steps (no event, order or consolidator before on_data) reuse the last slice: only a few
    of the 780 steps make one, and every step's slice still shows its own time."""
    with mock.patch.object(engine, "Slice", CountedSlice):
        algorithm = run(lean_data, tmp_path, TimeProbe)
    assert len(algorithm.times) == 780 and len(set(algorithm.times)) == 780
    assert 2 <= CountedSlice.made < 40
