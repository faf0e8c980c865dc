"""Universe selection end to end on hand-built daily data: when each kind of universe selects, what
on_securities_changed receives and when, when a deselected security leaves, and how universe data is counted."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pylean.enums import DataNormalizationMode, Resolution
from pylean.launcher import BacktestOptions, run_backtest
from support.lean_data import new_data_folder, write_algorithm, write_daily

# Monday 2013-10-07 .. Friday 2013-10-11, then Monday 2013-10-14
DAYS = [date(2013, 10, d) for d in (4, 7, 8, 9, 10, 11, 14, 15)]
TICKERS = {"ABC": 10.0, "XYZ": 20.0}


@pytest.fixture
def data(tmp_path: Path, lean_data: Path) -> Path:
    folder = new_data_folder(tmp_path / "data", lean_data)
    for ticker, price in TICKERS.items():
        write_daily(folder, ticker, [(d, price + i, price + i, price + i, price + i, 100000)
                                     for i, d in enumerate(DAYS)])
    write_daily(folder, "SPY", [(d, 100.0, 100.0, 100.0, 100.0, 1000000) for d in DAYS])
    return folder


def _run(tmp_path: Path, data: Path, body: str) -> Any:
    out = tmp_path / "run"
    out.mkdir(parents=True, exist_ok=True)
    algorithm = write_algorithm(out, "UniverseTest", body)
    outcome = run_backtest(BacktestOptions(algorithm, data, out / "out"))
    assert outcome.status == "Completed", (out / "out" / "UniverseTest-log.txt").read_text()
    return outcome


SETUP = """
    def initialize(self):
        self.set_start_date(2013, 10, 7)
        self.set_end_date(2013, 10, 11)
        self.set_cash(100000)
        self.universe_settings.resolution = Resolution.DAILY
        self.changes, self.calls, self.seen = [], [], []
        self.setup()

    def on_securities_changed(self, changes):
        self.changes.append((self.time, sorted(s.symbol.value for s in changes.added_securities),
                             sorted(s.symbol.value for s in changes.removed_securities)))

    def on_data(self, data):
        self.seen.append((self.time, sorted(s.value for s in data.bars.keys())))

    def setup(self):
{body}
"""


def test_named_universe_selects_at_midnight_of_each_trading_day(tmp_path: Path, data: Path) -> None:
    body = """
        self.add_universe("my-universe", self.select)

    def select(self, when):
        self.calls.append(when)
        return ["ABC"] if when.day in (7, 8) else ["XYZ"]
"""
    outcome = _run(tmp_path, data, SETUP.format(body=body))
    algorithm = outcome.record.algorithm
    assert algorithm.calls == [datetime(2013, 10, d) for d in (7, 8, 9, 10, 11)]
    # added at the first selection, swapped when the selection changes (ABC has been in for a day)
    assert algorithm.changes == [(datetime(2013, 10, 7), ["ABC"], []),
                                 (datetime(2013, 10, 9), ["XYZ"], ["ABC"])]
    # a removed security's data stops: ABC's daily bars end with the 8th's
    assert [s for t, s in algorithm.seen if t.day == 9] == [["XYZ"]]
    assert [s for t, s in algorithm.seen if t.day == 8] == [["ABC"]]


def test_a_held_security_stays_until_it_is_sold(tmp_path: Path, data: Path) -> None:
    body = """
        self.add_universe("my-universe", lambda when: ["ABC"] if when.day == 7 else [])

    def on_data(self, data):
        self.seen.append((self.time, sorted(s.value for s in data.bars.keys())))
        if self.time.day == 7:
            self.set_holdings("ABC", 0.5)  # after the close: filled at the next open
        if self.time.day == 9:
            self.liquidate("ABC", "sold")
"""
    outcome = _run(tmp_path, data, SETUP.format(body=body))
    algorithm = outcome.record.algorithm
    # reported removed once, at the selection that dropped it, though still held
    assert algorithm.changes == [(datetime(2013, 10, 7), ["ABC"], []), (datetime(2013, 10, 8), [], ["ABC"])]
    # its data goes on while it has an open order or holdings, and stops at the first selection after the sale
    assert [t.day for t, s in algorithm.seen if "ABC" in s] == [7, 8, 9, 10]
    orders = algorithm.transactions.get_orders()
    assert [o.tag for o in orders][-1] == "sold"  # Liquidate(symbol, tag): Lean's (Symbol, string) overload


def test_minimum_time_in_universe_delays_a_removal(tmp_path: Path, data: Path) -> None:
    body = """
        self.universe_settings.minimum_time_in_universe = timedelta(days=3)
        picks = {7: ["ABC"], 8: ["XYZ"], 9: ["XYZ"], 10: ["XYZ", "SPY"], 11: ["XYZ", "SPY"]}
        self.add_universe("my-universe", lambda when: picks[when.day])
