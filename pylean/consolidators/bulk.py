"""Bulk consolidation: a day's bar merges done in one go instead of one call per bar.

While pylean's own TradeBarConsolidator (time period or calendar, alone or inside a MarketHourAwareConsolidator)
has an open working bar and only its subscription feeds it, every bar the subscription emits before the bar's
period ends is a plain merge (high, low, close, volume) that nobody can see. Such steps are deferred: the
subscription's `BulkFeed` only records how far the engine has fed it, and a `Member` merges the deferred steps
from the day's arrays when anything could look: before the bar is emitted (by the feed or a scan), reset, updated
by other code, or read through `working_data` (from then until the bar is emitted it is merged every step, since
the reader may keep the object). At every step that could do more than merge (a bar opening, a period's end, a
bar outside the regular session) the member is due: it takes the step-by-step path, in its place in the
subscription's list, so events fire at the same steps in the same order. User subclasses and other consolidators
always take the step path. While no subscription has anything but members that are not due, a step does nothing
here (a quiet run, SubscriptionManager.feed_step).
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Any

import numpy as np

from pylean.data.slice import columns
from pylean.timeutil import local_to_ms

_EXACT_LIMIT = 2.0 ** 53  # non-negative integers whose total stays up to here add exactly in doubles, in any order


class DayArrays:
    """A trade subscription's day as bulk merges read it: the lists the engine builds its bars from (rows'
    fields, each step's code: its row, -2 - row for a fill-forward copy, -1 for none; see data.slice) and the
    volumes' prefix sums when they are exact."""

    __slots__ = ("step_codes", "high", "low", "close", "volume", "volume_sums", "has_bar")

    def __init__(self, columns: Any, volume_sums: list[float] | None, has_bar: np.ndarray) -> None:
        self.step_codes = columns.step_codes
        _open, self.high, self.low, self.close, self.volume = columns.fields
        self.volume_sums = volume_sums
        # step_rows >= 0 (a real bar or a fill-forward copy), as an array: batched.DayBars counts bars with it
        self.has_bar = has_bar


def day_arrays(day: Any) -> DayArrays | None:
    """The arrays of a trade subscription's day (a data.feed.ConfigDay), or None unless the steps with a bar
    take the rows in order, one row further at each real bar and the same row at each fill-forward bar (so a
    run of steps covers a run of rows), all bars are of one length and no field is NaN (NaN compares false:
    the step path decides) or a volume -0.0."""
    rows = day.rows
    if not len(rows.time_ms) or "high" not in rows.prices or "volume" not in rows.sizes:
        return None
    spans = rows.end_ms - rows.time_ms
    if not (spans == spans[0]).all():
        return None
    has = day.step_rows >= 0
    taken = day.step_rows[has].astype(np.int64)
    advance = np.where(day.step_ff[has][1:], 0, 1)
    if not (np.diff(taken) == advance).all():
        return None
    volume = rows.sizes["volume"]
    if any(np.isnan(rows.prices[name]).any() for name in ("high", "low", "close")) or np.isnan(volume).any():
        return None
    if ((volume == 0) & np.signbit(volume)).any():
        return None
    exact = bool((volume == np.floor(volume)).all() and (volume >= 0).all()) and float(volume.sum()) <= _EXACT_LIMIT
    sums = np.concatenate(([0.0], np.cumsum(volume))).tolist() if exact else None
    return DayArrays(columns(day, "trade"), sums, day.step_rows >= 0)


class BulkFeed:
    """One subscription's day as its bulk members see it: the engine fed every consolidator before list
    position `pos` the bar of step `step`, and the others up to the step before; `next_k` is the first step
    at which a member is due (0: the next one; -1: a member left, the plan is made again)."""

    __slots__ = ("manager", "arrays", "times", "symbol", "period_ms", "members", "step", "pos", "next_k", "batch_bars")

    def __init__(self, manager: Any, arrays: DayArrays, times: list[int], symbol: Any, period_ms: int,
                 k: int) -> None:
        self.manager = manager  # the SubscriptionManager: a member's change ends its quiet run
        self.arrays = arrays
        self.times = times
        self.symbol = symbol
        self.period_ms = period_ms
        self.members: list[Member] = []
        self.step = k    # nothing is pending before step k: members start merged up to it
        self.pos = 0
        self.next_k = 0
        self.batch_bars: Any = None  # the bars its batched identity consolidators read (batched.DayBars)


