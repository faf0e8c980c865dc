"""The time loop on hand-built data: fill-forward, market hours, daily precise end times, data points."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from pylean.launcher import BacktestOptions, run_backtest
from support.lean_data import at, new_data_folder, write_algorithm, write_daily, write_intraday

MONDAY = date(2013, 10, 7)
TUESDAY = date(2013, 10, 8)

RECORDER = """
    def initialize(self):
        self.set_start_date({start})
        self.set_end_date({end})
        self.add_equity("ABC", Resolution.{resolution})
        self.seen = []

    def on_data(self, data):
        bar = data.bars.get("ABC")
        security = self.securities["ABC"]
        self.seen.append((self.time, bar.time if bar else None, bar.close if bar else None,
                          bar.volume if bar else None, bar.is_fill_forward if bar else None,
                          security.price, security.has_data))
"""


def run(tmp_path: Path, lean_data: Path, body: str, writer) -> tuple:  # type: ignore[no-untyped-def]
    folder = new_data_folder(tmp_path / "data", lean_data)
    writer(folder)
    algorithm = write_algorithm(tmp_path, "Recorder", body)
    outcome = run_backtest(BacktestOptions(algorithm, folder, tmp_path / "out"))
    assert outcome.status == "Completed", (tmp_path / "out" / "Recorder-log.txt").read_text()
    return outcome, outcome.record.algorithm.seen


def test_minute_gaps_are_filled_forward_with_the_last_real_bar(tmp_path: Path, lean_data: Path) -> None:
    body = RECORDER.format(start="2013, 10, 7", end="2013, 10, 7", resolution="MINUTE")
    bars = [(at(9, 30), 10, 11, 9, 10.5, 100), (at(9, 31), 10.5, 12, 10, 11, 200), (at(9, 35), 11, 11, 11, 11.25, 50)]
    outcome, seen = run(tmp_path, lean_data, body, lambda f: write_intraday(f, "minute", "ABC", MONDAY, bars))
    by_time = {row[0]: row for row in seen}
    assert len(seen) == 390  # every regular minute, delivered at the bar's end
    assert by_time[datetime(2013, 10, 7, 9, 31)][1:5] == (datetime(2013, 10, 7, 9, 30), 10.5, 100, False)
    filled = by_time[datetime(2013, 10, 7, 9, 34)]
    assert filled[1:5] == (datetime(2013, 10, 7, 9, 33), 11, 0, True)  # OHLC copied, volume 0
    assert filled[5] == 11  # the security price stays at the last REAL close
    assert by_time[datetime(2013, 10, 7, 9, 36)][2:5] == (11.25, 50, False)
    assert by_time[datetime(2013, 10, 7, 16, 0)][4] is True
    # 390 bars + 1 universe trigger tick (no quotes, no benchmark data in this folder)
    assert outcome.data_points == 391


def test_pre_market_bar_seeds_the_open_but_not_the_price(tmp_path: Path, lean_data: Path) -> None:
    body = RECORDER.format(start="2013, 10, 7", end="2013, 10, 7", resolution="MINUTE")
    bars = [(at(9, 20), 20, 20, 20, 20, 10), (at(9, 33), 21, 21, 21, 21, 10)]
    _, seen = run(tmp_path, lean_data, body, lambda f: write_intraday(f, "minute", "ABC", MONDAY, bars))
    first = seen[0]
    assert first[0] == datetime(2013, 10, 7, 9, 31)
    assert first[2:5] == (20, 0, True)       # fill-forward copy of the 09:20 pre-market bar
    assert first[5:] == (0.0, False)        # pre-market bars never reach the security cache
    assert seen[3][5:] == (21, True)


def test_bars_outside_regular_hours_are_dropped(tmp_path: Path, lean_data: Path) -> None:
    body = RECORDER.format(start="2013, 10, 7", end="2013, 10, 7", resolution="MINUTE")
    bars = [(at(9, 29), 1, 1, 1, 1, 1), (at(15, 59), 2, 2, 2, 2, 2), (at(16, 0), 3, 3, 3, 3, 3)]
    _, seen = run(tmp_path, lean_data, body, lambda f: write_intraday(f, "minute", "ABC", MONDAY, bars))
    real = [row for row in seen if row[4] is False]
    assert [(row[0], row[2]) for row in real] == [(datetime(2013, 10, 7, 16, 0), 2)]


def test_a_missing_day_is_no_data_and_is_reported(tmp_path: Path, lean_data: Path) -> None:
    body = RECORDER.format(start="2013, 10, 7", end="2013, 10, 8", resolution="MINUTE")
    bars = [(at(15, 59), 5, 5, 5, 5, 5)]
    outcome, seen = run(tmp_path, lean_data, body, lambda f: write_intraday(f, "minute", "ABC", MONDAY, bars))
    tuesday = [row for row in seen if row[0].date() == TUESDAY]
    assert len(tuesday) == 390 and all(row[4] is True and row[2] == 5 for row in tuesday)
    log = (tmp_path / "out" / "log.txt").read_text()
    assert "20131008_trade.zip" in log and "Missing data" in log


@pytest.mark.parametrize("day, close", [(date(2013, 10, 8), datetime(2013, 10, 8, 16, 0)),
                                        (date(2013, 11, 29), datetime(2013, 11, 29, 13, 0))])
def test_daily_bars_span_the_regular_session(tmp_path: Path, lean_data: Path, day: date, close: datetime) -> None:
    body = RECORDER.format(start=f"{day.year}, {day.month}, {day.day}", end=f"{day.year}, {day.month}, {day.day}",
                           resolution="DAILY")
    rows = [(day, 10, 12, 9, 11, 1000)]
    _, seen = run(tmp_path, lean_data, body, lambda f: write_daily(f, "ABC", rows))
    assert len(seen) == 1
    assert seen[0][0] == close and seen[0][1] == datetime(day.year, day.month, day.day, 9, 30)


SHARED_BARS = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.symbols = [self.add_equity(t, Resolution.MINUTE).symbol for t in ("ABC", "XYZ")]
        self.handed = {{}}
        self.same, self.different, self.equal = 0, 0, 0
        for symbol in self.symbols[:{consolidated}]:
            consolidator = TradeBarConsolidator(timedelta(minutes=5))
            self.subscription_manager.add_consolidator(symbol, consolidator)
            self.identity = IdentityDataConsolidator()
            self.identity.data_consolidated += lambda sender, bar: self.handed.__setitem__(bar.symbol, bar)
            self.subscription_manager.add_consolidator(symbol, self.identity)

    def on_data(self, data):
        for symbol, bar in self.handed.items():
            if data.bars.get(symbol) is bar:
                self.same += 1
            elif symbol in data.bars:
                other, fields = data.bars[symbol], ("time", "end_time", "open", "high", "low", "close", "volume",
                                                    "is_fill_forward")
                self.different += 1
                self.equal += all(getattr(other, f) == getattr(bar, f) for f in fields)
        self.handed = {{}}
"""


