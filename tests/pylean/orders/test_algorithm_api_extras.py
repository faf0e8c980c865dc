"""Small QCAlgorithm behaviours Lean's regression algorithms rely on: the run's mode and target, the
set_warmup spelling, keyword names (set_cash(starting_cash=)), the subscription config service,
OnWarmupFinished without a warm-up, statistics when the algorithm quits inside initialize, and
OrderTicket.to_string()."""
from __future__ import annotations

from datetime import datetime, timedelta

from orders_support import DAY1, DAY2, OrderTestAlgorithm, algo, fills, run

from pylean.algorithm_extras import AlgorithmMode, DeploymentTarget
from pylean.algorithm_imports import DataNormalizationMode, Resolution


def test_mode_target_keyword_cash_and_config_service(data) -> None:
    class Facts(OrderTestAlgorithm):
        def setup(self) -> None:
            self.set_cash(starting_cash=12345)
            self.facts = (self.algorithm_mode, self.AlgorithmMode, self.deployment_target)
            service = self.subscription_manager.subscription_data_config_service
            self.configs = service.get_subscription_data_configs(self.test)

    data.write(data.day(DAY1))
    a = algo(run(data, Facts))
    assert a.facts == (AlgorithmMode.BACKTESTING, AlgorithmMode.Backtesting, DeploymentTarget.LOCAL_PLATFORM)
    assert str(a.facts[2]) == "LocalPlatform"
    assert a.portfolio.cash == 12345
    assert a.configs and all(c.symbol == a.test and c.resolution == Resolution.MINUTE for c in a.configs)
    assert [c.data_normalization_mode for c in a.configs] == [DataNormalizationMode.ADJUSTED] * len(a.configs)


def test_on_warmup_finished_is_called_once_with_and_without_a_warm_up(data) -> None:
    class Counting(OrderTestAlgorithm):
        WARM = False

        def setup(self) -> None:
            self.calls: list[object] = []
            if self.WARM:
                self.set_warmup(timedelta(days=1))

        def on_data(self, data: object) -> None:
            self.calls.append("data") if not self.calls or self.calls[-1] != "data" else None

        def on_warmup_finished(self) -> None:
            self.calls.append(("finished", self.is_warming_up))

    class Warm(Counting):
        WARM, END = True, DAY2

        def setup(self) -> None:
            self.set_start_date(DAY2.year, DAY2.month, DAY2.day)  # DAY1 is the warm-up
            super().setup()

    data.write(data.day(DAY1), data.day(DAY2))
    assert algo(run(data, Counting)).calls == [("finished", False), "data"]
    calls = algo(run(data, Warm)).calls
    assert calls.count(("finished", False)) == 1 and calls[0] == "data" and calls[-1] == "data"


def test_quitting_in_initialize_still_reports_statistics(data) -> None:
    class Quits(OrderTestAlgorithm):
        def setup(self) -> None:
            self.quit()

    data.write(data.day(DAY1))
    out = run(data, Quits)
    summary = out.record.statistics
    assert summary["Start Equity"] == summary["End Equity"] == "100000"
    assert summary["Total Orders"] == "0" and summary["Net Profit"] == "0%"


