"""Slice, TradeBars and QuoteBars (Common/Data/Slice.cs, Common/Data/Market/DataDictionary.cs).

A Slice is a view on one step of a DayBlock: the bar objects are built only when the algorithm
asks for them, and then kept for the rest of the step.
"""
from __future__ import annotations

import sys
from datetime import datetime, timedelta
from sys import getrefcount
from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

from pylean.data.corporate_events import Dividend, Split
from pylean.data.delisting import Delisting
from pylean.data.market_data import Bar, QuoteBar, TradeBar
from pylean.data.symbol_changes import SymbolChangedEvent
from pylean.dotnet.collections_generic import KeyValuePair
from pylean.naming import lean_api
from pylean.symbols import Symbol

if TYPE_CHECKING:
    from pylean.data.feed import ConfigDay, DayBlock
    from pylean.data.subscription import SubscriptionDataConfig


_MISSING = object()
_dict_contains = dict.__contains__  # bound once: algorithms ask contains_key per symbol per step


@lean_api
class DataDictionary(dict):
    """Symbol-keyed dict that also accepts ticker strings, as Lean's DataDictionary does."""

    __slots__ = ()  # no instance __dict__, so no PascalCase read fallback slowing every lookup

    def _key(self, key: Any) -> Any:
        if isinstance(key, str):
            upper = key.upper()
            for symbol in self.keys():
                if symbol.value == upper:
                    return symbol
        return key

    # dict's own __getitem__ serves Symbol keys (the usual case) in C; only a miss comes here, for the ticker scan.
    def __missing__(self, key: Any) -> Any:
        symbol = self._key(key) if isinstance(key, str) else key
        if symbol is key:  # not a ticker of ours (dict's lookup would come back here)
            raise KeyError(key)
        return dict.__getitem__(self, symbol)

    def __contains__(self, key: object) -> bool:
        return _dict_contains(self, key) or (isinstance(key, str) and _dict_contains(self, self._key(key)))

    contains_key = __contains__

    def get(self, key: Any, default: Any = None) -> Any:
        found = dict.get(self, key, _MISSING)
        if found is _MISSING:
            return dict.get(self, self._key(key), default) if isinstance(key, str) else default
        return found

    @property
    def count(self) -> int:
        return len(self)

    def __iter__(self) -> Iterator[KeyValuePair]:  # type: ignore[override]
        """Lean's DataDictionary enumerates KeyValuePairs (`for kvp in data.bars: kvp.key`); keys() gives symbols."""
        return (KeyValuePair(key, value) for key, value in dict.items(self))


class TradeBars(DataDictionary):
    __slots__ = ()


class QuoteBars(DataDictionary):
    __slots__ = ()


_ROW_INTS = np.arange(0, 0).astype(object)  # the ints -n .. n-1 as Python objects (n = half its length)
_ROW_INTS_LIMIT = 1 << 17  # n at most: the table then holds ~9 MB; a second-bar day needs n ~ 23,400


def row_list(rows: np.ndarray) -> list[int]:
    """rows.tolist() for row indices or step codes (small ints of either sign; a 2-d array gives a list per
    row), sharing one int object per value instead of allocating one per step: taking references from an
    object array costs less than making the ints (per-step rows and codes are converted for every subscription
    whose bars are built)."""
    global _ROW_INTS
    if len(rows) == 0:
        return []
    half = len(_ROW_INTS) // 2
    reach = max(int(rows.max()) + 1, -int(rows.min()))
    if reach > _ROW_INTS_LIMIT:  # tick-sized days: not worth a table kept for the whole run
        return rows.tolist()  # type: ignore[no-any-return]
    if reach > half:
        half = min(max(2 * reach, 2 * half), _ROW_INTS_LIMIT)  # (room to grow: a day's rows come in chunks)
        _ROW_INTS = np.arange(-half, half).astype(object)
    return _ROW_INTS[rows + half].tolist()  # type: ignore[no-any-return]


