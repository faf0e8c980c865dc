"""Slice.bars recycles a subscription's TradeBar object only when nothing but the engine holds it any more:
bars (and slices) an algorithm keeps never change after the step that served them, and a kept bar is never
handed out again; bars nobody keeps are the same object from step to step."""
from __future__ import annotations

from pathlib import Path

from pylean.algorithm import QCAlgorithm
from pylean.enums import Resolution
from support.runs import run_class


def fields(bar) -> tuple:
    return (bar.symbol, bar.time, bar.end_time, bar.open, bar.high, bar.low, bar.close, bar.volume,
            bar.is_fill_forward)


class KeepingProbe(QCAlgorithm):
    """Keeps every third step's bars, and the slice of every step after one of those for a step."""

    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.symbols = [self.add_equity(ticker, Resolution.MINUTE).symbol for ticker in ("SPY", "AIG", "BAC")]
        self.kept: list[tuple] = []          # (bar, its fields when served)
        self.slices: list[tuple] = []        # (slice kept one step, the fields of its bars when served)
        self.previous = None
        self.steps = 0

    def on_data(self, data) -> None:
        self.steps += 1
        if self.previous is not None:        # last step's slice, still held: its bars must be as served
            slice_, served = self.previous
            self.slices.append(([fields(bar) for bar in slice_.bars.values()], served))
        self.previous = None
        if self.steps % 3 == 0:
            self.kept.extend((bar, fields(bar)) for bar in data.bars.values())
        elif self.steps % 3 == 1:
            self.previous = (data, [fields(bar) for bar in data.bars.values()])


def run(lean_data: Path, tmp_path: Path, probe: type) -> QCAlgorithm:
    return run_class(probe, lean_data, tmp_path).record.algorithm


def test_kept_bars_and_slices_never_change(lean_data: Path, tmp_path: Path) -> None:
    algorithm = run(lean_data, tmp_path, KeepingProbe)
    assert algorithm.steps == 780
    assert len(algorithm.kept) == 3 * 260
    assert [fields(bar) for bar, _ in algorithm.kept] == [served for _, served in algorithm.kept]
    assert len({id(bar) for bar, _ in algorithm.kept}) == len(algorithm.kept)  # each kept bar is its own object
    assert len({served[2] for _, served in algorithm.kept}) == 260  # and they are bars of 260 steps
    assert len(algorithm.slices) == 260
    assert all(now == served for now, served in algorithm.slices)


class IdProbe(QCAlgorithm):
    """Keeps nothing: notes the id of each step's bars."""

    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        for ticker in ("SPY", "AIG", "BAC"):
            self.add_equity(ticker, Resolution.MINUTE)
        self.ids: list[tuple[int, ...]] = []

    def on_data(self, data) -> None:
        self.ids.append(tuple(id(bar) for bar in data.bars.values()))


def test_bars_nobody_keeps_are_recycled(lean_data: Path, tmp_path: Path) -> None:
    """While a step's bar is still held by the engine, a new one cannot get its address: one id per
    subscription and day means the object was reused (each day's first step makes it)."""
    ids = run(lean_data, tmp_path, IdProbe).ids
    assert len(ids) == 780 and all(len(step) == 3 for step in ids)
    assert len(set(ids[:390])) == len(set(ids[390:])) == 1


class ConsolidatingProbe(QCAlgorithm):
    """A consolidator's handler keeps the consolidated bars, on_data keeps some input bars."""

    def initialize(self) -> None:
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.spy = self.add_equity("SPY", Resolution.MINUTE).symbol
        self.consolidated: list[tuple] = []
        self.consolidate(self.spy, Resolution.MINUTE, lambda bar: self.consolidated.append((bar, fields(bar))))
        self.kept: list[tuple] = []

    def on_data(self, data) -> None:
        bar = data.bars[self.spy]
        if bar.end_time.minute % 7 == 0:
            self.kept.append((bar, fields(bar)))


def test_consolidated_and_kept_bars_never_change(lean_data: Path, tmp_path: Path) -> None:
    algorithm = run(lean_data, tmp_path, ConsolidatingProbe)
    assert len(algorithm.consolidated) >= 389 and len(algorithm.kept) > 50
    assert [fields(bar) for bar, _ in algorithm.consolidated] == [served for _, served in algorithm.consolidated]
    assert [fields(bar) for bar, _ in algorithm.kept] == [served for _, served in algorithm.kept]
    assert len({id(bar) for bar, _ in algorithm.kept}) == len(algorithm.kept)
