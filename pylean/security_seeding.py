"""Security initializers and seeders (Common/Securities/BrokerageModelSecurityInitializer.cs, FuncSecuritySeeder.cs,
SecuritySeeder.cs) and QCAlgorithm.GetLastKnownPrices (Algorithm/QCAlgorithm.History.cs).

A seeder gives a new security a price before its first data point: the last bar of each of its subscriptions
over a short history request (Lean's seed look-back, 5 bars), counted as history data points as Lean counts it.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable

from pylean.consolidators.period import resolution_span
from pylean.data.market_data import Bar, QuoteBar, TradeBar
from pylean.data.subscription import SubscriptionDataConfig
from pylean.enums import Resolution
from pylean.naming import lean_api
from pylean.timeutil import ms_to_local

SEED_LOOKBACK_PERIOD = 5  # Lean's seed-lookback-period default

# (model getter of the brokerage model, security setter), in Lean's order; leverage goes after buying power
_BROKERAGE_MODELS = (("get_fill_model", "set_fill_model"), ("get_fee_model", "set_fee_model"),
                     ("get_slippage_model", "set_slippage_model"),
                     ("get_buying_power_model", "set_buying_power_model"),
                     ("get_margin_interest_rate_model", "set_margin_interest_rate_model"))


@lean_api
class FuncSecuritySeeder:
    """Seeds a security with whatever data points `seed_function(security)` answers (e.g. get_last_known_prices)."""

    def __init__(self, seed_function: Callable[[Any], Any]) -> None:
        self._pylean_seed_function = seed_function

    def seed_security(self, security: Any) -> bool:
        found = self._pylean_seed_function(security)
        for point in ([found] if isinstance(found, (TradeBar, QuoteBar)) else found or ()):
            if point is not None:
                security.set_market_price(point)
        return True


@lean_api
class NullSecuritySeeder:
    def seed_security(self, security: Any) -> bool:
        return True


@lean_api
class SecuritySeeder:
    NULL = NullSecuritySeeder()


@lean_api
class BrokerageModelSecurityInitializer:
    """Gives a new security its brokerage model's models and leverage, then seeds it. Users subclass it: its
    state has `_pylean_` names their own attributes do not meet."""

    def __init__(self, brokerage_model: Any = None, security_seeder: Any = None) -> None:
        self._pylean_brokerage_model = brokerage_model
        self._pylean_security_seeder = security_seeder if security_seeder is not None else SecuritySeeder.NULL

    def initialize(self, security: Any) -> None:
        model = self._pylean_brokerage_model
        if model is not None:
            for getter, setter in _BROKERAGE_MODELS:
                make = getattr(model, getter, None)
                if make is not None:
                    getattr(security, setter)(make(security))
            leverage = getattr(model, "get_leverage", None)
            if leverage is not None:
                security.set_leverage(leverage(security))
            shortable = getattr(model, "get_shortable_provider", None)
            if shortable is not None:
                security.set_shortable_provider(shortable(security))
        self._pylean_security_seeder.seed_security(security)


def last_known_prices(runtime: Any, security: Any) -> list[Any]:
    """The last trade bar and quote bar of the security's subscriptions before now, oldest first (trade first)."""
    requests = []
    for config in security.subscriptions:
        if config.is_internal:
            continue
        request = SubscriptionDataConfig(config.symbol, config.resolution, config.kind, False, config.extended_hours,
                                         config.normalization, False, config.map_file, config.factor_file)
        requests.append((request, runtime.history_provider.bars(request, runtime.cursor.time,
                                                                count=SEED_LOOKBACK_PERIOD)))
    runtime.history_provider.count_request(requests)
    found = [_last_point(config, bars) for config, bars in requests if bars and len(bars["time"])]
    found.sort(key=lambda point: (point.time, 0 if isinstance(point, TradeBar) else 1))
    return found


def _last_point(config: SubscriptionDataConfig, bars: dict[str, Any]) -> Any:
    end = ms_to_local(int(bars["time"][-1]))
    span = resolution_span(config.resolution) if config.resolution != Resolution.DAILY else timedelta(days=1)
    if config.kind == "trade":
        return TradeBar(end - span, config.symbol, float(bars["open"][-1]), float(bars["high"][-1]),
                        float(bars["low"][-1]), float(bars["close"][-1]), float(bars["volume"][-1]), end_time=end)
    bid = Bar(*(float(bars[f"bid_{name}"][-1]) for name in ("open", "high", "low", "close")))
    ask = Bar(*(float(bars[f"ask_{name}"][-1]) for name in ("open", "high", "low", "close")))
    return QuoteBar(end - span, config.symbol, bid, float(bars["bid_size"][-1]), ask, float(bars["ask_size"][-1]),
                    period=span, end_time=end)
