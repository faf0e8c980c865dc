"""security.session, add_security_initializer, seeders, data filters and signal export, on our own data."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from extras_support import logs, run_class
from support.lean_data import at, new_data_folder, write_intraday

from pylean.algorithm_imports import (BrokerageModelSecurityInitializer, FuncSecuritySeeder, PortfolioTarget,
                                      QCAlgorithm, Resolution, SecurityDataFilter, VBaseSignalExport)

DAY1, DAY2 = date(2013, 10, 7), date(2013, 10, 8)
BARS1 = [(at(9, 30), 10, 11, 9, 10.5, 100), (at(9, 31), 10.5, 12, 10, 11, 200), (at(9, 32), 11, 11.5, 8, 9, 300)]
BARS2 = [(at(9, 30), 20, 21, 19, 20.5, 50), (at(9, 31), 20.5, 22, 20, 21, 60)]


def _data(tmp_path: Path, lean_data: Path) -> Path:
    data = new_data_folder(tmp_path / "data", lean_data)
    write_intraday(data, "minute", "ABC", DAY1, BARS1)
    write_intraday(data, "minute", "ABC", DAY2, BARS2)
    return data


def test_session_holds_today_so_far_and_yesterday(tmp_path: Path, lean_data: Path) -> None:
    class Sessions(QCAlgorithm):
        def initialize(self) -> None:
            self.set_start_date(2013, 10, 7)
            self.set_end_date(2013, 10, 8)
            self.add_security_initializer(lambda security: setattr(security.session, "size", 3))
            self.abc = self.add_equity("ABC", Resolution.MINUTE)
            self.seen = []

        def on_data(self, data: object) -> None:
            s = self.abc.session
            previous = s[1]
            self.seen.append((f"{self.time:%d %H:%M}", s.open, s.high, s.low, s.close, s.volume,
                              None if previous is None else (previous.open, previous.high, previous.low,
                                                             previous.close, previous.volume)))

    algorithm = run_class(_data(tmp_path, lean_data), Sessions).record.algorithm
    seen = [row for row in algorithm.seen if row[0] in ("07 09:33", "08 09:31", "08 09:32")]
    assert seen[0] == ("07 09:33", 10, 12, 8, 9, 600, None)
    assert seen[1] == ("08 09:31", 20, 21, 19, 20.5, 50, (10, 12, 8, 9, 600))
    assert seen[2] == ("08 09:32", 20, 22, 19, 21, 110, (10, 12, 8, 9, 600))


def test_session_is_empty_until_sized(tmp_path: Path, lean_data: Path) -> None:
    class Unsized(QCAlgorithm):
        def initialize(self) -> None:
            self.set_start_date(2013, 10, 7)
            self.set_end_date(2013, 10, 7)
            self.abc = self.add_equity("ABC", Resolution.MINUTE)

        def on_end_of_algorithm(self) -> None:
            self.values = (self.abc.session.size, self.abc.session.open, self.abc.session.volume)

    algorithm = run_class(_data(tmp_path, lean_data), Unsized).record.algorithm
    assert algorithm.values == (0, 0.0, 0.0)
    assert not algorithm.subscription_manager.subscriptions[0].consolidators  # nothing fed when unused


def test_seeded_security_has_the_last_known_prices_before_its_data(tmp_path: Path, lean_data: Path) -> None:
    class Seeded(QCAlgorithm):
        def initialize(self) -> None:
            self.set_start_date(2013, 10, 8)
            self.set_end_date(2013, 10, 8)
            self.set_security_initializer(BrokerageModelSecurityInitializer(
                self.brokerage_model, FuncSecuritySeeder(self.get_last_known_prices)))
            abc = self.add_equity("ABC", Resolution.MINUTE)
            self.seeded = (abc.has_data, abc.price, abc.open, abc.high, abc.low, abc.volume)

    outcome = run_class(_data(tmp_path, lean_data), Seeded)
    assert outcome.record.algorithm.seeded == (True, 9, 11, 11.5, 8, 300)  # DAY1's last bar
    assert outcome.record.runtime.history_provider.data_point_count == 3  # up to 5 bars asked, 3 exist


def test_data_filter_drops_points_before_the_algorithm_sees_them(tmp_path: Path, lean_data: Path) -> None:
    class Early(SecurityDataFilter):
        def filter(self, vehicle: object, data: object) -> bool:
            return data.time < datetime(2013, 10, 7, 9, 31)  # type: ignore[attr-defined]

    class Filtered(QCAlgorithm):
        def initialize(self) -> None:
            self.set_start_date(2013, 10, 7)
            self.set_end_date(2013, 10, 7)
            self.add_equity("ABC", Resolution.MINUTE).set_data_filter(Early())
            self.times = []

        def on_data(self, data: object) -> None:
            self.times.append(f"{self.time:%H:%M}")

    outcome = run_class(_data(tmp_path, lean_data), Filtered)
    assert outcome.record.algorithm.times == ["09:31"]  # later bars and their fill-forward copies are dropped


def test_signal_export_targets_are_only_sent_live(tmp_path: Path, lean_data: Path) -> None:
    class Signals(QCAlgorithm):
        def initialize(self) -> None:
            self.set_start_date(2013, 10, 7)
            self.set_end_date(2013, 10, 7)
            self.abc = self.add_equity("ABC", Resolution.MINUTE).symbol
            self.signal_export.add_signal_export_provider(VBaseSignalExport("key", "collection"))
            self.sent = []

        def on_data(self, data: object) -> None:
            self.sent.append(self.signal_export.set_target_portfolio([PortfolioTarget(self.abc, 0.5)]))

    outcome = run_class(_data(tmp_path, lean_data), Signals)
    sent = outcome.record.algorithm.sent
    assert len(sent) > 1 and all(result is True for result in sent)
    assert sum("Portfolio targets are only sent in live mode" in line for line in logs(outcome)) == 1
    assert outcome.record.statistics["Total Orders"] == "0"


def test_factor_file_provider_reads_the_runs_data_folder(tmp_path: Path, lean_data: Path) -> None:
    from pylean.algorithm_imports import (DataNormalizationMode, DefaultDataProvider, LocalDiskFactorFileProvider,
                                          LocalDiskMapFileProvider)

    class Factors(QCAlgorithm):
        def initialize(self) -> None:
            self.set_start_date(2013, 10, 7)
            self.set_end_date(2013, 10, 7)
            symbol = self.add_equity("ABC", Resolution.MINUTE).symbol
            maps = LocalDiskMapFileProvider()
            maps.initialize(DefaultDataProvider())
            factors = LocalDiskFactorFileProvider()
            factors.initialize(maps, DefaultDataProvider())
            factor_file = factors.get(symbol)
            self.factors = [factor_file.get_price_factor(datetime(2013, 10, d), DataNormalizationMode.ADJUSTED)
                            for d in (4, 7, 8)]

    data = _data(tmp_path, lean_data)
    (data / "equity" / "usa" / "factor_files").mkdir(parents=True)
    (data / "equity" / "usa" / "factor_files" / "abc.csv").write_text("20131004,0.5,1\n20501231,1,1\n")
    assert run_class(data, Factors).record.algorithm.factors == [0.5, 1.0, 1.0]
