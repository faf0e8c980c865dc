"""Consolidation, indicator and plotting helpers of QCAlgorithm (Algorithm/QCAlgorithm.Indicators.cs,
QCAlgorithm.Python.cs Consolidate/RegisterIndicator/WarmUpIndicator, QCAlgorithm.Plotting.cs)."""
from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any, Callable

from pylean.algorithm_clock import timed_if_user
from pylean.algorithm_state import ctx_of, symbol_for
from pylean.consolidators.bars import QuoteBarConsolidator, TradeBarConsolidator
from pylean.consolidators.base import QUOTE, TRADE, IdentityDataConsolidator, kind_of
from pylean.consolidators.manager import consolidated_event
from pylean.consolidators.market_hours import MarketHourAwareConsolidator
from pylean.consolidators.period import resolution_span
from pylean.consolidators.sized import consolidate_sized
from pylean.data.market_data import TradeBar
from pylean.enums import Resolution
from pylean.indicators import (AverageTrueRange, BollingerBands, ExponentialMovingAverage, IndicatorBase,
                               IndicatorDataPoint, IntradayVwap, Maximum, Minimum, MovingAverageConvergenceDivergence,
                               MovingAverageType, RateOfChange, RelativeStrengthIndex, SimpleMovingAverage,
                               StandardDeviation, VolumeWeightedAveragePriceIndicator)
from pylean.indicators.base import POINT, TRADE_BAR, data_value, new_point
from pylean.indicators.python_indicator import as_indicator
from pylean.indicators.field import QUOTE_FIELDS, Field
from pylean.indicators.numbers import dec, float_decimal
from pylean.indicators.plotting import plot as _plot
from pylean.naming import lean_api
from pylean.step_phases import INDICATORS, phased
from pylean.symbols import Symbol
from pylean.timeutil import ms_to_local

_new_object = object.__new__

_RESOLUTION_NAMES = {Resolution.TICK: "tick", Resolution.SECOND: "sec", Resolution.MINUTE: "min",
                     Resolution.HOUR: "hr", Resolution.DAILY: "day"}


def _higher_resolution(span: timedelta) -> Resolution:
    """TimeSpan.ToHigherResolutionEquivalent(requireExactMatch: false)."""
    for resolution in (Resolution.DAILY, Resolution.HOUR, Resolution.MINUTE, Resolution.SECOND):
        if span >= resolution_span(resolution):
            return resolution
    return Resolution.TICK