NO_ROW = -1  # a step code: the subscription emits nothing at that step


def step_codes(step_rows: np.ndarray, step_ff: np.ndarray) -> np.ndarray:
    """One int per step for a subscription: its row when it emits a real bar, NO_ROW when nothing, and
    -2 - row when it emits a fill-forward copy of row (one list read per bar tells all three apart)."""
    return np.where(step_ff, -2 - step_rows, step_rows)


class _Columns:
    """A ConfigDay's per-step rows and bar fields as Python lists: indexing numpy per bar is slow."""

    __slots__ = ("_arrays", "step_codes", "last_real", "end_ms", "fields", "periods", "period")

    def __init__(self, day: "ConfigDay", kind: str) -> None:
        rows = day.rows
        self._arrays = (day.last_real, rows.end_ms)  # the arrays, not the day: no reference cycle
        self.step_codes = row_list(step_codes(day.step_rows, day.step_ff))
        self.last_real: list[int] | None = None   # the security cache's lists: made when it first reads
        self.end_ms: list[int] | None = None
        names = _TRADE_FIELDS if kind == "trade" else _QUOTE_FIELDS
        shared = _shared_trade_lists(day) if kind == "trade" else None
        # a subscription without any data file has no columns at all (a universe member with no data)
        self.fields = shared or [(rows.prices[n] if n in rows.prices else rows.sizes[n]).tolist()
                                 if n in rows.prices or n in rows.sizes else [] for n in names]
        self.period = uniform_period(rows)
        self.periods = None if self.period is not None else \
            [_period(v) for v in (rows.end_ms - rows.time_ms).tolist()]

    def cache_rows(self) -> list[int]:
        """The security cache's row per step (newest real bar) and the rows' end times, made on its first read:
        an algorithm that never asks a security for its price does not pay for them."""
        last_real, end_ms = self._arrays
        self.end_ms = end_ms.tolist()
        self.last_real = row_list(last_real)
        return self.last_real


_SHARED_SPAN_PER_VALUE = 4  # keys spread wider than this many slots per value converted: left alone
_SCRATCH_LIMIT = 1 << 18  # key spans up to this reuse the scratch tables below (~4.5 MB at most)


