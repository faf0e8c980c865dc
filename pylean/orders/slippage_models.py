"""Volume-aware slippage models (Common/Orders/Slippage/VolumeShareSlippageModel.cs, MarketImpactSlippageModel.cs).

Both answer get_slippage_approximation(security, order) in Lean's decimals; the fill models add it to (buys)
or take it from (sells) the fill price."""
from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from pylean.consolidators.bars import TradeBarConsolidator
from pylean.data.market_data import QuoteBar, TradeBar
from pylean.enums import OrderDirection, Resolution, SecurityType
from pylean.indicators.base import data_value
from pylean.indicators.numbers import dec, double_to_decimal, to_double
from pylean.indicators.window import RollingWindow
from pylean.naming import lean_api
from pylean.numbers import to_decimal
from pylean.system_random import Random
from pylean.timeutil import ms_to_local
from pylean.algorithm_state import ctx_of

ZERO, ONE = Decimal(0), Decimal(1)
_TICKS_PER_DAY = 864_000_000_000


@lean_api
class VolumeShareSlippageModel:
    """Slippage = min(order / bar volume, limit)^2 x impact of the last price; the limit's share when the bar
    has no volume."""

    def __init__(self, volume_limit: Any = Decimal("0.025"), price_impact: Any = Decimal("0.1")) -> None:
        self._volume_limit = to_decimal(volume_limit)
        self._price_impact = to_decimal(price_impact)

    def get_slippage_approximation(self, asset: Any, order: Any) -> Decimal:
        last = asset.get_last_data()
        if last is None:
            return ZERO
        percent = self._volume_limit * self._volume_limit * self._price_impact
        if isinstance(last, TradeBar):
            volume = dec(last.volume)
        elif isinstance(last, QuoteBar):
            volume = dec(last.last_bid_size if order.direction == OrderDirection.BUY else last.last_ask_size)
        else:
            raise ValueError(f"VolumeShareSlippageModel: unsupported market data type {type(last).__name__}")
        if volume <= 0:
            if asset.type in (SecurityType.CFD, SecurityType.FOREX, SecurityType.CRYPTO):
                return ZERO
        else:
            share = min(abs(order._quantity) / volume, self._volume_limit)
            percent = share * share * self._price_impact
        return percent * data_value(last)


def _variance(samples: list[float]) -> float:
    """MathNet's ArrayStatistics.Variance (sample variance, its one-pass summation order)."""
    if len(samples) <= 1:
        return math.nan
    variance, total = 0.0, samples[0]
    for i in range(1, len(samples)):
        total += samples[i]
        diff = (i + 1) * samples[i] - total
        variance += diff * diff / ((i + 1.0) * i)
    return variance / (len(samples) - 1)


def _days(span: timedelta) -> float:
    """TimeSpan.TotalDays: ticks over ticks per day."""
    ticks = (span.days * 86_400 + span.seconds) * 10_000_000 + span.microseconds * 10
    return ticks / _TICKS_PER_DAY


class _AfterHistoryConsolidator(TradeBarConsolidator):
    """Daily bars of history, then of the feed from after the history's end. Lean's slice of the step that
    made it was built before it existed (a subscription without consolidators has no consolidator update),
    so the step's own bar, already in the history, does not reach it twice."""

    __slots__ = ("history_end",)

    def __init__(self, period: timedelta) -> None:
        TradeBarConsolidator.__init__(self, period)
        self.history_end: datetime | None = None

    def update(self, data: Any) -> None:
        if self.history_end is not None and data.end_time <= self.history_end:
            return
        TradeBarConsolidator.update(self, data)


class _SymbolData:
    """The security's daily closes and volumes: a year of history, then every new day (MarketImpact's SymbolData)."""

    def __init__(self, algorithm: Any, asset: Any, latency: float, impact_time: float) -> None:
        self._prices: RollingWindow[Decimal] = RollingWindow(252)
        self._volumes: RollingWindow[Decimal] = RollingWindow(10)
        self.sigma = 0.0
        self.average_volume = 0.0
        symbol = asset.symbol
        consolidator = _AfterHistoryConsolidator(timedelta(days=1))
        consolidator.data_consolidated += self._on_day
        for bar in _daily_history(algorithm, symbol, algorithm.time - timedelta(days=370), algorithm.time):
            consolidator.update(bar)
        consolidator.history_end = algorithm.time
        # registered after the history (Lean registers first): pylean's scan schedule starts with live data
        algorithm.subscription_manager.add_consolidator(symbol, consolidator)
        day_length = _days(_regular_market_duration(asset.exchange.hours))
        self.execution_time = _days(timedelta(seconds=latency)) / day_length
        self.impact_time = self.execution_time + _days(timedelta(seconds=impact_time)) / day_length

    def _on_day(self, sender: Any, bar: Any) -> None:
        self._prices.add(dec(bar.close))
        self._volumes.add(dec(bar.volume))
        prices = self._prices
        if prices.count < 2:
            return
        changes = [0.0] * (prices.count - 1)
        for i in range(prices.count - 1):
            if prices[i + 1] == 0:
                continue
            changes[i] = to_double((prices[i] - prices[i + 1]) / prices[i + 1])
        self.sigma = math.sqrt(_variance(changes))
        volumes = list(self._volumes)
        self.average_volume = to_double(sum(volumes, ZERO) / len(volumes))


