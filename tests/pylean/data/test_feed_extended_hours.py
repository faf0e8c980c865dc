"""An intraday subscription with extended market hours (Lean's SubscriptionFilterEnumerator and
FillForwardEnumerator take the config's extended-hours flag): bars are kept when they overlap the pre-market,
regular or post-market session, nothing past the post-market close, and the gaps of the extended session are
filled forward like those of the regular session."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from pylean.algorithm import QCAlgorithm
from pylean.enums import Resolution
from support.runs import run_class


class ExtendedSpy(QCAlgorithm):
    extended = True
    seen: list[tuple[datetime, bool]]

    def initialize(self) -> None:
        self.set_start_date(2013, 10, 8)
        self.set_end_date(2013, 10, 8)
        self.add_equity("SPY", Resolution.MINUTE, extended_market_hours=self.extended)
        type(self).seen = []

    def on_data(self, data) -> None:  # noqa: ANN001
        bar = data.bars.get("SPY")
        type(self).seen.append((self.time, bar is not None and bar.is_fill_forward))


class RegularSpy(ExtendedSpy):
    extended = False


def _run(klass: type, data: Path, out: Path) -> list[tuple[datetime, bool]]:
    run_class(klass, data, out)
    return klass.seen


def test_every_minute_of_the_extended_session_gets_a_slice(lean_data: Path, tmp_path: Path) -> None:
    seen = _run(ExtendedSpy, lean_data, tmp_path / "extended")
    times = [t for t, _ in seen]
    day = datetime(2013, 10, 8)
    # bars ending 04:01 .. 20:00: the pre-market opens at 04:00 and the post-market closes at 20:00
    assert times == [day + timedelta(hours=4, minutes=1 + i) for i in range(16 * 60)]
    by_time = dict(seen)
    # the sample data trades at 04:00 and next at 04:05: the minutes between are fill-forward copies
    assert by_time[day + timedelta(hours=4, minutes=1)] is False
    assert by_time[day + timedelta(hours=4, minutes=2)] is True


def test_without_extended_hours_only_the_regular_session(lean_data: Path, tmp_path: Path) -> None:
    times = [t for t, _ in _run(RegularSpy, lean_data, tmp_path / "regular")]
    day = datetime(2013, 10, 8)
    assert times == [day + timedelta(hours=9, minutes=31 + i) for i in range(390)]