class _Scratch:
    """_shared_floats' direct-addressed tables, kept between calls: fresh ones of a second-bar day's span
    (~77,000 slots) cost more to allocate, fill with None, fault in and free than the work done in them.
    The object table is emptied again after each use, so it never keeps a float alive."""

    floats = np.empty(0, dtype=object)
    table = np.empty(0, dtype=np.float64)
    present = np.empty(0, dtype=bool)

    @classmethod
    def of(cls, span: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(floats, table, present) of `span` slots; `present` all False, `floats` all None."""
        if span > _SCRATCH_LIMIT:
            return np.empty(span, dtype=object), np.empty(span, dtype=np.float64), np.zeros(span, dtype=bool)
        if len(cls.table) < span:
            size = min(max(span, 2 * len(cls.table)), _SCRATCH_LIMIT)
            cls.floats, cls.table = np.empty(size, dtype=object), np.empty(size, dtype=np.float64)
            cls.present = np.zeros(size, dtype=bool)
        present = cls.present[:span]
        present[:] = False
        return cls.floats[:span], cls.table[:span], present


def _shared_floats(values: list[np.ndarray], keys: list[np.ndarray]) -> list[list[float]] | None:
    """The float64 columns `values` as Python lists in which elements of equal integer key (the same
    position of `keys`) share one float object, across all the columns, or None when that does not apply.
    Keys are direct-addressed (their range must be narrow), and the sharing is checked bit for bit against
    `values`: every element is exactly the float it stands for. Columns are taken one by one (no stacked
    copies of the day)."""
    size = sum(k.size for k in keys)
    if not size:
        return None
    low = min(int(k.min()) for k in keys if k.size)
    span = max(int(k.max()) for k in keys if k.size) - low + 1
    if span > _SHARED_SPAN_PER_VALUE * size:
        return None
    offsets = [k - low for k in keys]
    floats, table, present = _Scratch.of(span)
    for at, column in zip(offsets, values):
        table[at] = column
        present[at] = True
    for at, column in zip(offsets, values):
        if not np.array_equal(table[at].view(np.int64), column.view(np.int64)):
            return None  # not one float per key: convert as they are
    distinct = np.flatnonzero(present)
    floats[distinct] = table[distinct].astype(object)  # the only float objects made
    lists = [floats[at].tolist() for at in offsets]
    floats[distinct] = None
    return lists


def _shared_trade_lists(day: "ConfigDay") -> list[list[float]] | None:
    """The day's open, high, low, close and volume as Python lists in which equal values share one float
    object, or None (then each column is converted on its own).

    A second-bar day repeats few values (~10 % of prices and ~30 % of volumes are distinct: OHLC of one
    bar often agree, prices move in cents), so most of the ~1 M floats a day's bars would need are never
    made, faulted in or freed. Prices are keyed by their deci-cents over the day's own rows (one factor;
    rows carried from earlier days keep theirs), volumes (whole numbers) by their value."""
    rows = day.rows
    carried = len(day.carry_factors)  # rows carried from earlier days come first
    names = _TRADE_FIELDS[:4]
    if len(rows.time_ms) - carried < 1 or "volume" not in rows.sizes or \
            any(n not in rows.prices or n not in rows.raw for n in names):
        return None
    lists = _shared_floats([rows.prices[n][carried:] for n in names], [rows.raw[n][carried:] for n in names])
    if lists is None:
        return None
    for name, column in zip(names, lists):
        column[:0] = rows.prices[name][:carried].tolist()
    volume = rows.sizes["volume"]
    shared_volume = _shared_floats([volume], [volume.astype(np.int64)]) if np.isfinite(volume).all() else None
    lists.append(shared_volume[0] if shared_volume is not None else volume.tolist())
    return lists


_PERIODS: dict[int, timedelta] = {}


def _period(ms: int) -> timedelta:
    """One timedelta object per length, so a step computes `end - period` once for all its bars."""
    found = _PERIODS.get(ms)
    if found is None:
        found = _PERIODS[ms] = timedelta(milliseconds=ms)
    return found


def uniform_period(rows: Any) -> timedelta | None:
    """The length of every bar of a day's rows when they all have the same one, else None."""
    spans = rows.end_ms - rows.time_ms
    return _period(int(spans[0])) if len(spans) > 0 and bool((spans == spans[0]).all()) else None


_TRADE_FIELDS = ("open", "high", "low", "close", "volume")
TRADE_FIELD_INDEX = {name: i for i, name in enumerate(_TRADE_FIELDS)}
_QUOTE_FIELDS = ("bid_open", "bid_high", "bid_low", "bid_close", "bid_size",
                 "ask_open", "ask_high", "ask_low", "ask_close", "ask_size")


def columns(day: "ConfigDay", kind: str) -> _Columns:
    found = day.columns
    if found is None:
        found = day.columns = _Columns(day, kind)
    return found


def trade_bar_at(config: "SubscriptionDataConfig", day: "ConfigDay", k: int, end: datetime) -> TradeBar | None:
    """The TradeBar `config` emits at step k (ending at `end`), or None. A fill-forward copy keeps the
    OHLC of its source row, gets volume 0 and spans the source's period up to `end`."""
    cols = columns(day, "trade")
    row = cols.step_codes[k]
    if row == NO_ROW:
        return None
    ff = row < 0
    if ff:
        row = -2 - row
    o, h, low, c, v = cols.fields
    period = cols.period if cols.period is not None else cols.periods[row]  # type: ignore[index]
    return new_trade_bar(config.symbol, end - period, end, o[row], h[row], low[row], c[row],
                         0.0 if ff else v[row], ff)


