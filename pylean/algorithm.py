"""QCAlgorithm: the API surface algorithms call (Algorithm/QCAlgorithm.cs and its partial files).

Every method checks its arguments and delegates to the run's components (`self._ctx`), which the
launcher attaches before `initialize` runs.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Callable

from pylean.algorithm_clock import timed_if_user
from pylean.algorithm_indicator_helpers import IndicatorHelpersMixin
from pylean.algorithm_combo import ComboOrdersMixin
from pylean.algorithm_extras import ExtrasMixin
from pylean.algorithm_indicators import IndicatorsMixin
from pylean.algorithm_trading import PortfolioTarget, TradingMixin
from pylean.enums import DataNormalizationMode, Resolution
from pylean.naming import lean_api
from pylean.orders.types import OrderProperties, to_decimal
from pylean.symbols import Symbol

__all__ = ["QCAlgorithm", "PortfolioTarget", "AlgorithmSettings"]


@lean_api
class AlgorithmSettings:
    """The subset of Lean's `self.settings` the engine honours."""

    def __init__(self) -> None:
        self.free_portfolio_value: float | None = None
        self.free_portfolio_value_percentage = 0.0025
        self.minimum_order_margin_portfolio_percentage = 0.001
        self.daily_precise_end_time = True
        self.stale_price_time_span = timedelta(hours=1)
        self.trading_days_per_year = 252
        self.max_absolute_portfolio_target_percentage = 1e9
        self.min_absolute_portfolio_target_percentage = 1e-10
        self.warmup_resolution: Resolution | None = None
        self.seed_initial_prices = False
        self.automatic_indicator_warm_up = False


