"""Day-by-day time slices from all subscriptions (Engine/DataFeeds: FileSystemDataFeed, FillForwardEnumerator,
SubscriptionFilterEnumerator, Synchronizer).

Each trading day is turned into a `DayBlock`: the sorted distinct emit times of every subscription
(real bars inside market hours plus fill-forward bars) and, per subscription, integer arrays saying
which row is emitted at each step and which real row the security cache holds. The engine then
advances an integer cursor; nothing is built per data point unless the algorithm asks for it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from typing import Any

import numpy as np

from pylean.data.corporate_events import Dividend, Split, SplitType, dividend_rows, split_rows
from pylean.data.data_filter import filter_emitted
from pylean.data.delisting import delisting_events, past_delisting
from pylean.data.market_hours import ExchangeHours
from pylean.data.symbol_changes import symbol_changed_events
from pylean.data.subscription import PERIOD_MS, RawDataSource, RawDay, SubscriptionDataConfig
from pylean.enums import Resolution
from pylean.timeutil import day_ms, local_to_ms, utc_offset_ms

_EMPTY_I64 = np.zeros(0, dtype=np.int64)


@dataclass
class ConfigDay:
    """One subscription's rows for a day (carried rows first) and its per-step row indices."""

    rows: RawDay               # carried rows (from earlier days) followed by the day's own rows
    carry_factors: list        # factor of each carried row (they keep the factor of their own date)
    step_rows: np.ndarray      # int32 per step: row emitted at that step, -1 if none
    step_ff: np.ndarray        # bool per step: the emitted row is a fill-forward copy
    last_real: np.ndarray      # int32 per step: newest real (non-FF) row at or before the step, -1 if none
    emitted: int               # data points this config contributes to the day
    columns: Any = None        # Python-list copies for building bar objects, made on first use

    def factor(self, row: int) -> Decimal:
        return self.carry_factors[row] if row < len(self.carry_factors) else self.rows.factor


@dataclass
class DayBlock:
    day: date
    times_ms: np.ndarray      # int64 local-epoch ms of each step
    configs: list[ConfigDay]  # aligned with DataFeed.configs at build time
    points: np.ndarray        # int64 data points per step
    user_data: np.ndarray     # bool per step: the slice has user-visible data (on_data is called)
    utc_offset_ms: int
    dividends: dict[int, list[Dividend]] = field(default_factory=dict)  # step -> dividends delivered then
    user_configs: Any = None  # per kind: [(config, ConfigDay)] of user subscriptions, made on first use
    trade_plan: Any = None    # slice._TradePlan: made when bars are first built (an attribute: read every step)

    @property
    def n_steps(self) -> int:
        return len(self.times_ms)


@dataclass
class _Carry:
    last_any: RawDay | None = None    # newest raw row of any session (fill-forward source)
    last_real: RawDay | None = None   # newest emitted real row (security cache)


@dataclass
class _Emission:
    rows: RawDay
    carry_factors: list
    ends: np.ndarray
    rows_idx: np.ndarray
    ff: np.ndarray
    real_baseline: int       # index of the carried real row, -1 if none
    extra_points: int        # prelude rows drained into the first step beyond the one kept


def _take(raw: RawDay, index: int) -> RawDay:
    """One row as its own small arrays: copies, so a carried row never pins a whole day's cache buffers."""
    index = index % len(raw)
    sl = slice(index, index + 1)
    return RawDay(raw.time_ms[sl].copy(), raw.end_ms[sl].copy(), {k: v[sl].copy() for k, v in raw.prices.items()},
                  {k: v[sl].copy() for k, v in raw.raw.items()}, {k: v[sl].copy() for k, v in raw.sizes.items()},
                  raw.factor)


def _tail(rows: RawDay, start: int) -> RawDay:
    """Rows `start`.. as views (the day's own rows of a day read after its carried rows)."""
    sl = slice(start, None)
    return RawDay(rows.time_ms[sl], rows.end_ms[sl], {k: v[sl] for k, v in rows.prices.items()},
                  {k: v[sl] for k, v in rows.raw.items()}, {k: v[sl] for k, v in rows.sizes.items()}, rows.factor)