def new_trade_bar(symbol: Symbol, start: datetime, end: datetime, open: float, high: float, low: float,
                  close: float, volume: float, is_fill_forward: bool = False) -> TradeBar:
    """A TradeBar from fields the engine already checked, without the keyword constructor's defaults work
    (the same construction as Slice.bars, which keeps it inline: it runs per data point)."""
    bar = object.__new__(TradeBar)
    bar.symbol = symbol
    bar.time = start
    bar.end_time = end
    bar.open = open
    bar.high = high
    bar.low = low
    bar.close = close
    bar.volume = volume
    bar.is_fill_forward = is_fill_forward
    return bar


def quote_bar_at(config: "SubscriptionDataConfig", day: "ConfigDay", k: int, end: datetime) -> QuoteBar | None:
    cols = columns(day, "quote")
    row = cols.step_codes[k]
    if row == NO_ROW:
        return None
    ff = row < 0
    if ff:
        row = -2 - row
    bo, bh, bl, bc, bs, ao, ah, al, ac, asz = cols.fields
    period = cols.period if cols.period is not None else cols.periods[row]  # type: ignore[index]
    bid = Bar(bo[row], bh[row], bl[row], bc[row]) if bc[row] else None
    ask = Bar(ao[row], ah[row], al[row], ac[row]) if ac[row] else None
    return QuoteBar(end - period, config.symbol, bid, bs[row], ask, asz[row], end_time=end,
                    is_fill_forward=ff)


def _refs_of_a_bar_only_the_plan_holds() -> tuple[int, int]:
    """What Slice.bars reads for a bar that only its plan holds (its one-item list and the plan's template
    dict), measured in Slice.bars' own two forms so it holds on any CPython: getrefcount(bar) of a local,
    and each item's share of `sum(map(getrefcount, template.values()))`."""
    last = [object()]
    template = {0: last[0]}
    bar = template[0]
    one = getrefcount(bar)
    del bar
    return one, sum(map(getrefcount, template.values()))


_ONLY_THE_PLAN_HOLDS_IT, _EACH_ONLY_THE_PLAN_HOLDS = _refs_of_a_bar_only_the_plan_holds()


CHUNK_STEPS = 256  # steps whose bar fields a chunked trade plan converts at a time


