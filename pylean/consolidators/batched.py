"""Batched identity consolidators: a day's moving averages computed in one pass instead of one call chain per bar.

An IdentityDataConsolidator whose handlers are all point updates (algorithm_indicators._register) of pylean's own
SimpleMovingAverage / ExponentialMovingAverage, each fed by this consolidator alone with nothing subscribed to its
`updated`, does nothing per step anyone can see but move the indicators' `current`. While its subscription's day has
bulk arrays (bulk.py), such a group (the consolidator and its indicators) is detached: each object's class is swapped
for a subclass made for the group, whose `current`, `is_ready` and `samples` (and IndicatorBase's comparisons, float()
and str(), which read `current`) are served from values the group computes from the day's closes with the indicators'
own Decimal operations, in the same order. Any other access to any of them (an attribute, a method, an operator)
first commits: it writes the state step-by-step feeding would have built up to
the step the engine has fed (its windows, sums, counts, last inputs; points handed out by `current` stay the same
objects), puts the classes back, and the consolidator is fed step by step for the rest of the day. A new plan (another
day, a consolidator added or removed) commits too. Bars the consolidator keeps after a commit are built again from the
day's rows: equal to the slice's bars, not the same objects.
"""
from __future__ import annotations

import itertools
import operator
import weakref
from bisect import bisect_left
from decimal import ROUND_HALF_EVEN, Decimal, getcontext
from typing import Any, Callable

import numpy as np

from pylean.consolidators.base import IdentityDataConsolidator, _point_updates
from pylean.data.slice import row_list, trade_bar_at
from pylean.indicators.averages import ExponentialMovingAverage, SimpleMovingAverage, Sum
from pylean.indicators.base import IndicatorBase, IndicatorDataPoint, _format_value, new_point
from pylean.indicators.numbers import ZERO, float_decimal, quotient_doubles, to_double, to_doubles

_new_object = object.__new__

_CHUNK = 256  # values computed ahead of the step read (a commit early in the day computes little) ...
_CHUNK_MAX = 2048  # ... growing with the bars read so far up to this (fewer, longer passes; at most half wasted)


def _ahead(n: int) -> int:
    """How far past the n-th bar to compute."""
    return n + min(max(_CHUNK, n), _CHUNK_MAX)
_NOT_WRAPPED = frozenset(("__init__", "__new__", "__getattribute__", "__setattr__", "__delattr__", "__hash__",
                          "__init_subclass__", "__subclasshook__", "__class_getitem__", "__slots__", "__module__",
                          "__doc__", "__qualname__", "__dict__", "__weakref__", "__annotations__", "__orig_bases__",
                          "__parameters__"))
_SERVED = {"is_ready": "is_ready", "IsReady": "is_ready", "samples": "samples", "Samples": "samples"}
_dunders: dict[type, tuple[str, ...]] = {}


def _dunder_names(cls: type) -> tuple[str, ...]:
    """Special methods the class's own code defines (Python looks them up on the type, past __getattribute__)."""
    names = _dunders.get(cls)
    if names is None:
        found = {name for klass in cls.__mro__ if klass is not object for name, value in vars(klass).items()
                 if name.startswith("__") and name.endswith("__") and name not in _NOT_WRAPPED and callable(value)}
        names = _dunders[cls] = tuple(sorted(found))
    return names


def _committing_class(cls: type, commit: Callable[[Any], None],
                      getattribute: Callable[[Any, str], Any] | None = None,
                      extra: Callable[[Callable[[Any, str], Any]], dict[str, Any]] | None = None) -> type:
    """A subclass of `cls` whose every attribute read, write, delete and special method calls `commit(self)` first
    (which puts the object's class back to `cls`); `getattribute` replaces the read, `extra(getattribute)` adds
    methods."""
    if getattribute is None:
        def getattribute(self: Any, name: str) -> Any:
            commit(self)
            return object.__getattribute__(self, name)

    def __setattr__(self: Any, name: str, value: Any) -> None:
        commit(self)
        object.__setattr__(self, name, value)

    def __delattr__(self: Any, name: str) -> None:
        commit(self)
        object.__delattr__(self, name)

    def wrapped(name: str) -> Callable[..., Any]:
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            commit(self)
            return getattr(self, name)(*args, **kwargs)
        method.__name__ = name
        return method

    namespace: dict[str, Any] = {name: wrapped(name) for name in _dunder_names(cls)}
    if extra is not None:
        namespace.update(extra(getattribute))
    namespace.update(__slots__=(), __getattribute__=getattribute, __setattr__=__setattr__,
                     __delattr__=__delattr__, __hash__=cls.__hash__, __module__=cls.__module__,
                     __qualname__=cls.__qualname__)
    return type(cls.__name__, (cls,), namespace)


