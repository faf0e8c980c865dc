"""Chart, Series and Candlestick series (Common/Charting.cs, Series.cs, CandlestickSeries.cs) for result files."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from pylean.statistics.dotnet import smart_round

SERIES_LINE, SERIES_SCATTER, SERIES_CANDLE, SERIES_BAR = 0, 1, 2, 3
SERIES_TREEMAP = 7
CHART_OVERLAY, CHART_STACKED = 0, 1


@dataclass
class Series:
    name: str
    series_type: int = SERIES_LINE
    unit: str = "$"
    index: int = 0
    points: list[tuple[datetime, Decimal]] = field(default_factory=list)
    always_accept: bool = False

    def add(self, time: datetime, value: Decimal) -> bool:
        """Append a point; like Lean, a point not newer than the last one is dropped."""
        if self.points and not self.always_accept and time <= self.points[-1][0]:
            return False
        self.points.append((time, smart_round(value)))
        return True


@dataclass
class CandleSeries:
    name: str
    unit: str = "$"
    index: int = 0
    points: list[tuple[datetime, Decimal, Decimal, Decimal, Decimal]] = field(default_factory=list)

    def add(self, time: datetime, open_: Decimal, high: Decimal, low: Decimal, close: Decimal) -> bool:
        if self.points and time <= self.points[-1][0]:
            return False
        self.points.append((time, smart_round(open_), smart_round(high), smart_round(low), smart_round(close)))
        return True

    def closes(self) -> list[tuple[datetime, Decimal]]:
        return [(p[0], p[4]) for p in self.points]


@dataclass
class Chart:
    name: str
    series: dict[str, Series | CandleSeries] = field(default_factory=dict)
    chart_type: int = CHART_OVERLAY

    def add_series(self, series: Series | CandleSeries) -> Series | CandleSeries:
        return self.series.setdefault(series.name, series)


class EquityCandle:
    """Open/high/low/close of the portfolio value between two equity samples."""

    __slots__ = ("open", "high", "low", "close")

    def __init__(self) -> None:
        self.open: Decimal | None = None
        self.high = self.low = self.close = Decimal(0)

    def update(self, value: Decimal) -> None:
        if self.open is None:
            self.open = self.high = self.low = self.close = value
            return
        if value > self.high:
            self.high = value
        if value < self.low:
            self.low = value
        self.close = value

    def reset(self) -> None:
        self.open = None
