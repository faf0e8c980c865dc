"""QCAlgorithm: the API surface algorithms call (Algorithm/QCAlgorithm.cs and its partial files).

Every method checks its arguments and delegates to the run's components (`ctx_of(self)`, kept outside the object: pylean/algorithm_state.py), which the
launcher attaches before `initialize` runs.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Callable

from pylean.algorithm_indicator_helpers import IndicatorHelpersMixin
from pylean.algorithm_combo import ComboOrdersMixin
from pylean.algorithm_extras import ExtrasMixin
from pylean.algorithm_framework import FrameworkMixin
from pylean.algorithm_indicators import IndicatorsMixin
from pylean.algorithm_security_extras import SecurityExtrasMixin, as_security_initializer
from pylean.algorithm_state import _STATES, ctx_of, state_of, symbol_for
from pylean.algorithm_trading import PortfolioTarget, TradingMixin
from pylean.enums import DataNormalizationMode, Resolution
from pylean.naming import lean_api
from pylean.orders.types import OrderProperties, to_decimal
from pylean.symbols import Symbol
from pylean.timeutil import local_to_naive_utc
from pylean.universe.api import UniverseMixin, universe_default

__all__ = ["QCAlgorithm", "PortfolioTarget", "AlgorithmSettings"]

_NO_CLOCK_UTC = datetime(1998, 1, 1)  # utc_time before the clock is set (as the runtime's utc_now, naive)


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
        self.rebalance_portfolio_on_security_changes: bool | None = None  # None: the portfolio model's own
        self.rebalance_portfolio_on_insight_changes: bool | None = None


@lean_api
class QCAlgorithm(TradingMixin, IndicatorsMixin, ExtrasMixin, SecurityExtrasMixin, IndicatorHelpersMixin,
                  ComboOrdersMixin, FrameworkMixin, UniverseMixin):
    """Base class of every algorithm. Both `on_data` and `OnData` style overrides are found by the engine."""

    def __init__(self) -> None:
        self.settings = AlgorithmSettings()
        self.default_order_properties = OrderProperties()
        state_of(self)  # pylean's own state lives outside the object (pylean/algorithm_state.py)

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
        # read per call by most algorithms, often several times a step: one table lookup
        state = _STATES.get(id(self)) or state_of(self)
        now = state.ctx.cursor.time if state.ctx is not None else None
        return now if now is not None else state.start_date

    @property
    def utc_time(self) -> datetime:
        now = ctx_of(self).cursor.time
        return local_to_naive_utc(now) if now is not None else _NO_CLOCK_UTC

    @property
    def start_date(self) -> datetime:
        return state_of(self).start_date

    @property
    def end_date(self) -> datetime:
        return state_of(self).end_date

    def set_start_date(self, year: int | date | datetime, month: int | None = None, day: int | None = None) -> None:
        state_of(self).start_date = _to_datetime(year, month, day)
        if ctx_of(self) is not None:
            ctx_of(self).cursor.time = state_of(self).start_date

    def set_end_date(self, year: int | date | datetime, month: int | None = None, day: int | None = None) -> None:
        end = _to_datetime(year, month, day)
        state_of(self).end_date = end.replace(hour=23, minute=59, second=59, microsecond=999999)

    def set_cash(self, starting_cash: float | int, *_: Any) -> None:
        state_of(self).initial_cash = to_decimal(starting_cash)
        if ctx_of(self) is not None:
            ctx_of(self).portfolio.set_cash(state_of(self).initial_cash)

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
        return bool(ctx_of(self) is not None and ctx_of(self).is_warming_up)

    def set_warm_up(self, period: int | timedelta, resolution: Resolution | None = None) -> None:
        state_of(self).warm_up = (period, resolution)

    @property
    def name(self) -> str:
        return state_of(self).name

    def set_name(self, name: str) -> None:
        state_of(self).name = name

    # ------------------------------------------------------------ components
    securities = property(lambda self: ctx_of(self).securities)
    portfolio = property(lambda self: ctx_of(self).portfolio)
    transactions = property(lambda self: ctx_of(self).transaction_manager)
    benchmark = property(lambda self: ctx_of(self).benchmark)
    schedule = property(lambda self: ctx_of(self).schedule)
    date_rules = property(lambda self: ctx_of(self).schedule.date_rules)
    time_rules = property(lambda self: ctx_of(self).schedule.time_rules)
    subscription_manager = property(lambda self: ctx_of(self).subscription_manager)
    active_securities = securities

    # ------------------------------------------------------------ securities
    def add_equity(self, ticker: str | Symbol, resolution: Resolution | None = None, market: str | None = None,
                   fill_forward: bool = True, leverage: float = 0.0, extended_market_hours: bool = False,
                   data_normalization_mode: DataNormalizationMode | None = None, *_: Any, **__: Any) -> Any:
        return ctx_of(self).add_equity(str(ticker.value if isinstance(ticker, Symbol) else ticker),
                                    Resolution(resolution) if resolution is not None else
                                    universe_default(self, "resolution", Resolution.MINUTE),
                                    fill_forward, leverage, extended_market_hours,
                                    DataNormalizationMode(data_normalization_mode) if data_normalization_mode is not None
                                    else universe_default(self, "data_normalization_mode",
                                                          DataNormalizationMode.ADJUSTED))

    def add_security(self, security_type: Any, ticker: str, resolution: Resolution | None = None, *args: Any,
                     **kwargs: Any) -> Any:
        return self.add_equity(ticker, resolution, *args, **kwargs)

    def remove_security(self, symbol: Any, tag: str | None = None) -> bool:
        return ctx_of(self).remove_security(symbol_for(self, symbol), self)

    def set_benchmark(self, benchmark: Any) -> None:
        ctx_of(self).set_benchmark(benchmark)

    # ------------------------------------------------------------ messages

    def debug(self, message: Any) -> None:
        ctx_of(self).results.debug(stamped(self, message))

    def log(self, message: Any) -> None:
        ctx_of(self).results.log(stamped(self, message))

    def error(self, message: Any) -> None:
        ctx_of(self).results.error(stamped(self, message))

    def quit(self, message: str = "") -> None:
        if message:
            self.debug(message)
        ctx_of(self).quit_requested = True

    def set_runtime_statistic(self, name: str, value: Any) -> None:
        ctx_of(self).results.runtime_statistics[name] = str(value)

    def set_summary_statistic(self, name: str, value: Any) -> None:
        ctx_of(self).results.summary_statistics[name] = str(value)

    # ------------------------------------------------------------ parameters and data
    def get_parameter(self, name: str, default_value: Any = None) -> Any:
        value = ctx_of(self).parameters.get(name)
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

    def get_parameters(self) -> dict[str, str]:
        """Every parameter of the run (Lean's GetParameters); `parameters` is left free for the user's own use."""
        return dict(ctx_of(self).parameters)

    # history: ExtrasMixin's descriptor, callable (a DataFrame) and subscriptable (history[TradeBar])

    def set_brokerage_model(self, *args: Any, **kwargs: Any) -> None:
        ctx_of(self).set_brokerage_model(*args, **kwargs)

    def set_security_initializer(self, initializer: Callable[[Any], None]) -> None:
        ctx_of(self).security_initializers.append(as_security_initializer(initializer))


def _to_datetime(year: int | date | datetime, month: int | None, day: int | None) -> datetime:
    if isinstance(year, datetime):
        return year.replace(hour=0, minute=0, second=0, microsecond=0)
    if isinstance(year, date):
        return datetime(year.year, year.month, year.day)
    assert month is not None and day is not None, "set_start_date/set_end_date take (year, month, day) or a date"
    return datetime(int(year), int(month), int(day))


def stamped(algorithm: Any, message: Any) -> str:
    return f"{algorithm.time:%Y-%m-%d %H:%M:%S} {message}"