@lean_api
class IndicatorsMixin:
    """`consolidate`, `register_indicator`, `warm_up_indicator`, the indicator helpers and `plot`."""

    settings: Any
    time: Any
    debug: Callable[[Any], None]

    # ------------------------------------------------------------ subscriptions

    # ------------------------------------------------------------ consolidators

    def resolve_consolidator(self, symbol: Any, resolution: Any = None, data_type: Any = None) -> Any:
        symbol = symbol_for(self, symbol)
        tick_type = QUOTE if kind_of(data_type) == QUOTE else (TRADE if data_type is not None else None)
        if isinstance(resolution, timedelta):
            return _create_consolidator(self, symbol, None, tick_type, resolution, None)
        return _create_consolidator(self, symbol, None, tick_type, None,
                                         Resolution(resolution) if resolution is not None else None)

    def consolidate(self, symbol: Any, period: Any, *args: Any, **kwargs: Any) -> Any:
        """consolidate(symbol, Resolution | timedelta | calendar, [tick_type,] handler); handler(bar).
        consolidate(BarType, symbol, size, tick_type, handler): bars of a size (see consolidate_sized)."""
        if isinstance(symbol, type):
            return consolidate_sized(self, symbol, period, *args, **kwargs)
        handler = kwargs.get("handler")
        tick_type = kwargs.get("tick_type")
        for arg in args:
            if callable(arg) and handler is None:
                handler = arg
            else:
                tick_type = arg
        symbol = symbol_for(self, symbol)
        calendar = resolution = span = None
        if isinstance(period, Resolution):
            resolution = period
        elif isinstance(period, timedelta):
            span = period
        elif callable(period):
            calendar = period
        else:
            raise ValueError(f"consolidate(): unsupported period {period!r}")
        consolidator = _create_consolidator(self, symbol, calendar, tick_type, span, resolution)
        if handler is not None:
            event = consolidated_event(consolidator)
            user_handler = timed_if_user(handler)  # algorithm time, when a run records
            event += lambda sender, bar: user_handler(bar)
            ctx_of(self).subscription_manager.add_consolidator(symbol, consolidator, tick_type)
        return consolidator

    # ------------------------------------------------------------ indicators
    def register_indicator(self, symbol: Any, indicator: IndicatorBase, resolution: Any = None,
                           selector: Callable[[Any], Any] | None = None) -> None:
        """Feed `indicator` from a consolidator: `resolution` is a Resolution, a timedelta, a consolidator or None
        (the subscription's own bars)."""
        symbol, indicator = symbol_for(self, symbol), as_indicator(indicator)
        if resolution is None or isinstance(resolution, (Resolution, timedelta)):
            consolidator = self.resolve_consolidator(symbol, resolution)
        else:
            consolidator = resolution
        _register(self, symbol, indicator, consolidator, selector)

    def deregister_indicator(self, indicator: IndicatorBase) -> None:
        for consolidator in list(indicator.consolidators):
            ctx_of(self).subscription_manager.remove_consolidator(None, consolidator)
        indicator.consolidators.clear()

    unregister_indicator = deregister_indicator

    def warm_up_indicator(self, symbol: Any, indicator: IndicatorBase, resolution: Any = None,
                          selector: Callable[[Any], Any] | None = None) -> None:
        """Reset the indicator and push the last `warm_up_period` history bars through it (Lean: IndicatorHistory);
        with a timedelta, history bars are consolidated to that period first (no reset)."""
        indicator = as_indicator(indicator)
        periods = getattr(indicator, "warm_up_period", None)
        if not periods:
            self.debug(f"Warning: the 'WarmUpIndicator' feature only works with indicators which inherit from "
                       f"'IIndicatorWarmUpPeriodProvider' and define a warm up period, setting property "
                       f"'WarmUpPeriod' with a value > 0. The provided indicator of type '{type(indicator).__name__}' "
                       "will not be warmed up.")
            return
        symbol = symbol_for(self, symbol)
        if isinstance(resolution, timedelta):
            _warm_up_consolidated(self, symbol, indicator, resolution, periods, selector)
            return
        resolution = Resolution(resolution) if resolution is not None else subscription_for(self, symbol).resolution
        indicator.reset()
        _count_warm_up_quotes(self, symbol, periods, resolution)  # type: ignore[attr-defined]
        for bar in history_bars_for(self, symbol, periods, resolution):
            push_to_indicator(indicator, bar, selector)

    def create_indicator_name(self, symbol: Any, type: str, resolution: Any) -> str:
        """"SMA(14,SPY_min)": the type, the symbol and the resolution of the data feeding it."""
        has_symbol = symbol is not None and str(symbol) != ""
        if resolution is None and has_symbol:
            resolution = subscription_for(self, symbol_for(self, symbol)).resolution
        parts = [str(symbol)] if has_symbol else []
        parts.append(_RESOLUTION_NAMES[Resolution(resolution)] if isinstance(resolution, (int, Resolution)) else "")
        return f"{type}({'_'.join(parts)})".replace(")(", ",")

    # ------------------------------------------------------------ indicator helpers
    def sma(self, symbol: Any, period: int, resolution: Any = None, selector: Any = None) -> SimpleMovingAverage:
        indicator = SimpleMovingAverage(_indicator_name(self, symbol, f"SMA({period})", resolution), period)
        return initialize_indicator(self, symbol, indicator, resolution, selector)

    def ema(self, symbol: Any, period: int, *args: Any, smoothing_factor: Any = None, resolution: Any = None,
            selector: Any = None) -> ExponentialMovingAverage:
        rest = list(args)
        if rest and not isinstance(rest[0], Resolution) and rest[0] is not None and not callable(rest[0]):
            smoothing_factor = rest.pop(0)  # EMA(symbol, period, smoothingFactor, resolution, selector)
        if rest:
            resolution = rest.pop(0)
        if rest:
            selector = rest.pop(0)
        name = _indicator_name(self, symbol, f"EMA({period})", resolution)
        indicator = (ExponentialMovingAverage(name, period, smoothing_factor) if smoothing_factor is not None
                     else ExponentialMovingAverage(name, period))
        return initialize_indicator(self, symbol, indicator, resolution, selector)

    def macd(self, symbol: Any, fast_period: int, slow_period: int, signal_period: int,
             type: Any = MovingAverageType.EXPONENTIAL, resolution: Any = None,
             selector: Any = None) -> MovingAverageConvergenceDivergence:
        if isinstance(type, Resolution):  # lenient: macd(symbol, 12, 26, 9, Resolution.DAILY)
            type, resolution = MovingAverageType.EXPONENTIAL, type
        name = _indicator_name(self, symbol, f"MACD({fast_period},{slow_period},{signal_period})", resolution)
        indicator = MovingAverageConvergenceDivergence(name, fast_period, slow_period, signal_period, type)
        return initialize_indicator(self, symbol, indicator, resolution, selector)

    def rsi(self, symbol: Any, period: int, moving_average_type: Any = MovingAverageType.WILDERS,
            resolution: Any = None, selector: Any = None) -> RelativeStrengthIndex:
        if isinstance(moving_average_type, Resolution):
            moving_average_type, resolution = MovingAverageType.WILDERS, moving_average_type
        kind = MovingAverageType(int(moving_average_type))
        name = _indicator_name(self, symbol, f"RSI({period},{kind})", resolution)
        indicator = RelativeStrengthIndex(name, period, kind)
        return initialize_indicator(self, symbol, indicator, resolution, selector)

    def bb(self, symbol: Any, period: int, k: float, moving_average_type: Any = MovingAverageType.SIMPLE,
           resolution: Any = None, selector: Any = None) -> BollingerBands:
        if isinstance(moving_average_type, Resolution):
            moving_average_type, resolution = MovingAverageType.SIMPLE, moving_average_type
        width = dec(k)
        indicator = BollingerBands(_indicator_name(self, symbol, f"BB({period},{width})", resolution), period, width,
                                   MovingAverageType(int(moving_average_type)))
        return initialize_indicator(self, symbol, indicator, resolution, selector)

    def atr(self, symbol: Any, period: int, type: Any = MovingAverageType.SIMPLE, resolution: Any = None,
            selector: Any = None) -> AverageTrueRange:
        # Lean's helper smooths with a Simple average (the AverageTrueRange class defaults to Wilder's)
        if isinstance(type, Resolution):
            type, resolution = MovingAverageType.SIMPLE, type
        indicator = AverageTrueRange(_indicator_name(self, symbol, f"ATR({period})", resolution), period,
                                     MovingAverageType(int(type)))
        return initialize_indicator(self, symbol, indicator, resolution, selector)

    def vwap(self, symbol: Any, period: int | None = None, resolution: Any = None, selector: Any = None) -> Any:
        if period is None:  # the intraday VWAP that resets every day, on the subscription's own bars
            intraday = IntradayVwap(_indicator_name(self, symbol, "VWAP", None))
            self.register_indicator(symbol, intraday)
            return intraday
        name = _indicator_name(self, symbol, f"VWAP({period})", resolution)
        indicator = VolumeWeightedAveragePriceIndicator(name, period)
        return initialize_indicator(self, symbol, indicator, resolution, selector)

    def max(self, symbol: Any, period: int, resolution: Any = None, selector: Any = None) -> Maximum:
        indicator = Maximum(_indicator_name(self, symbol, f"MAX({period})", resolution), period)
        if selector is None and subscription_for(self, symbol_for(self, symbol)).kind == TRADE:
            selector = Field.HIGH
        return initialize_indicator(self, symbol, indicator, resolution, selector)

    def min(self, symbol: Any, period: int, resolution: Any = None, selector: Any = None) -> Minimum:
        indicator = Minimum(_indicator_name(self, symbol, f"MIN({period})", resolution), period)
        if selector is None and subscription_for(self, symbol_for(self, symbol)).kind == TRADE:
            selector = Field.LOW
        return initialize_indicator(self, symbol, indicator, resolution, selector)

    def roc(self, symbol: Any, period: int, resolution: Any = None, selector: Any = None) -> RateOfChange:
        indicator = RateOfChange(_indicator_name(self, symbol, f"ROC({period})", resolution), period)
        return initialize_indicator(self, symbol, indicator, resolution, selector)

    def std(self, symbol: Any, period: int, resolution: Any = None, selector: Any = None) -> StandardDeviation:
        indicator = StandardDeviation(_indicator_name(self, symbol, f"STD({period})", resolution), period)
        return initialize_indicator(self, symbol, indicator, resolution, selector)

    SMA, EMA, MACD, RSI, BB, ATR, VWAP, MAX, MIN, ROC, STD = sma, ema, macd, rsi, bb, atr, vwap, max, min, roc, std

    # ------------------------------------------------------------ charts
    def plot(self, *args: Any) -> None:
        """plot(series, value), plot(chart, series, value), plot(chart, *indicators), plot(chart, series, bar)."""
        _plot(ctx_of(self).results.charts, ctx_of(self).utc_now(), args)

    def plot_indicator(self, chart: str, *indicators: Any) -> None:
        """Plot each indicator on every update (only once ready when the first argument is True)."""
        wait_for_ready = False
        if indicators and isinstance(indicators[0], bool):
            wait_for_ready, indicators = indicators[0], indicators[1:]
        for indicator in indicators:
            if indicator is None:
                continue

            def on_updated(sender: Any, point: Any, indicator: IndicatorBase = indicator) -> None:
                if not wait_for_ready or indicator.is_ready:
                    self.plot(chart, indicator)
            indicator.updated += on_updated



