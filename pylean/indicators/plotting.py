"""User charts: QCAlgorithm.Plot / PlotIndicator (Algorithm/QCAlgorithm.Plotting.cs, Common/BaseSeries.cs)."""
from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal
from typing import Any

from pylean.data.market_data import TradeBar
from pylean.indicators.base import IndicatorBase, IndicatorDataPoint
from pylean.results.charts import CandleSeries, Chart, Series
from pylean.statistics.dotnet import safe_decimal_cast, smart_round

DEFAULT_CHART = "Strategy Equity"
RESERVED = {"Strategy Equity": ("Equity", "Return"), "Capacity": ("Strategy Capacity",),
            "Drawdown": ("Equity Drawdown",), "Benchmark": ("Benchmark",), "Assets Sales Volume": (),
            "Exposure": (), "Portfolio Margin": (), "Portfolio Turnover": ("Portfolio Turnover",)}


def plot_value(value: Any) -> Decimal:
    """The decimal Lean plots: Plot(double) goes through SafeDecimalCast, Plot(int) is exact."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, IndicatorBase):
        return value.current._value
    if isinstance(value, IndicatorDataPoint):
        return value._value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        inner = getattr(value, "value", None)
        if inner is None:
            raise ValueError(f"QCAlgorithm.Plot(): The last argument should be a QuantConnect Indicator object, "
                             f"{type(value).__name__} was provided.")
        return plot_value(inner)
    if isinstance(value, int):
        return Decimal(value)
    return safe_decimal_cast(float(value)) if math.isfinite(value) else safe_decimal_cast(value)


def _series(charts: dict[str, Chart], chart_name: str, series_name: str, candle: bool = False) -> Any:
    reserved = RESERVED.get(chart_name)
    if reserved is not None:
        if not reserved:
            raise ValueError(f"'{chart_name}' is a reserved chart name.")
        if series_name in reserved:
            raise ValueError(f"'{series_name}' is a reserved series name for chart '{chart_name}'.")
    chart = charts.get(chart_name)
    if chart is None:
        chart = charts[chart_name] = Chart(chart_name)
    series = chart.series.get(series_name)
    if series is None:
        series = chart.add_series(CandleSeries(series_name) if candle else Series(series_name))
    return series


def add_point(charts: dict[str, Chart], chart_name: str, series_name: str, when: datetime, value: Decimal) -> None:
    series = _series(charts, chart_name, series_name)
    points = series.points
    if points and points[-1][0] == when:
        points[-1] = (when, smart_round(value))  # a second point at the same time overwrites the first
    else:
        points.append((when, smart_round(value)))


def add_candle(charts: dict[str, Chart], chart_name: str, series_name: str, when: datetime,
               ohlc: tuple[Decimal, Decimal, Decimal, Decimal]) -> None:
    series = _series(charts, chart_name, series_name, candle=True)
    point = (when, *(smart_round(v) for v in ohlc))
    if series.points and series.points[-1][0] == when:
        series.points[-1] = point
    else:
        series.points.append(point)


def plot(charts: dict[str, Chart], when: datetime, args: tuple[Any, ...]) -> None:
    """Every Python overload of QCAlgorithm.Plot."""
    if len(args) >= 2 and all(isinstance(a, IndicatorBase) or a is None for a in args[1:]):
        for indicator in args[1:]:  # Plot(chart, *indicators): one series per indicator name
            if indicator is not None:
                add_point(charts, args[0], indicator.name, when, indicator.current._value)
        return
    if len(args) == 2:
        series, value = args
        if isinstance(value, TradeBar):
            add_candle(charts, DEFAULT_CHART, series, when, _ohlc(value))
        else:
            add_point(charts, DEFAULT_CHART, series, when, plot_value(value))
    elif len(args) == 3:
        chart, series, value = args
        if isinstance(value, TradeBar):
            add_candle(charts, chart, series, when, _ohlc(value))
        else:
            add_point(charts, chart, series, when, plot_value(value))
    elif len(args) == 5:
        add_candle(charts, DEFAULT_CHART, args[0], when, tuple(plot_value(v) for v in args[1:]))  # type: ignore[arg-type]
    elif len(args) == 6:
        add_candle(charts, args[0], args[1], when, tuple(plot_value(v) for v in args[2:]))  # type: ignore[arg-type]
    else:
        raise TypeError(f"plot() takes a series and a value, a chart, series and value, or a chart and indicators; "
                        f"got {len(args)} arguments")


def _ohlc(bar: TradeBar) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    return (plot_value(bar.open), plot_value(bar.high), plot_value(bar.low), plot_value(bar.close))
