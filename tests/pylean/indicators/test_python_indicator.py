"""PythonIndicator (PythonIndicator.cs): a subclass's update(input) decides readiness and sets `value`; the
engine's updates count samples and set `current`. Objects that do not inherit are wrapped when registered
or warmed up, and keep their own bookkeeping."""
from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

from pylean.algorithm_imports import IndicatorDataPoint, PythonIndicator
from pylean.indicators.python_indicator import as_indicator


class Mean(PythonIndicator):
    def __init__(self, name: str, period: int) -> None:
        super().__init__()
        self.name = name
        self.value = 0
        self._queue: deque = deque(maxlen=period)

    def update(self, input) -> bool:
        self._queue.appendleft(input.value)
        self.value = sum(self._queue) / len(self._queue)
        return len(self._queue) == self._queue.maxlen


class Plain:
    def __init__(self) -> None:
        self.value, self.samples, self.is_ready, self.warm_up_period = 0, 0, False, 2

    def update(self, input) -> bool:
        self.samples += 1
        self.value = input.value * 10
        self.is_ready = self.samples >= 2
        return self.is_ready


def _point(i: int, value: float) -> IndicatorDataPoint:
    return IndicatorDataPoint(datetime(2020, 1, 1) + timedelta(minutes=i), value)


def test_engine_updates_count_samples_and_set_current() -> None:
    mean = Mean("m", 2)
    assert mean.warm_up_period == 0 and mean.name == "m"
    mean._update(_point(0, 2.0))
    assert (mean.samples, mean.is_ready, mean.current.value) == (1, False, 2.0)
    mean._update(_point(1, 4.0))
    assert (mean.samples, mean.is_ready, mean.current.value) == (2, True, 3.0)
    mean.reset()
    assert mean.samples == 0 and not mean.is_ready


def test_plain_objects_are_wrapped_once_and_fed_through_their_update() -> None:
    plain = Plain()
    wrapper = as_indicator(plain)
    assert as_indicator(plain) is wrapper and wrapper.warm_up_period == 2 and as_indicator(wrapper) is wrapper
    wrapper._update(_point(0, 1.5))
    wrapper._update(_point(1, 2.0))
    assert plain.samples == 2 and plain.is_ready and wrapper.is_ready and wrapper.current.value == 20.0