# The helpers below are module functions, not methods: a user's subclass may assign any name outside Lean's
# public API without replacing them (pylean/algorithm_state.py).


def subscription_for(algorithm: Any, symbol: Symbol, tick_type: Any = None) -> Any:
    """GetSubscription: trade before quote; the requested tick type when there is one."""
    configs = sorted((c for c in ctx_of(algorithm).feed.configs if not c.is_internal and c.symbol == symbol),
                     key=lambda c: c.kind != TRADE)
    if not configs:
        raise ValueError(f"Please register to receive data for symbol '{symbol}' using the AddSecurity() function.")
    wanted = kind_of(tick_type)
    return next((c for c in configs if c.kind == wanted), configs[0])


def _create_consolidator(algorithm: Any, symbol: Symbol, calendar: Callable[..., Any] | None, tick_type: Any,
                         period: timedelta | None, resolution: Resolution | None) -> Any:
    config = subscription_for(algorithm, symbol, tick_type)
    if (period is not None and period < config.increment) or (resolution is not None
                                                              and resolution < config.resolution):
        raise ValueError(f"Unable to create {symbol} consolidator because {symbol} is registered for "
                         f"{config.resolution} data. Consolidators require higher resolution data to produce "
                         "lower resolution data.")
    kind = config.kind
    if calendar is not None:
        return QuoteBarConsolidator(calendar) if kind == QUOTE else TradeBarConsolidator(calendar)
    if period is None and resolution is None:
        period = config.increment
    if (period is not None and period == config.increment) or (resolution is not None
                                                              and resolution == config.resolution):
        return IdentityDataConsolidator(kind)
    if resolution is not None:
        if resolution == Resolution.DAILY:
            # daily bars of intraday data: the regular session only, ending at the close
            return MarketHourAwareConsolidator(bool(getattr(algorithm.settings, "daily_precise_end_time", True)),
                                               Resolution.DAILY, kind, None, False, ctx_of(algorithm).hours)
        period = resolution_span(resolution)
    if not period:
        return IdentityDataConsolidator(kind)
    return QuoteBarConsolidator(period) if kind == QUOTE else TradeBarConsolidator(period)