def test_order_ticket_to_string_is_its_lean_text(data) -> None:
    class Tickets(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.text = self.market_order(self.test, 1).to_string()

    data.write(data.day(DAY1))
    text = algo(run(data, Tickets)).text
    assert text.startswith("1: ") and text.endswith("Request Count: 1 Response Count: 1")


def test_a_ticker_in_a_submit_order_request_becomes_the_symbol(data) -> None:
    from pylean.algorithm_imports import OrderType, SecurityType, SubmitOrderRequest

    class ByTicker(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                request = SubmitOrderRequest(OrderType.LIMIT_IF_TOUCHED, SecurityType.EQUITY, "TEST", 5, 0, 101.0,
                                             99.0, self.utc_time, "lit")
                self.ticket = self.transactions.add_order(request)

    data.write(data.day(DAY1))
    a = algo(run(data, ByTicker))
    assert a.ticket.symbol == a.test and a.transactions.get_order_by_id(1).symbol == a.test


def test_consolidator_start_time_anchors_the_bars(data) -> None:
    from pylean.algorithm_imports import TradeBarConsolidator

    class Anchored(OrderTestAlgorithm):
        def setup(self) -> None:
            self.bars: list[tuple[str, str, bool]] = []
            consolidator = TradeBarConsolidator(timedelta(hours=1), start_time=timedelta(hours=9, minutes=30))
            consolidator.data_consolidated += lambda _, bar: self.bars.append(
                (f"{bar.time:%H:%M}", f"{bar.end_time:%H:%M}", self.time == bar.end_time))
            self.subscription_manager.add_consolidator(self.test, consolidator)

    data.write(data.day(DAY1))
    bars = algo(run(data, Anchored)).bars
    assert bars[:2] == [("09:30", "10:30", True), ("10:30", "11:30", True)]
    assert [start for start, _, _ in bars] == ["09:30", "10:30", "11:30", "12:30", "13:30", "14:30"]


def test_identity_follows_the_close_and_symbol_cache_knows_added_tickers(data) -> None:
    from pylean.algorithm_imports import Field, SymbolCache

    class Ident(OrderTestAlgorithm):
        def setup(self) -> None:
            self.close = self.identity(self.test)
            self.high = self.identity("TEST", Resolution.MINUTE, Field.HIGH, "high")
            self.seen: list[tuple[float, float, float]] = []
            self.cached = SymbolCache.try_get_symbol("TEST", None)
            self.missing = SymbolCache.try_get_symbol("NOT-ADDED", None)

        def on_data(self, data: object) -> None:
            if self.at("09:33"):
                self.seen.append((self.close.current.value, self.high.current.value, data["TEST"].close))

    data.write(data.day(DAY1).set("09:32", 100, 103, 99, 101.5))
    a = algo(run(data, Ident))
    assert a.seen == [(101.5, 103.0, 101.5)]
    assert a.close.name == "close(TEST_min)" and a.high.name == "high(TEST_min)" and a.close.is_ready
    assert a.cached == (True, a.test) and a.missing == (False, None)


def test_func_risk_free_rate_model_returns_the_functions_rate() -> None:
    from datetime import datetime

    from pylean.algorithm_imports import FuncRiskFreeRateInterestRateModel

    model = FuncRiskFreeRateInterestRateModel(lambda dt: 0.05 if dt.year == 2020 else 1)
    assert model.get_interest_rate(datetime(2020, 5, 28)) == 0.05
    assert model.GetInterestRate(datetime(2021, 1, 1)) == 1.0


def test_shortable_provider_defaults_to_null_and_can_be_replaced(data) -> None:
    from pylean.algorithm_imports import NullShortableProvider

    class Custom(NullShortableProvider):
        def shortable_quantity(self, symbol, local_time):
            return 7

    class Shortable(OrderTestAlgorithm):
        def setup(self) -> None:
            security = self.securities[self.test]
            self.default = security.ShortableProvider.shortable_quantity(self.test, self.time)
            self.default_fee = security.shortable_provider.fee_rate(self.test, self.time)
            security.set_shortable_provider(Custom())
            self.custom = security.shortable_provider.shortable_quantity(self.test, self.time)

    data.write(data.day(DAY1))
    a = algo(run(data, Shortable))
    assert (a.default, a.default_fee, a.custom) == (None, 0.0, 7)


def test_typed_history_gives_trade_bars_and_history_stays_callable(data) -> None:
    from pylean.algorithm_imports import TradeBar

    class Typed(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:40"):
                self.bars = list(self.history[TradeBar](self.test, 3, Resolution.MINUTE))
                self.default_resolution = list(self.History[TradeBar]("TEST", 2))
                self.frame = self.history(self.test, 3, Resolution.MINUTE)

    data.write(data.day(DAY1).set("09:38", 100, 102, 99, 101.25))
    a = algo(run(data, Typed))
    assert [f"{b.end_time:%H:%M}" for b in a.bars] == ["09:38", "09:39", "09:40"]
    assert [b.close for b in a.bars] == [100.0, 101.25, 100.0] and a.bars[1].high == 102.0
    assert all(isinstance(b, TradeBar) and b.symbol == a.test for b in a.bars)
    assert len(a.default_resolution) == 2 and len(a.frame) == 3


def test_security_custom_properties(data) -> None:
    import pytest

    class Props(OrderTestAlgorithm):
        def setup(self) -> None:
            security = self.securities[self.test]
            security.slow = 1
            security.add("fast", 2)
            security["band"] = 3
            self.values = (security["slow"], security.fast, security.band, security.get[int]("fast"),
                           security.try_get("band"), security.try_get("none"))
            with pytest.raises(KeyError):
                security.add("fast", 5)
            with pytest.raises(KeyError):
                security["missing"]
            self.removed = (security.remove("band"), security.remove("band"))

    data.write(data.day(DAY1))
    a = algo(run(data, Props))
    assert a.values == (1, 2, 3, 2, (True, 3), (False, None)) and a.removed == (True, False)


def test_orders_and_order_events_have_to_string(data) -> None:
    class Texts(OrderTestAlgorithm):
        def setup(self) -> None:
            self.texts: list[str] = []

        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.market_order(self.test, 2)
                self.order_text = self.transactions.get_order_by_id(1).to_string()

        def on_order_event(self, order_event) -> None:
            self.texts.append(order_event.to_string())

    data.write(data.day(DAY1))
    a = algo(run(data, Texts))
    assert a.texts[0] == str(a.texts[0]) and "OrderID: 1" in a.texts[0] and "Status: Submitted" in a.texts[0]
    assert a.order_text.startswith("OrderId: 1 ") and "order for 2 units of TEST" in a.order_text


def test_brokerage_models_choose_the_benchmark_and_fees(data) -> None:
    from pylean.algorithm_imports import BrokerageName, DefaultBrokerageModel, FuncBenchmark

    class Flat(DefaultBrokerageModel):
        def get_benchmark(self, securities):
            return FuncBenchmark(lambda _: 0)

    class WithModel(OrderTestAlgorithm):
        NAME: object = None

        def initialize(self) -> None:
            self.set_start_date(DAY1.year, DAY1.month, DAY1.day)
            self.set_end_date(DAY1.year, DAY1.month, DAY1.day)
            self.set_brokerage_model(self.NAME if self.NAME is not None else Flat())
            self.test = self.add_equity("TEST", Resolution.MINUTE).symbol
            self.events = []

        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.market_order(self.test, 1000)

    class Axos(WithModel):
        NAME = BrokerageName.AXOS

    data.write(data.day(DAY1))
    flat = run(data, WithModel)
    assert flat.record.runtime.benchmark_security is None
    assert flat.record.runtime.benchmark_value(datetime(2013, 10, 7, 12)) == 0
    axos = run(data, Axos)
    assert algo(axos).transactions.get_order_by_id(1) is not None
    assert algo(axos).portfolio[algo(axos).test].total_fees == 3.5   # $0.0035 per share, no minimum
    assert algo(flat).portfolio[algo(flat).test].total_fees == 5.0   # IB's equity fee: $0.005/share, $1 minimum


def test_a_fill_model_reading_fill_model_parameters_and_the_cache(data) -> None:
    from pylean.algorithm_imports import EquityFillModel, Extensions, Fill, FillModelParameters, QuoteBar, Tick

    class Waits(EquityFillModel):
        """Fills only once data newer than the order has arrived."""

        def fill(self, parameters: FillModelParameters):
            local = Extensions.convert_from_utc(parameters.order.time, parameters.security.exchange.time_zone)
            assert parameters.security.cache.get_data(Tick) is None
            data = parameters.security.cache.get_data(QuoteBar)
            return super().fill(parameters) if data is not None and local < data.end_time else Fill([])

    class UsesIt(OrderTestAlgorithm):
        def setup(self) -> None:
            self.securities[self.test].set_fill_model(Waits())

        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.market_order(self.test, 1)

    data.write(data.day(DAY1))
    out = run(data, UsesIt)
    assert [(t, q) for t, _, _, q in fills(out)] == [("09:32", 1.0)]


def test_warm_up_history_counts_the_quote_bars_of_a_quoted_subscription(data) -> None:
    from pylean.algorithm_imports import SimpleMovingAverage

    class Warm(OrderTestAlgorithm):
        END = DAY2

        def on_data(self, data: object) -> None:
            if self.at("10:00") and self.time.date() == DAY2:
                self.sma = SimpleMovingAverage(5)
                self.warm_up_indicator(self.test, self.sma, Resolution.MINUTE)

    data.write(data.day(DAY1), data.day(DAY2))
    out = run(data, Warm)
    assert algo(out).sma.is_ready and algo(out).sma.samples == 5
    assert out.record.runtime.history_provider.data_point_count == 10   # 5 trade bars + 5 quote bars


def test_indicator_history_records_the_ready_values_of_a_reset_indicator(data) -> None:
    from pylean.algorithm_imports import BollingerBands, MovingAverageType, SimpleMovingAverage

    class Hist(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("10:00"):
                self.sma = SimpleMovingAverage(3)
                self.sma.update(self.time, 1000.0)   # reset away by indicator_history
                self.hist = self.indicator_history(self.sma, self.test, 4, Resolution.MINUTE)
                self.bb = self.indicator_history(BollingerBands("BB", 3, 2.0, MovingAverageType.SIMPLE),
                                                 self.test, 2, Resolution.MINUTE)

    day = data.day(DAY1)
    for minute, price in zip(range(54, 60), (100, 101, 102, 103, 104, 105)):
        day.set(f"09:{minute}", price, price, price, price)
    data.write(day)
    out = run(data, Hist)
    a = algo(out)
    assert a.hist.count == 4 and [round(p.value, 6) for p in a.hist.current] == [101.0, 102.0, 103.0, 104.0]
    assert [f"{p.end_time:%H:%M}" for p in a.hist] == ["09:57", "09:58", "09:59", "10:00"]
    assert a.bb.count == 2 and a.bb["middle_band"][-1].value == 104.0
    assert list(a.bb)[-1].middle_band.value == 104.0 and list(a.bb)[-1]["upper_band"].value > 104.0
    assert out.record.runtime.history_provider.data_point_count == 6 + 4   # period + warm-up - 1, each
    assert len(a.hist.data_frame) == 4


def test_emit_insights_records_stamped_insights_without_trading(data) -> None:
    from pylean.algorithm_imports import Insight, InsightDirection

    class Emits(OrderTestAlgorithm):
        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.emit_insights(Insight.price(self.test, timedelta(days=2), InsightDirection.UP))
                self.EmitInsights([Insight.price(self.test, timedelta(hours=1), InsightDirection.DOWN)])

    data.write(data.day(DAY1))
    a = algo(run(data, Emits))
    insights = list(a.insights)
    assert [i.direction for i in insights] == [InsightDirection.UP, InsightDirection.DOWN]
    assert insights[0].generated_time_utc == datetime(2013, 10, 7, 13, 31)
    assert insights[0].close_time_utc == datetime(2013, 10, 9, 13, 31) and a.transactions.orders_count == 0


def test_industry_identifiers_come_from_the_security_database(data) -> None:
    class Ids(OrderTestAlgorithm):
        def setup(self) -> None:
            self.sid = str(self.test.id)
            self.ids = (self.test.cusip, self.test.composite_figi, self.test.sedol, self.test.isin, self.test.cik,
                        self.cusip(self.test), self.CIK("TEST"))

    data.write(data.day(DAY1))
    sid = algo(run(data, Ids)).sid
    database = data.root / "symbol-properties" / "security-database.csv"
    database.write_text(f"# test values\n{sid},123456789,BBG000TEST01,1234567,US1234567890,98765\n")
    assert algo(run(data, Ids)).ids == ("123456789", "BBG000TEST01", "1234567", "US1234567890", 98765,
                                        "123456789", 98765)
    database.write_text("# no rows\n")
    assert algo(run(data, Ids)).ids == (None,) * 7


def test_set_holdings_with_targets_orders_reductions_then_larger_values_first(data) -> None:
    import shutil

    from pylean.algorithm_imports import PortfolioTarget

    class Targets(OrderTestAlgorithm):
        def setup(self) -> None:
            self.other = self.add_equity("OTHER", Resolution.MINUTE).symbol

        def on_data(self, data: object) -> None:
            if self.at("09:31"):
                self.first = [t.symbol.value for t in self.set_holdings([PortfolioTarget(self.test, 0.2),
                                                                          PortfolioTarget(self.other, 0.7)])]
            if self.at("09:40"):
                self.second = [t.symbol.value for t in self.set_holdings([PortfolioTarget(self.test, 0.35),
                                                                           PortfolioTarget(self.other, 0.6)])]

    data.write(data.day(DAY1))
    minute = data.root / "equity" / "usa" / "minute"
    shutil.copytree(minute / "test", minute / "other")
    a = algo(run(data, Targets))
    assert a.first == ["OTHER", "TEST"]     # no holdings: the larger order value first
    assert a.second == ["OTHER", "TEST"]    # OTHER's smaller reduction goes before TEST's larger increase
    assert round(a.portfolio["TEST"].holdings_value / a.portfolio.total_portfolio_value, 2) == 0.35
