"""IndicatorHistory (Algorithm/QCAlgorithm.Indicators.cs IndicatorHistory, Common/Indicators/IndicatorHistory.cs):
an indicator's values over a history request. Each ready update records one IndicatorDataPoints: `current`
and every sub-indicator's current value by its Python name (`middle_band`, ...)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterator

from pylean.indicators.base import IndicatorBase, IndicatorDataPoint
from pylean.naming import lean_api


def sub_indicators(indicator: Any) -> list[tuple[str, IndicatorBase]]:
    """The public attributes of the indicator that are indicators themselves, in a stable order."""
    found: dict[str, IndicatorBase] = {}
    for klass in type(indicator).__mro__:
        for name in list(getattr(klass, "__slots__", ())) + list(vars(klass)):
            if isinstance(name, str) and not name.startswith("_") and name[0].islower() and name not in found:
                try:
                    value = getattr(indicator, name)
                except Exception:  # noqa: BLE001 - a property that cannot be read now is not a sub-indicator
                    continue
                if isinstance(value, IndicatorBase) and value is not indicator:
                    found[name] = value
    for name, value in vars(indicator).items() if hasattr(indicator, "__dict__") else ():
        if not name.startswith("_") and isinstance(value, IndicatorBase) and name not in found:
            found[name] = value
    return sorted(found.items())


@lean_api
class IndicatorDataPoints:
    """One time of an indicator history: `current` and the sub-indicators' points, by attribute or by key."""

    def __init__(self, time: datetime, end_time: datetime, values: dict[str, IndicatorDataPoint]) -> None:
        self.time, self.end_time = time, end_time
        self._values = values
        self.current = values["current"]
        for name, point in values.items():
            setattr(self, name, point)

    def __getitem__(self, name: str) -> IndicatorDataPoint | None:
        return self._values.get(name)

    def __repr__(self) -> str:
        return f"{self.end_time:%Y%m%d %H:%M:%S} {self.current.value}"


@lean_api
class IndicatorHistory:
    def __init__(self, points: list[IndicatorDataPoints]) -> None:
        self._points = points

    @property
    def count(self) -> int:
        return len(self._points)

    def __len__(self) -> int:
        return len(self._points)

    def __iter__(self) -> Iterator[IndicatorDataPoints]:
        return iter(self._points)

    @property
    def current(self) -> list[IndicatorDataPoint]:
        return [p.current for p in self._points]

    def __getitem__(self, name: str) -> list[IndicatorDataPoint]:
        return [p[name] for p in self._points]  # type: ignore[misc]

    @property
    def data_frame(self) -> Any:
        import pandas as pd
        columns = sorted({name for p in self._points for name in p._values})
        rows = {p.end_time: {c: p._values[c].value for c in columns if c in p._values} for p in self._points}
        return pd.DataFrame.from_dict(rows, orient="index", columns=columns)

    def __repr__(self) -> str:
        return f"IndicatorHistory({len(self._points)} points)"


def record_history(indicator: IndicatorBase, feed: Any) -> IndicatorHistory:
    """Reset the indicator, run `feed()` (which updates it), and keep a point for each ready update."""
    indicator.reset()
    subs = sub_indicators(indicator)
    points: list[IndicatorDataPoints] = []
    last_end: list[Any] = [None]

    def on_updated(_sender: Any, point: IndicatorDataPoint) -> None:
        if not indicator.is_ready or point.end_time == last_end[0]:
            return
        last_end[0] = point.end_time
        values = {name: sub.current for name, sub in subs}
        values["current"] = indicator.current
        points.append(IndicatorDataPoints(point.time, point.end_time, values))

    indicator.updated += on_updated
    try:
        feed()
    finally:
        indicator.updated -= on_updated
    return IndicatorHistory(points)
