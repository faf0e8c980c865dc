"""PythonIndicator (Indicators/PythonIndicator.cs): an indicator written in Python. The subclass's
`update(input)` computes and returns readiness; `self.value` is the indicator's value; `warm_up_period`
is optional (0: warm_up_indicator skips it). Registered objects that do not inherit are wrapped the same
way, and keep their own `is_ready` and `samples`."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pylean.indicators.base import ANY_DATA, IndicatorBase
from pylean.indicators.numbers import dec
from pylean.naming import lean_api


@lean_api
class PythonIndicator(IndicatorBase):
    """The engine updates it through IndicatorBase (samples, current, updated); the Python `update` computes."""

    INPUT = ANY_DATA
    warm_up_period = 0

    def __init__(self, *args: Any) -> None:
        IndicatorBase.__init__(self, args[0] if args and isinstance(args[0], str) else None)
        self._python_ready = False
        self.value = 0

    @property
    def is_ready(self) -> bool:
        return self._python_ready

    @is_ready.setter
    def is_ready(self, value: bool) -> None:
        self._python_ready = bool(value)

    def update(self, *args: Any) -> bool:  # what a subclass overrides; calling it directly feeds IndicatorBase
        return IndicatorBase.update(self, *args)

    def _compute(self, data: Any) -> Decimal:
        compute = type(self).update
        ready = IndicatorBase.update(self, data) if compute is PythonIndicator.update else compute(self, data)
        if ready is not None:
            self._python_ready = bool(ready)
        return dec(self.value)

    def reset(self) -> None:
        IndicatorBase.reset(self)
        self._python_ready = False


class _WrappedIndicator(IndicatorBase):
    """A registered object that does not inherit from an indicator: fed through its own `update`."""

    INPUT = ANY_DATA

    def __init__(self, target: Any) -> None:
        IndicatorBase.__init__(self, str(getattr(target, "name", type(target).__name__)))
        self.target = target

    @property
    def is_ready(self) -> bool:
        return bool(getattr(self.target, "is_ready", False))

    @property
    def warm_up_period(self) -> int:
        return int(getattr(self.target, "warm_up_period", 0) or 0)

    def _compute(self, data: Any) -> Decimal:
        self.target.update(data)
        return dec(getattr(self.target, "value", 0))

    def reset(self) -> None:
        IndicatorBase.reset(self)
        reset = getattr(self.target, "reset", None)
        if callable(reset):
            reset()


_WRAPPERS: dict[int, _WrappedIndicator] = {}


def as_indicator(indicator: Any) -> Any:
    """The indicator itself, or the one wrapper of a plain Python object (WrapPythonIndicator)."""
    if isinstance(indicator, IndicatorBase):
        return indicator
    wrapper = _WRAPPERS.get(id(indicator))
    if wrapper is None or wrapper.target is not indicator:
        wrapper = _WRAPPERS[id(indicator)] = _WrappedIndicator(indicator)
    return wrapper