@lean_api
class QCAlgorithm(TradingMixin, IndicatorsMixin, ExtrasMixin, IndicatorHelpersMixin, ComboOrdersMixin):
    """Base class of every algorithm. Both `on_data` and `OnData` style overrides are found by the engine."""

    def __init__(self) -> None:
        self._ctx: Any = None
        self.settings = AlgorithmSettings()
        self.default_order_properties = OrderProperties()
        self._start_date = datetime(1998, 1, 1)
        self._end_date = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
        self._warm_up: tuple[Any, Resolution | None] | None = None
        self._initial_cash = Decimal(100000)
        self._name = type(self).__name__

    # ------------------------------------------------------------ lifecycle hooks (users override)
    def initialize(self) -> None:
        pass

    def on_data(self, data: Any) -> None:
        pass

    def on_order_event(self, order_event: Any) -> None:
        pass

    def on_end_of_algorithm(self) -> None:
        pass

    def on_warmup_finished(self) -> None:
        pass

    def on_securities_changed(self, changes: Any) -> None:
        pass

    def on_end_of_day(self, symbol: Any = None) -> None:
        pass

    def on_end_of_time_step(self) -> None:
        pass

    # ------------------------------------------------------------ clock and dates
    @property
    def time(self) -> datetime:
        ctx = self._ctx   # read per call by most algorithms, often several times a step: one lookup each
        now = ctx.cursor.time if ctx is not None else None
        return now if now is not None else self._start_date

    @property
    def utc_time(self) -> datetime:
        return self._ctx.utc_now().replace(tzinfo=None)

    @property
    def start_date(self) -> datetime:
        return self._start_date

    @property
    def end_date(self) -> datetime:
        return self._end_date

    def set_start_date(self, year: int | date | datetime, month: int | None = None, day: int | None = None) -> None:
        self._start_date = _to_datetime(year, month, day)
        if self._ctx is not None:
            self._ctx.cursor.time = self._start_date

    def set_end_date(self, year: int | date | datetime, month: int | None = None, day: int | None = None) -> None:
        end = _to_datetime(year, month, day)
        self._end_date = end.replace(hour=23, minute=59, second=59, microsecond=999999)

    def set_cash(self, starting_cash: float | int, *_: Any) -> None:
        self._initial_cash = to_decimal(starting_cash)
        if self._ctx is not None:
            self._ctx.portfolio.set_cash(self._initial_cash)

    def set_time_zone(self, time_zone: Any) -> None:
        if str(time_zone) not in ("America/New_York", "TimeZones.NEW_YORK"):
            raise NotImplementedError("pylean runs in the exchange time zone (America/New_York) only")

    @property
    def time_zone(self) -> str:
        return "America/New_York"

    @property
    def live_mode(self) -> bool:
        return False

    @property
    def is_warming_up(self) -> bool:
        return bool(self._ctx is not None and self._ctx.is_warming_up)

    def set_warm_up(self, period: int | timedelta, resolution: Resolution | None = None) -> None:
        self._warm_up = (period, resolution)

    @property
    def name(self) -> str:
        return self._name

    def set_name(self, name: str) -> None:
        self._name = name

    # ------------------------------------------------------------ components
    securities = property(lambda self: self._ctx.securities)
    portfolio = property(lambda self: self._ctx.portfolio)
    transactions = property(lambda self: self._ctx.transaction_manager)
    benchmark = property(lambda self: self._ctx.benchmark)
    schedule = property(lambda self: self._ctx.schedule)
    date_rules = property(lambda self: self._ctx.schedule.date_rules)
    time_rules = property(lambda self: self._ctx.schedule.time_rules)
    subscription_manager = property(lambda self: self._ctx.subscription_manager)
    active_securities = securities

    # ------------------------------------------------------------ securities
    def add_equity(self, ticker: str | Symbol, resolution: Resolution | None = None, market: str | None = None,
                   fill_forward: bool = True, leverage: float = 0.0, extended_market_hours: bool = False,
                   data_normalization_mode: DataNormalizationMode | None = None, *_: Any, **__: Any) -> Any:
        return self._ctx.add_equity(str(ticker.value if isinstance(ticker, Symbol) else ticker),
                                    Resolution(resolution) if resolution is not None else Resolution.MINUTE,
                                    fill_forward, leverage, extended_market_hours,
                                    DataNormalizationMode(data_normalization_mode)
                                    if data_normalization_mode is not None else DataNormalizationMode.ADJUSTED)

    def add_security(self, security_type: Any, ticker: str, resolution: Resolution | None = None, *args: Any,
                     **kwargs: Any) -> Any:
        return self.add_equity(ticker, resolution, *args, **kwargs)

    def remove_security(self, symbol: Any, tag: str | None = None) -> bool:
        return self._ctx.remove_security(self._to_symbol(symbol), self)

    def set_benchmark(self, benchmark: Any) -> None:
        self._ctx.set_benchmark(benchmark)

    # ------------------------------------------------------------ messages
    def _stamp(self, message: Any) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {message}"

    def debug(self, message: Any) -> None:
        self._ctx.results.debug(self._stamp(message))

    def log(self, message: Any) -> None:
        self._ctx.results.log(self._stamp(message))

    def error(self, message: Any) -> None:
        self._ctx.results.error(self._stamp(message))

    def quit(self, message: str = "") -> None:
        if message:
            self.debug(message)
        self._ctx.quit_requested = True

    def set_runtime_statistic(self, name: str, value: Any) -> None:
        self._ctx.results.runtime_statistics[name] = str(value)

    def set_summary_statistic(self, name: str, value: Any) -> None:
        self._ctx.results.summary_statistics[name] = str(value)

    # ------------------------------------------------------------ parameters and data
    def get_parameter(self, name: str, default_value: Any = None) -> Any:
        value = self._ctx.parameters.get(name)
        if value is None:
            return default_value
        if default_value is None or isinstance(default_value, str):
            return value
        if isinstance(default_value, bool):
            return value.strip().lower() in ("true", "1", "yes", "on")
        if isinstance(default_value, int):
            return int(value)
        if isinstance(default_value, float):
            return float(value)
        return value

    @property
    def parameters(self) -> dict[str, str]:
        return dict(self._ctx.parameters)

    # history: ExtrasMixin's descriptor, callable (a DataFrame) and subscriptable (history[TradeBar])

    def set_brokerage_model(self, *args: Any, **kwargs: Any) -> None:
        self._ctx.set_brokerage_model(*args, **kwargs)

    def set_security_initializer(self, initializer: Callable[[Any], None]) -> None:
        self._ctx.security_initializers.append(timed_if_user(initializer))


def _to_datetime(year: int | date | datetime, month: int | None, day: int | None) -> datetime:
    if isinstance(year, datetime):
        return year.replace(hour=0, minute=0, second=0, microsecond=0)
    if isinstance(year, date):
        return datetime(year.year, year.month, year.day)
    assert month is not None and day is not None, "set_start_date/set_end_date take (year, month, day) or a date"
    return datetime(int(year), int(month), int(day))