class _TradePlan:
    """A block's user trade subscriptions, ready for building every bar of a step: per subscription
    its symbol, per-step codes (step_codes), bar fields and a one-item list holding the bar it made last
    (`entries`), and its bar length or per-row lengths (`spans`, in the same order). `period` is the bar
    length when every subscription of the block has one and the same (the usual case), so a step
    computes its start time once.

    `template` maps each symbol, in subscription order, to the bar in its entry's list (None before the
    first): at a step where every subscription emits, the step's TradeBars is a copy of it, made in C,
    instead of one insertion per bar. None when two subscriptions share a symbol (then a bar would be
    held by the list but not the template, and the reference count would not tell who holds it).

    The entries serve steps `base` <= k < `stop`, at index k - base of their codes. Whole-day entries
    (base 0) are the subscriptions' day columns (row-indexed fields, shared with the security cache and
    consolidators). When no subscription has its day columns yet and the usual case holds, the plan is
    chunked instead (`_chunks`): the entries hold the rows of CHUNK_STEPS steps, converted from the day's
    arrays when a step of the chunk is first asked for (_Chunks.convert). A day's columns, ~20 MB of lists
    and floats for 15 second-bar symbols, do not stay in the CPU's caches while bars are built from them; a
    chunk's just-made lists and floats do: a read-bars day of 15 symbols takes a third less time, its
    conversion included, and a row fill-forwarded over many steps is converted once per chunk. A
    subscription whose day columns someone made (the security cache, consolidators) is served from them from
    the plan's next chunk on, so no more than a chunk of it is converted twice."""

    __slots__ = ("entries", "spans", "period", "template", "all_free", "base", "stop", "_chunks")
    _chunks: "_Chunks | None"

    def __init__(self, block: "DayBlock", configs: list["SubscriptionDataConfig"]) -> None:
        pairs = user_configs(block, configs, "trade")
        days = [day for _, day in pairs]
        periods = [uniform_period(day.rows) for day in days]
        if len(set(periods)) == 1 and None not in periods and any(day.columns is None for day in days) and \
                len({config.symbol for config, _ in pairs}) == len(pairs) and all(map(_has_trade_fields, days)):
            self._arrange([(config.symbol, []) for config, _ in pairs], [(period, None) for period in periods])
            self._chunks = _Chunks(days)
            self.load(0)
            return
        entries, spans = [], []
        for config, day in pairs:
            cols = columns(day, "trade")
            entries.append((config.symbol, cols.step_codes, *cols.fields))
            spans.append((cols.period, cols.periods))
        self._arrange(entries, spans)

    def _arrange(self, entries: list[tuple[Any, ...]], spans: list[tuple[timedelta | None, Any]]) -> None:
        """Take (symbol, step codes, open, high, low, close, volume) and (period, periods) per subscription."""
        self.entries = [(*entry, [None]) for entry in entries]
        self.spans = spans
        periods = {period for period, _ in spans}
        self.period: timedelta | None = periods.pop() if len(periods) == 1 else None
        symbols = [entry[0] for entry in entries]
        self.template: dict[Symbol, Any] | None = dict.fromkeys(symbols) if len(set(symbols)) == len(symbols) \
            else None
        # the sum of the reference counts of the template's bars when nobody but the plan holds any of them:
        # each is at least its share (the plan holds it twice), so the sum tells when all are just that
        self.all_free = _EACH_ONLY_THE_PLAN_HOLDS * len(symbols)
        self.base, self.stop = 0, sys.maxsize  # whole-day entries serve every step
        self._chunks = None

    def load(self, k: int) -> None:
        """Make the entries serve step k: its chunk's, or the day columns for good once every subscription
        has them."""
        chunks = self._chunks
        assert chunks is not None
        lasts = [entry[-1] for entry in self.entries]  # each subscription's last bar stays its own
        if all(day.columns is not None for day in chunks.days):
            self.entries = [(symbol, day.columns.step_codes, *day.columns.fields, last)
                            for (symbol, *_), day, last in zip(self.entries, chunks.days, lasts)]
            self.base, self.stop, self._chunks = 0, sys.maxsize, None
            return
        self.base, self.stop, parts = chunks.convert(k)
        self.entries = [(symbol, *part, last) for (symbol, *_), part, last in zip(self.entries, parts, lasts)]


def _has_trade_fields(day: "ConfigDay") -> bool:
    rows = day.rows
    return all(name in rows.prices for name in _TRADE_FIELDS[:4]) and "volume" in rows.sizes