"""
    algorithm = _run(tmp_path, data, SETUP.format(body=body)).record.algorithm
    # ABC may leave only three days after it came; a selection equal to the last one changes nothing
    # (Universe.PerformSelection gives Unchanged), so it leaves at the next different selection
    assert algorithm.changes == [(datetime(2013, 10, 7), ["ABC"], []),
                                 (datetime(2013, 10, 8), ["XYZ"], []),
                                 (datetime(2013, 10, 10), ["SPY"], ["ABC"])]


def test_scheduled_universe_selects_at_its_rules_times(tmp_path: Path, data: Path) -> None:
    body = """
        self.add_universe(ScheduledUniverse(self.date_rules.every_day(), self.time_rules.at(8, 0), self.select))

    def select(self, when):
        self.calls.append((when, self.time))
        return [Symbol.create("XYZ", SecurityType.EQUITY, Market.USA)]
"""
    algorithm = _run(tmp_path, data, SETUP.format(body=body)).record.algorithm
    assert [c[0] for c in algorithm.calls] == [datetime(2013, 10, d, 8) for d in range(7, 12)]
    assert all(when == now for when, now in algorithm.calls)  # the clock is at the selection time
    assert algorithm.changes == [(datetime(2013, 10, 7, 8), ["XYZ"], [])]


def _etf_file(folder: Path, etf: str, day: date, rows: list[tuple[str, float]]) -> None:
    path = folder / "equity" / "usa" / "universes" / "etf" / etf.lower() / f"{day:%Y%m%d}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{t},{t} 2T,{day:%Y%m%d},{w},1000,100000\n" for t, w in rows))


def test_etf_constituents_select_at_the_files_utc_midnight(tmp_path: Path, data: Path) -> None:
    _etf_file(data, "FUND", date(2013, 10, 4), [("ABC", 0.6), ("XYZ", 0.4)])  # before the start: read at it
    _etf_file(data, "FUND", date(2013, 10, 9), [("ABC", 0.1), ("XYZ", 0.9)])
    body = """
        self.add_universe(self.universe.etf("FUND", self.universe_settings, self.select))

    def select(self, constituents):
        self.calls.append((self.time, [(c.symbol.value, float(c.weight)) for c in constituents]))
        return [max(constituents, key=lambda c: c.weight).symbol]
"""
    outcome = _run(tmp_path, data, SETUP.format(body=body))
    algorithm = outcome.record.algorithm
    # the file of the 9th ends at midnight UTC, 20:00 in New York (daylight saving time)
    assert algorithm.calls == [(datetime(2013, 10, 7), [("ABC", 0.6), ("XYZ", 0.4)]),
                               (datetime(2013, 10, 9, 20), [("ABC", 0.1), ("XYZ", 0.9)])]
    assert algorithm.changes == [(datetime(2013, 10, 7), ["ABC"], []), (datetime(2013, 10, 9, 20), ["XYZ"], ["ABC"])]


def test_constituents_universe_reads_its_daily_files(tmp_path: Path, data: Path) -> None:
    folder = data / "equity" / "usa" / "universes" / "daily" / "mine"
    folder.mkdir(parents=True)
    (folder / "20131007.csv").write_text("ABC,ABC 2T\nXYZ,XYZ 2T\n")
    (folder / "20131008.csv").write_text("NONE,NONE 0\n")  # an empty selection
    body = """
        name = "constituents-universe-mine"
        symbol = Symbol(SecurityIdentifier.generate_constituent_identifier(name, SecurityType.EQUITY, Market.USA),
                        name)
        self.add_universe(ConstituentsUniverse(symbol, self.universe_settings))
"""
    algorithm = _run(tmp_path, data, SETUP.format(body=body)).record.algorithm
    assert algorithm.changes == [(datetime(2013, 10, 8), ["ABC", "XYZ"], []),
                                 (datetime(2013, 10, 9), [], ["ABC", "XYZ"])]


def test_inception_date_model_adds_each_ticker_from_its_date(tmp_path: Path, data: Path) -> None:
    body = """
        self.add_universe_selection(InceptionDateUniverseSelectionModel(
            "inception", {"ABC": datetime(2013, 10, 8), "XYZ": datetime(2013, 10, 10, 12)}))
