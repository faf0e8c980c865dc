"""TradeBar and QuoteBar consolidators (Common/Data/Consolidators/TradeBarConsolidator.cs, QuoteBarConsolidator.cs)."""
from __future__ import annotations

from typing import Any

from pylean.consolidators.base import QUOTE, TRADE
from pylean.consolidators.period import PeriodCountConsolidatorBase
from pylean.data.market_data import Bar, QuoteBar, TradeBar
from pylean.naming import lean_api


@lean_api
class TradeBarConsolidator(PeriodCountConsolidatorBase):
    """TradeBars into TradeBars: `TradeBarConsolidator(timedelta | count | Resolution | calendar function)`."""

    __slots__ = ()
    INPUT_KIND = TRADE

    def _update(self, data: Any) -> None:
        if not self._merge_into_open_bar(data):
            PeriodCountConsolidatorBase._update(self, data)

    def _merge_into_open_bar(self, data: Any) -> bool:
        """Most calls: a time-period or calendar consolidator (validated, its working bar open) gets a bar
        of its own symbol inside the working period. The full update would neither fire nor validate then,
        only aggregate: merge into the open working bar and say so. The period's end and the conditions
        that do not change within a bar were computed by the scan after the bar opened; a subclass always
        takes the full update."""
        working = self._working
        if (working is None or working is not self._deadline_bar or not self._fast_ok
                or type(self) is not TradeBarConsolidator):
            return False
        time = data.time
        if not (time < self._deadline and data.symbol is self._sid and time >= self._last_emit):  # type: ignore[operator]
            return False
        working.close = data.close
        working.volume += data.volume
        if data.low < working.low:
            working.low = data.low
        if data.high > working.high:
            working.high = data.high
        return True

    def _feed(self, data: Any, now: Any) -> None:
        # update(data) then scan(now); after a merge the scan fires only once the period has ended. The
        # merge of `_merge_into_open_bar` is written out here: the manager calls `_feed` on this exact class
        # only, for every bar of the subscription
        working = self._working
        if working is not None and working is self._deadline_bar and self._fast_ok:
            time = data.time
            deadline = self._deadline
            if time < deadline and data.symbol is self._sid and time >= self._last_emit:
                working.close = data.close
                working.volume += data.volume
                low = data.low
                if low < working.low:
                    working.low = low
                high = data.high
                if high > working.high:
                    working.high = high
                if now < deadline:
                    return
                self.scan(now)
                return
        self._update(data)
        self.scan(now)

    def _set_bar_period(self, working: Any) -> bool:
        return working is not None

    def _aggregate(self, data: Any) -> None:
        working = self._working
        if working is None:
            time = self._rounded_data_time(data)
            period = self._working_span(data)
            self._working = TradeBar(time, data.symbol, data.open, data.high, data.low, data.close, data.volume,
                                     end_time=time + period)
            return
        working.close = data.close
        working.volume += data.volume
        if data.low < working.low:
            working.low = data.low
        if data.high > working.high:
            working.high = data.high


@lean_api
class QuoteBarConsolidator(PeriodCountConsolidatorBase):
    """QuoteBars into QuoteBars; a new bar opens at the previous consolidated bar's closing bid/ask (as Lean)."""

    __slots__ = ()
    INPUT_KIND = QUOTE

    def _aggregate(self, data: Any) -> None:
        working = self._working
        if working is None:
            time = self._rounded_data_time(data)
            period = self._working_span(data)
            working = self._working = QuoteBar(time, data.symbol, None, 0.0, None, 0.0, end_time=time + period)
            previous = self.consolidated
            if previous is not None:
                # QuoteBar.Update(0, previous bid close, previous ask close, 0, previous sizes)
                bid_close = previous.bid.close if previous.bid is not None else 0.0
                ask_close = previous.ask.close if previous.ask is not None else 0.0
                if bid_close:
                    working.bid = Bar(bid_close, bid_close, bid_close, bid_close)
                if ask_close:
                    working.ask = Bar(ask_close, ask_close, ask_close, ask_close)
                if previous.last_bid_size > 0:
                    working.last_bid_size = previous.last_bid_size
                if previous.last_ask_size > 0:
                    working.last_ask_size = previous.last_ask_size
        bid, ask = data.bid, data.ask
        if bid is not None:
            working.last_bid_size = data.last_bid_size
            side = working.bid
            if side is None:
                working.bid = Bar(bid.open, bid.high, bid.low, bid.close)
            else:
                side.close = bid.close
                if side.high < bid.high:
                    side.high = bid.high
                if side.low > bid.low:
                    side.low = bid.low
        if ask is not None:
            working.last_ask_size = data.last_ask_size
            side = working.ask
            if side is None:
                working.ask = Bar(ask.open, ask.high, ask.low, ask.close)
            else:
                side.close = ask.close
                if side.high < ask.high:
                    side.high = ask.high
                if side.low > ask.low:
                    side.low = ask.low
