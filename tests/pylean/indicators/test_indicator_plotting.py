"""QCAlgorithm.Plot overloads and series rules (QCAlgorithm.Plotting.cs, BaseSeries.AddPoint)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from pylean.data.market_data import TradeBar
from pylean.indicators import Identity
from pylean.indicators.plotting import plot
from pylean.results.charts import Chart

T = datetime(2013, 10, 7, 13, 31, tzinfo=timezone.utc)


def test_plot_overloads_and_same_time_overwrite() -> None:
    charts: dict[str, Chart] = {}
    plot(charts, T, ("Custom", "line", 1.5))
    plot(charts, T, ("Custom", "line", 2))            # same time: Lean overwrites the point
    plot(charts, T + timedelta(minutes=1), ("Custom", "line", 0.1 + 0.2))
    plot(charts, T, ("mine", 7))                      # two arguments: the "Strategy Equity" chart
    assert charts["Custom"].series["line"].points == [(T, Decimal(2)), (T + timedelta(minutes=1), Decimal("0.3"))]
    assert charts["Strategy Equity"].series["mine"].points == [(T, Decimal(7))]
    a, b = Identity("a"), Identity("b")
    a.update(T, 3)
    plot(charts, T, ("Indicators", a, b))             # one series per indicator name
    assert charts["Indicators"].series["a"].points == [(T, Decimal(3))]
    assert charts["Indicators"].series["b"].points == [(T, Decimal(0))]
    plot(charts, T, ("Bars", "spy", TradeBar(T, None, 1, 2, 0.5, 1.5, 10)))
    assert charts["Bars"].series["spy"].points == [(T, Decimal(1), Decimal(2), Decimal("0.5"), Decimal("1.5"))]


def test_reserved_names() -> None:
    with pytest.raises(ValueError, match="reserved series name"):
        plot({}, T, ("Strategy Equity", "Equity", 1))
    with pytest.raises(ValueError, match="reserved chart name"):
        plot({}, T, ("Exposure", "x", 1))