def _register(algorithm: Any, symbol: Symbol, indicator: IndicatorBase, consolidator: Any,
              selector: Callable[[Any], Any] | None) -> None:
    indicator.consolidators.add(consolidator)
    ctx_of(algorithm).subscription_manager.add_consolidator(symbol, consolidator)
    if selector is not None:
        selector = timed_if_user(selector)  # the project's selector is algorithm time; the update is not
    if indicator.INPUT == POINT and selector is None:
        indicator_update = indicator._update

        def update(sender: Any, bar: Any) -> None:
            # a TradeBar's close as pythonnet's decimal; several indicators of one bar share the conversion
            close = bar.close if type(bar) is TradeBar else None
            point = _new_object(IndicatorDataPoint)  # new_point(bar.symbol, bar.end_time, value) written out
            point.symbol = bar.symbol
            point.time = bar.end_time
            point._value = float_decimal(close) if type(close) is float else data_value(bar)
            point._float = None
            indicator_update(point)
        # an identity consolidator whose handlers are all such updates builds the points itself (a call less
        # per handler on every bar of the subscription): IdentityDataConsolidator._feed
        update.point_update = indicator_update  # type: ignore[attr-defined]
    elif indicator.INPUT == POINT:
        select = selector

        def update(sender: Any, bar: Any) -> None:
            indicator._update(IndicatorDataPoint(bar.symbol, bar.end_time, dec(select(bar))))
    else:
        if indicator.INPUT == TRADE_BAR and selector is None and getattr(consolidator, "input_kind", None) == QUOTE:
            raise ValueError(f"Type mismatch found between consolidator and indicator for symbol: {symbol}."
                             f"Consolidator outputs type QuoteBar but indicator expects input type TradeBar")

        def update(sender: Any, bar: Any) -> None:
            indicator._update(selector(bar) if selector is not None else bar)
    event = consolidated_event(consolidator)
    event += phased(INDICATORS, update)  # the profiler's indicator-update phase; `update` itself otherwise


