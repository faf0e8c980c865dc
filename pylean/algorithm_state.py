"""pylean's own per-algorithm state, kept outside the algorithm object.

In Lean the engine's members are C# privates that Python never sees, so a user's QCAlgorithm subclass may
use any attribute name (`self._symbol`, `self._ctx`, ...). pylean therefore keeps what it needs in a table
keyed by the algorithm's identity, and its helpers are module functions: no attribute a user sets, on the
instance or its class, can change what the engine does. No `__getattr__`/`__setattr__` hook is involved, so
the user's own attributes cost what plain Python attributes cost.
"""
from __future__ import annotations

import weakref
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from pylean.symbols import Symbol, symbol_of

__all__ = ["AlgorithmState", "state_of", "ctx_of", "symbol_for"]


class AlgorithmState:
    """What QCAlgorithm's methods read and the launcher attaches: the run's components and the set-up values."""

    __slots__ = ("ctx", "start_date", "end_date", "warm_up", "initial_cash", "name", "object_store", "framework")

    def __init__(self, name: str) -> None:
        self.ctx: Any = None  # the run's components, attached by the launcher before initialize
        self.start_date = datetime(1998, 1, 1)
        self.end_date = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
        self.warm_up: tuple[Any, Any] | None = None
        self.initial_cash = Decimal(100000)
        self.name = name
        self.object_store: Any = None  # made on first use
        self.framework: Any = None     # the algorithm framework's models (algorithm_framework.py), on first use


_STATES: dict[int, AlgorithmState] = {}
# where a finished run's state lives: on the algorithm itself (see release)
_RELEASED_STATE = "_pylean_released_algorithm_state"


def state_of(algorithm: Any) -> AlgorithmState:
    """The algorithm's state, made on first use (a subclass `__init__` need not call the base's)."""
    state = _STATES.get(id(algorithm)) or _released(algorithm)
    if state is None:
        state = _STATES[id(algorithm)] = AlgorithmState(type(algorithm).__name__)
        weakref.finalize(algorithm, _STATES.pop, id(algorithm), None)  # the id may be reused once it is gone
    return state


def ctx_of(algorithm: Any, _states: dict[int, AlgorithmState] = _STATES) -> Any:
    """The run's components (None before the launcher attaches them). Read per order and per `self.time`:
    the table is bound as a default argument, a local, not a global lookup."""
    try:
        return _states[id(algorithm)].ctx
    except KeyError:
        state = _released(algorithm)
        return state.ctx if state is not None else None


def release(algorithm: Any) -> None:
    """After its run, the algorithm keeps its state itself instead of the table. The run's components refer
    back to the algorithm (handlers, listeners), so as long as the table held them the algorithm and its whole
    run stayed alive for the life of the process (every in-process backtest of a test suite or a notebook);
    now they are freed together when the caller lets go of the algorithm. Nothing reads the attribute while
    the engine runs."""
    try:
        attributes = vars(algorithm)
    except TypeError:  # no instance dict: the table keeps it
        return
    state = _STATES.pop(id(algorithm), None)
    if state is not None:
        attributes[_RELEASED_STATE] = state


def _released(algorithm: Any) -> AlgorithmState | None:
    attributes = getattr(algorithm, "__dict__", None)
    return attributes.get(_RELEASED_STATE) if attributes is not None else None


def symbol_for(algorithm: Any, key: Any) -> Symbol:
    """The Symbol a ticker string, Symbol or security names, among the algorithm's securities (Lean's implicit
    string-to-Symbol conversion)."""
    return symbol_of(key, ctx_of(algorithm).securities)
