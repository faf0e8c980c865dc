"""The forced capacity snapshots at the end of a run (after OnEndOfAlgorithm and at the result handler's exit)
still see the last slice's bars: Lean's CurrentSlice is never cleared, so a symbol still monitored at the end
adds the last bar's dollar volume once more on each forced pass."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal as D
from pathlib import Path
from unittest import mock

from pylean import launcher
from pylean.algorithm import QCAlgorithm
from pylean.enums import Resolution
from pylean.launcher import BacktestOptions, run_backtest
from pylean.statistics.capacity import CapacityBar, CapacityEstimate

MINUTE = timedelta(minutes=1)


def _utc(h: int, m: int) -> datetime:
    return datetime(2013, 10, 8, h, m, tzinfo=timezone.utc)


def _estimate_after_a_fill_in_the_last_minute(bar_for_final: object) -> D:
    est = CapacityEstimate(datetime(2013, 10, 8), datetime(2013, 10, 8, 23, 59, 59))
    last = _utc(20, 0)
    bar = CapacityBar(MINUTE, last, D(100), D(50_000))
    held = lambda _s: D(10_000)  # noqa: E731
    est.on_fill("SPY", _utc(19, 59), D(10_000))
    est.on_step(_utc(19, 59), lambda _s: CapacityBar(MINUTE, _utc(19, 59), D(100), D(40_000)), held, D(100_000))
    est.on_step(last, lambda _s: bar, held, D(100_000))
    est.finalize(last, held, D(100_000), bar_for=bar_for_final)  # type: ignore[arg-type]
    return est.capacity


def test_forced_snapshots_count_the_last_bar_again_while_monitoring() -> None:
    last_bar = CapacityBar(MINUTE, _utc(20, 0), D(100), D(50_000))
    with_last_slice = _estimate_after_a_fill_in_the_last_minute(lambda _s: last_bar)
    without = _estimate_after_a_fill_in_the_last_minute(None)
    # the window (1 minute after the 19:59 fill) still holds at 20:00: each forced pass adds 100 x 50000 again
    assert with_last_slice > without


class TradesInTheLastMinutes(QCAlgorithm):
    def initialize(self) -> None:
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 8)
        self.add_equity("SPY", Resolution.MINUTE)

    def on_data(self, data) -> None:  # noqa: ANN001
        if self.time.hour == 15 and self.time.minute >= 58:
            self.market_order("SPY", 10 if not self.portfolio.invested else -10)


def test_the_engine_hands_the_last_slice_to_the_final_snapshots(lean_data: Path, tmp_path: Path) -> None:
    seen: list[CapacityBar | None] = []
    original = CapacityEstimate.finalize

    def spy_finalize(self, utc_time, holdings_value, tpv, bar_for=None, passes=2):  # noqa: ANN001, ANN202
        seen.append(bar_for(next(iter(self._by_symbol._index))) if bar_for is not None else None)
        return original(self, utc_time, holdings_value, tpv, bar_for, passes)

    path = tmp_path / "algorithm.py"
    path.write_text("# injected\n")
    with mock.patch.object(launcher, "load_algorithm_class", lambda _: TradesInTheLastMinutes), \
            mock.patch.object(CapacityEstimate, "finalize", spy_finalize):
        outcome = run_backtest(BacktestOptions(path, lean_data, tmp_path / "results"))
    assert outcome.status == "Completed", outcome.record.error
    assert len(seen) == 1 and seen[0] is not None
    bar = seen[0]
    # the 15:59-16:00 bar of the last step (16:00 New York = 20:00 UTC in October), with its real volume
    assert bar.end_time_utc.replace(tzinfo=None) == datetime(2013, 10, 8, 20, 0) and bar.volume > 0