def _concat(parts: list[RawDay], factor: Decimal) -> RawDay:
    first = parts[0]
    if len(parts) == 1:  # the day alone: its computed columns are its own; the raw ones may be cache views
        return RawDay(first.time_ms, first.end_ms, dict(first.prices), {k: v.copy() for k, v in first.raw.items()},
                      dict(first.sizes), factor)
    return RawDay(np.concatenate([p.time_ms for p in parts]), np.concatenate([p.end_ms for p in parts]),
                  {k: np.concatenate([p.prices[k] for p in parts]) for k in first.prices},
                  {k: np.concatenate([p.raw[k] for p in parts]) for k in first.raw},
                  {k: np.concatenate([p.sizes[k] for p in parts]) for k in first.sizes}, factor)


def fill_forward_grid(segments: list[tuple[int, int]], period_ms: int) -> np.ndarray:
    """End times of the clock-aligned bars of `period_ms` that overlap the market segments."""
    if not segments:
        return _EMPTY_I64
    grids = []
    for start, end in segments:
        first_start = (start // period_ms) * period_ms
        starts = np.arange(first_start, end, period_ms, dtype=np.int64)
        grids.append(starts[(starts < end) & (starts + period_ms > start)] + period_ms)
    return sorted_unique(np.concatenate(grids))


def _all_the_same_ascending(arrays: list[np.ndarray]) -> bool:
    """Whether there are arrays, all equal, and strictly ascending (then the first is their sorted_unique)."""
    if not arrays:
        return False
    first = arrays[0]
    return all(len(a) == len(first) and np.array_equal(a, first) for a in arrays[1:]) and \
        bool((first[1:] > first[:-1]).all())


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique for int64 arrays made of sorted runs (a sort beats numpy's hash-based unique here)."""
    if not len(values):
        return values
    values = np.sort(values, kind="stable")
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def regular_step(grid: np.ndarray) -> int | None:
    """The spacing of a sorted, unique int64 grid whose points are evenly spaced, else None.
    (Sorted unique points spanning exactly (n - 1) steps of the first gap are all consecutive.)"""
    if len(grid) < 2:
        return None
    step = int(grid[1] - grid[0])
    return step if step > 0 and int(grid[-1] - grid[0]) == (len(grid) - 1) * step else None


def positions_on_grid(grid: np.ndarray, step: int, values: np.ndarray) -> np.ndarray:
    """Index of each value in an evenly spaced grid (-1 when it is not a grid point), by arithmetic."""
    offset = values - grid[0]
    index = offset // step
    # a whole number of steps (a product: cheaper than %), and 0 <= index < n in one unsigned comparison
    on_grid = (index * step == offset) & (index.view(np.uint64) < len(grid))
    return np.where(on_grid, index, -1)


def sorted_isin(values: np.ndarray, sorted_reference: np.ndarray) -> np.ndarray:
    """Membership of `values` in a sorted array, by binary search."""
    if not len(sorted_reference):
        return np.zeros(len(values), dtype=bool)
    pos = np.searchsorted(sorted_reference, values)
    pos[pos == len(sorted_reference)] = 0
    return sorted_reference[pos] == values


def _latest_at_or_before(grid: np.ndarray, step: int, ends: np.ndarray) -> np.ndarray:
    """For each point of an evenly spaced grid, the position of the last of the ascending `ends` at or
    before it (-1 when none): searchsorted(ends, grid, "right") - 1 in linear time."""
    n = len(grid)
    first_at_or_after = np.clip(-((grid[0] - ends) // step), 0, n)  # ceil((end - grid[0]) / step)
    # ends are ascending: how many end at or before grid point i, less one, is the position of the last
    at_or_before = np.cumsum(np.bincount(first_at_or_after, minlength=n + 1)[:n])
    at_or_before -= 1
    return at_or_before


def _fill_forward_in_grid_order(grid: np.ndarray, step: int, at: np.ndarray, rows_idx: np.ndarray,
                                candidates: np.ndarray, candidate_ends: np.ndarray
                                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """DataFeed._fill_forward's result, already in time order, when every real bar ends on the evenly spaced
    grid, at strictly ascending points (`at`: their grid positions) and the candidates' ends ascend: a grid
    point emits its real bar, else a fill-forward copy of the newest candidate ending at or before it, else
    nothing. Those ends are distinct, so this is the order a stable sort of the merged arrays gives."""
    n = len(grid)
    present = np.zeros(n, dtype=bool)
    present[at] = True
    src = _latest_at_or_before(grid, step, candidate_ends)
    if src[0] >= 0:  # (src ascends) a candidate, as a carried row, ends by the first point: every point emits
        source = candidates[src]
        source[at] = rows_idx
        return grid.copy(), source, ~present
    emitted = present | (src >= 0)
    source = candidates[np.maximum(src, 0)]
    source[at] = rows_idx
    return grid[emitted], source[emitted], ~present[emitted]


class DataFeed:
    """Owns the subscriptions and builds a DayBlock per trading day."""

    def __init__(self, source: RawDataSource, exchange_hours: ExchangeHours) -> None:
        self.source = source
        self.hours = exchange_hours
        self.configs: list[SubscriptionDataConfig] = []
        self._carry: list[_Carry] = []
        self._dividends: dict[date, list[tuple[int, Any]]] = {}  # date -> (config, dividend or split warning)
        self._pending_splits: list[tuple[int, Split]] = []  # SplitOccurred after an emitted warning
        self._day_start_carry: tuple[date, list[_Carry]] | None = None   # to rebuild the rest of a day
        self.removed: set[int] = set()
        self.changed = False  # set when a subscription is added or removed mid-run

    def add(self, config: SubscriptionDataConfig) -> int:
        self.configs.append(config)
        self._carry.append(_Carry())
        self.changed = True
        index = len(self.configs) - 1
        if config.kind == "trade" and not config.is_internal and config.factor_file is not None:
            self._add_dividends(index, config)
            self._add_split_warnings(index, config)
            for day, delisting in delisting_events(config, self.hours.is_trading_day):
                self._dividends.setdefault(day, []).append((index, delisting))
            for day, event in symbol_changed_events(config, self.hours.is_trading_day):
                self._dividends.setdefault(day, []).append((index, event))
        return index

    def _add_split_warnings(self, index: int, config: SubscriptionDataConfig) -> None:
        """SplitEventProvider: a Warning on the factor row's own date (the reference price stands in for
        Lean's last raw price); SplitOccurred follows on the next trading day, once the warning was seen."""
        for row in split_rows(config.factor_file):  # type: ignore[arg-type]
            day = row.row_date
            warning = Split(config.symbol, datetime(day.year, day.month, day.day), float(row.reference_price),
                            float(row.split_factor), SplitType.WARNING)
            self._dividends.setdefault(day, []).append((index, warning))

    def _add_dividends(self, index: int, config: SubscriptionDataConfig) -> None:
        """Lean emits a Dividend on the user's trade subscription at midnight of each ex-date."""
        for row in dividend_rows(config.factor_file):  # type: ignore[arg-type]
            ex_date = self.hours.next_market_open(datetime(row.row_date.year, row.row_date.month,
                                                           row.row_date.day, 23, 59)).date()
            dividend = Dividend(config.symbol, datetime(ex_date.year, ex_date.month, ex_date.day),
                                float(row.distribution), float(row.reference_price))
            self._dividends.setdefault(ex_date, []).append((index, dividend))

    def remove(self, index: int) -> None:
        """Stop a subscription: it emits nothing after the current step."""
        self.removed.add(index)
        self.changed = True

    def fill_forward_resolution(self) -> Resolution:
        user = [c.resolution for i, c in enumerate(self.configs) if not c.is_internal and i not in self.removed]
        return min(user) if user else Resolution.MINUTE

    def segments_ms(self, d: date) -> list[tuple[int, int]]:
        return [(local_to_ms(start), local_to_ms(end)) for start, end in self.hours.market_segments(d)]

    def _session_segments(self, config: SubscriptionDataConfig, d: date,
                          regular: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The segments a subscription's bars must overlap and fill forward over: with extended market hours an
        intraday subscription keeps pre- and post-market bars and is filled forward through them too (Lean's
        SubscriptionFilterEnumerator and FillForwardEnumerator take the config's extended-hours flag); daily
        bars always span the regular session."""
        if not config.extended_hours or config.resolution == Resolution.DAILY:
            return regular
        return [(local_to_ms(s.start), local_to_ms(s.end)) for s in self.hours.segments(d)]

    def build_day(self, d: date, *, from_ms: int | None = None, prelude_ms: int | None = None,
                  prelude_days: dict[int, list[date]] | None = None) -> DayBlock | None:
        """Build the steps of trading day `d` (only steps after `from_ms`, when given).

        `prelude_days` maps a config index to earlier days whose market-hours rows are drained into
        one step at `prelude_ms` (Lean delivers internal benchmark bars that end before the
        algorithm start in its first slice).
        """
        segments = self.segments_ms(d)
        if not segments:
            return None
        self._restore_or_snapshot_carry(d, rebuilding=from_ms is not None)
        self._ff_resolution = self.fill_forward_resolution()
        self._grids: dict[tuple[int, int, int], tuple[np.ndarray, int | None]] = {}  # fill-forward (grid, step)
        emissions = [self._emit(index, d, segments, from_ms, prelude_ms, (prelude_days or {}).get(index, []))
                     for index in range(len(self.configs))]
        all_ends = [e.ends for e in emissions if e is not None]
        dividends = self._corporate_events(d) if from_ms is None else []
        if dividends:
            all_ends.append(np.array([day_ms(d)], dtype=np.int64))
        on_every_step = _all_the_same_ascending(all_ends)  # usual with fill-forward: each emits at every step
        times = all_ends[0].copy() if on_every_step else \
            sorted_unique(np.concatenate(all_ends)) if all_ends else _EMPTY_I64
        times_step = regular_step(times)  # every emitted end is one of `times`: on a regular grid, by arithmetic
        n = len(times)
        points = np.zeros(n, dtype=np.int64)
        user_data = np.zeros(n, dtype=bool)
        days: list[ConfigDay] = []
        for index, emission in enumerate(emissions):
            if emission is None:
                days.append(ConfigDay(_EMPTY_DAY, [], np.full(n, -1, np.int32), np.zeros(n, bool),
                                      np.full(n, -1, np.int32), 0))
                continue
            if on_every_step:  # its rows are the steps' rows as they are
                step_rows, step_ff = emission.rows_idx, emission.ff
                last_real = np.where(step_ff, np.int32(emission.real_baseline), step_rows)
            else:
                pos = (emission.ends - times[0]) // times_step if times_step else np.searchsorted(times, emission.ends)
                step_rows = np.full(n, -1, dtype=np.int32)
                step_rows[pos] = emission.rows_idx
                step_ff = np.zeros(n, dtype=bool)
                step_ff[pos] = emission.ff
                last_real = np.full(n, emission.real_baseline, dtype=np.int32)
                real = ~emission.ff
                last_real[pos[real]] = emission.rows_idx[real]
            np.maximum.accumulate(last_real, out=last_real)
            has = step_rows >= 0
            points += has
            if emission.extra_points and len(emission.ends):
                points[0 if on_every_step else pos[0]] += emission.extra_points
            if not self.configs[index].is_internal:
                user_data |= has
            days.append(ConfigDay(emission.rows, emission.carry_factors, step_rows, step_ff, last_real,
                                  len(emission.ends) + emission.extra_points))
        by_step: dict[int, list[Dividend]] = {}
        if dividends:
            step = int(np.searchsorted(times, day_ms(d)))
            by_step[step] = [dividend for _, dividend in dividends]
            points[step] += len(dividends)
            user_data[step] = True
        self.changed = False
        return DayBlock(d, times, days, points, user_data, utc_offset_ms(d), by_step)

    def _corporate_events(self, d: date) -> list[tuple[int, Any]]:
        """The day's dividends and split warnings, after the splits announced on the previous trading day."""
        occurred = [(index, Split(split.symbol, datetime(d.year, d.month, d.day), split.reference_price,
                                  split.split_factor, SplitType.SPLIT_OCCURRED))
                    for index, split in self._pending_splits if index not in self.removed]
        today = [(index, event) for index, event in self._dividends.get(d, []) if index not in self.removed]
        self._pending_splits = [(i, e) for i, e in today if isinstance(e, Split)]
        return occurred + today

    def _restore_or_snapshot_carry(self, d: date, rebuilding: bool) -> None:
        """Carry state is advanced by a build; a rebuild of the same day starts from the day's start state."""
        if rebuilding and self._day_start_carry is not None and self._day_start_carry[0] == d:
            saved = self._day_start_carry[1]
            for index, carry in enumerate(saved):
                self._carry[index] = _Carry(carry.last_any, carry.last_real)
            for index in range(len(saved), len(self._carry)):  # added since the day started
                self._carry[index] = _Carry()
            return
        self._day_start_carry = (d, [_Carry(c.last_any, c.last_real) for c in self._carry])

    def _emit(self, index: int, d: date, segments: list[tuple[int, int]], from_ms: int | None,
              prelude_ms: int | None, prelude_days: list[date]) -> _Emission | None:
        if index in self.removed:
            return None
        config = self.configs[index]
        carry = self._carry[index]
        delisted = past_delisting(config, d)  # nothing more to emit; the carried rows keep the last price
        parts: list[RawDay] = []
        real_baseline = any_carry = prelude_row = -1
        if carry.last_real is not None:
            real_baseline = len(parts)
            parts.append(carry.last_real)
        if carry.last_any is not None:
            any_carry = len(parts)
            parts.append(carry.last_any)
        # the carried rows and the day's read into the same arrays (a prelude, read after the day, goes
        # between them: then they are joined afterwards)
        joined = raw = None
        if not delisted and parts and not prelude_days:
            joined = self.source.read_day(config, d, segments[0][0], segments[-1][1], head=parts)
            raw = _tail(joined, len(parts)) if joined is not None else None
        elif not delisted:
            raw = self.source.read_day(config, d, segments[0][0], segments[-1][1])
        extra_points = 0
        newest_prelude: RawDay | None = None
        for earlier in prelude_days:
            pre = self._market_rows(config, earlier)
            if pre is not None and len(pre[1]):
                newest_prelude = _take(pre[0], int(pre[1][-1]))
                extra_points += len(pre[1])
        if newest_prelude is not None:
            # all earlier rows are counted; only the newest is delivered (it sets the price)
            extra_points -= 1
            prelude_row = len(parts)
            parts.append(newest_prelude)
        carry_factors = [p.factor for p in parts]
        own_offset = len(parts)
        has_raw = raw is not None and len(raw) > 0
        if has_raw:
            parts.append(raw)  # type: ignore[arg-type]
        if not parts:
            return None
        if has_raw and joined is not None:
            rows = joined
        else:
            rows = _concat(parts, raw.factor if has_raw else parts[-1].factor)  # type: ignore[union-attr]
        real_idx = _EMPTY_I64
        session = self._session_segments(config, d, segments)
        if has_raw:
            real_idx = np.flatnonzero(self._market_mask(raw, session)).astype(np.int64) + own_offset  # type: ignore[arg-type]
        ends, rows_idx = rows.end_ms[real_idx], real_idx
        ff = np.zeros(len(real_idx), dtype=bool)
        if config.fill_forward and not config.is_internal and not delisted:
            ends, rows_idx, ff = self._fill_forward(config, rows, session, ends, rows_idx, ff,
                                                    any_carry, own_offset, has_raw)
        if from_ms is not None:
            keep = ends > from_ms
            ends, rows_idx, ff = ends[keep], rows_idx[keep], ff[keep]
        if config.data_filter is not None:
            ends, rows_idx, ff = filter_emitted(config, rows, ends, rows_idx, ff)
        if prelude_row >= 0 and prelude_ms is not None:
            ends = np.concatenate([np.array([prelude_ms], dtype=np.int64), ends])
            rows_idx = np.concatenate([np.array([prelude_row], dtype=np.int64), rows_idx])
            ff = np.concatenate([np.zeros(1, dtype=bool), ff])
            real_baseline = -1
        if len(ends) > 1 and not bool(np.all(ends[1:] > ends[:-1])):  # strictly ascending: the sort's identity
            order = np.argsort(ends, kind="stable")
            ends, rows_idx, ff = ends[order], rows_idx[order], ff[order]
        # carry state into the next day
        if has_raw:
            carry.last_any = _take(raw, -1)  # type: ignore[arg-type]
        real_rows = rows_idx[~ff]
        if len(real_rows):
            carry.last_real = _take(rows, int(real_rows.max()))
            if carry.last_any is None:
                carry.last_any = carry.last_real
        return _Emission(rows, carry_factors, ends, rows_idx.astype(np.int32), ff, real_baseline, extra_points)

    def _fill_forward(self, config: SubscriptionDataConfig, rows: RawDay, segments: list[tuple[int, int]],
                      ends: np.ndarray, rows_idx: np.ndarray, ff: np.ndarray, any_carry: int,
                      own_offset: int, has_raw: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Add fill-forward copies at the grid times with no real bar (FillForwardEnumerator).

        The source is the newest raw row of ANY session ending at or before the grid time: Lean
        fills forward before the market-hours filter, so a pre-market bar can seed 09:30's copy.
        """
        period = max(self._ff_resolution, config.resolution)
        key = (period, segments[0][0], segments[-1][1])  # an extended-hours subscription has its own grid
        cached = self._grids.get(key)
        if cached is None:
            grid = (np.array([segments[-1][1]], dtype=np.int64) if period == Resolution.DAILY
                    else fill_forward_grid(segments, PERIOD_MS[period]))
            cached = self._grids[key] = (grid, regular_step(grid))
        grid, step = cached
        candidates = np.arange(own_offset, len(rows.end_ms)) if has_raw else np.zeros(0, dtype=np.int64)
        if any_carry >= 0:
            candidates = np.concatenate([np.array([any_carry]), candidates])
        candidate_ends = rows.end_ms[candidates]
        ascending = bool(np.all(candidate_ends[1:] >= candidate_ends[:-1]))
        if step is not None:  # the usual grid (one session, one period): membership by arithmetic
            at = positions_on_grid(grid, step, ends)
            if ascending and len(candidates) and len(at) and at[0] >= 0 and bool(np.all(at[1:] > at[:-1])):
                return _fill_forward_in_grid_order(grid, step, at, rows_idx, candidates, candidate_ends)
            present = np.zeros(len(grid), dtype=bool)
            present[at[at >= 0]] = True
        else:
            present = sorted_isin(grid, ends)
        missing_at = np.flatnonzero(~present)
        if not len(missing_at):
            return ends, rows_idx, ff
        missing = grid[missing_at]
        if not len(candidates):
            return ends, rows_idx, ff
        if step is not None and ascending:
            src = _latest_at_or_before(grid, step, candidate_ends)[missing_at]
        else:
            src = np.searchsorted(candidate_ends, missing, "right") - 1
        ok = src >= 0
        return (np.concatenate([ends, missing[ok]]), np.concatenate([rows_idx, candidates[src[ok]]]),
                np.concatenate([ff, np.ones(int(ok.sum()), dtype=bool)]))

    @staticmethod
    def _market_mask(raw: RawDay, segments: list[tuple[int, int]]) -> np.ndarray:
        """Rows whose bar [time, end) overlaps a segment (Lean's ExchangeHours.IsOpen(start, end, extended))."""
        mask = np.zeros(len(raw), dtype=bool)
        for start, end in segments:
            mask |= (raw.time_ms < end) & (raw.end_ms > start)
        return mask

    def _market_rows(self, config: SubscriptionDataConfig, d: date) -> tuple[RawDay, np.ndarray] | None:
        segments = self.segments_ms(d)
        if not segments:
            return None
        raw = self.source.read_day(config, d, segments[0][0], segments[-1][1])
        if raw is None:
            return None
        return raw, np.flatnonzero(self._market_mask(raw, self._session_segments(config, d, segments)))


_EMPTY_DAY = RawDay(_EMPTY_I64, _EMPTY_I64, {}, {}, {}, Decimal(1))
