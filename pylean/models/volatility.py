"""Security volatility models (Common/Securities/Volatility/BaseVolatilityModel.cs, IndicatorVolatilityModel.cs,
VolatilityModelExtensions.cs).

Lean updates a security's volatility model with each of its data points before on_data. Here a security
whose model is not the null model gets a feeder consolidator on its trade subscription, so securities
without one cost nothing per step."""
from __future__ import annotations

import weakref
from datetime import datetime
from decimal import Decimal
from typing import Any

from pylean.consolidators.base import TRADE, ConsolidatorBase
from pylean.naming import lean_api
from pylean.algorithm_state import ctx_of

_MANAGER: list[Any] = [None]  # weak reference to the running algorithm's SubscriptionManager


def use_subscription_manager(manager: Any) -> None:
    """Called by the SubscriptionManager of each run: where feeders get registered."""
    _MANAGER[0] = weakref.ref(manager)


@lean_api
class BaseVolatilityModel:
    def __init__(self) -> None:
        self._config_provider: Any = None

    @property
    def volatility(self) -> float:
        return 0.0

    def set_subscription_data_config_provider(self, provider: Any) -> None:
        self._config_provider = provider

    def update(self, security: Any, data: Any) -> None:
        pass

    def get_history_requirements(self, security: Any, utc_time: datetime, *args: Any) -> list[Any]:
        return []


@lean_api
class NullVolatilityModel(BaseVolatilityModel):
    """VolatilityModel.Null: zero volatility, never updated."""


NULL_VOLATILITY_MODEL = NullVolatilityModel()


@lean_api
class VolatilityModel:
    """Lean's VolatilityModel static class: `VolatilityModel.NULL`."""
    NULL = NULL_VOLATILITY_MODEL


@lean_api
class IndicatorVolatilityModel(BaseVolatilityModel):
    """The volatility is an indicator's current value; `indicator_update(security, data, indicator)` feeds it."""

    def __init__(self, indicator: Any, indicator_update: Any = None) -> None:
        BaseVolatilityModel.__init__(self)
        self._indicator = indicator
        self._indicator_update = indicator_update

    @property
    def volatility(self) -> float:
        return self._indicator.current.value

    def update(self, security: Any, data: Any) -> None:
        if self._indicator_update is not None:
            self._indicator_update(security, data, self._indicator)


class _VolatilityFeeder(ConsolidatorBase):
    """Passes every trade bar of the security to its volatility model; emits nothing."""

    __slots__ = ("_security", "_model")
    INPUT_KIND = TRADE

    def __init__(self, security: Any, model: Any) -> None:
        ConsolidatorBase.__init__(self)
        self._security, self._model = security, model

    def update(self, data: Any) -> None:
        self._model.update(self._security, data)

    def scan(self, current_local_time: datetime) -> None:
        pass


_FEEDERS: "weakref.WeakKeyDictionary[Any, _VolatilityFeeder]" = weakref.WeakKeyDictionary()


def volatility_model_of(security: Any) -> Any:
    return security.__dict__.get("_volatility_model", NULL_VOLATILITY_MODEL)


def set_volatility_model(security: Any, model: Any) -> None:
    """Security.SetVolatilityModel: the model replaces the previous one and is updated with the security's data."""
    security.__dict__["_volatility_model"] = model
    reference = _MANAGER[0]
    manager = reference() if reference is not None else None
    if manager is None:
        return
    old = _FEEDERS.pop(security, None)
    if old is not None:
        manager.remove_consolidator(security.symbol, old)
    if model is not None and model is not NULL_VOLATILITY_MODEL:
        feeder = _FEEDERS[security] = _VolatilityFeeder(security, model)
        manager.add_consolidator(security.symbol, feeder)


@lean_api
class VolatilityModelExtensions:
    @staticmethod
    def warm_up(model: Any, algorithm: Any, security: Any, resolution: Any = None, bar_count: int = 0,
                data_normalization_mode: Any = None) -> None:
        """WarmUp(IndicatorVolatilityModel, algorithm, security, resolution, barCount, mode): the model is updated
        with the last `bar_count` trade bars of history (split- and dividend-adjusted, so a split or dividend
        makes no jump in them, as Lean's ScaledRaw history for a Raw security)."""
        if security is None or model is None or model is NULL_VOLATILITY_MODEL:
            return
        symbol = security.symbol
        res = resolution if resolution is not None else security.resolution
        from pylean.algorithm_indicators import history_bars_for  # the algorithm's modules import this one
        bars = history_bars_for(algorithm, symbol, int(bar_count), res)
        scale = _scaled_raw_divisor(algorithm, symbol, res)
        for bar in bars:
            if scale != 1:  # adjusted history / today's factor: the prices of today's raw scale
                bar.open, bar.high, bar.low, bar.close = (float(Decimal(repr(v)) / scale)
                                                          for v in (bar.open, bar.high, bar.low, bar.close))
            model.update(security, bar)


def _scaled_raw_divisor(algorithm: Any, symbol: Any, resolution: Any) -> Decimal:
    """The price scale factor of today: ScaledRaw prices are the adjusted ones divided by it."""
    ctx = ctx_of(algorithm)
    factors = ctx.history_config(symbol, resolution).factor_file
    if factors is None:
        return Decimal(1)
    return factors.price_scale_factor(ctx.cursor.time.date(), "adjusted")

