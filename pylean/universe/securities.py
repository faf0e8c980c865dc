"""Creating, subscribing and unsubscribing the securities a universe selects (UniverseSelection's
GetOrCreateSecurity and RemoveSecurityFromUniverse), with the universe's settings."""
from __future__ import annotations

from typing import Any

from pylean.enums import DataNormalizationMode, Resolution
from pylean.securities import Security
from pylean.symbol_cache import SymbolCache
from pylean.symbols import Symbol


def _setting(settings: Any, name: str, default: Any) -> Any:
    value = getattr(settings, name, None)
    return default if value is None else value


def add_universe_security(rt: Any, symbol: Symbol, settings: Any) -> Security:
    """The security for `symbol`, subscribed with `settings` unless it already has live subscriptions."""
    resolution = Resolution(_setting(settings, "resolution", Resolution.MINUTE))
    normalization = DataNormalizationMode(_setting(settings, "data_normalization_mode", DataNormalizationMode.ADJUSTED))
    fill_forward = bool(_setting(settings, "fill_forward", True))
    extended = bool(_setting(settings, "extended_market_hours", False))
    security = rt.securities._by_symbol.get(symbol) if symbol in rt.securities else None
    if security is None:
        properties = rt.symbol_properties.get("usa", symbol.value, "equity")
        security = Security(symbol, rt.cursor, rt.hours, properties, resolution,
                            float(_setting(settings, "leverage", 0.0)) or 2.0, normalization)
        rt.securities.add(security)
        SymbolCache.set(symbol.value, symbol)
        fee_model = getattr(rt.brokerage_model, "get_fee_model", None)  # BrokerageModelSecurityInitializer
        if fee_model is not None:
            security.set_fee_model(fee_model(security))
        for initializer in rt.security_initializers:
            initializer(security)
    elif has_live_subscription(rt, symbol):
        return security
    else:
        security.resolution, security.data_normalization_mode = resolution, normalization
        security.cache.trade_index = security.cache.quote_index = -1  # the new subscriptions' indices follow
        security.cache._pinned.pop("price", None)
    kinds = ("trade",) if resolution in (Resolution.HOUR, Resolution.DAILY) else ("trade", "quote")
    for kind in kinds:
        rt._subscribe(security, resolution, kind, fill_forward, extended, normalization, internal=False)
    security.is_tradable = True
    return security


def has_live_subscription(rt: Any, symbol: Symbol) -> bool:
    feed = rt.feed
    return any(c.symbol is symbol and not c.is_internal and i not in feed.removed for i, c in enumerate(feed.configs))


def unsubscribe(rt: Any, security: Security) -> None:
    """Stop the security's data; it stays in the securities (its realized profit counts) but can't trade."""
    security.cache._pinned["price"] = security.cache.price
    feed = rt.feed
    for index, config in enumerate(feed.configs):
        if config.symbol is security.symbol and not config.is_internal and index not in feed.removed:
            feed.remove(index)
    security.is_tradable = False
