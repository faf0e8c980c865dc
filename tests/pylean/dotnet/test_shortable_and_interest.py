"""Shortable quantities refuse orders; margin interest models run hourly and move the account's cash."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from extras_support import run_class
from support.lean_data import at, new_data_folder, write_intraday

from pylean.algorithm_imports import (LocalDiskShortableProvider, MarginInterestRateParameters, OrderRequestStatus,
                                      OrderResponseErrorCode, OrderStatus, QCAlgorithm, Resolution,
                                      ShortMarginInterestRateModel)

DAY1, DAY2 = date(2013, 10, 7), date(2013, 10, 8)


def _data(tmp_path: Path, lean_data: Path, shortable_rows: str) -> Path:
    data = new_data_folder(tmp_path / "data", lean_data)
    write_intraday(data, "minute", "ABC", DAY1, [(at(9, 30), 10, 10, 10, 10, 1000), (at(9, 31), 10, 10, 10, 10, 1000)])
    write_intraday(data, "minute", "ABC", DAY2, [(at(9, 30), 12, 12, 12, 12, 1000), (at(9, 31), 12, 12, 12, 12, 1000)])
    folder = data / "equity" / "usa" / "shortable" / "mybroker" / "symbols"
    folder.mkdir(parents=True)
    (folder / "abc.csv").write_text(shortable_rows)
    return data


class UsersProvider(LocalDiskShortableProvider):
    """A user's subclass whose own attributes have the names a provider would naturally use."""

    def __init__(self) -> None:
        super().__init__("MyBroker")
        self._ticker, self._rows, self._cache = "theirs", "theirs", "theirs"


def test_orders_beyond_the_shortable_quantity_are_refused(tmp_path: Path, lean_data: Path) -> None:
    class Shorts(QCAlgorithm):
        def initialize(self) -> None:
            self.set_start_date(2013, 10, 7)
            self.set_end_date(2013, 10, 7)
            self.abc = self.add_equity("ABC", Resolution.MINUTE)
            self.abc.set_shortable_provider(UsersProvider())
            self.tickets = None

        def on_data(self, data: object) -> None:
            if self.tickets is not None:
                return
            too_many = self.limit_order("ABC", -101, 100)
            allowed = self.limit_order("ABC", -100, 100)
            no_room_left = self.limit_order("ABC", -1, 100)
            self.tickets = (too_many, allowed, no_room_left)
            self.smaller = allowed.update_quantity(-60).is_success
            self.bigger = allowed.update_quantity(-101).error_code

    outcome = run_class(_data(tmp_path, lean_data, "20131007,100,,\n"), Shorts)
    algorithm = outcome.record.algorithm
    too_many, allowed, no_room_left = algorithm.tickets
    assert too_many.submit_request.status == OrderRequestStatus.ERROR and too_many.status == OrderStatus.INVALID
    assert too_many.submit_request.response.error_code == OrderResponseErrorCode.EXCEEDS_SHORTABLE_QUANTITY
    assert allowed.status == OrderStatus.UPDATE_SUBMITTED and no_room_left.status == OrderStatus.INVALID
    assert allowed.quantity == -60  # the accepted update only
    assert algorithm.smaller and algorithm.bigger == OrderResponseErrorCode.EXCEEDS_SHORTABLE_QUANTITY
    assert outcome.record.runtime.transactions.orders[1].tag.startswith("Order exceeds shortable quantity 100")


def test_short_fee_is_charged_once_a_day_on_the_holdings_value(tmp_path: Path, lean_data: Path) -> None:
    class ShortFee(QCAlgorithm):
        def initialize(self) -> None:
            self.set_start_date(2013, 10, 7)
            self.set_end_date(2013, 10, 8)
            self.abc = self.add_equity("ABC", Resolution.MINUTE)
            self.abc.set_shortable_provider(LocalDiskShortableProvider("mybroker"))
            self.abc.margin_interest_rate_model = ShortMarginInterestRateModel()

        def on_data(self, data: object) -> None:
            if not self.portfolio.invested:
                self.market_order("ABC", -100)
                self.cash_after_fill = self.portfolio.cash

    outcome = run_class(_data(tmp_path, lean_data, "20131007,1000,,3.6\n20131008,1000,,3.6\n"), ShortFee)
    algorithm = outcome.record.algorithm
    fee = 0.036 * (-100 * 12) / 360  # one day, at the next day's first price
    assert algorithm.abc.margin_interest_rate_model.amount == pytest.approx(fee, rel=1e-12)
    assert algorithm.portfolio.cash == pytest.approx(algorithm.cash_after_fill + fee, rel=1e-12)


def test_a_custom_margin_interest_model_is_applied_every_hour(tmp_path: Path, lean_data: Path) -> None:
    class Hourly:
        def __init__(self) -> None:
            self.times = []

        def apply_margin_interest_rate(self, parameters: MarginInterestRateParameters) -> None:
            self.times.append(parameters.time)
            value = parameters.security.holdings.get_quantity_value(parameters.security.holdings.quantity)
            if value.amount > 0:
                value.cash.add_amount(1)

    class Custom(QCAlgorithm):
        def initialize(self) -> None:
            self.set_start_date(2013, 10, 7)
            self.set_end_date(2013, 10, 7)
            self.model = Hourly()
            self.add_equity("ABC", Resolution.MINUTE).set_margin_interest_rate_model(self.model)

        def on_data(self, data: object) -> None:
            if not self.portfolio.invested:
                self.market_order("ABC", 10)
                self.cash_after_fill = self.portfolio.cash

    algorithm = run_class(_data(tmp_path, lean_data, ""), Custom).record.algorithm
    # UTC times of the scans: the first step, then the first step of each later hour (fill-forward keeps steps)
    assert [f"{t:%H:%M}" for t in algorithm.model.times] == ["13:31", "14:00", "15:00", "16:00", "17:00", "18:00",
                                                             "19:00", "20:00"]
    assert algorithm.portfolio.cash == pytest.approx(algorithm.cash_after_fill + 7)  # invested after the first