@pytest.mark.parametrize("consolidated, shared", [(2, True), (1, False)])
def test_consolidators_see_the_slice_bar_objects_when_every_subscription_is_consolidated(
        tmp_path: Path, lean_data: Path, consolidated: int, shared: bool) -> None:
    """As in Lean, a consolidator gets the very bar object on_data then reads (built once a step);
    with only some subscriptions consolidated each gets its own copy, equal in every field."""
    bars = [(at(9, 30), 10, 11, 9, 10.5, 100), (at(9, 40), 11, 11, 11, 11.25, 50)]

    def write(folder: Path) -> None:
        write_intraday(folder, "minute", "ABC", MONDAY, bars)
        write_intraday(folder, "minute", "XYZ", MONDAY, bars)

    folder = new_data_folder(tmp_path / "data", lean_data)
    write(folder)
    algorithm_file = write_algorithm(tmp_path, "Shared", SHARED_BARS.format(consolidated=consolidated))
    outcome = run_backtest(BacktestOptions(algorithm_file, folder, tmp_path / "out"))
    assert outcome.status == "Completed", (tmp_path / "out" / "Shared-log.txt").read_text()
    algorithm = outcome.record.algorithm
    handed = 390 * consolidated  # every minute bar (fill-forward included) of each consolidated symbol
    assert (algorithm.same, algorithm.different) == ((handed, 0) if shared else (0, handed))
    assert algorithm.equal == algorithm.different


PLAN_PROBE = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 8)
        self.add_equity("ABC", Resolution.MINUTE)
        self.ready_at_first_call = []
        self.day = None

    def on_data(self, data):
        if self.time.date() != self.day:
            self.day = self.time.date()
            self.ready_at_first_call.append(has_trade_plan(data._block))
        for bar in data.bars.values():
            bar.close
"""


def test_a_day_after_bars_were_read_has_its_columns_ready_before_on_data(tmp_path: Path, lean_data: Path) -> None:
    """The day's columns become Python lists during data loading, not in the first on_data of the day
    (which would count engine work as the algorithm's latency), once bars were read the day before."""
    bars = [(at(9, 30), 10, 11, 9, 10.5, 100)]

    def write(folder: Path) -> None:
        write_intraday(folder, "minute", "ABC", MONDAY, bars)
        write_intraday(folder, "minute", "ABC", TUESDAY, bars)

    folder = new_data_folder(tmp_path / "data", lean_data)
    write(folder)
    algorithm_file = write_algorithm(tmp_path, "Probe", PLAN_PROBE)
    algorithm_file.write_text(algorithm_file.read_text().replace(
        "from AlgorithmImports import *\n", "from AlgorithmImports import *\nfrom pylean.data.slice import has_trade_plan\n"))
    outcome = run_backtest(BacktestOptions(algorithm_file, folder, tmp_path / "out"))
    assert outcome.status == "Completed", (tmp_path / "out" / "Probe-log.txt").read_text()
    assert outcome.record.algorithm.ready_at_first_call == [False, True]


GC_PROBE = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 7)
        self.add_equity("ABC", Resolution.MINUTE)
        self.frozen = []

    def on_data(self, data):
        self.frozen.append(gc.get_freeze_count())
"""


def test_start_up_objects_are_kept_out_of_full_collections_during_the_loop(tmp_path: Path, lean_data: Path) -> None:
    """gc.freeze() after initialize (a full collection over everything start-up built would pause some
    on_data for tens of ms); unfrozen again when the run ends."""
    import gc

    folder = new_data_folder(tmp_path / "data", lean_data)
    write_intraday(folder, "minute", "ABC", MONDAY, [(at(9, 30), 10, 11, 9, 10.5, 100)])
    algorithm_file = write_algorithm(tmp_path, "GcProbe", GC_PROBE)
    algorithm_file.write_text("import gc\n" + algorithm_file.read_text())
    outcome = run_backtest(BacktestOptions(algorithm_file, folder, tmp_path / "out"))
    assert outcome.status == "Completed", (tmp_path / "out" / "GcProbe-log.txt").read_text()
    assert min(outcome.record.algorithm.frozen) > 0 and gc.get_freeze_count() == 0