def _regular_market_duration(hours: Any) -> timedelta:
    """The longest regular session of the weekly schedule."""
    longest = timedelta(0)
    for segments in hours._weekly.values():
        total = sum((end - start for start, end, state in segments if state == "market"), timedelta(0))
        longest = max(longest, total)
    return longest


def _daily_history(algorithm: Any, symbol: Any, start: datetime, end: datetime) -> list[TradeBar]:
    """Daily trade bars ending in (start, end], counted as one history request."""
    ctx = ctx_of(algorithm)
    config = ctx.history_config(symbol, Resolution.DAILY)
    bars = ctx.history_provider.bars(config, end, start=start)
    ctx.history_provider.count_request([(config, bars)])
    if not bars:
        return []
    hours = ctx.hours
    result = []
    for end_ms, o, h, low, c, v in zip(bars["time"].tolist(), bars["open"].tolist(), bars["high"].tolist(),
                                       bars["low"].tolist(), bars["close"].tolist(), bars["volume"].tolist()):
        close_time = ms_to_local(end_ms)
        opened = hours.market_open(close_time.date()) or close_time - timedelta(days=1)
        result.append(TradeBar(opened, symbol, o, h, low, c, v, end_time=close_time))
    return result


@lean_api
class MarketImpactSlippageModel:
    """Almgren et al.'s market impact: permanent and temporary impact of the order's share of the average daily
    volume, scaled by the daily volatility, with seeded Gaussian noise; a random part of it slips."""

    def __init__(self, algorithm: Any, non_negative: bool = True, latency: float = 0.075,
                 impact_time: float = 1800.0, alpha: float = 0.891, beta: float = 0.600, gamma: float = 0.314,
                 eta: float = 0.142, delta: float = 0.267, random_seed: int = 50) -> None:
        if latency <= 0:
            raise ValueError("Latency cannot be less than or equal to 0.")
        if impact_time <= 0:
            raise ValueError("impactTime cannot be less than or equal to 0.")
        self._algorithm = algorithm
        self._non_negative = bool(non_negative)
        self._latency, self._impact_time = float(latency), float(impact_time)
        self._alpha, self._beta, self._gamma = float(alpha), float(beta), float(gamma)
        self._eta, self._delta = float(eta), float(delta)
        self._random = Random(random_seed)
        self._symbol_data: _SymbolData | None = None

    def get_slippage_approximation(self, asset: Any, order: Any) -> Decimal:
        if asset.type in (SecurityType.FOREX, SecurityType.CFD):
            raise ValueError(f"Asset of {asset.type} is not supported as MarketImpactSlippageModel requires "
                             "volume data")
        data = self._symbol_data
        if data is None:  # made on the first order: Lean's model serves the security it is first asked about
            data = self._symbol_data = _SymbolData(self._algorithm, asset, self._latency, self._impact_time)
        if data.average_volume == 0.0:
            return ZERO
        nu = to_double(abs(order._quantity)) / data.execution_time / data.average_volume
        liquidity = 1.0  # no company profile (shares outstanding) in pylean's data
        noise = data.sigma * math.sqrt(data.impact_time)
        permanent_shape = self._gamma * math.pow(nu, self._alpha)  # G(nu)
        permanent = data.sigma * data.execution_time * permanent_shape * liquidity + self._gaussian() * noise
        temporary_shape = self._eta * math.pow(nu, self._beta)  # H(nu)
        temporary = data.sigma * temporary_shape + self._gaussian() * noise
        realized = temporary + permanent * 0.5
        return self._slippage_of(realized) * asset.cache.trade_decimal()

    def _slippage_of(self, impact: float) -> Decimal:
        value = impact * self._random.next_double()
        if math.isnan(value) or math.isinf(value):
            raise ValueError("MarketImpactSlippageModel: the impact is not a number")
        slip = min(double_to_decimal(value), ONE)
        return max(ZERO, slip) if self._non_negative else slip

    def _gaussian(self) -> float:
        first = 1 - self._random.next_double()
        second = 1 - self._random.next_double()
        return math.sqrt(-2.0 * math.log(first)) * math.cos(2.0 * math.pi * second)