def initialize_indicator(algorithm: Any, symbol: Any, indicator: IndicatorBase, resolution: Any,
                          selector: Callable[[Any], Any] | None) -> Any:
    symbol = symbol_for(algorithm, symbol)
    # quote-side Field selectors make the helper consolidate quote bars
    quote = indicator.INPUT == POINT and selector is not None and selector in QUOTE_FIELDS
    consolidator = algorithm.resolve_consolidator(symbol, resolution, QUOTE if quote else None)
    _register(algorithm, symbol, indicator, consolidator, selector)
    if getattr(algorithm.settings, "automatic_indicator_warm_up", False):
        algorithm.warm_up_indicator(symbol, indicator, resolution, selector)
    return indicator


def _warm_up_consolidated(algorithm: Any, symbol: Symbol, indicator: IndicatorBase, span: timedelta, periods: int,
                          selector: Callable[[Any], Any] | None) -> None:
    resolution = _higher_resolution(span)
    step = resolution_span(resolution)
    if step:
        periods *= span // step
    consolidator = _create_consolidator(algorithm, symbol, None, None, span, None)
    event = consolidated_event(consolidator)
    event += lambda sender, bar: push_to_indicator(indicator, bar, selector)
    bind = getattr(consolidator, "_bind_exchange_hours", None)
    if bind is not None:
        bind(ctx_of(algorithm).hours)
    _count_warm_up_quotes(algorithm, symbol, periods, resolution)  # type: ignore[attr-defined]
    for bar in history_bars_for(algorithm, symbol, periods, resolution):
        consolidator.update(bar)
    if consolidator.working_data is not None:
        consolidator.scan(algorithm.time)


def push_to_indicator(indicator: IndicatorBase, bar: Any, selector: Callable[[Any], Any] | None) -> None:
    if indicator.INPUT == POINT:
        value = dec(selector(bar)) if selector is not None else data_value(bar)
        indicator._update(IndicatorDataPoint(bar.symbol, bar.end_time, value))
    else:
        indicator._update(selector(bar) if selector is not None else bar)


def history_bars_for(algorithm: Any, symbol: Symbol, periods: int, resolution: Resolution) -> list[TradeBar]:
    """The last `periods` trade bars before now, from the history provider (counted as history points)."""
    ctx = ctx_of(algorithm)
    config = ctx.history_config(symbol, resolution)
    bars = ctx.history_provider.bars(config, ctx.cursor.time, count=int(periods) or 1)
    ctx.history_provider.count_request([(config, bars)])
    if not bars:
        return []
    hours, span = ctx.hours, resolution_span(resolution)
    result = []
    for end_ms, open_, high, low, close, volume in zip(bars["time"].tolist(), bars["open"].tolist(),
                                                       bars["high"].tolist(), bars["low"].tolist(),
                                                       bars["close"].tolist(), bars["volume"].tolist()):
        end = ms_to_local(end_ms)
        start = hours.market_open(end.date()) if resolution == Resolution.DAILY else end - span
        result.append(TradeBar(start or end - span, symbol, open_, high, low, close, volume, end_time=end))
    return result


def _indicator_name(algorithm: Any, symbol: Any, type: str, resolution: Any) -> str:
    res = resolution if isinstance(resolution, Resolution) else None
    return algorithm.create_indicator_name(symbol_for(algorithm, symbol), type, res)


def _count_warm_up_quotes(algorithm: Any, symbol: Any, periods: int, resolution: Resolution) -> None:
    """Lean's warm-up history asks for every data type the symbol subscribes: its quote bars count as
    history data points too (the indicator is fed the trade bars)."""
    ctx = ctx_of(algorithm)
    if resolution in (Resolution.HOUR, Resolution.DAILY):
        return  # Lean's hour and daily equity files hold trades only: its quote request reads nothing
    if not any(c.symbol == symbol and c.kind == "quote" and not c.is_internal for c in ctx.feed.configs):
        return
    config = dataclasses.replace(ctx.history_config(symbol, resolution), kind="quote")
    bars = ctx.history_provider.bars(config, ctx.cursor.time, count=int(periods) or 1)
    ctx.history_provider.data_point_count += len(bars["time"]) if bars else 0
