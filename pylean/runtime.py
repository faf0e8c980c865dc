"""The components one backtest's algorithm reaches (Lean: SecurityService, SubscriptionManager, HistoryProvider,
Benchmark), created by the launcher and attached to the algorithm before `initialize`."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from pylean.consolidators import SubscriptionManager
from pylean.data.cache import DataCache
from pylean.data.factors import load_factor_file, load_map_file
from pylean.data.feed import DataFeed
from pylean.data.history import HistoryProvider
from pylean.data.interest_rate import InterestRateProvider
from pylean.data.market_hours import MarketHoursDatabase
from pylean.data.subscription import RawDataSource, SubscriptionDataConfig
from pylean.data.symbol_properties import SymbolPropertiesDatabase
from pylean.enums import DataNormalizationMode, Resolution
from pylean.orders.manager import SecurityTransactionManager
from pylean.orders.transactions import TransactionHandler
from pylean.portfolio import SecurityPortfolioManager
from pylean.results.handler import ResultHandler
from pylean.scheduling import EventScheduler, ScheduleManager
from pylean.securities import FeedCursor, Security, SecurityManager
from pylean.brokerages import FuncBenchmark, brokerage_model_for
from pylean.brokerage_models import apply_brokerage_models
from pylean.data.run_data_folder import set_run_data_folder
from pylean.data.security_definitions import definitions_lookup
from pylean.models.margin_interest import AccountCash, MarginInterestScan
from pylean.securities_session import attach_session
from pylean.symbol_cache import SymbolCache
from pylean.symbols import SecurityIdentifier, Symbol, set_map_resolver, set_security_definitions
from pylean.timeutil import local_to_utc

BENCHMARK_TICKER = "SPY"


@dataclass
class SecurityChanges:
    """What on_securities_changed receives (Common/Data/UniverseSelection/SecurityChanges.cs)."""

    added: list[Security] = field(default_factory=list)
    removed: list[Security] = field(default_factory=list)

    @property
    def added_securities(self) -> list[Security]:
        return list(self.added)

    @property
    def removed_securities(self) -> list[Security]:
        return list(self.removed)

    AddedSecurities = added_securities
    RemovedSecurities = removed_securities

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)


@dataclass
class RunOptions:
    data_folder: Path
    parameters: dict[str, str] = field(default_factory=dict)
    cache_dir: Path | None = None


class AlgorithmRuntime:
    """Owns the run's securities, feed, portfolio, transactions and results."""

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self.parameters = dict(options.parameters)
        folder = options.data_folder
        self.market_hours = MarketHoursDatabase.from_data_folder(folder)
        self.hours = self.market_hours.exchange_hours("Equity", "usa", "[*]")
        self.symbol_properties = SymbolPropertiesDatabase.from_data_folder(folder)
        self.interest_rates = InterestRateProvider.from_data_folder(folder)
        self.source = RawDataSource(folder, DataCache(options.cache_dir))
        self.feed = DataFeed(self.source, self.hours)
        self.history_provider = HistoryProvider(self.source, self.hours)
        self.cursor = FeedCursor()
        self.securities = SecurityManager()
        self.portfolio = SecurityPortfolioManager(self.securities)
        self.account_cash = AccountCash(self.portfolio)  # what margin interest models add to
        self.margin_interest = MarginInterestScan(self.securities)
        self.transactions = TransactionHandler(self.securities, self.portfolio, self.utc_now)
        self.transaction_manager = SecurityTransactionManager(self.transactions, self.utc_now)
        self.results: ResultHandler | None = None
        self.is_warming_up = False
        self.quit_requested = False
        self.warned: set[str] = set()
        self.security_initializers: list[Callable[[Security], None]] = []
        self.benchmark_security: Security | None = None
        self.benchmark_function: Callable[[datetime], float] | None = None
        self.brokerage_model: Any = None
        self._map_files: dict[str, Any] = {}
        self._factor_files: dict[str, Any] = {}
        set_map_resolver(self._first_ticker_and_date)
        set_security_definitions(definitions_lookup(folder))
        set_run_data_folder(folder)  # for the file-reading providers algorithms build (shortable, factor files)
        self.scheduler = EventScheduler(self._set_event_time)
        self.universe_triggers: set[Any] = set()  # times the user-defined universe re-triggered (a data point each)
        self.pending_changes = SecurityChanges()
        self.run_period: tuple[datetime, datetime] | None = None  # (start, end), set when the engine starts
        self.schedule = ScheduleManager(self.scheduler, self.hours, self.securities,
                                        lambda: self.cursor.time, lambda: self.run_period)
        self.subscription_manager = SubscriptionManager(self)  # consolidators fed and scanned by the engine

    # ------------------------------------------------------------ clock
    def _set_event_time(self, when: datetime) -> None:
        """Scheduled events run with the algorithm clock set to their own time."""
        self.cursor.time = when

    def utc_now(self) -> datetime:
        now = self.cursor.time
        return local_to_utc(now) if now is not None else datetime(1998, 1, 1, tzinfo=timezone.utc)

    # ------------------------------------------------------------ symbols
    def _map_file(self, ticker: str) -> Any:
        key = ticker.upper()
        if key not in self._map_files:
            self._map_files[key] = load_map_file(self.options.data_folder, ticker)
        return self._map_files[key]

    def _factor_file(self, ticker: str) -> Any:
        key = ticker.upper()
        if key not in self._factor_files:
            self._factor_files[key] = load_factor_file(self.options.data_folder, ticker)
        return self._factor_files[key]

    def _first_ticker_and_date(self, ticker: str) -> tuple[str, date]:
        map_file = self._map_file(ticker)
        return map_file.first_ticker, map_file.first_date

    def symbol_for(self, ticker: str) -> Symbol:
        return Symbol(SecurityIdentifier.generate_equity(ticker), ticker)

    # ------------------------------------------------------------ securities
    def add_equity(self, ticker: str, resolution: Resolution, fill_forward: bool, leverage: float,
                   extended_hours: bool, normalization: DataNormalizationMode) -> Security:
        ticker = ticker.upper()
        if ticker in self.securities:
            return self.securities[ticker]
        security = self._new_security(ticker, resolution, leverage or 2.0, normalization)
        kinds = ("trade",) if resolution in (Resolution.HOUR, Resolution.DAILY) else ("trade", "quote")
        for kind in kinds:
            self._subscribe(security, resolution, kind, fill_forward, extended_hours, normalization, internal=False)
        self.securities.add(security)
        SymbolCache.set(ticker, security.symbol)
        fee_model = getattr(self.brokerage_model, "get_fee_model", None)  # BrokerageModelSecurityInitializer
        if fee_model is not None:
            security.set_fee_model(fee_model(security))
        apply_brokerage_models(self.brokerage_model, security, leverage)
        attach_session(security, self)  # size 0: nothing runs until an initializer sizes it
        security._account_cash = self.account_cash
        for initializer in self.security_initializers:
            initializer(security)
        if self.cursor.block is not None:
            self.universe_triggers.add(self.cursor.time)  # re-triggers the user-defined universe (one data point)
        self.pending_changes.added.append(security)
        return security

    def _new_security(self, ticker: str, resolution: Resolution, leverage: float,
                      normalization: DataNormalizationMode) -> Security:
        symbol = self.symbol_for(ticker)
        properties = self.symbol_properties.get("usa", ticker, "equity")
        return Security(symbol, self.cursor, self.hours, properties, resolution, leverage, normalization)

    def _subscribe(self, security: Security, resolution: Resolution, kind: str, fill_forward: bool,
                   extended_hours: bool, normalization: DataNormalizationMode, internal: bool) -> int:
        ticker = security.symbol.value
        config = SubscriptionDataConfig(security.symbol, resolution, kind, fill_forward, extended_hours,
                                        normalization, internal, self._map_file(ticker), self._factor_file(ticker))
        index = self.feed.add(config)
        security.subscriptions.append(config)
        if kind == "trade" and security.cache.trade_index < 0:
            security.cache.trade_index = index
        elif kind == "quote" and security.cache.quote_index < 0:
            security.cache.quote_index = index
        return index

    def remove_security(self, symbol: Symbol, algorithm: Any) -> bool:
        """QCAlgorithm.RemoveSecurity: cancel open orders, liquidate, stop the data (the last price is kept)."""
        if symbol not in self.securities:
            return False
        security = self.securities[symbol]
        algorithm.liquidate(symbol, tag="Removed")
        security.cache._pinned["price"] = security.cache.price
        for index, config in enumerate(self.feed.configs):
            if config.symbol == symbol and not config.is_internal:
                self.feed.remove(index)
        security.is_tradable = False
        self.universe_triggers.add(self.cursor.time)
        self.pending_changes.removed.append(security)
        return True

    # ------------------------------------------------------------ benchmark
    def set_benchmark(self, benchmark: Any) -> None:
        if callable(benchmark) and not isinstance(benchmark, (str, Symbol)):
            self.benchmark_function = benchmark
            self.benchmark_security = None
            return
        ticker = benchmark.value if isinstance(benchmark, Symbol) else str(benchmark)
        self.benchmark_function = None
        self.benchmark_security = self._internal_benchmark(ticker)

    def _internal_benchmark(self, ticker: str) -> Security:
        """Lean always adds an hourly internal feed for the benchmark on a separate Security object."""
        security = self._new_security(ticker.upper(), Resolution.HOUR, 1.0, DataNormalizationMode.ADJUSTED)
        self._subscribe(security, Resolution.HOUR, "trade", False, False, DataNormalizationMode.ADJUSTED, internal=True)
        return security

    def ensure_benchmark(self) -> None:
        """Lean: with no SetBenchmark, the brokerage model's GetBenchmark (SPY for the default model)."""
        if self.benchmark_security is None and self.benchmark_function is None:
            chosen = self.brokerage_model.get_benchmark(self.securities) if self.brokerage_model is not None else None
            if isinstance(chosen, FuncBenchmark):
                self.benchmark_function = chosen.evaluate
            else:
                ticker = chosen.symbol.value if chosen is not None else BENCHMARK_TICKER
                self.benchmark_security = self._internal_benchmark(ticker)

    def set_brokerage_model(self, model: Any, account_type: Any = None) -> None:
        """A model object is kept (its benchmark is used); a BrokerageName keeps pylean's default models."""
        self.brokerage_model = brokerage_model_for(model, account_type)

    def benchmark_value(self, local_time: datetime) -> Decimal:
        if self.benchmark_function is not None:
            value = self.benchmark_function(local_time)
            return value if isinstance(value, Decimal) else Decimal(repr(float(value)))
        if self.benchmark_security is None:
            return Decimal(0)
        return self.benchmark_security.cache.trade_decimal()

    @property
    def benchmark(self) -> Any:
        return self.benchmark_security

    # ------------------------------------------------------------ history
    def history_config(self, key: Any, resolution: Any = None) -> SubscriptionDataConfig:
        """The adjusted trade data a history request for `key` reads (at the security's resolution by default)."""
        security = self.securities[key] if key in self.securities else None
        res = Resolution(resolution) if resolution is not None else (
            security.resolution if security is not None else Resolution.MINUTE)
        ticker = security.symbol.value if security is not None else str(getattr(key, "value", key)).upper()
        symbol = security.symbol if security is not None else self.symbol_for(ticker)
        return SubscriptionDataConfig(symbol, res, "trade", False, False, DataNormalizationMode.ADJUSTED, False,
                                      self._map_file(ticker), self._factor_file(ticker))

    def history(self, symbols: Any, periods: Any = None, resolution: Any = None, *args: Any, **kwargs: Any) -> Any:
        symbol_list = symbols if isinstance(symbols, (list, tuple)) else [symbols]
        end = self.cursor.time
        requests = []
        for key in symbol_list:
            config = self.history_config(key, resolution)
            if isinstance(periods, timedelta):
                bars = self.history_provider.bars(config, end, start=end - periods)
            elif isinstance(periods, datetime):
                stop = resolution if isinstance(resolution, datetime) else end
                bars = self.history_provider.bars(config, stop, start=periods)
            else:
                bars = self.history_provider.bars(config, end, count=int(periods or 1))
            requests.append((config, bars))
        return self.history_provider.frame(requests)

