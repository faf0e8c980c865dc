"""The indicator alpha models (Lean's C# EmaCross, MACD, RSI and historical returns) in runs of our own on minute
bars: when each emits, in which direction, for how long, and their names."""
from __future__ import annotations

from typing import Any

from orders_support import DAY1, DayBars, MiniData, OrderTestAlgorithm, algo, run

from pylean.algorithm_imports import (EmaCrossAlphaModel, HistoricalReturnsAlphaModel, MacdAlphaModel,
                                      MovingAverageType, Resolution, RsiAlphaModel)


def emitted(data: MiniData, day: DayBars, model: Any) -> list[tuple[str, str, int, Any]]:
    """(time, direction, period in minutes, magnitude) of every insight the model emitted."""
    class AlphaRun(OrderTestAlgorithm):
        def setup(self) -> None:
            self.set_alpha(model)
            self.got: list[tuple[str, str, int, Any]] = []
            self.insights_generated += self.record

        def record(self, algorithm: Any, generated: Any) -> None:
            self.got.extend((self.time.strftime("%H:%M"), str(i.direction), int(i.period.total_seconds() // 60),
                             i.magnitude) for i in generated.insights)

    data.write(day)
    return algo(run(data, AlphaRun)).got


def steps(data: MiniData) -> DayBars:
    """100 until 10:00, 80 until 10:30, 100 until 11:00, then 120."""
    return data.day(DAY1).fill("10:00", "10:30", 80).fill("10:30", "11:00", 100).fill("11:00", "16:00", 120)


def test_model_names_say_their_parameters() -> None:
    assert RsiAlphaModel(3, Resolution.MINUTE).name == "RsiAlphaModel(3,Minute)"
    assert EmaCrossAlphaModel().name == "EmaCrossAlphaModel(12,26,Daily)"
    assert MacdAlphaModel().name == "MacdAlphaModel(12,26,9,Exponential,Daily)"
    assert HistoricalReturnsAlphaModel().name == "HistoricalReturnsAlphaModel(1,Daily)"


def test_rsi_trips_low_then_high(data: MiniData) -> None:
    day = data.day(DAY1)
    for i in range(5):  # five falling minutes from 10:00 send the RSI under 30 ...
        day.set(f"10:{i:02d}", 99 - i, 99 - i, 99 - i, 99 - i)
    day.fill("10:05", "10:30", 95)
    for i in range(10):  # ... rising ones from 10:30 over 70
        day.set(f"10:{30 + i}", 96 + i, 96 + i, 96 + i, 96 + i)
    day.fill("10:40", "16:00", 105)
    assert emitted(data, day, RsiAlphaModel(3, Resolution.MINUTE)) == [("10:01", "Up", 3, None),
                                                                      ("10:31", "Down", 3, None)]


def test_ema_cross_emits_when_the_fast_average_crosses(data: MiniData) -> None:
    got = emitted(data, steps(data), EmaCrossAlphaModel(2, 4, Resolution.MINUTE))
    # from 10:00 the fast one is already under the slow one (no new signal) until the rise at 10:30
    assert [row for row in got if row[0] >= "10:00"] == [("10:31", "Up", 2, None)]


def test_macd_emits_on_a_signal_beyond_one_percent_once_per_direction(data: MiniData) -> None:
    got = emitted(data, steps(data), MacdAlphaModel(2, 4, 2, MovingAverageType.EXPONENTIAL, Resolution.MINUTE))
    # the flat stretch brings the signal back within 1 %, so the rise at 11:00 is a new Up
    assert got == [("10:01", "Down", 2, None), ("10:31", "Up", 2, None), ("11:01", "Up", 2, None)]


def test_historical_returns_emit_the_return_on_each_new_sample(data: MiniData) -> None:
    got = emitted(data, steps(data), HistoricalReturnsAlphaModel(2, Resolution.MINUTE))
    assert got == [("10:01", "Down", 2, -0.2), ("10:02", "Down", 2, -0.2), ("10:31", "Up", 2, 0.25),
                   ("10:32", "Up", 2, 0.25), ("11:01", "Up", 2, 0.2), ("11:02", "Up", 2, 0.2)]