"""
    algorithm = _run(tmp_path, data, SETUP.format(body=body)).record.algorithm
    assert algorithm.changes == [(datetime(2013, 10, 8), ["ABC"], []), (datetime(2013, 10, 11), ["XYZ"], [])]


def test_custom_model_subclass_overrides_select(tmp_path: Path, data: Path) -> None:
    body = """
        self.add_universe_selection(Picker())

    def add_universe(self, *args):   # a user method of that name: the framework still adds its universes
        raise AssertionError("not Lean's AddUniverse")
"""
    extra = """

class Picker(CustomUniverseSelectionModel):
    def __init__(self):
        super().__init__("picker", None)
        self.name = "mine"          # public names of a user subclass leave the model working
        self.selector = None

    def select(self, algorithm, date):
        return ["XYZ"]
"""
    algorithm = _run(tmp_path, data, SETUP.format(body=body) + extra).record.algorithm
    assert algorithm.changes == [(datetime(2013, 10, 7), ["XYZ"], [])]


def test_universe_data_points_and_user_names(tmp_path: Path, data: Path) -> None:
    body = """
        self.universe = "my own attribute"       # Lean's `universe` helper stays reachable by the engine
        self.add_universe("my-universe", lambda when: ["ABC"])

    def on_end_of_algorithm(self):
        self.own = self.universe
        self.count = self.universe_manager.count
        self.active = self.universe_manager.active_securities.count
"""
    outcome = _run(tmp_path, data, SETUP.format(body=body))
    algorithm = outcome.record.algorithm
    assert (algorithm.own, algorithm.count, algorithm.active) == ("my own attribute", 1, 1)
    # one data point per selection (5 trading days) and ABC's 5 daily bars (no hourly benchmark data here)
    assert outcome.data_points == 10


def test_add_equity_defaults_come_from_universe_settings(tmp_path: Path, data: Path) -> None:
    body = """
        self.universe_settings.data_normalization_mode = DataNormalizationMode.RAW
        self.security = self.add_equity("ABC")
"""
    algorithm = _run(tmp_path, data, SETUP.format(body=body)).record.algorithm
    assert algorithm.security.resolution == Resolution.DAILY
    assert algorithm.security.data_normalization_mode == DataNormalizationMode.RAW
    assert [t.day for t, s in algorithm.seen] == [7, 8, 9, 10, 11]


def _coarse_file(folder: Path, day: date, rows: list[tuple[str, float, int]]) -> None:
    path = folder / "equity" / "usa" / "fundamental" / "coarse" / f"{day:%Y%m%d}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{t} 2T,{t},{p},{v},{p * v},True,1,1\n" for t, p, v in rows))


def test_fundamental_universe_selects_from_the_coarse_file_the_next_midnight(tmp_path: Path, data: Path) -> None:
    _coarse_file(data, date(2013, 10, 7), [("ABC", 10.0, 500), ("XYZ", 20.0, 100)])
    _coarse_file(data, date(2013, 10, 8), [("ABC", 10.0, 100), ("XYZ", 20.0, 900)])
    body = """
        self.add_universe(self.by_dollar_volume)

    def by_dollar_volume(self, fundamental):
        self.calls.append((self.time, len(fundamental)))
        return [max(fundamental, key=lambda f: f.dollar_volume).symbol]
"""
    outcome = _run(tmp_path, data, SETUP.format(body=body))
    algorithm = outcome.record.algorithm
    assert algorithm.calls == [(datetime(2013, 10, 8), 2), (datetime(2013, 10, 9), 2)]
    assert algorithm.changes == [(datetime(2013, 10, 8), ["ABC"], []), (datetime(2013, 10, 9), ["XYZ"], ["ABC"])]


def test_leans_python_fundamental_model_shape_selects(tmp_path: Path, data: Path) -> None:
    """The universes Lean's Python FundamentalUniverseSelectionModel builds (FundamentalUniverseFactory, and a
    coarse universe filtered by a fine selector)."""
    _coarse_file(data, date(2013, 10, 7), [("ABC", 10.0, 500), ("XYZ", 20.0, 100)])
    body = """
        coarse = CoarseFundamentalUniverse(self.universe_settings, lambda rows: [r.symbol for r in rows])
        self.add_universe(FineFundamentalFilteredUniverse(coarse, lambda rows: [r.symbol for r in rows
                                                                                 if r.symbol.value == "XYZ"]))
"""
    algorithm = _run(tmp_path, data, SETUP.format(body=body)).record.algorithm
    assert algorithm.changes == [(datetime(2013, 10, 8), ["XYZ"], [])]