class _Chunks:
    """A chunked trade plan's source: the block's subscriptions' step codes (subscription x step) and their
    rows' fields, the subscriptions' rows one after another (`firsts`: where each one's rows start), so that
    a chunk takes every subscription's rows in one selection."""

    __slots__ = ("days", "codes", "values", "firsts", "n_steps")

    def __init__(self, days: list["ConfigDay"]) -> None:
        self.days = days
        self.codes = np.stack([step_codes(day.step_rows, day.step_ff) for day in days])
        self.n_steps = self.codes.shape[1]
        sizes = [len(day.rows) for day in days]
        self.firsts = np.cumsum(sizes) - sizes
        self.values = np.empty((len(_TRADE_FIELDS), sum(sizes)))  # open, high, low, close, volume
        for f, name in enumerate(_TRADE_FIELDS):
            np.concatenate([day.rows.prices[name] if f < 4 else day.rows.sizes[name] for day in days],
                           out=self.values[f])

    def convert(self, k: int) -> tuple[int, int, list[tuple[Any, ...]]]:
        """(first step, end step, per subscription (codes, open, high, low, close, volume)) of step k's chunk.
        A subscription whose day columns exist serves from them (its codes are their step codes' slice).
        The others share five field lists holding, subscription after subscription, the rows the chunk's
        steps emit, each run of steps emitting one row (a row and its fill-forward copies) converted once; a
        step's code is its row's index there (-2 - index for a fill-forward copy, NO_ROW for none; a run of
        steps with no bar holds some row, never read)."""
        base = k - k % CHUNK_STEPS
        stop = min(base + CHUNK_STEPS, self.n_steps)
        parts: list[tuple[Any, ...]] = []
        todo = []
        for s, day in enumerate(self.days):
            cols = day.columns
            parts.append((cols.step_codes[base:stop], *cols.fields) if cols is not None else ())
            if cols is None:
                todo.append(s)
        if not todo:
            return base, stop, parts
        every = len(todo) == len(parts)
        codes = self.codes[:, base:stop] if every else self.codes[todo, base:stop]
        real = codes >= 0
        # each step's row among all the subscriptions' rows (NO_ROW: the row before the subscription's first)
        sources = np.where(real, codes, -2 - codes)
        sources += (self.firsts if every else self.firsts[todo])[:, None]
        starts = np.empty(sources.shape, dtype=bool)  # a step emitting another row than the step before
        starts[:, 0] = True
        np.not_equal(sources[:, 1:], sources[:, :-1], out=starts[:, 1:])
        runs = np.cumsum(starts, axis=1)  # per subscription: 1 + the step's run, counted in the chunk
        ends = np.cumsum(runs[:, -1])  # where each subscription's runs end in the lists
        runs += (ends - runs[:, -1] - 1)[:, None]
        chunk_codes = np.where(real, runs, -2 - runs)
        chunk_codes[codes == NO_ROW] = NO_ROW
        fields = self.values[:, sources[starts]].tolist()  # each run's row, subscription after subscription
        for s, sub_codes in zip(todo, row_list(chunk_codes)):
            parts[s] = (sub_codes, *fields)
        return base, stop, parts


def has_trade_plan(block: "DayBlock") -> bool:
    """Whether bars were built from this block (the algorithm or its consolidators read them)."""
    return block.trade_plan is not None


def trade_plan(block: "DayBlock", configs: list["SubscriptionDataConfig"]) -> _TradePlan:
    """The block's trade plan, made once (it turns the day's columns into Python lists). The engine
    makes it while loading the day when bars were read the day before, so that cost is not counted
    inside the first on_data of the day."""
    plan = block.trade_plan
    if plan is None:
        plan = block.trade_plan = _TradePlan(block, configs)
    return plan  # type: ignore[no-any-return]


def shares_trade_bars(block: "DayBlock", configs: list["SubscriptionDataConfig"]) -> bool:
    """Whether consolidators can take their bars from the step's Slice (the very objects on_data then
    sees, built once): every user trade subscription has a consolidator and no symbol has two."""
    trade = user_configs(block, configs, "trade")
    cache = block.user_configs
    unique = cache.get("unique-trade-symbols")  # type: ignore[union-attr]
    if unique is None:
        unique = cache["unique-trade-symbols"] = len({config.symbol for config, _ in trade}) == len(trade)  # type: ignore[index]
    return bool(unique) and all(config.consolidators for config, _ in trade)


def user_configs(block: "DayBlock", configs: list["SubscriptionDataConfig"], kind: str) -> list[tuple[Any, Any]]:
    """The block's user (non-internal) subscriptions of one kind ("trade", "quote" or "any"), in
    subscription order, with their day data; cached on the block."""
    cache = block.user_configs
    if cache is None:
        cache = block.user_configs = {}
    found = cache.get(kind)
    if found is None:
        found = cache[kind] = [(configs[i], day) for i, day in enumerate(block.configs)
                               if not configs[i].is_internal and kind in ("any", configs[i].kind) and day.emitted]
    return found