def _detached_class(cls: type, group: "Group", member: "_Served | None") -> type:
    """A subclass of `cls` for one detached object of `group`: an indicator's (`member`) `current`, `is_ready`,
    `samples` and operators are served, anything else commits the group first (the object is then of class `cls`
    again) and is looked up as usual."""
    def commit(_: Any) -> None:
        group.commit()

    if member is None:
        return _committing_class(cls, commit)
    feed, prefix, k0, index = group.feed, group.prefix, group.k0, group.index
    points = member.points

    def __getattribute__(self: Any, name: str) -> Any:
        if name == "current" or name == "Current":  # the read of every step: written out
            end = feed.step + 1 if index < feed.pos else feed.step
            n = prefix[end - k0]
            if not n:
                return member.current0
            j = n - 1 - member.first
            if j >= len(points):
                group.compute(member, n)
                j = n - 1 - member.first
            return points[j]
        served = _SERVED.get(name)
        if served is not None:
            return group.serve(member, served)
        group.commit()
        return object.__getattribute__(self, name)

    return _committing_class(cls, commit, __getattribute__, lambda attribute: _served_operators(cls, attribute))


def _served_operators(cls: type, attribute: Callable[[Any, str], Any]) -> dict[str, Callable[..., Any]]:
    """IndicatorBase's comparisons, float() and str() on the served `current` (`if fast > slow:` keeps the group
    detached), each as IndicatorBase computes it; only where the class keeps IndicatorBase's own."""

    def compare(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        def method(self: Any, other: Any) -> Any:
            value = IndicatorBase._other_value(self, other)  # reads only `other`
            return value if value is NotImplemented else op(attribute(self, "current")._value, value)
        return method

    def __eq__(self: Any, other: object) -> Any:
        if isinstance(other, IndicatorBase):
            return self is other
        value = IndicatorBase._other_value(self, other)
        return value if value is NotImplemented else attribute(self, "current")._value == value

    def __ne__(self: Any, other: object) -> Any:
        result = __eq__(self, other)
        return result if result is NotImplemented else not result

    def __float__(self: Any) -> float:
        return attribute(self, "current").value

    def __str__(self: Any) -> str:
        return _format_value(attribute(self, "current")._value)

    served = {"__lt__": compare(operator.lt), "__le__": compare(operator.le), "__gt__": compare(operator.gt),
              "__ge__": compare(operator.ge), "__eq__": __eq__, "__ne__": __ne__, "__float__": __float__,
              "__str__": __str__}
    return {name: method for name, method in served.items()
            if getattr(cls, name) is getattr(IndicatorBase, name) and getattr(cls, "_other_value") is
            IndicatorBase._other_value}


# id of a guarded object -> the detached group it belongs to (weak: a group never committed, the last day's of a
# run, goes with its algorithm)
_guards: "weakref.WeakValueDictionary[int, Group]" = weakref.WeakValueDictionary()
_guard_classes: dict[type, type] = {}


def _commit_guarded(part: Any) -> None:
    group = _guards.get(id(part))
    if group is not None:
        group.commit()
    else:  # its group is gone with everything it fed: nothing to write
        object.__setattr__(part, "__class__", type(part).__mro__[1])


def _guard_class(cls: type) -> type:
    """A subclass of `cls` for an object a detached group's members hand out (a window, an event) that a user may
    hold on to: any access commits the group first (which puts the class back)."""
    guard = _guard_classes.get(cls)
    if guard is None:
        guard = _guard_classes[cls] = _committing_class(cls, _commit_guarded)
    return guard


def _handed_out(consolidator: Any, indicators: list[Any]) -> list[Any]:
    """The objects the group's members hand out that change as they are fed: windows and events."""
    found: dict[int, Any] = {}
    for owner in (consolidator, *indicators):
        for part in (owner._window, getattr(owner, "_base_event", None), getattr(owner, "data_consolidated", None),
                     getattr(owner, "updated", None)):
            if part is not None:
                found[id(part)] = part
    return list(found.values())


class Slot:
    """The group's place among its plan's bulk members (bulk.Member's interface): never due while detached;
    once committed due at every step (fed by the step path) and the plan is made again without it."""

    __slots__ = ("group", "until", "merged_until", "index", "never")

    def __init__(self, group: "Group", index: int, never: int) -> None:
        self.group = group
        self.index = index
        self.never = never
        self.until = never
        self.merged_until = 0

    def flush(self) -> None:
        pass  # a due slot is committed: nothing is deferred

    def horizon(self, k: int) -> int:
        return -1 if self.group.left else self.never


class _SmaSeries:
    """A SimpleMovingAverage's outputs over the group's inputs, as its one-frame `_update` computes them (its Sum
    following its inputs)."""

    __slots__ = ("size", "window", "start", "total", "totals", "outputs", "base", "keep_totals", "scaled0",
                 "day_doubles", "day_misses")

    def __init__(self, sma: SimpleMovingAverage) -> None:
        inputs = sma._inputs
        self.size = inputs._size
        self.window = [point._value for point in reversed(inputs._items)]  # oldest first; grows, `start` moves
        self.start = 0
        self.total = sma._rolling_sum._sum
        self.totals: list[Any] = []  # totals and outputs base, base + 1, ... (trim() drops older ones)
        self.outputs: list[Any] = []
        self.base = 0
        self.keep_totals = (sma._rolling_sum._window._waiting.maxlen or 0) + 1  # what a commit reads back
        # the starting total and window in millionths, when exact: the day's totals are then integers (doubles)
        scaled = [_millionths(value) for value in (self.total, *self.window)]
        exact = [value for value in scaled if value is not None]
        self.scaled0 = exact if len(exact) == len(scaled) else None
        self.day_doubles: np.ndarray | None = None
        self.day_misses: list[int] = []

    def trim(self, n: int, keep: int) -> None:
        """Drop the totals and outputs a read at the n-th output or later cannot reach (a commit reads at most the
        last `keep` outputs and keep_totals totals): the day's Decimals are not all held until its end."""
        cut = n - max(keep, self.keep_totals) - self.base
        if cut >= _CHUNK:
            del self.totals[:cut], self.outputs[:cut]
            self.base += cut

    def doubles(self, start: int, bars: "DayBars") -> list[float]:
        """to_double of outputs[start:]: taken from the day's doubles computed at once from the totals in
        millionths (exact integers while every input has at most six decimals), each quotient's digits by
        integer division; to_double / to_doubles of the Decimals where those do not hold."""
        outputs, base = self.outputs, self.base
        if self.day_doubles is None:
            self.day_doubles, self.day_misses = (self._day_doubles(bars) if self.scaled0 is not None
                                                 and _default_context() else (_NO_DOUBLES, []))
        end = base + len(outputs)
        if len(self.day_doubles) < end:
            return to_doubles(outputs[start - base:])
        doubles = self.day_doubles[start:end].tolist()  # a chunk's floats at a time
        misses = self.day_misses
        for i in misses[bisect_left(misses, start):bisect_left(misses, end)]:
            doubles[i - start] = to_double(outputs[i - base])
        return doubles

    def _day_doubles(self, bars: "DayBars") -> tuple[np.ndarray, list[int]]:
        """The doubles of the outputs over all the day's bars and where quotient_doubles does not hold them (in
        order), or ([], [])."""
        inputs = bars.millionths()
        if inputs is None or self.scaled0 is None:
            return _NO_DOUBLES, []
        total0, *window0 = self.scaled0
        held = len(window0)
        sums = np.cumsum(np.concatenate((np.array([0, *window0], dtype=np.int64), inputs)))  # of the first j items
        at = np.arange(held + 1, len(sums))  # items in after each output
        totals = total0 + (sums[at] - sums[held]) - sums[np.maximum(at - self.size, 0)]
        if not len(totals) or totals.max() >= _EXACT or totals.min() < 0:
            return _NO_DOUBLES, []
        found, ok = quotient_doubles(totals, np.minimum(at, self.size) * _MILLION, 6)
        return found, np.flatnonzero(~ok).tolist()

    def extend(self, values: list[Any], n: int) -> None:
        window, start, total, size = self.window, self.start, self.total, self.size
        totals, outputs = self.totals, self.outputs
        i = self.base + len(outputs)
        while i < n and len(window) - start < size:  # warming up: nothing leaves the window
            value = values[i]
            total = total + value
            window.append(value)
            totals.append(total)
            outputs.append(total / (len(window) - start))
            i += 1
        if i < n:  # full: each input pushes the oldest out, the count stays `size`
            added = values[i:n]
            window.extend(added)
            added_totals = []
            for value, removed in zip(added, window[start:start + len(added)]):
                total = total + value - removed
                added_totals.append(total)
            totals.extend(added_totals)
            divisor = Decimal(size)  # exact; a Decimal divisor spares converting the int per quotient
            outputs.extend([value / divisor for value in added_totals])
            start += len(added)
        self.start, self.total = start, total

    def commit(self, sma: SimpleMovingAverage, n: int, group: "Group", served: dict[int, Any]) -> None:
        """The state n updates would have left (the SMA's and its Sum's)."""
        if not n:
            return
        self.extend(group.values, n)
        symbol, time_of, values = group.symbol, group.time_of, group.values
        inputs = sma._inputs
        points = [new_point(symbol, time_of(i), values[i]) for i in range(max(0, n - inputs._size - 1), n)]
        sma._samples += n
        sma._previous_input[symbol] = points[-1]
        _add_tail(inputs, n, points)
        rolling_sum = sma._rolling_sum
        totals, base = self.totals, self.base
        rolling_sum._sum = totals[n - 1 - base]
        outputs = rolling_sum._window
        waiting = outputs._waiting
        waiting.extend((time_of(i), totals[i - base]) for i in range(max(0, n - (waiting.maxlen or 0)), n))
        outputs._pushed += n
        _commit_outputs(sma, n, group, self.outputs, base, served)


class _EmaSeries:
    """An ExponentialMovingAverage's outputs over the group's inputs (its initial SMA fed while it warms up)."""

    __slots__ = ("samples0", "period", "k", "one_minus_k", "last", "initial", "outputs", "base")

    def __init__(self, ema: ExponentialMovingAverage) -> None:
        self.samples0 = ema._samples
        self.period = ema._period
        self.k, self.one_minus_k = ema._k, ema._one_minus_k
        self.last = ema._window._items[0]._value
        self.initial = _SmaSeries(ema._initial_sma) if self.samples0 < self.period else None
        self.outputs: list[Any] = []  # outputs base, base + 1, ...
        self.base = 0

    def trim(self, n: int, keep: int) -> None:
        """As _SmaSeries.trim (its initial SMA's outputs are read while warming up: never trimmed)."""
        cut = n - keep - self.base
        if cut >= _CHUNK and self.samples0 + self.base + cut >= self.period:
            del self.outputs[:cut]
            self.base += cut

    def extend(self, values: list[Any], n: int) -> None:
        last, k, one_minus_k, period = self.last, self.k, self.one_minus_k, self.period
        outputs = self.outputs
        i = self.base + len(outputs)
        while i < n and self.samples0 + i < period:  # warming up: the initial SMA's output once it is ready
            initial = self.initial
            assert initial is not None
            initial.extend(values, i + 1)
            last = ZERO if self.samples0 + i + 1 < period else initial.outputs[i]
            outputs.append(last)
            i += 1
        for value in values[i:n]:
            last = value * k + last * one_minus_k
            outputs.append(last)
        self.last = last

    def commit(self, ema: ExponentialMovingAverage, n: int, group: "Group", served: dict[int, Any]) -> None:
        if not n:
            return
        self.extend(group.values, n)
        ema._samples += n
        ema._previous_input[group.symbol] = new_point(group.symbol, group.time_of(n - 1), group.values[n - 1])
        if self.initial is not None:
            self.initial.commit(ema._initial_sma, min(n, self.period - self.samples0), group, {})
        _commit_outputs(ema, n, group, self.outputs, self.base, served)


_NO_DOUBLES = np.zeros(0)
_MILLION = 10 ** 6
_EXACT = 2 ** 53  # integers below this are exact doubles
_SCALED_LIMIT = 2 ** 40  # an input's millionths: a day's sum of them stays exact in int64


def _millionths(value: Decimal) -> int | None:
    """value * 10**6 when that is an integer of at most 2**40 (a total or a window item before the batch)."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -6:  # NaN and infinities have a letter
        return None
    scaled = int(value.scaleb(6))
    return scaled if abs(scaled) < _SCALED_LIMIT else None


def _default_context() -> bool:
    """Whether Decimal arithmetic is the default 28 digits, half even (what quotient_doubles reproduces)."""
    context = getcontext()
    return context.prec == 28 and context.rounding == ROUND_HALF_EVEN


def _add_tail(window: Any, n: int, tail: list[Any]) -> None:
    """A RollingWindow after n adds whose last len(tail) items are `tail` (at least the last size + 1 of them, or
    all n): the earlier adds only counted, their items would have left the window."""
    window._samples += n - len(tail)
    for item in tail:
        window.add(item)


def _commit_outputs(indicator: Any, n: int, group: "Group", outputs: list[Any], base: int,
                    served: dict[int, Any]) -> None:
    """The output window after n emits (outputs[j] is the (base + j)-th); the points `current` handed out are the
    window's objects."""
    window = indicator._window
    symbol, time_of = group.symbol, group.time_of
    tail = []
    for i in range(max(0, n - window._size - 1), n):
        point = served.get(i)
        tail.append(point if point is not None else new_point(symbol, time_of(i), outputs[i - base]))
    _add_tail(window, n, tail)


class _Served:
    """One detached indicator: its series, its state before the batch and its output points, each made once with
    its double (served as `current`, and what a commit puts in the output window)."""

    __slots__ = ("indicator", "cls", "series", "current0", "samples0", "ready_samples0", "ready_at", "points",
                 "first", "keep", "doubles")

    def __init__(self, indicator: Any) -> None:
        self.indicator = indicator
        self.cls = type(indicator)
        self.current0 = indicator._window._items[0]
        self.samples0 = indicator._samples
        if self.cls is SimpleMovingAverage:
            self.series: Any = _SmaSeries(indicator)
            self.ready_samples0, self.ready_at = indicator._inputs._samples, indicator._inputs._size
        else:
            self.series = _EmaSeries(indicator)
            self.ready_samples0, self.ready_at = indicator._samples, indicator._period
        self.points: list[Any] = []  # the points of outputs first, first + 1, ...
        self.first = 0
        self.keep = indicator._window._size + 1  # a commit puts at most the last size + 1 points in the window
        self.doubles = False  # whether points are made with their doubles (once a reader is seen reading them)

    def add_points(self, n: int, symbol: Any, bars: "DayBars") -> None:
        """The points of every output computed so far (IndicatorBase._emit's), dropping those a read at the n-th
        output or later cannot reach. Once the last point served had its `value` read, the points come with their
        doubles (one pass over the chunk instead of one conversion per read); a reader of `current._value` or of
        comparisons only pays none."""
        series = self.series
        points, outputs, base = self.points, series.outputs, series.base
        if not self.doubles and points and points[-1]._float is not None:
            self.doubles = True
        start = self.first + len(points)
        drop = min(n - self.keep - self.first, len(points))  # not past the points made (a read may skip ahead)
        if drop >= _CHUNK:
            del points[:drop]
            self.first += drop
        values = outputs[start - base:]
        if not self.doubles:
            doubles: Any = itertools.repeat(None)
        elif self.cls is SimpleMovingAverage:
            doubles = self.series.doubles(start, bars)
        else:
            doubles = to_doubles(values)
        append = points.append
        for time, value, double in zip(bars.times[start:base + len(outputs)], values, doubles):
            point = _new_object(IndicatorDataPoint)  # new_point written out (a call a point costs), with its double
            point.symbol = symbol
            point.time = time
            point._value = value
            point._float = double
            append(point)
        series.trim(n, self.keep)

    def served(self) -> dict[int, Any]:
        first = self.first
        return {first + j: point for j, point in enumerate(self.points)}


class DayBars:
    """A subscription's bars from step k0 to the end of the block as the groups of its plan read them (shared)."""

    __slots__ = ("k0", "step_array", "steps", "prefix", "local_times", "closes", "codes", "rows", "values", "times",
                 "scaled")

    def __init__(self, feed: Any, first: int, local_times: list[Any]) -> None:
        codes = feed.arrays.step_codes
        has_bar = feed.arrays.has_bar
        self.k0 = feed.step
        self.step_array = np.flatnonzero(has_bar[first:]) + first  # the steps with a bar
        # (row_list: shared int objects, not a day's worth of new ones)
        self.steps = row_list(self.step_array)
        # prefix[j]: how many of them come before step k0 + j
        self.prefix = row_list(np.concatenate(([0], np.cumsum(has_bar[self.k0:]))))
        self.local_times = local_times
        self.closes = feed.arrays.close
        self.codes = codes
        self.rows: Any = None  # each bar's row, an array (row_array())
        self.values: list[Any] = []  # each bar's close as the point updates convert it
        self.times: list[Any] = []  # each bar's time (the points' time)
        self.scaled: Any = False  # the closes in millionths (millionths()), None when not exact

    def values_to(self, n: int) -> None:
        """The values of at least the first n bars (a chunk ahead)."""
        values = self.values
        start, end = len(values), _ahead(n)
        values.extend(map(float_decimal, map(self.closes.__getitem__, row_list(self.row_array()[start:end]))))
        self.times.extend(map(self.local_times.__getitem__, self.steps[start:end]))

    def row_array(self) -> np.ndarray:
        """Each bar's row (a fill-forward bar's: the row it copies)."""
        if self.rows is None:
            codes = np.array(self.codes, dtype=np.int64)[self.step_array]
            self.rows = np.where(codes >= 0, codes, -2 - codes)
        return self.rows

    def millionths(self) -> Any:
        """The closes' decimals (float_decimal's: the shortest repr) times 10**6 as int64, or None unless each is
        positive with at most six decimals and below 2**40 millionths. A double x equals that decimal when
        rint(x * 10**6) / 10**6 == x: below 2**40 millionths two numbers of six decimals cannot round to one
        double."""
        if self.scaled is False:
            prices = np.array(self.closes, dtype=np.float64)[self.row_array()]
            scaled = np.rint(prices * 1e6)
            exact = ((scaled / 1e6 == prices) & (prices > 0) & (scaled < _SCALED_LIMIT)).all()
            self.scaled = scaled.astype(np.int64) if exact else None
        return self.scaled


class Group:
    """An identity consolidator and its indicators, detached for the rest of a day's block from step k0 on."""

    __slots__ = ("manager", "feed", "config", "day", "consolidator", "index", "k0", "symbol", "bars", "steps",
                 "prefix", "local_times", "values", "members", "left", "slot", "guarded", "__weakref__")

    def __init__(self, manager: Any, feed: Any, config: Any, day: Any, consolidator: Any, index: int,
                 bars: DayBars, indicators: list[Any]) -> None:
        self.manager = manager
        self.feed = feed
        self.config = config
        self.day = day
        self.consolidator = consolidator
        self.index = index
        self.k0 = feed.step
        self.symbol = config.symbol
        self.bars = bars
        self.steps = bars.steps
        self.prefix = bars.prefix
        self.local_times = bars.local_times
        self.values = bars.values
        self.members = [_Served(indicator) for indicator in indicators]
        self.guarded = [(part, type(part)) for part in _handed_out(consolidator, indicators)]
        self.left = False
        self.slot = Slot(self, index, len(feed.times))

    # ------------------------------------------------------------ serving
    def fed(self) -> int:
        """How many of the day's bars the engine has fed the consolidator (as bulk.Member.flush reasons)."""
        feed = self.feed
        end = feed.step + 1 if self.index < feed.pos else feed.step
        return self.prefix[end - self.k0]

    def time_of(self, i: int) -> Any:
        return self.local_times[self.steps[i]]

    def compute(self, member: _Served, n: int) -> None:
        """The member's outputs and points up to at least the n-th (a chunk ahead)."""
        bars = self.bars
        bars.values_to(n)
        member.series.extend(self.values, min(len(self.values), _ahead(n)))
        member.add_points(n, self.symbol, bars)

    def serve(self, member: _Served, name: str) -> Any:
        n = self.fed()
        if name == "samples":
            return member.samples0 + n
        return member.ready_samples0 + n >= member.ready_at  # is_ready

    # ------------------------------------------------------------ commit
    def commit(self, accessed: bool = True) -> None:
        """Give every object of the group the state step-by-step feeding would have built, and its class back.
        After an access the consolidator is fed step by step for the rest of the day (the reader may hold on)."""
        if self.left:
            return
        self.left = True
        if accessed:
            self.manager._batch_left[id(self.consolidator)] = (self.consolidator, self.day)
        for part, cls in self.guarded:
            object.__setattr__(part, "__class__", cls)
            _guards.pop(id(part), None)
        n = self.fed()
        consolidator = self.consolidator
        object.__setattr__(consolidator, "__class__", IdentityDataConsolidator)
        for member in self.members:
            object.__setattr__(member.indicator, "__class__", member.cls)
        slot = self.slot
        slot.until = -1
        if self.feed.next_k > -1:
            self.feed.next_k = -1
        manager = self.manager
        manager._quiet = None
        if n:
            self.bars.values_to(n)
            for member in self.members:
                member.series.commit(member.indicator, n, self, member.served())
            window = consolidator.window
            config, day, steps, local_times = self.config, self.day, self.steps, self.local_times
            bars = [trade_bar_at(config, day, steps[i], local_times[steps[i]])
                    for i in range(max(0, n - window._size - 1), n)]
            _add_tail(window, n, bars)
            last = bars[-1]
            consolidator.consolidated = last
            consolidator._last = last
            consolidator._last_time = last.end_time


def batchable_indicators(consolidator: Any, symbol: Any, first_time: Any) -> list[Any] | None:
    """The indicators behind an identity consolidator's handlers when the group may be detached, else None."""
    if type(consolidator) is not IdentityDataConsolidator:
        return None
    if consolidator._last is not None and consolidator._last_time >= first_time:
        return None
    updates = _point_updates(consolidator._base_event._handlers)
    if updates is None:
        return None
    indicators = []
    for update in updates:
        indicator = getattr(update, "__self__", None)
        kind = type(indicator)
        if kind not in (SimpleMovingAverage, ExponentialMovingAverage) or update.__func__ is not kind._update:
            return None
        if indicator in indicators or indicator.updated._handlers or indicator.consolidators != {consolidator}:
            return None
        if not _inputs_before(indicator, symbol, first_time):
            return None
        if kind is SimpleMovingAverage:
            if not _plain_sma(indicator):
                return None
        elif indicator._samples < indicator._period and not (type(indicator._initial_sma) is SimpleMovingAverage
                                                              and _plain_sma(indicator._initial_sma)
                                                              and _inputs_before(indicator._initial_sma, symbol,
                                                                                 first_time)):
            return None
        indicators.append(indicator)
    return indicators


def _plain_sma(sma: Any) -> bool:
    rolling_sum = sma._rolling_sum
    return (sma._sum_follows and type(rolling_sum) is Sum and not rolling_sum.updated._handlers
            and not sma.updated._handlers)


def _inputs_before(indicator: Any, symbol: Any, first_time: Any) -> bool:
    """Every input it had is of this symbol and older than the batch's first (none is ignored as out of order)."""
    previous_input = indicator._previous_input
    if not previous_input:
        return True
    if len(previous_input) != 1 or symbol not in previous_input:
        return False
    previous = previous_input[symbol]
    return (previous.time if type(previous) is IndicatorDataPoint else previous.end_time) < first_time


def detach(manager: Any, feed: Any, config: Any, day: Any, consolidator: Any, index: int,
           local_times: list[Any]) -> Slot | None:
    """Detach the consolidator and its indicators for the rest of the block from step `feed.step`; its Slot, or
    None when the group cannot be batched."""
    codes = feed.arrays.step_codes
    k0 = feed.step
    first = next((k for k in range(k0, len(codes)) if codes[k] != -1), None)
    if first is None:
        return None
    indicators = batchable_indicators(consolidator, config.symbol, local_times[first])
    if indicators is None:
        return None
    bars = feed.batch_bars
    if bars is None:
        bars = feed.batch_bars = DayBars(feed, first, local_times)
    group = Group(manager, feed, config, day, consolidator, index, bars, indicators)
    object.__setattr__(consolidator, "__class__", _detached_class(IdentityDataConsolidator, group, None))
    for member in group.members:
        object.__setattr__(member.indicator, "__class__", _detached_class(member.cls, group, member))
    for part, cls in group.guarded:
        _guards[id(part)] = group
        object.__setattr__(part, "__class__", _guard_class(cls))
    return group.slot
