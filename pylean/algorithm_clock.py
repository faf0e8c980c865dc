"""Step time and algorithm time (ours; Lean's nearest is the PerformanceTrackingTool's time-slice figures).

The definitions the engine metrics and the profiler share:

* step time: the wall time of one iteration of the time loop (`Engine._run_block`), engine and algorithm
  together, from the end of the previous step (the day's start for its first) to its end (Lean's steps 1..19;
  one clock reading per step boundary: on_data's end reading when only the loop's checks follow on_data).
* algorithm time: the part of a step spent inside the project's own code: on_data, on_order_event and the
  other event handlers, consolidator and indicator event handlers the project subscribed, scheduled-event
  callbacks, indicator selectors and composers, and the methods a project's subclass of a pylean model
  overrides (e.g. a FillModel's market_fill). Whatever that code calls, pylean's API included, counts too.
  Nested entries (on_data -> cancel -> on_order_event) count once: only the outermost is timed.

"The project's own code" is a callable whose code object lives outside the pylean package (bound methods,
functions, lambdas, partials and callable objects are looked through to their code). Handlers are wrapped
once, when they are registered and only while a clock records: with no clock nothing is wrapped, so an
unrecorded run calls the user's callables directly and pays nothing.
"""
from __future__ import annotations

import contextlib
import functools
import os
import time
from types import CodeType, FunctionType
from typing import Any, Callable, Iterable, Iterator

_PYLEAN_DIRS = tuple({os.path.dirname(os.path.abspath(__file__)) + os.sep,
                      os.path.dirname(os.path.realpath(__file__)) + os.sep})


def is_user_code(fn: Any) -> bool:
    """True when `fn` runs code written outside pylean (the project's, or a library it brought)."""
    code = _code_of(fn)
    return code is not None and not code.co_filename.startswith(_PYLEAN_DIRS)


def _code_of(fn: Any) -> CodeType | None:
    for _ in range(8):  # partial(bound method of a callable object ...): a few layers at most
        if isinstance(fn, functools.partial):
            fn = fn.func
        elif hasattr(fn, "__func__"):           # bound method, classmethod, staticmethod
            fn = fn.__func__
        elif isinstance(getattr(fn, "__code__", None), CodeType):
            return fn.__code__
        elif isinstance(getattr(type(fn), "__call__", None), FunctionType):
            fn = type(fn).__call__              # a callable object of a Python class
        else:
            return None                         # a builtin: no Python code of anyone's
    return None


class AlgorithmClock:
    """Adds up the algorithm time of the current step; the engine reads and zeroes `step_ns` per step.

    `depth` is how many timed user entries are open: only an entry made at depth 0 reads the clock, so time
    spent in a user callback that user code triggered through the engine is counted once.
    """

    __slots__ = ("depth", "step_ns")

    def __init__(self) -> None:
        self.depth = 0
        self.step_ns = 0

    def timed(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """`fn` with its time added to `step_ns` (a pair of perf_counter_ns per outermost call)."""
        clock = time.perf_counter_ns

        def timed_call(*args: Any, **kwargs: Any) -> Any:
            if self.depth:
                self.depth += 1
                try:
                    return fn(*args, **kwargs)
                finally:
                    self.depth -= 1
            self.depth = 1
            started = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                self.step_ns += clock() - started
                self.depth = 0

        functools.update_wrapper(timed_call, fn)  # name and signature (inspect follows __wrapped__)
        timed_call.timed_callable = fn  # type: ignore[attr-defined]  # what `-=` on an Event compares
        return timed_call

    def timed_if_user(self, callback: Any, call: Any = None) -> Any:
        """`call` (default: `callback`) timed when `callback` is the project's code, else unchanged.

        `call` is for adapters pylean builds around a user callback (a lambda fixing the arguments):
        the adapter runs the user's code, but only the callback itself tells whose code it is."""
        call = callback if call is None else call
        return self.timed(call) if is_user_code(callback) else call


def registered_callable(handler: Any) -> Any:
    """The callable the user registered, behind a timing wrapper if there is one."""
    return getattr(handler, "timed_callable", handler)


# ----------------------------------------------------------------------------- the recording run
# Events and schedules are registered by objects the user builds without the runtime in reach
# (`TradeBarConsolidator(...).data_consolidated += handler`): they find the recording clock here.
_recording: AlgorithmClock | None = None


@contextlib.contextmanager
def recording(clock: AlgorithmClock | None) -> Iterator[None]:
    """Callbacks registered inside this block are timed by `clock` (nothing changes when it is None)."""
    global _recording
    saved, _recording = _recording, clock
    try:
        yield
    finally:
        _recording = saved


def timed_if_user(callback: Any, call: Any = None) -> Any:
    """At registration: the recording clock's `timed_if_user`, or `call`/`callback` unchanged when none records."""
    clock = _recording
    if clock is None:
        return callback if call is None else call
    return clock.timed_if_user(callback, call)


@contextlib.contextmanager
def timed_overrides(clock: AlgorithmClock | None, bases: Iterable[type]) -> Iterator[None]:
    """Time the methods the project's subclasses of `bases` override (a user FillModel's market_fill...)
    for the length of the block, then put the originals back.

    Model classes are found when the run starts rather than when a model is assigned: users set them as
    plain attributes (`security.fill_model = ...`), which have no hook, and a class outlives one run."""
    replaced: list[tuple[type, str, Any]] = []
    if clock is not None:
        for cls in _subclasses_of(bases):
            for name, value in list(vars(cls).items()):
                if not _overrides_engine_api(cls, name, value):
                    continue
                replaced.append((cls, name, value))
                kind = type(value)
                setattr(cls, name, kind(clock.timed(value.__func__)) if kind in (staticmethod, classmethod)
                        else clock.timed(value))
    try:
        yield
    finally:
        for cls, name, value in reversed(replaced):
            setattr(cls, name, value)


def _subclasses_of(bases: Iterable[type]) -> list[type]:
    found: dict[type, None] = {}
    todo: list[type] = list(bases)
    while todo:
        cls = todo.pop()
        subclasses: list[type] = type.__subclasses__(cls)
        for sub in subclasses:
            if sub not in found:
                found[sub] = None
                todo.append(sub)
    return list(found)


def _overrides_engine_api(cls: type, name: str, value: Any) -> bool:
    """A public method of the project's code whose name a pylean base defines: what the engine calls."""
    if name.startswith("_") or not isinstance(value, (FunctionType, staticmethod, classmethod)):
        return False
    return is_user_code(value) and any(name in vars(base) for base in cls.__mro__[1:]
                                       if base.__module__.partition(".")[0] == "pylean")