@lean_api
class Slice:
    """All user-visible data emitted at one time step."""

    __slots__ = ("time", "_block", "_k", "_configs", "_bars", "_quote_bars")

    def __init__(self, time: datetime, block: "DayBlock", k: int, configs: list["SubscriptionDataConfig"]) -> None:
        self.time = time
        self._block = block
        self._k = k
        self._configs = configs
        self._bars: TradeBars | None = None
        self._quote_bars: QuoteBars | None = None

    def _move_to(self, time: datetime, k: int) -> None:
        """Serve step k of the same block instead (a slice nobody kept: Engine._run_block reuses it rather
        than making a new one); its bars are built anew when asked for."""
        self.time = time
        self._k = k
        self._bars = self._quote_bars = None

    def _collect_quote_bars(self) -> QuoteBars:
        out = QuoteBars()
        k, end = self._k, self.time
        for config, day in user_configs(self._block, self._configs, "quote"):
            bar = quote_bar_at(config, day, k, end)
            if bar is not None:
                out[config.symbol] = bar
        return out

    @property
    def bars(self) -> TradeBars:
        """trade_bar_at inlined over a per-block plan, in the property itself (no second frame): this runs
        once per data point for algorithms that read every bar, so every lookup that does not change
        within the day is done once.

        Bars are made with object.__new__ and slot stores: a class call costs ~90 ns more a bar
        (type call + __init__ frame), which is a third of the price of reading every bar.

        A bar nobody holds any more is recycled: when the only reference left to the subscription's bar of
        an earlier step is the plan's own (its Slice, TradeBars, the algorithm, consolidators and windows
        all let go of it), every field is written anew and it serves this step. No code can tell it from
        a new object (TradeBar takes no weak references), and it saves the allocation and the freeing
        (~20 % of a bar's price). A bar still held anywhere stays as it is, and the step gets a new one."""
        out = self._bars
        if out is not None:
            return out
        block = self._block
        plan = block.trade_plan
        if plan is None:
            plan = trade_plan(block, self._configs)
        k, end = self._k, self.time
        period = plan.period
        template = plan.template
        if period is None or template is None:  # bars of different lengths, or a symbol twice
            return self._bars_one_by_one(plan, k, end)
        if not plan.base <= k < plan.stop:
            plan.load(k)
        i = k - plan.base  # the step's index in the entries' codes
        new, bar_class, refs, only_ours = object.__new__, TradeBar, getrefcount, _ONLY_THE_PLAN_HOLDS_IT
        start = end - period  # the usual case: one start for every bar of the step
        every = True  # every subscription emits at this step
        # the usual step: no bar of the last steps is held elsewhere, told by one pass in C for all of them
        free = sum(map(refs, template.values())) == plan.all_free
        for symbol, codes, o, h, low, c, v, last in plan.entries:
            row = codes[i]
            if row == NO_ROW:
                every = False
                continue
            bar = last[0]
            if not free and refs(bar) != only_ours:  # held elsewhere (or the first step's None): a new bar
                bar = last[0] = template[symbol] = new(bar_class)
            bar.symbol = symbol
            bar.time = start
            bar.end_time = end
            if row >= 0:  # a real bar
                bar.volume = v[row]
                bar.is_fill_forward = False
            else:  # a fill-forward copy: the source row's prices, no volume
                row = -2 - row
                bar.volume = 0.0
                bar.is_fill_forward = True
            bar.open = o[row]
            bar.high = h[row]
            bar.low = low[row]
            bar.close = c[row]
        if every:
            out = self._bars = TradeBars(template)
            return out
        out = self._bars = TradeBars()
        for symbol, codes, *_, last in plan.entries:
            if codes[i] != NO_ROW:
                out[symbol] = last[0]
        return out

    def _bars_one_by_one(self, plan: _TradePlan, k: int, end: datetime) -> TradeBars:
        """Slice.bars when the plan has no template (bars of different lengths, or a symbol subscribed twice):
        each bar a new object, inserted on its own in subscription order (a symbol's later subscription wins,
        as in a dict)."""
        out = self._bars = TradeBars()
        for (symbol, codes, o, h, low, c, v, _), (own, periods) in zip(plan.entries, plan.spans):
            row = codes[k]
            if row != NO_ROW:
                ff = row < 0
                if ff:
                    row = -2 - row
                out[symbol] = new_trade_bar(symbol, end - (own if own is not None else periods[row]), end,
                                            o[row], h[row], low[row], c[row], 0.0 if ff else v[row], ff)
        return out

    @property
    def quote_bars(self) -> QuoteBars:
        if self._quote_bars is None:
            self._quote_bars = self._collect_quote_bars()
        return self._quote_bars

    @property
    def ticks(self) -> DataDictionary:
        return DataDictionary()

    @property
    def delistings(self) -> DataDictionary:
        return self._corporate(Delisting)

    @property
    def symbol_changed_events(self) -> DataDictionary:
        return self._corporate(SymbolChangedEvent)

    @property
    def dividends(self) -> DataDictionary:
        return self._corporate(Dividend)

    @property
    def splits(self) -> DataDictionary:
        return self._corporate(Split)

    def _corporate(self, kind: type) -> DataDictionary:
        found = self._block.dividends.get(self._k)  # the step's dividends and splits
        out = DataDictionary()
        for event in found or ():
            if isinstance(event, kind):
                out[event.symbol] = event
        return out

    @property
    def has_data(self) -> bool:
        return bool(self._block.user_data[self._k])

    def _merged(self) -> dict[Symbol, Any]:
        merged: dict[Symbol, Any] = dict(self.quote_bars)
        merged.update(self.bars)  # equities: slice[symbol] is the TradeBar when there is one
        return merged

    def __getitem__(self, key: Any) -> Any:
        bars = self._bars
        if bars is not None:  # an algorithm asking per symbol: a Symbol with a trade bar is a plain dict hit
            found = dict.get(bars, key)
            if found is not None:
                return found
        found = self.bars.get(key)
        if found is None:
            found = self.quote_bars.get(key)
        if found is None and self._block.dividends.get(self._k) and (key in self.dividends or key in self.splits):
            return None  # Lean: only auxiliary data for the symbol, so its SymbolData holds no bar
        if found is None:
            raise KeyError(f"'{key}' wasn't found in the Slice object, likely because there was no-data at this "
                           "moment in time and it wasn't possible to fillforward historical data. Please check "
                           "the data exists before accessing it with data.ContainsKey(\"{key}\")")
        return found

    def get(self, key: Any, default: Any = None) -> Any:
        found = self.bars.get(key)
        return found if found is not None else self.quote_bars.get(key, default)

    def contains_key(self, key: Any) -> bool:
        bars = self._bars
        if bars is not None and dict.__contains__(bars, key):  # the usual hit, without the ticker fallback
            return True
        return key in self.bars or key in self.quote_bars

    __contains__ = contains_key

    def keys(self) -> list[Symbol]:
        return list(self._merged().keys())

    def values(self) -> list[Any]:
        return list(self._merged().values())

    def items(self) -> list[tuple[Symbol, Any]]:
        return list(self._merged().items())

    def __iter__(self) -> Iterator[KeyValuePair]:
        """Lean's Slice enumerates KeyValuePairs (`for kvp in data: kvp.key`); keys() gives the symbols."""
        return (KeyValuePair(symbol, value) for symbol, value in self._merged().items())

    def __len__(self) -> int:
        return len(self._merged())

    @property
    def count(self) -> int:
        return len(self)
