"""Small QCAlgorithm members Lean's regression algorithms use (Algorithm/QCAlgorithm.cs, Common/AlgorithmMode.cs,
Common/DeploymentTarget.cs), kept out of algorithm.py so that file stays a thin facade."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from pylean.data.market_data import TradeBar
from pylean.algorithm_indicators import (history_bars_for, initialize_indicator, push_to_indicator,
                                         subscription_for)
from pylean.algorithm_state import ctx_of, state_of, symbol_for
from pylean.enums import Resolution, _add_pascal_aliases, _LeanIntEnum
from pylean.naming import lean_api


class AlgorithmMode(_LeanIntEnum):
    LIVE = 0
    OPTIMIZATION = 1
    BACKTESTING = 2
    RESEARCH = 3


class DeploymentTarget(_LeanIntEnum):
    CLOUD_PLATFORM = 0
    LOCAL_PLATFORM = 1
    PRIVATE_CLOUD_PLATFORM = 2


for _enum in (AlgorithmMode, DeploymentTarget):
    _add_pascal_aliases(_enum)


class _HistoryMethod:
    """`self.history(...)` (a DataFrame) and Lean's generic `self.history[TradeBar](symbol, count, resolution)`."""

    __slots__ = ("_algorithm",)

    def __init__(self, algorithm: Any) -> None:
        self._algorithm = algorithm

    def __call__(self, symbols: Any, periods: Any = None, resolution: Any = None, *args: Any, **kwargs: Any) -> Any:
        return ctx_of(self._algorithm).history(symbols, periods, resolution, *args, **kwargs)

    def __getitem__(self, data_type: Any) -> Any:
        algorithm = self._algorithm

        def typed(symbol: Any, periods: Any, resolution: Any = None) -> list[Any]:
            if data_type is not TradeBar or not isinstance(periods, int):
                raise NotImplementedError("pylean's typed history supports history[TradeBar](symbols, count, "
                                          "resolution) only")
            if isinstance(symbol, (list, tuple)):
                from pylean.typed_history import trade_bars_by_time
                symbols = [symbol_for(algorithm, one) for one in symbol]
                return trade_bars_by_time(algorithm, symbols, periods, resolution)  # type: ignore[return-value]
            symbol = symbol_for(algorithm, symbol)
            if resolution is None:
                resolution = subscription_for(algorithm, symbol).resolution
            return history_bars_for(algorithm, symbol, periods, Resolution(resolution))

        return typed


class _HistoryDescriptor:
    def __get__(self, algorithm: Any, owner: Any = None) -> Any:
        return self if algorithm is None else _HistoryMethod(algorithm)


@lean_api
class ExtrasMixin:
    """Read-only facts about the run and Python spellings Lean accepts besides the documented ones."""

    set_warm_up: Any
    _to_symbol: Any
    _subscription: Any
    _initialize_indicator: Any
    register_indicator: Any
    resolve_consolidator: Any
    create_indicator_name: Any
    _history_bars: Any
    _push: Any

    history = History = _HistoryDescriptor()

    @property
    def brokerage_model(self) -> Any:
        ctx = ctx_of(self)  # type: ignore[attr-defined]
        if ctx.brokerage_model is None:
            from pylean.brokerages import DefaultBrokerageModel
            ctx.brokerage_model = DefaultBrokerageModel()
        return ctx.brokerage_model

    @property
    def algorithm_mode(self) -> AlgorithmMode:
        """pylean only backtests."""
        return AlgorithmMode.BACKTESTING

    @property
    def deployment_target(self) -> DeploymentTarget:
        """An in-process engine on the user's machine: Lean's local platform."""
        return DeploymentTarget.LOCAL_PLATFORM

    def identity(self, symbol: Any, resolution: Any = None, selector: Any = None, field_name: str | None = None) -> Any:
        """An Identity indicator named "SPY(close,min)"-style, fed by the symbol's data (QCAlgorithm.Indicators.cs)."""
        from pylean.indicators.basic import Identity
        if isinstance(resolution, timedelta):
            indicator = Identity(f"{symbol_for(self, symbol)}({field_name or 'close'},{resolution})")
            self.register_indicator(symbol, indicator, self.resolve_consolidator(symbol, resolution), selector)
            return indicator
        if resolution is not None and not isinstance(resolution, Resolution):  # identity(symbol, selector)
            resolution, selector = None, resolution
        if resolution is None:
            resolution = subscription_for(self, symbol_for(self, symbol)).resolution
        indicator = Identity(self.create_indicator_name(symbol_for(self, symbol), field_name or "close", resolution))
        return initialize_indicator(self, symbol, indicator, resolution, selector)

    def indicator_history(self, indicator: Any, symbol: Any, period: Any, resolution: Any = None,
                          selector: Any = None) -> Any:
        """The indicator's values over the last `period` bars: history of period + warm-up - 1 bars."""
        from pylean.indicators.indicator_history import record_history
        from pylean.indicators.python_indicator import as_indicator
        indicator = as_indicator(indicator)
        symbol = symbol_for(self, symbol)
        if not isinstance(period, int):
            raise NotImplementedError("pylean's indicator_history takes a bar count")
        warm = int(getattr(indicator, "warm_up_period", 0) or 0)
        count = period + (warm - 1 if warm > 0 and period > 0 else warm)
        resolution = Resolution(resolution) if resolution is not None else subscription_for(self, symbol).resolution
        bars = history_bars_for(self, symbol, count, resolution)

        def feed() -> None:
            for bar in bars:
                push_to_indicator(indicator, bar, selector)

        return record_history(indicator, feed)

    @property
    def object_store(self) -> Any:
        state = state_of(self)
        if state.object_store is None:
            from pylean.object_store import ObjectStore
            state.object_store = ObjectStore()
        return state.object_store

    def cusip(self, symbol: Any) -> str | None:
        return symbol_for(self, symbol).cusip

    def composite_figi(self, symbol: Any) -> str | None:
        return symbol_for(self, symbol).composite_figi

    def sedol(self, symbol: Any) -> str | None:
        return symbol_for(self, symbol).sedol

    def isin(self, symbol: Any) -> str | None:
        return symbol_for(self, symbol).isin

    def cik(self, symbol: Any) -> int | None:
        return symbol_for(self, symbol).cik

    CUSIP, CompositeFIGI, SEDOL, ISIN, CIK = cusip, composite_figi, sedol, isin, cik

    def set_warmup(self, period: int | timedelta, resolution: Resolution | None = None) -> None:
        """Lean's Python API also spells SetWarmUp as set_warmup."""
        self.set_warm_up(period, resolution)