class Member:
    """A TradeBarConsolidator whose merges `feed` may defer; `outer` is what the subscription's list holds
    (the consolidator itself or the MarketHourAwareConsolidator around it), at list position `index`. From
    step `until` on it is due: fed by the step path."""

    __slots__ = ("consolidator", "outer", "feed", "index", "merged_until", "until")

    def __init__(self, consolidator: Any, outer: Any, feed: BulkFeed, index: int) -> None:
        self.consolidator = consolidator
        self.outer = outer
        self.feed = feed
        self.index = index
        self.merged_until = feed.step
        self.until = 0

    def wake(self) -> None:
        """Its state changed (emitted, reset, its working bar read): due from the next feed on."""
        self.until = 0
        if self.feed.next_k > 0:
            self.feed.next_k = 0
        self.feed.manager._quiet = None

    def leave(self) -> None:
        """Other code updates it: the subscription's plan is made again without it."""
        self.until = -1
        self.feed.next_k = -1
        self.feed.manager._quiet = None

    def flush(self) -> None:
        """Merge the steps the engine fed since the last merge into the working bar."""
        feed = self.feed
        end = feed.step + 1 if self.index < feed.pos else feed.step
        start = self.merged_until
        if end <= start:
            return
        self.merged_until = end
        arrays = feed.arrays
        codes = arrays.step_codes
        first = start
        while codes[first] == -1:
            first += 1
            if first == end:  # no bar in these steps
                return
        last = end - 1
        while codes[last] == -1:
            last -= 1
        first_code, last_code = codes[first], codes[last]
        first_row = first_code if first_code >= 0 else -2 - first_code
        last_row = last_code if last_code >= 0 else -2 - last_code
        working = self.consolidator._working
        high = max(arrays.high[first_row:last_row + 1])
        if high > working.high:
            working.high = high
        low = min(arrays.low[first_row:last_row + 1])
        if low < working.low:
            working.low = low
        working.close = arrays.close[last_row]
        first_real = first_row + 1 if first_code < -1 else first_row  # fill-forward bars add volume 0
        if first_real > last_row:
            return
        volume = working.volume
        sums = arrays.volume_sums
        if sums is not None and type(volume) is float and volume >= 0 and volume.is_integer() \
                and volume + sums[-1] <= _EXACT_LIMIT:
            working.volume = volume + (sums[last_row + 1] - sums[first_real])
        else:  # the step path's additions, one by one in order
            for value in arrays.volume[first_real:last_row + 1]:
                volume += value
            working.volume = volume

    def horizon(self, k: int) -> int:
        """The first step after k whose bar may do more than merge into the open working bar (k + 1 when
        the next one may)."""
        consolidator = self.consolidator
        working = consolidator._working
        if consolidator._bulk is not self:  # it left
            return -1
        if (consolidator._held or working is None
                or working is not consolidator._deadline_bar or not consolidator._fast_ok
                or consolidator._sid is not self.feed.symbol):
            return k + 1
        feed = self.feed
        times = feed.times
        limit = local_to_ms(consolidator._deadline)  # from the period's end the bar may be emitted
        outer = self.outer
        if outer is not consolidator:  # and only bars starting in the regular-hours segment last found open
            if outer._hours is None:
                return k + 1
            first_inside = bisect_left(times, local_to_ms(outer._open_from) + feed.period_ms, k + 1)
            if first_inside > k + 1:
                return k + 1
            limit = min(limit, local_to_ms(outer._open_until) + feed.period_ms)
        return bisect_left(times, limit, k + 1)
